import { createPublicKey, verify } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { stubClientConfig } from './aws-json-server';
import { useSimulator } from './harness';
import { LifecycleSimulator, synthesize } from './index';

const t = useSimulator();

/** The real SDK client, pointed at the stub the way a handler's is. */
function kmsClient(sim: LifecycleSimulator): KMSClient {
  return new KMSClient(stubClientConfig(sim.kms.endpoint));
}

/** Deploys a stack with one KMS key of `props` and returns its ARN. */
async function deployKey(sim: LifecycleSimulator, props: kms.KeyProps): Promise<string> {
  const result = await sim.deploy(synthesize((stack) => { new kms.Key(stack, 'Key', props); }));
  expect(result.success).toBe(true);
  return sim.kms.get(Object.keys(sim.resources).find((id) => sim.resources[id].type === 'AWS::KMS::Key')!)!.arn;
}

const P384 = { keySpec: kms.KeySpec.ECC_NIST_P384, keyUsage: kms.KeyUsage.SIGN_VERIFY };

describe('the KMS stub', () => {
  test('an AWS::KMS::Key of the stack exists in the stub with its key spec and usage, its key ID as Ref', async () => {
    // WHEN
    await t.sim.deploy(synthesize((stack) => { new kms.Key(stack, 'Signer', P384); }));

    // THEN
    const [logicalId, resource] = Object.entries(t.sim.resources).find(([, r]) => r.type === 'AWS::KMS::Key')!;
    const key = t.sim.kms.get(logicalId)!;
    expect(resource.physicalId).toBe(key.keyId);
    expect(resource.attributes.Arn).toBe(key.arn);
    expect(key).toMatchObject({ keySpec: 'ECC_NIST_P384', keyUsage: 'SIGN_VERIFY', keyState: 'Enabled' });
  });

  test('GetPublicKey answers the DER SubjectPublicKeyInfo of a P-384 key, and Sign a DER signature that verifies against it', async () => {
    // GIVEN
    const arn = await deployKey(t.sim, P384);
    const client = kmsClient(t.sim);
    const message = Buffer.from('header.payload');

    // WHEN
    const publicKey = await client.send(new GetPublicKeyCommand({ KeyId: arn }));
    const signed = await client.send(new SignCommand({ KeyId: arn, Message: message, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_384' }));

    // THEN
    const key = createPublicKey({ key: Buffer.from(publicKey.PublicKey!), format: 'der', type: 'spki' });
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
    expect(publicKey).toMatchObject({ KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_384'] });
    expect(verify('sha384', message, key, Buffer.from(signed.Signature!))).toBe(true);
    expect(verify('sha384', Buffer.from('something else'), key, Buffer.from(signed.Signature!))).toBe(false);
    client.destroy();
  });

  test('a symmetric key has no public half', async () => {
    // GIVEN
    const arn = await deployKey(t.sim, {});
    const client = kmsClient(t.sim);

    // WHEN / THEN
    await expect(client.send(new GetPublicKeyCommand({ KeyId: arn }))).rejects.toMatchObject({ name: 'UnsupportedOperationException' });
    client.destroy();
  });

  test('Sign with an algorithm the key spec does not have is refused', async () => {
    // GIVEN
    const arn = await deployKey(t.sim, P384);
    const client = kmsClient(t.sim);

    // WHEN / THEN
    await expect(client.send(new SignCommand({ KeyId: arn, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' })))
      .rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
    client.destroy();
  });

  test('a key the stack did not create does not exist', async () => {
    // GIVEN
    const client = kmsClient(t.sim);

    // WHEN / THEN
    await expect(client.send(new GetPublicKeyCommand({ KeyId: 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000' })))
      .rejects.toMatchObject({ name: 'NotFoundException' });
    client.destroy();
  });

  test('once the stack is destroyed the key is pending deletion and signs nothing', async () => {
    // GIVEN
    const arn = await deployKey(t.sim, { ...P384, removalPolicy: RemovalPolicy.DESTROY });
    const client = kmsClient(t.sim);

    // WHEN
    await t.sim.destroy();

    // THEN
    expect(t.sim.kms.get(arn)!.keyState).toBe('PendingDeletion');
    await expect(client.send(new SignCommand({ KeyId: arn, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_384' })))
      .rejects.toMatchObject({ name: 'KMSInvalidStateException' });
    client.destroy();
  });
});
