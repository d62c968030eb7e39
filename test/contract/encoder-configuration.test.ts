/*
 * The EncoderConfiguration contract: the real construct and handler bundle, deployed, updated and
 * deleted the way CloudFormation would (test/simulator), against the IVS Real-Time emulator.
 */
import { GetEncoderConfigurationCommand, ListTagsForResourceCommand, ResourceNotFoundException } from '@aws-sdk/client-ivs-realtime';
import { CfnOutput, Tags } from 'aws-cdk-lib';
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
import { EncoderConfiguration, EncoderConfigurationProps, EncoderVideo } from '../../src';
import { useSimulator } from '../simulator/harness';

const t = useSimulator();

const TYPE = 'Custom::IvsEncoderConfiguration';
/** The physical ID a failed create answers (lambda/failed-create.ts), whose Delete reaches the handler. */
const CREATE_FAILED_MARKER = 'cdk-ivs-realtime::CREATE_FAILED';

/** Video with every setting away from the service's default, and a fractional frame rate. */
const CUSTOM_VIDEO = EncoderVideo.custom({ width: 1080, height: 1920, framerate: 29.97, bitrate: 4_500_000 });

/** A stack with one encoder configuration, whose ARN is an output: something that uses it. */
const encoderStack = (props: EncoderConfigurationProps = {}) => stackWith((stack) => {
  const encoder = new EncoderConfiguration(stack, 'Encoder', props);
  new CfnOutput(stack, 'EncoderArn', { value: encoder.encoderConfigurationArn });
});

