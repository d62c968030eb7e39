/*
 * Draws the README's pictures from the example app (examples/app.ts), never by hand:
 * - docs/images/dashboard.svg: the example stack's IvsRealtimeDashboard, laid out from its
 *   synthesized dashboard body (dashboard-svg.ts);
 * - docs/images/example-app.svg: what the example stack deploys, drawn by cdk-dia from the cloud
 *   assembly's construct tree, with graphviz (`dot`).
 *
 * Usage: ts-node --project examples/tsconfig.json examples/pictures.ts [--check]
 * With --check it writes nothing and exits non-zero when a committed picture differs from the one
 * the example app gives now.
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { exampleApp } from './app';
import { dashboardSvg, dashboardWidgetsOf } from './dashboard-svg';

const ROOT = path.join(__dirname, '..');
const IMAGES = path.join(ROOT, 'docs', 'images');
const check = process.argv.includes('--check');

/** Writes `content` to `file`, or with --check, says whether it differs from what is there. */
function publish(file: string, content: string): boolean {
  const relative = path.relative(ROOT, file);
  if (check) {
    const same = existsSync(file) && readFileSync(file, 'utf8') === content;
    console.log(`${same ? 'PASS' : 'FAIL'} ${relative} ${same ? 'is current' : "is out of date: run 'npx projen docs:pictures' and commit it"}`);
    return same;
  }
  writeFileSync(file, content);
  console.log(`wrote ${relative}`);
  return true;
}

const outdir = mkdtempSync(path.join(tmpdir(), 'cdk-ivs-realtime-pictures-'));
try {
  const { app, stack } = exampleApp({}, outdir);
  const assembly = app.synth();
  const template = JSON.parse(readFileSync(path.join(assembly.directory, stack.templateFile), 'utf8'));
  let ok = publish(path.join(IMAGES, 'dashboard.svg'), dashboardSvg(dashboardWidgetsOf(template), `Dashboard ${stack.stackName}-ivs-realtime (example app)`));

  // cdk-dia lays out the construct tree of the assembly as a graphviz graph (only the example
  // stack, not its locked-down twin) and renders it as a PNG; the same graph, rendered by dot as an
  // SVG, is the README's picture: text, small, and the same on every run.
  const diagram = path.join(outdir, 'example-app');
  execFileSync('npx', ['cdk-dia', '--tree', path.join(assembly.directory, 'tree.json'), '--include', stack.stackName,
    '--target', `${diagram}.png`], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  // dot links cdk-dia's service icons by their absolute path in node_modules, which is neither the
  // same on two machines nor anywhere a reader of the README has them: the picture goes without them.
  const svg = execFileSync('dot', ['-Tsvg', '-Gdpi=72', `${diagram}.dot`], { encoding: 'utf8' })
    .replace(/<image [^>]*\/>\n?/g, '');
  ok = publish(path.join(IMAGES, 'example-app.svg'), svg) && ok;
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
