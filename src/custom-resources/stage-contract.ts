/*
 * The contract between the Stage construct and its handler: the properties of a
 * `Custom::IvsStage` resource and the attributes its handler returns.
 *
 * Shared with the handler bundle: type declarations and constants only, no aws-cdk-lib.
 */
import type { EncodedBoolean, EncodedInteger } from './encoding';

/** The CloudFormation resource type of a stage. */
export const STAGE_RESOURCE_TYPE = 'Custom::IvsStage';

/** The properties of a `Custom::IvsStage`, as the handler receives them. */
export interface StageResourceProperties {
  readonly ServiceToken: string;
  /**
   * The stage name (CreateStage/UpdateStage `name`). Absent only with AdoptArn: the adopted stage
   * keeps its name.
   */
  readonly Name?: string;
  /** Absent: the stage does not record participants. */
  readonly AutoParticipantRecordingConfiguration?: StageRecordingProperties;
  /**
   * An existing stage to take over on Create instead of making one (an ARN of the stack's account
   * and region). An update leaves it out of the comparison: adoption happens only on Create, and a
   * later value is refused unless it names the stage already held.
   */
  readonly AdoptArn?: string;
  /** Tag key to value. Absent when the stage has no tags. */
  readonly Tags?: Record<string, string>;
}

/**
 * `autoParticipantRecordingConfiguration`. The construct writes every member out with its
 * default, so that a handler never depends on service-side defaults (the model and the docs
 * disagree on some of them).
 */
export interface StageRecordingProperties {
  readonly StorageConfigurationArn: string;
  /** At most one of AUDIO_VIDEO, AUDIO_ONLY, NONE. */
  readonly MediaTypes: string[];
  readonly ThumbnailConfiguration: StageThumbnailProperties;
  readonly RecordingReconnectWindowSeconds: EncodedInteger;
  readonly HlsTargetSegmentDurationSeconds: EncodedInteger;
  readonly RecordParticipantReplicas: EncodedBoolean;
}

/** `thumbnailConfiguration`. */
export interface StageThumbnailProperties {
  /** INTERVAL or DISABLED. */
  readonly RecordingMode: string;
  /** SEQUENTIAL and/or LATEST; present only with INTERVAL. */
  readonly Storage?: string[];
  /** Present only with INTERVAL. */
  readonly TargetIntervalSeconds?: EncodedInteger;
}

/** What the handler returns in `Data`, readable with `Fn::GetAtt`. */
export interface StageResponseData {
  readonly Arn: string;
  readonly StageId: string;
  /** The live name: the one given, or an adopted resource's own. */
  readonly Name: string;
  readonly WhipEndpoint: string;
  readonly RtmpEndpoint: string;
  readonly RtmpsEndpoint: string;
  readonly EventsEndpoint: string;
}

/**
 * The IAM actions of the stage handler's role, on `stage/*` ARNs of the stack's account and region.
 * ListStages, unlike the other types' List actions, is scoped to stage ARNs.
 */
export const STAGE_HANDLER_ACTIONS = [
  'ivs:CreateStage',
  'ivs:GetStage',
  'ivs:UpdateStage',
  'ivs:DeleteStage',
  'ivs:ListStages',
  'ivs:TagResource',
  'ivs:UntagResource',
];
