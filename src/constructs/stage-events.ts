import * as events from 'aws-cdk-lib/aws-events';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import { aws_ivs as ivsRefs } from 'aws-cdk-lib/interfaces';
import { IConstruct } from 'constructs';
import { IvsValidationError } from '../private/validation';

/*
 * The stage's EventBridge events, as the IVS Real-Time User Guide ("Using Amazon EventBridge
 * with IVS Real-Time Streaming") lists them: source `aws.ivs`, on the default event bus,
 * delivered best-effort (late, out of order or not at all).
 */

/** The `source` of every IVS event. */
const IVS_SOURCE = 'aws.ivs';

/**
 * The `event_name` of an `IVS Stage Update` event.
 */
export class StageUpdateEventName {
  /** The `detail-type` of these events. */
  public static readonly DETAIL_TYPE = 'IVS Stage Update';

  /** A participant started publishing to the stage. */
  public static readonly PARTICIPANT_PUBLISHED = new StageUpdateEventName('Participant Published');

  /** A participant stopped publishing to the stage. */
  public static readonly PARTICIPANT_UNPUBLISHED = new StageUpdateEventName('Participant Unpublished');

  /** A participant failed to publish to the stage. */
  public static readonly PARTICIPANT_PUBLISH_ERROR = new StageUpdateEventName('Participant Publish Error');

  /**
   * An event name this library has no constant for. IVS also sends Stage Update events when
   * participant replication starts and ends and when a participant exchanges its token; their
   * exact English names are not confirmed, so they have no constant here.
   */
  public static of(eventName: string): StageUpdateEventName {
    return new StageUpdateEventName(eventName);
  }

  private constructor(
    /** The `detail.event_name` value. */
    public readonly eventName: string,
  ) {}
}

/**
 * The `event_name` of an `IVS Participant Recording State Change` event (individual
 * participant recording).
 */
export class ParticipantRecordingEventName {
  /** The `detail-type` of these events. */
  public static readonly DETAIL_TYPE = 'IVS Participant Recording State Change';

  /** Recording of a participant into S3 started. */
  public static readonly RECORDING_START = new ParticipantRecordingEventName('Recording Start');

  /** Recording of a participant ended; comes at least the recording reconnect window late. */
  public static readonly RECORDING_END = new ParticipantRecordingEventName('Recording End');

  /** Recording of a participant failed to start. */
  public static readonly RECORDING_START_FAILURE = new ParticipantRecordingEventName('Recording Start Failure');

  /** Recording of a participant failed to end properly. */
  public static readonly RECORDING_END_FAILURE = new ParticipantRecordingEventName('Recording End Failure');

  /** An event name this library has no constant for. */
  public static of(eventName: string): ParticipantRecordingEventName {
    return new ParticipantRecordingEventName(eventName);
  }

  private constructor(
    /** The `detail.event_name` value. */
    public readonly eventName: string,
  ) {}
}

/**
 * The `event_name` of an `IVS Composition State Change` event (server-side composition).
 */
export class CompositionEventName {
  /** The `detail-type` of these events. */
  public static readonly DETAIL_TYPE = 'IVS Composition State Change';

  /** A composition session started: it is subscribed to the stage and producing video. */
  public static readonly SESSION_START = new CompositionEventName('Session Start');

  /** A composition session ended. A composite recording is complete only after this event. */
  public static readonly SESSION_END = new CompositionEventName('Session End');

  /** A composition failed: the stage was deleted, outputs failed, or an internal error. */
  public static readonly SESSION_FAILURE = new CompositionEventName('Session Failure');

  /** Output to a destination started. */
  public static readonly DESTINATION_START = new CompositionEventName('Destination Start');

  /** Output to a destination ended. */
  public static readonly DESTINATION_END = new CompositionEventName('Destination End');

  /** Output to a destination failed. */
  public static readonly DESTINATION_FAILURE = new CompositionEventName('Destination Failure');

  /** Output to a destination was interrupted and is being reconnected. */
  public static readonly DESTINATION_RECONNECTING = new CompositionEventName('Destination Reconnecting');

  /** An event name this library has no constant for. */
  public static of(eventName: string): CompositionEventName {
    return new CompositionEventName(eventName);
  }

  private constructor(
    /** The `detail.event_name` value. */
    public readonly eventName: string,
  ) {}
}

/**
 * Which `IVS Stage Update` events to match.
 */
export interface StageUpdatePatternOptions {
  /**
   * The event names to match.
   *
   * @default - every Stage Update event of the stage
   */
  readonly eventNames?: StageUpdateEventName[];
}

