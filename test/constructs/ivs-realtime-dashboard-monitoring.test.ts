import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { MonitoringFacade } from 'cdk-monitoring-constructs';
import { alarmMetrics, flatten, widgetMetrics } from './dashboard-body';
import { checkMetric, cloudWatchReference } from './metric-reference';
import { IvsRealtimeDashboard, Stage, StageEventCount, StageMetrics } from '../../src';

/*
 * A user of cdk-monitoring-constructs adds stages to the MonitoringFacade they already have, with
 * the library's metrics and monitorCustom, as the README ("Watching your stages") shows.
 */

function facadeWithStage(): Template {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'us-east-1' } });
  const stage = new Stage(stack, 'TownHall');
  const events = new IvsRealtimeDashboard(stack, 'Events', { stages: [stage] });

  const facade = new MonitoringFacade(stack, 'Monitoring', {
    alarmFactoryDefaults: { alarmNamePrefix: 'Video', actionsEnabled: true },
  });
  const metrics = StageMetrics.fromStage(stage);
  facade.monitorCustom({
    alarmFriendlyName: 'TownHall',
    humanReadableName: 'Town hall stage',
    metricGroups: [
      { title: 'Participants', metrics: [metrics.publishers(), metrics.subscribers()] },
      {
        title: 'Quality',
        metrics: [
          {
            metric: metrics.downloadPacketLoss(),
            alarmFriendlyName: 'PacketLoss',
            addAlarm: { Critical: { threshold: 5, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD, datapointsToAlarm: 3 } },
          },
          metrics.droppedFrames(),
        ],
      },
      { title: 'Recording failures', metrics: [events.metricEventCount(StageEventCount.RECORDING_FAILURES)] },
    ],
  });
  return Template.fromStack(stack);
}

describe('a MonitoringFacade of cdk-monitoring-constructs takes the library\'s metrics', () => {
  const template = facadeWithStage();
  // The facade's dashboards, not the IvsRealtimeDashboard beside them.
  const bodies = Object.entries(template.findResources('AWS::CloudWatch::Dashboard'))
    .filter(([id]) => id.startsWith('Monitoring'))
    .map(([, d]) => JSON.parse(flatten(d.Properties.DashboardBody)));

  test('the facade\'s dashboards graph the stage\'s metrics', () => {
    // WHEN
    const metrics = bodies.flatMap((body) => widgetMetrics(body)).filter((m) => m.namespace === 'AWS/IVSRealTime');

    // THEN
    expect(bodies.length).toBeGreaterThan(0);
    expect(new Set(metrics.map((m) => m.metricName))).toEqual(new Set(['Publishers', 'Subscribers', 'DownloadPacketLoss', 'DroppedFrames']));
  });

  test('the facade alarms on the stage\'s packet loss', () => {
    // THEN
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Video-TownHall-PacketLoss-Critical', Threshold: 5, DatapointsToAlarm: 3 });
  });

  test('everything the facade asks CloudWatch for of ours is in AWS\'s lists', () => {
    // GIVEN
    const reference = cloudWatchReference(template);
    const ours = [...bodies.flatMap((body) => widgetMetrics(body)), ...alarmMetrics(template)]
      .filter((m) => m.namespace === 'AWS/IVSRealTime' || m.namespace.startsWith('IvsRealtime/'));

    // WHEN
    const problems = ours.map((m) => checkMetric(reference, m)).filter((p) => p !== undefined);

    // THEN
    expect(ours.length).toBeGreaterThan(4);
    expect(problems).toEqual([]);
  });
});
