import {
  CreateIngestConfigurationCommand,
  CreateParticipantTokenCommand,
  CreateStageCommand,
  CreateStorageConfigurationCommand,
  DeleteStageCommand,
  GetIngestConfigurationCommand,
  GetStageCommand,
  ListStagesCommand,
  paginateListStages,
  UpdateStageCommand,
} from '@aws-sdk/client-ivs-realtime';
import { BUCKET, expectServiceError, expectValidationError, missingArn, rawRequest, useEmulator } from './helpers';

const t = useEmulator();

async function createStorageConfigurationArn(): Promise<string> {
  t.emu.registerBucket(BUCKET);
  const out = await t.client.send(new CreateStorageConfigurationCommand({ s3: { bucketName: BUCKET } }));
  return out.storageConfiguration!.arn!;
}

describe('CreateStage', () => {
  test('returns a stage shaped like the service', async () => {
    // GIVEN an empty emulator
    // WHEN a stage is created with a name only
    const out = await t.client.send(new CreateStageCommand({ name: 'my-stage' }));
    // THEN it has a 12-character ID ARN, empty tags, all four endpoints and recording switched off
    expect(out.stage!.arn).toMatch(/^arn:aws:ivs:us-east-1:123456789012:stage\/[a-zA-Z0-9]{12}$/);
    expect(out.stage!.name).toBe('my-stage');
    expect(out.stage!.tags).toEqual({});
    expect(Object.keys(out.stage!.endpoints!).sort()).toEqual(['events', 'rtmp', 'rtmps', 'whip']);
    expect(out.stage!.autoParticipantRecordingConfiguration).toEqual({
      storageConfigurationArn: '',
      mediaTypes: ['AUDIO_VIDEO'],
      thumbnailConfiguration: { targetIntervalSeconds: 60, storage: ['SEQUENTIAL'], recordingMode: 'DISABLED' },
      recordingReconnectWindowSeconds: 0,
      hlsConfiguration: { targetSegmentDurationSeconds: 6 },
      recordParticipantReplicas: true,
    });
  });

  test('issues one participant token per token configuration', async () => {
    // GIVEN two token configurations, one with explicit values
    const participantTokenConfigurations = [{ userId: 'alice', duration: 60, capabilities: ['PUBLISH' as const] }, {}];
    // WHEN the stage is created
    const out = await t.client.send(new CreateStageCommand({ participantTokenConfigurations }));
    // THEN two tokens come back, the second one with the documented defaults
    expect(out.participantTokens).toHaveLength(2);
    expect(out.participantTokens![0]).toMatchObject({ userId: 'alice', duration: 60, capabilities: ['PUBLISH'] });
    expect(out.participantTokens![1]).toMatchObject({ duration: 720, capabilities: ['PUBLISH', 'SUBSCRIBE'] });
    expect(out.participantTokens![1].expirationTime).toBeInstanceOf(Date);
  });

  test('fills recording defaults for members left out when a storage configuration is given', async () => {
    // GIVEN an existing storage configuration
    const storageConfigurationArn = await createStorageConfigurationArn();
    // WHEN a stage is created with only the storage configuration and a reconnect window
    const out = await t.client.send(new CreateStageCommand({
      autoParticipantRecordingConfiguration: { storageConfigurationArn, recordingReconnectWindowSeconds: 30 },
    }));
    // THEN the other members take their defaults
    expect(out.stage!.autoParticipantRecordingConfiguration).toMatchObject({
      storageConfigurationArn, recordingReconnectWindowSeconds: 30, mediaTypes: ['AUDIO_VIDEO'], recordParticipantReplicas: true,
    });
  });

  test('rejects a recording storage configuration that does not exist with ValidationException', async () => {
    // GIVEN no storage configuration
    // WHEN a stage refers to a missing one
    const call = t.client.send(new CreateStageCommand({
      autoParticipantRecordingConfiguration: { storageConfigurationArn: missingArn('storage-configuration') },
    }));
    // THEN the request is rejected naming the member
    expect(await expectValidationError(call)).toContain('autoParticipantRecordingConfiguration.storageConfigurationArn');
  });
});

