import * as fs from 'fs';
import * as path from 'path';

/*
 * `npm ci` on a new machine installs exactly what package-lock.json says. An entry without a
 * version or an integrity (npm writes such entries for optional platform packages that the
 * registry did not serve when the lock was made) makes `npm ci` stop with "Invalid Version" or
 * fetch something unchecked, so no such entry may land.
 */

interface LockEntry {
  readonly version?: string;
  readonly integrity?: string;
  readonly link?: boolean;
  readonly inBundle?: boolean;
}

function lockEntries(file: string): Array<[string, LockEntry]> {
  const lock = JSON.parse(fs.readFileSync(file, 'utf-8')) as { packages: Record<string, LockEntry> };
  // The entry named '' is the project itself; links and bundled packages are not downloaded.
  return Object.entries(lock.packages).filter(([name, entry]) => name !== '' && !entry.link && !entry.inBundle);
}

// The project's lock, and the lock test:cdk-latest installs before aws-cdk-lib@latest (constructs).
test.each([
  ['package-lock.json', 100],
  ['test/cdk-latest/package-lock.json', 1],
])('every package in %s has a version and an integrity', (lockFile, atLeast) => {
  // GIVEN
  const entries = lockEntries(path.join(__dirname, '..', lockFile));

  // WHEN
  const incomplete = entries.filter(([, entry]) => !entry.version || !entry.integrity).map(([name]) => name);

  // THEN
  expect(entries.length).toBeGreaterThanOrEqual(atLeast);
  expect(incomplete).toEqual([]);
});
