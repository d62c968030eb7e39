import { generateKeyPairSync } from 'node:crypto';
import {
  ConflictException,
  DeletePublicKeyCommand,
  GetPublicKeyCommand,
  ImportPublicKeyCommand,
  PublicKey,
} from '@aws-sdk/client-ivs-realtime';
import type {
  CloudFormationCustomResourceCreateEvent,
  CloudFormationCustomResourceDeleteEvent,
  CloudFormationCustomResourceUpdateEvent,
} from 'aws-lambda';
import { InvalidPropertyError } from './decode';
import { ivs } from './ivs-client';
import { deleteIvsResource, rollsBackFailedReplacement } from './lifecycle';
import { writeOwnedSecretOrUndo } from './secrets-client';
import { updateTags } from './tags';
import type {
  PrivateKeySecretValue,
  PublicKeyResourceProperties,
  PublicKeyResponseData,
} from '../src/custom-resources/public-key-contract';

type Properties = PublicKeyResourceProperties;

export interface PublicKeyResponse {
  readonly PhysicalResourceId: string;
  readonly Data: PublicKeyResponseData;
}


/** IVS verifies ES384 participant tokens: ECDSA on P-384. */
const CURVE = 'secp384r1';

/**
 * Imports the given PEM, or generates a key pair, imports its public half and writes the private
 * half into the secret. The private key exists only in this invocation's memory and in the secret.
 */
export async function onCreate(event: CloudFormationCustomResourceCreateEvent<Properties>): Promise<PublicKeyResponse> {
  return importKey(event.ResourceProperties, event.RequestId);
}

/**
 * Tags change in place, by difference. IVS has no update operation for public keys, so any other
 * change imports a new key under a new physical ID, and CloudFormation deletes the old one. The
 * rollback of a replacing update that failed changes the key in place: it still is what it was.
 */
export async function onUpdate(event: CloudFormationCustomResourceUpdateEvent<Properties>): Promise<PublicKeyResponse> {
  const arn = event.PhysicalResourceId;
  const props = event.ResourceProperties;
  const old = event.OldResourceProperties;
  const replaces = props.Name !== old.Name
    || props.PublicKeyMaterial !== old.PublicKeyMaterial
    || props.PrivateKeySecretArn !== old.PrivateKeySecretArn;
  if (replaces && !await rollsBackFailedReplacement(
    async () => (await ivs.send(new GetPublicKeyCommand({ arn }))).publicKey,
    hasProperties, props, old,
  )) {
    try {
      return await importKey(props, event.RequestId);
    } catch (error) {
      if (error instanceof ConflictException && props.PublicKeyMaterial !== undefined && props.PublicKeyMaterial === old.PublicKeyMaterial) {
        throw new Error(`${error.exceptionMessage ?? error.message}: the key is replaced to rename it, and IVS imports the same key `
          + 'only once, so a renamed key needs new material (or remove the key in one deploy and add it back renamed in the next)');
      }
      throw error;
    }
  }
  await updateTags(arn, old.Tags, props.Tags);
  // CloudFormation takes the attributes of every response as the new ones, so they are read back.
  const { publicKey } = await ivs.send(new GetPublicKeyCommand({ arn }));
  return respond(publicKey);
}

/**
 * Deletes the key; participant tokens signed with its private key no longer verify. A key that
 * is already gone, or an ID that is not a public key ARN (CloudFormation invents one when a
 * create never answered), has nothing to delete. The secret is left as it is: a delete cannot
 * tell a replacement's cleanup from its rollback (see the README).
 */
export async function onDelete(event: CloudFormationCustomResourceDeleteEvent<Properties>): Promise<void> {
  await deleteIvsResource(event.PhysicalResourceId, 'public-key', (arn) => ivs.send(new DeletePublicKeyCommand({ arn })));
}

/**
 * Whether the key has the name and material of `props`. The material of a generated key is not in
 * `props`, so any key with the name matches: a generated key is told apart from a given one by
 * the given one's material, on the other side of the comparison.
 */
function hasProperties(key: PublicKey, props: Properties): boolean {
  if (key.name !== props.Name) {
    return false;
  }
  if (props.PublicKeyMaterial === undefined) {
    return true;
  }
  const given = pemBody(props.PublicKeyMaterial);
  return given !== undefined && given === pemBody(key.publicKeyMaterial);
}

/** The base64 of a PEM public key, without the line breaks that may differ between copies. */
function pemBody(pem: string | undefined): string | undefined {
  return /-----BEGIN PUBLIC KEY-----([a-zA-Z0-9+/=\s]+)-----END PUBLIC KEY-----/.exec(pem ?? '')?.[1].replace(/\s/g, '');
}

async function importKey(props: Properties, requestId: string): Promise<PublicKeyResponse> {
  const material = props.PublicKeyMaterial;
  const secretArn = props.PrivateKeySecretArn;
  if ((material === undefined) === (secretArn === undefined)) {
    throw new InvalidPropertyError('PublicKeyMaterial', 'present exactly when PrivateKeySecretArn is absent', material ?? null);
  }
  if (material !== undefined) {
    const { publicKey } = await ivs.send(new ImportPublicKeyCommand({ publicKeyMaterial: material, name: props.Name, tags: props.Tags }));
    return respond(publicKey);
  }

  const pair = generateKeyPairSync('ec', { namedCurve: CURVE });
  const { publicKey } = await ivs.send(new ImportPublicKeyCommand({
    publicKeyMaterial: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    name: props.Name,
    tags: props.Tags,
  }));
  const response = respond(publicKey);
  const arn = response.PhysicalResourceId;
  const value: PrivateKeySecretValue = {
    publicKeyArn: arn,
    privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  await writeOwnedSecretOrUndo(secretArn!, arn, requestId, value, () => ivs.send(new DeletePublicKeyCommand({ arn })));
  return response;
}

function respond(publicKey: PublicKey | undefined): PublicKeyResponse {
  const arn = publicKey?.arn;
  if (!arn) {
    throw new Error('the IVS response has no public key');
  }
  return {
    PhysicalResourceId: arn,
    Data: {
      Arn: arn,
      PublicKeyId: arn.slice(arn.lastIndexOf('/') + 1),
      Fingerprint: publicKey.fingerprint ?? '',
    },
  };
}
