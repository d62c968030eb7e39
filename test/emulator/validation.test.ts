import {
  CreateEncoderConfigurationCommand,
  CreateIngestConfigurationCommand,
  CreateParticipantTokenCommand,
  CreateStageCommand,
  CreateStorageConfigurationCommand,
  GetStageCommand,
  ListStagesCommand,
} from '@aws-sdk/client-ivs-realtime';
import { BUCKET, expectValidationError, missingArn, rawRequest, useEmulator } from './helpers';

const t = useEmulator();

/** Lets a test send a value of the wrong JSON type through the typed SDK (the SDK does not coerce it). */
const wrongType = <T>(value: unknown) => value as T;

describe('shape validation, one test per constraint kind', () => {
  test('wrong JSON type: a number sent as a string', async () => {
    // GIVEN recordingReconnectWindowSeconds as the string "30"
    const config = { storageConfigurationArn: '', recordingReconnectWindowSeconds: wrongType<number>('30') };
    // WHEN the stage is created
    const message = await expectValidationError(t.client.send(new CreateStageCommand({ autoParticipantRecordingConfiguration: config })));
    // THEN the message names the member and both types
    expect(message).toBe('autoParticipantRecordingConfiguration.recordingReconnectWindowSeconds: expected integer, got string');
  });

  test('wrong JSON type: a boolean sent as a string', async () => {
    // GIVEN insecureIngest as the string "true"
    // WHEN the ingest configuration is created
    const message = await expectValidationError(t.client.send(new CreateIngestConfigurationCommand({
      ingestProtocol: 'RTMPS', insecureIngest: wrongType<boolean>('true'),
    })));
    // THEN insecureIngest is named
    expect(message).toBe('insecureIngest: expected boolean, got string');
  });

  test('wrong JSON type: a fractional number for an integer', async () => {
    // GIVEN duration 1.5 minutes
    // WHEN a participant token is created
    const message = await expectValidationError(t.client.send(new CreateParticipantTokenCommand({ stageArn: missingArn('stage'), duration: 1.5 })));
    // THEN duration is named
    expect(message).toBe('duration: expected integer, got non-integer number 1.5');
  });

  test('missing required member', async () => {
    // GIVEN an ingest configuration without ingestProtocol
    // WHEN it is created
    const message = await expectValidationError(t.client.send(new CreateIngestConfigurationCommand(wrongType({ name: 'x' }))));
    // THEN ingestProtocol is named
    expect(message).toBe('ingestProtocol: required member is missing');
  });

  test('missing required member inside a nested structure', async () => {
    // GIVEN autoParticipantRecordingConfiguration without storageConfigurationArn
    // WHEN the stage is created
    const message = await expectValidationError(t.client.send(new CreateStageCommand({
      autoParticipantRecordingConfiguration: wrongType({ mediaTypes: ['AUDIO_ONLY'] }),
    })));
    // THEN the nested path is named
    expect(message).toBe('autoParticipantRecordingConfiguration.storageConfigurationArn: required member is missing');
  });

  test('string length', async () => {
    // GIVEN a 129-character name
    // WHEN the stage is created
    const message = await expectValidationError(t.client.send(new CreateStageCommand({ name: 'a'.repeat(129) })));
    // THEN name and the allowed range are named
    expect(message).toBe('name: length 129 is outside the allowed range 0..128');
  });

  test('pattern', async () => {
    // GIVEN a name with a space
    // WHEN the stage is created
    const message = await expectValidationError(t.client.send(new CreateStageCommand({ name: 'my stage' })));
    // THEN name and the pattern are named
    expect(message).toBe('name: value "my stage" does not match pattern ^[a-zA-Z0-9-_]*$');
  });

  test('pattern of an ARN member', async () => {
    // GIVEN a channel ARN where a stage ARN is expected
    // WHEN GetStage is called
    const message = await expectValidationError(t.client.send(new GetStageCommand({ arn: 'arn:aws:ivs:us-east-1:123456789012:channel/abc' })));
    // THEN arn is named
    expect(message).toMatch(/^arn: value ".*channel\/abc" does not match pattern/);
  });

  test('integer range', async () => {
    // GIVEN a reconnect window of 301 s
    // WHEN the stage is created
    const message = await expectValidationError(t.client.send(new CreateStageCommand({
      autoParticipantRecordingConfiguration: { storageConfigurationArn: '', recordingReconnectWindowSeconds: 301 },
    })));
    // THEN the member and range are named
    expect(message).toBe('autoParticipantRecordingConfiguration.recordingReconnectWindowSeconds: value 301 is outside the allowed range 0..300');
  });

  test('integer range of maxResults', async () => {
    // GIVEN maxResults 0
    // WHEN stages are listed
    // THEN maxResults is named
    expect(await expectValidationError(t.client.send(new ListStagesCommand({ maxResults: 0 })))).toBe('maxResults: value 0 is outside the allowed range 1..100');
  });

  test('float range', async () => {
    // GIVEN a framerate of 60.5
    // WHEN the encoder configuration is created
    // THEN video.framerate is named
    expect(await expectValidationError(t.client.send(new CreateEncoderConfigurationCommand({ video: { framerate: 60.5 } }))))
      .toBe('video.framerate: value 60.5 is outside the allowed range 1..60');
  });

  test('enum', async () => {
    // GIVEN ingestProtocol SRT
    // WHEN the ingest configuration is created
    const message = await expectValidationError(t.client.send(new CreateIngestConfigurationCommand({ ingestProtocol: wrongType('SRT') })));
    // THEN the allowed values are listed
    expect(message).toBe('ingestProtocol: value "SRT" is not one of RTMP, RTMPS');
  });

  test('enum inside a list', async () => {
    // GIVEN a capability that does not exist
    // WHEN the stage is created with a token configuration
    const message = await expectValidationError(t.client.send(new CreateStageCommand({
      participantTokenConfigurations: [{ capabilities: wrongType(['PUBLISH', 'ADMIN']) }],
    })));
    // THEN the list index is part of the path
    expect(message).toBe('participantTokenConfigurations[0].capabilities[1]: value "ADMIN" is not one of PUBLISH, SUBSCRIBE');
  });

  test('list size', async () => {
    // GIVEN two media types where at most one is allowed
    // WHEN the stage is created
    const message = await expectValidationError(t.client.send(new CreateStageCommand({
      autoParticipantRecordingConfiguration: { storageConfigurationArn: '', mediaTypes: ['AUDIO_VIDEO', 'AUDIO_ONLY'] },
    })));
    // THEN mediaTypes is named
    expect(message).toBe('autoParticipantRecordingConfiguration.mediaTypes: has 2 items, allowed 0..1');
  });

  test('list size: more than 12 participant token configurations', async () => {
    // GIVEN 13 token configurations
    // WHEN the stage is created
    const participantTokenConfigurations = Array.from({ length: 13 }, () => ({}));
    const message = await expectValidationError(t.client.send(new CreateStageCommand({ participantTokenConfigurations })));
    // THEN the list is named
    expect(message).toBe('participantTokenConfigurations: has 13 items, allowed 0..12');
  });

  test('uniqueItems', async () => {
    // GIVEN thumbnail storage [LATEST, LATEST]
    // WHEN the stage is created
    const message = await expectValidationError(t.client.send(new CreateStageCommand({
      autoParticipantRecordingConfiguration: { storageConfigurationArn: '', thumbnailConfiguration: { storage: ['LATEST', 'LATEST'] } },
    })));
    // THEN the duplicate is reported
    expect(message).toBe('autoParticipantRecordingConfiguration.thumbnailConfiguration.storage: items must be unique, duplicate "LATEST"');
  });

  test('map size: more than 50 tags', async () => {
    // GIVEN 51 tags
    const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    // WHEN the stage is created
    // THEN tags is named
    expect(await expectValidationError(t.client.send(new CreateStageCommand({ tags })))).toBe('tags: has 51 entries, allowed 0..50');
  });

  test('tag key and value lengths', async () => {
    // GIVEN a 129-character key and a 257-character value
    const tags = { ['k'.repeat(129)]: 'v', ok: 'v'.repeat(257) };
    // WHEN the stage is created
    const message = await expectValidationError(t.client.send(new CreateStageCommand({ tags })));
    // THEN both violations are listed
    expect(message).toContain('tags: key "kkkk');
    expect(message).toContain('length 129 is outside the allowed range 1..128');
    expect(message).toContain('tags.ok: length 257 is outside the allowed range 0..256');
  });

  test('unknown members are ignored', async () => {
    // GIVEN a raw request with a member the model does not know (the SDK itself drops unknown members)
    // WHEN it is posted to CreateStage
    const res = await rawRequest(t.emu, 'POST', '/CreateStage', JSON.stringify({ name: 'ok', futureMember: 42 }));
    // THEN it succeeds
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ stage: { name: 'ok' } });
  });

  test('all violations of one request are reported together', async () => {
    // GIVEN a bad name and a bad bucket name
    // WHEN the storage configuration is created
    const message = await expectValidationError(t.client.send(new CreateStorageConfigurationCommand({ name: 'a b', s3: { bucketName: 'UP' } })));
    // THEN both paths appear, separated by "; "
    expect(message.split('; ').map((part) => part.split(':')[0])).toEqual(['name', 's3.bucketName']);
  });

  test('a body that is not a JSON object is rejected', async () => {
    // GIVEN a JSON array as body
    // WHEN it is posted to CreateStage
    const res = await rawRequest(t.emu, 'POST', '/CreateStage', '[]');
    // THEN ValidationException names the request body
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ __type: 'ValidationException', exceptionMessage: 'request body: expected object, got array' });
  });
});

