/**
 * Cross-field rules that the model cannot express (reference §3, §6, §7, §9 and §17). They run only
 * after the input passed shape validation, so member types can be trusted here.
 */
import type { AutoParticipantRecordingConfiguration } from '@aws-sdk/client-ivs-realtime';
import type { OperationInputs } from './inputs';
import type { OperationName } from './shapes';
import { throwIfViolations, Violation } from './validation';

/** Default encoder video settings (reference §6). */
export const DEFAULT_VIDEO = { width: 1280, height: 720, framerate: 30, bitrate: 2500000 } as const;
/** 1920x1080: the largest frame area an encoder configuration accepts. */
export const MAX_VIDEO_AREA = 2073600;
/** Participant attributes may take at most 1 KB in total (documented, not modelled). */
export const MAX_ATTRIBUTES_BYTES = 1024;

type Rule<K extends OperationName> = (input: OperationInputs[K]) => Violation[];

function thumbnailRule(config: AutoParticipantRecordingConfiguration | undefined): Violation[] {
  const thumbnail = config?.thumbnailConfiguration;
  if (thumbnail?.targetIntervalSeconds !== undefined && thumbnail.recordingMode !== 'INTERVAL') {
    return [{
      path: 'autoParticipantRecordingConfiguration.thumbnailConfiguration.targetIntervalSeconds',
      message: 'may only be set when recordingMode is INTERVAL',
    }];
  }
  return [];
}

function attributesRule(attributes: Record<string, string> | undefined, path: string): Violation[] {
  if (!attributes) return [];
  const bytes = Object.entries(attributes).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  return bytes > MAX_ATTRIBUTES_BYTES ? [{ path, message: `attributes take ${bytes} bytes, at most ${MAX_ATTRIBUTES_BYTES} allowed` }] : [];
}

function reservedTagKeys(keys: Iterable<string> | undefined, path: string): Violation[] {
  for (const key of keys ?? []) {
    if (key.toLowerCase().startsWith('aws:')) {
      return [{ path, message: `tag key ${JSON.stringify(key)} uses the reserved prefix aws:` }];
    }
  }
  return [];
}

const tagsRule = (tags: Record<string, string> | undefined) => reservedTagKeys(tags ? Object.keys(tags) : undefined, 'tags');

const RULES: { [K in OperationName]?: Rule<K> } = {
  CreateStage: (input) => [
    ...thumbnailRule(input.autoParticipantRecordingConfiguration),
    ...(input.participantTokenConfigurations ?? []).flatMap((token, i) =>
      attributesRule(token.attributes, `participantTokenConfigurations[${i}].attributes`)),
    ...tagsRule(input.tags),
  ],
  UpdateStage: (input) => thumbnailRule(input.autoParticipantRecordingConfiguration),
  CreateParticipantToken: (input) => attributesRule(input.attributes, 'attributes'),
  CreateStorageConfiguration: (input) => tagsRule(input.tags),
  CreateEncoderConfiguration: (input) => {
    const video = { ...DEFAULT_VIDEO, ...input.video };
    const violations: Violation[] = [];
    if (video.width % 2 !== 0) violations.push({ path: 'video.width', message: `must be even, got ${video.width}` });
    if (video.height % 2 !== 0) violations.push({ path: 'video.height', message: `must be even, got ${video.height}` });
    if (video.width * video.height > MAX_VIDEO_AREA) {
      violations.push({ path: 'video', message: `width x height is ${video.width * video.height}, at most ${MAX_VIDEO_AREA} (1920x1080) allowed` });
    }
    return [...violations, ...tagsRule(input.tags)];
  },
  CreateIngestConfiguration: (input) => [
    ...(input.ingestProtocol === 'RTMP' && input.insecureIngest !== true
      ? [{ path: 'insecureIngest', message: 'must be true when ingestProtocol is RTMP' }]
      : []),
    ...attributesRule(input.attributes, 'attributes'),
    ...tagsRule(input.tags),
  ],
  ListIngestConfigurations: (input) => (input.filterByStageArn !== undefined && input.filterByState !== undefined
    ? [{ path: 'filterByStageArn', message: 'only one of filterByStageArn and filterByState may be set' }]
    : []),
  ImportPublicKey: (input) => tagsRule(input.tags),
  StartComposition: (input) => {
    const violations: Violation[] = [];
    if (input.layout?.grid && input.layout.pip) {
      violations.push({ path: 'layout', message: 'only one of grid and pip may be set' });
    }
    input.destinations?.forEach((destination, i) => {
      if ((destination.channel === undefined) === (destination.s3 === undefined)) {
        violations.push({ path: `destinations[${i}]`, message: 'exactly one of channel and s3 must be set' });
      }
    });
    const channels = input.destinations?.filter((d) => d.channel).length ?? 0;
    const s3s = input.destinations?.filter((d) => d.s3).length ?? 0;
    if (channels > 1 || s3s > 1) {
      violations.push({ path: 'destinations', message: 'at most one channel destination and one s3 destination are allowed' });
    }
    return [...violations, ...tagsRule(input.tags)];
  },
  TagResource: (input) => tagsRule(input.tags),
  UntagResource: (input) => reservedTagKeys(input.tagKeys, 'tagKeys'),
};

/** Throws a ValidationException when a cross-field rule of `operation` is broken. */
export function checkCrossFieldRules<K extends OperationName>(operation: K, input: OperationInputs[K]): void {
  const rule = RULES[operation] as Rule<K> | undefined;
  if (rule) throwIfViolations(rule(input));
}