const getEncoderConfiguration = async (arn: string) => (await t.client.send(new GetEncoderConfigurationCommand({ arn }))).encoderConfiguration!;
const tagsOf = async (arn: string) => (await t.client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags;

describe('create', () => {
  test('every property arrives, with the JSON type the API takes, and the physical ID is the ARN', async () => {
    // GIVEN
    const artifact = encoderStack({ encoderConfigurationName: 'portrait', video: CUSTOM_VIDEO, tags: { team: 'video' } });

    // WHEN
    const result = await deployOk(t.sim, artifact);

    // THEN numbers went to the API as JSON numbers, the frame rate with its fraction
    const resource = onlyResource(t.sim, TYPE);
    expect(t.emu.requests.find((r) => r.operation === 'CreateEncoderConfiguration')!.body).toStrictEqual({
      name: 'portrait',
      video: { width: 1080, height: 1920, framerate: 29.97, bitrate: 4_500_000 },
      tags: withCreatorTag({ team: 'video' }),
    });
    expect(await getEncoderConfiguration(resource.physicalId)).toStrictEqual({
      arn: resource.physicalId,
      name: 'portrait',
      video: { width: 1080, height: 1920, framerate: 29.97, bitrate: 4_500_000 },
      tags: withCreatorTag({ team: 'video' }),
    });
    expect(resource.attributes).toEqual({
      Arn: resource.physicalId,
      EncoderConfigurationId: resource.physicalId.split('/')[1],
      Name: 'portrait',
      Width: '1080',
      Height: '1920',
      Framerate: '29.97',
      Bitrate: '4500000',
    });
    expect(result.outputs).toEqual({ EncoderArn: resource.physicalId });
  });

  test('without video settings, the service\'s defaults are written out', async () => {
    // GIVEN
    const artifact = encoderStack({ encoderConfigurationName: 'defaults' });

    // WHEN
    await deployOk(t.sim, artifact);

    // THEN
    expect((await getEncoderConfiguration(onlyResource(t.sim, TYPE).physicalId)).video)
      .toStrictEqual({ width: 1280, height: 720, framerate: 30, bitrate: 2_500_000 });
  });

  test('tags given on create, Tags.of() included, are on the encoder configuration', async () => {
    // GIVEN
    const artifact = stackWith((stack) => {
      new EncoderConfiguration(stack, 'Encoder', { tags: { team: 'video', tier: 'gold' } });
      Tags.of(stack).add('cost-center', '42');
    });

    // WHEN
    await deployOk(t.sim, artifact);

    // THEN
    expect(await tagsOf(onlyResource(t.sim, TYPE).physicalId)).toEqual(withCreatorTag({ 'team': 'video', 'tier': 'gold', 'cost-center': '42' }));
  });

  test('a failed create is followed by a delete that looks for what it made, and deletes nothing', async () => {
    // GIVEN CreateEncoderConfiguration refusing the encoder configuration
    t.emu.injectFault({ kind: 'failNth', operation: 'CreateEncoderConfiguration', n: 1, errorType: 'ValidationException' });

    // WHEN
    const result = await t.sim.deploy(encoderStack({ encoderConfigurationName: 'refused' }));

    // THEN the rollback's Delete carried the failed-create ID, and only listed the type
    expect(result.status).toBe('ROLLBACK_COMPLETE');
    const rollbackDelete = result.events.find((e) => e.phase === 'rollback' && e.resourceType === TYPE)!;
    expect(rollbackDelete.request).toEqual(expect.objectContaining({ RequestType: 'Delete', PhysicalResourceId: CREATE_FAILED_MARKER }));
    expect(rollbackDelete.status).toBe('SUCCESS');
    expect(operations(t.emu)).toEqual(['CreateEncoderConfiguration', 'ListEncoderConfigurations']);
  });

  test('throttling is retried until the create succeeds', async () => {
    // GIVEN
    t.emu.injectFault({ kind: 'throttle', operation: 'CreateEncoderConfiguration', times: 2 });

    // WHEN
    await withoutRetryDelays(() => deployOk(t.sim, encoderStack()));

    // THEN
    expect(statuses(t.emu, 'CreateEncoderConfiguration')).toEqual([429, 429, 200]);
    expect(t.emu.listResources().encoderConfigurations).toHaveLength(1);
  });

  test('a persistent refusal fails with a clear reason, and the rollback leaves nothing behind', async () => {
    // GIVEN two encoder configurations, and every CreateEncoderConfiguration after the first failing with a 500
    const artifact = stackWith((stack) => {
      new EncoderConfiguration(stack, 'First', { encoderConfigurationName: 'first' });
      new EncoderConfiguration(stack, 'Second', { encoderConfigurationName: 'second' });
    });
    failFrom(t.emu, 'CreateEncoderConfiguration', 1);

    // WHEN
    const result = await withoutRetryDelays(() => t.sim.deploy(artifact));

    // THEN the second one's handler failed at the first refusal, and the first one is deleted again
    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(result.reason).toMatch(/^Second[0-9A-F]{8} \(Custom::IvsEncoderConfiguration\): Received response status \[FAILED\] from custom resource\. Message returned: Create failed: ServiceQuotaExceededException: Request would cause a service quota to be exceeded\. \(RequestId: [0-9a-f-]{36}\)$/);
    expect(statuses(t.emu, 'CreateEncoderConfiguration')).toEqual([200, 402]);
    expect(statuses(t.emu, 'DeleteEncoderConfiguration')).toEqual([200]);
    expect(t.emu.listResources().encoderConfigurations).toEqual([]);
    expect(t.sim.resources).toEqual({});
  });
});

describe('update', () => {
  test('tags are added, changed and removed by difference, on the same encoder configuration', async () => {
    // GIVEN
    await deployOk(t.sim, encoderStack({ encoderConfigurationName: 'tagged', tags: { keep: 'same', change: 'old', remove: 'me' } }));
    const { physicalId } = onlyResource(t.sim, TYPE);
    t.emu.clearRequests();

    // WHEN
    const result = await deployOk(t.sim, encoderStack({ encoderConfigurationName: 'tagged', tags: { keep: 'same', change: 'new', add: 'me' } }));

    // THEN
    expect(lifecycleOf(result, TYPE)).toEqual([`deploy Update ${physicalId}`]);
    expect(t.emu.requests.map((r) => [r.operation, r.body, r.query])).toEqual([
      ['TagResource', { tags: { change: 'new', add: 'me' } }, {}],
      ['UntagResource', undefined, { tagKeys: ['remove'] }],
    ]);
    expect(await tagsOf(physicalId)).toEqual(withCreatorTag({ keep: 'same', change: 'new', add: 'me' }));
  });

  test.each([
    ['name', { encoderConfigurationName: 'after' }, { name: 'after', video: { width: 1280, height: 720, framerate: 30, bitrate: 2_500_000 } }],
    ['video', { encoderConfigurationName: 'before', video: CUSTOM_VIDEO }, { name: 'before', video: { width: 1080, height: 1920, framerate: 29.97, bitrate: 4_500_000 } }],
  ])('a new %s replaces the encoder configuration, what uses its ARN follows, and the old one is deleted in the cleanup', async (_, props, expected) => {
    // GIVEN
    await deployOk(t.sim, encoderStack({ encoderConfigurationName: 'before' }));
    const old = onlyResource(t.sim, TYPE).physicalId;

    // WHEN
    const result = await deployOk(t.sim, encoderStack(props));

    // THEN
    const replacement = onlyResource(t.sim, TYPE).physicalId;
    expect(replacement).not.toBe(old);
    expect(lifecycleOf(result, TYPE)).toEqual([`deploy Update ${replacement}`, `cleanup Delete ${old}`]);
    expect(result.outputs).toEqual({ EncoderArn: replacement });
    await expect(getEncoderConfiguration(old)).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(t.emu.listResources().encoderConfigurations).toEqual([{ arn: replacement, tags: withCreatorTag({}), ...expected }]);
  });

  test('500s are retried until a replacing update succeeds', async () => {
    // GIVEN
    await deployOk(t.sim, encoderStack({ video: EncoderVideo.HD_720 }));
    t.emu.injectFault({ kind: 'internal', operation: 'CreateEncoderConfiguration', times: 2 });

    // WHEN
    await withoutRetryDelays(() => deployOk(t.sim, encoderStack({ video: EncoderVideo.FULL_HD_1080 })));

    // THEN
    expect(statuses(t.emu, 'CreateEncoderConfiguration')).toEqual([200, 500, 500, 200]);
    expect(t.emu.listResources().encoderConfigurations).toEqual([
      expect.objectContaining({ video: { width: 1920, height: 1080, framerate: 30, bitrate: 6_000_000 } }),
    ]);
  });

  test('a replacement rolled back by a later failure is deleted again, and the old one stays as it was', async () => {
    // GIVEN two encoder configurations
    const define = (suffix: string, video: EncoderVideo) => stackWith((stack) => {
      new EncoderConfiguration(stack, 'A', { encoderConfigurationName: 'a', video });
      new EncoderConfiguration(stack, 'B', { encoderConfigurationName: `b-${suffix}` });
    });
    await deployOk(t.sim, define('1', EncoderVideo.HD_720));
    const before = t.emu.listResources().encoderConfigurations;
    t.emu.clearRequests();

    // WHEN A gets new video, and B's rename, the second create, is refused
    t.emu.injectFault({ kind: 'failNth', operation: 'CreateEncoderConfiguration', n: 2, errorType: 'ValidationException' });
    const result = await t.sim.deploy(define('2', EncoderVideo.FULL_HD_1080));

    // THEN A's replacement is deleted in the rollback, and B's Update back found B as it was
    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    const replacement = result.events[0].physicalId!;
    expect(result.events.filter((e) => e.request).map((e) => `${e.phase} ${e.requestType} ${e.logicalId.replace(/[0-9A-F]{8}$/, '')}`)).toEqual([
      'deploy Update A', 'deploy Update B', 'rollback Update B', 'rollback Delete A',
    ]);
    expect(lifecycleOf(result, TYPE)[3]).toBe(`rollback Delete ${replacement}`);
    expect(statuses(t.emu, 'DeleteEncoderConfiguration')).toEqual([200]);
    expect(t.emu.listResources().encoderConfigurations).toEqual(before);
  });

  test('a replacing update that fails itself is rolled back in place: nothing is created, the ARN stays', async () => {
    // GIVEN
    await deployOk(t.sim, encoderStack({ encoderConfigurationName: 'before', video: EncoderVideo.HD_720 }));
    const before = t.emu.listResources().encoderConfigurations;
    const { physicalId } = onlyResource(t.sim, TYPE);
    t.emu.clearRequests();

    // WHEN the new video's CreateEncoderConfiguration is refused
    t.emu.injectFault({ kind: 'failNth', operation: 'CreateEncoderConfiguration', n: 1, errorType: 'ValidationException' });
    const result = await t.sim.deploy(encoderStack({ encoderConfigurationName: 'before', video: CUSTOM_VIDEO }));

    // THEN CloudFormation's Update back to the old properties found them in place
    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    const rollback = result.events.find((e) => e.phase === 'rollback' && e.resourceType === TYPE)!;
    expect(rollback.response!.PhysicalResourceId).toBe(physicalId);
    expect(operations(t.emu)).toEqual(['GetEncoderConfiguration', 'CreateEncoderConfiguration', 'GetEncoderConfiguration', 'ListEncoderConfigurations']);
    expect(t.emu.listResources().encoderConfigurations).toEqual(before);
  });
});

describe('delete', () => {
  test('a deleted encoder configuration reads as not found', async () => {
    // GIVEN
    await deployOk(t.sim, encoderStack());
    const { physicalId } = onlyResource(t.sim, TYPE);

    // WHEN
    await destroyOk(t.sim);

    // THEN
    await expect(getEncoderConfiguration(physicalId)).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(t.emu.listResources().encoderConfigurations).toEqual([]);
  });

  test('a Delete delivered twice succeeds both times', async () => {
    // GIVEN a destroyed stack
    await deployOk(t.sim, encoderStack());
    const destroyed = await destroyOk(t.sim);
    const deleteRequest = destroyed.events.find((e) => e.resourceType === TYPE)!.request!;

    // WHEN Lambda delivers the same Delete again
    const again = await t.sim.redeliver(deleteRequest);

    // THEN the encoder configuration being gone already counts as deleted
    expect(again.status).toBe('SUCCESS');
    expect(statuses(t.emu, 'DeleteEncoderConfiguration')).toEqual([200]);
  });
});

describe('secrets', () => {
  test('no ResponseURL appears in any response, reason or log line, through create, update, failure and delete', async () => {
    // GIVEN a lifecycle with every kind of request, and a failure
    await deployOk(t.sim, encoderStack({ encoderConfigurationName: 'one', tags: { a: '1' } }));
    await deployOk(t.sim, encoderStack({ encoderConfigurationName: 'two', tags: { b: '2' } }));
    t.emu.injectFault({ kind: 'failNth', operation: 'CreateEncoderConfiguration', n: 1, errorType: 'ValidationException' });
    await t.sim.deploy(encoderStack({ encoderConfigurationName: 'three' }));
    await destroyOk(t.sim);

    // THEN
    expect(t.sim.events.filter((e) => e.request).length).toBeGreaterThanOrEqual(5);
    expectNoLeaks(t.sim);
  });
});
