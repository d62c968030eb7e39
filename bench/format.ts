/*
 * Small helpers for printing the bench's results.
 */

/** A Markdown table, so that the output can go into docs/security-and-performance.md as it is. */
export function markdownTable(headers: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
export const ms = (value: number) => `${value.toFixed(0)} ms`;
export const sec = (value: number) => `${value.toFixed(1)} s`;
export const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