describe('cross-field rules', () => {
  test('thumbnail targetIntervalSeconds needs recordingMode INTERVAL', async () => {
    // GIVEN an interval without INTERVAL mode
    // WHEN the stage is created
    const message = await expectValidationError(t.client.send(new CreateStageCommand({
      autoParticipantRecordingConfiguration: { storageConfigurationArn: '', thumbnailConfiguration: { targetIntervalSeconds: 10 } },
    })));
    // THEN the interval member is named
    expect(message).toBe('autoParticipantRecordingConfiguration.thumbnailConfiguration.targetIntervalSeconds: may only be set when recordingMode is INTERVAL');
  });

  test('thumbnail targetIntervalSeconds with INTERVAL mode is accepted', async () => {
    // GIVEN a storage configuration and INTERVAL thumbnails every 10 s
    t.emu.registerBucket(BUCKET);
    const storage = await t.client.send(new CreateStorageConfigurationCommand({ s3: { bucketName: BUCKET } }));
    // WHEN the stage is created
    const out = await t.client.send(new CreateStageCommand({
      autoParticipantRecordingConfiguration: {
        storageConfigurationArn: storage.storageConfiguration!.arn, thumbnailConfiguration: { targetIntervalSeconds: 10, recordingMode: 'INTERVAL' },
      },
    }));
    // THEN the settings are kept
    expect(out.stage!.autoParticipantRecordingConfiguration!.thumbnailConfiguration).toEqual({
      targetIntervalSeconds: 10, recordingMode: 'INTERVAL', storage: ['SEQUENTIAL'],
    });
  });

  test('RTMP requires insecureIngest true', async () => {
    // GIVEN RTMP without insecureIngest
    // WHEN the ingest configuration is created
    // THEN insecureIngest is named
    expect(await expectValidationError(t.client.send(new CreateIngestConfigurationCommand({ ingestProtocol: 'RTMP' }))))
      .toBe('insecureIngest: must be true when ingestProtocol is RTMP');
  });

  test('participant attributes are limited to 1 KB in total', async () => {
    // GIVEN attributes of 1,025 bytes
    // WHEN a token is requested
    const message = await expectValidationError(t.client.send(new CreateParticipantTokenCommand({
      stageArn: missingArn('stage'), attributes: { a: 'x'.repeat(1024) },
    })));
    // THEN attributes is named
    expect(message).toBe('attributes: attributes take 1025 bytes, at most 1024 allowed');
  });

  test('validation runs before the existence check', async () => {
    // GIVEN a missing stage and an invalid duration
    // WHEN a token is requested
    // THEN the answer is ValidationException, not ResourceNotFoundException
    expect(await expectValidationError(t.client.send(new CreateParticipantTokenCommand({ stageArn: missingArn('stage'), duration: 0 }))))
      .toBe('duration: value 0 is outside the allowed range 1..20160');
  });
});
