/*
 * The drift report: what CloudFormation says each IVS resource of a stack should be, against what
 * IVS says it is. CloudFormation's own drift detection skips custom resources.
 *
 * Read-only: it calls DescribeStacks, GetTemplate and ListStackResources, and each resource's Get
 * operation and ListTagsForResource, nothing else. An ingest configuration's stream key, which
 * GetIngestConfiguration returns, is dropped as soon as it arrives: it is never compared, kept or
 * printed.
 */
import {
  CloudFormationClient,
  DescribeStacksCommand,
  GetTemplateCommand,
  paginateListStackResources,
  StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import {
  GetEncoderConfigurationCommand,
  GetIngestConfigurationCommand,
  GetPublicKeyCommand,
  GetStageCommand,
  GetStorageConfigurationCommand,
  IVSRealTimeClient,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-ivs-realtime';
import { resolve, StackContext, Unresolved } from './resolve';
import { decodeBoolean, decodeDecimal, decodeInteger } from '../lambda/decode';
import { CREATOR_TAG_KEY } from '../src/custom-resources/creator-tag-contract';
import { ENCODER_CONFIGURATION_RESOURCE_TYPE } from '../src/custom-resources/encoder-configuration-contract';
import { INGEST_CONFIGURATION_RESOURCE_TYPE } from '../src/custom-resources/ingest-configuration-contract';
import { PUBLIC_KEY_RESOURCE_TYPE } from '../src/custom-resources/public-key-contract';
import { STAGE_RESOURCE_TYPE } from '../src/custom-resources/stage-contract';
import { STORAGE_CONFIGURATION_RESOURCE_TYPE } from '../src/custom-resources/storage-configuration-contract';

/** The clients the report reads with; the caller configures credentials, region and endpoints. */
export interface DriftClients {
  readonly cloudFormation: CloudFormationClient;
  readonly ivs: IVSRealTimeClient;
}

/** One property whose live value differs from the deployed one. Values are rendered as text. */
export interface Difference {
  readonly logicalId: string;
  /** A contract property path, e.g. `Name`, `Tags.team`, `AutoParticipantRecordingConfiguration.MediaTypes`. */
  readonly property: string;
  readonly deployed: string;
  readonly live: string;
}

/** A property the report could not compare, and why. */
export interface NotCompared {
  readonly logicalId: string;
  readonly property: string;
  readonly reason: string;
}

/** How one IVS resource of the stack compares. */
export interface CheckedResource {
  readonly logicalId: string;
  readonly resourceType: string;
  /** The construct path (`aws:cdk:path` metadata), when the template has it. */
  readonly path?: string;
  readonly arn?: string;
  /** IN_SYNC, DRIFTED, DELETED (IVS no longer has it), or NOT_DEPLOYED (CloudFormation shows no ARN for it). */
  readonly status: 'IN_SYNC' | 'DRIFTED' | 'DELETED' | 'NOT_DEPLOYED';
}

export interface DriftReport {
  readonly stackName: string;
  readonly stackId: string;
  readonly stackStatus: string;
  /** Whether any resource drifted or was deleted. */
  readonly drifted: boolean;
  readonly resources: CheckedResource[];
  readonly differences: Difference[];
  readonly notCompared: NotCompared[];
}

/** An error the command reports as it is, without a stack trace. */
export class DriftError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DriftError';
  }
}

/** What the rows say for a missing value and for a deleted resource. */
export const NONE = '(none)';
export const RESOURCE_PROPERTY = '(resource)';

/** How many resources are read at once: IVS allows 5 reads per second per operation. */
const CONCURRENCY = 4;

type Props = Record<string, unknown>;
type Live = Record<string, unknown>;
/** A deployed value, a live value, and the property path they are at. */
type Field = readonly [property: string, deployed: unknown, live: unknown];

/** Per resource type: how to read it, and which fields to compare. */
interface ResourceKind {
  /** The live resource, with only the members that are compared; undefined when IVS has no such resource. */
  read(ivs: IVSRealTimeClient, arn: string): Promise<Live | undefined>;
  fields(props: Props, live: Live): Field[];
}

