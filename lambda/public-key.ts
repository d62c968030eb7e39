import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import {
  ConflictException,
  DeletePublicKeyCommand,
  GetPublicKeyCommand,
  ImportPublicKeyCommand,
  PublicKey,
  paginateListPublicKeys,
} from '@aws-sdk/client-ivs-realtime';
import { GetPublicKeyCommand as GetKmsPublicKeyCommand } from '@aws-sdk/client-kms';
import type {
  CloudFormationCustomResourceCreateEvent,
  CloudFormationCustomResourceDeleteEvent,
  CloudFormationCustomResourceUpdateEvent,
} from 'aws-lambda';
import { InvalidPropertyError } from './decode';
import { ivs, ivsCreate } from './ivs-client';
import { kms } from './kms-client';
import { nameToCreate, rollsBackFailedReplacement } from './lifecycle';
import { adoptOwned, createOwned, deleteOwned, difference, OwnedResourceType, removeRolledBackReplacements, Request } from './ownership';
import { PERMISSION_PROPAGATION_DELAYS_MS, writeOwnedSecret } from './secrets-client';
import { updateTags } from './tags';
import {
  KMS_SIGNING_KEY_SPEC,
  KMS_SIGNING_KEY_USAGE,
  type PrivateKeySecretValue,
  type PublicKeyResourceProperties,
  type PublicKeyResponseData,
} from '../src/custom-resources/public-key-contract';

type Properties = PublicKeyResourceProperties;

export interface PublicKeyResponse {
  readonly PhysicalResourceId: string;
  readonly Data: PublicKeyResponseData;
}


const PUBLIC_KEYS: OwnedResourceType<PublicKey> = {
  resource: 'public-key',
  get: async (arn) => (await ivs.send(new GetPublicKeyCommand({ arn }))).publicKey,
  list: async function* () {
    for await (const page of paginateListPublicKeys({ client: ivs, pageSize: 100 }, {})) {
      yield page.publicKeys ?? [];
    }
  },
  remove: (arn) => ivs.send(new DeletePublicKeyCommand({ arn })),
};

/** IVS verifies ES384 participant tokens: ECDSA on P-384. */
const CURVE = 'secp384r1';

/**
 * Imports the given PEM; or the public half of the KMS key, whose private half never leaves KMS;
 * or generates a key pair, imports its public half and writes the private half into the secret.
 * A generated private key exists only in this invocation's memory and in the secret.
 */
export async function onCreate(event: CloudFormationCustomResourceCreateEvent<Properties>): Promise<PublicKeyResponse> {
  const props = event.ResourceProperties;
  if (props.AdoptArn !== undefined) {
    return adopt(event, props, props.AdoptArn);
  }
  return importKey(event, props);
}

/**
 * Adopts an existing key whose material the properties stand behind: the PEM given, or the public
 * half of the KMS key. IVS cannot change a key's name or material, so both must be those asked for
 * already. A generated key pair cannot be adopted: its private half exists nowhere.
 */
