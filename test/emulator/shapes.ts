/**
 * Declarative table of every request shape of the emulated operations, transcribed from the
 * reference (Smithy model, anchored patterns). The validator in validation.ts walks these.
 */

export interface StringShape {
  readonly kind: 'string';
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: RegExp;
  readonly enum?: readonly string[];
}
export interface IntegerShape { readonly kind: 'integer'; readonly min?: number; readonly max?: number }
export interface FloatShape { readonly kind: 'float'; readonly min?: number; readonly max?: number }
export interface BooleanShape { readonly kind: 'boolean' }
export interface ListShape {
  readonly kind: 'list';
  readonly member: Shape;
  readonly min?: number;
  readonly max?: number;
  readonly uniqueItems?: boolean;
}
export interface MapShape {
  readonly kind: 'map';
  readonly key: StringShape;
  readonly value: Shape;
  readonly min?: number;
  readonly max?: number;
}
export interface StructureShape {
  readonly kind: 'structure';
  readonly members: Readonly<Record<string, Shape>>;
  readonly required?: readonly string[];
}
export type Shape = StringShape | IntegerShape | FloatShape | BooleanShape | ListShape | MapShape | StructureShape;

// ---- constructors -------------------------------------------------------------------------------

const str = (c: Omit<StringShape, 'kind'> = {}): StringShape => ({ kind: 'string', ...c });
const int = (min?: number, max?: number): IntegerShape => ({ kind: 'integer', min, max });
const float = (min?: number, max?: number): FloatShape => ({ kind: 'float', min, max });
const bool: BooleanShape = { kind: 'boolean' };
const list = (member: Shape, c: Omit<ListShape, 'kind' | 'member'> = {}): ListShape => ({ kind: 'list', member, ...c });
const map = (key: StringShape, value: Shape, c: Omit<MapShape, 'kind' | 'key' | 'value'> = {}): MapShape => ({ kind: 'map', key, value, ...c });
const struct = (members: Record<string, Shape>, required: string[] = []): StructureShape => ({ kind: 'structure', members, required });
const enumOf = (...values: string[]): StringShape => str({ enum: values });

// ---- identifiers (reference §1.4) -----------------------------------------------------------------

const arnPattern = (type: string) => new RegExp(`^arn:aws:ivs:[a-z0-9-]+:[0-9]+:${type}/[a-zA-Z0-9-]+$`);
const arn = (type: string) => str({ min: 1, max: 128, pattern: arnPattern(type) });

export const StageArn = arn('stage');
export const StorageConfigurationArn = arn('storage-configuration');
export const EncoderConfigurationArn = arn('encoder-configuration');
export const IngestConfigurationArn = arn('ingest-configuration');
export const PublicKeyArn = arn('public-key');
export const CompositionArn = arn('composition');
export const ChannelArn = arn('channel');
/**
 * The model's ResourceArn pattern (`…:[a-z-]/…`) cannot match any real ARN (reference §16.4), so tag
 * operations accept the union of the resource ARN patterns served here instead.
 */
export const ResourceArn = str({
  min: 1,
  max: 128,
  pattern: /^arn:aws:ivs:[a-z0-9-]+:[0-9]+:(stage|storage-configuration|encoder-configuration|ingest-configuration|public-key|composition)\/[a-zA-Z0-9-]+$/,
});
const AutoParticipantRecordingStorageConfigurationArn = str({
  min: 0,
  max: 128,
  pattern: /^^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:storage-configuration\/[a-zA-Z0-9-]+$$/,
});
const IngestConfigurationStageArn = str({ min: 0, max: 128, pattern: /^^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:stage\/[a-zA-Z0-9-]+$$/ });

const ResourceName = str({ min: 0, max: 128, pattern: /^[a-zA-Z0-9-_]*$/ });
const TagKey = str({ min: 1, max: 128 });
const TagValue = str({ min: 0, max: 256 });
const Tags = map(TagKey, TagValue, { min: 0, max: 50 });
const TagKeyList = list(TagKey, { min: 0, max: 50 });
const PaginationToken = str({ min: 0, max: 1024, pattern: /^[a-zA-Z0-9+/=_-]*$/ });
const MaxResults = int(1, 100);
const UserId = str({ min: 0, max: 128 });
const Attributes = map(str(), str());
const AttributeKey = str({ min: 0, max: 128, pattern: /^[a-zA-Z0-9-_]*$/ });
const PublicKeyMaterial = str({ pattern: /-----BEGIN PUBLIC KEY-----\r?\n([a-zA-Z0-9+/=\r\n]+)\r?\n-----END PUBLIC KEY-----(\r?\n)?/ });

