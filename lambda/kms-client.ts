import { KMSClient } from '@aws-sdk/client-kms';
import { DeadlineRetryStrategy, REQUEST_HANDLER } from './deadline';

/**
 * The one KMS client of the handler bundle, configured like the IVS client. The endpoint can be
 * overridden the SDK's standard way (AWS_ENDPOINT_URL_KMS).
 *
 * The public key handler only reads the public half of a KMS-backed key with it.
 */
export const kms = new KMSClient({
  retryStrategy: new DeadlineRetryStrategy(true),
  requestHandler: REQUEST_HANDLER,
});
