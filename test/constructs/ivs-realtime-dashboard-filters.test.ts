import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IvsRealtimeDashboard, Stage } from '../../src';
import { matchesFilterPattern } from '../event-patterns/metric-filter-pattern';

/*
 * The dashboard's metric filters, as the template gives them to CloudWatch Logs, against the
 * sample IVS events of test/event-patterns/fixtures as log lines: EventBridge writes each event
 * it delivers to a log group as one log event holding the event's JSON.
 */

const FIXTURES = path.join(__dirname, '..', 'event-patterns', 'fixtures');

interface Sample {
  readonly label: string;
  readonly matches: string[];
  readonly event: any;
}

const samples: Sample[] = readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort().flatMap((file) =>
  JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')).samples.map((s: any) => ({
    label: `${s.event['detail-type']} / ${s.event.detail?.event_name ?? '-'}`,
    matches: s.matches,
    event: s.event,
  })));

/** Which count each documented failure event belongs to; every other event counts nowhere. */
const EXPECTED: Record<string, string> = {
  'IVS Stage Update / Participant Publish Error': 'PublishErrors',
  'IVS Participant Recording State Change / Recording Start Failure': 'RecordingFailures',
  'IVS Participant Recording State Change / Recording End Failure': 'RecordingFailures',
  'IVS Composition State Change / Session Failure': 'CompositionSessionFailures',
  'IVS Composition State Change / Destination Failure': 'CompositionDestinationFailures',
};

function filterPatterns(): Record<string, string> {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'us-east-1' } });
  new IvsRealtimeDashboard(stack, 'Dashboard', { stages: [Stage.fromStageArn(stack, 'Stage', 'arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij')] });
  const filters = Object.values(Template.fromStack(stack).findResources('AWS::Logs::MetricFilter'));
  return Object.fromEntries(filters.map((f) => [f.Properties.MetricTransformations[0].MetricName, f.Properties.FilterPattern]));
}

describe('the dashboard\'s metric filters count the documented failure events', () => {
  const patterns = filterPatterns();

  test('the samples cover every failure event the dashboard counts', () => {
    // THEN
    expect(samples.map((s) => s.label)).toEqual(expect.arrayContaining(Object.keys(EXPECTED)));
  });

  test.each(samples.map((s) => [s.label, s] as const))('%s counts in exactly its own metric', (_, sample) => {
    // WHEN
    const logLine = JSON.stringify(sample.event);
    const counted = Object.entries(patterns).filter(([, pattern]) => matchesFilterPattern(pattern, logLine)).map(([name]) => name);

    // THEN
    expect(counted).toEqual(EXPECTED[sample.label] ? [EXPECTED[sample.label]] : []);
  });

  test('an event counts exactly when the dashboard\'s rules deliver it to the event log (the rules\' side is checked by event-ruler)', () => {
    // GIVEN
    const delivered = samples.filter((s) => s.matches.some((rule) => rule.startsWith('dashboard'))).map((s) => s.label);

    // THEN
    expect(delivered.sort()).toEqual(Object.keys(EXPECTED).sort());
  });
});
