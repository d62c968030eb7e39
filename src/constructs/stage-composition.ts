import * as path from 'path';
import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { aws_ivs as ivsRefs } from 'aws-cdk-lib/interfaces';
import { Construct, IConstruct } from 'constructs';
import type { ThumbnailStorage } from './stage';
import { StageEvents, StageUpdateEventName } from './stage-events';
import { StageGrants } from './stage-grants';
import { compositionSessionEndPattern } from '../private/composition-events';
import { applyNodeRuntime, chooseNodeRuntime } from '../private/lambda-runtime';
import { cfnLintIgnores, LAMBDA_FUNCTION_W3005_REASON, checkovSkips, ScannerSuppression } from '../private/scanner-suppressions';
import { IvsValidationError } from '../private/validation';
import { COMPOSER_ENV, ComposerRequest, RECORDING_COMPLETE_EVENT } from '../runtime/composer-contract';

/** The composer's bundle, which the build writes (see `.projenrc.ts`). */
const COMPOSER_CODE_DIRECTORY = path.join(__dirname, '..', '..', 'assets', 'lambda', 'runtime', 'composer');

/** StartComposition's AttributeKey and DestinationConfigurationName: up to 128 of these characters. */
const NAME_PATTERN = /^[a-zA-Z0-9-_]*$/;
const MAX_NAME_LENGTH = 128;

/** How often Lambda tries an asynchronous invocation again before it goes to the dead-letter queue. */
const ASYNC_RETRY_ATTEMPTS = 2;
/**
 * How old an event may get in Lambda's queue before it goes to the dead-letter queue. An event
 * older than its session is refused by the function anyway.
 */
const MAX_EVENT_AGE = Duration.hours(6);

/** The checkov findings on the composer's function that do not apply to it, and why. */
const COMPOSER_FUNCTION_SKIPS: ScannerSuppression[] = [
  {
    id: 'CKV_AWS_116',
    comment: "Invoked asynchronously by EventBridge; a failed invocation goes to the construct's dead-letter queue through "
      + "the function's on-failure destination, which carries the error as well as the event (a DeadLetterConfig carries the event only).",
  },
  {
    id: 'CKV_AWS_115',
    comment: 'Runs once per published participant and does nothing twice: a reserved concurrency would only take from the '
      + "account's pool. Set it on composerFunction's CfnFunction if your account needs a cap.",
  },
  {
    id: 'CKV_AWS_117',
    comment: 'Calls only the public IVS Real-Time and EventBridge endpoints and reaches no resource inside a VPC.',
  },
  {
    id: 'CKV_AWS_173',
    comment: 'The environment holds ARNs and layout settings only, no secret; Lambda encrypts it at rest with its AWS managed key.',
  },
];

/**
 * How participants are shown in a grid layout's cells (`videoAspectRatio`).
 */
export class VideoAspectRatio {
  /** Each participant's own aspect ratio. */
  public static readonly AUTO = new VideoAspectRatio('AUTO');
  /** 16:9, IVS's default. */
  public static readonly VIDEO = new VideoAspectRatio('VIDEO');
  /** 1:1. */
  public static readonly SQUARE = new VideoAspectRatio('SQUARE');
  /** 3:4. */
  public static readonly PORTRAIT = new VideoAspectRatio('PORTRAIT');

  private constructor(
    /** The API value. */
    public readonly value: string,
  ) {}
}

/**
 * How a participant's video fills its cell (`videoFillMode`).
 */
export class VideoFillMode {
  /** Stretched to the cell, ignoring the aspect ratio. */
  public static readonly FILL = new VideoFillMode('FILL');
  /** Scaled to cover the cell, cropped where it overflows. */
  public static readonly COVER = new VideoFillMode('COVER');
  /** Scaled to fit inside the cell, letterboxed. */
  public static readonly CONTAIN = new VideoFillMode('CONTAIN');

  private constructor(
    /** The API value. */
    public readonly value: string,
  ) {}
}

/**
 * Where the picture-in-picture window is (`pipPosition`).
 */
export class PipPosition {
  public static readonly TOP_LEFT = new PipPosition('TOP_LEFT');
  public static readonly TOP_RIGHT = new PipPosition('TOP_RIGHT');
  public static readonly BOTTOM_LEFT = new PipPosition('BOTTOM_LEFT');
  /** IVS's default. */
  public static readonly BOTTOM_RIGHT = new PipPosition('BOTTOM_RIGHT');

