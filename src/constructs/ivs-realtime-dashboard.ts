import { ArnFormat, Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { aws_ivs as ivsRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { ParticipantTokenIssuer } from './participant-token-issuer';
import { StageComposition } from './stage-composition';
import { CompositionEventName, ParticipantRecordingEventName, StageEvents, StageUpdateEventName } from './stage-events';
import { StageMetrics } from './stage-metrics';
import { IvsHandlerProvider } from '../custom-resources/ivs-handler-provider';
import { LinearBodyDashboard } from '../private/linear-body-dashboard';
import { checkovSkips } from '../private/scanner-suppressions';
import { IvsValidationError } from '../private/validation';

/*
 * One CloudWatch dashboard for IVS Real-Time stages and the functions the library ships, and the
 * alarms worth waking someone for. Every number on it is a CloudWatch metric AWS publishes
 * (AWS/IVSRealTime, AWS/Lambda, AWS/SQS) or a metric filter over the stages' failure events,
 * which EventBridge writes into a log group of the dashboard: no code of ours runs to count them.
 */

/** Default quotas of the account, per region (IVS Real-Time User Guide, "Service Quotas"). */
const DEFAULT_CONCURRENT_PUBLISHERS_QUOTA = 1000;
const DEFAULT_CONCURRENT_SUBSCRIPTIONS_QUOTA = 20000;
/** Publishers one stage takes at once; not adjustable. */
const STAGE_PUBLISHERS_QUOTA = 12;

/** How many stages one event rule names: 10 ARNs keep a pattern near 1,000 characters. */
const STAGES_PER_RULE = 10;

/**
 * How many stages one dashboard takes: three widgets each keep it within CloudWatch's 500 widgets
 * per dashboard, and its template (about 5 KB per stage with alarms) within CloudFormation's 1 MB.
 */
const MAX_STAGES = 100;

/** How many alarms one alarm status widget shows (CloudWatch's limit). */
const ALARMS_PER_STATUS_WIDGET = 100;

/**
 * The recommended alarms' thresholds, each explained in the README ("Watching your stages").
 */
const QUALITY_THRESHOLD_PERCENT = 5;
const QUALITY_EVALUATION_PERIODS = 3;
const ISSUER_ERRORS_THRESHOLD = 5;
const THROTTLE_MINUTES = 3;

/**
 * A kind of failure event the dashboard counts: its metric and the filter that makes it.
 */
export class StageEventCount {
  /** `Participant Publish Error` (IVS Stage Update). */
  public static readonly PUBLISH_ERRORS = new StageEventCount('PublishErrors', [StageUpdateEventName.PARTICIPANT_PUBLISH_ERROR.eventName]);

  /** `Recording Start Failure` and `Recording End Failure` (IVS Participant Recording State Change). */
  public static readonly RECORDING_FAILURES = new StageEventCount('RecordingFailures', [
    ParticipantRecordingEventName.RECORDING_START_FAILURE.eventName,
    ParticipantRecordingEventName.RECORDING_END_FAILURE.eventName,
  ]);

  /** `Session Failure` (IVS Composition State Change). */
  public static readonly COMPOSITION_SESSION_FAILURES = new StageEventCount('CompositionSessionFailures', [CompositionEventName.SESSION_FAILURE.eventName]);

  /** `Destination Failure` (IVS Composition State Change). */
  public static readonly COMPOSITION_DESTINATION_FAILURES = new StageEventCount('CompositionDestinationFailures', [
    CompositionEventName.DESTINATION_FAILURE.eventName,
  ]);

  /** Every kind, in the order the dashboard shows them. */
  public static all(): StageEventCount[] {
    return [
      StageEventCount.PUBLISH_ERRORS,
      StageEventCount.RECORDING_FAILURES,
      StageEventCount.COMPOSITION_SESSION_FAILURES,
      StageEventCount.COMPOSITION_DESTINATION_FAILURES,
    ];
  }

  private constructor(
    /** The metric name the metric filter publishes. */
    public readonly metricName: string,
    /** The `detail.event_name` values it counts. */
    public readonly eventNames: string[],
  ) {}

  /** The CloudWatch Logs filter pattern that matches these events in the event log. */
  public filterPattern(): logs.IFilterPattern {
    const patterns = this.eventNames.map((name) => logs.FilterPattern.stringValue('$.detail.event_name', '=', name));
    return patterns.length === 1 ? patterns[0] : logs.FilterPattern.any(...patterns);
  }
}

/**
 * Properties of an `IvsRealtimeDashboard`.
 */
export interface IvsRealtimeDashboardProps {
  /**
   * The name of the CloudWatch dashboard.
   *
   * @default - a name CloudFormation generates
   */
  readonly dashboardName?: string;

  /**
   * The stages to watch: `Stage`s, imports or L1 `CfnStage`s. More with `addStage()`.
   *
   * @default - none
   */
  readonly stages?: ivsRefs.IStageRef[];

  /**
   * The token issuers to watch. More with `addTokenIssuer()`.
   *
   * @default - none
   */
  readonly tokenIssuers?: ParticipantTokenIssuer[];

  /**
   * The stage compositions to watch: their composer functions and dead-letter queues. More with
   * `addComposition()`.
   *
   * @default - none
   */
  readonly compositions?: StageComposition[];

  /**
   * Whether to watch the functions that deploy the stack's IVS resources (one per resource type):
   * those the stack holds when the dashboard is defined, and those `addLifecycleHandlers()` finds
   * later. Define the dashboard after the stack's IVS resources.
   *
   * @default true
   */
  readonly lifecycleHandlers?: boolean;

  /**
   * Whether to define the recommended alarms (see the README, "Watching your stages"): sustained
   * packet loss or dropped frames on a stage, any recording or composition failure, token issuer
   * errors, a message in a dead-letter queue, a throttled function.
   *
   * @default - true when `alarmActions` is given, otherwise false
   */
  readonly alarms?: boolean;

  /**
   * What every alarm does when it goes off, e.g. `new cloudwatch_actions.SnsAction(topic)`.
   *
   * @default - no action: the alarms only show on the dashboard and in the console
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];

  /**
   * The period of the graphs and of the event counts.
   *
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;

  /**
   * The account's quota of concurrent publishers in the region, drawn as a line on the account
   * graph.
   *
   * @default 1000
   */
  readonly concurrentPublishersQuota?: number;

  /**
   * The account's quota of concurrent subscriptions in the region, drawn as a line on the account
   * graph.
   *
   * @default 20000
   */
  readonly concurrentSubscriptionsQuota?: number;

  /**
   * How long the event log keeps the failure events it counts.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly eventLogRetention?: logs.RetentionDays;

  /**
   * The CloudWatch namespace the event counts are published in. Two dashboards need two
   * namespaces, or each counts the other's events.
   *
   * @default - `IvsRealtime/` followed by a name unique to this dashboard in the app
   */
  readonly eventMetricsNamespace?: string;
}

/**
 * Options of a function added to the dashboard.
 */
export interface WatchedFunctionOptions {
  /**
   * The function's dead-letter queue, whose depth the dashboard shows (and alarms on).
   *
   * @default - none
   */
  readonly deadLetterQueue?: sqs.IQueue;

  /**
   * Whether errors of the function raise an alarm (when alarms are on), and from how many errors
   * in one period.
   *
   * @default - no errors alarm
   */
  readonly errorsAlarmThreshold?: number;
}

/**
 * One CloudWatch dashboard for IVS Real-Time: the health of each stage, the account's
 * participants against their quotas, failure events as numbers, and the library's functions; and,
 * on request, the alarms worth waking someone for.
 *
 * @example
 * import * as cloudwatch_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
 * import * as sns from 'aws-cdk-lib/aws-sns';
 *
 * declare const stage: Stage;
 * declare const issuer: ParticipantTokenIssuer;
 * declare const onCall: sns.ITopic;
 *
 * new IvsRealtimeDashboard(this, 'Dashboard', {
 *   stages: [stage],
 *   tokenIssuers: [issuer],
 *   alarmActions: [new cloudwatch_actions.SnsAction(onCall)],
 * });
 */
export class IvsRealtimeDashboard extends Construct {
  /** The CloudWatch dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  /**
   * The log group EventBridge writes the stages' failure events to, which the event counts are
   * filtered from.
   */
  public readonly eventLogGroup: logs.ILogGroup;

  /** The namespace of the event counts. */
  public readonly eventMetricsNamespace: string;

  private readonly period: Duration;
  private readonly alarmsOn: boolean;
  private readonly alarmActions: cloudwatch.IAlarmAction[];
  private readonly alarmList: cloudwatch.Alarm[] = [];
  private readonly stageArns = new Set<string>();
  private readonly watchedHandlers = new Set<string>();
  private stageRule?: events.Rule;
  private compositionRule?: events.Rule;
  private stagesInRule = 0;
  private functionCount = 0;
  private readonly logTarget: events.IRuleTarget;
  private readonly logPolicy: logs.ResourcePolicy;

  constructor(scope: Construct, id: string, props: IvsRealtimeDashboardProps = {}) {
    super(scope, id);
    this.period = props.period ?? Duration.minutes(5);
    this.alarmActions = props.alarmActions ?? [];
    this.alarmsOn = props.alarms ?? this.alarmActions.length > 0;
    if (!this.alarmsOn && this.alarmActions.length > 0) {
      throw new IvsValidationError(this, 'alarmActions need alarms: leave alarms out or set it to true, got alarms: false with alarmActions');
    }
    for (const [name, value] of [['concurrentPublishersQuota', props.concurrentPublishersQuota], ['concurrentSubscriptionsQuota', props.concurrentSubscriptionsQuota]] as const) {
      if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
        throw new IvsValidationError(this, `${name} must be a whole number of at least 1, got ${value}`);
      }
    }
    const stack = Stack.of(this);
    this.eventMetricsNamespace = props.eventMetricsNamespace ?? `IvsRealtime/${Names.uniqueResourceName(this, { maxLength: 200 })}`;

    this.dashboard = new LinearBodyDashboard(this, 'Resource', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
    });

    // Under /aws/events/, where EventBridge's console puts the log groups of rules; named here, so
    // that the rules' target ARN is known without a reference to the log group.
    const logGroupName = `/aws/events/ivs-realtime/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`;
    const logGroup = new logs.LogGroup(this, 'EventLog', {
      logGroupName,
      retention: props.eventLogRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.eventLogGroup = logGroup;
    checkovSkips(logGroup.node.defaultChild as logs.CfnLogGroup, [{
      id: 'CKV_AWS_158',
      comment: 'CloudWatch Logs encrypts the log events at rest with its own keys; the log holds IVS failure events (stage, session, '
        + 'participant IDs and error codes), never a token or a key.',
    }]);
    // A native AWS::Logs::ResourcePolicy, not the custom resource (a Lambda function allowed
    // logs:PutResourcePolicy on every resource) that the CloudWatchLogGroup rule target defines.
    this.logPolicy = new logs.ResourcePolicy(this, 'EventLogPolicy', {
      resourcePolicyName: Names.uniqueResourceName(this, { maxLength: 255, separator: '-' }),
      policyStatements: [new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        principals: [new iam.ServicePrincipal('events.amazonaws.com'), new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
        resources: [logGroup.logGroupArn],
      })],
    });
    const targetArn = stack.formatArn({ service: 'logs', resource: 'log-group', arnFormat: ArnFormat.COLON_RESOURCE_NAME, resourceName: logGroupName });
    this.logTarget = { bind: () => ({ arn: targetArn, targetResource: logGroup }) };

    for (const count of StageEventCount.all()) {
      new logs.MetricFilter(this, `${count.metricName}Filter`, {
        logGroup,
        filterPattern: count.filterPattern(),
        metricNamespace: this.eventMetricsNamespace,
        metricName: count.metricName,
        metricValue: '1',
        unit: cloudwatch.Unit.COUNT,
      });
    }

    if (this.alarmsOn) {
      // Reads the list when the dashboard body is rendered: alarms added later show too.
      this.dashboard.addWidgets(new AlarmStatusWidgets(this.alarmList));
    }
    this.addAccountWidgets(props);
    this.addEventWidgets();
    for (const stage of props.stages ?? []) {
      this.addStage(stage);
    }
    for (const issuer of props.tokenIssuers ?? []) {
      this.addTokenIssuer(issuer);
    }
    for (const composition of props.compositions ?? []) {
      this.addComposition(composition);
    }
    if (props.lifecycleHandlers ?? true) {
      this.addLifecycleHandlers();
    }
  }

  /** The alarms defined so far (none unless alarms are on). */
  public get alarms(): cloudwatch.IAlarm[] {
    return [...this.alarmList];
  }

  /**
   * Adds a stage: a row of its graphs, its failure events to the event rules and, with alarms on,
   * its packet loss and dropped frames alarms.
   */
  public addStage(stage: ivsRefs.IStageRef): void {
    const arn = ivs.CfnStage.arnForStage(stage);
    if (this.stageArns.has(arn)) {
      throw new IvsValidationError(this, `stages must be added once each, got ${stage.node.path} twice`);
    }
    if (this.stageArns.size === MAX_STAGES) {
      throw new IvsValidationError(this, `a dashboard takes at most ${MAX_STAGES} stages (CloudWatch's widget quota per dashboard), got more: define another dashboard for the others`);
    }
    this.stageArns.add(arn);
    const metrics = StageMetrics.fromStage(stage);
    const label = stageLabel(stage);
    const period = this.period;

    const packetLoss = metrics.downloadPacketLoss({ period });
    const droppedFrames = metrics.droppedFrames({ period });
    const qualityLine: cloudwatch.HorizontalAnnotation = { value: QUALITY_THRESHOLD_PERCENT, label: 'recommended alarm threshold', color: cloudwatch.Color.RED };
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `${label}: participants`,
        left: [metrics.publishers({ period, label: 'Publishers' }), metrics.subscribers({ period, label: 'Subscribers' })],
        leftAnnotations: [{ value: STAGE_PUBLISHERS_QUOTA, label: 'publishers per stage (quota)' }],
        leftYAxis: { min: 0 },
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: `${label}: bitrate`,
        left: [metrics.publishBitrate({ period, label: 'Publish' }), metrics.subscribeBitrate({ period, label: 'Subscribe' })],
        leftYAxis: { min: 0, label: 'bits/s', showUnits: false },
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: `${label}: quality`,
        left: [packetLoss.with({ label: 'Download packet loss (%)' }), droppedFrames.with({ label: 'Dropped frames (%)' })],
        leftAnnotations: [qualityLine],
        leftYAxis: { min: 0, max: 100, label: '%', showUnits: false },
        width: 8,
      }),
    );

    if (this.alarmsOn) {
      const id = `Stage${this.stageArns.size}`;
      this.alarm(`${id}PacketLoss`, packetLoss, {
        threshold: QUALITY_THRESHOLD_PERCENT,
        evaluationPeriods: QUALITY_EVALUATION_PERIODS,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        alarmDescription: `${label}: subscribers lost more than ${QUALITY_THRESHOLD_PERCENT}% of packets on average for ${QUALITY_EVALUATION_PERIODS} periods in a row`,
      });
      this.alarm(`${id}DroppedFrames`, droppedFrames, {
        threshold: QUALITY_THRESHOLD_PERCENT,
        evaluationPeriods: QUALITY_EVALUATION_PERIODS,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        alarmDescription: `${label}: subscribers dropped more than ${QUALITY_THRESHOLD_PERCENT}% of video frames on average for ${QUALITY_EVALUATION_PERIODS} periods in a row`,
      });
    }

    this.addToRules(stage);
  }

  /** Adds a token issuer's function: its errors, throttles, duration and concurrency. */
  public addTokenIssuer(issuer: ParticipantTokenIssuer): void {
    this.addFunction(`Token issuer ${pathInStack(issuer)}`, issuer.issuerFunction, { errorsAlarmThreshold: ISSUER_ERRORS_THRESHOLD });
  }

  /**
   * Adds a stage composition's composer function and its dead-letter queue, where a composition
   * that could not be started lands: with alarms on, any message there raises one.
   */
  public addComposition(composition: StageComposition): void {
    this.addFunction(`Composer ${pathInStack(composition)}`, composition.composerFunction, { deadLetterQueue: composition.deadLetterQueue });
  }

  /**
   * Adds a function: its errors, throttles, duration p99 and concurrency, and the depth of its
   * dead-letter queue; with alarms on, an alarm when it is throttled for minutes, when its
   * dead-letter queue holds a message and, with `errorsAlarmThreshold`, when it errs.
   *
   * @param title what the dashboard calls the function
   * @param fn the function
   */
  public addFunction(title: string, fn: lambda.IFunction, options: WatchedFunctionOptions = {}): void {
    this.watchFunction(title, fn.functionName, options);
  }

  /**
   * Adds the functions that deploy the stack's IVS resources (one per resource type) that are not
   * on the dashboard yet. Called by the constructor unless `lifecycleHandlers` is false; call it
   * again after defining IVS resources of a type the stack did not hold before.
   */
  public addLifecycleHandlers(): void {
    const stack = Stack.of(this);
    for (const child of stack.node.children) {
      if (child instanceof IvsHandlerProvider && !this.watchedHandlers.has(child.node.id)) {
        this.watchedHandlers.add(child.node.id);
        const type = child.node.id.replace(/HandlerProvider$/, '');
        this.watchFunction(`Lifecycle handler ${type}`, child.function.ref, {});
      }
    }
  }

  /**
   * The number of failure events of one kind among the dashboard's stages, per period (statistic
   * Sum), as the metric filter over the event log publishes it.
   */
  public metricEventCount(count: StageEventCount, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      period: this.period,
      statistic: cloudwatch.Stats.SUM,
      ...props,
      namespace: this.eventMetricsNamespace,
      metricName: count.metricName,
    });
  }

  private addAccountWidgets(props: IvsRealtimeDashboardProps): void {
    const period = this.period;
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: '# IVS Real-Time\nAccount-wide participants against their quotas, failure events of the stages on this dashboard, then a row for each stage and each function.',
        width: 24,
        height: 2,
        // Written out: newer aws-cdk-lib releases render this default, older ones leave it to CloudWatch.
        background: cloudwatch.TextWidgetBackground.TRANSPARENT,
      }),
      new cloudwatch.GraphWidget({
        title: 'Account: concurrent publishers',
        left: [StageMetrics.concurrentPublishers({ period, label: 'ConcurrentPublishers' })],
        leftAnnotations: [{ value: props.concurrentPublishersQuota ?? DEFAULT_CONCURRENT_PUBLISHERS_QUOTA, label: 'quota', color: cloudwatch.Color.RED }],
        leftYAxis: { min: 0 },
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Account: concurrent subscriptions',
        left: [StageMetrics.concurrentSubscriptions({ period, label: 'ConcurrentSubscriptions' })],
        leftAnnotations: [{ value: props.concurrentSubscriptionsQuota ?? DEFAULT_CONCURRENT_SUBSCRIPTIONS_QUOTA, label: 'quota', color: cloudwatch.Color.RED }],
        leftYAxis: { min: 0 },
        width: 12,
      }),
    );
  }

  private addEventWidgets(): void {
    const labels: Record<string, string> = {
      PublishErrors: 'Publish errors',
      RecordingFailures: 'Recording failures',
      CompositionSessionFailures: 'Composition session failures',
      CompositionDestinationFailures: 'Composition destination failures',
    };
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Failure events (all stages on this dashboard)',
        left: StageEventCount.all().map((count) => this.metricEventCount(count, { label: labels[count.metricName] })),
        leftYAxis: { min: 0 },
        stacked: true,
        width: 24,
      }),
    );
    if (this.alarmsOn) {
      this.alarm('RecordingFailures', this.metricEventCount(StageEventCount.RECORDING_FAILURES), {
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription: 'A participant recording failed to start or to end: that recording is missing or incomplete',
      });
      this.alarm('CompositionFailures', new cloudwatch.MathExpression({
        expression: 'FILL(session, 0) + FILL(destination, 0)',
        usingMetrics: {
          session: this.metricEventCount(StageEventCount.COMPOSITION_SESSION_FAILURES),
          destination: this.metricEventCount(StageEventCount.COMPOSITION_DESTINATION_FAILURES),
        },
        label: 'Composition failures',
        period: this.period,
      }), {
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription: 'A server-side composition or one of its destinations failed: its recording or broadcast stopped',
      });
    }
  }

  private watchFunction(title: string, functionName: string, options: WatchedFunctionOptions): void {
    const period = this.period;
    // Three graphs across the page, four with a dead-letter queue.
    const width = options.deadLetterQueue ? 6 : 8;
    const lambdaMetric = (metricName: string, statistic: string, metricPeriod = period) => new cloudwatch.Metric({
      namespace: 'AWS/Lambda',
      metricName,
      dimensionsMap: { FunctionName: functionName },
      statistic,
      period: metricPeriod,
    });
    const errors = lambdaMetric('Errors', cloudwatch.Stats.SUM);
    const widgets: cloudwatch.IWidget[] = [
      new cloudwatch.GraphWidget({
        title: `${title}: errors and throttles`,
        left: [errors.with({ label: 'Errors' }), lambdaMetric('Throttles', cloudwatch.Stats.SUM).with({ label: 'Throttles' })],
        leftYAxis: { min: 0 },
        width,
      }),
      new cloudwatch.GraphWidget({
        title: `${title}: duration p99`,
        left: [lambdaMetric('Duration', cloudwatch.Stats.p(99)).with({ label: 'Duration p99' })],
        leftYAxis: { min: 0, label: 'ms', showUnits: false },
        width,
      }),
      new cloudwatch.GraphWidget({
        title: `${title}: concurrency`,
        left: [lambdaMetric('ConcurrentExecutions', cloudwatch.Stats.MAXIMUM).with({ label: 'Concurrent executions' })],
        leftYAxis: { min: 0 },
        width,
      }),
    ];
    const queue = options.deadLetterQueue;
    const depth = queue && new cloudwatch.Metric({
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensionsMap: { QueueName: queue.queueName },
      statistic: cloudwatch.Stats.MAXIMUM,
      period,
    });
    if (depth) {
      widgets.push(new cloudwatch.GraphWidget({ title: `${title}: dead-letter queue`, left: [depth.with({ label: 'Messages' })], leftYAxis: { min: 0 }, width }));
    }
    this.dashboard.addWidgets(...widgets);

    if (this.alarmsOn) {
      const id = `Function${++this.functionCount}`;
      this.alarm(`${id}Throttled`, lambdaMetric('Throttles', cloudwatch.Stats.SUM, Duration.minutes(1)), {
        threshold: 1,
        evaluationPeriods: THROTTLE_MINUTES,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        alarmDescription: `${title}: throttled in each of ${THROTTLE_MINUTES} minutes in a row`,
      });
      if (options.errorsAlarmThreshold !== undefined) {
        this.alarm(`${id}Errors`, errors, {
          threshold: options.errorsAlarmThreshold,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          alarmDescription: `${title}: ${options.errorsAlarmThreshold} errors or more in ${period.toHumanString()}`,
        });
      }
      if (depth) {
        this.alarm(`${id}DeadLetters`, depth, {
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          alarmDescription: `${title}: the dead-letter queue holds a message: work that was not done`,
        });
      }
    }
  }

  private alarm(id: string, metric: cloudwatch.IMetric, props: Omit<cloudwatch.CreateAlarmOptions, 'treatMissingData'>): void {
    const alarm = new cloudwatch.Alarm(this, `${id}Alarm`, {
      metric,
      ...props,
      // No data is no participant, no event, no invocation: nothing wrong.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarmActions.forEach((action) => alarm.addAlarmAction(action));
    this.alarmList.push(alarm);
  }

  /** Puts the stage into the current rules, and begins new rules every `STAGES_PER_RULE` stages. */
  private addToRules(stage: ivsRefs.IStageRef): void {
    const stageEvents = StageEvents.fromStage(stage);
    if (!this.stageRule || this.stagesInRule === STAGES_PER_RULE) {
      const n = Math.floor((this.stageArns.size - 1) / STAGES_PER_RULE) + 1;
      const base = stageEvents.anyEventPattern();
      this.stageRule = new events.Rule(this, `StageFailureEvents${n}`, {
        description: 'cdk-ivs-realtime: publish errors and recording failures of the dashboard\'s stages, into its event log',
        eventPattern: {
          ...base,
          detailType: [StageUpdateEventName.DETAIL_TYPE, ParticipantRecordingEventName.DETAIL_TYPE],
          detail: { event_name: [...StageEventCount.PUBLISH_ERRORS.eventNames, ...StageEventCount.RECORDING_FAILURES.eventNames] },
        },
        targets: [this.logTarget],
      });
      this.compositionRule = new events.Rule(this, `CompositionFailureEvents${n}`, {
        description: 'cdk-ivs-realtime: composition failures of the dashboard\'s stages, into its event log',
        eventPattern: stageEvents.compositionStateChangePattern({
          eventNames: [CompositionEventName.SESSION_FAILURE, CompositionEventName.DESTINATION_FAILURE],
        }),
        targets: [this.logTarget],
      });
      this.stageRule.node.addDependency(this.logPolicy);
      this.compositionRule.node.addDependency(this.logPolicy);
      this.stagesInRule = 1;
      return;
    }
    this.stageRule.addEventPattern({ resources: stageEvents.anyEventPattern().resources });
    this.compositionRule!.addEventPattern({ detail: { stage_arn: stageEvents.compositionStateChangePattern().detail!.stage_arn } });
    this.stagesInRule++;
  }
}

/**
 * The state of every alarm in `alarms`, as many alarm status widgets as CloudWatch needs for them
 * (100 alarms each), one below the other, sized when the dashboard body is rendered.
 */
class AlarmStatusWidgets implements cloudwatch.IWidget {
  public readonly width = 24;
  private x?: number;
  private y?: number;

  constructor(private readonly alarms: cloudwatch.IAlarm[]) {}

  private get chunks(): cloudwatch.IAlarm[][] {
    const chunks: cloudwatch.IAlarm[][] = [];
    for (let i = 0; i < this.alarms.length; i += ALARMS_PER_STATUS_WIDGET) {
      chunks.push(this.alarms.slice(i, i + ALARMS_PER_STATUS_WIDGET));
    }
    return chunks;
  }

  public get height(): number {
    return 3 * Math.max(1, this.chunks.length);
  }

  public position(x: number, y: number): void {
    this.x = x;
    this.y = y;
  }

  public toJson(): any[] {
    const chunks = this.chunks;
    return chunks.map((alarms, i) => new cloudwatch.AlarmStatusWidget({
      title: chunks.length === 1 ? 'Alarms' : `Alarms (${i + 1} of ${chunks.length})`,
      alarms,
      width: this.width,
      height: 3,
    })).flatMap((widget, i) => {
      widget.position(this.x!, this.y! + 3 * i);
      return widget.toJson();
    });
  }
}

/** What the dashboard calls a stage: its construct path within its stack. */
function stageLabel(stage: ivsRefs.IStageRef): string {
  return `Stage ${pathInStack(stage)}`;
}

/** The construct path of `construct` below its stack. */
function pathInStack(construct: Construct): string {
  const stackPath = Stack.of(construct).node.path;
  const path = construct.node.path;
  return path.startsWith(`${stackPath}/`) ? path.slice(stackPath.length + 1) : path;
}