const ParticipantTokenDurationMinutes = int(1, 20160);
const ParticipantTokenCapabilities = list(enumOf('PUBLISH', 'SUBSCRIBE'), { min: 0, max: 2 });
const ThumbnailIntervalSeconds = int(1, 86400);
const ThumbnailStorage = list(enumOf('SEQUENTIAL', 'LATEST'), { min: 0, max: 2, uniqueItems: true });

// ---- nested structures ----------------------------------------------------------------------------

const ParticipantTokenConfiguration = struct({
  duration: ParticipantTokenDurationMinutes,
  userId: UserId,
  attributes: Attributes,
  capabilities: ParticipantTokenCapabilities,
});

const AutoParticipantRecordingConfiguration = struct({
  storageConfigurationArn: AutoParticipantRecordingStorageConfigurationArn,
  mediaTypes: list(enumOf('AUDIO_VIDEO', 'AUDIO_ONLY', 'NONE'), { min: 0, max: 1 }),
  thumbnailConfiguration: struct({
    targetIntervalSeconds: ThumbnailIntervalSeconds,
    storage: ThumbnailStorage,
    recordingMode: enumOf('INTERVAL', 'DISABLED'),
  }),
  recordingReconnectWindowSeconds: int(0, 300),
  hlsConfiguration: struct({ targetSegmentDurationSeconds: int(2, 10) }),
  recordParticipantReplicas: bool,
}, ['storageConfigurationArn']);

const Video = struct({
  width: int(2, 1920),
  height: int(2, 1920),
  framerate: float(1, 60),
  bitrate: int(1, 8500000),
});

const GridConfiguration = struct({
  featuredParticipantAttribute: AttributeKey,
  omitStoppedVideo: bool,
  videoAspectRatio: enumOf('AUTO', 'VIDEO', 'SQUARE', 'PORTRAIT'),
  videoFillMode: enumOf('FILL', 'COVER', 'CONTAIN'),
  gridGap: int(0),
  participantOrderAttribute: AttributeKey,
});

const PipConfiguration = struct({
  featuredParticipantAttribute: AttributeKey,
  omitStoppedVideo: bool,
  videoFillMode: enumOf('FILL', 'COVER', 'CONTAIN'),
  gridGap: int(0),
  pipParticipantAttribute: AttributeKey,
  pipBehavior: enumOf('STATIC', 'DYNAMIC'),
  pipOffset: int(0),
  pipPosition: enumOf('TOP_LEFT', 'TOP_RIGHT', 'BOTTOM_LEFT', 'BOTTOM_RIGHT'),
  pipWidth: int(1),
  pipHeight: int(1),
  participantOrderAttribute: AttributeKey,
});

const DestinationConfiguration = struct({
  name: ResourceName,
  channel: struct({ channelArn: ChannelArn, encoderConfigurationArn: EncoderConfigurationArn }, ['channelArn']),
  s3: struct({
    storageConfigurationArn: StorageConfigurationArn,
    encoderConfigurationArns: list(EncoderConfigurationArn, { min: 1, max: 1 }),
    recordingConfiguration: struct({
      hlsConfiguration: struct({ targetSegmentDurationSeconds: int(2, 10) }),
      format: enumOf('HLS'),
    }),
    thumbnailConfigurations: list(struct({ targetIntervalSeconds: ThumbnailIntervalSeconds, storage: ThumbnailStorage }), { min: 0, max: 1 }),
  }, ['storageConfigurationArn', 'encoderConfigurationArns']),
});

const arnOnly = (shape: StringShape) => struct({ arn: shape }, ['arn']);
const listInput = (extra: Record<string, Shape> = {}) => struct({ ...extra, nextToken: PaginationToken, maxResults: MaxResults });

// ---- operation inputs -----------------------------------------------------------------------------