  private constructor(
    /** The API value. */
    public readonly value: string,
  ) {}
}

/**
 * What the picture-in-picture window does when no participant is featured (`pipBehavior`).
 */
export class PipBehavior {
  /** The window keeps its place, IVS's default. */
  public static readonly STATIC = new PipBehavior('STATIC');
  /** The window's participant takes the whole canvas while no participant is featured. */
  public static readonly DYNAMIC = new PipBehavior('DYNAMIC');

  private constructor(
    /** The API value. */
    public readonly value: string,
  ) {}
}

/**
 * What grid and picture-in-picture layouts share.
 */
export interface CompositionLayoutCommonOptions {
  /**
   * The participant attribute (of the participant token) whose participants are featured: shown
   * larger. Up to 128 letters, digits, `-` and `_`.
   *
   * @default - no featured participant
   */
  readonly featuredParticipantAttribute?: string;

  /**
   * The participant attribute whose values order the participants. Up to 128 letters, digits,
   * `-` and `_`.
   *
   * @default - the order participants joined
   */
  readonly participantOrderAttribute?: string;

  /**
   * Whether a participant whose video stopped is left out of the layout.
   *
   * @default false
   */
  readonly omitStoppedVideo?: boolean;

  /**
   * How a participant's video fills its cell.
   *
   * @default - IVS's default: COVER for picture-in-picture; for a grid, as the aspect ratio needs
   */
  readonly videoFillMode?: VideoFillMode;

  /**
   * The gap between cells, in pixels: 0 or more.
   *
   * @default - IVS's default: 2 for a grid, 0 for picture-in-picture
   */
  readonly gridGap?: number;
}

/**
 * A grid layout: every participant in a cell of the same size, featured ones larger.
 */
export interface GridLayoutOptions extends CompositionLayoutCommonOptions {
  /**
   * The aspect ratio of every cell.
   *
   * @default VideoAspectRatio.VIDEO
   */
  readonly videoAspectRatio?: VideoAspectRatio;
}

/**
 * A picture-in-picture layout: one participant in a small window over the others.
 */
export interface PipLayoutOptions extends CompositionLayoutCommonOptions {
  /**
   * The participant attribute whose participant is shown in the window. Up to 128 letters,
   * digits, `-` and `_`.
   *
   * @default - no participant in the window
   */
  readonly pipParticipantAttribute?: string;

  /**
   * What the window does when no participant is featured.
   *
   * @default PipBehavior.STATIC
   */
  readonly pipBehavior?: PipBehavior;

  /**
   * Where the window is.
   *
   * @default PipPosition.BOTTOM_RIGHT
   */
  readonly pipPosition?: PipPosition;

  /**
   * The window's distance from the canvas's edges, in pixels: 0 or more.
   *
   * @default 0
   */
  readonly pipOffset?: number;

  /**
   * The window's width, in pixels: 1 or more.
   *
   * @default - IVS chooses it from the canvas
   */
  readonly pipWidth?: number;

  /**
   * The window's height, in pixels: 1 or more.
   *
   * @default - IVS chooses it from the canvas
   */
  readonly pipHeight?: number;
}

/**
 * How a composition arranges the participants: a grid or picture-in-picture.
 */
export abstract class CompositionLayout {
  /**
   * A grid layout.
   */
  public static grid(options: GridLayoutOptions = {}): CompositionLayout {
    return new RenderedLayout('grid', {
      ...commonLayout(options),
      videoAspectRatio: options.videoAspectRatio?.value,
    });
  }

  /**
   * A picture-in-picture layout.
   */
  public static pip(options: PipLayoutOptions = {}): CompositionLayout {
    return new RenderedLayout('pip', {
      ...commonLayout(options),
      pipParticipantAttribute: options.pipParticipantAttribute,
      pipBehavior: options.pipBehavior?.value,
      pipPosition: options.pipPosition?.value,
      pipOffset: options.pipOffset,
      pipWidth: options.pipWidth,
      pipHeight: options.pipHeight,
    });
  }

  /**
   * The layout as StartComposition's `layout`, checked against the API's limits.
   *
   * @param scope the construct that errors name
   */
  public abstract bind(scope: IConstruct): CompositionLayoutConfig;
}

