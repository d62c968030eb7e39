import { conflictError, validationError } from '../errors';
import { participantId, resourceId, streamKey } from '../ids';
import type { OperationInputs } from '../inputs';
import { paginate } from '../pagination';
import { IngestConfigurationRecord, RedundantIngestCredential } from '../store';
import { checkQuota, clone, copyTags, getOrThrow, newArn, OperationContext } from './context';

const DEFAULT_LIST_INGEST_CONFIGURATIONS = 50;

export function ingestConfigurationView(record: IngestConfigurationRecord) {
  return clone({
    name: record.name,
    arn: record.arn,
    ingestProtocol: record.ingestProtocol,
    streamKey: record.streamKey,
    stageArn: record.stageArn,
    participantId: record.participantId,
    state: record.state,
    userId: record.userId,
    redundantIngest: record.redundantIngest,
    ...(record.redundantIngestCredentials ? { redundantIngestCredentials: record.redundantIngestCredentials } : {}),
    attributes: record.attributes,
    tags: record.tags,
  });
}

function ingestConfigurationSummary(record: IngestConfigurationRecord) {
  return clone({
    name: record.name,
    arn: record.arn,
    ingestProtocol: record.ingestProtocol,
    stageArn: record.stageArn,
    participantId: record.participantId,
    state: record.state,
    userId: record.userId,
    redundantIngest: record.redundantIngest,
  });
}

/**
 * A non-empty stageArn must name an existing stage. Reported as ValidationException because
 * CreateIngestConfiguration declares no ResourceNotFoundException (reference §16.13), and kept the same on update.
 */
function checkStage(ctx: OperationContext, stageArn: string | undefined): void {
  if (stageArn && !ctx.store.stages.has(stageArn)) {
    throw validationError(`stageArn: stage ${stageArn} does not exist`);
  }
}

function redundantCredentials(ctx: OperationContext, id: string): RedundantIngestCredential[] {
  return [{ participantId: participantId(), streamKey: streamKey(ctx.accountId, ctx.region, id) }];
}

export const ingestConfigurationOperations = {
  CreateIngestConfiguration(ctx: OperationContext, input: OperationInputs['CreateIngestConfiguration']) {
    checkQuota(ctx.store.ingestConfigurations.size, ctx.store.quotas.ingestConfigurations, 'ingest configurations');
    checkStage(ctx, input.stageArn);
    const id = resourceId();
    const redundantIngest = input.redundantIngest ?? false;
    const record: IngestConfigurationRecord = {
      arn: newArn(ctx, 'ingest-configuration', id),
      id,
      seq: ctx.store.nextSeq(),
      name: input.name ?? '',
      ingestProtocol: input.ingestProtocol!,
      insecureIngest: input.insecureIngest ?? false,
      streamKey: streamKey(ctx.accountId, ctx.region, id),
      participantId: participantId(),
      userId: input.userId ?? '',
      attributes: { ...(input.attributes ?? {}) },
      stageArn: input.stageArn ?? '',
      state: 'INACTIVE',
      redundantIngest,
      redundantIngestCredentials: redundantIngest ? redundantCredentials(ctx, id) : undefined,
      tags: copyTags(input.tags),
    };
    ctx.store.ingestConfigurations.set(record.arn, record);
    return { ingestConfiguration: ingestConfigurationView(record) };
  },

  GetIngestConfiguration(ctx: OperationContext, input: OperationInputs['GetIngestConfiguration']) {
    return { ingestConfiguration: ingestConfigurationView(getOrThrow(ctx.store.ingestConfigurations, input.arn!)) };
  },

  UpdateIngestConfiguration(ctx: OperationContext, input: OperationInputs['UpdateIngestConfiguration']) {
    const record = getOrThrow(ctx.store.ingestConfigurations, input.arn!);
    if (record.state === 'ACTIVE') throw conflictError(`Ingest configuration ${record.arn} is active and cannot be updated.`);
    checkStage(ctx, input.stageArn);
    if (input.stageArn !== undefined) record.stageArn = input.stageArn;
    if (input.redundantIngest !== undefined && input.redundantIngest !== record.redundantIngest) {
      record.redundantIngest = input.redundantIngest;
      record.redundantIngestCredentials = input.redundantIngest ? redundantCredentials(ctx, record.id) : undefined;
    }
    return { ingestConfiguration: ingestConfigurationView(record) };
  },

  DeleteIngestConfiguration(ctx: OperationContext, input: OperationInputs['DeleteIngestConfiguration']) {
    const record = getOrThrow(ctx.store.ingestConfigurations, input.arn!);
    if (record.state === 'ACTIVE' && input.force !== true) {
      throw conflictError(`Ingest configuration ${record.arn} is active; set force to delete it.`);
    }
    ctx.store.ingestConfigurations.delete(record.arn);
    return {};
  },

  ListIngestConfigurations(ctx: OperationContext, input: OperationInputs['ListIngestConfigurations']) {
    const matching = [...ctx.store.ingestConfigurations.values()].filter((record) =>
      (input.filterByStageArn === undefined || record.stageArn === input.filterByStageArn)
      && (input.filterByState === undefined || record.state === input.filterByState));
    const page = paginate('ListIngestConfigurations', matching, input.nextToken, input.maxResults, DEFAULT_LIST_INGEST_CONFIGURATIONS);
    return { ingestConfigurations: page.items.map(ingestConfigurationSummary), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  },
};
