import { IVSRealTimeClient } from '@aws-sdk/client-ivs-realtime';
import { DeadlineRetryStrategy, REQUEST_HANDLER } from './deadline';

/*
 * The IVS Real-Time clients of the handler bundle. The endpoint can be overridden the SDK's
 * standard way (AWS_ENDPOINT_URL_IVS_REALTIME).
 */

/**
 * For every call that can be made twice with the same outcome (reads, updates, tags, deletes):
 * throttled calls and calls whose answer was lost are retried until the invocation's deadline.
 */
export const ivs = new IVSRealTimeClient({
  retryStrategy: new DeadlineRetryStrategy(true),
  requestHandler: REQUEST_HANDLER,
});

/**
 * For the create calls, which take no client token: a second CreateStage after a lost answer would
 * make a second stage. Only throttled calls are retried here; a lost answer goes back to the
 * handler, which looks for what the call made before it tries again (see `createOwned`).
 */
export const ivsCreate = new IVSRealTimeClient({
  retryStrategy: new DeadlineRetryStrategy(false),
  requestHandler: REQUEST_HANDLER,
});