/**
 * A layout as StartComposition takes it.
 */
export interface CompositionLayoutConfig {
  /**
   * The `grid` member, or none for picture-in-picture.
   *
   * @default - not a grid
   */
  readonly grid?: { [key: string]: any };

  /**
   * The `pip` member, or none for a grid.
   *
   * @default - not picture-in-picture
   */
  readonly pip?: { [key: string]: any };
}

class RenderedLayout extends CompositionLayout {
  constructor(private readonly kind: 'grid' | 'pip', private readonly settings: Record<string, unknown>) {
    super();
  }

  public bind(scope: IConstruct): CompositionLayoutConfig {
    const prefix = `layout (${this.kind})`;
    for (const attribute of ['featuredParticipantAttribute', 'participantOrderAttribute', 'pipParticipantAttribute']) {
      validateName(scope, `${prefix} ${attribute}`, this.settings[attribute] as string | undefined);
    }
    validateWholeNumber(scope, `${prefix} gridGap`, this.settings.gridGap as number | undefined, 0);
    validateWholeNumber(scope, `${prefix} pipOffset`, this.settings.pipOffset as number | undefined, 0);
    validateWholeNumber(scope, `${prefix} pipWidth`, this.settings.pipWidth as number | undefined, 1);
    validateWholeNumber(scope, `${prefix} pipHeight`, this.settings.pipHeight as number | undefined, 1);
    const defined = Object.fromEntries(Object.entries(this.settings).filter(([, value]) => value !== undefined));
    return { [this.kind]: defined };
  }
}

function commonLayout(options: CompositionLayoutCommonOptions): Record<string, unknown> {
  return {
    featuredParticipantAttribute: options.featuredParticipantAttribute,
    participantOrderAttribute: options.participantOrderAttribute,
    omitStoppedVideo: options.omitStoppedVideo,
    videoFillMode: options.videoFillMode?.value,
    gridGap: options.gridGap,
  };
}

/**
 * The thumbnails a composition writes next to its recording.
 */
export interface CompositionThumbnailOptions {
  /**
   * How often a thumbnail is taken: whole seconds from 1 second to 1 day.
   *
   * @default Duration.seconds(60)
   */
  readonly interval?: Duration;

  /**
   * Which thumbnails are kept: one or both of SEQUENTIAL and LATEST.
   *
   * @default [ThumbnailStorage.SEQUENTIAL]
   */
  readonly storage?: ThumbnailStorage[];
}

/**
 * A composition's recording into S3.
 */
export interface S3CompositionDestinationOptions {
  /**
   * The storage configuration (its bucket) the recording is written to: a `StorageConfiguration`,
   * an import, or an L1 `CfnStorageConfiguration`, of the stage's account and region.
   */
  readonly storageConfiguration: ivsRefs.IStorageConfigurationRef;

  /**
   * The video settings of the recording.
   */
  readonly encoderConfiguration: ivsRefs.IEncoderConfigurationRef;

  /**
   * The target duration of the recording's HLS segments: whole seconds from 2 to 10.
   *
   * @default Duration.seconds(2)
   */
  readonly hlsTargetSegmentDuration?: Duration;

  /**
   * Thumbnails of the composed video.
   *
   * @default - IVS's default: a thumbnail every 60 seconds, kept in sequence
   */
  readonly thumbnails?: CompositionThumbnailOptions;

  /**
   * The destination's name: up to 128 letters, digits, `-` and `_`.
   *
   * @default - no name
   */
  readonly destinationName?: string;
}

/**
 * A composition's broadcast to an IVS low-latency channel.
 */
export interface ChannelCompositionDestinationOptions {
  /**
   * The channel: an `aws-ivs-alpha` `Channel`, an L1 `CfnChannel` or an import, of the stage's
   * account and region. It must be offline when the composition starts.
   */
  readonly channel: ivsRefs.IChannelRef;

  /**
   * The video settings of the broadcast. A composition with only a channel destination needs one:
   * IAM checks StartComposition against an encoder configuration.
   *
   * @default - IVS's default video settings (only with an S3 destination as well)
   */
  readonly encoderConfiguration?: ivsRefs.IEncoderConfigurationRef;

