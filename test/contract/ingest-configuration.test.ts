/*
 * The IngestConfiguration contract: the real construct and handler bundle, deployed, updated and
 * deleted the way CloudFormation would (test/simulator), against the IVS Real-Time emulator, with
 * the stream key written into the construct's secret in the simulator's Secrets Manager stub.
 */
import { GetIngestConfigurationCommand, ListTagsForResourceCommand, ResourceNotFoundException } from '@aws-sdk/client-ivs-realtime';
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
import { IngestConfiguration, IngestConfigurationProps, IngestProtocol, Stage } from '../../src';
import type { StreamKeySecretValue } from '../../src/custom-resources/ingest-configuration-contract';
import { useSimulator } from '../simulator/harness';

const t = useSimulator();

const TYPE = 'Custom::IvsIngestConfiguration';
/** The physical ID a failed create answers (lambda/failed-create.ts), whose Delete reaches the handler. */
const CREATE_FAILED_MARKER = 'cdk-ivs-realtime::CREATE_FAILED';

type Options = Omit<IngestConfigurationProps, 'stage'> & {
  /** Which of the stack's two stages, 'one' and 'two', the ingest configuration publishes into. */
  readonly stage?: 'one' | 'two';
};

const RTMPS = { ingestProtocol: IngestProtocol.RTMPS };

/** Two stages, and an ingest configuration `Ingest` attached to one of them or to none. */
function define(stack: Stack, options: Options, id = 'Ingest'): IngestConfiguration {
  const stages = { one: new Stage(stack, 'StageOne', { stageName: 'one' }), two: new Stage(stack, 'StageTwo', { stageName: 'two' }) };
  const { stage, ...props } = options;
  return new IngestConfiguration(stack, id, { ...props, stage: stage && stages[stage] });
}

const ingestStack = (options: Options = RTMPS) => stackWith((stack) => { define(stack, options); });

