/*
 * The StorageConfiguration contract: the real construct and handler bundle, with its bucket an
 * s3.Bucket of the same stack, deployed, updated and deleted the way CloudFormation would
 * (test/simulator), against the IVS Real-Time emulator.
 */
import {
  GetStageCommand,
  GetStorageConfigurationCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-ivs-realtime';
import { Stack, Tags } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  deployOk,
  destroyOk,
  expectNoLeaks,
  failFrom,
  lifecycleOf,
  onlyResource,
  operations,
  stackWith,
  statuses,
  withoutRetryDelays,
  withCreatorTag,
} from './helpers';
import { Stage, StorageConfiguration, StorageConfigurationProps } from '../../src';
import { useSimulator } from '../simulator/harness';

const t = useSimulator();

const TYPE = 'Custom::IvsStorageConfiguration';
const STAGE_TYPE = 'Custom::IvsStage';
/** The physical ID a failed create answers (lambda/failed-create.ts), whose Delete reaches the handler. */
const CREATE_FAILED_MARKER = 'cdk-ivs-realtime::CREATE_FAILED';

type Options = Omit<StorageConfigurationProps, 'bucket'>;

/** A storage configuration on a bucket of the same stack; `bucketId` picks which bucket. */
function define(stack: Stack, options: Options = {}, bucketId = 'Bucket', id = 'Recordings'): StorageConfiguration {
  return new StorageConfiguration(stack, id, { bucket: new s3.Bucket(stack, bucketId), ...options });
}

const storageStack = (options: Options = {}, bucketId?: string) => stackWith((stack) => { define(stack, options, bucketId); });

/** A storage configuration and a stage that records into it. */
const recordingStack = (options: Options, stageName = 'live') => stackWith((stack) => {
  new Stage(stack, 'Stage', { stageName, autoParticipantRecording: { storageConfiguration: define(stack, options) } });
});