  /**
   * The destination's name: up to 128 letters, digits, `-` and `_`.
   *
   * @default - no name
   */
  readonly destinationName?: string;
}

/**
 * Where a composition goes: S3 (a recording) or an IVS low-latency channel (a broadcast).
 */
export abstract class CompositionDestination {
  /**
   * Records the composition into S3.
   */
  public static s3(options: S3CompositionDestinationOptions): CompositionDestination {
    return new S3Destination(options);
  }

  /**
   * Broadcasts the composition to an IVS low-latency channel.
   */
  public static channel(options: ChannelCompositionDestinationOptions): CompositionDestination {
    return new ChannelDestination(options);
  }

  /**
   * The destination as StartComposition takes it, checked against the API's limits.
   *
   * @param scope the construct that errors name
   */
  public abstract bind(scope: IConstruct): CompositionDestinationConfig;
}

/**
 * A destination as StartComposition takes it, and the resources it uses.
 */
export interface CompositionDestinationConfig {
  /** `s3` or `channel`. */
  readonly kind: string;

  /** The `DestinationConfiguration`. */
  readonly configuration: { [key: string]: any };

  /**
   * The encoder configuration the destination uses.
   *
   * @default - none
   */
  readonly encoderConfiguration?: ivsRefs.IEncoderConfigurationRef;

  /**
   * The storage configuration the destination writes to.
   *
   * @default - none
   */
  readonly storageConfiguration?: ivsRefs.IStorageConfigurationRef;

  /**
   * The channel the destination broadcasts to.
   *
   * @default - none
   */
  readonly channel?: ivsRefs.IChannelRef;
}

class S3Destination extends CompositionDestination {
  constructor(private readonly options: S3CompositionDestinationOptions) {
    super();
  }

  public bind(scope: IConstruct): CompositionDestinationConfig {
    const { options } = this;
    validateName(scope, 's3 destinationName', options.destinationName);
    const segment = wholeSecondsIn(scope, 's3 hlsTargetSegmentDuration', options.hlsTargetSegmentDuration, 2, 10);
    const interval = wholeSecondsIn(scope, 's3 thumbnails.interval', options.thumbnails?.interval, 1, 86_400);
    const storage = options.thumbnails?.storage?.map((s) => String(s));
    if (storage !== undefined && (storage.length === 0 || storage.length > 2 || new Set(storage).size !== storage.length)) {
      throw new IvsValidationError(scope,
        `s3 thumbnails.storage must hold one or both of SEQUENTIAL and LATEST, each once, got [${storage.join(', ')}]`);
    }
    const thumbnail = options.thumbnails
      ? { ...(interval !== undefined ? { targetIntervalSeconds: interval } : {}), ...(storage ? { storage } : {}) }
      : undefined;
    return {
      kind: 's3',
      configuration: {
        ...(options.destinationName ? { name: options.destinationName } : {}),
        s3: {
          storageConfigurationArn: ivs.CfnStorageConfiguration.arnForStorageConfiguration(options.storageConfiguration),
          encoderConfigurationArns: [ivs.CfnEncoderConfiguration.arnForEncoderConfiguration(options.encoderConfiguration)],
          ...(segment !== undefined ? { recordingConfiguration: { format: 'HLS', hlsConfiguration: { targetSegmentDurationSeconds: segment } } } : {}),
          ...(thumbnail ? { thumbnailConfigurations: [thumbnail] } : {}),
        },
      },
      encoderConfiguration: options.encoderConfiguration,
      storageConfiguration: options.storageConfiguration,
    };
  }
}

class ChannelDestination extends CompositionDestination {
  constructor(private readonly options: ChannelCompositionDestinationOptions) {
    super();
  }

  public bind(scope: IConstruct): CompositionDestinationConfig {
    const { options } = this;
    validateName(scope, 'channel destinationName', options.destinationName);
    return {
      kind: 'channel',
      configuration: {
        ...(options.destinationName ? { name: options.destinationName } : {}),
        channel: {
          channelArn: ivs.CfnChannel.arnForChannel(options.channel),
          ...(options.encoderConfiguration
            ? { encoderConfigurationArn: ivs.CfnEncoderConfiguration.arnForEncoderConfiguration(options.encoderConfiguration) }
            : {}),
        },
      },
      encoderConfiguration: options.encoderConfiguration,
      channel: options.channel,
    };
  }
}

