import { execFileSync } from 'child_process';
import * as path from 'path';

/*
 * What the npm package ships: the pre-built handler and token issuer bundles, never the handler sources, the tests,
 * the examples or the emulator.
 */

const ROOT = path.join(__dirname, '..');

function packedFiles(): string[] {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf-8' });
  const [pack] = JSON.parse(output) as Array<{ files: Array<{ path: string }> }>;
  return pack.files.map((file) => file.path);
}

test('the package ships the handler bundle with its response wrapper, the token issuer bundle and the rooms bundles, and nothing of lambda/, test/ or examples/', () => {
  // WHEN
  const files = packedFiles();

  // THEN
  expect(files).toContain('assets/lambda/handler/index.js');
  expect(files).toContain('assets/lambda/runtime/token-issuer/index.js');
  expect(files).toContain('assets/lambda/runtime/room-join/index.js');
  expect(files).toContain('assets/lambda/runtime/room-janitor/index.js');
  // aws-cdk-lib's response wrapper, the functions' handler (`__entrypoint__.handler`)
  expect(files).toContain('assets/lambda/handler/__entrypoint__.js');
  expect(files.filter((file) => /^(lambda|test|examples|src|\.ci)\//.test(file))).toEqual([]);
});
