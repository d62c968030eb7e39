import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/*
 * What the npm package ships: the compiled library (lib/ and the jsii assembly), the pre-built
 * handler, run-time function and command-line bundles, API.md, the README with the user docs it links to, and
 * the LICENSE; never the handler or command-line sources, the tests, the examples, the emulator or anything of the
 * build's own (Stryker, build-tools/, rosetta/, logs, the developers' docs).
 */

const ROOT = path.join(__dirname, '..');

function packedFiles(): string[] {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf-8' });
  const [pack] = JSON.parse(output) as Array<{ files: Array<{ path: string }> }>;
  return pack.files.map((file) => file.path);
}

let packed: string[] | undefined;
/** What the checkout packs as it is, listed once for the tests that do not change the checkout. */
function checkoutFiles(): string[] {
  return packed ??= packedFiles();
}

/** Every file the package may hold; `lib/` is there only once compiled, and the test does not need it. */
const SHIPPED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^API\.md$/,
  /^\.jsii$/,
  /^lib\/.+\.(js|d\.ts)$/,
  /^assets\/lambda\/[a-z-]+(\/[a-z-]+)?\/(index|__entrypoint__|cdk-response-wrapper)\.js$/,
  /^assets\/cli\/cdk-ivs-realtime\/index\.js$/,
  /^docs\/(how-it-works|security-and-performance|cdk-monitoring-constructs)\.md$/,
  /^docs\/images\/[a-z-]+\.svg$/,
];

test('the package ships the handler bundle with its response wrapper, the token issuer bundle and the rooms bundles, and nothing of lambda/, test/ or examples/', () => {
  // WHEN
  const files = checkoutFiles();

  // THEN
  expect(files).toContain('assets/lambda/handler/index.js');
  expect(files).toContain('assets/lambda/runtime/token-issuer/index.js');
  expect(files).toContain('assets/lambda/runtime/room-join/index.js');
  expect(files).toContain('assets/lambda/runtime/room-janitor/index.js');
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

test('the package holds the README, LICENSE, API.md and the docs and pictures the README links to, and no file of any other kind', () => {
  // WHEN
  const files = checkoutFiles();

  // THEN
  expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'API.md', 'package.json',
    'docs/how-it-works.md', 'docs/security-and-performance.md']));
  expect(files.filter((file) => !SHIPPED.some((pattern) => pattern.test(file)))).toEqual([]);
});

test.each([
  ['stryker.config.mjs'],
  ['stryker.jest.config.js'],
  ['build-tools/check-go-package.sh'],
  ['rosetta/default.ts-fixture'],
  ['docs/development.md'],
  ['docs/mutation-testing.md'],
])('the package leaves out %s, which the checkout holds', (file) => {
  // GIVEN
  expect(fs.existsSync(path.join(ROOT, file))).toBe(true);

  // WHEN
  const files = checkoutFiles();

  // THEN
  expect(files).not.toContain(file);
});

test('a log file in the checkout stays out of the package', () => {
  // GIVEN
  const log = path.join(ROOT, 'package-test-stray.log');
  fs.writeFileSync(log, 'a log line\n');
  try {
    // WHEN
    const files = packedFiles();

    // THEN
    expect(files).not.toContain('package-test-stray.log');
  } finally {
    fs.rmSync(log, { force: true });
  }
});
