#!/usr/bin/env node
// Prints, as one `--mutate` argument for Stryker, the line ranges of lambda/ whose last change
// (git blame at HEAD) is one of the given commits, or one that a given merge brought in. This is
// "the code an issue changed" of docs/mutation-testing.md:
//   npx stryker run stryker.config.mjs --mutate "$(node build-tools/mutation-ranges.mjs <commits and merges>)"
import { execFileSync } from 'node:child_process';

const git = (...args) => execFileSync('git', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

const refs = process.argv.slice(2);
if (refs.length === 0) {
  console.error('usage: node build-tools/mutation-ranges.mjs <commit or merge>...');
  process.exit(2);
}

const commits = new Set();
for (const ref of refs) {
  const [sha, ...parents] = git('rev-list', '--parents', '-n', '1', ref).trim().split(' ');
  commits.add(sha);
  if (parents.length === 2) {
    // A merge: the commits of the branch it merged, besides its own conflict resolutions.
    git('rev-list', `${parents[1]}`, `^${parents[0]}`).split('\n').filter(Boolean).forEach((c) => commits.add(c));
  }
}

const ranges = [];
for (const file of git('ls-files', 'lambda/*.ts', 'lambda/**/*.ts').split('\n').filter(Boolean)) {
  const lines = [];
  for (const line of git('blame', '--porcelain', 'HEAD', '--', file).split('\n')) {
    const header = /^([0-9a-f]{40}) \d+ (\d+)/.exec(line);
    if (header && commits.has(header[1])) {
      lines.push(Number(header[2]));
    }
  }
  lines.sort((a, b) => a - b);
  for (let i = 0; i < lines.length;) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j] + 1) {
      j++;
    }
    ranges.push(`${file}:${lines[i]}-${lines[j]}`);
    i = j + 1;
  }
}
console.log(ranges.join(','));
