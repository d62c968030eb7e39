import {
  Annotations,
  Duration,
  IResource,
  ITaggable,
  RemovalPolicy,
  Resource,
  TagManager,
  Tokenization,
} from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import { aws_ivs as ivsRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { StageComposition, StageCompositionOptions } from './stage-composition';
import {
  CompositionRuleOptions,
  ParticipantRecordingRuleOptions,
  StageEvents,
  StageUpdateEventName,
  StageUpdateRuleOptions,
} from './stage-events';
import { StageGrants } from './stage-grants';
import { StageMetrics } from './stage-metrics';
import { IvsHandlerProvider } from '../custom-resources/ivs-handler-provider';
import {
  STAGE_HANDLER_ACTIONS,
  STAGE_RESOURCE_TYPE,
  StageRecordingProperties,
  StageResourceProperties,
  StageResponseData,
  StageThumbnailProperties,
} from '../custom-resources/stage-contract';
import { checkSameEnvironment, stackEnvironment } from '../private/environment';
import { parseIvsArn } from '../private/ivs-arn';
import { IvsCustomResource, ivsAdoption, ivsTagManager } from '../private/ivs-resource';
import { IvsValidationError, validateEnumValues, validateSeconds } from '../private/validation';

/**
 * An IVS Real-Time stage: the room that participants join.
 */
export interface IStage extends IResource, ivsRefs.IStageRef {
  /**
   * The stage's ARN.
   *
   * @attribute
   */
  readonly stageArn: string;

  /**
   * The stage's ID, the last part of its ARN.
   *
   * @attribute
   */
  readonly stageId: string;

  /**
   * The WHIP endpoint that WHIP-capable encoders publish to.
   *
   * @attribute
   */
  readonly whipEndpoint: string;

  /**
   * The RTMP endpoint that an ingest configuration with the RTMP protocol publishes to.
   *
   * @attribute
   */
  readonly rtmpEndpoint: string;

  /**
   * The RTMPS endpoint that an ingest configuration with the RTMPS protocol publishes to.
   *
   * @attribute
   */
  readonly rtmpsEndpoint: string;

  /**
   * The endpoint that the IVS broadcast SDKs connect to for stage events.
   *
   * @attribute
   */
  readonly eventsEndpoint: string;

  /**
   * The IAM grants on this stage: tokens, reads, compositions, replication.
   */
  readonly grants: StageGrants;

  /**
   * Grants `actions` on this stage to `grantee`. Same as `grants.actions()`.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants reading the stage, its sessions and its participants: `ivs:GetStage`,
   * `ivs:GetStageSession`, `ivs:ListStageSessions`, `ivs:ListParticipants`,
   * `ivs:GetParticipant` and `ivs:ListParticipantEvents`. Same as `grants.read()`.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grants minting participant tokens for the stage: `ivs:CreateParticipantToken`. Same as
   * `grants.createParticipantToken()`.
   *
   * This is what an application backend needs to let users join.
   */
  grantCreateParticipantToken(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grants removing participants from the stage: `ivs:DisconnectParticipant`. Same as
   * `grants.disconnectParticipant()`.
   */
  grantDisconnectParticipant(grantee: iam.IGrantable): iam.Grant;

  /**
   * Composes this stage: one server-side composition per stage session, started when a
   * participant publishes, recorded into S3 and/or broadcast to a low-latency channel. Same as
   * `new StageComposition(this, id, { stage: this, ...options })`.
   */
  addComposition(id: string, options: StageCompositionOptions): StageComposition;

  /**
   * Defines an EventBridge rule on the default bus for every IVS event whose `resources` name
   * this stage: `IVS Stage Update` and `IVS Participant Recording State Change`.
   *
   * `IVS Composition State Change` events name the stage in `detail.stage_arn`, not in
   * `resources`: use `onCompositionStateChange` for them.
   */
  onEvent(id: string, options?: events.OnEventOptions): events.Rule;

  /**
   * Defines an EventBridge rule for this stage's `IVS Stage Update` events: participants
   * publishing, unpublishing and failing to publish.
   */
  onStageUpdate(id: string, options?: StageUpdateRuleOptions): events.Rule;

  /**
   * Defines an EventBridge rule for `Participant Published` events of this stage.
   */
  onParticipantPublished(id: string, options?: events.OnEventOptions): events.Rule;

  /**
   * Defines an EventBridge rule for `Participant Unpublished` events of this stage.
   */
  onParticipantUnpublished(id: string, options?: events.OnEventOptions): events.Rule;

  /**
   * Defines an EventBridge rule for `Participant Publish Error` events of this stage.
   */
  onParticipantPublishError(id: string, options?: events.OnEventOptions): events.Rule;

  /**
   * Defines an EventBridge rule for this stage's `IVS Participant Recording State Change`
   * events: individual participant recordings starting, ending and failing.
   */
  onParticipantRecordingStateChange(id: string, options?: ParticipantRecordingRuleOptions): events.Rule;

  /**
   * Defines an EventBridge rule for `IVS Composition State Change` events of compositions of
   * this stage: sessions and destinations starting, ending, failing and reconnecting.
   */
  onCompositionStateChange(id: string, options?: CompositionRuleOptions): events.Rule;

  /**
   * A CloudWatch metric of this stage, in namespace `AWS/IVSRealTime` with the `Stage`
   * dimension set to the stage ID. Further dimensions (`Participant`, `MediaType`, ...) can be
   * given in `props.dimensionsMap`.
   *
   * @param metricName e.g. `PublishResolution`
   * @param props the statistic must be Average, Maximum or Minimum, the only ones IVS supports
   * @default - statistic Average, period 5 minutes
   */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The number of participants publishing to the stage (`Publishers`).
   *
   * @default - statistic Maximum, period 5 minutes
   */
  metricPublishers(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The number of participants subscribing to the stage (`Subscribers`); a participant who
   * publishes and subscribes counts here too.
   *
   * @default - statistic Maximum, period 5 minutes
   */
  metricSubscribers(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The bitrate that participants publish at, in bits per second (`PublishBitrate`).
   *
   * @default - statistic Average, period 5 minutes
   */
  metricPublishBitrate(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The bitrate that participants receive at, in bits per second (`SubscribeBitrate`).
   *
   * @default - statistic Average, period 5 minutes
   */
  metricSubscribeBitrate(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The share of packets lost on the way to subscribers, in percent (`DownloadPacketLoss`).
   *
   * @default - statistic Average, period 5 minutes
   */
  metricDownloadPacketLoss(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /**
   * The share of video frames that subscribers dropped, in percent (`DroppedFrames`).
   *
   * @default - statistic Average, period 5 minutes
   */
  metricDroppedFrames(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/**
 * The media that individual participant recording writes.
 */
export enum RecordingMediaType {
  /** Audio and video. */
  AUDIO_VIDEO = 'AUDIO_VIDEO',
  /** Audio only. */
  AUDIO_ONLY = 'AUDIO_ONLY',
  /** Neither audio nor video: only thumbnails, when thumbnails are enabled. */
  NONE = 'NONE',
}

/**
 * Whether participant recording captures thumbnails.
 */
export enum ThumbnailRecordingMode {
  /** Capture a thumbnail every `targetInterval`. */
  INTERVAL = 'INTERVAL',
  /** Capture no thumbnails. */
  DISABLED = 'DISABLED',
}

/**
 * How participant thumbnails are stored.
 */
export enum ThumbnailStorage {
  /** Every thumbnail, in order. */
  SEQUENTIAL = 'SEQUENTIAL',
  /** Only the latest thumbnail, overwritten at each interval. */
  LATEST = 'LATEST',
}

/**
 * Thumbnails taken while a participant is recorded.
 */
export interface ParticipantThumbnailOptions {
  /**
   * Whether to capture thumbnails.
   *
   * @default ThumbnailRecordingMode.DISABLED
   */
  readonly recordingMode?: ThumbnailRecordingMode;

  /**
   * How thumbnails are stored; both kinds may be given. It takes effect only with
   * `ThumbnailRecordingMode.INTERVAL`: with thumbnails disabled, IVS accepts it and takes no
   * thumbnails, so the construct warns (`cdk-ivs-realtime:thumbnail-storage-unused`) and leaves it out.
   *
   * @default [ThumbnailStorage.SEQUENTIAL] with INTERVAL mode
   */
  readonly storage?: ThumbnailStorage[];

  /**
   * The time between thumbnails, a whole number of seconds from 1 to 86400. Only with
   * `ThumbnailRecordingMode.INTERVAL`.
   *
   * @default Duration.seconds(60) with INTERVAL mode
   */
  readonly targetInterval?: Duration;
}

/**
 * Recording of every participant who publishes to the stage, into S3.
 */
export interface AutoParticipantRecordingOptions {
  /**
   * The storage configuration whose S3 bucket receives the recordings: a `StorageConfiguration`,
   * an import, or an L1 `CfnStorageConfiguration`; only its ARN is used.
   */
  readonly storageConfiguration: ivsRefs.IStorageConfigurationRef;

  /**
   * The media to record. The service takes at most one value.
   *
   * @default [RecordingMediaType.AUDIO_VIDEO]
   */
  readonly mediaTypes?: RecordingMediaType[];

  /**
   * Thumbnail capture.
   *
   * @default - no thumbnails
   */
  readonly thumbnails?: ParticipantThumbnailOptions;

  /**
   * How long a participant may be disconnected and still continue the same recording when they
   * reconnect, a whole number of seconds from 0 to 300. Zero starts a new recording on every
   * reconnect.
   *
   * @default Duration.seconds(0)
   */
  readonly recordingReconnectWindow?: Duration;

  /**
   * The target duration of each HLS segment of a recording, a whole number of seconds from 2 to 10.
   *
   * @default Duration.seconds(6)
   */
  readonly hlsTargetSegmentDuration?: Duration;

  /**
   * Whether to record participants that are replicated into this stage from another stage.
   *
   * @default true
   */
  readonly recordParticipantReplicas?: boolean;
}

/**
 * Properties of a `Stage`.
 */
export interface StageProps {
  /**
   * The stage's name: up to 128 letters, digits, hyphens and underscores. Names need not be unique.
   *
   * @default - a name generated from the construct path; with `adoptArn`, the adopted stage's own name
   */
  readonly stageName?: string;

  /**
   * Record every participant who publishes to the stage.
   *
   * @default - participants are not recorded
   */
  readonly autoParticipantRecording?: AutoParticipantRecordingOptions;

  /**
   * Tags for the stage: at most 49, together with those added by `Tags.of()` (IVS allows 50
   * per resource, and the library's creator tag takes one).
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * Take over this existing stage instead of creating one: an ARN of the form
   * `arn:<partition>:ivs:<region>:<account>:stage/<id>`, in the stack's account and region.
   *
   * On deploy, the stage's name (when `stageName` is given), its recording settings and its tags are
   * brought to these props. Tags not given here are removed, and the library's creator tag is added.
   * A stage that another construct or CloudFormation itself owns is refused.
   *
   * The removal policy defaults to `RemovalPolicy.RETAIN`. Removing this prop in a later deploy
   * changes nothing (keep the name the same); adding or changing it once the resource is deployed is
   * refused.
   *
   * @default - a new stage is created
   */
  readonly adoptArn?: string;

  /**
   * What happens to the stage when it leaves the stack. A stage holds no data of its own
   * (recordings are in S3), so it is deleted by default.
   *
   * @default - `RemovalPolicy.RETAIN` with `adoptArn`, otherwise `RemovalPolicy.DESTROY`
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Attributes of a stage defined outside this stack.
 */
export interface StageAttributes {
  /**
   * The stage's ARN.
   */
  readonly stageArn: string;

  /**
   * The stage's WHIP endpoint.
   *
   * @default - reading `whipEndpoint` is an error
   */
  readonly whipEndpoint?: string;

  /**
   * The stage's RTMP endpoint.
   *
   * @default - reading `rtmpEndpoint` is an error
   */
  readonly rtmpEndpoint?: string;

  /**
   * The stage's RTMPS endpoint.
   *
   * @default - reading `rtmpsEndpoint` is an error
   */
  readonly rtmpsEndpoint?: string;

  /**
   * The stage's events endpoint.
   *
   * @default - reading `eventsEndpoint` is an error
   */
  readonly eventsEndpoint?: string;
}

/**
 * What every stage, defined here or imported, can do.
 */
export abstract class StageBase extends Resource implements IStage {
  public abstract readonly stageArn: string;
  public abstract readonly stageId: string;
  public abstract readonly whipEndpoint: string;
  public abstract readonly rtmpEndpoint: string;
  public abstract readonly rtmpsEndpoint: string;
  public abstract readonly eventsEndpoint: string;

  public readonly grants: StageGrants = StageGrants.fromStage(this);

  /**
   * A reference to this stage, as the L1 `CfnStage` gives it.
   */
  public get stageRef(): ivsRefs.StageReference {
    return { stageArn: this.stageArn };
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return this.grants.actions(grantee, actions);
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grants.read(grantee);
  }

  public grantCreateParticipantToken(grantee: iam.IGrantable): iam.Grant {
    return this.grants.createParticipantToken(grantee);
  }

  public grantDisconnectParticipant(grantee: iam.IGrantable): iam.Grant {
    return this.grants.disconnectParticipant(grantee);
  }

  public addComposition(id: string, options: StageCompositionOptions): StageComposition {
    return new StageComposition(this, id, { ...options, stage: this });
  }

  public onEvent(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.rule(id, options, this.eventPatterns.anyEventPattern());
  }

  public onStageUpdate(id: string, options: StageUpdateRuleOptions = {}): events.Rule {
    return this.rule(id, options, this.eventPatterns.stageUpdatePattern({ eventNames: options.eventNames }));
  }

  public onParticipantPublished(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.onStageUpdate(id, { ...options, eventNames: [StageUpdateEventName.PARTICIPANT_PUBLISHED] });
  }

  public onParticipantUnpublished(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.onStageUpdate(id, { ...options, eventNames: [StageUpdateEventName.PARTICIPANT_UNPUBLISHED] });
  }

  public onParticipantPublishError(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.onStageUpdate(id, { ...options, eventNames: [StageUpdateEventName.PARTICIPANT_PUBLISH_ERROR] });
  }

  public onParticipantRecordingStateChange(id: string, options: ParticipantRecordingRuleOptions = {}): events.Rule {
    return this.rule(id, options, this.eventPatterns.participantRecordingStateChangePattern({ eventNames: options.eventNames }));
  }

  public onCompositionStateChange(id: string, options: CompositionRuleOptions = {}): events.Rule {
    return this.rule(id, options, this.eventPatterns.compositionStateChangePattern({ eventNames: options.eventNames }));
  }

  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stageMetrics.metric(metricName, props);
  }

  public metricPublishers(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stageMetrics.publishers(props);
  }

  public metricSubscribers(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stageMetrics.subscribers(props);
  }

  public metricPublishBitrate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stageMetrics.publishBitrate(props);
  }

  public metricSubscribeBitrate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stageMetrics.subscribeBitrate(props);
  }

  public metricDownloadPacketLoss(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stageMetrics.downloadPacketLoss(props);
  }

  public metricDroppedFrames(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stageMetrics.droppedFrames(props);
  }

  private get eventPatterns(): StageEvents {
    return StageEvents.fromStage(this);
  }

  private get stageMetrics(): StageMetrics {
    return StageMetrics.fromStage(this);
  }

  /** A rule on the default bus, built as aws-cdk-lib's `onEvent` methods build theirs. */
  private rule(id: string, options: events.OnEventOptions, pattern: events.EventPattern): events.Rule {
    // IVS sends a stage's events to the default bus of the stage's own account and region only: a
    // rule anywhere else would never match.
    checkSameEnvironment(this, 'stage', 'event rule', stackEnvironment(this), 'stage', this.env);
    const rule = new events.Rule(this, id, {
      description: options.description,
      ruleName: options.ruleName,
      crossStackScope: options.crossStackScope,
      eventPattern: options.eventPattern,
    });
    rule.addEventPattern(pattern);
    if (options.target) {
      rule.addTarget(options.target);
    }
    return rule;
  }
}

/**
 * An IVS Real-Time stage: the room that participants join, publish to and subscribe from.
 *
 * Participant tokens are not part of the stage's definition (they expire): grant your backend
 * `grantCreateParticipantToken` and mint them at request time.
 *
 * @resource Custom::IvsStage
 * @example
 * declare const backend: lambda.IFunction;
 *
 * const stage = new Stage(this, 'Stage', { stageName: 'town-hall' });
 * stage.grantCreateParticipantToken(backend);
 */
export class Stage extends StageBase implements ITaggable {
  /**
   * The number of participants publishing to any stage of the account in the region
   * (`ConcurrentPublishers`).
   *
   * @default - statistic Maximum, period 5 minutes
   */
  public static metricAllConcurrentPublishers(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return StageMetrics.concurrentPublishers(props);
  }

  /**
   * The number of subscriptions to any stage of the account in the region
   * (`ConcurrentSubscriptions`).
   *
   * @default - statistic Maximum, period 5 minutes
   */
  public static metricAllConcurrentSubscriptions(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return StageMetrics.concurrentSubscriptions(props);
  }

  /**
   * Imports a stage by its ARN. Its endpoints are not known: use `fromStageAttributes` to give them.
   *
   * @param stageArn an ARN of the form `arn:<partition>:ivs:<region>:<account>:stage/<id>`
   */
  public static fromStageArn(scope: Construct, id: string, stageArn: string): IStage {
    return Stage.fromStageAttributes(scope, id, { stageArn });
  }

  /**
   * Imports a stage by its ARN and, optionally, its endpoints.
   */
  public static fromStageAttributes(scope: Construct, id: string, attrs: StageAttributes): IStage {
    const parsed = parseIvsArn(scope, attrs.stageArn, 'stage', 'stageArn');
    const known = (attribute: keyof StageAttributes, value: string | undefined): string => {
      if (value === undefined) {
        throw new IvsValidationError(
          scope,
          `${attribute} of an imported stage is not known: pass it to Stage.fromStageAttributes()`,
        );
      }
      return value;
    };
    class Import extends StageBase {
      public readonly stageArn = attrs.stageArn;
      public readonly stageId = parsed.resourceName!;
      public get whipEndpoint() { return known('whipEndpoint', attrs.whipEndpoint); }
      public get rtmpEndpoint() { return known('rtmpEndpoint', attrs.rtmpEndpoint); }
      public get rtmpsEndpoint() { return known('rtmpsEndpoint', attrs.rtmpsEndpoint); }
      public get eventsEndpoint() { return known('eventsEndpoint', attrs.eventsEndpoint); }
    }
    return new Import(scope, id, { environmentFromArn: attrs.stageArn });
  }

  public get stageArn(): string { return this.resource.getAttString('Arn'); }
  public get stageId(): string { return this.resource.getAttString('StageId'); }
  public get whipEndpoint(): string { return this.resource.getAttString('WhipEndpoint'); }
  public get rtmpEndpoint(): string { return this.resource.getAttString('RtmpEndpoint'); }
  public get rtmpsEndpoint(): string { return this.resource.getAttString('RtmpsEndpoint'); }
  public get eventsEndpoint(): string { return this.resource.getAttString('EventsEndpoint'); }

  /**
   * The stage's name.
   */
  public readonly stageName: string;

  /**
   * The stage's tags, including those added with `Tags.of()`.
   */
  public readonly tags: TagManager;

  private readonly resource: IvsCustomResource<StageResponseData>;

  constructor(scope: Construct, id: string, props: StageProps = {}) {
    super(scope, id, { physicalName: props.stageName });

    const adoption = ivsAdoption(this, {
      resource: 'stage',
      noun: 'stage',
      nameProp: 'stageName',
      name: props.stageName,
      adoptArn: props.adoptArn,
      removalPolicy: props.removalPolicy,
    });
    this.tags = ivsTagManager(this, STAGE_RESOURCE_TYPE, props.tags);

    const properties: Omit<StageResourceProperties, 'ServiceToken' | 'Tags'> = {
      Name: adoption.name,
      AdoptArn: props.adoptArn,
      AutoParticipantRecordingConfiguration: props.autoParticipantRecording
        ? Stage._renderRecording(this, props.autoParticipantRecording)
        : undefined,
    };

    this.resource = new IvsCustomResource(this, {
      provider: IvsHandlerProvider.getOrCreate(this, {
        resourceType: STAGE_RESOURCE_TYPE,
        arnResource: 'stage',
        actions: STAGE_HANDLER_ACTIONS,
      }),
      resourceType: STAGE_RESOURCE_TYPE,
      removalPolicy: adoption.removalPolicy,
      properties,
      tags: this.tags,
    });
    this.stageName = adoption.name ?? this.resource.getAttString('Name');
  }

  /**
   * The recording settings in the contract's form, checked like the service checks them; shared
   * with `StageRooms`, whose stages record the same way.
   *
   * @internal
   */
  // eslint-disable-next-line @typescript-eslint/member-ordering -- beside the constructor that renders with it, where it was an instance method
  public static _renderRecording(scope: Construct, recording: AutoParticipantRecordingOptions): StageRecordingProperties {
    validateEnumValues(scope, 'autoParticipantRecording.mediaTypes', recording.mediaTypes, Object.values(RecordingMediaType), {
      maxItems: 1,
    });
    validateSeconds(scope, 'autoParticipantRecording.recordingReconnectWindow', recording.recordingReconnectWindow, 0, 300);
    validateSeconds(scope, 'autoParticipantRecording.hlsTargetSegmentDuration', recording.hlsTargetSegmentDuration, 2, 10);
    // IVS records only into a storage configuration of the stage's own account and region.
    checkSameEnvironment(scope, 'autoParticipantRecording.storageConfiguration', 'stage', stackEnvironment(scope),
      'storage configuration', recording.storageConfiguration.env);

    const mediaTypes = recording.mediaTypes ?? [RecordingMediaType.AUDIO_VIDEO];
    const thumbnails = Stage.renderThumbnails(scope, recording.thumbnails ?? {});
    if (mediaTypes.includes(RecordingMediaType.NONE) && thumbnails.RecordingMode === ThumbnailRecordingMode.DISABLED) {
      Annotations.of(scope).addWarningV2(
        'cdk-ivs-realtime:stage-records-nothing',
        'autoParticipantRecording records neither media (mediaTypes is [NONE]) nor thumbnails (thumbnails are disabled)',
      );
    }

    return {
      StorageConfigurationArn: ivs.CfnStorageConfiguration.arnForStorageConfiguration(recording.storageConfiguration),
      MediaTypes: mediaTypes,
      ThumbnailConfiguration: thumbnails,
      RecordingReconnectWindowSeconds: encodeSeconds(recording.recordingReconnectWindow ?? Duration.seconds(0)),
      HlsTargetSegmentDurationSeconds: encodeSeconds(recording.hlsTargetSegmentDuration ?? Duration.seconds(6)),
      RecordParticipantReplicas: String(recording.recordParticipantReplicas ?? true),
    };
  }

  // eslint-disable-next-line @typescript-eslint/member-ordering -- beside the constructor that renders with it, where it was an instance method
  private static renderThumbnails(scope: Construct, thumbnails: ParticipantThumbnailOptions): StageThumbnailProperties {
    const mode = thumbnails.recordingMode ?? ThumbnailRecordingMode.DISABLED;
    validateEnumValues(scope, 'autoParticipantRecording.thumbnails.recordingMode', [mode], Object.values(ThumbnailRecordingMode), {
      maxItems: 1,
    });
    validateEnumValues(scope, 'autoParticipantRecording.thumbnails.storage', thumbnails.storage, Object.values(ThumbnailStorage), {
      maxItems: 2,
      unique: true,
    });
    validateSeconds(scope, 'autoParticipantRecording.thumbnails.targetInterval', thumbnails.targetInterval, 1, 86400);

    if (mode !== ThumbnailRecordingMode.INTERVAL) {
      // IVS refuses an interval without INTERVAL mode, but accepts a storage, which then does nothing.
      if (thumbnails.targetInterval !== undefined) {
        throw new IvsValidationError(
          scope,
          `autoParticipantRecording.thumbnails.targetInterval can only be set with recordingMode INTERVAL, got recordingMode ${mode}`,
        );
      }
      if (thumbnails.storage !== undefined) {
        Annotations.of(scope).addWarningV2(
          'cdk-ivs-realtime:thumbnail-storage-unused',
          `autoParticipantRecording.thumbnails.storage takes effect only with recordingMode INTERVAL, got recordingMode ${mode}: `
          + 'no thumbnails are taken, and the storage is left out',
        );
      }
      return { RecordingMode: mode };
    }
    return {
      RecordingMode: mode,
      Storage: thumbnails.storage ?? [ThumbnailStorage.SEQUENTIAL],
      TargetIntervalSeconds: encodeSeconds(thumbnails.targetInterval ?? Duration.seconds(60)),
    };
  }
}

/** Seconds as the contract's encoded integer; a token stays a token. */
function encodeSeconds(duration: Duration): string {
  return Tokenization.stringifyNumber(duration.toSeconds());
}
