/*
 * The Stage contract: the real Stage construct and handler bundle, deployed, updated and deleted
 * the way CloudFormation would (test/simulator), against the IVS Real-Time emulator.
 */
import * as path from 'path';
import { GetStageCommand, ListTagsForResourceCommand, ResourceNotFoundException } from '@aws-sdk/client-ivs-realtime';
import { Duration, Stack, Tags } from 'aws-cdk-lib';
import {
  deployOk,
  destroyOk,
  existingStorageConfiguration,
  expectNoLeaks,
  failFrom,
  onlyResource,
  operations,
  stackWith,
  statuses,
  withHandler,
  withoutRetryDelays,
  withCreatorTag,
} from './helpers';
import {
  RecordingMediaType,
  Stage,
  StageProps,
  StorageConfiguration,
  ThumbnailRecordingMode,
  ThumbnailStorage,
} from '../../src';
import { useSimulator } from '../simulator/harness';

const t = useSimulator();

const TYPE = 'Custom::IvsStage';
/** The physical ID a failed create answers (lambda/failed-create.ts), whose Delete reaches the handler. */
const CREATE_FAILED_MARKER = 'cdk-ivs-realtime::CREATE_FAILED';

/** A stack with one stage. */
const stageStack = (props: StageProps = {}, id = 'Stage') => stackWith((stack) => { new Stage(stack, id, props); });

/** A stage that records everything, with every option away from its default. */
function recordingProps(stack: Stack, storageConfigurationArn: string): StageProps['autoParticipantRecording'] {
  return {
    storageConfiguration: StorageConfiguration.fromStorageConfigurationArn(stack, 'Recordings', storageConfigurationArn),
    mediaTypes: [RecordingMediaType.AUDIO_ONLY],
    thumbnails: {
      recordingMode: ThumbnailRecordingMode.INTERVAL,
      storage: [ThumbnailStorage.SEQUENTIAL, ThumbnailStorage.LATEST],
      targetInterval: Duration.seconds(30),
    },
    recordingReconnectWindow: Duration.seconds(60),
    hlsTargetSegmentDuration: Duration.seconds(4),
    recordParticipantReplicas: false,
  };
}

