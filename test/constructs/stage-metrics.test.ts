import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import { aws_ivs as ivsRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { Stage, StageMetrics } from '../../src';

const STAGE_ARN = 'arn:aws:ivs:us-east-1:111111111111:stage/AbCdEfGh1234';

function newStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'us-east-1' } });
}

describe('stage metrics', () => {
  test.each([
    ['metricPublishers', 'Publishers', 'Maximum'],
    ['metricSubscribers', 'Subscribers', 'Maximum'],
    ['metricPublishBitrate', 'PublishBitrate', 'Average'],
    ['metricSubscribeBitrate', 'SubscribeBitrate', 'Average'],
    ['metricDownloadPacketLoss', 'DownloadPacketLoss', 'Average'],
    ['metricDroppedFrames', 'DroppedFrames', 'Average'],
  ] as const)('%s is %s in AWS/IVSRealTime by stage ID, statistic %s', (method, metricName, statistic) => {
    // GIVEN
    const stack = newStack();
    const stage = Stage.fromStageArn(stack, 'Stage', STAGE_ARN);

    // WHEN
    const metric = stage[method]();

    // THEN
    expect(metric.namespace).toEqual('AWS/IVSRealTime');
    expect(metric.metricName).toEqual(metricName);
    expect(metric.dimensions).toEqual({ Stage: 'AbCdEfGh1234' });
    expect(metric.statistic).toEqual(statistic);
    expect(metric.period.toSeconds()).toEqual(300);
  });

  test('a defined stage uses its StageId attribute as the dimension', () => {
    // GIVEN
    const stack = newStack();
    const stage = new Stage(stack, 'Stage');

    // WHEN
    const metric = stage.metricPublishers();

    // THEN
    expect(stack.resolve(metric.dimensions)).toEqual({ Stage: { 'Fn::GetAtt': ['Stage0E8C2AF5', 'StageId'] } });
  });

  test('a CfnStage gets the ID from its ARN', () => {
    // GIVEN
    const stack = newStack();
    const stage = new ivs.CfnStage(stack, 'CfnStage', {});

    // WHEN
    const metric = StageMetrics.fromStage(stage).droppedFrames();

    // THEN
    expect(stack.resolve(metric.dimensions)).toEqual({
      Stage: { 'Fn::Select': [1, { 'Fn::Split': ['/', { Ref: 'CfnStage' }] }] },
    });
  });

  test('a reference of another kind, with a known ARN, gets the ID from that ARN', () => {
    // GIVEN a stage reference that is neither one of ours nor an L1
    const stack = newStack();
    class OtherStageRef extends Construct implements ivsRefs.IStageRef {
      public readonly stageRef = { stageArn: STAGE_ARN };
      public readonly env = { account: '111111111111', region: 'us-east-1' };
    }

    // WHEN
    const metric = StageMetrics.fromStage(new OtherStageRef(stack, 'Other')).subscribers();

    // THEN
    expect(metric.dimensions).toEqual({ Stage: 'AbCdEfGh1234' });
  });

  test('metric adds the dimensions and options given to the Stage dimension', () => {
    // GIVEN
    const stack = newStack();
    const stage = Stage.fromStageArn(stack, 'Stage', STAGE_ARN);

    // WHEN
    const metric = stage.metric('PublishResolution', {
      dimensionsMap: { Participant: 'p-1', SimulcastLayer: 'hi', MediaType: 'video' },
      statistic: 'Minimum',
      period: Duration.minutes(1),
    });

    // THEN
    expect(metric.dimensions).toEqual({ Stage: 'AbCdEfGh1234', Participant: 'p-1', SimulcastLayer: 'hi', MediaType: 'video' });
    expect(metric.statistic).toEqual('Minimum');
    expect(metric.period.toSeconds()).toEqual(60);
  });

  test.each(['Sum', 'SampleCount', 'p99'])('statistic %s, which IVS does not publish, is an error', (statistic) => {
    // GIVEN
    const stack = newStack();
    const stage = Stage.fromStageArn(stack, 'Stage', STAGE_ARN);

    // WHEN / THEN
    expect(() => stage.metricPublishers({ statistic })).toThrow(
      `TestStack/Stage: statistic must be Average, Maximum or Minimum (the only statistics IVS publishes), got '${statistic}'`,
    );
  });

  test('an alarm on a stage metric renders the namespace, dimension and statistic', () => {
    // GIVEN
    const stack = newStack();
    const stage = Stage.fromStageArn(stack, 'Stage', STAGE_ARN);

    // WHEN
    stage.metricDownloadPacketLoss().createAlarm(stack, 'PacketLoss', { threshold: 5, evaluationPeriods: 3 });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/IVSRealTime',
      MetricName: 'DownloadPacketLoss',
      Dimensions: [{ Name: 'Stage', Value: 'AbCdEfGh1234' }],
      Statistic: 'Average',
      Period: 300,
    });
  });
});

describe('account-wide metrics', () => {
  test.each([
    [() => Stage.metricAllConcurrentPublishers(), 'ConcurrentPublishers'],
    [() => Stage.metricAllConcurrentSubscriptions(), 'ConcurrentSubscriptions'],
  ])('%#: %s has no dimension and statistic Maximum', (metric, metricName) => {
    // WHEN
    const m: cloudwatch.Metric = metric();

    // THEN
    expect([m.namespace, m.metricName, m.dimensions, m.statistic]).toEqual(['AWS/IVSRealTime', metricName, undefined, 'Maximum']);
  });

  test('a Sum of an account-wide metric is an error', () => {
    expect(() => StageMetrics.concurrentPublishers({ statistic: 'Sum' })).toThrow(
      "statistic must be Average, Maximum or Minimum (the only statistics IVS publishes), got 'Sum'",
    );
  });
});