/**
 * Which `IVS Participant Recording State Change` events to match.
 */
export interface ParticipantRecordingPatternOptions {
  /**
   * The event names to match.
   *
   * @default - every Participant Recording State Change event of the stage
   */
  readonly eventNames?: ParticipantRecordingEventName[];
}

/**
 * Which `IVS Composition State Change` events to match.
 */
export interface CompositionPatternOptions {
  /**
   * The event names to match.
   *
   * @default - every Composition State Change event of the stage's compositions
   */
  readonly eventNames?: CompositionEventName[];
}

/**
 * A rule for `IVS Stage Update` events.
 */
export interface StageUpdateRuleOptions extends events.OnEventOptions, StageUpdatePatternOptions {}

/**
 * A rule for `IVS Participant Recording State Change` events.
 */
export interface ParticipantRecordingRuleOptions extends events.OnEventOptions, ParticipantRecordingPatternOptions {}

/**
 * A rule for `IVS Composition State Change` events.
 */
export interface CompositionRuleOptions extends events.OnEventOptions, CompositionPatternOptions {}

/**
 * EventBridge event patterns for one stage's events, for rules and pipes of your own. Works on
 * a `Stage`, an import, or an L1 `CfnStage`.
 *
 * @example
 * import * as ivs from 'aws-cdk-lib/aws-ivs';
 *
 * declare const cfnStage: ivs.CfnStage;
 *
 * new events.Rule(this, 'RecordingEnded', {
 *   eventPattern: StageEvents.fromStage(cfnStage).participantRecordingStateChangePattern({
 *     eventNames: [ParticipantRecordingEventName.RECORDING_END],
 *   }),
 * });
 */
export class StageEvents {
  /**
   * The event patterns of `stage`.
   */
  public static fromStage(stage: ivsRefs.IStageRef): StageEvents {
    return new StageEvents(stage);
  }

  private constructor(private readonly stage: ivsRefs.IStageRef) {}

  /**
   * Every IVS event whose `resources` name the stage: Stage Update and Participant Recording
   * State Change events. Composition State Change events do not name the stage there; see
   * `compositionStateChangePattern`.
   */
  public anyEventPattern(): events.EventPattern {
    return { source: [IVS_SOURCE], resources: [this.stageArn] };
  }

  /**
   * `IVS Stage Update` events of the stage, which name the stage in `resources`.
   */
  public stageUpdatePattern(options: StageUpdatePatternOptions = {}): events.EventPattern {
    return this.pattern(StageUpdateEventName.DETAIL_TYPE, options.eventNames);
  }

  /**
   * `IVS Participant Recording State Change` events of the stage, which name the stage in
   * `resources`.
   */
  public participantRecordingStateChangePattern(options: ParticipantRecordingPatternOptions = {}): events.EventPattern {
    return this.pattern(ParticipantRecordingEventName.DETAIL_TYPE, options.eventNames);
  }

  /**
   * `IVS Composition State Change` events of compositions of the stage.
   *
   * These events name the composition in `resources` and the stage in `detail.stage_arn`, so
   * the pattern matches on `detail.stage_arn`. That payload shape comes from published sample
   * events, not from an AWS reference page.
   */
  public compositionStateChangePattern(options: CompositionPatternOptions = {}): events.EventPattern {
    return {
      source: [IVS_SOURCE],
      detailType: [CompositionEventName.DETAIL_TYPE],
      detail: {
        stage_arn: [this.stageArn],
        ...eventNameFilter(this.stage, options.eventNames),
      },
    };
  }

  private pattern(detailType: string, eventNames: Array<{ readonly eventName: string }> | undefined): events.EventPattern {
    const detail = eventNameFilter(this.stage, eventNames);
    return {
      source: [IVS_SOURCE],
      detailType: [detailType],
      resources: [this.stageArn],
      ...(detail.event_name ? { detail } : {}),
    };
  }

  private get stageArn(): string {
    return ivs.CfnStage.arnForStage(this.stage);
  }
}

/** `{event_name: [...]}` for the names given, or nothing when they are not given. */
function eventNameFilter(scope: IConstruct, eventNames: Array<{ readonly eventName: string }> | undefined): { event_name?: string[] } {
  if (eventNames === undefined) {
    return {};
  }
  if (eventNames.length === 0) {
    // An empty list would match nothing, which is never what was meant: leave it out instead.
    throw new IvsValidationError(scope, 'eventNames must hold at least one event name (leave it out to match every event), got none');
  }
  return { event_name: eventNames.map((name) => name.eventName) };
}