const getStorageConfiguration = async (arn: string) => (await t.client.send(new GetStorageConfigurationCommand({ arn }))).storageConfiguration!;
const tagsOf = async (arn: string) => (await t.client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags;
const recordingArnOf = async (stageArn: string) =>
  (await t.client.send(new GetStageCommand({ arn: stageArn }))).stage!.autoParticipantRecordingConfiguration!.storageConfigurationArn;
const bucketName = () => onlyResource(t.sim, 'AWS::S3::Bucket').physicalId;

describe('create', () => {
  test('every property arrives, with the JSON type the API takes, and the physical ID is the ARN', async () => {
    // GIVEN
    const artifact = storageStack({ storageConfigurationName: 'recordings', tags: { team: 'video' } });

    // WHEN
    await deployOk(t.sim, artifact);

    // THEN
    const resource = onlyResource(t.sim, TYPE);
    expect(t.emu.requests.find((r) => r.operation === 'CreateStorageConfiguration')!.body)
      .toStrictEqual({ name: 'recordings', s3: { bucketName: bucketName() }, tags: withCreatorTag({ team: 'video' }) });
    expect(await getStorageConfiguration(resource.physicalId)).toStrictEqual({
      arn: resource.physicalId,
      name: 'recordings',
      s3: { bucketName: bucketName() },
      tags: withCreatorTag({ team: 'video' }),
    });
    expect(resource.attributes).toEqual({
      Arn: resource.physicalId,
      StorageConfigurationId: resource.physicalId.split('/')[1],
      Name: 'recordings',
      BucketName: bucketName(),
    });
  });

  test('tags given on create, Tags.of() included, are on the storage configuration', async () => {
    // GIVEN
    const artifact = stackWith((stack) => {
      define(stack, { tags: { team: 'video', tier: 'gold' } });
      Tags.of(stack).add('cost-center', '42');
    });

    // WHEN
    await deployOk(t.sim, artifact);

    // THEN
    expect(await tagsOf(onlyResource(t.sim, TYPE).physicalId)).toEqual(withCreatorTag({ 'team': 'video', 'tier': 'gold', 'cost-center': '42' }));
  });

  test('a failed create is followed by a delete that looks for what it made, and deletes nothing', async () => {
    // GIVEN CreateStorageConfiguration refusing the storage configuration
    t.emu.injectFault({ kind: 'failNth', operation: 'CreateStorageConfiguration', n: 1, errorType: 'ValidationException' });

    // WHEN
    const result = await t.sim.deploy(storageStack({ storageConfigurationName: 'refused' }));

    // THEN the rollback's Delete carried the failed-create ID, and only listed the type
    expect(result.status).toBe('ROLLBACK_COMPLETE');
    const rollbackDelete = result.events.find((e) => e.phase === 'rollback' && e.resourceType === TYPE)!;
    expect(rollbackDelete.request).toEqual(expect.objectContaining({ RequestType: 'Delete', PhysicalResourceId: CREATE_FAILED_MARKER }));
    expect(rollbackDelete.status).toBe('SUCCESS');
    expect(operations(t.emu)).toEqual(['CreateStorageConfiguration', 'ListStorageConfigurations']);
  });

  test('throttling is retried until the create succeeds', async () => {
    // GIVEN
    t.emu.injectFault({ kind: 'throttle', operation: 'CreateStorageConfiguration', times: 2 });

    // WHEN
    await withoutRetryDelays(() => deployOk(t.sim, storageStack()));

    // THEN
    expect(statuses(t.emu, 'CreateStorageConfiguration')).toEqual([429, 429, 200]);
    expect(t.emu.listResources().storageConfigurations).toHaveLength(1);
  });

  test('a persistent refusal fails with a clear reason, and the rollback leaves nothing behind', async () => {
    // GIVEN two storage configurations, and every CreateStorageConfiguration after the first failing with a 500
    const artifact = stackWith((stack) => {
      define(stack, { storageConfigurationName: 'first' }, 'FirstBucket', 'First');
      define(stack, { storageConfigurationName: 'second' }, 'SecondBucket', 'Second');
    });
    failFrom(t.emu, 'CreateStorageConfiguration', 1);

    // WHEN
    const result = await withoutRetryDelays(() => t.sim.deploy(artifact));

    // THEN the second one's handler failed at the first refusal, and the first one is deleted again
    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(result.reason).toMatch(/^Second[0-9A-F]{8} \(Custom::IvsStorageConfiguration\): Received response status \[FAILED\] from custom resource\. Message returned: Create failed: ServiceQuotaExceededException: Request would cause a service quota to be exceeded\. \(RequestId: [0-9a-f-]{36}\)$/);
    expect(statuses(t.emu, 'CreateStorageConfiguration')).toEqual([200, 402]);
    expect(statuses(t.emu, 'DeleteStorageConfiguration')).toEqual([200]);
    expect(t.emu.listResources().storageConfigurations).toEqual([]);
    expect(t.sim.resources).toEqual({});
  });
});

describe('update', () => {
  test('tags are added, changed and removed by difference, on the same storage configuration', async () => {
    // GIVEN
    await deployOk(t.sim, storageStack({ storageConfigurationName: 'tagged', tags: { keep: 'same', change: 'old', remove: 'me' } }));
    const { physicalId } = onlyResource(t.sim, TYPE);
    t.emu.clearRequests();

    // WHEN
    const result = await deployOk(t.sim, storageStack({ storageConfigurationName: 'tagged', tags: { keep: 'same', change: 'new', add: 'me' } }));

    // THEN
    expect(lifecycleOf(result, TYPE)).toEqual([`deploy Update ${physicalId}`]);
    expect(t.emu.requests.map((r) => [r.operation, r.body, r.query])).toEqual([
      ['TagResource', { tags: { change: 'new', add: 'me' } }, {}],
      ['UntagResource', undefined, { tagKeys: ['remove'] }],
    ]);
    expect(await tagsOf(physicalId)).toEqual(withCreatorTag({ keep: 'same', change: 'new', add: 'me' }));
  });

  test('a new name replaces the storage configuration: the new one is created, the old one deleted in the cleanup', async () => {
    // GIVEN
    await deployOk(t.sim, storageStack({ storageConfigurationName: 'before' }));
    const old = onlyResource(t.sim, TYPE).physicalId;
    t.emu.clearRequests();

    // WHEN
    const result = await deployOk(t.sim, storageStack({ storageConfigurationName: 'after' }));

    // THEN
    const replacement = onlyResource(t.sim, TYPE).physicalId;
    expect(replacement).not.toBe(old);
    expect(lifecycleOf(result, TYPE)).toEqual([`deploy Update ${replacement}`, `cleanup Delete ${old}`]);
    await expect(getStorageConfiguration(old)).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(t.emu.listResources().storageConfigurations).toEqual([
      { arn: replacement, name: 'after', s3: { bucketName: bucketName() }, tags: withCreatorTag({}) },
    ]);
  });

  test('another bucket replaces the storage configuration, on the new bucket', async () => {
    // GIVEN
    await deployOk(t.sim, storageStack({ storageConfigurationName: 'moving' }, 'OldBucket'));
    const old = onlyResource(t.sim, TYPE).physicalId;

    // WHEN
    const result = await deployOk(t.sim, storageStack({ storageConfigurationName: 'moving' }, 'NewBucket'));

    // THEN
    const replacement = onlyResource(t.sim, TYPE).physicalId;
    expect(lifecycleOf(result, TYPE)).toEqual([`deploy Update ${replacement}`, `cleanup Delete ${old}`]);
    expect(t.emu.listResources().storageConfigurations).toEqual([
      { arn: replacement, name: 'moving', s3: { bucketName: bucketName() }, tags: withCreatorTag({}) },
    ]);
    expect(bucketName()).toMatch(/newbucket/);
  });

  test('500s are retried until a replacing update succeeds', async () => {
    // GIVEN
    await deployOk(t.sim, storageStack({ storageConfigurationName: 'before' }));
    t.emu.clearRequests();
    t.emu.injectFault({ kind: 'internal', operation: 'CreateStorageConfiguration', times: 2 });

    // WHEN
    await withoutRetryDelays(() => deployOk(t.sim, storageStack({ storageConfigurationName: 'after' })));

    // THEN
    expect(statuses(t.emu, 'CreateStorageConfiguration')).toEqual([500, 500, 200]);
    expect(t.emu.listResources().storageConfigurations).toEqual([expect.objectContaining({ name: 'after' })]);
  });

  test('a stage recording into a replaced storage configuration moves to the new one before the old one is deleted', async () => {
    // GIVEN
    await deployOk(t.sim, recordingStack({ storageConfigurationName: 'before' }));
    const old = onlyResource(t.sim, TYPE).physicalId;
    const stage = onlyResource(t.sim, STAGE_TYPE).physicalId;
    t.emu.clearRequests();

    // WHEN
    const result = await deployOk(t.sim, recordingStack({ storageConfigurationName: 'after' }));

    // THEN the stage was updated in place with the new ARN, and only then was the old one deleted
    const replacement = onlyResource(t.sim, TYPE).physicalId;
    expect(result.events.filter((e) => e.request).map((e) => `${e.phase} ${e.requestType} ${e.resourceType} ${e.physicalId}`)).toEqual([
      `deploy Update ${TYPE} ${replacement}`,
      `deploy Update ${STAGE_TYPE} ${stage}`,
      `cleanup Delete ${TYPE} ${old}`,
    ]);
    expect(operations(t.emu)).toEqual(['GetStorageConfiguration', 'CreateStorageConfiguration', 'UpdateStage', 'GetStorageConfiguration', 'DeleteStorageConfiguration']);
    expect(await recordingArnOf(stage)).toBe(replacement);
    expect(t.emu.listResources().storageConfigurations).toEqual([expect.objectContaining({ arn: replacement })]);
  });

  test('a replacement rolled back by a later failure is deleted again, and the stage records into the old one again', async () => {
    // GIVEN
    await deployOk(t.sim, recordingStack({ storageConfigurationName: 'before' }, 'live'));
    const before = t.emu.listResources();
    const old = onlyResource(t.sim, TYPE).physicalId;

    // WHEN the storage configuration is renamed, and the stage's update that follows is refused
    t.emu.injectFault({ kind: 'failNth', operation: 'UpdateStage', n: 1, errorType: 'ValidationException' });
    const result = await t.sim.deploy(recordingStack({ storageConfigurationName: 'after' }, 'renamed'));

    // THEN
    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    const replacement = result.events[0].physicalId!;
    expect(replacement).not.toBe(old);
    expect(lifecycleOf(result, TYPE)).toEqual([`deploy Update ${replacement}`, `rollback Delete ${replacement}`]);
    expect(onlyResource(t.sim, TYPE).physicalId).toBe(old);
    expect(t.emu.listResources()).toEqual(before);
  });

  test('a replacing update that fails itself is rolled back in place: nothing is created, the ARN stays', async () => {
    // GIVEN
    await deployOk(t.sim, storageStack({ storageConfigurationName: 'before', tags: { v: '1' } }));
    const before = t.emu.listResources().storageConfigurations;
    const { physicalId } = onlyResource(t.sim, TYPE);
    t.emu.clearRequests();

    // WHEN the rename's CreateStorageConfiguration is refused
    t.emu.injectFault({ kind: 'failNth', operation: 'CreateStorageConfiguration', n: 1, errorType: 'ValidationException' });
    const result = await t.sim.deploy(storageStack({ storageConfigurationName: 'after', tags: { v: '2' } }));

    // THEN CloudFormation's Update back to the old properties found them in place, and only put the old tags back
    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    const rollback = result.events.find((e) => e.phase === 'rollback' && e.resourceType === TYPE)!;
    expect(rollback.response!.PhysicalResourceId).toBe(physicalId);
    expect(operations(t.emu)).toEqual(['GetStorageConfiguration', 'CreateStorageConfiguration', 'GetStorageConfiguration', 'ListStorageConfigurations', 'TagResource']);
    expect(t.emu.listResources().storageConfigurations).toEqual(before);
  });
});

describe('delete', () => {
  test('a deleted storage configuration reads as not found', async () => {
    // GIVEN
    await deployOk(t.sim, storageStack());
    const { physicalId } = onlyResource(t.sim, TYPE);

    // WHEN
    await destroyOk(t.sim);

    // THEN
    await expect(getStorageConfiguration(physicalId)).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(t.emu.listResources().storageConfigurations).toEqual([]);
  });

  test('a stage recording into it is deleted first', async () => {
    // GIVEN
    await deployOk(t.sim, recordingStack({}));
    t.emu.clearRequests();

    // WHEN
    await destroyOk(t.sim);

    // THEN
    expect(operations(t.emu)).toEqual(['GetStage', 'DeleteStage', 'GetStorageConfiguration', 'DeleteStorageConfiguration']);
  });

  test('a Delete delivered twice succeeds both times', async () => {
    // GIVEN a destroyed stack
    await deployOk(t.sim, storageStack());
    const destroyed = await destroyOk(t.sim);
    const deleteRequest = destroyed.events.find((e) => e.resourceType === TYPE)!.request!;

    // WHEN Lambda delivers the same Delete again
    const again = await t.sim.redeliver(deleteRequest);

    // THEN the storage configuration being gone already counts as deleted
    expect(again.status).toBe('SUCCESS');
    expect(statuses(t.emu, 'DeleteStorageConfiguration')).toEqual([200]);
  });
});

describe('secrets', () => {
  test('no ResponseURL appears in any response, reason or log line, through create, update, failure and delete', async () => {
    // GIVEN a lifecycle with every kind of request, and a failure
    await deployOk(t.sim, storageStack({ storageConfigurationName: 'one', tags: { a: '1' } }));
    await deployOk(t.sim, storageStack({ storageConfigurationName: 'two', tags: { b: '2' } }));
    t.emu.injectFault({ kind: 'failNth', operation: 'CreateStorageConfiguration', n: 1, errorType: 'ValidationException' });
    await t.sim.deploy(storageStack({ storageConfigurationName: 'three' }));
    await destroyOk(t.sim);

    // THEN
    expect(t.sim.events.filter((e) => e.request).length).toBeGreaterThanOrEqual(5);
    expectNoLeaks(t.sim);
  });
});
