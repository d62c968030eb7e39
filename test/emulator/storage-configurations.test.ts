import {
  CreateEncoderConfigurationCommand,
  CreateStageCommand,
  CreateStorageConfigurationCommand,
  DeleteStorageConfigurationCommand,
  GetStorageConfigurationCommand,
  ListStorageConfigurationsCommand,
  StartCompositionCommand,
  StopCompositionCommand,
} from '@aws-sdk/client-ivs-realtime';
import { BUCKET, expectServiceError, expectValidationError, useEmulator } from './helpers';

const t = useEmulator();

const create = (name?: string, bucketName = BUCKET) =>
  t.client.send(new CreateStorageConfigurationCommand({ name, s3: { bucketName } }));

describe('StorageConfiguration CRUD', () => {
  test('creates a storage configuration on a registered bucket', async () => {
    // GIVEN a bucket registered in the emulator region
    t.emu.registerBucket(BUCKET);
    // WHEN a storage configuration is created on it
    const out = await create('rec');
    // THEN it is shaped like the service
    expect(out.storageConfiguration).toEqual({
      arn: expect.stringMatching(/^arn:aws:ivs:us-east-1:123456789012:storage-configuration\/[a-zA-Z0-9]{12}$/),
      name: 'rec',
      s3: { bucketName: BUCKET },
      tags: {},
    });
  });

  test('Get returns the created configuration and 404 after Delete', async () => {
    // GIVEN a storage configuration
    t.emu.registerBucket(BUCKET);
    const { storageConfiguration } = await create('rec');
    const arn = storageConfiguration!.arn;
    // WHEN it is read, deleted and read again
    const got = await t.client.send(new GetStorageConfigurationCommand({ arn }));
    await t.client.send(new DeleteStorageConfigurationCommand({ arn }));
    // THEN the first read matches and the second is a 404
    expect(got.storageConfiguration).toEqual(storageConfiguration);
    await expectServiceError(t.client.send(new GetStorageConfigurationCommand({ arn })), 'ResourceNotFoundException', 404);
  });

  test('List pages through configurations and includes s3 in the summary', async () => {
    // GIVEN three storage configurations
    t.emu.registerBucket(BUCKET);
    for (let i = 0; i < 3; i++) await create(`c${i}`);
    // WHEN they are listed two at a time
    const first = await t.client.send(new ListStorageConfigurationsCommand({ maxResults: 2 }));
    const second = await t.client.send(new ListStorageConfigurationsCommand({ maxResults: 2, nextToken: first.nextToken }));
    // THEN two pages hold all three, each with its bucket
    expect([...first.storageConfigurations!, ...second.storageConfigurations!].map((c) => c.name)).toEqual(['c0', 'c1', 'c2']);
    expect(first.storageConfigurations![0].s3).toEqual({ bucketName: BUCKET });
    expect(second.nextToken).toBeUndefined();
  });
});

describe('StorageConfiguration bucket rules', () => {
  test('rejects a bucket that is not registered', async () => {
    // GIVEN no registered bucket
    // WHEN a storage configuration names one
    // THEN ValidationException names s3.bucketName
    expect(await expectValidationError(create('x', 'unknown-bucket'))).toContain('s3.bucketName');
  });

  test('rejects a bucket registered in another region', async () => {
    // GIVEN a bucket in eu-west-1 while the emulator is us-east-1
    t.emu.registerBucket(BUCKET, 'eu-west-1');
    // WHEN a storage configuration names it
    const message = await expectValidationError(create('x'));
    // THEN the message explains the region mismatch
    expect(message).toMatch(/s3\.bucketName: .*eu-west-1/);
  });
});

describe('StorageConfiguration in use by a composition', () => {
  test('cannot be deleted while a composition uses it, and can after the composition stops', async () => {
    // GIVEN a composition recording to the storage configuration
    t.emu.registerBucket(BUCKET);
    const { storageConfiguration } = await create('rec');
    const { encoderConfiguration } = await t.client.send(new CreateEncoderConfigurationCommand({}));
    const { stage } = await t.client.send(new CreateStageCommand({}));
    const { composition } = await t.client.send(new StartCompositionCommand({
      stageArn: stage!.arn,
      destinations: [{ s3: { storageConfigurationArn: storageConfiguration!.arn, encoderConfigurationArns: [encoderConfiguration!.arn!] } }],
    }));
    // WHEN it is deleted
    const call = t.client.send(new DeleteStorageConfigurationCommand({ arn: storageConfiguration!.arn }));
    // THEN ConflictException; after StopComposition the delete succeeds
    await expectServiceError(call, 'ConflictException', 409);
    await t.client.send(new StopCompositionCommand({ arn: composition!.arn }));
    await t.client.send(new DeleteStorageConfigurationCommand({ arn: storageConfiguration!.arn }));
    expect(t.emu.listResources().storageConfigurations).toHaveLength(0);
  });
});