const KINDS: Record<string, ResourceKind> = {
  [STAGE_RESOURCE_TYPE]: {
    read: async (ivs, arn) => {
      const stage = (await ivs.send(new GetStageCommand({ arn }))).stage;
      return stage && { name: stage.name, recording: stage.autoParticipantRecordingConfiguration };
    },
    fields: stageFields,
  },
  [STORAGE_CONFIGURATION_RESOURCE_TYPE]: {
    read: async (ivs, arn) => {
      const storage = (await ivs.send(new GetStorageConfigurationCommand({ arn }))).storageConfiguration;
      return storage && { name: storage.name, bucketName: storage.s3?.bucketName };
    },
    fields: (props, live) => [
      ['Name', props.Name, live.name],
      ['S3.BucketName', member(props.S3, 'BucketName'), live.bucketName],
    ],
  },
  [ENCODER_CONFIGURATION_RESOURCE_TYPE]: {
    read: async (ivs, arn) => {
      const encoder = (await ivs.send(new GetEncoderConfigurationCommand({ arn }))).encoderConfiguration;
      return encoder && { name: encoder.name, video: encoder.video ?? {} };
    },
    fields: (props, live) => {
      const video = live.video as Record<string, number | undefined>;
      return [
        ['Name', props.Name, live.name],
        ['Video.Width', decoded(member(props.Video, 'Width'), decodeInteger, 'Video.Width'), video.width],
        ['Video.Height', decoded(member(props.Video, 'Height'), decodeInteger, 'Video.Height'), video.height],
        ['Video.Framerate', decoded(member(props.Video, 'Framerate'), decodeDecimal, 'Video.Framerate'), video.framerate],
        ['Video.Bitrate', decoded(member(props.Video, 'Bitrate'), decodeInteger, 'Video.Bitrate'), video.bitrate],
      ];
    },
  },
  [INGEST_CONFIGURATION_RESOURCE_TYPE]: {
    // The members are picked one by one so that the stream keys go no further than this function.
    // insecureIngest is not among them: GetIngestConfiguration does not return it.
    read: async (ivs, arn) => {
      const ingest = (await ivs.send(new GetIngestConfigurationCommand({ arn }))).ingestConfiguration;
      return ingest && {
        name: ingest.name,
        ingestProtocol: ingest.ingestProtocol,
        stageArn: ingest.stageArn,
        userId: ingest.userId,
        attributes: ingest.attributes,
        redundantIngest: ingest.redundantIngest ?? false,
      };
    },
    fields: (props, live) => [
      ['Name', props.Name, live.name],
      ['IngestProtocol', props.IngestProtocol, live.ingestProtocol],
      // Not attached is `""` live and absent in the template.
      ['StageArn', props.StageArn || undefined, live.stageArn || undefined],
      ['UserId', props.UserId || undefined, live.userId || undefined],
      ...mapFields('Attributes', props.Attributes, live.attributes as Record<string, string> | undefined),
      ['RedundantIngest', decoded(props.RedundantIngest, decodeBoolean, 'RedundantIngest'), live.redundantIngest],
    ],
  },
  // The key material is not compared: IVS cannot change a public key's material, so the key with
  // this ARN has the material it was imported with.
  [PUBLIC_KEY_RESOURCE_TYPE]: {
    read: async (ivs, arn) => {
      const key = (await ivs.send(new GetPublicKeyCommand({ arn }))).publicKey;
      return key && { name: key.name };
    },
    fields: (props, live) => [['Name', props.Name, live.name]],
  },
};

/** The resource types the report checks: the library's five. */
export const CHECKED_RESOURCE_TYPES = Object.keys(KINDS);

/** Compares every IVS resource of the stack named `stackName` (a name or a stack ID) with IVS. */
export async function findDrift(clients: DriftClients, stackName: string): Promise<DriftReport> {
  const stack = await describeStack(clients.cloudFormation, stackName);
  const stackId = stack.StackId!;
  const status = stack.StackStatus ?? '';
  if (status.endsWith('_IN_PROGRESS')) {
    throw new DriftError(`stack ${stackName} is ${status}: run the report once the operation has finished`);
  }
  const template = await getTemplate(clients.cloudFormation, stackId);
  const summaries: StackResourceSummary[] = [];
  for await (const page of paginateListStackResources({ client: clients.cloudFormation }, { StackName: stackId })) {
    summaries.push(...page.StackResourceSummaries ?? []);
  }

  const ctx: StackContext = {
    stackId,
    parameters: Object.fromEntries((stack.Parameters ?? []).map((p) => [
      p.ParameterKey!,
      // An SSM parameter's value is its ResolvedValue; a NoEcho parameter shows as asterisks.
      p.ResolvedValue ?? (p.ParameterValue === '****' ? new Unresolved(`Ref ${p.ParameterKey} (NoEcho)`) : p.ParameterValue ?? ''),
    ])),
    resources: Object.fromEntries(summaries.map((s) => [s.LogicalResourceId!, { type: s.ResourceType ?? '', physicalId: s.PhysicalResourceId }])),
    mappings: template.Mappings,
  };

  const ivsResources = summaries.filter((s) => KINDS[s.ResourceType ?? ''] !== undefined)
    .sort((a, b) => a.LogicalResourceId!.localeCompare(b.LogicalResourceId!));
  const results = await mapLimited(ivsResources, CONCURRENCY, (summary) => checkResource(clients.ivs, summary, template, ctx));
  const differences = results.flatMap((r) => r.differences);
  const resources = results.map((r) => r.resource);
  return {
    stackName: stack.StackName ?? stackName,
    stackId,
    stackStatus: status,
    drifted: resources.some((r) => r.status === 'DRIFTED' || r.status === 'DELETED'),
    resources,
    differences,
    notCompared: results.flatMap((r) => r.notCompared),
  };
}

