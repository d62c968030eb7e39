import { IVSRealTimeClient } from '@aws-sdk/client-ivs-realtime';

/**
 * The one IVS Real-Time client of the handler bundle.
 *
 * The control-plane quota is 5 requests per second per operation, which a stack creating many
 * resources at once exceeds: throttled and 5xx calls are retried with the SDK's backoff. Per-call
 * timeouts keep a stalled connection from eating the handler's whole time budget. The endpoint
 * can be overridden the SDK's standard way (AWS_ENDPOINT_URL_IVS_REALTIME).
 */
export const ivs = new IVSRealTimeClient({
  maxAttempts: 8,
  requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
});