/**
 * What a stage's composition is made of; the stage itself comes from `Stage.addComposition`.
 */
export interface StageCompositionOptions {
  /**
   * Where the composition goes: one or two destinations, at most one S3 and one channel.
   */
  readonly destinations: CompositionDestination[];

  /**
   * How the participants are arranged.
   *
   * @default CompositionLayout.grid()
   */
  readonly layout?: CompositionLayout;

  /**
   * The log group the function writes to. It logs each event's outcome with the stage, session and
   * composition IDs, never a token or a secret.
   *
   * @default - a log group of its own that keeps events for one year and is deleted with the stack
   */
  readonly logGroup?: logs.ILogGroup;

  /**
   * The Lambda runtime of the composer function: a Node.js runtime of `nodejs22.x` or later (the bundles are
   * built for Node.js 22). Pin one to decide yourself when the composer moves to a newer runtime;
   * cdk-nag's AwsSolutions-L1 then reports a pinned runtime that is not the newest aws-cdk-lib knows.
   *
   * @default - the newest Node.js runtime that your aws-cdk-lib lists as available in the stack's
   * region (`lambda.determineLatestNodeRuntime()`), as for the library's other functions
   */
  readonly runtime?: lambda.Runtime;
}

/**
 * Properties of a `StageComposition`.
 */
export interface StageCompositionProps extends StageCompositionOptions {
  /**
   * The stage to compose: a `Stage`, an import, or an L1 `CfnStage`.
   */
  readonly stage: ivsRefs.IStageRef;
}

/**
 * Options of `StageComposition.alarmOnFailures`.
 */
export interface CompositionFailureAlarmOptions {
  /**
   * The alarm's name.
   *
   * @default - a name CloudFormation generates
   */
  readonly alarmName?: string;

  /**
   * The alarm's description.
   *
   * @default - says that compositions could not be started and where to look
   */
  readonly alarmDescription?: string;
}

/**
 * Composes a stage: one server-side composition per stage session, recorded into S3 and/or
 * broadcast to an IVS low-latency channel, started when a participant publishes.
 *
 * It deploys an EventBridge rule on the stage's `Participant Published` events and one function,
 * shipped pre-bundled with the library, that starts the composition: once per stage session,
 * whatever EventBridge delivers (duplicated, late or out-of-order events), using an idempotency
 * token derived from the session, and not at all for a session that is no longer the stage's
 * active one. What cannot be started (a quota reached, a channel already live, access denied)
 * goes, with the event and the error, to a dead-letter queue the construct owns; `metricFailures`
 * and `alarmOnFailures` watch it.
 *
 * A composition bills per minute while it runs. Quotas: 5 compositions per stage, 20 per account
 * and region, 24 hours each at most.
 *
 * @example
 * declare const stage: Stage;
 * declare const storageConfiguration: StorageConfiguration;
 *
 * const encoder = new EncoderConfiguration(this, 'Hd', { video: EncoderVideo.HD_720 });
 * new StageComposition(this, 'Recording', {
 *   stage,
 *   destinations: [CompositionDestination.s3({ storageConfiguration, encoderConfiguration: encoder })],
 * });
 */
export class StageComposition extends Construct {
  /**
   * The function that starts the compositions.
   */
  public readonly composerFunction: lambda.IFunction;

  /**
   * Where what could not be started goes: each message holds the event and the error.
   */
  public readonly deadLetterQueue: sqs.IQueue;

  /**
   * The rule on the stage's `Participant Published` events.
   */
  public readonly rule: events.IRule;

  private readonly queue: sqs.Queue;
  private readonly records: boolean;