interface Template {
  readonly Resources?: Record<string, { Type: string; Properties?: Props; Metadata?: Record<string, unknown> }>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

async function describeStack(cloudFormation: CloudFormationClient, stackName: string) {
  try {
    const { Stacks: stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    if (!stacks?.[0]?.StackId) {
      throw new DriftError(`stack ${stackName} not found`);
    }
    return stacks[0];
  } catch (error) {
    if ((error as Error).name === 'ValidationError' && /does not exist/.test((error as Error).message)) {
      throw new DriftError(`stack ${stackName} not found in ${await cloudFormation.config.region()}`);
    }
    throw error;
  }
}

async function getTemplate(cloudFormation: CloudFormationClient, stackId: string): Promise<Template> {
  const { TemplateBody: body } = await cloudFormation.send(new GetTemplateCommand({ StackName: stackId, TemplateStage: 'Original' }));
  try {
    return JSON.parse(body ?? '{}') as Template;
  } catch {
    throw new DriftError('the stack\'s template is not JSON: the report reads the JSON templates that the CDK deploys');
  }
}

async function checkResource(ivs: IVSRealTimeClient, summary: StackResourceSummary, template: Template, ctx: StackContext): Promise<{
  resource: CheckedResource; differences: Difference[]; notCompared: NotCompared[];
}> {
  const logicalId = summary.LogicalResourceId!;
  const resourceType = summary.ResourceType!;
  const definition = template.Resources?.[logicalId];
  const path = definition?.Metadata?.['aws:cdk:path'] as string | undefined;
  const arn = summary.PhysicalResourceId;
  const base = { logicalId, resourceType, ...(path ? { path } : {}) };
  if (!arn?.startsWith('arn:') || definition === undefined) {
    return { resource: { ...base, status: 'NOT_DEPLOYED' }, differences: [], notCompared: [] };
  }
  const kind = KINDS[resourceType];
  const live = await readOrNotFound(() => kind.read(ivs, arn));
  if (live === undefined) {
    return {
      resource: { ...base, arn, status: 'DELETED' },
      differences: [{ logicalId, property: RESOURCE_PROPERTY, deployed: arn, live: 'deleted' }],
      notCompared: [],
    };
  }
  const liveTags = await readOrNotFound(async () => (await ivs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags ?? {});
  const props = (resolve(definition.Properties ?? {}, ctx) ?? {}) as Props;
  const fields = [...kind.fields(props, live), ...mapFields('Tags', props.Tags, liveTags, isUserTag)];

  const differences: Difference[] = [];
  const notCompared: NotCompared[] = [];
  for (const [property, deployed, liveValue] of fields) {
    if (property === 'Name' && deployed === undefined) {
      // An adopted resource given no name keeps its own: the template asks for none.
      continue;
    }
    if (deployed instanceof Unresolved) {
      notCompared.push({ logicalId, property, reason: `the template gives ${deployed.expression}` });
    } else if (render(deployed) !== render(liveValue)) {
      differences.push({ logicalId, property, deployed: render(deployed), live: render(liveValue) });
    }
  }
  return { resource: { ...base, arn, status: differences.length > 0 ? 'DRIFTED' : 'IN_SYNC' }, differences, notCompared };
}

function stageFields(props: Props, live: Live): Field[] {
  const recording = props.AutoParticipantRecordingConfiguration;
  const liveRecording = (live.recording ?? {}) as {
    storageConfigurationArn?: string;
    mediaTypes?: string[];
    recordingReconnectWindowSeconds?: number;
    recordParticipantReplicas?: boolean;
    thumbnailConfiguration?: { recordingMode?: string; storage?: string[]; targetIntervalSeconds?: number };
    hlsConfiguration?: { targetSegmentDurationSeconds?: number };
  };
  const prefix = 'AutoParticipantRecordingConfiguration';
  const liveStorageArn = liveRecording.storageConfigurationArn || undefined;
  if (recording === undefined || recording instanceof Unresolved) {
    // No recording: IVS shows an empty storage configuration ARN, and defaults for the rest.
    return [['Name', props.Name, live.name], [`${prefix}.StorageConfigurationArn`, recording, liveStorageArn]];
  }
  const thumbnails = member(recording, 'ThumbnailConfiguration');
  const liveThumbnails = liveRecording.thumbnailConfiguration ?? {};
  const fields: Field[] = [
    ['Name', props.Name, live.name],
    [`${prefix}.StorageConfigurationArn`, member(recording, 'StorageConfigurationArn'), liveStorageArn],
    [`${prefix}.MediaTypes`, sorted(member(recording, 'MediaTypes')), sorted(liveRecording.mediaTypes)],
    [`${prefix}.ThumbnailConfiguration.RecordingMode`, member(thumbnails, 'RecordingMode'), liveThumbnails.recordingMode],
  ];
  // The construct writes these two only with INTERVAL thumbnails; otherwise IVS keeps its defaults, which mean nothing.
  const storage = member(thumbnails, 'Storage');
  if (storage !== undefined) {
    fields.push([`${prefix}.ThumbnailConfiguration.Storage`, sorted(storage), sorted(liveThumbnails.storage)]);
  }
  const interval = member(thumbnails, 'TargetIntervalSeconds');
  if (interval !== undefined) {
    fields.push([`${prefix}.ThumbnailConfiguration.TargetIntervalSeconds`,
      decoded(interval, decodeInteger, 'ThumbnailConfiguration.TargetIntervalSeconds'), liveThumbnails.targetIntervalSeconds]);
  }
  fields.push(
    [`${prefix}.RecordingReconnectWindowSeconds`,
      decoded(member(recording, 'RecordingReconnectWindowSeconds'), decodeInteger, 'RecordingReconnectWindowSeconds'),
      liveRecording.recordingReconnectWindowSeconds],
    [`${prefix}.HlsTargetSegmentDurationSeconds`,
      decoded(member(recording, 'HlsTargetSegmentDurationSeconds'), decodeInteger, 'HlsTargetSegmentDurationSeconds'),
      liveRecording.hlsConfiguration?.targetSegmentDurationSeconds],
    [`${prefix}.RecordParticipantReplicas`,
      decoded(member(recording, 'RecordParticipantReplicas'), decodeBoolean, 'RecordParticipantReplicas'),
      liveRecording.recordParticipantReplicas],
  );
  return fields;
}

/** A tag the stack sets: not the library's creator tag, not one AWS adds (`aws:`). */
function isUserTag(key: string): boolean {
  return key !== CREATOR_TAG_KEY && !key.startsWith('aws:');
}

/** One field per key of either map (tags, attributes). */
function mapFields(prefix: string, deployed: unknown, live: Record<string, string> | undefined, include = (_key: string) => true): Field[] {
  if (deployed instanceof Unresolved) {
    return [[prefix, deployed, undefined]];
  }
  const want = (deployed ?? {}) as Record<string, unknown>;
  const have = live ?? {};
  const keys = [...new Set([...Object.keys(want), ...Object.keys(have)])].filter(include).sort();
  return keys.map((key) => [`${prefix}.${key}`, want[key], have[key]]);
}

/** A member of a resolved object, passing an unresolved object on. */
function member(value: unknown, name: string): unknown {
  if (value instanceof Unresolved) {
    return value;
  }
  return (value as Record<string, unknown> | undefined)?.[name];
}

/** Decodes an encoded property as the handler does; an unresolved or absent one stays as it is. */
function decoded<T>(value: unknown, decode: (property: string, value: string) => T, property: string): unknown {
  return typeof value === 'string' ? decode(property, value) : value;
}

function sorted(value: unknown): unknown {
  return Array.isArray(value) ? [...value].sort() : value;
}

/** A value as the report prints it. */
function render(value: unknown): string {
  if (value === undefined || value === null || value === '') {
    return NONE;
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? NONE : value.map(String).join(', ');
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

async function readOrNotFound<T>(read: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') {
      return undefined;
    }
    throw error;
  }
}

async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
