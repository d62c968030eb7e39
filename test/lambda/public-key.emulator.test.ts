import { createPrivateKey, createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand } from '@aws-sdk/client-ivs-realtime';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { cloudFormationShows } from './cloudformation-stub';
import { CREATE_CREATOR_TAGS, createEvent, deleteEvent, updateEvent } from './events';
import {
  PrivateKeySecretValue,
  PUBLIC_KEY_RESOURCE_TYPE as TYPE,
  PublicKeyResourceProperties,
} from '../../src/custom-resources/public-key-contract';
import { publicKeyPem, useEmulator } from '../emulator/helpers';

/*
 * The handler's real SDK requests against the local IVS Real-Time emulator, which parses the key
 * material and enforces the quota of 3 keys as the service does. Secrets Manager is mocked; the
 * private key written into it is checked against the public key the emulator holds.
 */

type Properties = Omit<PublicKeyResourceProperties, 'ServiceToken'>;
type Handler = typeof import('../../lambda/public-key');

const t = useEmulator();
const secrets = mockClient(SecretsManagerClient);
let handler: Handler;

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:KeyPrivateKeySecret-AbCdEf';
const GENERATED: Properties = { Name: 'signer', PrivateKeySecretArn: SECRET_ARN };

const ENVIRONMENT = ['AWS_ENDPOINT_URL_IVS_REALTIME', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;
const savedEnvironment = Object.fromEntries(ENVIRONMENT.map((name) => [name, process.env[name]]));

beforeAll(() => {
  // The handler's client is created when its module loads, so the endpoint is set first.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_IVS_REALTIME: t.emu.endpoint,
    AWS_REGION: t.emu.region,
    AWS_ACCESS_KEY_ID: 'AKIAEMULATOREXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'emulator-secret-access-key',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  handler = require('../../lambda/public-key');
});

afterAll(() => {
  for (const name of ENVIRONMENT) {
    if (savedEnvironment[name] === undefined) {
      delete process.env[name];
    } else {
      process.env[name] = savedEnvironment[name];
    }
  }
});

beforeEach(() => {
  cloudFormationShows();
  secrets.reset();
  secrets.on(PutSecretValueCommand).resolves({});
});

const create = (props: Properties) => handler.onCreate(createEvent<PublicKeyResourceProperties>(TYPE, props));
const update = (arn: string, props: Properties, old: Properties) => handler.onUpdate(updateEvent<PublicKeyResourceProperties>(TYPE, arn, props, old));
const remove = (arn: string, props: Properties) => handler.onDelete(deleteEvent<PublicKeyResourceProperties>(TYPE, arn, props));

async function stored(arn: string) {
  return (await t.client.send(new GetPublicKeyCommand({ arn }))).publicKey!;
}

/** Every private key secret value written, decoded, in order. */
const secretValues = (): PrivateKeySecretValue[] =>
  secrets.commandCalls(PutSecretValueCommand).map((call) => JSON.parse(call.args[0].input.SecretString!));

const spki = (pem: string) => createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('base64');

test('a key from a PEM is imported with its name and tags, and the fingerprint comes back as an attribute', async () => {
  // GIVEN
  const pem = publicKeyPem();

  // WHEN
  const response = await create({ Name: 'signer', PublicKeyMaterial: pem, Tags: { team: 'video' } });

  // THEN
  const key = await stored(response.PhysicalResourceId);
  expect(key).toMatchObject({ name: 'signer', publicKeyMaterial: pem, tags: { team: 'video', ...CREATE_CREATOR_TAGS } });
  expect(response.Data).toEqual({ Arn: key.arn, PublicKeyId: key.arn!.split('/')[1], Name: 'signer', Fingerprint: key.fingerprint });
  expect(secrets.calls()).toHaveLength(0);
});

test('a generated key is accepted as P-384, and the private key written into the secret is the imported key\'s', async () => {
  // WHEN
  const response = await create(GENERATED);

  // THEN
  const key = await stored(response.PhysicalResourceId);
  const [written] = secretValues();
  expect(written.publicKeyArn).toBe(key.arn);
  expect(spki(written.privateKeyPem)).toBe(spki(key.publicKeyMaterial!));
  expect(createPrivateKey(written.privateKeyPem).asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
  expect(JSON.stringify(response)).not.toContain('PRIVATE');
});

test('a P-256 key is refused by the service, as the construct refuses it at synth', async () => {
  // WHEN / THEN
  await expect(create({ Name: 'signer', PublicKeyMaterial: publicKeyPem('prime256v1') })).rejects.toMatchObject({ name: 'ValidationException' });
  expect(t.emu.listResources().publicKeys).toEqual([]);
});

test('a fourth key fails on the quota, and no private key is written for it', async () => {
  // GIVEN
  for (let i = 0; i < 3; i++) {
    await create({ Name: `key${i}`, PublicKeyMaterial: publicKeyPem() });
  }

  // WHEN / THEN
  await expect(create(GENERATED)).rejects.toMatchObject({ name: 'ServiceQuotaExceededException' });
  expect(secrets.calls()).toHaveLength(0);
});

test('a failed secret write leaves no key behind, so it does not hold one of the 3 slots', async () => {
  // GIVEN
  secrets.on(PutSecretValueCommand).rejects(Object.assign(new Error('the secret is scheduled for deletion'), { name: 'InvalidRequestException' }));

  // WHEN / THEN
  await expect(create(GENERATED)).rejects.toThrow('the secret is scheduled for deletion');
  expect(t.emu.listResources().publicKeys).toEqual([]);
});

test('renaming a generated key replaces it; the delete CloudFormation sends then frees the old slot', async () => {
  // GIVEN
  const { PhysicalResourceId: oldArn } = await create(GENERATED);
  const renamed = { ...GENERATED, Name: 'renamed' };

  // WHEN
  const { PhysicalResourceId: newArn } = await update(oldArn, renamed, GENERATED);
  await remove(oldArn, GENERATED);

  // THEN
  expect(newArn).not.toBe(oldArn);
  const keys = t.emu.listResources().publicKeys as { arn: string; publicKeyMaterial: string }[];
  expect(keys.map((key) => key.arn)).toEqual([newArn]);
  expect(secretValues().map((value) => value.publicKeyArn)).toEqual([oldArn, newArn]);
  expect(spki(secretValues()[1].privateKeyPem)).toBe(spki(keys[0].publicKeyMaterial));
});

test('renaming a key from a PEM fails clearly, because the service will not import the same key twice', async () => {
  // GIVEN
  const props = { Name: 'signer', PublicKeyMaterial: publicKeyPem() };
  const { PhysicalResourceId: arn } = await create(props);

  // WHEN / THEN
  await expect(update(arn, { ...props, Name: 'renamed' }, props)).rejects.toThrow(
    /the key is replaced to rename it, and IVS imports the same key only once/,
  );
  expect(t.emu.listResources().publicKeys).toHaveLength(1);
});

test('tags change in place and a no-op update only reads', async () => {
  // GIVEN
  const before = { ...GENERATED, Tags: { team: 'video', temp: 'x' } };
  const after = { ...GENERATED, Tags: { team: 'audio' } };
  const { PhysicalResourceId: arn } = await create(before);
  t.emu.clearRequests();

  // WHEN
  await update(arn, after, before);
  await update(arn, after, { ...after });

  // THEN
  expect(t.emu.requests.map((r) => r.operation)).toEqual(['TagResource', 'UntagResource', 'GetPublicKey', 'GetPublicKey']);
  expect((await stored(arn)).tags).toEqual({ team: 'audio', ...CREATE_CREATOR_TAGS });
  expect(secrets).toHaveReceivedCommandTimes(PutSecretValueCommand, 1);
});

test('delete removes the key, and a second delete of the same ID succeeds', async () => {
  // GIVEN
  const { PhysicalResourceId: arn } = await create(GENERATED);

  // WHEN
  await remove(arn, GENERATED);
  await remove(arn, GENERATED);

  // THEN
  expect(t.emu.listResources().publicKeys).toEqual([]);
  // The second delete read it, found it gone, and did not call the delete.
  expect(t.emu.requests.filter((r) => r.operation.endsWith('PublicKey')).map((r) => `${r.operation} ${r.status}`))
    .toEqual(expect.arrayContaining(['GetPublicKey 200', 'DeletePublicKey 200', 'GetPublicKey 404']));
  expect(t.emu.requests.filter((r) => r.operation === 'DeletePublicKey')).toHaveLength(1);
});
