import { conflictError } from '../errors';
import { resourceId } from '../ids';
import type { OperationInputs } from '../inputs';
import { paginate } from '../pagination';
import { DEFAULT_VIDEO } from '../rules';
import { EncoderConfigurationRecord, isInProgress } from '../store';
import { checkQuota, clone, copyTags, getOrThrow, newArn, OperationContext } from './context';

const DEFAULT_LIST_ENCODER_CONFIGURATIONS = 100;

export function encoderConfigurationView(record: EncoderConfigurationRecord) {
  return clone({ arn: record.arn, name: record.name, video: record.video, tags: record.tags });
}

function encoderConfigurationSummary(record: EncoderConfigurationRecord) {
  return clone({ arn: record.arn, name: record.name, tags: record.tags });
}

export const encoderConfigurationOperations = {
  CreateEncoderConfiguration(ctx: OperationContext, input: OperationInputs['CreateEncoderConfiguration']) {
    checkQuota(ctx.store.encoderConfigurations.size, ctx.store.quotas.encoderConfigurations, 'encoder configurations');
    const id = resourceId();
    const record: EncoderConfigurationRecord = {
      arn: newArn(ctx, 'encoder-configuration', id),
      id,
      seq: ctx.store.nextSeq(),
      name: input.name ?? '',
      video: { ...DEFAULT_VIDEO, ...input.video },
      tags: copyTags(input.tags),
    };
    ctx.store.encoderConfigurations.set(record.arn, record);
    return { encoderConfiguration: encoderConfigurationView(record) };
  },

  GetEncoderConfiguration(ctx: OperationContext, input: OperationInputs['GetEncoderConfiguration']) {
    return { encoderConfiguration: encoderConfigurationView(getOrThrow(ctx.store.encoderConfigurations, input.arn!)) };
  },

  DeleteEncoderConfiguration(ctx: OperationContext, input: OperationInputs['DeleteEncoderConfiguration']) {
    const record = getOrThrow(ctx.store.encoderConfigurations, input.arn!);
    const user = [...ctx.store.compositions.values()].find((c) => isInProgress(c) && c.references.includes(record.arn));
    if (user) throw conflictError(`Encoder configuration ${record.arn} is used by composition ${user.arn}.`);
    ctx.store.encoderConfigurations.delete(record.arn);
    return {};
  },

  ListEncoderConfigurations(ctx: OperationContext, input: OperationInputs['ListEncoderConfigurations']) {
    const page = paginate('ListEncoderConfigurations', ctx.store.encoderConfigurations.values(),
      input.nextToken, input.maxResults, DEFAULT_LIST_ENCODER_CONFIGURATIONS);
    return { encoderConfigurations: page.items.map(encoderConfigurationSummary), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  },
};