async function adopt(request: Request, props: Properties, arn: string): Promise<PublicKeyResponse> {
  if (props.PrivateKeySecretArn !== undefined) {
    throw new InvalidPropertyError('AdoptArn', 'absent for a generated key (adopting needs the key\'s PEM or its KMS key)', arn);
  }
  // Unlike a replacement's comparison, a KMS key that cannot be read fails the adoption.
  const wanted = pemBody(props.KmsKeyArn === undefined ? props.PublicKeyMaterial : await kmsPublicKeyPem(props.KmsKeyArn));
  return respond(await adoptOwned(request, PUBLIC_KEYS, arn, {
    differences: (live) => [
      ...(props.Name === undefined ? [] : difference('name', live.name, props.Name)),
      ...difference('publicKeyMaterial', pemBody(live.publicKeyMaterial), wanted),
    ],
    tags: props.Tags,
  }));
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
    || props.PrivateKeySecretArn !== old.PrivateKeySecretArn
    || props.KmsKeyArn !== old.KmsKeyArn;
  if (replaces) {
    const materials = new Map([[props, await knownMaterial(props)], [old, await knownMaterial(old)]]);
    const rollsBack = await rollsBackFailedReplacement(
      async () => (await ivs.send(new GetPublicKeyCommand({ arn }))).publicKey,
      (key: PublicKey, p: Properties) => hasProperties(key, p.Name, materials.get(p)), props, old,
    );
    if (!rollsBack) {
      try {
        return await importKey(event, props);
      } catch (error) {
        const sameKey = (props.PublicKeyMaterial !== undefined && props.PublicKeyMaterial === old.PublicKeyMaterial)
          || (props.KmsKeyArn !== undefined && props.KmsKeyArn === old.KmsKeyArn);
        if (error instanceof ConflictException && sameKey) {
          throw new Error(`${error.exceptionMessage ?? error.message}: the key is replaced to rename it, and IVS imports the same key `
            + 'only once, so a renamed key needs new material (or remove the key in one deploy and add it back renamed in the next)');
        }
        throw error;
      }
    }
    await removeRolledBackReplacements(event, PUBLIC_KEYS, old.Name, arn);
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
  await deleteOwned(event, PUBLIC_KEYS, event.ResourceProperties.Name);
}

/**
 * Whether the key has `name` and, when it is known, `material`. The material of a generated key
 * is known to no one but the secret, so any key with the name matches: a generated key is told
 * apart from another by the other's material, on the other side of the comparison.
 */
function hasProperties(key: PublicKey, name: string | undefined, material: string | undefined): boolean {
  if (name !== undefined && key.name !== name) {
    return false;
  }
  if (material === undefined) {
    return true;
  }
  const given = pemBody(material);
  return given !== undefined && given === pemBody(key.publicKeyMaterial);
}

/**
 * The public key material a set of properties stands for, where it can be known: the PEM given,
 * or the public half of the KMS key (undefined if KMS cannot tell, e.g. the key is scheduled for
 * deletion). Undefined for a generated key.
 */
async function knownMaterial(props: Properties): Promise<string | undefined> {
  if (props.KmsKeyArn === undefined) {
    return props.PublicKeyMaterial;
  }
  try {
    return await kmsPublicKeyPem(props.KmsKeyArn);
  } catch {
    return undefined;
  }
}

/** The base64 of a PEM public key, without the line breaks that may differ between copies. */
function pemBody(pem: string | undefined): string | undefined {
  return /-----BEGIN PUBLIC KEY-----([a-zA-Z0-9+/=\s]+)-----END PUBLIC KEY-----/.exec(pem ?? '')?.[1].replace(/\s/g, '');
}

async function importKey(request: Request, props: Properties): Promise<PublicKeyResponse> {
  const secretArn = props.PrivateKeySecretArn;
  const kmsKeyArn = props.KmsKeyArn;
  const given = [props.PublicKeyMaterial, secretArn, kmsKeyArn].filter((value) => value !== undefined).length;
  if (given !== 1) {
    throw new InvalidPropertyError('PublicKeyMaterial, PrivateKeySecretArn and KmsKeyArn', 'exactly one present', `${given} present`);
  }
  const pair = secretArn === undefined ? undefined : generateKeyPairSync('ec', { namedCurve: CURVE });
  const publicKeyMaterial = pair?.publicKey.export({ type: 'spki', format: 'pem' }).toString()
    ?? (kmsKeyArn === undefined ? props.PublicKeyMaterial! : await kmsPublicKeyPem(kmsKeyArn));
  const name = nameToCreate(props);
  return respond(await createOwned(request, PUBLIC_KEYS, name,
    async (creatorTags) => (await ivsCreate.send(new ImportPublicKeyCommand({
      publicKeyMaterial,
      name,
      tags: { ...props.Tags, ...creatorTags },
    }))).publicKey,
    pair && (async ({ arn }) => {
      const value: PrivateKeySecretValue = {
        publicKeyArn: arn,
        privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      };
      await writeOwnedSecret(secretArn!, arn, request.RequestId, value);
    })));
}

/**
 * The public half of a KMS key as a PEM public key. KMS returns it as DER SubjectPublicKeyInfo,
 * the same structure a PEM public key wraps; a key that cannot sign ES384 tokens is refused before
 * anything is imported. A denied read is tried again a few times: the permission on the key is
 * added to the handler's role in the deployment that first uses the key, and IAM takes a few
 * seconds to apply it.
 */
export async function kmsPublicKeyPem(keyId: string, delaysMs: readonly number[] = PERMISSION_PROPAGATION_DELAYS_MS): Promise<string> {
  const command = new GetKmsPublicKeyCommand({ KeyId: keyId });
  let response;
  for (let attempt = 0; ; attempt++) {
    try {
      response = await kms.send(command);
      break;
    } catch (error) {
      if ((error as Error).name !== 'AccessDeniedException' || attempt >= delaysMs.length) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, delaysMs[attempt]));
    }
  }
  if (response.KeySpec !== KMS_SIGNING_KEY_SPEC || response.KeyUsage !== KMS_SIGNING_KEY_USAGE) {
    throw new InvalidPropertyError('KmsKeyArn', `a KMS key with key spec ${KMS_SIGNING_KEY_SPEC} and key usage ${KMS_SIGNING_KEY_USAGE}`,
      `${keyId} (key spec ${response.KeySpec}, key usage ${response.KeyUsage})`);
  }
  if (!response.PublicKey) {
    throw new Error(`the KMS response for ${keyId} has no public key`);
  }
  const key = createPublicKey({ key: Buffer.from(response.PublicKey), format: 'der', type: 'spki' });
  return key.export({ type: 'spki', format: 'pem' }).toString();
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
      Name: publicKey.name ?? '',
      Fingerprint: publicKey.fingerprint ?? '',
    },
  };
}
