import {
  CreateEncoderConfigurationCommand,
  CreateIngestConfigurationCommand,
  CreateStageCommand,
  CreateStorageConfigurationCommand,
  DeletePublicKeyCommand,
  ImportPublicKeyCommand,
} from '@aws-sdk/client-ivs-realtime';
import { BUCKET, expectServiceError, publicKeyPem, useEmulator } from './helpers';

const t = useEmulator();

/** Runs `count` calls, `concurrency` at a time. */
async function repeat(count: number, call: () => Promise<unknown>, concurrency = 50): Promise<void> {
  for (let done = 0; done < count; done += concurrency) {
    await Promise.all(Array.from({ length: Math.min(concurrency, count - done) }, call));
  }
}

describe('service quotas answer 402 ServiceQuotaExceededException', () => {
  // A thousand calls through the SDK take about two seconds on an idle 2-core machine and more
  // than jest's default 5 s on a busy one: the test counts calls, it does not time them.
  test('1,000 stages', async () => {
    // GIVEN 1,000 stages
    await repeat(1000, () => t.client.send(new CreateStageCommand({})));
    // WHEN one more is created
    // THEN the quota is exceeded
    await expectServiceError(t.client.send(new CreateStageCommand({})), 'ServiceQuotaExceededException', 402);
    expect(t.emu.listResources().stages).toHaveLength(1000);
  }, 120_000);

  test('5 storage configurations', async () => {
    // GIVEN 5 storage configurations
    t.emu.registerBucket(BUCKET);
    const create = () => t.client.send(new CreateStorageConfigurationCommand({ s3: { bucketName: BUCKET } }));
    await repeat(5, create);
    // WHEN a sixth is created
    // THEN the quota is exceeded
    await expectServiceError(create(), 'ServiceQuotaExceededException', 402);
  });

  test('20 encoder configurations', async () => {
    // GIVEN 20 encoder configurations
    const create = () => t.client.send(new CreateEncoderConfigurationCommand({}));
    await repeat(20, create);
    // WHEN a 21st is created
    // THEN the quota is exceeded
    await expectServiceError(create(), 'ServiceQuotaExceededException', 402);
  });

  test('100 ingest configurations', async () => {
    // GIVEN 100 ingest configurations
    const create = () => t.client.send(new CreateIngestConfigurationCommand({ ingestProtocol: 'RTMPS' }));
    await repeat(100, create);
    // WHEN a 101st is created
    // THEN the quota is exceeded
    await expectServiceError(create(), 'ServiceQuotaExceededException', 402);
  });

  test('3 public keys, and deleting one frees a slot', async () => {
    // GIVEN 3 imported keys
    const importKey = () => t.client.send(new ImportPublicKeyCommand({ publicKeyMaterial: publicKeyPem() }));
    const first = await importKey();
    await repeat(2, importKey);
    // WHEN a fourth is imported, then one is deleted and the import retried
    await expectServiceError(importKey(), 'ServiceQuotaExceededException', 402);
    await t.client.send(new DeletePublicKeyCommand({ arn: first.publicKey!.arn }));
    // THEN the retried import succeeds
    await expect(importKey()).resolves.toMatchObject({ publicKey: { fingerprint: expect.any(String) } });
  });
});

describe('setQuotas', () => {
  test('raises a quota for a test that needs more', async () => {
    // GIVEN room for 8 public keys
    t.emu.setQuotas({ publicKeys: 8 });
    const importKey = () => t.client.send(new ImportPublicKeyCommand({ publicKeyMaterial: publicKeyPem() }));
    // WHEN 8 are imported, then a ninth
    await repeat(8, importKey);
    // THEN the eighth fitted and the ninth does not
    await expectServiceError(importKey(), 'ServiceQuotaExceededException', 402);
    expect(t.emu.listResources().publicKeys).toHaveLength(8);
  });

  test('reset() puts the service quotas back', async () => {
    // GIVEN a raised quota, then a reset
    t.emu.setQuotas({ publicKeys: 8 });
    t.emu.reset();
    const importKey = () => t.client.send(new ImportPublicKeyCommand({ publicKeyMaterial: publicKeyPem() }));
    // WHEN 4 keys are imported
    await repeat(3, importKey);
    // THEN the fourth exceeds the service's quota of 3
    await expectServiceError(importKey(), 'ServiceQuotaExceededException', 402);
  });

  test('an unknown quota or a bad value is refused', () => {
    // WHEN a quota that does not exist, or a negative one, is set
    // THEN a TypeError names it
    expect(() => t.emu.setQuotas({ channels: 5 } as never)).toThrow(/unknown quota channels/);
    expect(() => t.emu.setQuotas({ stages: -1 })).toThrow(/quota stages must be a non-negative integer, got -1/);
  });
});
