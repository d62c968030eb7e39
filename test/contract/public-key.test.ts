/*
 * The PublicKey contract: the real construct and handler bundle, deployed, updated and deleted the
 * way CloudFormation would (test/simulator), against the IVS Real-Time emulator, with a generated
 * key's private key written into the construct's secret in the simulator's Secrets Manager stub.
 */
import { generateKeyPairSync, sign, verify } from 'crypto';
import { GetPublicKeyCommand, ListTagsForResourceCommand, ResourceNotFoundException } from '@aws-sdk/client-ivs-realtime';
import { Stack, Tags } from 'aws-cdk-lib';
import {
  deployOk,
  destroyOk,
  expectNoLeaks,
  failFrom,
  lifecycleOf,
  onlyResource,
  operations,
  secretOf,
  secretValueOf,
  stackWith,
  statuses,
  withoutRetryDelays,
  writtenCredentials,
  withCreatorTag,
} from './helpers';
import { PublicKey, PublicKeyMaterial, PublicKeyProps } from '../../src';
import type { PrivateKeySecretValue } from '../../src/custom-resources/public-key-contract';
import { useSimulator } from '../simulator/harness';

const t = useSimulator();

const TYPE = 'Custom::IvsPublicKey';
/** The physical ID a failed create answers (lambda/failed-create.ts), whose Delete reaches the handler. */
const CREATE_FAILED_MARKER = 'cdk-ivs-realtime::CREATE_FAILED';

/** A P-384 public key in PEM, as a user would give it; a new one each call. */
const newPem = () => generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const PEM = newPem();

const keyStack = (props: PublicKeyProps = {}, id = 'Key') => stackWith((stack) => { new PublicKey(stack, id, props); });

/** `count` generated keys, `Key1` to `KeyN`, named `key-1` to `key-N` unless `name` says otherwise. */
const keysStack = (count: number, name = (n: number) => `key-${n}`) => stackWith((stack: Stack) => {
  for (let n = 1; n <= count; n++) {
    new PublicKey(stack, `Key${n}`, { publicKeyName: name(n) });
  }
});

