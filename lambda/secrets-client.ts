import { createHash } from 'node:crypto';
import {
  DescribeSecretCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';

/**
 * The one Secrets Manager client of the handler bundle, configured like the IVS client. The
 * endpoint can be overridden the SDK's standard way (AWS_ENDPOINT_URL_SECRETS_MANAGER).
 *
 * Handlers only ever write the secrets their constructs own; they never read a secret's value.
 */
export const secretsManager = new SecretsManagerClient({
  maxAttempts: 8,
  requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
});

/**
 * How long to wait before each further attempt of a write that was denied. The write permission
 * on a secret is added to the handler's role in the same deployment that first uses it, and IAM
 * takes a few seconds to apply it everywhere; the SDK does not retry AccessDenied itself.
 */
export const PERMISSION_PROPAGATION_DELAYS_MS = [1_000, 2_000, 4_000, 8_000];

const CURRENT = 'AWSCURRENT';
const PREVIOUS = 'AWSPREVIOUS';

/** The ID of a version that `writeOwnedSecret` wrote: two digests. */
const OWNED_VERSION_ID = /^[0-9a-f]{64}$/;

/**
 * Makes `value` (JSON-encoded) the secret's current value, as a version whose ID starts with a
 * digest of `owner`, the ARN of the resource whose credential it is. The ID lets a later delete of
 * that resource recognise the version without reading the value (see `restorePreviousValue`); the
 * request ID makes a retried write of the same request idempotent.
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

/**
 * Writes a freshly created resource's credential into its secret, or, if that fails, deletes the
 * resource again before failing: CloudFormation never learns the ID of a resource whose create or
 * replacing update failed, so nothing else would ever delete it. If the undo fails too, the error
 * names the resource left behind.
 */
export async function writeOwnedSecretOrUndo(
  secretArn: string,
  owner: string,
  requestId: string,
  value: object,
  undo: () => Promise<unknown>,
): Promise<void> {
  try {
    await writeOwnedSecret(secretArn, owner, requestId, value);
  } catch (error) {
    try {
      await undo();
    } catch (undoError) {
      const failure = new Error(
        `${(error as Error).message}; deleting ${owner} afterwards failed too (${describe(undoError)}): delete it by hand`,
      );
      failure.name = (error as Error).name;
      throw failure;
    }
    throw error;
  }
}

/**
 * Called when `owner` is deleted, to keep the secret holding the credential of the resource that
 * stays. A Delete cannot tell whether it is a replacement's cleanup or a rollback, but the
 * secret's versions can:
 *
 * - its current value is `owner`'s and the value before it another resource's: `owner` replaced
 *   that resource and the replacement is being rolled back (a replacement that succeeds deletes
 *   the old resource, not the new one), so the previous value becomes current again;
 * - its previous value is `owner`'s: `owner` was replaced and this is the cleanup after that
 *   replacement succeeded, so `owner`'s value stops being "previous", and a later delete of the
 *   replacement is not taken for the rollback above.
 *
 * Best effort: a delete must not fail for this, so problems are logged, never thrown.
 */
export async function restorePreviousValue(secretArn: string, owner: string): Promise<void> {
  try {
    const { VersionIdsToStages = {} } = await secretsManager.send(new DescribeSecretCommand({ SecretId: secretArn }));
    const versionWith = (stage: string) => Object.keys(VersionIdsToStages).find((id) => VersionIdsToStages[id].includes(stage));
    const current = versionWith(CURRENT);
    const previous = versionWith(PREVIOUS);
    // A previous version this module did not write is the value the secret was created with, not
    // a replaced resource's: `owner` is simply leaving (a stack delete, or the rollback of its create).
    if (!previous || !OWNED_VERSION_ID.test(previous)) {
      return;
    }
    const mine = digest(owner);
    const currentIsMine = current?.startsWith(mine) ?? false;
    if (previous.startsWith(mine)) {
      if (!currentIsMine) {
        await secretsManager.send(new UpdateSecretVersionStageCommand({
          SecretId: secretArn,
          VersionStage: PREVIOUS,
          RemoveFromVersionId: previous,
        }));
      }
      return;
    }
    if (!currentIsMine) {
      return;
    }
    await secretsManager.send(new UpdateSecretVersionStageCommand({
      SecretId: secretArn,
      VersionStage: CURRENT,
      MoveToVersionId: previous,
      RemoveFromVersionId: current,
    }));
    console.log(`made the previous value of ${secretArn} current again: ${owner}, which had replaced its owner, is rolled back`);
  } catch (error) {
    if (error instanceof ResourceNotFoundException) {
      return;
    }
    console.log(`could not restore the previous value of ${secretArn}: ${describe(error)}`);
  }
}

/** 32 hex characters: two of them make a version ID (32 to 64 characters), the owner's first. */
function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

function describe(error: unknown): string {
  const { name, message } = error as { name?: string; message?: string };
  return `${name ?? 'Error'}: ${message ?? String(error)}`;
}
