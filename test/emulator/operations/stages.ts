import type { AutoParticipantRecordingConfiguration, ParticipantTokenConfiguration } from '@aws-sdk/client-ivs-realtime';
import { validationError } from '../errors';
import { isoTimestamp, participantId, resourceId, stageEndpoints } from '../ids';
import type { OperationInputs } from '../inputs';
import { paginate } from '../pagination';
import { serviceToken } from '../participants';
import { RecordingConfiguration, StageRecord } from '../store';
import { checkQuota, clone, copyTags, getOrThrow, newArn, OperationContext } from './context';

const DEFAULT_TOKEN_DURATION_MINUTES = 720;
const DEFAULT_CAPABILITIES = ['PUBLISH', 'SUBSCRIBE'];
const DEFAULT_LIST_STAGES = 50;

/** Recording settings a stage has when recording is off (storageConfigurationArn ""), per the documented defaults. */
export function defaultRecordingConfiguration(): RecordingConfiguration {
  return {
    storageConfigurationArn: '',
    mediaTypes: ['AUDIO_VIDEO'],
    thumbnailConfiguration: { targetIntervalSeconds: 60, storage: ['SEQUENTIAL'], recordingMode: 'DISABLED' },
    recordingReconnectWindowSeconds: 0,
    hlsConfiguration: { targetSegmentDurationSeconds: 6 },
    // Documented default is true; the Smithy @default(false) contradicts it (reference §3.2).
    recordParticipantReplicas: true,
  };
}

/**
 * The complete configuration a stage ends up with when `given` is sent: members left out take their
 * defaults, and "" as storage configuration resets everything. A non-empty storage configuration must exist
 * (ValidationException: CreateStage declares no ResourceNotFoundException).
 */
function resolveRecordingConfiguration(ctx: OperationContext, given: AutoParticipantRecordingConfiguration | undefined): RecordingConfiguration {
  const defaults = defaultRecordingConfiguration();
  if (!given || given.storageConfigurationArn === '' || given.storageConfigurationArn === undefined) return defaults;
  if (!ctx.store.storageConfigurations.has(given.storageConfigurationArn)) {
    throw validationError(
      `autoParticipantRecordingConfiguration.storageConfigurationArn: storage configuration ${given.storageConfigurationArn} does not exist`);
  }
  return {
    storageConfigurationArn: given.storageConfigurationArn,
    mediaTypes: given.mediaTypes?.length ? [...given.mediaTypes] : defaults.mediaTypes,
    thumbnailConfiguration: {
      targetIntervalSeconds: given.thumbnailConfiguration?.targetIntervalSeconds ?? defaults.thumbnailConfiguration.targetIntervalSeconds,
      storage: given.thumbnailConfiguration?.storage?.length ? [...given.thumbnailConfiguration.storage] : defaults.thumbnailConfiguration.storage,
      recordingMode: given.thumbnailConfiguration?.recordingMode ?? defaults.thumbnailConfiguration.recordingMode,
    },
    recordingReconnectWindowSeconds: given.recordingReconnectWindowSeconds ?? defaults.recordingReconnectWindowSeconds,
    hlsConfiguration: {
      targetSegmentDurationSeconds: given.hlsConfiguration?.targetSegmentDurationSeconds ?? defaults.hlsConfiguration.targetSegmentDurationSeconds,
    },
    recordParticipantReplicas: given.recordParticipantReplicas ?? defaults.recordParticipantReplicas,
  };
}

