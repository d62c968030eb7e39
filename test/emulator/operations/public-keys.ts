import { createPublicKey, KeyObject } from 'node:crypto';
import { conflictError, validationError } from '../errors';
import { keyFingerprint, publicKeyId } from '../ids';
import type { OperationInputs } from '../inputs';
import { paginate } from '../pagination';
import { PublicKeyRecord } from '../store';
import { checkQuota, clone, copyTags, getOrThrow, newArn, OperationContext } from './context';

const DEFAULT_LIST_PUBLIC_KEYS = 50;
const PEM_BLOCK = /-----BEGIN PUBLIC KEY-----\r?\n[a-zA-Z0-9+/=\r\n]+\r?\n-----END PUBLIC KEY-----/;
/** IVS verifies ES384 participant tokens, so only ECDSA P-384 keys are accepted. */
const REQUIRED_CURVE = 'secp384r1';

export function publicKeyView(record: PublicKeyRecord) {
  return clone({
    arn: record.arn,
    name: record.name,
    publicKeyMaterial: record.publicKeyMaterial,
    fingerprint: record.fingerprint,
    tags: record.tags,
  });
}

function publicKeySummary(record: PublicKeyRecord) {
  return clone({ arn: record.arn, name: record.name, tags: record.tags });
}

/** Parses the PEM block inside the material and returns its SubjectPublicKeyInfo DER; rejects anything but an EC P-384 key. */
function parseP384Key(material: string): Buffer {
  const block = PEM_BLOCK.exec(material)?.[0];
  let key: KeyObject;
  try {
    key = createPublicKey({ key: block ?? material, format: 'pem' });
  } catch {
    throw validationError('publicKeyMaterial: the PEM block is not a valid public key');
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || curve !== REQUIRED_CURVE) {
    const found = key.asymmetricKeyType === 'ec' ? `EC ${curve}` : key.asymmetricKeyType;
    throw validationError(`publicKeyMaterial: expected an ECDSA P-384 (${REQUIRED_CURVE}) public key, got ${found}`);
  }
  return key.export({ type: 'spki', format: 'der' });
}

export const publicKeyOperations = {
  ImportPublicKey(ctx: OperationContext, input: OperationInputs['ImportPublicKey']) {
    const fingerprint = keyFingerprint(parseP384Key(input.publicKeyMaterial!));
    const duplicate = [...ctx.store.publicKeys.values()].find((record) => record.fingerprint === fingerprint);
    if (duplicate) throw conflictError(`This public key is already imported as ${duplicate.arn}.`);
    checkQuota(ctx.store.publicKeys.size, ctx.store.quotas.publicKeys, 'public keys');
    const id = publicKeyId();
    const record: PublicKeyRecord = {
      arn: newArn(ctx, 'public-key', id),
      id,
      seq: ctx.store.nextSeq(),
      name: input.name ?? '',
      publicKeyMaterial: input.publicKeyMaterial!,
      fingerprint,
      tags: copyTags(input.tags),
    };
    ctx.store.publicKeys.set(record.arn, record);
    return { publicKey: publicKeyView(record) };
  },

  GetPublicKey(ctx: OperationContext, input: OperationInputs['GetPublicKey']) {
    return { publicKey: publicKeyView(getOrThrow(ctx.store.publicKeys, input.arn!)) };
  },

  DeletePublicKey(ctx: OperationContext, input: OperationInputs['DeletePublicKey']) {
    const record = getOrThrow(ctx.store.publicKeys, input.arn!);
    ctx.store.publicKeys.delete(record.arn);
    return {};
  },

  ListPublicKeys(ctx: OperationContext, input: OperationInputs['ListPublicKeys']) {
    const page = paginate('ListPublicKeys', ctx.store.publicKeys.values(), input.nextToken, input.maxResults, DEFAULT_LIST_PUBLIC_KEYS);
    return { publicKeys: page.items.map(publicKeySummary), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
  },
};
