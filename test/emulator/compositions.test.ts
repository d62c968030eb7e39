import {
  CreateEncoderConfigurationCommand,
  CreateStageCommand,
  CreateStorageConfigurationCommand,
  DeleteStageCommand,
  GetCompositionCommand,
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
