import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import {
  ConflictException,
  DeletePublicKeyCommand,
  GetPublicKeyCommand,
  ImportPublicKeyCommand,
  ListPublicKeysCommand,
  InternalServerException,
  IVSRealTimeClient,
  PublicKey,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-ivs-realtime';
import { GetPublicKeyCommand as GetKmsPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { invokeThroughWrapper } from './cfn-wrapper';
import { cloudFormationShows } from './cloudformation-stub';
import { CREATE_CREATOR_TAGS, createEvent, deleteEvent, updateEvent } from './events';
import { FAILED_CREATE_ID } from '../../lambda/failed-create';
import { kmsPublicKeyPem, onCreate, onDelete, onUpdate } from '../../lambda/public-key';
import { PUBLIC_KEY_RESOURCE_TYPE as TYPE, PublicKeyResourceProperties } from '../../src/custom-resources/public-key-contract';

type Properties = Omit<PublicKeyResourceProperties, 'ServiceToken'>;

const ivs = mockClient(IVSRealTimeClient);
const secrets = mockClient(SecretsManagerClient);
const kmsMock = mockClient(KMSClient);

const ARN = 'arn:aws:ivs:us-east-1:111111111111:public-key/f99cde61-c2b0-4df3-8941-ca7d38acca1a';
const NEW_ARN = 'arn:aws:ivs:us-east-1:111111111111:public-key/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:KeyPrivateKeySecret-AbCdEf';
const FINGERPRINT = '98:0d:1a:a0:19:96:1e:ea:0a:0a:2c:9a:42:19:2b:e7';
const REQUEST_ID = '8d8ab8f1-3b3e-4c4e-9a4c-6f1b1e6f2a10';
const PEM = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

const KEY: PublicKey = { arn: ARN, name: 'signer', publicKeyMaterial: PEM, fingerprint: FINGERPRINT, tags: {} };
const DATA = { Arn: ARN, PublicKeyId: 'f99cde61-c2b0-4df3-8941-ca7d38acca1a', Name: 'signer', Fingerprint: FINGERPRINT };

/** A key the handler generated: its material is no PEM a user gave. */
const GENERATED_KEY: PublicKey = {
  ...KEY,
  publicKeyMaterial: generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString(),
};

const KMS_KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const KMS_PAIR = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
/** What KMS answers GetPublicKey with for a P-384 signing key: DER SubjectPublicKeyInfo. */
const KMS_PUBLIC_KEY = {
  KeyId: KMS_KEY_ARN,
  PublicKey: new Uint8Array(KMS_PAIR.publicKey.export({ type: 'spki', format: 'der' })),
  KeySpec: 'ECC_NIST_P384' as const,
  KeyUsage: 'SIGN_VERIFY' as const,
};

const FROM_PEM: Properties = { Name: 'signer', PublicKeyMaterial: PEM };
const FROM_KMS: Properties = { Name: 'signer', KmsKeyArn: KMS_KEY_ARN };
const GENERATED: Properties = { Name: 'signer', PrivateKeySecretArn: SECRET_ARN };

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

const create = (props: Properties) => onCreate(createEvent<PublicKeyResourceProperties>(TYPE, props));
const update = (props: Properties, old: Properties) => onUpdate(updateEvent<PublicKeyResourceProperties>(TYPE, ARN, props, old));
const remove = (physicalId: string, props: Properties = GENERATED) => onDelete(deleteEvent<PublicKeyResourceProperties>(TYPE, physicalId, props));

/** The key at ARN reads as `key`: what an update that would replace it reads first. */
const stored = (key: PublicKey) => ivs.on(GetPublicKeyCommand, { arn: ARN }, true).resolves({ publicKey: key });

const commandNames = (client: typeof ivs | typeof secrets) => client.calls().map((call) => call.args[0].constructor.name);

/** The public key PEM the handler imported. */
const importedPem = () => ivs.commandCalls(ImportPublicKeyCommand)[0].args[0].input.publicKeyMaterial!;

/** What the handler wrote into the secret, decoded. */
function writtenSecret() {
  const calls = secrets.commandCalls(PutSecretValueCommand);
  expect(calls).toHaveLength(1);
  const { SecretString, ...rest } = calls[0].args[0].input;
  return { value: JSON.parse(SecretString!), ...rest };
}

beforeEach(() => {
  cloudFormationShows();
  ivs.reset();
  secrets.reset();
  kmsMock.reset();
  // Any call that a test does not expect fails it.
  ivs.onAnyCommand().rejects(new Error('unexpected IVS call'));
  // The rollback of a replacing update looks for what that update made: by default, nothing.
  ivs.on(ListPublicKeysCommand).resolves({ publicKeys: [] });
  secrets.onAnyCommand().rejects(new Error('unexpected Secrets Manager call'));
  kmsMock.onAnyCommand().rejects(new Error('unexpected KMS call'));
});

describe('create', () => {
  test('a key from a PEM is imported in one call, with its name and tags, and nothing is written', async () => {
    // GIVEN
    ivs.on(ImportPublicKeyCommand, { publicKeyMaterial: PEM, name: 'signer', tags: { team: 'video', ...CREATE_CREATOR_TAGS } }, true).resolves({ publicKey: KEY });

    // WHEN
    const response = await create({ ...FROM_PEM, Tags: { team: 'video' } });

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(ivs.calls()).toHaveLength(1);
    expect(secrets.calls()).toHaveLength(0);
  });

  test('a generated key imports a fresh P-384 public key and writes its private half, which signs for it, into the secret', async () => {
    // GIVEN
    ivs.on(ImportPublicKeyCommand).resolves({ publicKey: KEY });
    secrets.on(PutSecretValueCommand).resolves({});

    // WHEN
    const response = await create(GENERATED);

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    const publicKey = createPublicKey(importedPem());
    expect(publicKey.asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
    const { value, ...written } = writtenSecret();
    expect(written).toEqual({ SecretId: SECRET_ARN, ClientRequestToken: digest(ARN) + digest(REQUEST_ID) });
    expect(Object.keys(value)).toEqual(['publicKeyArn', 'privateKeyPem']);
    expect(value.publicKeyArn).toBe(ARN);
    expect(value.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const signature = sign('sha384', Buffer.from('token'), createPrivateKey(value.privateKeyPem));
    expect(verify('sha384', Buffer.from('token'), publicKey, signature)).toBe(true);
  });

  test('each generated key is new', async () => {
    // GIVEN
    ivs.on(ImportPublicKeyCommand).resolves({ publicKey: KEY });
    secrets.on(PutSecretValueCommand).resolves({});

    // WHEN
    await create(GENERATED);
    await create(GENERATED);

    // THEN
    const [first, second] = ivs.commandCalls(ImportPublicKeyCommand).map((call) => call.args[0].input.publicKeyMaterial);
    expect(first).not.toBe(second);
  });

  test('a failed secret write deletes the imported key before failing, so neither the key nor a slot of the quota leaks', async () => {
    // GIVEN
    ivs.on(ImportPublicKeyCommand).resolves({ publicKey: KEY });
    ivs.on(DeletePublicKeyCommand, { arn: ARN }, true).resolves({});
    secrets.on(PutSecretValueCommand).rejects(Object.assign(new Error('the secret is scheduled for deletion'), { name: 'InvalidRequestException' }));

    // WHEN / THEN
    await expect(create(GENERATED)).rejects.toThrow('the secret is scheduled for deletion');
    expect(commandNames(ivs)).toEqual(['ImportPublicKeyCommand', 'DeletePublicKeyCommand']);
  });

  test('the quota error fails the create and nothing is written', async () => {
    // GIVEN
    ivs.on(ImportPublicKeyCommand).rejects(new ServiceQuotaExceededException({ message: 'at most 3 public keys', $metadata: {} }));

    // WHEN / THEN
    await expect(create(GENERATED)).rejects.toThrow(ServiceQuotaExceededException);
    expect(secrets.calls()).toHaveLength(0);
  });

  test.each<[string, Properties, number]>([
    ['both a PEM and a secret', { ...FROM_PEM, PrivateKeySecretArn: SECRET_ARN }, 2],
    ['both a secret and a KMS key', { ...GENERATED, KmsKeyArn: KMS_KEY_ARN }, 2],
    ['neither a PEM nor a secret nor a KMS key', { Name: 'signer' }, 0],
  ])('properties with %s fail before any call', async (_, props, count) => {
    // WHEN / THEN
    await expect(create(props)).rejects.toThrow(
      `property PublicKeyMaterial, PrivateKeySecretArn and KmsKeyArn must be exactly one present, got "${count} present"`);
    expect(ivs.calls()).toHaveLength(0);
    expect(kmsMock.calls()).toHaveLength(0);
  });

  test('a KMS-backed key imports the KMS key\'s public half as PEM, and writes no secret', async () => {
    // GIVEN
    kmsMock.on(GetKmsPublicKeyCommand, { KeyId: KMS_KEY_ARN }).resolves(KMS_PUBLIC_KEY);
    ivs.on(ImportPublicKeyCommand).resolves({ publicKey: KEY });

    // WHEN
    const response = await create(FROM_KMS);

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(importedPem()).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(createPublicKey(importedPem()).export({ type: 'spki', format: 'der' })).toEqual(KMS_PAIR.publicKey.export({ type: 'spki', format: 'der' }));
    expect(ivs.commandCalls(ImportPublicKeyCommand)[0].args[0].input).toMatchObject({ name: 'signer' });
    expect(secrets.calls()).toHaveLength(0);
  });

  test('a read of the KMS public key that IAM still denies is tried again until the new permission applies', async () => {
    // GIVEN
    const denied = Object.assign(new Error('not authorized to perform: kms:GetPublicKey'), { name: 'AccessDeniedException' });
    kmsMock.on(GetKmsPublicKeyCommand).rejectsOnce(denied).rejectsOnce(denied).resolves(KMS_PUBLIC_KEY);

    // WHEN
    const pem = await kmsPublicKeyPem(KMS_KEY_ARN, [0, 0, 0]);

    // THEN
    expect(kmsMock.commandCalls(GetKmsPublicKeyCommand)).toHaveLength(3);
    expect(createPublicKey(pem).export({ type: 'spki', format: 'der' })).toEqual(KMS_PAIR.publicKey.export({ type: 'spki', format: 'der' }));
  });

  test('a read still denied after the last attempt fails the create', async () => {
    // GIVEN
    kmsMock.on(GetKmsPublicKeyCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));

    // WHEN / THEN
    await expect(kmsPublicKeyPem(KMS_KEY_ARN, [0])).rejects.toThrow('denied');
    expect(kmsMock.commandCalls(GetKmsPublicKeyCommand)).toHaveLength(2);
  });

  test('a KMS error other than access denied fails at once, without another attempt', async () => {
    // GIVEN
    kmsMock.on(GetKmsPublicKeyCommand).rejects(Object.assign(new Error('key not found'), { name: 'NotFoundException' }));

    // WHEN / THEN
    await expect(kmsPublicKeyPem(KMS_KEY_ARN, [0, 0])).rejects.toThrow('key not found');
    expect(kmsMock.commandCalls(GetKmsPublicKeyCommand)).toHaveLength(1);
  });

  test('a KMS answer without the public key fails, naming the key', async () => {
    // GIVEN
    const { PublicKey: _none, ...withoutKey } = KMS_PUBLIC_KEY;
    kmsMock.on(GetKmsPublicKeyCommand).resolves(withoutKey);

    // WHEN / THEN
    await expect(create(FROM_KMS)).rejects.toThrow(`the KMS response for ${KMS_KEY_ARN} has no public key`);
    expect(ivs.calls()).toHaveLength(0);
  });

  test('an import whose answer holds no key fails', async () => {
    // GIVEN
    ivs.on(ImportPublicKeyCommand).resolves({});

    // WHEN / THEN
    await expect(create(FROM_PEM)).rejects.toThrow('the IVS response has no public key');
  });

  test('a key that IVS returns without a fingerprint gets an empty Fingerprint attribute', async () => {
    // GIVEN
    ivs.on(ImportPublicKeyCommand).resolves({ publicKey: { arn: ARN } });

    // WHEN
    const response = await create(FROM_PEM);

    // THEN
    expect(response.Data).toEqual({ ...DATA, Name: '', Fingerprint: '' });
  });

  test.each([
    ['a P-256 key', { KeySpec: 'ECC_NIST_P256' as const, KeyUsage: 'SIGN_VERIFY' as const }],
    ['a P-384 key for key agreement', { KeySpec: 'ECC_NIST_P384' as const, KeyUsage: 'KEY_AGREEMENT' as const }],
  ])('%s is refused before anything is imported, naming what it needs', async (_, spec) => {
    // GIVEN
    kmsMock.on(GetKmsPublicKeyCommand).resolves({ ...KMS_PUBLIC_KEY, ...spec });

    // WHEN / THEN
    await expect(create(FROM_KMS)).rejects.toThrow(
      `property KmsKeyArn must be a KMS key with key spec ECC_NIST_P384 and key usage SIGN_VERIFY, got "${KMS_KEY_ARN} (key spec ${spec.KeySpec}, key usage ${spec.KeyUsage})"`);
    expect(ivs.calls()).toHaveLength(0);
  });
  test('after a lost answer, finds the key its import made by its creator tag and answers with it', async () => {
    // GIVEN an import whose answer was lost after IVS imported the key
    ivs.on(ImportPublicKeyCommand).rejects(new InternalServerException({ message: 'internal', $metadata: { httpStatusCode: 500 } }));
    ivs.on(ListPublicKeysCommand).resolves({ publicKeys: [{ arn: ARN, name: 'signer', tags: CREATE_CREATOR_TAGS }] });
    ivs.on(GetPublicKeyCommand, { arn: ARN }, true).resolves({ publicKey: KEY });

    // WHEN
    const response = await create(FROM_PEM);

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(ivs).toHaveReceivedCommandTimes(ImportPublicKeyCommand, 1);
  });
});

describe('update', () => {
  test('tags change in place, by difference, and the attributes are read back', async () => {
    // GIVEN
    ivs.on(TagResourceCommand, { resourceArn: ARN, tags: { added: 'new' } }, true).resolves({});
    ivs.on(UntagResourceCommand, { resourceArn: ARN, tagKeys: ['removed'] }, true).resolves({});
    ivs.on(GetPublicKeyCommand, { arn: ARN }, true).resolves({ publicKey: KEY });

    // WHEN
    const response = await update({ ...GENERATED, Tags: { added: 'new' } }, { ...GENERATED, Tags: { removed: 'gone' } });

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(commandNames(ivs)).toEqual(['TagResourceCommand', 'UntagResourceCommand', 'GetPublicKeyCommand']);
    expect(secrets.calls()).toHaveLength(0);
  });

  test('an update that changes nothing changes nothing: it only reads the attributes back', async () => {
    // GIVEN
    ivs.on(GetPublicKeyCommand, { arn: ARN }, true).resolves({ publicKey: KEY });

    // WHEN
    const response = await update({ ...GENERATED, Tags: { team: 'video' } }, { ...GENERATED, Tags: { team: 'video' } });

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(commandNames(ivs)).toEqual(['GetPublicKeyCommand']);
    expect(secrets.calls()).toHaveLength(0);
  });

  test('an update whose read-back holds no key fails', async () => {
    // GIVEN
    ivs.on(GetPublicKeyCommand, { arn: ARN }, true).resolves({});

    // WHEN / THEN
    await expect(update({ ...GENERATED, Tags: { team: 'video' } }, { ...GENERATED, Tags: { team: 'video' } }))
      .rejects.toThrow('the IVS response has no public key');
  });

  test('new key material replaces the key: the new one is imported under a new ID and the old one is left to CloudFormation', async () => {
    // GIVEN
    const other = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    stored(KEY);
    ivs.on(ImportPublicKeyCommand, { publicKeyMaterial: other, name: 'signer' }).resolves({ publicKey: { ...KEY, arn: NEW_ARN } });

    // WHEN
    const response = await update({ ...FROM_PEM, PublicKeyMaterial: other }, FROM_PEM);

    // THEN
    expect(response.PhysicalResourceId).toBe(NEW_ARN);
    expect(commandNames(ivs)).toEqual(['GetPublicKeyCommand', 'ImportPublicKeyCommand']);
  });

  test.each([
    ['a new PEM', generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString()],
    ['material that is no PEM, from a hand-written template', 'not a key'],
  ])('new material (%s) replaces a key that IVS reads back without material: no side matches that key, so the material is imported', async (_, material) => {
    // GIVEN a stored key whose answer holds no material
    const { publicKeyMaterial: _material, ...withoutMaterial } = KEY;
    stored(withoutMaterial);
    ivs.on(ImportPublicKeyCommand, { publicKeyMaterial: material, name: 'signer' }).resolves({ publicKey: { ...KEY, arn: NEW_ARN } });

    // WHEN the material changes
    const response = await update({ ...FROM_PEM, PublicKeyMaterial: material }, FROM_PEM);

    // THEN it is imported, for IVS to judge, as for any replacement
    expect(response.PhysicalResourceId).toBe(NEW_ARN);
    expect(commandNames(ivs)).toEqual(['GetPublicKeyCommand', 'ImportPublicKeyCommand']);
  });

  test('renaming a generated key replaces it with a new key pair, whose private key is written into the same secret', async () => {
    // GIVEN
    stored(GENERATED_KEY);
    ivs.on(ImportPublicKeyCommand).resolves({ publicKey: { ...KEY, arn: NEW_ARN } });
    secrets.on(PutSecretValueCommand).resolves({});

    // WHEN
    const response = await update({ ...GENERATED, Name: 'renamed' }, GENERATED);

    // THEN
    expect(response.PhysicalResourceId).toBe(NEW_ARN);
    expect(writtenSecret()).toMatchObject({ SecretId: SECRET_ARN, value: { publicKeyArn: NEW_ARN } });
  });

  test('a generated key whose secret alone changes is replaced by a new key pair, whose private key goes into the new secret', async () => {
    // GIVEN a generated key, and the user now names another secret for it
    const otherSecretArn = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:OtherPrivateKeySecret-GhIjKl';
    stored(GENERATED_KEY);
    ivs.on(ImportPublicKeyCommand).resolves({ publicKey: { ...KEY, arn: NEW_ARN } });
    secrets.on(PutSecretValueCommand).resolves({});

    // WHEN
    const response = await update({ ...GENERATED, PrivateKeySecretArn: otherSecretArn }, GENERATED);

    // THEN the private key of the old key is in the old secret only, so the new secret gets a new pair
    expect(response.PhysicalResourceId).toBe(NEW_ARN);
    expect(commandNames(ivs)).toEqual(['GetPublicKeyCommand', 'ImportPublicKeyCommand']);
    const { value, SecretId } = writtenSecret();
    expect(SecretId).toBe(otherSecretArn);
    expect(value.publicKeyArn).toBe(NEW_ARN);
    const signature = sign('sha384', Buffer.from('token'), createPrivateKey(value.privateKeyPem));
    expect(verify('sha384', Buffer.from('token'), createPublicKey(importedPem()), signature)).toBe(true);
  });

  test('switching from a PEM to a generated key replaces the key', async () => {
    // GIVEN
    stored(KEY);
    ivs.on(ImportPublicKeyCommand).resolves({ publicKey: { ...KEY, arn: NEW_ARN } });
    secrets.on(PutSecretValueCommand).resolves({});

    // WHEN
    const response = await update(GENERATED, FROM_PEM);

    // THEN
    expect(response.PhysicalResourceId).toBe(NEW_ARN);
    expect(secrets).toHaveReceivedCommandTimes(PutSecretValueCommand, 1);
  });

  test('renaming a key from a PEM, which IVS refuses to import twice, fails with a message that says why and what to do', async () => {
    // GIVEN
    stored(KEY);
    ivs.on(ImportPublicKeyCommand).rejects(new ConflictException({
      message: 'conflict', exceptionMessage: `This public key is already imported as ${ARN}.`, $metadata: {},
    } as any));

    // WHEN / THEN
    await expect(update({ ...FROM_PEM, Name: 'renamed' }, FROM_PEM)).rejects.toThrow(
      `This public key is already imported as ${ARN}.: the key is replaced to rename it, and IVS imports the same key only once, `
      + 'so a renamed key needs new material (or remove the key in one deploy and add it back renamed in the next)',
    );
  });

  test('a conflict on new material is passed on as it is', async () => {
    // GIVEN
    stored(KEY);
    ivs.on(ImportPublicKeyCommand).rejects(new ConflictException({ message: 'conflict', $metadata: {} }));

    // WHEN / THEN
    await expect(update({ ...FROM_PEM, PublicKeyMaterial: `${PEM}\n` }, FROM_PEM)).rejects.toThrow(ConflictException);
  });

  test.each<[string, PublicKey, Properties, Properties]>([
    ['a rename of a key from a PEM', KEY, FROM_PEM, { ...FROM_PEM, Name: 'renamed' }],
    ['new material', KEY, FROM_PEM, { ...FROM_PEM, PublicKeyMaterial: GENERATED_KEY.publicKeyMaterial }],
    ['a rename of a generated key', GENERATED_KEY, GENERATED, { ...GENERATED, Name: 'renamed' }],
    ['a switch from a generated key to a PEM', GENERATED_KEY, GENERATED, FROM_PEM],
  ])('the Update back of %s that failed finds the key as asked, and keeps it', async (_, key, props, failed) => {
    // GIVEN the replacement failed, so the key still is as `props` made it
    stored(key);

    // WHEN CloudFormation rolls back: old and new swapped
    const response = await update(props, failed);

    // THEN nothing is imported, and the secret is not written
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(commandNames(ivs)).toEqual(['GetPublicKeyCommand', 'ListPublicKeysCommand', 'GetPublicKeyCommand']);
    expect(secrets.calls()).toHaveLength(0);
  });

  test('a new KMS key alone replaces the key with the new KMS key\'s public half', async () => {
    // GIVEN
    const { otherKmsKeyArn, otherPair } = givenAKeyOfTheFirstOfTwoKmsKeys();
    ivs.on(ImportPublicKeyCommand).resolves({ publicKey: { ...KEY, arn: NEW_ARN } });

    // WHEN
    const response = await update({ ...FROM_KMS, KmsKeyArn: otherKmsKeyArn }, FROM_KMS);

    // THEN
    expect(response.PhysicalResourceId).toBe(NEW_ARN);
    expect(createPublicKey(importedPem()).export({ type: 'spki', format: 'der' })).toEqual(otherPair.publicKey.export({ type: 'spki', format: 'der' }));
  });

  test('the Update back of a failed switch to another KMS key finds the key of the first KMS key, and keeps it', async () => {
    // GIVEN the switch failed, so the key still is the first KMS key's public half
    const { otherKmsKeyArn } = givenAKeyOfTheFirstOfTwoKmsKeys();

    // WHEN CloudFormation rolls back: old and new swapped
    const response = await update(FROM_KMS, { ...FROM_KMS, KmsKeyArn: otherKmsKeyArn });

    // THEN nothing is imported
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(commandNames(ivs)).toEqual(['GetPublicKeyCommand', 'ListPublicKeysCommand', 'GetPublicKeyCommand']);
  });

  test('renaming a KMS-backed key, which IVS refuses to import twice, fails with a message that says why and what to do', async () => {
    // GIVEN
    kmsMock.on(GetKmsPublicKeyCommand, { KeyId: KMS_KEY_ARN }).resolves(KMS_PUBLIC_KEY);
    stored({ ...KEY, publicKeyMaterial: KMS_PAIR.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    ivs.on(ImportPublicKeyCommand).rejects(new ConflictException({ message: 'conflict', $metadata: {} }));

    // WHEN / THEN
    await expect(update({ ...FROM_KMS, Name: 'renamed' }, FROM_KMS)).rejects.toThrow(
      'conflict: the key is replaced to rename it, and IVS imports the same key only once',
    );
  });

  test('a conflict on switching from a generated key to a KMS key is passed on as it is', async () => {
    // GIVEN
    kmsMock.on(GetKmsPublicKeyCommand, { KeyId: KMS_KEY_ARN }).resolves(KMS_PUBLIC_KEY);
    stored(GENERATED_KEY);
    const conflict = new ConflictException({ message: 'conflict', $metadata: {} });
    ivs.on(ImportPublicKeyCommand).rejects(conflict);

    // WHEN / THEN
    await expect(update(FROM_KMS, GENERATED)).rejects.toBe(conflict);
  });

  test.each<[string, (pem: string) => string]>([
    ['CRLF line breaks', (pem) => pem.replace(/\n/g, '\r\n')],
    ['the base64 on one line', (pem) => {
      const lines = pem.trim().split('\n');
      return `${lines[0]}\n${lines.slice(1, -1).join('')}\n${lines[lines.length - 1]}\n`;
    }],
    ['no line break at the end', (pem) => pem.trimEnd()],
  ])('the Update back of a failed rename finds its key from a PEM although IVS returns the PEM with %s', async (_, reformat) => {
    // GIVEN the rename failed, so the key still is the one imported from PEM; IVS returns its own copy of the PEM
    stored({ ...KEY, publicKeyMaterial: reformat(PEM) });

    // WHEN CloudFormation rolls back: old and new swapped
    const response = await update(FROM_PEM, { ...FROM_PEM, Name: 'renamed' });

    // THEN the key is kept, not imported again
    expect(reformat(PEM)).not.toBe(PEM);
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(commandNames(ivs)).toEqual(['GetPublicKeyCommand', 'ListPublicKeysCommand', 'GetPublicKeyCommand']);
  });
});

describe('delete', () => {
  // The publickey as IVS holds it, made by this logical resource: a delete reads it first.
  beforeEach(() => {
    ivs.on(GetPublicKeyCommand, { arn: ARN }).resolves({ publicKey: { arn: ARN, tags: CREATE_CREATOR_TAGS } });
  });

  test('deletes a key from a PEM without touching any secret', async () => {
    // GIVEN
    ivs.on(GetPublicKeyCommand, { arn: ARN }).resolves({ publicKey: { arn: ARN, tags: CREATE_CREATOR_TAGS } });
    ivs.on(DeletePublicKeyCommand, { arn: ARN }, true).resolves({});

    // WHEN
    await remove(ARN, FROM_PEM);

    // THEN
    expect(ivs).toHaveReceivedCommandTimes(DeletePublicKeyCommand, 1);
    expect(secrets.calls()).toHaveLength(0);
  });

  test('deletes a generated key in one call that leaves its private key secret alone', async () => {
    // GIVEN
    ivs.on(GetPublicKeyCommand, { arn: ARN }).resolves({ publicKey: { arn: ARN, tags: CREATE_CREATOR_TAGS } });
    ivs.on(DeletePublicKeyCommand, { arn: ARN }, true).resolves({});

    // WHEN
    await remove(ARN);

    // THEN
    expect(commandNames(ivs)).toEqual(['GetPublicKeyCommand', 'DeletePublicKeyCommand']);
    expect(secrets.calls()).toHaveLength(0);
  });

  test('a key that is already gone counts as deleted', async () => {
    // GIVEN
    ivs.on(GetPublicKeyCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));

    // WHEN / THEN
    await expect(remove(ARN, FROM_PEM)).resolves.toBeUndefined();
  });

  test('the ID of a failed create deletes the public key its create made, found by its creator tag', async () => {
    // GIVEN what its create made, listed with its creator tag
    ivs.on(ListPublicKeysCommand).resolves({ publicKeys: [{ arn: ARN, name: GENERATED.Name, tags: CREATE_CREATOR_TAGS }] });
    ivs.on(DeletePublicKeyCommand).resolves({});

    // WHEN
    await remove(FAILED_CREATE_ID);

    // THEN
    expect(ivs).toHaveReceivedCommandWith(DeletePublicKeyCommand, { arn: ARN });
  });

  test.each([
    ['aws-cdk-lib\'s failed-create marker', 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED'],
    ['an ID CloudFormation made up', 'TestStack-Key961B73FD-1ABCDEF23456'],
    ['another resource type', 'arn:aws:ivs:us-east-1:111111111111:stage/AbCdEfGh1234'],
  ])('%s, neither a public key ARN nor the ID of a failed create, makes no call: a cancelled create deletes what it made itself', async (_, physicalId) => {
    // GIVEN a key its create made, which a search would find
    ivs.on(ListPublicKeysCommand).resolves({ publicKeys: [{ arn: ARN, name: GENERATED.Name, tags: CREATE_CREATOR_TAGS }] });

    // WHEN
    await remove(physicalId);

    // THEN
    expect(ivs.calls()).toHaveLength(0);
    expect(secrets.calls()).toHaveLength(0);
  });

  test('the ID of a failed create: the keys are searched for what its create made, and with none found nothing is deleted', async () => {
    // GIVEN
    ivs.on(ListPublicKeysCommand).resolves({ publicKeys: [{ arn: ARN, name: 'signer', tags: {} }] });

    // WHEN
    await remove(FAILED_CREATE_ID);

    // THEN
    expect(ivs).toHaveReceivedCommandWith(ListPublicKeysCommand, { maxResults: 100 });
    expect(ivs).not.toHaveReceivedCommand(DeletePublicKeyCommand);
    expect(secrets.calls()).toHaveLength(0);
  });

  test('any other error fails the delete', async () => {
    // GIVEN
    ivs.on(DeletePublicKeyCommand).rejects(new ConflictException({ message: 'in use', $metadata: {} }));

    // WHEN / THEN
    await expect(remove(ARN, FROM_PEM)).rejects.toThrow(ConflictException);
  });
});

describe('inside the response wrapper', () => {
  test('the generated private key appears in no response and no log line, only in the secret', async () => {
    // GIVEN
    ivs.on(ImportPublicKeyCommand).resolves({ publicKey: KEY });
    secrets.on(PutSecretValueCommand).resolves({});

    // WHEN
    const { responses, responseBodies, logs } = await invokeThroughWrapper(createEvent<PublicKeyResourceProperties>(TYPE, GENERATED));

    // THEN
    expect(responses).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: ARN, Data: DATA })]);
    const privateKeyPem: string = writtenSecret().value.privateKeyPem;
    const bodyLines = privateKeyPem.split('\n').filter((line) => line && !line.startsWith('-----'));
    expect(bodyLines.length).toBeGreaterThan(0);
    const everything = [...responseBodies, ...logs].join('\n');
    for (const line of bodyLines) {
      expect(everything).not.toContain(line);
    }
    expect(everything).not.toContain('PRIVATE KEY');
    expect(logs.length).toBeGreaterThan(0);
  });

  test('a failed secret write reports FAILED with a reason that holds no key material', async () => {
    // GIVEN
    ivs.on(ImportPublicKeyCommand).resolves({ publicKey: KEY });
    ivs.on(DeletePublicKeyCommand).resolves({});
    secrets.on(PutSecretValueCommand).rejects(Object.assign(new Error('the secret is scheduled for deletion'), { name: 'InvalidRequestException' }));

    // WHEN
    const { responses, responseBodies, logs } = await invokeThroughWrapper(createEvent<PublicKeyResourceProperties>(TYPE, GENERATED));

    // THEN
    expect(responses).toEqual([expect.objectContaining({
      Status: 'FAILED',
      Reason: 'Create failed: InvalidRequestException: the secret is scheduled for deletion',
    })]);
    const attempted: string = writtenSecret().value.privateKeyPem;
    const everything = [...responseBodies, ...logs].join('\n');
    for (const line of attempted.split('\n').filter((l) => l && !l.startsWith('-----'))) {
      expect(everything).not.toContain(line);
    }
    expect(everything).not.toContain('PRIVATE KEY');
  });
});

/** Two KMS keys, and the IVS public key holding the first one's public half. */
function givenAKeyOfTheFirstOfTwoKmsKeys() {
  const otherKmsKeyArn = 'arn:aws:kms:us-east-1:111111111111:key/99999999-12ab-34cd-56ef-1234567890ab';
  const otherPair = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
  kmsMock.on(GetKmsPublicKeyCommand, { KeyId: KMS_KEY_ARN }).resolves(KMS_PUBLIC_KEY);
  kmsMock.on(GetKmsPublicKeyCommand, { KeyId: otherKmsKeyArn }).resolves({
    ...KMS_PUBLIC_KEY, KeyId: otherKmsKeyArn, PublicKey: new Uint8Array(otherPair.publicKey.export({ type: 'spki', format: 'der' })),
  });
  stored({ ...KEY, publicKeyMaterial: KMS_PAIR.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
  return { otherKmsKeyArn, otherPair };
}
