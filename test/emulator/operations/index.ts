import type { OperationInputs } from '../inputs';
import type { OperationName } from '../shapes';
import { compositionOperations } from './compositions';
import type { OperationContext } from './context';
import { encoderConfigurationOperations } from './encoder-configurations';
import { ingestConfigurationOperations } from './ingest-configurations';
import { publicKeyOperations } from './public-keys';
import { stageOperations } from './stages';
import { storageConfigurationOperations } from './storage-configurations';
import { tagOperations } from './tags';

export type { OperationContext } from './context';

export type OperationHandler<K extends OperationName> = (ctx: OperationContext, input: OperationInputs[K]) => object;

/** One handler per operation of the shape table; the mapped type makes a missing handler a compile error. */
export const HANDLERS: { readonly [K in OperationName]: OperationHandler<K> } = {
  ...stageOperations,
  ...storageConfigurationOperations,
  ...encoderConfigurationOperations,
  ...ingestConfigurationOperations,
  ...publicKeyOperations,
  ...compositionOperations,
  ...tagOperations,
};

/** Runs the handler of `operation` on an input that already passed validation. */
export function invokeOperation<K extends OperationName>(operation: K, ctx: OperationContext, input: OperationInputs[K]): object {
  const handler = HANDLERS[operation] as OperationHandler<K>;
  return handler(ctx, input);
}