  constructor(scope: Construct, id: string, props: StageCompositionProps) {
    super(scope, id);

    const bound = bindDestinations(this, props.destinations);
    checkEnvironments(this, props.stage, bound);
    const layout = (props.layout ?? CompositionLayout.grid()).bind(this);
    const encoders = uniqueEncoders(bound);
    if (encoders.length === 0) {
      throw new IvsValidationError(this,
        'destinations must name at least one encoder configuration (IAM checks StartComposition against one): '
        + 'give the channel destination an encoderConfiguration, or add an S3 destination, got a channel without one');
    }

    const request: ComposerRequest = { layout: { ...layout }, destinations: bound.map((b) => b.configuration) };
    const stageArn = ivs.CfnStage.arnForStage(props.stage);
    const storageConfiguration = bound.find((b) => b.storageConfiguration)?.storageConfiguration;
    this.records = storageConfiguration !== undefined;
    const recordingBucket = storageConfiguration ? bucketNameOf(storageConfiguration) : undefined;

    this.queue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.deadLetterQueue = this.queue;

    // A role of its own rather than the default one, whose managed policy could write any log group.
    const role = new iam.Role(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `cdk-ivs-realtime: stage composer ${this.node.path}`,
    });
    const logGroup = props.logGroup ?? new logs.LogGroup(this, 'LogGroup', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    logGroup.grantWrite(role);

    const runtime = chooseNodeRuntime(this, 'runtime', props.runtime);
    const fn = new lambda.Function(this, 'Function', {
      description: 'cdk-ivs-realtime: starts one composition per stage session',
      code: lambda.Code.fromAsset(COMPOSER_CODE_DIRECTORY),
      handler: 'index.handler',
      runtime: runtime.runtime,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(30),
      role,
      logGroup,
      environment: {
        [COMPOSER_ENV.STAGE_ARN]: stageArn,
        [COMPOSER_ENV.REQUEST]: Stack.of(this).toJsonString(request),
        [COMPOSER_ENV.COMPOSITION_KEY]: this.node.addr,
        ...(recordingBucket ? { [COMPOSER_ENV.RECORDING_BUCKET]: recordingBucket } : {}),
      },
      // An invocation that fails after its retries goes to the queue with the error (its on-failure
      // destination's record holds the request and the response, errorType and errorMessage).
      retryAttempts: ASYNC_RETRY_ATTEMPTS,
      maxEventAge: MAX_EVENT_AGE,
      onFailure: new destinations.SqsDestination(this.queue),
    });
    this.composerFunction = fn;
    applyNodeRuntime(fn.node.defaultChild as lambda.CfnFunction, runtime);

    const grants = StageGrants.fromStage(props.stage);
    grants.startComposition(role, { encoderConfigurations: encoders, storageConfiguration, channel: bound.find((b) => b.channel)?.channel });
    grants.actions(role, ['ivs:GetStage']);
    // The tags that say, when the composition ends, which session it was for (StartComposition's tags need TagResource).
    grants.actions(role, ['ivs:TagResource'], { resourceArns: [compositionArns(props.stage)] });

    // An event EventBridge cannot hand to Lambda goes to the same queue.
    const target = new targets.LambdaFunction(fn, { deadLetterQueue: this.queue, retryAttempts: 8, maxEventAge: Duration.hours(2) });
    this.rule = new events.Rule(this, 'ParticipantPublished', {
      description: 'cdk-ivs-realtime: starts the stage composition when a participant publishes',
      eventPattern: StageEvents.fromStage(props.stage).stageUpdatePattern({ eventNames: [StageUpdateEventName.PARTICIPANT_PUBLISHED] }),
      targets: [target],
    });

    if (storageConfiguration) {
      // The recording is complete when the composition's session ends: the function announces it.
      new events.Rule(this, 'CompositionSessionEnd', {
        description: 'cdk-ivs-realtime: announces the composite recording when its composition ends',
        eventPattern: compositionSessionEndPattern(props.stage),
        targets: [target],
      });
      iam.Grant.addToPrincipal({
        grantee: role,
        actions: ['events:PutEvents'],
        resourceArns: [Stack.of(this).formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' })],
      });
      if (!recordingBucket) {
        iam.Grant.addToPrincipal({
          grantee: role,
          actions: ['ivs:GetStorageConfiguration'],
          resourceArns: [ivs.CfnStorageConfiguration.arnForStorageConfiguration(storageConfiguration)],
        });
      }
    }

    checkovSkips(this.queue.node.defaultChild as sqs.CfnQueue, [{
      id: 'CKV_AWS_27',
      comment: 'Encrypted at rest with SQS-managed keys (SqsManagedSseEnabled); checkov counts only a KMS key. The AWS managed '
        + 'key alias/aws/sqs would not do: EventBridge cannot send a dead letter to a queue encrypted with it.',
    }]);

    // cdk-nag: what does not apply, and why.
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "this queue is the composer's dead-letter queue (its function's on-failure destination and its rule target's "
        + 'dead-letter queue); a dead-letter queue needs none of its own',
    });
    const nagPart = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<${pseudo}>` : value);
    role.node.findChild('DefaultPolicy').node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, {
      [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ivs:${nagPart(props.stage.env.region, 'AWS::Region')}:`
        + `${nagPart(props.stage.env.account, 'AWS::AccountId')}:composition/*]`]:
        'IVS assigns a composition its ID when it starts it, so no composition ARN can be named before; the statement allows only '
        + "tagging the compositions the function starts (with their session) and reading and stopping them, in the stage's account and region",
    });

    const cfnFunction = fn.node.defaultChild as lambda.CfnFunction;
    checkovSkips(cfnFunction, COMPOSER_FUNCTION_SKIPS);
    cfnLintIgnores(cfnFunction, {
      W3005: LAMBDA_FUNCTION_W3005_REASON,
    });
    if (!props.logGroup) {
      checkovSkips(logGroup.node.defaultChild as logs.CfnLogGroup, [{
        id: 'CKV_AWS_158',
        comment: 'CloudWatch Logs encrypts the log events at rest with its own keys; the composer logs stage, session and '
          + 'composition IDs, never a token or a secret. Pass logGroup with an encryptionKey to use a CMK.',
      }]);
    }
  }

  /**
   * The number of events whose composition could not be started, waiting in the dead-letter
   * queue (`ApproximateNumberOfMessagesVisible`).
   *
   * @default - statistic Maximum, period 1 minute
   */
  public metricFailures(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.queue.metricApproximateNumberOfMessagesVisible({
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(1),
      ...props,
    });
  }

  /**
   * An alarm that goes off as soon as one composition could not be started: `metricFailures` at
   * 1 or more for one minute; no data (an empty queue) is not a failure.
   */
  public alarmOnFailures(id: string, options: CompositionFailureAlarmOptions = {}): cloudwatch.Alarm {
    return new cloudwatch.Alarm(this, id, {
      metric: this.metricFailures(),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmName: options.alarmName,
      alarmDescription: options.alarmDescription
        ?? `A composition of ${this.node.path} could not be started: its dead-letter queue holds the event and the error.`,
    });
  }

  /**
   * Defines an EventBridge rule for the moment a composite recording of this composition is
   * complete: its composition's session ended. The event, which the composer puts on the default
   * bus, has source `cdk-ivs-realtime`, detail-type `IVS Composite Recording Complete`, and a
   * `detail` with `stageArn`, `sessionId`, `compositionArn`, `bucket` and `recordingPrefix` (the
   * recording is under `s3://<bucket>/<recordingPrefix>/composite/`).
   *
   * Needs an S3 destination.
   */
  public onRecordingComplete(id: string, options: events.OnEventOptions = {}): events.Rule {
    if (!this.records) {
      throw new IvsValidationError(this, 'onRecordingComplete needs an S3 destination (CompositionDestination.s3), got a channel destination only');
    }
    const rule = new events.Rule(this, id, {
      description: options.description,
      ruleName: options.ruleName,
      crossStackScope: options.crossStackScope,
      eventPattern: options.eventPattern,
    });
    rule.addEventPattern(this.recordingCompletePattern());
    if (options.target) {
      rule.addTarget(options.target);
    }
    return rule;
  }

  /**
   * The EventBridge pattern of this composition's recording-complete events, for rules and pipes
   * of your own (see `onRecordingComplete`).
   */
  public recordingCompletePattern(): events.EventPattern {
    // The composition key names this construct, and so its stage: a stage filter would add nothing.
    return {
      source: [RECORDING_COMPLETE_EVENT.SOURCE],
      detailType: [RECORDING_COMPLETE_EVENT.DETAIL_TYPE],
      detail: { compositionKey: [this.node.addr] },
    };
  }

  /**
   * Grants reading and deleting the dead-letter queue's messages, to look into failures and
   * replay them.
   */
  public grantConsumeFailures(grantee: iam.IGrantable): iam.Grant {
    return this.queue.grantConsumeMessages(grantee);
  }
}