describe('GetStage / DeleteStage', () => {
  test('GetStage returns what CreateStage returned', async () => {
    // GIVEN a stage with tags
    const created = await t.client.send(new CreateStageCommand({ name: 's', tags: { team: 'video' } }));
    // WHEN it is read back
    const got = await t.client.send(new GetStageCommand({ arn: created.stage!.arn }));
    // THEN the stage is identical
    expect(got.stage).toEqual(created.stage);
  });

  test('Get and Delete after Delete answer ResourceNotFoundException', async () => {
    // GIVEN a deleted stage
    const { stage } = await t.client.send(new CreateStageCommand({}));
    await t.client.send(new DeleteStageCommand({ arn: stage!.arn }));
    // WHEN it is read or deleted again
    // THEN both fail with 404
    await expectServiceError(t.client.send(new GetStageCommand({ arn: stage!.arn })), 'ResourceNotFoundException', 404);
    await expectServiceError(t.client.send(new DeleteStageCommand({ arn: stage!.arn })), 'ResourceNotFoundException', 404);
  });

  test('DeleteStage clears stageArn on attached ingest configurations', async () => {
    // GIVEN an ingest configuration attached to a stage
    const { stage } = await t.client.send(new CreateStageCommand({}));
    const { ingestConfiguration } = await t.client.send(new CreateIngestConfigurationCommand({ ingestProtocol: 'RTMPS', stageArn: stage!.arn }));
    // WHEN the stage is deleted
    await t.client.send(new DeleteStageCommand({ arn: stage!.arn }));
    // THEN the ingest configuration is detached
    const got = await t.client.send(new GetIngestConfigurationCommand({ arn: ingestConfiguration!.arn }));
    expect(got.ingestConfiguration!.stageArn).toBe('');
  });
});

describe('UpdateStage', () => {
  test('changes the name and keeps an omitted recording configuration', async () => {
    // GIVEN a recording stage
    const storageConfigurationArn = await createStorageConfigurationArn();
    const { stage } = await t.client.send(new CreateStageCommand({
      name: 'before', autoParticipantRecordingConfiguration: { storageConfigurationArn, mediaTypes: ['AUDIO_ONLY'] },
    }));
    // WHEN only the name is updated
    const out = await t.client.send(new UpdateStageCommand({ arn: stage!.arn, name: 'after' }));
    // THEN the recording configuration is unchanged
    expect(out.stage!.name).toBe('after');
    expect(out.stage!.autoParticipantRecordingConfiguration).toEqual(stage!.autoParticipantRecordingConfiguration);
    expect(out.stage!.endpoints).toEqual(stage!.endpoints);
  });

  test('replaces the whole recording configuration it is given', async () => {
    // GIVEN a stage recording audio only with a 60 s reconnect window
    const storageConfigurationArn = await createStorageConfigurationArn();
    const { stage } = await t.client.send(new CreateStageCommand({
      autoParticipantRecordingConfiguration: { storageConfigurationArn, mediaTypes: ['AUDIO_ONLY'], recordingReconnectWindowSeconds: 60 },
    }));
    // WHEN the configuration is updated with only a new reconnect window
    const out = await t.client.send(new UpdateStageCommand({
      arn: stage!.arn, autoParticipantRecordingConfiguration: { storageConfigurationArn, recordingReconnectWindowSeconds: 10 },
    }));
    // THEN mediaTypes falls back to its default instead of keeping AUDIO_ONLY
    expect(out.stage!.autoParticipantRecordingConfiguration).toMatchObject({ recordingReconnectWindowSeconds: 10, mediaTypes: ['AUDIO_VIDEO'] });
  });

  test('an empty storageConfigurationArn turns recording off and resets every field', async () => {
    // GIVEN a recording stage with non-default settings
    const storageConfigurationArn = await createStorageConfigurationArn();
    const { stage } = await t.client.send(new CreateStageCommand({
      autoParticipantRecordingConfiguration: { storageConfigurationArn, mediaTypes: ['AUDIO_ONLY'], recordingReconnectWindowSeconds: 60 },
    }));
    // WHEN storageConfigurationArn "" is sent with other members
    const out = await t.client.send(new UpdateStageCommand({
      arn: stage!.arn, autoParticipantRecordingConfiguration: { storageConfigurationArn: '', recordingReconnectWindowSeconds: 99 },
    }));
    // THEN the configuration is back to its defaults
    expect(out.stage!.autoParticipantRecordingConfiguration).toMatchObject({
      storageConfigurationArn: '', mediaTypes: ['AUDIO_VIDEO'], recordingReconnectWindowSeconds: 0,
    });
  });

  test('a JSON null member is treated like an omitted one', async () => {
    // GIVEN a recording stage
    const storageConfigurationArn = await createStorageConfigurationArn();
    const { stage } = await t.client.send(new CreateStageCommand({ autoParticipantRecordingConfiguration: { storageConfigurationArn } }));
    // WHEN a raw UpdateStage sends autoParticipantRecordingConfiguration: null
    const res = await rawRequest(t.emu, 'POST', '/UpdateStage', JSON.stringify({ arn: stage!.arn, autoParticipantRecordingConfiguration: null }));
    // THEN the recording configuration is kept
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ stage: { autoParticipantRecordingConfiguration: { storageConfigurationArn } } });
  });

  test('a rejected update leaves the stage unchanged', async () => {
    // GIVEN a stage
    const { stage } = await t.client.send(new CreateStageCommand({ name: 'keep' }));
    // WHEN an update renames it but refers to a missing storage configuration
    await expectValidationError(t.client.send(new UpdateStageCommand({
      arn: stage!.arn, name: 'changed', autoParticipantRecordingConfiguration: { storageConfigurationArn: missingArn('storage-configuration') },
    })));
    // THEN the name is unchanged
    expect((await t.client.send(new GetStageCommand({ arn: stage!.arn }))).stage!.name).toBe('keep');
  });
});

