import { createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand } from '@aws-sdk/client-ivs-realtime';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { PublicKey, PublicKeyMaterial } from '../../src';
import { useSimulator } from '../simulator/harness';
import { synthesize } from '../simulator/index';

/*
 * A KMS-backed public key deployed through the lifecycle simulator, with the real handler bundle,
 * against the IVS emulator and the KMS stub: the key IVS holds is the public half of the KMS key.
 */

const t = useSimulator();

const signingKey = (stack: import('aws-cdk-lib').Stack, id: string) => new kms.Key(stack, id, {
  keySpec: kms.KeySpec.ECC_NIST_P384,
  keyUsage: kms.KeyUsage.SIGN_VERIFY,
  removalPolicy: RemovalPolicy.DESTROY,
});

/** The DER of a PEM or DER public key, to compare keys whatever their encoding. */
const der = (key: string | Uint8Array) => (typeof key === 'string'
  ? createPublicKey(key)
  : createPublicKey({ key: Buffer.from(key), format: 'der', type: 'spki' })).export({ type: 'spki', format: 'der' }).toString('base64');

const ivsKeyOf = () => Object.values(t.sim.resources).find((r) => r.type === 'Custom::IvsPublicKey')!;

/** A stack with a public key backed by the KMS key with logical ID `kmsKeyId` (both keys defined, one used). */
const stackUsing = (kmsKeyId: 'First' | 'Second') => synthesize((stack) => {
  const keys = { First: signingKey(stack, 'First'), Second: signingKey(stack, 'Second') };
  new PublicKey(stack, 'Key', { publicKeyName: 'signer', publicKeyMaterial: PublicKeyMaterial.fromKmsKey(keys[kmsKeyId]) });
});

test('a deploy imports the KMS key\'s public half into IVS, and creates no secret', async () => {
  // WHEN
  const result = await t.sim.deploy(synthesize((stack) => {
    new PublicKey(stack, 'Key', { publicKeyMaterial: PublicKeyMaterial.generateInKms(), removalPolicy: RemovalPolicy.DESTROY });
  }));

  // THEN
  expect(result.success).toBe(true);
  const { publicKey } = await t.client.send(new GetPublicKeyCommand({ arn: ivsKeyOf().physicalId }));
  const kmsKey = t.sim.kms.list()[0];
  expect(der(publicKey!.publicKeyMaterial!)).toBe(der(kmsKey.publicKey!.export({ type: 'spki', format: 'der' })));
  expect(t.sim.secrets.list()).toEqual([]);
  expect(t.sim.kms.requests.map((r) => [r.operation, r.keyId])).toEqual([['GetPublicKey', kmsKey.arn]]);
});

test('another KMS key replaces the IVS public key, and the old one is deleted', async () => {
  // GIVEN
  await t.sim.deploy(stackUsing('First'));
  const before = ivsKeyOf().physicalId;

  // WHEN
  const result = await t.sim.deploy(stackUsing('Second'));

  // THEN
  expect(result.success).toBe(true);
  const after = ivsKeyOf().physicalId;
  expect(after).not.toBe(before);
  const keys = t.emu.listResources().publicKeys as { arn: string; publicKeyMaterial: string }[];
  expect(keys.map((k) => k.arn)).toEqual([after]);
  expect(der(keys[0].publicKeyMaterial)).toBe(der(t.sim.kms.list().find((k) => k.logicalId.startsWith('Second'))!.publicKey!.export({ type: 'spki', format: 'der' })));
});

test('a failed replacement rolls back to the key IVS still holds, without importing it again', async () => {
  // GIVEN
  await t.sim.deploy(stackUsing('First'));
  const before = ivsKeyOf().physicalId;
  t.emu.injectFault({ kind: 'failNth', operation: 'ImportPublicKey', n: 1, errorType: 'ServiceQuotaExceededException', status: 402 });

  // WHEN
  const result = await t.sim.deploy(stackUsing('Second'));

  // THEN
  expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
  expect(ivsKeyOf().physicalId).toBe(before);
  expect((t.emu.listResources().publicKeys as { arn: string }[]).map((k) => k.arn)).toEqual([before]);
});

test('a KMS key that cannot sign ES384 tokens fails the deploy before anything is imported', async () => {
  // GIVEN a key imported by ARN, which synth cannot check
  const artifact = synthesize((stack) => {
    const wrong = new kms.Key(stack, 'Symmetric', { removalPolicy: RemovalPolicy.DESTROY });
    const imported = kms.Key.fromKeyArn(stack, 'Imported', wrong.keyArn);
    new PublicKey(stack, 'Key', { publicKeyMaterial: PublicKeyMaterial.fromKmsKey(imported) });
  });

  // WHEN
  const result = await t.sim.deploy(artifact);

  // THEN
  expect(result.status).toBe('ROLLBACK_COMPLETE');
  expect(result.reason).toMatch(/UnsupportedOperationException/);
  expect(t.emu.listResources().publicKeys).toEqual([]);
});

test('destroying the stack deletes the IVS public key and schedules the created KMS key for deletion', async () => {
  // GIVEN
  await t.sim.deploy(synthesize((stack) => {
    new PublicKey(stack, 'Key', { publicKeyMaterial: PublicKeyMaterial.generateInKms() });
  }));

  // WHEN
  const result = await t.sim.destroy();

  // THEN
  expect(result.success).toBe(true);
  expect(t.emu.listResources().publicKeys).toEqual([]);
  expect(t.sim.kms.list().map((k) => k.keyState)).toEqual(['PendingDeletion']);
});