/** The ARNs of the compositions of the stage's account and region (IVS assigns their IDs). */
function compositionArns(stage: ivsRefs.IStageRef): string {
  return Stack.of(stage).formatArn({ service: 'ivs', resource: 'composition', resourceName: '*', region: stage.env.region, account: stage.env.account });
}

/** The bucket of a storage configuration, where the construct can know it: an L2 or an L1 in the app. */
function bucketNameOf(storageConfiguration: ivsRefs.IStorageConfigurationRef): string | undefined {
  const withBucket = storageConfiguration as { readonly bucket?: { readonly bucketName?: unknown } };
  if (typeof withBucket.bucket?.bucketName === 'string') {
    return withBucket.bucket.bucketName;
  }
  if (storageConfiguration instanceof ivs.CfnStorageConfiguration) {
    const s3 = storageConfiguration.s3 as ivs.CfnStorageConfiguration.S3StorageConfigurationProperty;
    return typeof s3?.bucketName === 'string' ? s3.bucketName : undefined;
  }
  return undefined;
}

/** Each destination bound, after the checks of the destination list itself. */
function bindDestinations(scope: IConstruct, list: CompositionDestination[]): CompositionDestinationConfig[] {
  if (list.length < 1 || list.length > 2) {
    throw new IvsValidationError(scope, `destinations must hold 1 or 2 destinations (at most one S3 and one channel), got ${list.length}`);
  }
  const bound = list.map((destination) => destination.bind(scope));
  for (const kind of ['s3', 'channel']) {
    const count = bound.filter((b) => b.kind === kind).length;
    if (count > 1) {
      throw new IvsValidationError(scope, `destinations must hold at most one ${kind === 's3' ? 'S3' : 'channel'} destination, got ${count}`);
    }
  }
  return bound;
}

