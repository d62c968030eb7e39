import {
  CreateEncoderConfigurationCommand,
  CreateStageCommand,
  CreateStorageConfigurationCommand,
  DeleteStageCommand,
  DeleteStorageConfigurationCommand,
  GetCompositionCommand,
  GetStageCommand,
  ListCompositionsCommand,
  StartCompositionCommand,
  StopCompositionCommand,
} from '@aws-sdk/client-ivs-realtime';
import { BUCKET, expectServiceError, expectValidationError, missingArn, useEmulator } from './helpers';

const t = useEmulator();

async function s3Destination() {
  t.emu.registerBucket(BUCKET);
  const storage = await t.client.send(new CreateStorageConfigurationCommand({ s3: { bucketName: BUCKET } }));
  const encoder = await t.client.send(new CreateEncoderConfigurationCommand({}));
  return { s3: { storageConfigurationArn: storage.storageConfiguration!.arn!, encoderConfigurationArns: [encoder.encoderConfiguration!.arn!] } };
}

describe('compositions (minimal)', () => {
  test('StartComposition returns an ACTIVE composition readable with Get and List', async () => {
    // GIVEN a stage and an S3 destination
    const { stage } = await t.client.send(new CreateStageCommand({}));
    const destination = await s3Destination();
    // WHEN a composition starts
    const { composition } = await t.client.send(new StartCompositionCommand({ stageArn: stage!.arn, destinations: [destination] }));
    // THEN it is ACTIVE, has a recording prefix, and shows up in Get and List
    expect(composition).toMatchObject({ stageArn: stage!.arn, state: 'ACTIVE', tags: {} });
    expect(composition!.arn).toMatch(/^arn:aws:ivs:us-east-1:123456789012:composition\/[a-zA-Z0-9]{12}$/);
    expect(composition!.destinations![0].detail!.s3!.recordingPrefix).toContain(stage!.arn!.split('/')[1]);
    expect((await t.client.send(new GetCompositionCommand({ arn: composition!.arn }))).composition!.arn).toBe(composition!.arn);
    expect((await t.client.send(new ListCompositionsCommand({}))).compositions!.map((c) => c.arn)).toEqual([composition!.arn]);
  });

  test('StopComposition deletes the composition', async () => {
    // GIVEN a running composition
    const { stage } = await t.client.send(new CreateStageCommand({}));
    const { composition } = await t.client.send(new StartCompositionCommand({ stageArn: stage!.arn, destinations: [await s3Destination()] }));
    // WHEN it is stopped
    await t.client.send(new StopCompositionCommand({ arn: composition!.arn }));
    // THEN it is gone
    await expectServiceError(t.client.send(new GetCompositionCommand({ arn: composition!.arn })), 'ResourceNotFoundException', 404);
  });

  test('DeleteStage ends the compositions of the stage', async () => {
    // GIVEN a running composition
    const { stage } = await t.client.send(new CreateStageCommand({}));
    await t.client.send(new StartCompositionCommand({ stageArn: stage!.arn, destinations: [await s3Destination()] }));
    // WHEN the stage is deleted
    await t.client.send(new DeleteStageCommand({ arn: stage!.arn }));
    // THEN no composition is left
    expect((await t.client.send(new ListCompositionsCommand({}))).compositions).toEqual([]);
  });

  test('answers ResourceNotFoundException for a missing stage', async () => {
    // GIVEN a valid destination but no stage
    const destination = await s3Destination();
    // WHEN a composition starts on a missing stage
    // THEN 404
    await expectServiceError(t.client.send(new StartCompositionCommand({ stageArn: missingArn('stage'), destinations: [destination] })),
      'ResourceNotFoundException', 404);
  });

  test('rejects a destination that sets both channel and s3', async () => {
    // GIVEN a destination with both kinds
    const { stage } = await t.client.send(new CreateStageCommand({}));
    const destination = { ...(await s3Destination()), channel: { channelArn: 'arn:aws:ivs:us-east-1:123456789012:channel/AbCdEfGh1234' } };
    // WHEN the composition starts
    // THEN the destination is named
    expect(await expectValidationError(t.client.send(new StartCompositionCommand({ stageArn: stage!.arn, destinations: [destination] }))))
      .toBe('destinations[0]: exactly one of channel and s3 must be set');
  });
});

