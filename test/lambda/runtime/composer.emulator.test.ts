import { CreateEncoderConfigurationCommand, CreateStageCommand, CreateStorageConfigurationCommand } from '@aws-sdk/client-ivs-realtime';
import { COMPOSER_ENV } from '../../../src/runtime/composer-contract';
import { BUCKET, useEmulator } from '../../emulator/helpers';
import { loadFresh, pointClientsAt } from '../fresh-instance';

/*
 * The composer against the local IVS emulator, through the real SDK: what it starts, what it
 * refuses to start, and what it retries. Events are built in the order a test needs, never timed.
 */

type Composer = typeof import('../../../lambda/runtime/composer');

// A deploy, or fifty invocations, on a machine shared with other work: more than Jest's 5 seconds.
jest.setTimeout(30_000);

const t = useEmulator();

beforeAll(() => pointClientsAt('AWS_ENDPOINT_URL_IVS_REALTIME', t.emu.endpoint, t.emu.region));

/** Plenty of time left, as a fresh 30-second invocation has. */
const CONTEXT = { getRemainingTimeInMillis: () => 30_000 };

/** A stage with a session in progress, and the composer configured for it with an S3 destination. */
async function givenAComposedStage() {
  t.emu.registerBucket(BUCKET);
  const { stage } = await t.client.send(new CreateStageCommand({ name: 'town-hall' }));
  const { storageConfiguration } = await t.client.send(new CreateStorageConfigurationCommand({ s3: { bucketName: BUCKET } }));
  const { encoderConfiguration } = await t.client.send(new CreateEncoderConfigurationCommand({}));
  const composer = loadFresh<Composer>('runtime/composer');
  const config = composer.readConfig({
    [COMPOSER_ENV.STAGE_ARN]: stage!.arn,
    [COMPOSER_ENV.COMPOSITION_KEY]: 'c8a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4',
    [COMPOSER_ENV.REQUEST]: JSON.stringify({
      layout: { grid: {} },
      destinations: [{ s3: { storageConfigurationArn: storageConfiguration!.arn, encoderConfigurationArns: [encoderConfiguration!.arn] } }],
    }),
  });
  const sessionId = t.emu.startStageSession(stage!.arn!);
  t.emu.clearRequests();
  return { composer, config, stageArn: stage!.arn!, sessionId };
}

/** A Stage Update event, as EventBridge delivers it. */
function stageEvent(stageArn: string, sessionId: string | undefined, eventName = 'Participant Published', participantId = 'alice') {
  return {
    'version': '0',
    'id': `${eventName}-${participantId}-${sessionId}`,
    'detail-type': 'IVS Stage Update',
    'source': 'aws.ivs',
    'account': t.emu.accountId,
    'time': '2026-12-06T03:00:00Z',
    'region': t.emu.region,
    'resources': [stageArn],
    'detail': { event_name: eventName, ...(sessionId ? { session_id: sessionId } : {}), participant_id: participantId },
  };
}

const startRequests = () => t.emu.requests.filter((request) => request.operation === 'StartComposition');

test('50 duplicated, reordered and late events delivered at once start one composition, and none after', async () => {
  // GIVEN a stage whose first session ended and whose second is in progress
  const { composer, config, stageArn, sessionId: lateSession } = await givenAComposedStage();
  t.emu.endStageSession(stageArn);
  const sessionId = t.emu.startStageSession(stageArn);
  // duplicates of two publishers, unpublish events between them, and events of the ended session
  const events = Array.from({ length: 50 }, (_, i) => {
    switch (i % 5) {
      case 0: return stageEvent(stageArn, lateSession, 'Participant Published', `late-${i}`);
      case 1: return stageEvent(stageArn, sessionId, 'Participant Unpublished', 'alice');
      case 2: return stageEvent(stageArn, sessionId, 'Participant Published', 'bob');
      default: return stageEvent(stageArn, sessionId, 'Participant Published', 'alice');
    }
  }).reverse();

  // WHEN every event is handled at once
  const outcomes = await Promise.all(events.map((event) => composer.compose(config, event, CONTEXT)));

  // THEN one composition exists, every start answered it, and a late event started nothing
  const compositions = t.emu.compositions(stageArn);
  expect(compositions).toHaveLength(1);
  const started = outcomes.filter((outcome) => outcome.outcome === 'started');
  expect(started).toHaveLength(30);
  expect(new Set(started.map((outcome) => outcome.outcome === 'started' && outcome.compositionArn))).toEqual(new Set([compositions[0].arn]));
  expect(outcomes.filter((outcome) => outcome.outcome === 'session-not-active')).toHaveLength(10);
  expect(new Set(startRequests().map((request) => (request.body as { idempotencyToken: string }).idempotencyToken)).size).toBe(1);

  // AND a further publish of the same session starts none
  await composer.compose(config, stageEvent(stageArn, sessionId, 'Participant Published', 'carol'), CONTEXT);
  expect(t.emu.compositions(stageArn)).toHaveLength(1);
});

