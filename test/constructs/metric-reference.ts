import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { UsedMetric } from './dashboard-body';

/*
 * What CloudWatch has, from AWS's own lists:
 * - AWS/IVSRealTime: the table of section 2b of shared/reference/runtime-surfaces.md (from the IVS
 *   Real-Time User Guide, "Monitoring IVS Real-Time Streaming"), parsed here, so that the reference
 *   stays the source of truth: each metric's dimension sets, and the statistics IVS publishes;
 * - AWS/Lambda and AWS/SQS: the canned metrics aws-cdk-lib generates from the CloudWatch metric
 *   specifications AWS publishes (`*-canned-metrics.generated`), each with its dimension sets;
 * - the dashboard's own namespace: what the template's metric filters publish.
 */

/** A metric CloudWatch has: its dimension sets (names, sorted) and valid statistics. */
export interface KnownMetric {
  readonly dimensionSets: string[][];
  readonly statistics: (statistic: string) => boolean;
}

export type MetricReference = Map<string, KnownMetric>;

const key = (namespace: string, metricName: string) => `${namespace} ${metricName}`;

/** The shared reference, found beside the checkout or one of its parents (CI puts shared/ beside the clone). */
export function runtimeSurfacesPath(): string {
  const relative = path.join('shared', 'reference', 'runtime-surfaces.md');
  for (let dir = path.resolve(__dirname, '..', '..'); ; dir = path.dirname(dir)) {
    for (const candidate of [path.join(dir, relative), path.join(dir, '..', relative)]) {
      if (existsSync(candidate)) {
        return candidate;
      }
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`${relative} not found beside the checkout or any parent of it`);
    }
  }
}

/** Section 2b of runtime-surfaces.md: the AWS/IVSRealTime metrics, dimension sets and statistics. */
export function ivsRealtimeReference(markdown = readFileSync(runtimeSurfacesPath(), 'utf8')): MetricReference {
  const start = markdown.indexOf('### 2b.');
  if (start < 0) {
    throw new Error('runtime-surfaces.md has no section 2b');
  }
  const section = markdown.slice(start, markdown.indexOf('\n### ', start + 1));
  const namespace = /namespace `([^`]+)`/.exec(section)![1];
  const statsLine = /Valid statistics for every metric: \*\*([^*]+)\*\*/.exec(section);
  if (!statsLine) {
    throw new Error('section 2b lists no valid statistics');
  }
  const valid = new Set(statsLine[1].split(',').map((s) => s.trim()));
  const reference: MetricReference = new Map();
  const rows = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    const name = /^`(\w+)`$/.exec(cells[0] ?? '');
    if (cells.length !== 4 || !name) {
      continue;
    }
    rows.set(name[1], cells);
    // "same sets as DownloadPacketLoss" (or "same") repeats a row above, column by column.
    const column = (i: number) => {
      const same = /^same(?: sets as (\w+))?$/.exec(cells[i]);
      return same ? rows.get(same[1] ?? [...rows.keys()].at(-2)!)![i] : cells[i];
    };
    const sets = [...parseDimensionSets(column(2)), ...parseDimensionSets(column(3))];
    reference.set(key(namespace, name[1]), { dimensionSets: sets, statistics: (s) => valid.has(s) });
  }
  return reference;
}

/** `` `Stage`; `Stage,Participant` `` to [['Stage'], ['Participant', 'Stage']]; "none" or "no dimension" is the empty set; "—" none at all. */
function parseDimensionSets(cell: string): string[][] {
  if (cell === '—') {
    return [];
  }
  return cell.split(';').map((part) => part.trim()).map((part) => {
    if (part === 'none' || part === 'no dimension') {
      return [];
    }
    const set = /^`([^`]+)`$/.exec(part);
    if (!set) {
      throw new Error(`cannot read the dimension set '${part}'`);
    }
    return set[1].split(',').map((d) => d.trim()).sort();
  });
}

/** The statistics CloudWatch computes for any metric a service publishes as raw values. */
const STANDARD_STATISTICS = new Set(['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount']);

/**
 * Percentiles: the Lambda developer guide says Duration supports percentile statistics; no other
 * metric the dashboard uses is graphed with one.
 */
const PERCENTILE_METRICS = new Set(['AWS/Lambda Duration']);

/** The canned metrics of an aws-cdk-lib module, read from its generated JavaScript and declarations. */
function cannedReference(module: string, file: string): MetricReference {
  const dir = path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')), module, 'lib');
  const declarations = readFileSync(path.join(dir, `${file}.d.ts`), 'utf8');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const canned = require(path.join(dir, `${file}.js`));
  const cls: any = Object.values(canned)[0];
  const reference: MetricReference = new Map();
  for (const match of declarations.matchAll(/static (\w+)\(this: void, dimensions: \{([^}]*)\}\)/g)) {
    const metric = cls[match[1]]({});
    const dims = [...match[2].matchAll(/(\w+): string;/g)].map((m) => m[1]).sort();
    const k = key(metric.namespace, metric.metricName);
    const known = reference.get(k);
    const statistics = (s: string) => STANDARD_STATISTICS.has(s) || (PERCENTILE_METRICS.has(k) && /^p\d{1,2}(\.\d+)?$/.test(s));
    reference.set(k, { dimensionSets: [...known?.dimensionSets ?? [], dims], statistics });
  }
  return reference;
}

/** The metrics the metric filters of `template` publish, each counted with Sum. */
function metricFilterReference(template: Template): MetricReference {
  const reference: MetricReference = new Map();
  for (const filter of Object.values(template.findResources('AWS::Logs::MetricFilter'))) {
    for (const t of filter.Properties.MetricTransformations) {
      reference.set(key(t.MetricNamespace, t.MetricName), { dimensionSets: [[]], statistics: (s) => s === 'Sum' });
    }
  }
  return reference;
}

/** Everything the dashboard of `template` may ask CloudWatch for. */
export function cloudWatchReference(template: Template): MetricReference {
  return new Map([
    ...ivsRealtimeReference(),
    ...cannedReference('aws-lambda', 'lambda-canned-metrics.generated'),
    ...cannedReference('aws-sqs', 'sqs-canned-metrics.generated'),
    ...metricFilterReference(template),
  ]);
}

/** What is wrong with `metric` by `reference`, or undefined when nothing is. */
export function checkMetric(reference: MetricReference, metric: UsedMetric): string | undefined {
  const known = reference.get(key(metric.namespace, metric.metricName));
  const what = `${metric.where}: ${metric.namespace} ${metric.metricName}`;
  if (!known) {
    return `${what} is no metric CloudWatch has`;
  }
  const dims = Object.keys(metric.dimensions).sort();
  if (!known.dimensionSets.some((set) => set.join(',') === dims.join(','))) {
    return `${what} has no dimension set [${dims.join(', ')}]`;
  }
  if (!known.statistics(metric.statistic)) {
    return `${what} has no statistic ${metric.statistic}`;
  }
  return undefined;
}
