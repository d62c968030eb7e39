import { notFoundError, validationError } from '../errors';
import type { OperationInputs } from '../inputs';
import type { TaggableRecord } from '../store';
import { OperationContext } from './context';

/** "At most 50 tags can be applied to a resource" (reference §10). */
const MAX_TAGS_PER_RESOURCE = 50;

function findResource(ctx: OperationContext, arn: string): TaggableRecord {
  const record = ctx.store.findTaggable(arn);
  if (!record) throw notFoundError(arn);
  return record;
}

export const tagOperations = {
  TagResource(ctx: OperationContext, input: OperationInputs['TagResource']) {
    const record = findResource(ctx, input.resourceArn!);
    const merged = { ...record.tags, ...input.tags };
    const count = Object.keys(merged).length;
    if (count > MAX_TAGS_PER_RESOURCE) {
      throw validationError(`tags: the resource would have ${count} tags, at most ${MAX_TAGS_PER_RESOURCE} are allowed`);
    }
    record.tags = merged;
    return {};
  },

  UntagResource(ctx: OperationContext, input: OperationInputs['UntagResource']) {
    const record = findResource(ctx, input.resourceArn!);
    const remaining = { ...record.tags };
    for (const key of input.tagKeys ?? []) delete remaining[key];
    record.tags = remaining;
    return {};
  },

  ListTagsForResource(ctx: OperationContext, input: OperationInputs['ListTagsForResource']) {
    return { tags: { ...findResource(ctx, input.resourceArn!).tags } };
  },
};
