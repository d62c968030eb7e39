import { Arn, ArnFormat, Duration, Fn, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import { aws_ivs as ivsRefs } from 'aws-cdk-lib/interfaces';
import { IConstruct } from 'constructs';
import { IvsValidationError } from '../private/validation';

/*
 * Stage health metrics, as the IVS Real-Time User Guide ("Monitoring IVS Real-Time Streaming")
 * lists them: namespace AWS/IVSRealTime, dimension Stage = the stage's resource ID (not its
 * ARN), statistics Average, Maximum and Minimum only.
 */

const NAMESPACE = 'AWS/IVSRealTime';

/** The statistics IVS publishes, with the short forms CloudWatch accepts for them. */
const SUPPORTED_STATISTICS = new Set(['average', 'avg', 'maximum', 'max', 'minimum', 'min']);

/**
 * CloudWatch metrics of one stage, and the account-wide ones. Works on a `Stage`, an import, or
 * an L1 `CfnStage`; a `Stage` offers the same metrics as its `metricXxx` methods.
 *
 * Metrics are only published for participants using a broadcast SDK recent enough to report
 * them (Web 1.5.2, Android and iOS 1.12.0 or later).
 *
 * @example
 * import * as ivs from 'aws-cdk-lib/aws-ivs';
 *
 * declare const cfnStage: ivs.CfnStage;
 *
 * const packetLoss = StageMetrics.fromStage(cfnStage).downloadPacketLoss();
 */
export class StageMetrics {
  /**
   * The metrics of `stage`.
   */
  public static fromStage(stage: ivsRefs.IStageRef): StageMetrics {
    return new StageMetrics(stage);
  }

  /**
   * The number of participants publishing to any stage of the account in the region
   * (`ConcurrentPublishers`).
   *
   * @default - statistic Maximum, period 5 minutes
   */
  public static concurrentPublishers(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return accountMetric('ConcurrentPublishers', props);
  }

  /**
   * The number of subscriptions to any stage of the account in the region
   * (`ConcurrentSubscriptions`).
   *
   * @default - statistic Maximum, period 5 minutes
   */
  public static concurrentSubscriptions(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return accountMetric('ConcurrentSubscriptions', props);
  }

  private constructor(private readonly stage: ivsRefs.IStageRef) {}

  /**
   * A metric of the stage, with the `Stage` dimension set to its ID and any further dimensions
   * from `props.dimensionsMap` (`Participant`, `MediaType`, `SimulcastLayer`, `Platform`, ...).
   *
   * @param metricName e.g. `PublishResolution`
   * @param props the statistic must be Average, Maximum or Minimum, the only ones IVS publishes
   * @default - statistic Average, period 5 minutes
   */
  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.stageMetric(metricName, cloudwatch.Stats.AVERAGE, props);
  }

  /**
   * The number of participants publishing to the stage (`Publishers`).
   *
   * @default - statistic Maximum, period 5 minutes
   */
  public publishers(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.stageMetric('Publishers', cloudwatch.Stats.MAXIMUM, props);
  }

  /**
   * The number of participants subscribing to the stage (`Subscribers`).
   *
   * @default - statistic Maximum, period 5 minutes
   */
  public subscribers(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.stageMetric('Subscribers', cloudwatch.Stats.MAXIMUM, props);
  }

  /**
   * The bitrate participants publish at, in bits per second (`PublishBitrate`).
   *
   * @default - statistic Average, period 5 minutes
   */
  public publishBitrate(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.stageMetric('PublishBitrate', cloudwatch.Stats.AVERAGE, props);
  }

  /**
   * The bitrate participants receive at, in bits per second (`SubscribeBitrate`).
   *
   * @default - statistic Average, period 5 minutes
   */
  public subscribeBitrate(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.stageMetric('SubscribeBitrate', cloudwatch.Stats.AVERAGE, props);
  }

  /**
   * The share of packets lost on the way to subscribers, in percent (`DownloadPacketLoss`).
   *
   * @default - statistic Average, period 5 minutes
   */
  public downloadPacketLoss(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.stageMetric('DownloadPacketLoss', cloudwatch.Stats.AVERAGE, props);
  }

  /**
   * The share of video frames subscribers dropped, in percent (`DroppedFrames`).
   *
   * @default - statistic Average, period 5 minutes
   */
  public droppedFrames(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.stageMetric('DroppedFrames', cloudwatch.Stats.AVERAGE, props);
  }

  private stageMetric(metricName: string, statistic: string, props: cloudwatch.MetricOptions): cloudwatch.Metric {
    validateStatistic(this.stage, props.statistic);
    return new cloudwatch.Metric({
      period: Duration.minutes(5),
      statistic,
      ...props,
      namespace: NAMESPACE,
      metricName,
      dimensionsMap: { ...props.dimensionsMap, Stage: stageId(this.stage) },
    }).attachTo(this.stage).with(this.stageEnvironment());
  }

  /**
   * The stage's own account and region, where known: an imported stage's are those of its ARN, not
   * those of the stack it is imported into. An alarm on the metric in another region is then an
   * error at synth (aws-cdk-lib's), instead of an alarm that never sees data; a dashboard shows
   * it from the stage's region.
   */
  private stageEnvironment(): cloudwatch.MetricOptions {
    const { account, region } = this.stage.env;
    return {
      account: Token.isUnresolved(account) ? undefined : account,
      region: Token.isUnresolved(region) ? undefined : region,
    };
  }
}

function accountMetric(metricName: string, props: cloudwatch.MetricOptions): cloudwatch.Metric {
  validateStatistic(undefined, props.statistic);
  return new cloudwatch.Metric({
    period: Duration.minutes(5),
    statistic: cloudwatch.Stats.MAXIMUM,
    ...props,
    namespace: NAMESPACE,
    metricName,
  });
}

/** IVS publishes no Sum, SampleCount or percentiles: an alarm on one would never see data. */
function validateStatistic(scope: IConstruct | undefined, statistic: string | undefined): void {
  if (statistic === undefined || Token.isUnresolved(statistic) || SUPPORTED_STATISTICS.has(statistic.toLowerCase())) {
    return;
  }
  const message = `statistic must be Average, Maximum or Minimum (the only statistics IVS publishes), got '${statistic}'`;
  if (scope) {
    throw new IvsValidationError(scope, message);
  }
  throw new Error(message);
}

/**
 * The stage's resource ID: the `stageId` attribute of a `Stage` or an import, otherwise the part
 * of its ARN after `stage/`.
 */
function stageId(stage: ivsRefs.IStageRef): string {
  const known = (stage as { stageId?: unknown }).stageId;
  if (typeof known === 'string') {
    return known;
  }
  const arn = ivs.CfnStage.arnForStage(stage);
  if (Token.isUnresolved(arn)) {
    return Fn.select(1, Fn.split('/', arn));
  }
  return Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
}
