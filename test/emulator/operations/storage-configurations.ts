import { conflictError, validationError } from '../errors';
import { resourceId } from '../ids';
import type { OperationInputs } from '../inputs';
import { paginate } from '../pagination';
import { isInProgress, StorageConfigurationRecord } from '../store';
import { checkQuota, clone, copyTags, getOrThrow, newArn, OperationContext } from './context';

/** "Your service quota or 100, whichever is smaller" (reference §1.5). */
/** "Your service quota or 100, whichever is smaller" (reference §1.5). */
const MAX_DEFAULT_LIST_STORAGE_CONFIGURATIONS = 100;

export function storageConfigurationView(record: StorageConfigurationRecord) {
  return clone({ arn: record.arn, name: record.name, s3: record.s3, tags: record.tags });
}

/** The bucket must be registered with the emulator and live in the emulator's Region. */
function checkBucket(ctx: OperationContext, bucketName: string): void {
  const bucketRegion = ctx.store.buckets.get(bucketName);
  if (bucketRegion === undefined) {
    throw validationError(`s3.bucketName: bucket ${JSON.stringify(bucketName)} does not exist`);
  }
  if (bucketRegion !== ctx.region) {
    throw validationError(`s3.bucketName: bucket ${JSON.stringify(bucketName)} is in ${bucketRegion}, not in ${ctx.region}`);
  }
}

export const storageConfigurationOperations = {
  CreateStorageConfiguration(ctx: OperationContext, input: OperationInputs['CreateStorageConfiguration']) {
    checkQuota(ctx.store.storageConfigurations.size, ctx.store.quotas.storageConfigurations, 'storage configurations');
    const bucketName = input.s3!.bucketName!;
    checkBucket(ctx, bucketName);
    const id = resourceId();
    const record: StorageConfigurationRecord = {
      arn: newArn(ctx, 'storage-configuration', id),
      id,
      seq: ctx.store.nextSeq(),
      name: input.name ?? '',
      s3: { bucketName },
      tags: copyTags(input.tags),
    };
    ctx.store.storageConfigurations.set(record.arn, record);
    return { storageConfiguration: storageConfigurationView(record) };
  },

  GetStorageConfiguration(ctx: OperationContext, input: OperationInputs['GetStorageConfiguration']) {
    return { storageConfiguration: storageConfigurationView(getOrThrow(ctx.store.storageConfigurations, input.arn!)) };
  },

  DeleteStorageConfiguration(ctx: OperationContext, input: OperationInputs['DeleteStorageConfiguration']) {
    const record = getOrThrow(ctx.store.storageConfigurations, input.arn!);
    const user = [...ctx.store.compositions.values()].find((c) => isInProgress(c) && c.references.includes(record.arn));
    if (user) throw conflictError(`Storage configuration ${record.arn} is used by composition ${user.arn}.`);
    ctx.store.storageConfigurations.delete(record.arn);
    return {};
  },

  ListStorageConfigurations(ctx: OperationContext, input: OperationInputs['ListStorageConfigurations']) {
    const page = paginate('ListStorageConfigurations', ctx.store.storageConfigurations.values(),
      input.nextToken, input.maxResults, Math.min(ctx.store.quotas.storageConfigurations, MAX_DEFAULT_LIST_STORAGE_CONFIGURATIONS));
    return { storageConfigurations: page.items.map(storageConfigurationView), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  },
};