function participantToken(stage: StageRecord, config: Omit<ParticipantTokenConfiguration, 'capabilities'> & { capabilities?: string[] }) {
  const duration = config.duration ?? DEFAULT_TOKEN_DURATION_MINUTES;
  const capabilities = config.capabilities ?? DEFAULT_CAPABILITIES;
  const id = participantId();
  const expiresAt = Date.now() + duration * 60_000;
  return {
    participantId: id,
    token: serviceToken({
      exp: Math.floor(expiresAt / 1000),
      iat: Math.floor(Date.now() / 1000),
      jti: id,
      resource: stage.arn,
      topic: stage.id,
      capabilities: { allow_publish: capabilities.includes('PUBLISH'), allow_subscribe: capabilities.includes('SUBSCRIBE') },
      ...(config.userId !== undefined ? { user_id: config.userId } : {}),
      ...(config.attributes !== undefined ? { attributes: config.attributes } : {}),
      version: '1.0',
    }),
    ...(config.userId !== undefined ? { userId: config.userId } : {}),
    ...(config.attributes !== undefined ? { attributes: { ...config.attributes } } : {}),
    duration,
    capabilities: [...capabilities],
    expirationTime: isoTimestamp(expiresAt),
  };
}

export function stageView(stage: StageRecord) {
  return clone({
    arn: stage.arn,
    name: stage.name,
    tags: stage.tags,
    autoParticipantRecordingConfiguration: stage.autoParticipantRecordingConfiguration,
    endpoints: stage.endpoints,
    ...(stage.activeSessionId ? { activeSessionId: stage.activeSessionId } : {}),
  });
}

function stageSummary(stage: StageRecord) {
  return clone({ arn: stage.arn, name: stage.name, tags: stage.tags, ...(stage.activeSessionId ? { activeSessionId: stage.activeSessionId } : {}) });
}

export const stageOperations = {
  CreateStage(ctx: OperationContext, input: OperationInputs['CreateStage']) {
    checkQuota(ctx.store.stages.size, ctx.store.quotas.stages, 'stages');
    const autoParticipantRecordingConfiguration = resolveRecordingConfiguration(ctx, input.autoParticipantRecordingConfiguration);
    const id = resourceId();
    const stage: StageRecord = {
      arn: newArn(ctx, 'stage', id),
      id,
      seq: ctx.store.nextSeq(),
      name: input.name ?? '',
      tags: copyTags(input.tags),
      autoParticipantRecordingConfiguration,
      endpoints: stageEndpoints(),
    };
    ctx.store.stages.set(stage.arn, stage);
    const participantTokens = (input.participantTokenConfigurations ?? []).map((config) => participantToken(stage, config));
    return { stage: stageView(stage), participantTokens };
  },

  GetStage(ctx: OperationContext, input: OperationInputs['GetStage']) {
    return { stage: stageView(getOrThrow(ctx.store.stages, input.arn!)) };
  },

  UpdateStage(ctx: OperationContext, input: OperationInputs['UpdateStage']) {
    const stage = getOrThrow(ctx.store.stages, input.arn!);
    // Resolve first so a rejected update leaves the stage untouched.
    const recording = input.autoParticipantRecordingConfiguration !== undefined
      ? resolveRecordingConfiguration(ctx, input.autoParticipantRecordingConfiguration)
      : stage.autoParticipantRecordingConfiguration;
    if (input.name !== undefined) stage.name = input.name;
    stage.autoParticipantRecordingConfiguration = recording;
    return { stage: stageView(stage) };
  },

  DeleteStage(ctx: OperationContext, input: OperationInputs['DeleteStage']) {
    const stage = getOrThrow(ctx.store.stages, input.arn!);
    ctx.store.stages.delete(stage.arn);
    for (const ingest of ctx.store.ingestConfigurations.values()) {
      if (ingest.stageArn === stage.arn) ingest.stageArn = '';
    }
    // Compositions end when their stage goes away.
    for (const composition of [...ctx.store.compositions.values()]) {
      if (composition.stageArn === stage.arn) ctx.store.compositions.delete(composition.arn);
    }
    return {};
  },

  ListStages(ctx: OperationContext, input: OperationInputs['ListStages']) {
    const page = paginate('ListStages', ctx.store.stages.values(), input.nextToken, input.maxResults, DEFAULT_LIST_STAGES);
    return { stages: page.items.map(stageSummary), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  },

  CreateParticipantToken(ctx: OperationContext, input: OperationInputs['CreateParticipantToken']) {
    const stage = getOrThrow(ctx.store.stages, input.stageArn!);
    return { participantToken: participantToken(stage, input) };
  },
};
