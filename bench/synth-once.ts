/*
 * One synth, in a process of its own (bench/run.ts starts one per measurement, so that no run
 * warms up another): a stack of N stages, defined with this library or with the aws-ivs L1, and
 * synthesized into a fresh cloud assembly. Prints what it measured as one line of JSON.
 *
 *   ts-node bench/synth-once.ts <library|l1|library-dashboard> <stages>
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, ArnFormat, Duration, Fn, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IvsRealtimeDashboard, Stage } from '../src';

/**
 * `library-dashboard`: the library's stages and an IvsRealtimeDashboard of all of them, alarms on
 * (two alarms per stage, the event rules and metric filters, the stage handler on the dashboard).
 * `l1-dashboard`: what a team writes without the library: `CfnStage`s and the same dashboard,
 * alarms, event rules and metric filters built with aws-cdk-lib's own constructs (see
 * `handBuiltDashboard`).
 */
export type SynthVariant = 'library' | 'l1' | 'library-dashboard' | 'l1-dashboard';

/** What one synth measured. */
export interface SynthMeasurement {
  readonly variant: SynthVariant;
  readonly stages: number;
  /** From `new App()` to the cloud assembly on disk, modules already loaded. */
  readonly synthMs: number;
  /** The template file as `cdk deploy` would upload it. */
  readonly templateBytes: number;
  readonly resources: number;
}

function main(): void {
  const [variant, count] = process.argv.slice(2) as [SynthVariant, string];
  const stages = Number(count);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ivs-bench-'));
  try {
    const started = process.hrtime.bigint();
    const app = new App({ outdir, context: process.env.BENCH_NO_TRACES ? { 'aws:cdk:disable-creation-stack-traces': true } : {} });
    const stack = new Stack(app, 'Bench', { env: { account: '123456789012', region: 'us-east-1' } });
    const defined: Stage[] = [];
    const cfnStages: ivs.CfnStage[] = [];
    for (let i = 0; i < stages; i++) {
      if (variant.startsWith('l1')) {
        cfnStages.push(new ivs.CfnStage(stack, `Stage${i}`, {}));
      } else {
        defined.push(new Stage(stack, `Stage${i}`));
      }
    }
    if (variant === 'library-dashboard') {
      new IvsRealtimeDashboard(stack, 'Dashboard', { stages: defined, alarms: true });
    }
    if (variant === 'l1-dashboard') {
      handBuiltDashboard(stack, cfnStages);
    }
    const assembly = app.synth();
    const synthMs = Number(process.hrtime.bigint() - started) / 1e6;
    const artifact = assembly.getStackArtifact(stack.artifactId);
    const measurement: SynthMeasurement = {
      variant,
      stages,
      synthMs,
      templateBytes: fs.statSync(path.join(assembly.directory, artifact.templateFile)).size,
      resources: Object.keys(artifact.template.Resources).length,
    };
    console.log(JSON.stringify(measurement));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * The IvsRealtimeDashboard of `library-dashboard`, written with aws-cdk-lib alone: the same
 * widgets and alarms per stage, the account graphs, the event rules (ten stages each) into a log
 * group with its resource policy, the four metric filters and the alarm status widget. Without a
 * lifecycle handler, which CfnStages do not have.
 */
function handBuiltDashboard(stack: Stack, stages: ivs.CfnStage[]): void {
  const period = Duration.minutes(5);
  const dashboard = new cloudwatch.Dashboard(stack, 'Dashboard', { defaultInterval: Duration.hours(3) });
  const logGroupName = '/aws/events/ivs-realtime/dashboard';
  const logGroup = new logs.LogGroup(stack, 'EventLog', { logGroupName, retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
  new logs.ResourcePolicy(stack, 'EventLogPolicy', {
    resourcePolicyName: Names.uniqueResourceName(stack, {}),
    policyStatements: [new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      resources: [logGroup.logGroupArn],
    })],
  });
  const target = stack.formatArn({ service: 'logs', resource: 'log-group', arnFormat: ArnFormat.COLON_RESOURCE_NAME, resourceName: logGroupName });
  const namespace = 'IvsRealtime/Dashboard';
  const counts = {
    PublishErrors: ['Participant Publish Error'],
    RecordingFailures: ['Recording Start Failure', 'Recording End Failure'],
    CompositionSessionFailures: ['Session Failure'],
    CompositionDestinationFailures: ['Destination Failure'],
  };
  for (const [metricName, names] of Object.entries(counts)) {
    new logs.MetricFilter(stack, `${metricName}Filter`, {
      logGroup,
      metricNamespace: namespace,
      metricName,
      metricValue: '1',
      filterPattern: logs.FilterPattern.any(...names.map((name) => logs.FilterPattern.stringValue('$.detail.event_name', '=', name))),
    });
  }
  const alarms: cloudwatch.Alarm[] = [];
  const alarm = (id: string, metric: cloudwatch.IMetric) => alarms.push(new cloudwatch.Alarm(stack, id, {
    metric, threshold: 5, evaluationPeriods: 3, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, alarmDescription: id,
  }));
  dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ alarms, width: 24, height: 3 }));
  dashboard.addWidgets(...['ConcurrentPublishers', 'ConcurrentSubscriptions'].map((metricName) => new cloudwatch.GraphWidget({
    title: metricName,
    left: [new cloudwatch.Metric({ namespace: 'AWS/IVSRealTime', metricName, statistic: 'Maximum', period })],
    leftAnnotations: [{ value: 1000, label: 'quota' }],
    width: 12,
  })));
  dashboard.addWidgets(new cloudwatch.GraphWidget({
    title: 'Failure events', left: Object.keys(counts).map((metricName) => new cloudwatch.Metric({ namespace, metricName, statistic: 'Sum', period })), width: 24,
  }));
  stages.forEach((stage, i) => {
    const stageMetric = (metricName: string, statistic: string) => new cloudwatch.Metric({
      namespace: 'AWS/IVSRealTime', metricName, statistic, period, dimensionsMap: { Stage: Fn.select(1, Fn.split('/', stage.attrArn)) },
    });
    const packetLoss = stageMetric('DownloadPacketLoss', 'Average');
    const droppedFrames = stageMetric('DroppedFrames', 'Average');
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: `${stage.node.id}: participants`, left: [stageMetric('Publishers', 'Maximum'), stageMetric('Subscribers', 'Maximum')], width: 8 }),
      new cloudwatch.GraphWidget({ title: `${stage.node.id}: bitrate`, left: [stageMetric('PublishBitrate', 'Average'), stageMetric('SubscribeBitrate', 'Average')], width: 8 }),
      new cloudwatch.GraphWidget({ title: `${stage.node.id}: quality`, left: [packetLoss, droppedFrames], leftAnnotations: [{ value: 5 }], width: 8 }),
    );
    alarm(`Stage${i}PacketLoss`, packetLoss);
    alarm(`Stage${i}DroppedFrames`, droppedFrames);
    if (i % 10 === 0) {
      const resources = stages.slice(i, i + 10).map((s) => s.attrArn);
      new events.Rule(stack, `StageFailureEvents${i}`, {
        eventPattern: { source: ['aws.ivs'], resources, detailType: ['IVS Stage Update', 'IVS Participant Recording State Change'] },
        targets: [{ bind: () => ({ arn: target }) }],
      });
      new events.Rule(stack, `CompositionFailureEvents${i}`, {
        eventPattern: { source: ['aws.ivs'], detailType: ['IVS Composition State Change'], detail: { stage_arn: resources } },
        targets: [{ bind: () => ({ arn: target }) }],
      });
    }
  });
}

if (require.main === module) {
  main();
}
