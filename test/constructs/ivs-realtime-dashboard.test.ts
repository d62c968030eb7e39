import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { dashboardBodyOf, flatten, widgetMetrics } from './dashboard-body';
import { CompositionDestination, IvsRealtimeDashboard, ParticipantTokenIssuer, Stage, StageEventCount, EncoderConfiguration } from '../../src';

const STAGE_ARN = 'arn:aws:ivs:us-east-1:111111111111:stage/AbCdEfGh1234';

function newStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'us-east-1' } });
}

const stageArn = (n: number) => `arn:aws:ivs:us-east-1:111111111111:stage/Stage${String(n).padStart(7, '0')}`;

function someFunction(stack: Stack, id: string): lambda.IFunction {
  return lambda.Function.fromFunctionName(stack, id, `${id}-function`);
}

const titles = (stack: Stack) => dashboardBodyOf(stack).widgets.map((w) => w.properties.title);

describe('IvsRealtimeDashboard', () => {
  describe('stages', () => {
    test('each stage gets participants, bitrate and quality graphs of its own metrics', () => {
      // GIVEN
      const stack = newStack();
      const stage = Stage.fromStageArn(stack, 'Town', STAGE_ARN);

      // WHEN
      new IvsRealtimeDashboard(stack, 'Dashboard', { stages: [stage] });

      // THEN
      const metrics = widgetMetrics(dashboardBodyOf(stack)).filter((m) => m.dimensions.Stage === 'AbCdEfGh1234');
      expect(metrics.map((m) => [m.metricName, m.statistic])).toEqual([
        ['Publishers', 'Maximum'],
        ['Subscribers', 'Maximum'],
        ['PublishBitrate', 'Average'],
        ['SubscribeBitrate', 'Average'],
        ['DownloadPacketLoss', 'Average'],
        ['DroppedFrames', 'Average'],
      ]);
      expect(titles(stack)).toEqual(expect.arrayContaining(['Stage Town: participants', 'Stage Town: bitrate', 'Stage Town: quality']));
    });

    test('an L1 CfnStage is watched by the ID in its ARN', () => {
      // GIVEN
      const stack = newStack();
      const cfnStage = new ivs.CfnStage(stack, 'CfnStage', {});

      // WHEN
      new IvsRealtimeDashboard(stack, 'Dashboard', { stages: [cfnStage] });

      // THEN
      const metrics = widgetMetrics(dashboardBodyOf(stack)).filter((m) => m.namespace === 'AWS/IVSRealTime' && m.dimensions.Stage);
      expect(metrics).toHaveLength(6);
    });

    test('the publishers graph draws the per-stage quota of 12 publishers', () => {
      // GIVEN
      const stack = newStack();

      // WHEN
      new IvsRealtimeDashboard(stack, 'Dashboard', { stages: [Stage.fromStageArn(stack, 'Town', STAGE_ARN)] });

      // THEN
      const widget = dashboardBodyOf(stack).widgets.find((w) => w.properties.title === 'Stage Town: participants')!;
      expect(widget.properties.annotations.horizontal).toEqual([expect.objectContaining({ value: 12 })]);
    });

    test('a stage added twice is an error', () => {
      // GIVEN
      const stack = newStack();
      const stage = Stage.fromStageArn(stack, 'Town', STAGE_ARN);
      const dashboard = new IvsRealtimeDashboard(stack, 'Dashboard', { stages: [stage] });

      // WHEN / THEN
      expect(() => dashboard.addStage(stage)).toThrow('stages must be added once each, got TestStack/Town twice');
    });
  });

  describe('account', () => {
    test('concurrent publishers and subscriptions are drawn against the default quotas', () => {
      // GIVEN
      const stack = newStack();

      // WHEN
      new IvsRealtimeDashboard(stack, 'Dashboard');

      // THEN
      const widgets = dashboardBodyOf(stack).widgets;
      const quota = (title: string) => widgets.find((w) => w.properties.title === title)!.properties.annotations.horizontal[0].value;
      expect(quota('Account: concurrent publishers')).toEqual(1000);
      expect(quota('Account: concurrent subscriptions')).toEqual(20000);
    });

    test('raised quotas move the lines', () => {
      // GIVEN
      const stack = newStack();

      // WHEN
      new IvsRealtimeDashboard(stack, 'Dashboard', { concurrentPublishersQuota: 5000, concurrentSubscriptionsQuota: 100000 });

      // THEN
      const widgets = dashboardBodyOf(stack).widgets;
      const quota = (title: string) => widgets.find((w) => w.properties.title === title)!.properties.annotations.horizontal[0].value;
      expect([quota('Account: concurrent publishers'), quota('Account: concurrent subscriptions')]).toEqual([5000, 100000]);
    });

    test.each([0, -1, 1.5])('a quota of %s is an error', (value) => {
      // GIVEN
      const stack = newStack();

      // WHEN / THEN
      expect(() => new IvsRealtimeDashboard(stack, 'Dashboard', { concurrentPublishersQuota: value }))
        .toThrow(`concurrentPublishersQuota must be a whole number of at least 1, got ${value}`);
    });
  });

  describe('failure events', () => {
    test('EventBridge writes the failure events of the stages into the event log, through a native resource policy', () => {
      // GIVEN
      const stack = newStack();

      // WHEN
      const dashboard = new IvsRealtimeDashboard(stack, 'Dashboard', { stages: [Stage.fromStageArn(stack, 'Town', STAGE_ARN)] });

      // THEN
      const template = Template.fromStack(stack);
      const logGroupName = stack.resolve((dashboard.eventLogGroup.node.defaultChild as any).logGroupName);
      expect(logGroupName).toMatch(/^\/aws\/events\//);
      template.resourceCountIs('AWS::Events::Rule', 2);
      template.allResourcesProperties('AWS::Events::Rule', {
        Targets: [{ Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:us-east-1:111111111111:log-group:${logGroupName}`]] }, Id: 'Target0' }],
      });
      const policies = Object.values(template.findResources('AWS::Logs::ResourcePolicy'));
      expect(policies.map((p) => JSON.parse(flatten(p.Properties.PolicyDocument)))).toEqual([{
        Statement: [{
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Effect: 'Allow',
          Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
          Resource: '<token>',
        }],
        Version: '2012-10-17',
      }]);
      // No custom resource (and so no function allowed logs:PutResourcePolicy on everything) makes the policy.
      template.resourceCountIs('AWS::Lambda::Function', 0);
      expect(Object.keys(template.toJSON().Resources).filter((id) => template.toJSON().Resources[id].Type.startsWith('Custom::'))).toEqual([]);
    });

    test('one pair of rules takes up to 10 stages: 11 stages make two pairs', () => {
      // GIVEN
      const stack = newStack();
      const stages = Array.from({ length: 11 }, (_, i) => Stage.fromStageArn(stack, `Stage${i}`, stageArn(i)));

      // WHEN
      new IvsRealtimeDashboard(stack, 'Dashboard', { stages });

      // THEN
      const rules = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule')).map((r) => r.Properties.EventPattern);
      const named = (pattern: any) => [...pattern.resources ?? [], ...pattern.detail.stage_arn ?? []];
      expect(rules.map((p) => named(p).length).sort()).toEqual([1, 1, 10, 10]);
      expect(new Set(rules.flatMap(named))).toEqual(new Set(Array.from({ length: 11 }, (_, i) => stageArn(i))));
    });

    test('one metric filter per kind of failure publishes its count into the dashboard\'s namespace', () => {
      // GIVEN
      const stack = newStack();

      // WHEN
      const dashboard = new IvsRealtimeDashboard(stack, 'Dashboard', { eventMetricsNamespace: 'Video/Events' });

      // THEN
      const filters = Object.values(Template.fromStack(stack).findResources('AWS::Logs::MetricFilter'));
      expect(filters.map((f) => [f.Properties.MetricTransformations[0].MetricName, f.Properties.FilterPattern])).toEqual([
        ['PublishErrors', '{ $.detail.event_name = "Participant Publish Error" }'],
        ['RecordingFailures', '{ ($.detail.event_name = "Recording Start Failure") || ($.detail.event_name = "Recording End Failure") }'],
        ['CompositionSessionFailures', '{ $.detail.event_name = "Session Failure" }'],
        ['CompositionDestinationFailures', '{ $.detail.event_name = "Destination Failure" }'],
      ]);
      expect(filters.every((f) => f.Properties.MetricTransformations[0].MetricNamespace === 'Video/Events')).toBe(true);
      expect(dashboard.metricEventCount(StageEventCount.RECORDING_FAILURES).namespace).toEqual('Video/Events');
    });

    test('two dashboards count into two namespaces by default', () => {
      // GIVEN
      const stack = newStack();

      // WHEN
      const a = new IvsRealtimeDashboard(stack, 'A');
      const b = new IvsRealtimeDashboard(stack, 'B');

      // THEN
      expect(a.eventMetricsNamespace).not.toEqual(b.eventMetricsNamespace);
    });
  });

  describe('functions', () => {
    test('a token issuer gets errors and throttles, duration p99 and concurrency', () => {
      // GIVEN
      const stack = newStack();
      const stage = Stage.fromStageArn(stack, 'Town', STAGE_ARN);
      const issuer = new ParticipantTokenIssuer(stack, 'Tokens', { stages: [stage] });

      // WHEN
      new IvsRealtimeDashboard(stack, 'Dashboard', { tokenIssuers: [issuer], lifecycleHandlers: false });

      // THEN
      const metrics = widgetMetrics(dashboardBodyOf(stack)).filter((m) => m.namespace === 'AWS/Lambda');
      expect(metrics.map((m) => [m.metricName, m.statistic])).toEqual([
        ['Errors', 'Sum'], ['Throttles', 'Sum'], ['Duration', 'p99'], ['ConcurrentExecutions', 'Maximum'],
      ]);
      expect(titles(stack)).toContain('Token issuer Tokens: duration p99');
    });

    test('the lifecycle handlers of the stack are watched, one per resource type', () => {
      // GIVEN
      const stack = newStack();
      const stage = new Stage(stack, 'Stage');
      new EncoderConfiguration(stack, 'Video');

      // WHEN
      new IvsRealtimeDashboard(stack, 'Dashboard', { stages: [stage] });

      // THEN
      expect(titles(stack)).toEqual(expect.arrayContaining([
        'Lifecycle handler IvsStage: errors and throttles',
        'Lifecycle handler IvsEncoderConfiguration: errors and throttles',
      ]));
    });

    test('addLifecycleHandlers() adds the handlers of types defined after the dashboard, once', () => {
      // GIVEN
      const stack = newStack();
      new Stage(stack, 'Stage');
      const dashboard = new IvsRealtimeDashboard(stack, 'Dashboard');
      new EncoderConfiguration(stack, 'Video');

      // WHEN
      dashboard.addLifecycleHandlers();
      dashboard.addLifecycleHandlers();

      // THEN
      expect(titles(stack).filter((t) => t?.startsWith('Lifecycle handler') && t.endsWith('concurrency'))).toEqual([
        'Lifecycle handler IvsStage: concurrency',
        'Lifecycle handler IvsEncoderConfiguration: concurrency',
      ]);
    });

    test('lifecycleHandlers: false leaves them out', () => {
      // GIVEN
      const stack = newStack();
      new Stage(stack, 'Stage');

      // WHEN
      new IvsRealtimeDashboard(stack, 'Dashboard', { lifecycleHandlers: false });

      // THEN
      expect(titles(stack).filter((t) => t?.startsWith('Lifecycle handler'))).toEqual([]);
    });

    test('addFunction with a dead-letter queue graphs the queue\'s depth', () => {
      // GIVEN
      const stack = newStack();
      const dashboard = new IvsRealtimeDashboard(stack, 'Dashboard');
      const queue = new sqs.Queue(stack, 'Dlq');

      // WHEN
      dashboard.addFunction('Composer', someFunction(stack, 'Composer'), { deadLetterQueue: queue });

      // THEN
      const depth = widgetMetrics(dashboardBodyOf(stack)).filter((m) => m.namespace === 'AWS/SQS');
      expect(depth.map((m) => [m.where, m.metricName, m.statistic, Object.keys(m.dimensions)])).toEqual([
        ["widget 'Composer: dead-letter queue'", 'ApproximateNumberOfMessagesVisible', 'Maximum', ['QueueName']],
      ]);
    });

    test('a stage composition joins with its composer function and its dead-letter queue', () => {
      // GIVEN
      const stack = newStack();
      const composition = Stage.fromStageArn(stack, 'Town', STAGE_ARN).addComposition('Composite', {
        destinations: [CompositionDestination.s3({
          storageConfiguration: new ivs.CfnStorageConfiguration(stack, 'Storage', { s3: { bucketName: 'recordings' } }),
          encoderConfiguration: new EncoderConfiguration(stack, 'Encoder'),
        })],
      });

      // WHEN
      new IvsRealtimeDashboard(stack, 'Dashboard', { compositions: [composition], lifecycleHandlers: false });

      // THEN
      const metrics = widgetMetrics(dashboardBodyOf(stack)).filter((m) => m.where.includes('Composer Town/Composite'));
      expect(metrics.filter((m) => m.namespace === 'AWS/SQS').map((m) => m.metricName)).toEqual(['ApproximateNumberOfMessagesVisible']);
      expect(metrics.filter((m) => m.namespace === 'AWS/Lambda').map((m) => m.metricName)).toEqual(expect.arrayContaining(['Errors', 'Throttles', 'Duration']));
    });
  });

  describe('alarms', () => {
    test('off by default: no alarm', () => {
      // GIVEN
      const stack = newStack();

      // WHEN
      new IvsRealtimeDashboard(stack, 'Dashboard', { stages: [Stage.fromStageArn(stack, 'Town', STAGE_ARN)] });

      // THEN
      Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
    });

    test('alarm actions turn them on, and every alarm takes every action', () => {
      // GIVEN
      const stack = newStack();
      const topic = new sns.Topic(stack, 'OnCall');

      // WHEN
      const dashboard = new IvsRealtimeDashboard(stack, 'Dashboard', {
        stages: [Stage.fromStageArn(stack, 'Town', STAGE_ARN)],
        alarmActions: [new cloudwatch_actions.SnsAction(topic)],
      });

      // THEN
      const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));
      expect(alarms.length).toEqual(dashboard.alarms.length);
      expect(alarms.length).toBeGreaterThan(0);
      const topicRef = { Ref: stack.getLogicalId(topic.node.defaultChild as any) };
      expect(alarms.every((a) => JSON.stringify(a.Properties.AlarmActions) === JSON.stringify([topicRef]))).toBe(true);
      expect(alarms.every((a) => a.Properties.TreatMissingData === 'notBreaching')).toBe(true);
    });

    test('alarms: false with alarm actions is an error', () => {
      // GIVEN
      const stack = newStack();
      const topic = new sns.Topic(stack, 'OnCall');

      // WHEN / THEN
      expect(() => new IvsRealtimeDashboard(stack, 'Dashboard', { alarms: false, alarmActions: [new cloudwatch_actions.SnsAction(topic)] }))
        .toThrow('alarmActions need alarms: leave alarms out or set it to true, got alarms: false with alarmActions');
    });

    test('a stage alarms on packet loss and on dropped frames above 5% for 3 periods in a row', () => {
      // GIVEN
      const stack = newStack();

      // WHEN
      new IvsRealtimeDashboard(stack, 'Dashboard', { stages: [Stage.fromStageArn(stack, 'Town', STAGE_ARN)], alarms: true, lifecycleHandlers: false });

      // THEN
      for (const metricName of ['DownloadPacketLoss', 'DroppedFrames']) {
        Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/IVSRealTime',
          MetricName: metricName,
          Dimensions: [{ Name: 'Stage', Value: 'AbCdEfGh1234' }],
          Statistic: 'Average',
          Period: 300,
          Threshold: 5,
          EvaluationPeriods: 3,
          ComparisonOperator: 'GreaterThanThreshold',
        });
      }
    });

    test('any recording failure and any composition failure alarm at once', () => {
      // GIVEN
      const stack = newStack();

      // WHEN
      new IvsRealtimeDashboard(stack, 'Dashboard', { alarms: true, eventMetricsNamespace: 'Video/Events' });

      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'Video/Events',
        MetricName: 'RecordingFailures',
        Statistic: 'Sum',
        Threshold: 1,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: Match.arrayWith([Match.objectLike({ Expression: 'FILL(session, 0) + FILL(destination, 0)' })]),
        Threshold: 1,
        EvaluationPeriods: 1,
      });
    });

    test('a token issuer alarms on 5 errors in a period and on throttles in 3 minutes in a row', () => {
      // GIVEN
      const stack = newStack();
      const issuer = new ParticipantTokenIssuer(stack, 'Tokens', { stages: [Stage.fromStageArn(stack, 'Town', STAGE_ARN)] });

      // WHEN
      new IvsRealtimeDashboard(stack, 'Dashboard', { tokenIssuers: [issuer], alarms: true, lifecycleHandlers: false });

      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Lambda', MetricName: 'Errors', Threshold: 5, Period: 300, EvaluationPeriods: 1 });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Lambda', MetricName: 'Throttles', Threshold: 1, Period: 60, EvaluationPeriods: 3 });
    });

    test('a lifecycle handler alarms when throttled, never on errors (a failed deploy already says so)', () => {
      // GIVEN
      const stack = newStack();
      new Stage(stack, 'Stage');

      // WHEN
      new IvsRealtimeDashboard(stack, 'Dashboard', { alarms: true });

      // THEN
      const lambdaAlarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm', { Properties: { Namespace: 'AWS/Lambda' } }));
      expect(lambdaAlarms.map((a) => a.Properties.MetricName)).toEqual(['Throttles']);
    });

    test('a message in a dead-letter queue alarms', () => {
      // GIVEN
      const stack = newStack();
      const dashboard = new IvsRealtimeDashboard(stack, 'Dashboard', { alarms: true, lifecycleHandlers: false });

      // WHEN
      dashboard.addFunction('Composer', someFunction(stack, 'Composer'), { deadLetterQueue: new sqs.Queue(stack, 'Dlq') });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Statistic: 'Maximum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    });

    test('the alarm status widget at the top lists every alarm, those added later included', () => {
      // GIVEN
      const stack = newStack();
      const dashboard = new IvsRealtimeDashboard(stack, 'Dashboard', { alarms: true, lifecycleHandlers: false });

      // WHEN
      dashboard.addStage(Stage.fromStageArn(stack, 'Town', STAGE_ARN));

      // THEN
      const first = dashboardBodyOf(stack).widgets[0];
      expect(first.type).toEqual('alarm');
      expect(first.properties.alarms).toHaveLength(dashboard.alarms.length);
    });
  });

  test('period sets the period of every graph', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new IvsRealtimeDashboard(stack, 'Dashboard', { stages: [Stage.fromStageArn(stack, 'Town', STAGE_ARN)], period: Duration.minutes(1) });

    // THEN
    const periods = dashboardBodyOf(stack).widgets.flatMap((w) => (w.properties.metrics ?? []).map((m: any[]) => m[m.length - 1].period));
    expect(new Set(periods)).toEqual(new Set([60]));
  });
});

describe('IvsRealtimeDashboard at scale', () => {
  test('100 stages with alarms: the alarm status widgets hold at most 100 alarms each, stacked at the top', () => {
    // GIVEN
    const stack = newStack();
    const stages = Array.from({ length: 100 }, (_, i) => Stage.fromStageArn(stack, `Stage${i}`, stageArn(i)));

    // WHEN
    const dashboard = new IvsRealtimeDashboard(stack, 'Dashboard', { stages, alarms: true });

    // THEN
    const alarmWidgets = dashboardBodyOf(stack).widgets.filter((w) => w.type === 'alarm');
    expect(alarmWidgets.map((w) => [w.y, w.properties.alarms.length])).toEqual([[0, 100], [3, 100], [6, 2]]);
    expect(dashboard.alarms).toHaveLength(202);
    expect(dashboardBodyOf(stack).widgets.filter((w) => w.type === 'text')[0].y).toEqual(9);
  });

  test('a 101st stage is an error: another dashboard takes it', () => {
    // GIVEN
    const stack = newStack();
    const stages = Array.from({ length: 100 }, (_, i) => Stage.fromStageArn(stack, `Stage${i}`, stageArn(i)));
    const dashboard = new IvsRealtimeDashboard(stack, 'Dashboard', { stages });

    // WHEN / THEN
    expect(() => dashboard.addStage(Stage.fromStageArn(stack, 'Stage100', stageArn(100))))
      .toThrow('a dashboard takes at most 100 stages (CloudWatch\'s widget quota per dashboard), got more: define another dashboard for the others');
  });
});