describe('idempotency token and quotas', () => {
  test('a StartComposition that repeats an idempotency token answers the composition the first one made', async () => {
    // GIVEN a composition started with a token
    const { stage } = await t.client.send(new CreateStageCommand({}));
    const destination = await s3Destination();
    const first = await t.client.send(new StartCompositionCommand({ stageArn: stage!.arn, destinations: [destination], idempotencyToken: 'session-1' }));

    // WHEN the same request comes again
    const again = await t.client.send(new StartCompositionCommand({ stageArn: stage!.arn, destinations: [destination], idempotencyToken: 'session-1' }));

    // THEN it is the same composition, and only one exists
    expect(again.composition!.arn).toBe(first.composition!.arn);
    expect((await t.client.send(new ListCompositionsCommand({}))).compositions).toHaveLength(1);
  });

  test('a sixth composition of one stage is refused with ServiceQuotaExceededException', async () => {
    // GIVEN five compositions of one stage
    const { stage } = await t.client.send(new CreateStageCommand({}));
    const destination = await s3Destination();
    for (let i = 0; i < 5; i++) {
      await t.client.send(new StartCompositionCommand({ stageArn: stage!.arn, destinations: [destination] }));
    }

    // WHEN / THEN
    await expectServiceError(t.client.send(new StartCompositionCommand({ stageArn: stage!.arn, destinations: [destination] })),
      'ServiceQuotaExceededException', 402);
  });

  test('a repeated idempotency token at the per-stage quota still answers its composition', async () => {
    // GIVEN five compositions of one stage, the first with a token
    const { stage } = await t.client.send(new CreateStageCommand({}));
    const destination = await s3Destination();
    const first = await t.client.send(new StartCompositionCommand({ stageArn: stage!.arn, destinations: [destination], idempotencyToken: 'tok' }));
    for (let i = 0; i < 4; i++) {
      await t.client.send(new StartCompositionCommand({ stageArn: stage!.arn, destinations: [destination] }));
    }

    // WHEN
    const again = await t.client.send(new StartCompositionCommand({ stageArn: stage!.arn, destinations: [destination], idempotencyToken: 'tok' }));

    // THEN
    expect(again.composition!.arn).toBe(first.composition!.arn);
  });

  test('a twenty-first composition of the account is refused with ServiceQuotaExceededException', async () => {
    // GIVEN twenty compositions on five stages
    const destination = await s3Destination();
    for (let s = 0; s < 5; s++) {
      const { stage } = await t.client.send(new CreateStageCommand({}));
      for (let i = 0; i < 4; i++) {
        await t.client.send(new StartCompositionCommand({ stageArn: stage!.arn, destinations: [destination] }));
      }
    }
    const { stage } = await t.client.send(new CreateStageCommand({}));

    // WHEN / THEN
    await expectServiceError(t.client.send(new StartCompositionCommand({ stageArn: stage!.arn, destinations: [destination] })),
      'ServiceQuotaExceededException', 402);
  });
});

describe('stage sessions', () => {
  test('GetStage answers the session in progress as activeSessionId, and none once it ended', async () => {
    // GIVEN
    const { stage } = await t.client.send(new CreateStageCommand({}));

    // WHEN
    const sessionId = t.emu.startStageSession(stage!.arn!);

    // THEN
    expect(sessionId).toMatch(/^st-[a-zA-Z0-9]{13}$/);
    expect((await t.client.send(new GetStageCommand({ arn: stage!.arn }))).stage!.activeSessionId).toBe(sessionId);
    t.emu.endStageSession(stage!.arn!);
    expect((await t.client.send(new GetStageCommand({ arn: stage!.arn }))).stage!.activeSessionId).toBeUndefined();
  });

  test('the end of a session ends the stage\'s compositions, which GetComposition answers STOPPED and the quotas no longer count', async () => {
    // GIVEN a composition of a stage in session
    const { stage } = await t.client.send(new CreateStageCommand({}));
    t.emu.startStageSession(stage!.arn!);
    const { composition } = await t.client.send(new StartCompositionCommand({ stageArn: stage!.arn, destinations: [await s3Destination()] }));

    // WHEN
    const ended = t.emu.endStageSession(stage!.arn!);

    // THEN
    expect(ended).toEqual([expect.objectContaining({ arn: composition!.arn, state: 'STOPPED' })]);
    expect(ended[0].destinations[0].detail!.s3!.recordingPrefix).toBe(composition!.destinations![0].detail!.s3!.recordingPrefix);
    expect((await t.client.send(new GetCompositionCommand({ arn: composition!.arn }))).composition).toMatchObject({ state: 'STOPPED' });
    expect(t.emu.compositions()).toEqual([]);
    t.emu.setQuotas({ compositionsPerStage: 1 });
    await t.client.send(new StartCompositionCommand({ stageArn: stage!.arn, destinations: [await s3Destination()] }));
  });
});

test('a storage configuration whose only composition ended can be deleted', async () => {
  // GIVEN a composition of a stage session that ended
  const { stage } = await t.client.send(new CreateStageCommand({}));
  const destination = await s3Destination();
  t.emu.startStageSession(stage!.arn!);
  await t.client.send(new StartCompositionCommand({ stageArn: stage!.arn, destinations: [destination] }));
  t.emu.endStageSession(stage!.arn!);

  // WHEN
  await t.client.send(new DeleteStorageConfigurationCommand({ arn: destination.s3.storageConfigurationArn }));

  // THEN
  expect(t.emu.listResources().storageConfigurations).toEqual([]);
});