describe('ListStages', () => {
  test('pages with nextToken and maxResults, in creation order, without endpoints', async () => {
    // GIVEN five stages
    const arns: string[] = [];
    for (let i = 0; i < 5; i++) arns.push((await t.client.send(new CreateStageCommand({ name: `s${i}` }))).stage!.arn!);
    // WHEN they are listed two at a time
    const first = await t.client.send(new ListStagesCommand({ maxResults: 2 }));
    const second = await t.client.send(new ListStagesCommand({ maxResults: 2, nextToken: first.nextToken }));
    const third = await t.client.send(new ListStagesCommand({ maxResults: 2, nextToken: second.nextToken }));
    // THEN three pages cover all stages, tokens match PaginationToken and the last page has none
    expect(first.nextToken).toMatch(/^[a-zA-Z0-9+/=_-]+$/);
    expect([...first.stages!, ...second.stages!, ...third.stages!].map((s) => s.arn)).toEqual(arns);
    expect(third.nextToken).toBeUndefined();
    expect(first.stages![0]).toEqual({ arn: arns[0], name: 's0', tags: {} });
  });

  test('the SDK paginator walks every page', async () => {
    // GIVEN three stages
    for (let i = 0; i < 3; i++) await t.client.send(new CreateStageCommand({}));
    // WHEN the SDK paginator runs with page size 1
    const pages = [];
    for await (const page of paginateListStages({ client: t.client, pageSize: 1 }, {})) pages.push(page);
    // THEN it sees three stages in three pages
    expect(pages.flatMap((p) => p.stages ?? [])).toHaveLength(3);
    expect(pages).toHaveLength(3);
  });

  test('rejects a token that was not issued by ListStages', async () => {
    // GIVEN a syntactically valid but foreign token
    const nextToken = Buffer.from('ListPublicKeys:1').toString('base64url');
    // WHEN it is used
    // THEN the call fails naming nextToken
    expect(await expectValidationError(t.client.send(new ListStagesCommand({ nextToken })))).toContain('nextToken');
  });
});

describe('seedStages (test API)', () => {
  test('puts stages in the store as CreateStage would, without a request, and the API sees them', async () => {
    // GIVEN the rate limit on
    t.emu.setRateLimit({ scale: 1 });
    // WHEN 150 stages of others are seeded, more than the 5 a second CreateStage would take
    const arns = t.emu.seedStages(Array.from({ length: 150 }, (_, i) => ({ name: `other-${i}`, tags: { owner: 'someone-else' } })));
    // THEN no request was logged, and a list walks them all, in order, with their names and tags
    expect(t.emu.requests).toEqual([]);
    const listed = [];
    for await (const page of paginateListStages({ client: t.client, pageSize: 100 }, {})) listed.push(...page.stages ?? []);
    expect(listed.map((s) => s.arn)).toEqual(arns);
    expect(listed[149]).toEqual({ arn: arns[149], name: 'other-149', tags: { owner: 'someone-else' } });
    expect(arns[0]).toMatch(/^arn:aws:ivs:us-east-1:123456789012:stage\/[a-zA-Z0-9]{12}$/);
  });

  test('counts against the stage quota', () => {
    // GIVEN a quota of 2 stages
    t.emu.setQuotas({ stages: 2 });
    // WHEN / THEN a third is refused
    expect(() => t.emu.seedStages([{}, {}, {}])).toThrow(/quota/i);
  });
});

describe('CreateParticipantToken', () => {
  test('returns a token with the documented defaults', async () => {
    // GIVEN a stage
    const { stage } = await t.client.send(new CreateStageCommand({}));
    // WHEN a token is created with a user ID
    const out = await t.client.send(new CreateParticipantTokenCommand({ stageArn: stage!.arn, userId: 'bob', attributes: { role: 'host' } }));
    // THEN it lasts 720 minutes, can publish and subscribe, and carries the attributes
    expect(out.participantToken).toMatchObject({ userId: 'bob', duration: 720, capabilities: ['PUBLISH', 'SUBSCRIBE'], attributes: { role: 'host' } });
    expect(out.participantToken!.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(out.participantToken!.participantId).toMatch(/^[a-zA-Z0-9-_]{1,64}$/);
  });

  test('answers ResourceNotFoundException for a missing stage', async () => {
    // GIVEN no stage
    // WHEN a token is requested for a missing stage
    // THEN 404
    await expectServiceError(t.client.send(new CreateParticipantTokenCommand({ stageArn: missingArn('stage') })), 'ResourceNotFoundException', 404);
  });
});
