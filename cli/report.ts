import type { DriftReport } from './drift';

/** The report as people read it: a summary line, a table of differences, and what was not compared. */
export function formatReport(report: DriftReport): string {
  const count = report.resources.length;
  const checked = `${count} IVS resource${count === 1 ? '' : 's'} checked`;
  const lines: string[] = [];
  if (!report.drifted) {
    lines.push(`Stack ${report.stackName}: ${checked}, no drift.`);
  } else {
    const drifted = report.resources.filter((r) => r.status === 'DRIFTED').length;
    const deleted = report.resources.filter((r) => r.status === 'DELETED').length;
    const parts = [drifted > 0 ? `${drifted} drifted` : '', deleted > 0 ? `${deleted} deleted` : ''].filter(Boolean);
    lines.push(`Stack ${report.stackName}: ${checked}, ${parts.join(', ')}.`, '');
    lines.push(...table(['Resource', 'Property', 'Deployed', 'Live'],
      report.differences.map((d) => [d.logicalId, d.property, d.deployed, d.live])));
  }
  const notDeployed = report.resources.filter((r) => r.status === 'NOT_DEPLOYED');
  if (notDeployed.length > 0) {
    lines.push('', `Not checked, CloudFormation shows no ARN for them: ${notDeployed.map((r) => r.logicalId).join(', ')}`);
  }
  if (report.notCompared.length > 0) {
    lines.push('', 'Not compared, the deployed value is not known from the template:');
    lines.push(...report.notCompared.map((n) => `  ${n.logicalId} ${n.property}: ${n.reason}`));
  }
  return `${lines.join('\n')}\n`;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < cells.length - 1 ? cell.padEnd(widths[i]) : cell)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
