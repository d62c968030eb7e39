import { createHash } from 'node:crypto';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DeadlineRetryStrategy, REQUEST_HANDLER } from './deadline';

/**
 * The one Secrets Manager client of the handler bundle, configured like the IVS client. The
 * endpoint can be overridden the SDK's standard way (AWS_ENDPOINT_URL_SECRETS_MANAGER).
 *
 * Handlers only ever write the secrets their constructs own; they never read a secret's value.
 */
export const secretsManager = new SecretsManagerClient({
  // PutSecretValue with a ClientRequestToken can be made twice: the lost answers are retried too.
  retryStrategy: new DeadlineRetryStrategy(true),
  requestHandler: REQUEST_HANDLER,
});

/**
 * How long to wait before each further attempt of a write that was denied. The write permission
 * on a secret is added to the handler's role in the same deployment that first uses it, and IAM
 * takes a few seconds to apply it everywhere; the SDK does not retry AccessDenied itself.
 */
export const PERMISSION_PROPAGATION_DELAYS_MS = [1_000, 2_000, 4_000, 8_000];

/**
 * Makes `value` (JSON-encoded) the secret's current value; the value before it stays in the
 * secret as its AWSPREVIOUS version. The version ID is made of digests of the resource whose
 * credential it is and of the request: a retried write of the same request is idempotent, and a
 * retried request that created another resource writes a version of its own.
 */
export async function writeOwnedSecret(
  secretArn: string,
  owner: string,
  requestId: string,
  value: object,
  delaysMs: readonly number[] = PERMISSION_PROPAGATION_DELAYS_MS,
): Promise<void> {
  const command = new PutSecretValueCommand({
    SecretId: secretArn,
    ClientRequestToken: digest(owner) + digest(requestId),
    SecretString: JSON.stringify(value),
  });
  for (let attempt = 0; ; attempt++) {
    try {
      await secretsManager.send(command);
      return;
    } catch (error) {
      if ((error as Error).name !== 'AccessDeniedException' || attempt >= delaysMs.length) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, delaysMs[attempt]));
    }
  }
}

/** 32 hex characters: two of them make a version ID (32 to 64 characters). */
function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