/** The encoder configurations the destinations use, each once. */
function uniqueEncoders(bound: CompositionDestinationConfig[]): ivsRefs.IEncoderConfigurationRef[] {
  const encoders = bound.flatMap((b) => (b.encoderConfiguration ? [b.encoderConfiguration] : []));
  return encoders.filter((encoder, i) => encoders.indexOf(encoder) === i);
}

/**
 * A composition writes only to a channel and a storage configuration of the stage's own account
 * and region (the encoder configurations too); checked where both are known.
 */
function checkEnvironments(scope: IConstruct, stage: ivsRefs.IStageRef, bound: CompositionDestinationConfig[]): void {
  const resources: Array<[string, { readonly env: { readonly account: string; readonly region: string } }]> = bound.flatMap((b) => [
    ...(b.storageConfiguration ? [['s3 storageConfiguration', b.storageConfiguration] as [string, ivsRefs.IStorageConfigurationRef]] : []),
    ...(b.channel ? [['channel', b.channel] as [string, ivsRefs.IChannelRef]] : []),
    ...(b.encoderConfiguration ? [[`${b.kind} encoderConfiguration`, b.encoderConfiguration] as [string, ivsRefs.IEncoderConfigurationRef]] : []),
  ]);
  for (const [prop, resource] of resources) {
    for (const what of ['account', 'region'] as const) {
      const expected = stage.env[what];
      const actual = resource.env[what];
      if (!Token.isUnresolved(expected) && !Token.isUnresolved(actual) && expected !== actual) {
        throw new IvsValidationError(scope,
          `${prop} must be in the stage's ${what} ${expected} (a composition reaches no other ${what}), got one in ${actual}`);
      }
    }
  }
}

function validateName(scope: IConstruct, prop: string, value: string | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (value.length > MAX_NAME_LENGTH || !NAME_PATTERN.test(value)) {
    throw new IvsValidationError(scope,
      `${prop} must be up to ${MAX_NAME_LENGTH} letters, digits, '-' and '_', got ${JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value)}`);
  }
}

function validateWholeNumber(scope: IConstruct, prop: string, value: number | undefined, min: number): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < min) {
    throw new IvsValidationError(scope, `${prop} must be a whole number of pixels, ${min} or more, got ${value}`);
  }
}

/** Whole seconds of `duration` within [min, max]; undefined while it is not given or a token. */
function wholeSecondsIn(scope: IConstruct, prop: string, duration: Duration | undefined, min: number, max: number): number | undefined {
  if (duration === undefined || duration.isUnresolved()) {
    return undefined;
  }
  const seconds = duration.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
    throw new IvsValidationError(scope, `${prop} must be whole seconds from ${min} to ${max}, got ${seconds} seconds`);
  }
  return seconds;
}