test('the next session of the stage gets a composition of its own', async () => {
  // GIVEN a first session that was composed and ended
  const { composer, config, stageArn, sessionId } = await givenAComposedStage();
  const first = await composer.compose(config, stageEvent(stageArn, sessionId), CONTEXT);
  t.emu.endStageSession(stageArn);
  const next = t.emu.startStageSession(stageArn);

  // WHEN
  const second = await composer.compose(config, stageEvent(stageArn, next), CONTEXT);

  // THEN
  expect(second).toMatchObject({ outcome: 'started', sessionId: next });
  expect(second).not.toEqual(expect.objectContaining({ compositionArn: (first as { compositionArn: string }).compositionArn }));
  expect(t.emu.compositions(stageArn)).toHaveLength(1);
});

test('an event of a session that is no longer the stage\'s active one starts nothing', async () => {
  // GIVEN a stage with no session in progress
  const { composer, config, stageArn, sessionId } = await givenAComposedStage();
  t.emu.endStageSession(stageArn);

  // WHEN
  const outcome = await composer.compose(config, stageEvent(stageArn, sessionId), CONTEXT);

  // THEN
  expect(outcome).toEqual({ outcome: 'session-not-active', stageArn, sessionId });
  expect(startRequests()).toHaveLength(0);
});

test.each([
  ['another stage', (stageArn: string, sessionId: string) => stageEvent(stageArn.replace(/\/\w+$/, '/otherStage12'), sessionId), 'not an event of this stage'],
  ['another event name', (stageArn: string, sessionId: string) => stageEvent(stageArn, sessionId, 'Participant Joined'), 'not a Participant Published or composition Session End event'],
  ['no session ID', (stageArn: string) => stageEvent(stageArn, undefined), 'the event has no session_id'],
])('an event of %s is ignored without a call', async (_name, event, reason) => {
  // GIVEN
  const { composer, config, stageArn, sessionId } = await givenAComposedStage();

  // WHEN
  const outcome = await composer.compose(config, event(stageArn, sessionId), CONTEXT);

  // THEN
  expect(outcome).toEqual({ outcome: 'ignored', reason });
  expect(t.emu.requests).toHaveLength(0);
});

test('a throttled StartComposition is retried by the SDK and starts the composition', async () => {
  // GIVEN
  const { composer, config, stageArn, sessionId } = await givenAComposedStage();
  t.emu.injectFault({ kind: 'throttle', operation: 'StartComposition', times: 2 });

  // WHEN
  const outcome = await composer.compose(config, stageEvent(stageArn, sessionId), CONTEXT);

  // THEN
  expect(outcome).toMatchObject({ outcome: 'started' });
  expect(startRequests().map((request) => request.status)).toEqual([429, 429, 200]);
});

test('a ConflictException is retried while the function has time', async () => {
  // GIVEN
  const { composer, config, stageArn, sessionId } = await givenAComposedStage();
  t.emu.injectFault({ kind: 'failNth', operation: 'StartComposition', n: 1, errorType: 'ConflictException', status: 409 });

  // WHEN
  const outcome = await composer.compose(config, stageEvent(stageArn, sessionId), CONTEXT);

  // THEN
  expect(outcome).toMatchObject({ outcome: 'started' });
  expect(startRequests().map((request) => request.status)).toEqual([409, 200]);
});