const getKey = async (arn: string) => (await t.client.send(new GetPublicKeyCommand({ arn }))).publicKey!;
const tagsOf = async (arn: string) => (await t.client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags;
const privateKeyOf = (constructId = 'Key', stage?: string) => secretValueOf<PrivateKeySecretValue>(t.sim, constructId, stage);

/** Whether a token signed with `privateKeyPem` verifies against the material IVS holds for `arn`, as IVS would check it. */
async function verifiesWith(arn: string, privateKeyPem: string): Promise<boolean> {
  const token = Buffer.from('{"stage_arn":"arn:aws:ivs:us-east-1:123456789012:stage/AbCdEfGh1234"}');
  const signature = sign('sha384', token, privateKeyPem);
  return verify('sha384', token, (await getKey(arn)).publicKeyMaterial!, signature);
}

describe('create', () => {
  test('a generated key: its public half is imported, and the private key in the secret signs what it verifies', async () => {
    // GIVEN
    const artifact = keyStack({ publicKeyName: 'signer', tags: { team: 'video' } });

    // WHEN
    await deployOk(t.sim, artifact);

    // THEN
    const resource = onlyResource(t.sim, TYPE);
    const key = await getKey(resource.physicalId);
    expect(t.emu.requests.find((r) => r.operation === 'ImportPublicKey')!.body)
      .toStrictEqual({ publicKeyMaterial: key.publicKeyMaterial, name: 'signer', tags: withCreatorTag({ team: 'video' }) });
    expect(key).toEqual(expect.objectContaining({ arn: resource.physicalId, name: 'signer', tags: withCreatorTag({ team: 'video' }) }));
    expect(key.publicKeyMaterial).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(resource.attributes).toEqual({ Arn: key.arn, PublicKeyId: key.arn!.split('/')[1], Name: 'signer', Fingerprint: key.fingerprint });
    const value = privateKeyOf();
    expect(value.publicKeyArn).toBe(resource.physicalId);
    expect(value.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(await verifiesWith(resource.physicalId, value.privateKeyPem)).toBe(true);
  });

  test('a key from a PEM is imported as given, and no secret exists for it', async () => {
    // GIVEN
    const artifact = keyStack({ publicKeyName: 'mine', publicKeyMaterial: PublicKeyMaterial.fromPem(PEM) });

    // WHEN
    await deployOk(t.sim, artifact);

    // THEN
    const resource = onlyResource(t.sim, TYPE);
    expect(t.emu.requests.find((r) => r.operation === 'ImportPublicKey')!.body).toStrictEqual({ publicKeyMaterial: PEM, name: 'mine', tags: withCreatorTag({}) });
    const key = await getKey(resource.physicalId);
    expect(key).toStrictEqual({ arn: resource.physicalId, name: 'mine', publicKeyMaterial: PEM, fingerprint: key.fingerprint, tags: withCreatorTag({}) });
    expect(resource.attributes).toEqual({ Arn: key.arn, PublicKeyId: key.arn!.split('/')[1], Name: 'mine', Fingerprint: key.fingerprint });
    expect(t.sim.secrets.list()).toEqual([]);
  });

  test('tags given on create, Tags.of() included, are on the key', async () => {
    // GIVEN
    const artifact = stackWith((stack) => {
      new PublicKey(stack, 'Key', { tags: { team: 'video', tier: 'gold' } });
      Tags.of(stack).add('cost-center', '42');
    });

    // WHEN
    await deployOk(t.sim, artifact);

    // THEN
    expect(await tagsOf(onlyResource(t.sim, TYPE).physicalId)).toEqual(withCreatorTag({ 'team': 'video', 'tier': 'gold', 'cost-center': '42' }));
  });

  test('a failed create is followed by a delete that looks for what it made, and deletes nothing, and writes no secret', async () => {
    // GIVEN ImportPublicKey refusing the key
    t.emu.injectFault({ kind: 'failNth', operation: 'ImportPublicKey', n: 1, errorType: 'ValidationException' });

    // WHEN
    const result = await t.sim.deploy(keyStack({ publicKeyName: 'refused' }));

    // THEN the rollback's Delete carried the failed-create ID, and only listed the type
    expect(result.status).toBe('ROLLBACK_COMPLETE');
    const rollbackDelete = result.events.find((e) => e.phase === 'rollback' && e.resourceType === TYPE)!;
    expect(rollbackDelete.request).toEqual(expect.objectContaining({ RequestType: 'Delete', PhysicalResourceId: CREATE_FAILED_MARKER }));
    expect(rollbackDelete.status).toBe('SUCCESS');
    expect(operations(t.emu)).toEqual(['ImportPublicKey', 'ListPublicKeys']);
    expect(t.sim.secrets.requests).toEqual([]);
  });

  test('throttling is retried until the create succeeds', async () => {
    // GIVEN
    t.emu.injectFault({ kind: 'throttle', operation: 'ImportPublicKey', times: 2 });

    // WHEN
    await withoutRetryDelays(() => deployOk(t.sim, keyStack()));

    // THEN the key pair generated once is the one imported
    expect(statuses(t.emu, 'ImportPublicKey')).toEqual([429, 429, 200]);
    expect(await verifiesWith(onlyResource(t.sim, TYPE).physicalId, privateKeyOf().privateKeyPem)).toBe(true);
  });

  test('a persistent refusal fails with a clear reason, and the rollback leaves nothing behind, no secret either', async () => {
    // GIVEN two keys, and every ImportPublicKey after the first failing with a 500
    failFrom(t.emu, 'ImportPublicKey', 1);

    // WHEN
    const result = await withoutRetryDelays(() => t.sim.deploy(keysStack(2)));

    // THEN the second key's handler failed at the first refusal, and the first key is deleted again
    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(result.reason).toMatch(/^Key2[0-9A-F]{8} \(Custom::IvsPublicKey\): Received response status \[FAILED\] from custom resource\. Message returned: Create failed: ServiceQuotaExceededException: Request would cause a service quota to be exceeded\. \(RequestId: [0-9a-f-]{36}\)$/);
    expect(statuses(t.emu, 'ImportPublicKey')).toEqual([200, 402]);
    expect(statuses(t.emu, 'DeletePublicKey')).toEqual([200]);
    expect(t.emu.listResources().publicKeys).toEqual([]);
    expect(t.sim.secrets.list()).toEqual([]);
    expect(t.sim.resources).toEqual({});
  });

  test('a fourth key in a stack exceeds the quota of 3: the whole create rolls back, and nothing is left', async () => {
    // GIVEN
    const artifact = keysStack(4);

    // WHEN
    const result = await t.sim.deploy(artifact);

    // THEN the fourth import was refused once (a quota is not retried), and the first three keys were deleted again
    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(result.reason).toMatch(/^Key4[0-9A-F]{8} \(Custom::IvsPublicKey\): Received response status \[FAILED\] from custom resource\. Message returned: Create failed: ServiceQuotaExceededException: Quota of 3 public keys reached\. \(RequestId: [0-9a-f-]{36}\)$/);
    expect(statuses(t.emu, 'ImportPublicKey')).toEqual([200, 200, 200, 402]);
    expect(statuses(t.emu, 'DeletePublicKey')).toEqual([200, 200, 200]);
    expect(t.emu.listResources().publicKeys).toEqual([]);
    expect(t.sim.secrets.list()).toEqual([]);
    expect(t.sim.resources).toEqual({});
  });
});

describe('update', () => {
  test('tags are added, changed and removed by difference, on the same key', async () => {
    // GIVEN
    await deployOk(t.sim, keyStack({ publicKeyName: 'tagged', tags: { keep: 'same', change: 'old', remove: 'me' } }));
    const { physicalId } = onlyResource(t.sim, TYPE);
    t.emu.clearRequests();

    // WHEN
    const result = await deployOk(t.sim, keyStack({ publicKeyName: 'tagged', tags: { keep: 'same', change: 'new', add: 'me' } }));

    // THEN
    expect(lifecycleOf(result, TYPE)).toEqual([`deploy Update ${physicalId}`]);
    expect(t.emu.requests.map((r) => [r.operation, r.body, r.query])).toEqual([
      ['TagResource', { tags: { change: 'new', add: 'me' } }, {}],
      ['UntagResource', undefined, { tagKeys: ['remove'] }],
      ['GetPublicKey', { arn: physicalId }, {}],
    ]);
    expect(await tagsOf(physicalId)).toEqual(withCreatorTag({ keep: 'same', change: 'new', add: 'me' }));
    expect(secretOf(t.sim, 'Key').writes).toHaveLength(1);
  });

  test('renaming a generated key replaces it with a new key pair, whose private key replaces the old one in the secret', async () => {
    // GIVEN
    await deployOk(t.sim, keyStack({ publicKeyName: 'before' }));
    const old = onlyResource(t.sim, TYPE).physicalId;
    const oldPrivateKey = privateKeyOf().privateKeyPem;

    // WHEN
    const result = await deployOk(t.sim, keyStack({ publicKeyName: 'after' }));

    // THEN
    const replacement = onlyResource(t.sim, TYPE).physicalId;
    expect(replacement).not.toBe(old);
    expect(lifecycleOf(result, TYPE)).toEqual([`deploy Update ${replacement}`, `cleanup Delete ${old}`]);
    await expect(getKey(old)).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(t.emu.listResources().publicKeys).toEqual([expect.objectContaining({ arn: replacement, name: 'after' })]);
    const value = privateKeyOf();
    expect(value.publicKeyArn).toBe(replacement);
    expect(await verifiesWith(replacement, value.privateKeyPem)).toBe(true);
    expect(await verifiesWith(replacement, oldPrivateKey)).toBe(false);
  });

  test('new key material replaces the key', async () => {
    // GIVEN
    await deployOk(t.sim, keyStack({ publicKeyName: 'mine', publicKeyMaterial: PublicKeyMaterial.fromPem(PEM) }));
    const old = onlyResource(t.sim, TYPE).physicalId;
    const pem = newPem();

    // WHEN
    const result = await deployOk(t.sim, keyStack({ publicKeyName: 'mine', publicKeyMaterial: PublicKeyMaterial.fromPem(pem) }));

    // THEN
    const replacement = onlyResource(t.sim, TYPE).physicalId;
    expect(lifecycleOf(result, TYPE)).toEqual([`deploy Update ${replacement}`, `cleanup Delete ${old}`]);
    expect(t.emu.listResources().publicKeys).toEqual([expect.objectContaining({ arn: replacement, name: 'mine', publicKeyMaterial: pem })]);
  });

  test('500s are retried until a replacing update succeeds', async () => {
    // GIVEN
    await deployOk(t.sim, keyStack({ publicKeyName: 'before' }));
    t.emu.injectFault({ kind: 'internal', operation: 'ImportPublicKey', times: 2 });

    // WHEN
    await withoutRetryDelays(() => deployOk(t.sim, keyStack({ publicKeyName: 'after' })));

    // THEN
    expect(statuses(t.emu, 'ImportPublicKey')).toEqual([200, 500, 500, 200]);
    expect(await verifiesWith(onlyResource(t.sim, TYPE).physicalId, privateKeyOf().privateKeyPem)).toBe(true);
  });

  test('a replacement rolled back by a later failure is deleted again, and the old private key stays in the secret as its previous value', async () => {
    // GIVEN two generated keys
    await deployOk(t.sim, keysStack(2, (n) => `key-${n}-a`));
    const before = t.emu.listResources().publicKeys;
    const first = privateKeyOf('Key1');
    const second = privateKeyOf('Key2');

    // WHEN both are renamed, and the second import is refused
    t.emu.injectFault({ kind: 'failNth', operation: 'ImportPublicKey', n: 2, errorType: 'ValidationException' });
    const result = await t.sim.deploy(keysStack(2, (n) => `key-${n}-b`));

    // THEN the first key's replacement is deleted. Its secret's current value is the replacement's
    // private key: a delete cannot tell a rollback from a cleanup, so it leaves the secret alone
    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(result.events.filter((e) => e.request).map((e) => `${e.phase} ${e.requestType} ${e.logicalId.replace(/[0-9A-F]{8}$/, '')}`)).toEqual([
      'deploy Update Key1', 'deploy Update Key2', 'rollback Update Key2', 'rollback Delete Key1',
    ]);
    expect(t.emu.listResources().publicKeys).toEqual(before);
    expect(privateKeyOf('Key1').publicKeyArn).not.toBe(first.publicKeyArn);
    expect(privateKeyOf('Key1', 'AWSPREVIOUS')).toEqual(first);
    expect(secretOf(t.sim, 'Key1').writes).toHaveLength(2);
    expect(await verifiesWith(first.publicKeyArn, privateKeyOf('Key1', 'AWSPREVIOUS').privateKeyPem)).toBe(true);
    expect(privateKeyOf('Key2')).toEqual(second);
  });

  test('renaming a key from a PEM fails with a clear reason, and the rollback keeps the key', async () => {
    // GIVEN
    await deployOk(t.sim, keyStack({ publicKeyName: 'before', publicKeyMaterial: PublicKeyMaterial.fromPem(PEM) }));
    const before = t.emu.listResources().publicKeys;
    const { physicalId } = onlyResource(t.sim, TYPE);

    // WHEN
    const result = await t.sim.deploy(keyStack({ publicKeyName: 'after', publicKeyMaterial: PublicKeyMaterial.fromPem(PEM) }));

    // THEN IVS refused the same key twice, and the Update back found the key as it was
    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(result.reason).toBe(`${onlyResource(t.sim, TYPE).logicalId} (Custom::IvsPublicKey): Received response status [FAILED] from custom resource. `
      + `Message returned: Update failed: Error: This public key is already imported as ${physicalId}.: the key is replaced to rename it, `
      + 'and IVS imports the same key only once, so a renamed key needs new material (or remove the key in one deploy and add it back '
      + `renamed in the next) (RequestId: ${result.events[0].request!.RequestId})`);
    const rollback = result.events.find((e) => e.phase === 'rollback' && e.resourceType === TYPE)!;
    expect(rollback.response!.PhysicalResourceId).toBe(physicalId);
    expect(statuses(t.emu, 'ImportPublicKey')).toEqual([200, 409]);
    expect(t.emu.listResources().publicKeys).toEqual(before);
  });

  test('renaming a generated key with the quota full fails, and the rollback keeps every key and private key', async () => {
    // GIVEN three keys, the quota
    await deployOk(t.sim, keysStack(3));
    const before = t.emu.listResources().publicKeys;
    const privateKeys = ['Key1', 'Key2', 'Key3'].map((id) => privateKeyOf(id));
    t.emu.clearRequests();

    // WHEN the third is renamed, which needs a fourth key while old and new both exist
    const result = await t.sim.deploy(keysStack(3, (n) => (n === 3 ? 'renamed' : `key-${n}`)));

    // THEN
    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(result.reason).toMatch(/^Key3[0-9A-F]{8} \(Custom::IvsPublicKey\): .*Update failed: ServiceQuotaExceededException: Quota of 3 public keys reached\./);
    expect(operations(t.emu)).toEqual(['GetPublicKey', 'ImportPublicKey', 'GetPublicKey', 'ListPublicKeys', 'GetPublicKey']);
    expect(t.emu.listResources().publicKeys).toEqual(before);
    expect(['Key1', 'Key2', 'Key3'].map((id) => privateKeyOf(id))).toEqual(privateKeys);
  });
});

describe('delete', () => {
  test('a deleted key reads as not found, and its secret is gone', async () => {
    // GIVEN
    await deployOk(t.sim, keyStack());
    const { physicalId } = onlyResource(t.sim, TYPE);

    // WHEN
    await destroyOk(t.sim);

    // THEN
    await expect(getKey(physicalId)).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(t.emu.listResources().publicKeys).toEqual([]);
    expect(t.sim.secrets.list()).toEqual([]);
  });

  test('deleting a key makes one call, and none to its secret', async () => {
    // GIVEN a generated key
    await deployOk(t.sim, keyStack());
    const secretArn = secretOf(t.sim, 'Key').arn;
    t.emu.clearRequests();

    // WHEN
    await destroyOk(t.sim);

    // THEN the secret saw only the write of the create
    expect(operations(t.emu)).toEqual(['GetPublicKey', 'DeletePublicKey']);
    expect(t.sim.secrets.requests.filter((r) => r.secretId === secretArn).map((r) => r.operation)).toEqual(['PutSecretValue']);
  });

  test('a Delete delivered twice succeeds both times', async () => {
    // GIVEN a destroyed stack
    await deployOk(t.sim, keyStack());
    const destroyed = await destroyOk(t.sim);
    const deleteRequest = destroyed.events.find((e) => e.resourceType === TYPE)!.request!;

    // WHEN Lambda delivers the same Delete again
    const again = await t.sim.redeliver(deleteRequest);

    // THEN the key being gone already counts as deleted
    expect(again.status).toBe('SUCCESS');
    expect(statuses(t.emu, 'DeletePublicKey')).toEqual([200]);
    expect(statuses(t.emu, 'GetPublicKey').slice(-2)).toEqual([200, 404]);
  });
});

describe('secrets', () => {
  test('no private key or ResponseURL appears in any response, reason or log line, through the whole lifecycle', async () => {
    // GIVEN a lifecycle with every kind of request, a replacement and a failure
    const credentials = new Set<string>();
    const remember = () => writtenCredentials(t.sim).forEach((credential) => credentials.add(credential));
    await deployOk(t.sim, keyStack({ publicKeyName: 'one', tags: { a: '1' } }));
    await deployOk(t.sim, keyStack({ publicKeyName: 'one', tags: { b: '2' } }));
    await deployOk(t.sim, keyStack({ publicKeyName: 'two' }));
    remember();
    t.emu.injectFault({ kind: 'failNth', operation: 'ImportPublicKey', n: 1, errorType: 'ValidationException' });
    await t.sim.deploy(keyStack({ publicKeyName: 'three' }));
    remember();
    await destroyOk(t.sim);

    // THEN two private keys were generated (each whole and line by line), and none of them leaked
    expect([...credentials].filter((credential) => credential.startsWith('-----BEGIN PRIVATE KEY-----'))).toHaveLength(2);
    expect(t.sim.events.filter((e) => e.request).length).toBeGreaterThanOrEqual(6);
    expectNoLeaks(t.sim, [...credentials]);
  });
});
