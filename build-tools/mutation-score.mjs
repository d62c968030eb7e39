#!/usr/bin/env node
// The mutation score of the mutants in some line ranges (the output of mutation-ranges.mjs), from
// one or more of Stryker's JSON reports, the later reports' results replacing the earlier ones' for
// the same mutant (same file, place, mutator and replacement): a full run, then runs of the lines
// tests were added for. Prints the figures per file, the total, and every survivor.
//   node build-tools/mutation-score.mjs "<ranges>" reports/mutation/first.json reports/mutation/second.json
import { readFileSync } from 'node:fs';

const [rangeArgument, ...reports] = process.argv.slice(2);
if (!rangeArgument || reports.length === 0) {
  console.error('usage: node build-tools/mutation-score.mjs <file:from-to,...> <mutation.json>...');
  process.exit(2);
}
const ranges = rangeArgument.split(',').map((range) => {
  const [, file, from, to] = /^(.*):(\d+)-(\d+)$/.exec(range);
  return { file, from: Number(from), to: Number(to) };
});
const inRanges = (file, line) => ranges.some((r) => r.file === file && line >= r.from && line <= r.to);

const mutants = new Map();
for (const report of reports) {
  for (const [file, { mutants: found }] of Object.entries(JSON.parse(readFileSync(report, 'utf8')).files)) {
    for (const mutant of found) {
      const { line, column } = mutant.location.start;
      if (inRanges(file, line)) {
        mutants.set(`${file}:${line}:${column} ${mutant.mutatorName} ${mutant.replacement}`, { file, line, column, ...mutant });
      }
    }
  }
}

const DETECTED = ['Killed', 'Timeout'];
const UNDETECTED = ['Survived', 'NoCoverage'];
const score = (list) => {
  const detected = list.filter((m) => DETECTED.includes(m.status)).length;
  const counted = detected + list.filter((m) => UNDETECTED.includes(m.status)).length;
  return `${(100 * detected / counted).toFixed(2)}% (${detected} of ${counted})`;
};
const all = [...mutants.values()];
for (const file of [...new Set(all.map((m) => m.file))].sort()) {
  const ofFile = all.filter((m) => m.file === file);
  const statuses = [...new Set(ofFile.map((m) => m.status))];
  const counts = statuses.map((status) => `${status} ${ofFile.filter((m) => m.status === status).length}`).join(', ');
  console.log(`${file}: ${score(ofFile)}; ${counts}`);
}
console.log(`total: ${score(all)}`);
for (const m of all.filter((s) => UNDETECTED.includes(s.status))) {
  console.log(`  ${m.status} ${m.file}:${m.line}:${m.column} ${m.mutatorName} => ${m.replacement.replace(/\s+/g, ' ')}`);
}