test('a ConflictException when the function has no time for another attempt is thrown', async () => {
  // GIVEN
  const { composer, config, stageArn, sessionId } = await givenAComposedStage();
  t.emu.injectFault({ kind: 'failNth', operation: 'StartComposition', n: 1, errorType: 'ConflictException', status: 409 });

  // WHEN / THEN
  await expect(composer.compose(config, stageEvent(stageArn, sessionId), { getRemainingTimeInMillis: () => 5_000 }))
    .rejects.toMatchObject({ name: 'ConflictException' });
});

test('the per-stage quota is thrown at once, for the dead-letter queue', async () => {
  // GIVEN a stage at its composition quota
  const { composer, config, stageArn, sessionId } = await givenAComposedStage();
  t.emu.setQuotas({ compositionsPerStage: 0 });

  // WHEN / THEN
  await expect(composer.compose(config, stageEvent(stageArn, sessionId), CONTEXT)).rejects.toMatchObject({ name: 'ServiceQuotaExceededException' });
  expect(startRequests()).toHaveLength(1);
});

test('the handler logs the stage, the session and the composition, and not the idempotency token', async () => {
  // GIVEN
  const { composer, stageArn, sessionId } = await givenAComposedStage();
  const config = await givenAComposedStageEnv(stageArn);
  const logs: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(line));
  const saved = { ...process.env };
  Object.assign(process.env, config);

  try {
    // WHEN
    const outcome = await composer.handler(stageEvent(stageArn, sessionId), CONTEXT);

    // THEN
    expect(outcome.outcome).toBe('started');
    expect(logs).toHaveLength(1);
    expect(JSON.parse(logs[0])).toEqual({ event: 'composer', ...outcome });
    const token = (startRequests()[0].body as { idempotencyToken: string }).idempotencyToken;
    expect(logs[0]).not.toContain(token);
  } finally {
    spy.mockRestore();
    process.env = saved;
  }
});

/** The environment the construct gives the function, for a stage of the emulator. */
async function givenAComposedStageEnv(stageArn: string): Promise<Record<string, string>> {
  const { encoderConfiguration } = await t.client.send(new CreateEncoderConfigurationCommand({}));
  const { storageConfiguration } = await t.client.send(new CreateStorageConfigurationCommand({ s3: { bucketName: BUCKET } }));
  t.emu.clearRequests();
  return {
    [COMPOSER_ENV.STAGE_ARN]: stageArn,
    [COMPOSER_ENV.COMPOSITION_KEY]: 'key',
    [COMPOSER_ENV.REQUEST]: JSON.stringify({
      layout: { grid: {} },
      destinations: [{ s3: { storageConfigurationArn: storageConfiguration!.arn, encoderConfigurationArns: [encoderConfiguration!.arn] } }],
    }),
  };
}

test('the Session End of a composition this function did not start announces nothing', async () => {
  // GIVEN a composition of the stage that someone else started
  const { composer, config, stageArn, sessionId } = await givenAComposedStage();
  const ours = await composer.compose(config, stageEvent(stageArn, sessionId), CONTEXT);
  const other = composer.readConfig({
    [COMPOSER_ENV.STAGE_ARN]: stageArn,
    [COMPOSER_ENV.COMPOSITION_KEY]: 'another-composition',
    [COMPOSER_ENV.REQUEST]: JSON.stringify(config.request),
  });
  t.emu.endStageSession(stageArn);

  // WHEN the other composition's function gets its Session End
  const outcome = await composer.compose(other, {
    'detail-type': 'IVS Composition State Change',
    'resources': [(ours as { compositionArn: string }).compositionArn],
    'detail': { event_name: 'Session End', stage_arn: stageArn },
  }, CONTEXT);

  // THEN
  expect(outcome).toEqual({ outcome: 'ignored', reason: 'not a composition this function started' });
});
