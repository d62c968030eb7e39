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

test('every package in the lock file has a version and an integrity', () => {
  // GIVEN
  const entries = lockEntries(path.join(__dirname, '..', 'package-lock.json'));

  // WHEN
  const incomplete = entries.filter(([, entry]) => !entry.version || !entry.integrity).map(([name]) => name);

  // THEN
  expect(entries.length).toBeGreaterThan(100);
  expect(incomplete).toEqual([]);
});