/** Input shape of every emulated operation; for tag operations the URI label and query are merged in. */
export const INPUT_SHAPES = {
  CreateStage: struct({
    name: ResourceName,
    participantTokenConfigurations: list(ParticipantTokenConfiguration, { min: 0, max: 12 }),
    tags: Tags,
    autoParticipantRecordingConfiguration: AutoParticipantRecordingConfiguration,
  }),
  GetStage: arnOnly(StageArn),
  UpdateStage: struct({ arn: StageArn, name: ResourceName, autoParticipantRecordingConfiguration: AutoParticipantRecordingConfiguration }, ['arn']),
  DeleteStage: arnOnly(StageArn),
  ListStages: listInput(),
  CreateParticipantToken: struct({
    stageArn: StageArn,
    duration: ParticipantTokenDurationMinutes,
    userId: UserId,
    attributes: Attributes,
    capabilities: ParticipantTokenCapabilities,
  }, ['stageArn']),

  CreateStorageConfiguration: struct({
    name: ResourceName,
    s3: struct({ bucketName: str({ min: 3, max: 63, pattern: /^[a-z0-9-.]+$/ }) }, ['bucketName']),
    tags: Tags,
  }, ['s3']),
  GetStorageConfiguration: arnOnly(StorageConfigurationArn),
  DeleteStorageConfiguration: arnOnly(StorageConfigurationArn),
  ListStorageConfigurations: listInput(),

  CreateEncoderConfiguration: struct({ name: ResourceName, video: Video, tags: Tags }),
  GetEncoderConfiguration: arnOnly(EncoderConfigurationArn),
  DeleteEncoderConfiguration: arnOnly(EncoderConfigurationArn),
  ListEncoderConfigurations: listInput(),

  CreateIngestConfiguration: struct({
    name: ResourceName,
    stageArn: IngestConfigurationStageArn,
    userId: UserId,
    attributes: Attributes,
    ingestProtocol: enumOf('RTMP', 'RTMPS'),
    insecureIngest: bool,
    redundantIngest: bool,
    tags: Tags,
  }, ['ingestProtocol']),
  GetIngestConfiguration: arnOnly(IngestConfigurationArn),
  UpdateIngestConfiguration: struct({ arn: IngestConfigurationArn, stageArn: IngestConfigurationStageArn, redundantIngest: bool }, ['arn']),
  DeleteIngestConfiguration: struct({ arn: IngestConfigurationArn, force: bool }, ['arn']),
  ListIngestConfigurations: listInput({ filterByStageArn: StageArn, filterByState: enumOf('ACTIVE', 'INACTIVE') }),

  ImportPublicKey: struct({ publicKeyMaterial: PublicKeyMaterial, name: ResourceName, tags: Tags }, ['publicKeyMaterial']),
  GetPublicKey: arnOnly(PublicKeyArn),
  DeletePublicKey: arnOnly(PublicKeyArn),
  ListPublicKeys: listInput(),

  StartComposition: struct({
    stageArn: StageArn,
    idempotencyToken: str({ min: 1, max: 64, pattern: /^[a-zA-Z0-9-_]*$/ }),
    layout: struct({ grid: GridConfiguration, pip: PipConfiguration }),
    destinations: list(DestinationConfiguration, { min: 1, max: 2, uniqueItems: true }),
    tags: Tags,
  }, ['stageArn', 'destinations']),
  GetComposition: arnOnly(CompositionArn),
  StopComposition: arnOnly(CompositionArn),
  ListCompositions: listInput({ filterByStageArn: StageArn, filterByEncoderConfigurationArn: EncoderConfigurationArn }),

  TagResource: struct({ resourceArn: ResourceArn, tags: Tags }, ['resourceArn', 'tags']),
  UntagResource: struct({ resourceArn: ResourceArn, tagKeys: TagKeyList }, ['resourceArn', 'tagKeys']),
  ListTagsForResource: struct({ resourceArn: ResourceArn }, ['resourceArn']),
} as const satisfies Record<string, StructureShape>;

export type OperationName = keyof typeof INPUT_SHAPES;

export function isOperationName(name: string): name is OperationName {
  return Object.prototype.hasOwnProperty.call(INPUT_SHAPES, name);
}
