import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { alarmMetrics, dashboardBody, UsedMetric, widgetMetrics } from './dashboard-body';
import { checkMetric, cloudWatchReference, ivsRealtimeReference } from './metric-reference';
import { IvsRealtimeDashboard, ParticipantTokenIssuer, Stage } from '../../src';

/*
 * The dashboard body and the alarms ask CloudWatch only for metrics it has: every metric's
 * namespace, name, dimensions and statistic are in AWS's lists (see metric-reference.ts), the
 * IVS ones read from shared/reference/runtime-surfaces.md.
 */

function fullDashboard(): Template {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'us-east-1' } });
  const stage = new Stage(stack, 'Stage');
  const imported = Stage.fromStageArn(stack, 'Imported', 'arn:aws:ivs:us-east-1:111111111111:stage/AbCdEfGh1234');
  const cfnStage = new ivs.CfnStage(stack, 'CfnStage', {});
  const issuer = new ParticipantTokenIssuer(stack, 'Tokens', { stages: [stage] });
  const dashboard = new IvsRealtimeDashboard(stack, 'Dashboard', { stages: [stage, imported, cfnStage], tokenIssuers: [issuer], alarms: true });
  dashboard.addFunction('Composer', issuer.issuerFunction, { deadLetterQueue: new sqs.Queue(stack, 'Dlq'), errorsAlarmThreshold: 1 });
  return Template.fromStack(stack);
}

describe('the dashboard asks CloudWatch only for what it has', () => {
  const template = fullDashboard();
  const reference = cloudWatchReference(template);

  test('every metric of every widget is in AWS\'s lists, with its dimensions and statistic', () => {
    // GIVEN
    const metrics = widgetMetrics(dashboardBody(template));

    // WHEN
    const problems = metrics.map((m) => checkMetric(reference, m)).filter((p) => p !== undefined);

    // THEN
    expect(metrics.length).toBeGreaterThan(30);
    expect(problems).toEqual([]);
  });

  test('every metric of every alarm is in AWS\'s lists, with its dimensions and statistic', () => {
    // GIVEN
    const metrics = alarmMetrics(template);

    // WHEN
    const problems = metrics.map((m) => checkMetric(reference, m)).filter((p) => p !== undefined);

    // THEN
    expect(metrics.length).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });

  test('every widget fits the 24-column grid', () => {
    // GIVEN
    const widgets = dashboardBody(template).widgets;

    // THEN
    expect(widgets.filter((w) => w.x < 0 || w.width < 1 || w.x + w.width > 24)).toEqual([]);
  });

  test('the IVS reference is read: ten metrics, statistics Average, Maximum and Minimum only', () => {
    // GIVEN
    const ivsReference = ivsRealtimeReference();

    // THEN
    expect([...ivsReference.keys()]).toHaveLength(10);
    const publishers = ivsReference.get('AWS/IVSRealTime Publishers')!;
    expect(publishers.dimensionSets).toEqual([['Stage']]);
    expect(['Average', 'Maximum', 'Minimum', 'Sum', 'SampleCount', 'p99'].filter(publishers.statistics)).toEqual(['Average', 'Maximum', 'Minimum']);
    expect(ivsReference.get('AWS/IVSRealTime ConcurrentPublishers')!.dimensionSets).toEqual([[]]);
  });

  const wrong = (change: Partial<UsedMetric>): UsedMetric => ({
    where: 'test', namespace: 'AWS/IVSRealTime', metricName: 'Publishers', dimensions: { Stage: 'x' }, statistic: 'Maximum', ...change,
  });
  test.each([
    ['a statistic IVS does not publish', wrong({ statistic: 'Sum' }), 'has no statistic Sum'],
    ['a dimension set IVS does not publish', wrong({ dimensions: { Stage: 'x', Participant: 'y' } }), 'has no dimension set [Participant, Stage]'],
    ['a metric IVS does not publish', wrong({ metricName: 'Participants' }), 'is no metric CloudWatch has'],
    ['a stage metric without its stage', wrong({ dimensions: {} }), 'has no dimension set []'],
    ['a percentile of a Lambda metric that has none', wrong({ namespace: 'AWS/Lambda', metricName: 'Throttles', dimensions: { FunctionName: 'f' }, statistic: 'p99' }), 'has no statistic p99'],
    ['a queue metric by function', wrong({ namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: { FunctionName: 'f' } }), 'has no dimension set [FunctionName]'],
    ['an event count no metric filter publishes', wrong({ namespace: 'IvsRealtime/Other', metricName: 'RecordingFailures', dimensions: {}, statistic: 'Sum' }), 'is no metric CloudWatch has'],
  ])('the check catches %s', (_, metric, message) => {
    // WHEN
    const problem = checkMetric(reference, metric);

    // THEN
    expect(problem).toContain(message);
  });
});
