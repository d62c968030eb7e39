import type { ResourceType } from './ids';
import type { JoinedParticipant } from './participants';

/** Resource quotas per account and Region (reference §14): the defaults of a new emulator. */
export const QUOTAS = {
  stages: 1000,
  storageConfigurations: 5,
  encoderConfigurations: 20,
  ingestConfigurations: 100,
  publicKeys: 3,
  concurrentCompositions: 20,
  compositionsPerStage: 5,
} as const;

/** The resource quotas an emulator enforces; `setQuotas` raises (or lowers) them for a test. */
export type Quotas = { -readonly [K in keyof typeof QUOTAS]: number };

export type Tags = Record<string, string>;

interface BaseRecord {
  readonly arn: string;
  readonly id: string;
  /** Creation order; pagination tokens refer to it so deletes between pages do not shift results. */
  readonly seq: number;
  tags: Tags;
}

export interface RecordingConfiguration {
  storageConfigurationArn: string;
  mediaTypes: string[];
  thumbnailConfiguration: { targetIntervalSeconds: number; storage: string[]; recordingMode: string };
  recordingReconnectWindowSeconds: number;
  hlsConfiguration: { targetSegmentDurationSeconds: number };
  recordParticipantReplicas: boolean;
}

export interface StageRecord extends BaseRecord {
  name: string;
  autoParticipantRecordingConfiguration: RecordingConfiguration;
  readonly endpoints: { events: string; whip: string; rtmp: string; rtmps: string };
  /** The session in progress (`startStageSession`, or the first participant's join), which GetStage answers as `activeSessionId`. */
  activeSessionId?: string;
}

export interface StorageConfigurationRecord extends BaseRecord {
  readonly name: string;
  readonly s3: { bucketName: string };
}

export interface EncoderConfigurationRecord extends BaseRecord {
  readonly name: string;
  readonly video: { width: number; height: number; framerate: number; bitrate: number };
}

export interface RedundantIngestCredential { participantId: string; streamKey: string }

export interface IngestConfigurationRecord extends BaseRecord {
  readonly name: string;
  readonly ingestProtocol: string;
  readonly insecureIngest: boolean;
  readonly streamKey: string;
  readonly participantId: string;
  readonly userId: string;
  readonly attributes: Record<string, string>;
  stageArn: string;
  state: 'ACTIVE' | 'INACTIVE';
  redundantIngest: boolean;
  redundantIngestCredentials?: RedundantIngestCredential[];
}

export interface PublicKeyRecord extends BaseRecord {
  readonly name: string;
  readonly publicKeyMaterial: string;
  readonly fingerprint: string;
}

export interface CompositionDestinationRecord {
  readonly id: string;
  state: string;
  readonly startTime: string;
  endTime?: string;
  readonly configuration: Record<string, unknown>;
  readonly detail?: { s3: { recordingPrefix: string } };
}

export interface CompositionRecord extends BaseRecord {
  readonly stageArn: string;
  state: string;
  readonly layout: Record<string, unknown>;
  readonly destinations: CompositionDestinationRecord[];
  readonly startTime: string;
  endTime?: string;
  readonly idempotencyToken?: string;
  /** ARNs of the storage and encoder configurations the destinations use. */
  readonly references: readonly string[];
}

export type TaggableRecord = BaseRecord;

/** A composition that has not ended: it counts against the quotas. */
export function isInProgress(record: CompositionRecord): boolean {
  return record.state !== 'STOPPED' && record.state !== 'FAILED';
}

/** In-memory state of one emulated account/Region. Maps are keyed by ARN and keep creation order. */
export class Store {
  public readonly stages = new Map<string, StageRecord>();
  public readonly storageConfigurations = new Map<string, StorageConfigurationRecord>();
  public readonly encoderConfigurations = new Map<string, EncoderConfigurationRecord>();
  public readonly ingestConfigurations = new Map<string, IngestConfigurationRecord>();
  public readonly publicKeys = new Map<string, PublicKeyRecord>();
  public readonly compositions = new Map<string, CompositionRecord>();
  /** Registered S3 buckets: name → Region. */
  public readonly buckets = new Map<string, string>();
  /** Participants that joined a stage with a token, in order. */
  public readonly participants: JoinedParticipant[] = [];
  /** The quotas in force: the service's defaults unless a test changed them. */
  public quotas: Quotas = { ...QUOTAS };
  private sequence = 0;

  public nextSeq(): number {
    this.sequence += 1;
    return this.sequence;
  }

  /** The record behind any taggable ARN, or undefined when no such resource exists. */
  public findTaggable(arn: string): TaggableRecord | undefined {
    const type = /:([a-z-]+)\//.exec(arn)?.[1] as ResourceType | undefined;
    switch (type) {
      case 'stage': return this.stages.get(arn);
      case 'storage-configuration': return this.storageConfigurations.get(arn);
      case 'encoder-configuration': return this.encoderConfigurations.get(arn);
      case 'ingest-configuration': return this.ingestConfigurations.get(arn);
      case 'public-key': return this.publicKeys.get(arn);
      case 'composition': return this.compositions.get(arn);
      default: return undefined;
    }
  }

  /** Drops every resource and bucket, and puts the default quotas back. */
  public clear(): void {
    this.quotas = { ...QUOTAS };
    this.stages.clear();
    this.storageConfigurations.clear();
    this.encoderConfigurations.clear();
    this.ingestConfigurations.clear();
    this.publicKeys.clear();
    this.compositions.clear();
    this.buckets.clear();
    this.participants.length = 0;
  }
}