const getStage = async (arn: string) => (await t.client.send(new GetStageCommand({ arn }))).stage!;
const tagsOf = async (arn: string) => (await t.client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags;

describe('create', () => {
  test('every property arrives, with the JSON type the API takes, and the physical ID is the ARN', async () => {
    // GIVEN
    const storageArn = await existingStorageConfiguration(t.emu, t.client);
    const artifact = stackWith((stack) => {
      new Stage(stack, 'Stage', { stageName: 'town-hall', autoParticipantRecording: recordingProps(stack, storageArn), tags: { team: 'video' } });
    });

    // WHEN
    await deployOk(t.sim, artifact);

    // THEN
    const resource = onlyResource(t.sim, TYPE);
    const stage = await getStage(resource.physicalId);
    expect(stage.arn).toBe(resource.physicalId);
    expect(stage.name).toBe('town-hall');
    expect(stage.tags).toEqual(withCreatorTag({ team: 'video' }));
    expect(stage.autoParticipantRecordingConfiguration).toStrictEqual({
      storageConfigurationArn: storageArn,
      mediaTypes: ['AUDIO_ONLY'],
      thumbnailConfiguration: { recordingMode: 'INTERVAL', storage: ['SEQUENTIAL', 'LATEST'], targetIntervalSeconds: 30 },
      recordingReconnectWindowSeconds: 60,
      hlsConfiguration: { targetSegmentDurationSeconds: 4 },
      recordParticipantReplicas: false,
    });
    expect(resource.attributes).toEqual({
      Arn: stage.arn,
      StageId: stage.arn!.split('/')[1],
      Name: 'town-hall',
      WhipEndpoint: stage.endpoints!.whip,
      RtmpEndpoint: stage.endpoints!.rtmp,
      RtmpsEndpoint: stage.endpoints!.rtmps,
      EventsEndpoint: stage.endpoints!.events,
    });
  });

  test('tags given on create, Tags.of() included, are on the stage', async () => {
    // GIVEN
    const artifact = stackWith((stack) => {
      new Stage(stack, 'Stage', { tags: { team: 'video', tier: 'gold' } });
      Tags.of(stack).add('cost-center', '42');
    });

    // WHEN
    await deployOk(t.sim, artifact);

    // THEN
    expect(await tagsOf(onlyResource(t.sim, TYPE).physicalId)).toEqual(withCreatorTag({ 'team': 'video', 'tier': 'gold', 'cost-center': '42' }));
  });

  test('a failed create is followed by a delete that looks for what it made, and deletes nothing', async () => {
    // GIVEN CreateStage refusing the stage
    t.emu.injectFault({ kind: 'failNth', operation: 'CreateStage', n: 1, errorType: 'ValidationException' });

    // WHEN
    const result = await t.sim.deploy(stageStack({ stageName: 'refused' }));

    // THEN the rollback's Delete carried the failed-create ID, and only listed the type
    expect(result.status).toBe('ROLLBACK_COMPLETE');
    const rollbackDelete = result.events.find((e) => e.phase === 'rollback' && e.resourceType === TYPE)!;
    expect(rollbackDelete.request).toEqual(expect.objectContaining({ RequestType: 'Delete', PhysicalResourceId: CREATE_FAILED_MARKER }));
    expect(rollbackDelete.status).toBe('SUCCESS');
    expect(operations(t.emu)).toEqual(['CreateStage', 'ListStages']);
  });

  test('throttling is retried until the create succeeds', async () => {
    // GIVEN
    t.emu.injectFault({ kind: 'throttle', operation: 'CreateStage', times: 2 });

    // WHEN
    await withoutRetryDelays(() => deployOk(t.sim, stageStack({ stageName: 'patient' })));

    // THEN
    expect(statuses(t.emu, 'CreateStage')).toEqual([429, 429, 200]);
    expect(t.emu.listResources().stages).toHaveLength(1);
  });

  test('a persistent refusal fails with a clear reason, and the rollback leaves nothing behind', async () => {
    // GIVEN two stages, and every CreateStage after the first failing with a 500
    const artifact = stackWith((stack) => {
      new Stage(stack, 'First', { stageName: 'first' });
      new Stage(stack, 'Second', { stageName: 'second' });
    });
    failFrom(t.emu, 'CreateStage', 1);

    // WHEN
    const result = await withoutRetryDelays(() => t.sim.deploy(artifact));

    // THEN the second stage's handler failed at the first refusal, and the first stage is deleted again
    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(result.reason).toMatch(/^Second[0-9A-F]{8} \(Custom::IvsStage\): Received response status \[FAILED\] from custom resource\. Message returned: Create failed: ServiceQuotaExceededException: Request would cause a service quota to be exceeded\. \(RequestId: [0-9a-f-]{36}\)$/);
    expect(statuses(t.emu, 'CreateStage')).toEqual([200, 402]);
    expect(statuses(t.emu, 'DeleteStage')).toEqual([200]);
    expect(t.emu.listResources().stages).toEqual([]);
    expect(t.sim.resources).toEqual({});
  });
});

describe('update', () => {
  test('a rename and a new recording configuration change the stage in place: same physical ID, no create or delete', async () => {
    // GIVEN a stage that does not record
    const storageArn = await existingStorageConfiguration(t.emu, t.client);
    await deployOk(t.sim, stageStack({ stageName: 'before' }));
    const { physicalId } = onlyResource(t.sim, TYPE);
    t.emu.clearRequests();

    // WHEN it is renamed and starts recording
    const result = await deployOk(t.sim, stackWith((stack) => {
      new Stage(stack, 'Stage', { stageName: 'after', autoParticipantRecording: recordingProps(stack, storageArn) });
    }));

    // THEN
    expect(operations(t.emu)).toEqual(['UpdateStage']);
    const update = result.events.find((e) => e.resourceType === TYPE)!;
    expect(update.requestType).toBe('Update');
    expect(update.response!.PhysicalResourceId).toBe(physicalId);
    expect(onlyResource(t.sim, TYPE).physicalId).toBe(physicalId);
    const stage = await getStage(physicalId);
    expect(stage.name).toBe('after');
    expect(stage.autoParticipantRecordingConfiguration!.storageConfigurationArn).toBe(storageArn);
    expect(stage.autoParticipantRecordingConfiguration!.recordingReconnectWindowSeconds).toBe(60);
  });

  test('tags are added, changed and removed by difference', async () => {
    // GIVEN
    await deployOk(t.sim, stageStack({ stageName: 'tagged', tags: { keep: 'same', change: 'old', remove: 'me' } }));
    const { physicalId } = onlyResource(t.sim, TYPE);
    t.emu.clearRequests();

    // WHEN
    await deployOk(t.sim, stageStack({ stageName: 'tagged', tags: { keep: 'same', change: 'new', add: 'me' } }));

    // THEN
    expect(await tagsOf(physicalId)).toEqual(withCreatorTag({ keep: 'same', change: 'new', add: 'me' }));
    const tagRequests = t.emu.requests.filter((r) => r.operation === 'TagResource' || r.operation === 'UntagResource');
    expect(tagRequests.map((r) => [r.operation, r.body, r.query])).toEqual([
      ['TagResource', { tags: { change: 'new', add: 'me' } }, {}],
      ['UntagResource', undefined, { tagKeys: ['remove'] }],
    ]);
  });

  test('500s are retried until the update succeeds', async () => {
    // GIVEN
    await deployOk(t.sim, stageStack({ stageName: 'before' }));
    t.emu.injectFault({ kind: 'internal', operation: 'UpdateStage', times: 2 });

    // WHEN
    await withoutRetryDelays(() => deployOk(t.sim, stageStack({ stageName: 'after' })));

    // THEN
    expect(statuses(t.emu, 'UpdateStage')).toEqual([500, 500, 200]);
    expect((await getStage(onlyResource(t.sim, TYPE).physicalId)).name).toBe('after');
  });

  // Stage has no property whose change replaces it (everything updates in place), so replacement
  // is shown the way a user meets it: the stage moves to a new logical ID.
  test('a stage moved to a new logical ID is created anew, and the old one deleted after the update', async () => {
    // GIVEN
    await deployOk(t.sim, stageStack({ stageName: 'moving' }, 'Old'));
    const old = onlyResource(t.sim, TYPE);

    // WHEN
    const result = await deployOk(t.sim, stageStack({ stageName: 'moving' }, 'New'));

    // THEN
    const moved = onlyResource(t.sim, TYPE);
    expect(result.events.filter((e) => e.resourceType === TYPE).map((e) => `${e.phase} ${e.requestType} ${e.physicalId}`)).toEqual([
      `deploy Create ${moved.physicalId}`,
      `cleanup Delete ${old.physicalId}`,
    ]);
    expect(moved.physicalId).not.toBe(old.physicalId);
    await expect(getStage(old.physicalId)).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(t.emu.listResources().stages).toEqual([expect.objectContaining({ arn: moved.physicalId, name: 'moving' })]);
  });

  test('an update that fails on a second stage is rolled back: names and tags are as before', async () => {
    // GIVEN two stages
    const define = (suffix: string, tags: Record<string, string>) => stackWith((stack) => {
      new Stage(stack, 'A', { stageName: `a-${suffix}`, tags });
      new Stage(stack, 'B', { stageName: `b-${suffix}` });
    });
    await deployOk(t.sim, define('1', { team: 'one' }));
    const before = t.emu.listResources().stages;

    // WHEN both are renamed, A's tags change, and the second UpdateStage, B's, is refused
    t.emu.injectFault({ kind: 'failNth', operation: 'UpdateStage', n: 2, errorType: 'ValidationException' });
    const result = await t.sim.deploy(define('2', { team: 'two', extra: 'x' }));

    // THEN A was updated back to its old properties, B too, and the stages are as before
    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(result.reason).toMatch(/^B[0-9A-F]{8} \(Custom::IvsStage\): .*Update failed: ValidationException/);
    expect(result.events.filter((e) => e.request).map((e) => `${e.phase} ${e.requestType} ${e.logicalId.replace(/[0-9A-F]{8}$/, '')}`)).toEqual([
      'deploy Update A', 'deploy Update B', 'rollback Update A', 'rollback Update B',
    ]);
    expect(t.emu.listResources().stages).toEqual(before);
  });
});

describe('delete', () => {
  test('a deleted stage reads as not found', async () => {
    // GIVEN
    await deployOk(t.sim, stageStack());
    const { physicalId } = onlyResource(t.sim, TYPE);

    // WHEN
    await destroyOk(t.sim);

    // THEN
    await expect(getStage(physicalId)).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(t.emu.listResources().stages).toEqual([]);
  });

  test('a Delete delivered twice succeeds both times', async () => {
    // GIVEN a destroyed stack
    await deployOk(t.sim, stageStack());
    const destroyed = await destroyOk(t.sim);
    const deleteRequest = destroyed.events.find((e) => e.resourceType === TYPE)!.request!;

    // WHEN Lambda delivers the same Delete again
    const again = await t.sim.redeliver(deleteRequest);

    // THEN the stage being gone already counts as deleted
    expect(again.status).toBe('SUCCESS');
    expect(statuses(t.emu, 'DeleteStage')).toEqual([200]);
    expect(statuses(t.emu, 'GetStage').slice(-2)).toEqual([200, 404]);
  });

  test('a stage can be created again after a delete, with the same name', async () => {
    // GIVEN
    await deployOk(t.sim, stageStack({ stageName: 'phoenix' }));
    const first = onlyResource(t.sim, TYPE).physicalId;
    await destroyOk(t.sim);

    // WHEN
    await deployOk(t.sim, stageStack({ stageName: 'phoenix' }));

    // THEN
    const second = onlyResource(t.sim, TYPE).physicalId;
    expect(second).not.toBe(first);
    expect(t.emu.listResources().stages).toEqual([expect.objectContaining({ arn: second, name: 'phoenix' })]);
  });
});

describe('secrets', () => {
  test('no ResponseURL appears in any response, reason or log line, through create, update, failure and delete', async () => {
    // GIVEN a lifecycle with every kind of request, and a failure
    await deployOk(t.sim, stageStack({ stageName: 'one', tags: { a: '1' } }));
    await deployOk(t.sim, stageStack({ stageName: 'two', tags: { b: '2' } }));
    t.emu.injectFault({ kind: 'failNth', operation: 'UpdateStage', n: 1, errorType: 'ValidationException' });
    await t.sim.deploy(stageStack({ stageName: 'three' }));
    await destroyOk(t.sim);

    // THEN
    expect(t.sim.events.filter((e) => e.request).length).toBeGreaterThanOrEqual(5);
    expectNoLeaks(t.sim);
    expect(t.sim.logs.filter((line) => line.includes('X-Amz-Signature'))).toEqual([]);
  });
});

describe('the simulator catches a handler that sends a number as a string', () => {
  const define = (storageArn: string) => stackWith((stack) => {
    new Stage(stack, 'Stage', {
      autoParticipantRecording: {
        storageConfiguration: StorageConfiguration.fromStorageConfigurationArn(stack, 'Recordings', storageArn),
        recordingReconnectWindow: Duration.seconds(60),
      },
    });
  });

  test('a handler that forwards RecordingReconnectWindowSeconds undecoded fails on the API\'s validation', async () => {
    // GIVEN the stack deployed with a broken handler bundle in place of the real one
    const storageArn = await existingStorageConfiguration(t.emu, t.client);
    const artifact = withHandler(define(storageArn), TYPE, path.join(__dirname, 'fixtures', 'undecoded-stage-handler.ts'));

    // WHEN
    const result = await t.sim.deploy(artifact);

    // THEN
    expect(result.success).toBe(false);
    expect(result.reason).toContain('ValidationException: autoParticipantRecordingConfiguration.recordingReconnectWindowSeconds: expected integer, got string');
    expect(t.emu.requests[0].body).toEqual(expect.objectContaining({
      autoParticipantRecordingConfiguration: expect.objectContaining({ recordingReconnectWindowSeconds: '60' }),
    }));
  });

  test('the real handler passes with the same stack', async () => {
    // GIVEN
    const storageArn = await existingStorageConfiguration(t.emu, t.client);

    // WHEN
    await deployOk(t.sim, define(storageArn));

    // THEN
    expect((await getStage(onlyResource(t.sim, TYPE).physicalId)).autoParticipantRecordingConfiguration!.recordingReconnectWindowSeconds).toBe(60);
  });
});
