import { notFoundError } from '../errors';
import { idFromArn, isoTimestamp, resourceId } from '../ids';
import type { OperationInputs } from '../inputs';
import { paginate } from '../pagination';
import { CompositionDestinationRecord, CompositionRecord, isInProgress } from '../store';
import { checkQuota, clone, copyTags, getOrThrow, newArn, OperationContext } from './context';

const DEFAULT_LIST_COMPOSITIONS = 100;

/** Minimal composition support: enough to hold storage/encoder configurations "in use" (reference §5, §6). */
export function compositionView(record: CompositionRecord) {
  return clone({
    arn: record.arn,
    stageArn: record.stageArn,
    state: record.state,
    layout: record.layout,
    destinations: record.destinations,
    tags: record.tags,
    startTime: record.startTime,
    ...(record.endTime ? { endTime: record.endTime } : {}),
  });
}

function compositionSummary(record: CompositionRecord) {
  return clone({
    arn: record.arn,
    stageArn: record.stageArn,
    destinations: record.destinations.map(({ id, state, startTime, endTime }) => ({ id, state, startTime, ...(endTime ? { endTime } : {}) })),
    state: record.state,
    tags: record.tags,
    startTime: record.startTime,
    ...(record.endTime ? { endTime: record.endTime } : {}),
  });
}

/** Storage and encoder configuration ARNs the destinations refer to; each must exist (404, which StartComposition declares). */
function referencedConfigurations(ctx: OperationContext, input: OperationInputs['StartComposition']): string[] {
  const references: string[] = [];
  for (const destination of input.destinations ?? []) {
    if (destination.channel?.encoderConfigurationArn) references.push(destination.channel.encoderConfigurationArn);
    if (destination.s3) references.push(destination.s3.storageConfigurationArn!, ...(destination.s3.encoderConfigurationArns ?? []));
  }
  for (const arn of references) {
    const exists = ctx.store.storageConfigurations.has(arn) || ctx.store.encoderConfigurations.has(arn);
    if (!exists) throw notFoundError(arn);
  }
  return references;
}

export const compositionOperations = {
  StartComposition(ctx: OperationContext, input: OperationInputs['StartComposition']) {
    const stage = getOrThrow(ctx.store.stages, input.stageArn!);
    const existing = [...ctx.store.compositions.values()].find((c) =>
      input.idempotencyToken !== undefined && c.idempotencyToken === input.idempotencyToken && c.stageArn === stage.arn);
    if (existing) return { composition: compositionView(existing) };
    const references = referencedConfigurations(ctx, input);
    // Only compositions in progress count: an ended one stays readable for a while, as in IVS.
    const inProgress = [...ctx.store.compositions.values()].filter(isInProgress);
    checkQuota(inProgress.length, ctx.store.quotas.concurrentCompositions, 'concurrent compositions');
    const onStage = inProgress.filter((c) => c.stageArn === stage.arn).length;
    checkQuota(onStage, ctx.store.quotas.compositionsPerStage, 'compositions per stage');

    const id = resourceId();
    const startTime = isoTimestamp();
    const destinations: CompositionDestinationRecord[] = (input.destinations ?? []).map((configuration) => {
      const destinationId = resourceId();
      return {
        id: destinationId,
        state: 'ACTIVE',
        startTime,
        configuration: clone(configuration) as Record<string, unknown>,
        ...(configuration.s3 ? { detail: { s3: { recordingPrefix: `${idFromArn(stage.arn)}/${id}/${destinationId}` } } } : {}),
      };
    });
    const record: CompositionRecord = {
      arn: newArn(ctx, 'composition', id),
      id,
      seq: ctx.store.nextSeq(),
      stageArn: stage.arn,
      state: 'ACTIVE',
      layout: clone(input.layout ?? { grid: {} }) as Record<string, unknown>,
      destinations,
      startTime,
      idempotencyToken: input.idempotencyToken,
      references,
      tags: copyTags(input.tags),
    };
    ctx.store.compositions.set(record.arn, record);
    return { composition: compositionView(record) };
  },

  GetComposition(ctx: OperationContext, input: OperationInputs['GetComposition']) {
    return { composition: compositionView(getOrThrow(ctx.store.compositions, input.arn!)) };
  },

  /** "Stops and deletes" the composition; its configurations are free again right away. */
  StopComposition(ctx: OperationContext, input: OperationInputs['StopComposition']) {
    const record = getOrThrow(ctx.store.compositions, input.arn!);
    ctx.store.compositions.delete(record.arn);
    return {};
  },

  ListCompositions(ctx: OperationContext, input: OperationInputs['ListCompositions']) {
    const matching = [...ctx.store.compositions.values()].filter((record) =>
      (input.filterByStageArn === undefined || record.stageArn === input.filterByStageArn)
      && (input.filterByEncoderConfigurationArn === undefined || record.references.includes(input.filterByEncoderConfigurationArn)));
    const page = paginate('ListCompositions', matching, input.nextToken, input.maxResults, DEFAULT_LIST_COMPOSITIONS);
    return { compositions: page.items.map(compositionSummary), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  },
};
