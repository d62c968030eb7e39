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
  test('1,000 stages', async () => {
    // GIVEN 1,000 stages
    await repeat(1000, () => t.client.send(new CreateStageCommand({})));
    // WHEN one more is created
    // THEN the quota is exceeded
    await expectServiceError(t.client.send(new CreateStageCommand({})), 'ServiceQuotaExceededException', 402);
    expect(t.emu.listResources().stages).toHaveLength(1000);
    // 1,001 requests through the SDK take about 4 s alone, more while the rest of the suite runs
    // on the other workers: jest's default 5 s made this test fail under load, not on a quota.
  }, 30_000);

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
