import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/*
 * What the npm package ships: the pre-built handler, token issuer and command-line bundles, never the handler or
 * command-line sources, the tests, the examples or the emulator.
 */

const ROOT = path.join(__dirname, '..');

function packedFiles(): string[] {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf-8' });
  const [pack] = JSON.parse(output) as Array<{ files: Array<{ path: string }> }>;
  return pack.files.map((file) => file.path);
}

test('the package ships the handler bundle with its response wrapper and the token issuer bundle, and nothing of lambda/, test/ or examples/', () => {
  // WHEN
  const files = packedFiles();

  // THEN
  expect(files).toContain('assets/lambda/handler/index.js');
  expect(files).toContain('assets/lambda/runtime/token-issuer/index.js');
  // aws-cdk-lib's response wrapper, the functions' handler (`__entrypoint__.handler`)
  expect(files).toContain('assets/lambda/handler/__entrypoint__.js');
  expect(files.filter((file) => /^(lambda|cli|test|examples|src|\.ci)\//.test(file))).toEqual([]);
});

test('the package ships the drift command as one bundle, which its bin names and which runs as it is', () => {
  // WHEN
  const files = packedFiles();
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')) as { bin: Record<string, string> };

  // THEN `npx cdk-ivs-realtime` runs the bundle, which needs nothing from the package's dependencies
  expect(pkg.bin).toEqual({ 'cdk-ivs-realtime': 'assets/cli/cdk-ivs-realtime/index.js' });
  expect(files).toContain('assets/cli/cdk-ivs-realtime/index.js');
  const bundle = path.join(ROOT, pkg.bin['cdk-ivs-realtime']);
  expect(fs.readFileSync(bundle, 'utf-8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  // Copied where no node_modules can be found, it still loads, AWS SDK and all.
  const alone = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ivs-cli-'));
  try {
    fs.copyFileSync(bundle, path.join(alone, 'index.js'));
    expect(execFileSync(process.execPath, [path.join(alone, 'index.js'), '--help'], { cwd: alone, encoding: 'utf-8' }))
      .toContain('Usage: cdk-ivs-realtime drift');
  } finally {
    fs.rmSync(alone, { recursive: true, force: true });
  }
});