const getIngest = async (arn: string) => (await t.client.send(new GetIngestConfigurationCommand({ arn }))).ingestConfiguration!;
const tagsOf = async (arn: string) => (await t.client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags;
const stageArn = (name: 'one' | 'two') => (t.emu.listResources().stages as { arn: string; name: string }[]).find((s) => s.name === name)!.arn;
/** The physical ID of the ingest configuration `constructId`, in a stack with more than one. */
const physicalIdOf = (constructId: string) =>
  Object.entries(t.sim.resources).find(([logicalId, resource]) => resource.type === TYPE && logicalId.startsWith(constructId))![1].physicalId;
const secretValue = (id = 'Ingest', stage?: string) => secretValueOf<StreamKeySecretValue>(t.sim, id, stage);

/** What the secret must hold for the ingest configuration as the emulator has it. */
async function credentialsOf(arn: string): Promise<StreamKeySecretValue> {
  const ingest = await getIngest(arn);
  return {
    ingestConfigurationArn: arn,
    participantId: ingest.participantId!,
    streamKey: ingest.streamKey!,
    redundantIngestCredentials: (ingest.redundantIngestCredentials ?? []).map((c) => ({ participantId: c.participantId!, streamKey: c.streamKey! })),
  };
}

describe('create', () => {
  test('every property arrives, with the JSON type the API takes, and the physical ID is the ARN', async () => {
    // GIVEN
    const artifact = ingestStack({
      ingestProtocol: IngestProtocol.RTMPS,
      stage: 'one',
      ingestConfigurationName: 'studio',
      userId: 'obs-studio',
      attributes: { camera: 'main' },
      redundantIngest: true,
      tags: { team: 'video' },
    });

    // WHEN
    await deployOk(t.sim, artifact);

    // THEN booleans went to the API as JSON booleans
    const resource = onlyResource(t.sim, TYPE);
    expect(t.emu.requests.find((r) => r.operation === 'CreateIngestConfiguration')!.body).toStrictEqual({
      name: 'studio',
      ingestProtocol: 'RTMPS',
      stageArn: stageArn('one'),
      userId: 'obs-studio',
      attributes: { camera: 'main' },
      insecureIngest: false,
      redundantIngest: true,
      tags: withCreatorTag({ team: 'video' }),
    });
    const ingest = await getIngest(resource.physicalId);
    expect(ingest).toEqual(expect.objectContaining({
      arn: resource.physicalId,
      name: 'studio',
      ingestProtocol: 'RTMPS',
      stageArn: stageArn('one'),
      userId: 'obs-studio',
      attributes: { camera: 'main' },
      redundantIngest: true,
      state: 'INACTIVE',
      tags: withCreatorTag({ team: 'video' }),
    }));
    expect(resource.attributes).toEqual({
      Arn: resource.physicalId,
      IngestConfigurationId: resource.physicalId.split('/')[1],
      Name: ingest.name,
      ParticipantId: ingest.participantId,
      State: 'INACTIVE',
    });
  });

  test('the secret holds the stream key and redundant credentials the emulator holds, and nothing else does', async () => {
    // GIVEN
    const artifact = ingestStack({ ...RTMPS, stage: 'one', redundantIngest: true });

    // WHEN
    await deployOk(t.sim, artifact);

    // THEN
    const { physicalId } = onlyResource(t.sim, TYPE);
    const value = secretValue();
    expect(value).toEqual(await credentialsOf(physicalId));
    expect(value.streamKey).toMatch(/^rt_123456789012_us-east-1_/);
    expect(value.redundantIngestCredentials).toHaveLength(1);
    expect(secretOf(t.sim, 'Ingest').writes).toHaveLength(1);
    expectNoLeaks(t.sim, writtenCredentials(t.sim));
  });

  test('RTMP is created with insecure ingest, as a JSON true', async () => {
    // GIVEN
    const artifact = ingestStack({ ingestProtocol: IngestProtocol.RTMP });

    // WHEN
    await deployOk(t.sim, artifact);

    // THEN
    expect(t.emu.requests.find((r) => r.operation === 'CreateIngestConfiguration')!.body)
      .toEqual(expect.objectContaining({ ingestProtocol: 'RTMP', insecureIngest: true, redundantIngest: false }));
    expect((await getIngest(onlyResource(t.sim, TYPE).physicalId)).ingestProtocol).toBe('RTMP');
  });

  test('tags given on create, Tags.of() included, are on the ingest configuration', async () => {
    // GIVEN
    const artifact = stackWith((stack) => {
      define(stack, { ...RTMPS, tags: { team: 'video', tier: 'gold' } });
      Tags.of(stack).add('cost-center', '42');
    });

    // WHEN
    await deployOk(t.sim, artifact);

    // THEN
    expect(await tagsOf(onlyResource(t.sim, TYPE).physicalId)).toEqual(withCreatorTag({ 'team': 'video', 'tier': 'gold', 'cost-center': '42' }));
  });

  test('a failed create is followed by a delete that looks for what it made, and deletes nothing, and writes no secret', async () => {
    // GIVEN CreateIngestConfiguration refusing the ingest configuration
    t.emu.injectFault({ kind: 'failNth', operation: 'CreateIngestConfiguration', n: 1, errorType: 'ValidationException' });

    // WHEN
    const result = await t.sim.deploy(ingestStack({ ...RTMPS, ingestConfigurationName: 'refused' }));

    // THEN the rollback's Delete carried the failed-create ID, and only listed the type
    expect(result.status).toBe('ROLLBACK_COMPLETE');
    const rollbackDelete = result.events.find((e) => e.phase === 'rollback' && e.resourceType === TYPE)!;
    expect(rollbackDelete.request).toEqual(expect.objectContaining({ RequestType: 'Delete', PhysicalResourceId: CREATE_FAILED_MARKER }));
    expect(rollbackDelete.status).toBe('SUCCESS');
    expect(operations(t.emu).slice(0, 4)).toEqual(['CreateStage', 'CreateStage', 'CreateIngestConfiguration', 'ListIngestConfigurations']);
    // The two stages' deletes run at once, each reading its stage first.
    expect(operations(t.emu).slice(4).sort()).toEqual(['DeleteStage', 'DeleteStage', 'GetStage', 'GetStage']);
    expect(t.sim.secrets.requests).toEqual([]);
  });

  test('throttling is retried until the create succeeds', async () => {
    // GIVEN
    t.emu.injectFault({ kind: 'throttle', operation: 'CreateIngestConfiguration', times: 2 });

    // WHEN
    await withoutRetryDelays(() => deployOk(t.sim, ingestStack()));

    // THEN
    expect(statuses(t.emu, 'CreateIngestConfiguration')).toEqual([429, 429, 200]);
    expect(secretValue()).toEqual(await credentialsOf(onlyResource(t.sim, TYPE).physicalId));
  });

  test('a persistent refusal fails with a clear reason, and the rollback leaves nothing behind, no secret either', async () => {
    // GIVEN two ingest configurations, and every CreateIngestConfiguration after the first failing with a 500
    const artifact = stackWith((stack) => {
      define(stack, { ...RTMPS, ingestConfigurationName: 'first' }, 'First');
      new IngestConfiguration(stack, 'Second', { ...RTMPS, ingestConfigurationName: 'second' });
    });
    failFrom(t.emu, 'CreateIngestConfiguration', 1);

    // WHEN
    const result = await withoutRetryDelays(() => t.sim.deploy(artifact));

    // THEN the second one's handler failed at the first refusal, and the first one, whose key was written, is deleted again
    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(result.reason).toMatch(/^Second[0-9A-F]{8} \(Custom::IvsIngestConfiguration\): Received response status \[FAILED\] from custom resource\. Message returned: Create failed: ServiceQuotaExceededException: Request would cause a service quota to be exceeded\. \(RequestId: [0-9a-f-]{36}\)$/);
    expect(statuses(t.emu, 'CreateIngestConfiguration')).toEqual([200, 402]);
    expect(statuses(t.emu, 'DeleteIngestConfiguration')).toEqual([200]);
    expect(t.sim.secrets.requests.filter((r) => r.operation === 'PutSecretValue')).toHaveLength(1);
    expect(t.emu.listResources()).toEqual({
      stages: [], storageConfigurations: [], encoderConfigurations: [], ingestConfigurations: [], publicKeys: [],
    });
    expect(t.sim.secrets.list()).toEqual([]);
    expect(t.sim.resources).toEqual({});
  });
});

describe('update', () => {
  test('attaching to a stage, moving to another and detaching all happen in place, and keep the stream key', async () => {
    // GIVEN an ingest configuration on no stage
    await deployOk(t.sim, ingestStack(RTMPS));
    const { physicalId } = onlyResource(t.sim, TYPE);
    const value = secretValue();
    t.emu.clearRequests();

    // WHEN it is attached, moved and detached, one deploy each
    const steps: { lifecycle: string[]; placement?: string }[] = [];
    for (const stage of ['one', 'two', undefined] as const) {
      const result = await deployOk(t.sim, ingestStack({ ...RTMPS, stage }));
      steps.push({ lifecycle: lifecycleOf(result, TYPE), placement: (await getIngest(physicalId)).stageArn });
    }

    // THEN each was one Update of the same ingest configuration
    expect(steps).toEqual([
      { lifecycle: [`deploy Update ${physicalId}`], placement: stageArn('one') },
      { lifecycle: [`deploy Update ${physicalId}`], placement: stageArn('two') },
      { lifecycle: [`deploy Update ${physicalId}`], placement: '' },
    ]);
    expect(t.emu.requests.filter((r) => r.operation === 'UpdateIngestConfiguration').map((r) => r.body)).toEqual([
      { arn: physicalId, stageArn: stageArn('one') },
      { arn: physicalId, stageArn: stageArn('two') },
      { arn: physicalId, stageArn: '' },
    ]);
    expect(onlyResource(t.sim, TYPE).physicalId).toBe(physicalId);
    expect(secretValue()).toEqual(value);
    expect(secretOf(t.sim, 'Ingest').writes).toHaveLength(1);
  });

  test('turning redundant ingest on happens in place, and writes the redundant credentials into the secret', async () => {
    // GIVEN
    await deployOk(t.sim, ingestStack({ ...RTMPS, stage: 'one' }));
    const { physicalId } = onlyResource(t.sim, TYPE);
    const before = secretValue();

    // WHEN
    await deployOk(t.sim, ingestStack({ ...RTMPS, stage: 'one', redundantIngest: true }));

    // THEN
    expect(onlyResource(t.sim, TYPE).physicalId).toBe(physicalId);
    const after = secretValue();
    expect(after).toEqual(await credentialsOf(physicalId));
    expect(after.streamKey).toBe(before.streamKey);
    expect(after.redundantIngestCredentials).toHaveLength(1);
  });

  test('tags are added, changed and removed by difference, on the same ingest configuration', async () => {
    // GIVEN
    await deployOk(t.sim, ingestStack({ ...RTMPS, tags: { keep: 'same', change: 'old', remove: 'me' } }));
    const { physicalId } = onlyResource(t.sim, TYPE);
    t.emu.clearRequests();

    // WHEN
    const result = await deployOk(t.sim, ingestStack({ ...RTMPS, tags: { keep: 'same', change: 'new', add: 'me' } }));

    // THEN
    expect(lifecycleOf(result, TYPE)).toEqual([`deploy Update ${physicalId}`]);
    expect(t.emu.requests.map((r) => [r.operation, r.body, r.query])).toEqual([
      ['TagResource', { tags: { change: 'new', add: 'me' } }, {}],
      ['UntagResource', undefined, { tagKeys: ['remove'] }],
      ['GetIngestConfiguration', { arn: physicalId }, {}],
    ]);
    expect(await tagsOf(physicalId)).toEqual(withCreatorTag({ keep: 'same', change: 'new', add: 'me' }));
  });

  test.each<[string, Options]>([
    ['name', { ...RTMPS, ingestConfigurationName: 'renamed' }],
    ['protocol', { ingestProtocol: IngestProtocol.RTMP }],
    ['insecure ingest', { ...RTMPS, insecureIngest: true }],
    ['user ID', { ...RTMPS, userId: 'camera-2' }],
    ['set of attributes', { ...RTMPS, attributes: { camera: 'wide' } }],
  ])('a new %s replaces the ingest configuration, writes the new stream key into the secret, and deletes the old one in the cleanup', async (_, options) => {
    // GIVEN
    await deployOk(t.sim, ingestStack({ ...RTMPS, ingestConfigurationName: 'studio', stage: 'one' }));
    const old = onlyResource(t.sim, TYPE).physicalId;
    const oldKey = secretValue().streamKey;

    // WHEN
    const result = await deployOk(t.sim, ingestStack({ ingestConfigurationName: 'studio', stage: 'one', ...options }));

    // THEN
    const replacement = onlyResource(t.sim, TYPE).physicalId;
    expect(replacement).not.toBe(old);
    expect(lifecycleOf(result, TYPE)).toEqual([`deploy Update ${replacement}`, `cleanup Delete ${old}`]);
    await expect(getIngest(old)).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(t.emu.listResources().ingestConfigurations).toHaveLength(1);
    expect(secretValue()).toEqual(await credentialsOf(replacement));
    expect(secretValue().streamKey).not.toBe(oldKey);
  });

  test('500s are retried until an in-place update succeeds', async () => {
    // GIVEN
    await deployOk(t.sim, ingestStack(RTMPS));
    t.emu.injectFault({ kind: 'internal', operation: 'UpdateIngestConfiguration', times: 2 });

    // WHEN
    await withoutRetryDelays(() => deployOk(t.sim, ingestStack({ ...RTMPS, stage: 'two' })));

    // THEN
    expect(statuses(t.emu, 'UpdateIngestConfiguration')).toEqual([500, 500, 200]);
    expect((await getIngest(onlyResource(t.sim, TYPE).physicalId)).stageArn).toBe(stageArn('two'));
  });

  test('an in-place update rolled back by a later failure puts stage and redundant ingest back, and the secret matches again', async () => {
    // GIVEN an ingest configuration on stage one, and a second one after it
    const defineBoth = (options: Options, second: string) => stackWith((stack) => {
      define(stack, options);
      new IngestConfiguration(stack, 'Second', { ...RTMPS, ingestConfigurationName: second });
    });
    await deployOk(t.sim, defineBoth({ ...RTMPS, stage: 'one' }, 'second'));
    const arn = physicalIdOf('Ingest');

    // WHEN it moves to stage two with redundant ingest, and the second one's rename is refused
    t.emu.injectFault({ kind: 'failNth', operation: 'CreateIngestConfiguration', n: 1, errorType: 'ValidationException' });
    const result = await t.sim.deploy(defineBoth({ ...RTMPS, stage: 'two', redundantIngest: true }, 'renamed'));

    // THEN
    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(physicalIdOf('Ingest')).toBe(arn);
    const ingest = await getIngest(arn);
    expect(ingest.stageArn).toBe(stageArn('one'));
    expect(ingest.redundantIngest).toBe(false);
    expect(secretValue()).toEqual(await credentialsOf(arn));
  });

  test('a replacement rolled back by a later failure is deleted again, and the old stream key stays in the secret as its previous value', async () => {
    // GIVEN two ingest configurations
    const defineBoth = (suffix: string) => stackWith((stack) => {
      define(stack, { ...RTMPS, ingestConfigurationName: `first-${suffix}` }, 'First');
      new IngestConfiguration(stack, 'Second', { ...RTMPS, ingestConfigurationName: `second-${suffix}` });
    });
    await deployOk(t.sim, defineBoth('1'));
    const before = t.emu.listResources().ingestConfigurations;
    const firstValue = secretValue('First');
    const secondValue = secretValue('Second');
    t.emu.clearRequests();

    // WHEN both are renamed, and the second one's CreateIngestConfiguration is refused
    t.emu.injectFault({ kind: 'failNth', operation: 'CreateIngestConfiguration', n: 2, errorType: 'ValidationException' });
    const result = await t.sim.deploy(defineBoth('2'));

    // THEN the first one's replacement is deleted. Its secret's current value is the replacement's
    // key: a delete cannot tell a rollback from a cleanup, so it leaves the secret alone
    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    const replacement = result.events.find((e) => e.resourceType === TYPE)!.physicalId!;
    expect(result.events.filter((e) => e.request).map((e) => `${e.phase} ${e.requestType} ${e.logicalId.replace(/[0-9A-F]{8}$/, '')}`)).toEqual([
      'deploy Update First', 'deploy Update Second', 'rollback Update Second', 'rollback Delete First',
    ]);
    expect(lifecycleOf(result, TYPE)[3]).toBe(`rollback Delete ${replacement}`);
    expect(t.emu.listResources().ingestConfigurations).toEqual(before);
    expect(secretValue('First').ingestConfigurationArn).toBe(replacement);
    expect(secretValue('First', 'AWSPREVIOUS')).toEqual(firstValue);
    expect(secretOf(t.sim, 'First').writes).toHaveLength(2);
    expect(secretValue('Second')).toEqual(secondValue);
  });

  test('a replacing update that fails itself is rolled back in place: nothing is created, the ARN and the stream key stay', async () => {
    // GIVEN
    await deployOk(t.sim, ingestStack({ ...RTMPS, stage: 'one' }));
    const before = t.emu.listResources().ingestConfigurations;
    const { physicalId } = onlyResource(t.sim, TYPE);
    const value = secretValue();
    t.emu.clearRequests();

    // WHEN the protocol change's CreateIngestConfiguration is refused
    t.emu.injectFault({ kind: 'failNth', operation: 'CreateIngestConfiguration', n: 1, errorType: 'ValidationException' });
    const result = await t.sim.deploy(ingestStack({ ingestProtocol: IngestProtocol.RTMP, stage: 'one' }));

    // THEN CloudFormation's Update back to the old properties found them in place
    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    const rollback = result.events.find((e) => e.phase === 'rollback' && e.resourceType === TYPE)!;
    expect(rollback.response!.PhysicalResourceId).toBe(physicalId);
    expect(operations(t.emu)).toEqual(['GetIngestConfiguration', 'CreateIngestConfiguration', 'GetIngestConfiguration', 'ListIngestConfigurations', 'ListTagsForResource', 'GetIngestConfiguration']);
    expect(t.emu.listResources().ingestConfigurations).toEqual(before);
    expect(secretValue()).toEqual(value);
    expect(secretOf(t.sim, 'Ingest').writes).toHaveLength(1);
  });
});

describe('delete', () => {
  test('a deleted ingest configuration reads as not found, and its secret is gone', async () => {
    // GIVEN
    await deployOk(t.sim, ingestStack({ ...RTMPS, stage: 'one' }));
    const { physicalId } = onlyResource(t.sim, TYPE);

    // WHEN
    await destroyOk(t.sim);

    // THEN
    await expect(getIngest(physicalId)).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(t.emu.listResources().ingestConfigurations).toEqual([]);
    expect(t.sim.secrets.list()).toEqual([]);
  });

  test('a Delete delivered twice succeeds both times', async () => {
    // GIVEN a destroyed stack
    await deployOk(t.sim, ingestStack());
    const destroyed = await destroyOk(t.sim);
    const deleteRequest = destroyed.events.find((e) => e.resourceType === TYPE)!.request!;

    // WHEN Lambda delivers the same Delete again
    const again = await t.sim.redeliver(deleteRequest);

    // THEN the ingest configuration being gone already counts as deleted
    expect(again.status).toBe('SUCCESS');
    expect(statuses(t.emu, 'DeleteIngestConfiguration')).toEqual([200]);
    expect(statuses(t.emu, 'GetIngestConfiguration').slice(-2)).toEqual([200, 404]);
  });
});

describe('secrets', () => {
  test('no stream key, redundant stream key or ResponseURL appears in any response, reason or log line, through the whole lifecycle', async () => {
    // GIVEN a lifecycle with every kind of request, a replacement and a failure
    const credentials = new Set<string>();
    const remember = () => writtenCredentials(t.sim).forEach((credential) => credentials.add(credential));
    await deployOk(t.sim, ingestStack({ ...RTMPS, stage: 'one', redundantIngest: true, tags: { a: '1' } }));
    remember();
    await deployOk(t.sim, ingestStack({ ...RTMPS, stage: 'two', redundantIngest: true, tags: { b: '2' } }));
    await deployOk(t.sim, ingestStack({ ingestProtocol: IngestProtocol.RTMP, stage: 'two', redundantIngest: false }));
    remember();
    t.emu.injectFault({ kind: 'failNth', operation: 'UpdateIngestConfiguration', n: 1, errorType: 'ValidationException' });
    await t.sim.deploy(ingestStack({ ingestProtocol: IngestProtocol.RTMP, stage: 'one' }));
    remember();
    await destroyOk(t.sim);

    // THEN two stream keys and a redundant one were issued, and none of them leaked
    expect(credentials.size).toBe(3);
    expect(t.sim.events.filter((e) => e.request).length).toBeGreaterThanOrEqual(8);
    expectNoLeaks(t.sim, [...credentials]);
  });
});
