import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateStorageConfigurationCommand } from '@aws-sdk/client-ivs-realtime';
import { ROOMS_ID, stagesOf, useRooms } from './rooms-harness';
import { ROOMS_ENV, ROOMS_TAG_KEY, RoomJoinResponse } from '../../../src/runtime/stage-rooms-contract';

/*
 * The join function of StageRooms against real parts: the IVS emulator, dynalite and the KMS
 * stand-in. Tokens are verified with jose against the public key IVS holds, and used to join.
 */

const t = useRooms();

const join = (request: object) => t.join.handler(request) as Promise<RoomJoinResponse>;

async function itemsOf() {
  return (await t.db.client.send(new ScanCommand({ TableName: t.tableName, ConsistentRead: true }))).Items ?? [];
}

/** A request through the HTTP API, whose JWT authorizer verified a token with these claims. */
function browserEvent(body: object, claims?: Record<string, unknown>) {
  return {
    version: '2.0',
    routeKey: 'POST /join',
    requestContext: { http: { method: 'POST' }, ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}) },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

describe('the first join of a room', () => {
  test('creates the room\'s stage, named from the room key and tagged with the rooms tag and the user\'s tags', async () => {
    // WHEN
    const response = await join({ roomKey: 'maths-101', userId: 'alice' });

    // THEN
    expect(response.created).toBe(true);
    expect(stagesOf(t)).toEqual([expect.objectContaining({
      arn: response.stageArn,
      name: 'room-maths-101',
      tags: { app: 'classes', [ROOMS_TAG_KEY]: `${ROOMS_ID}/maths-101` },
    })]);
  });

  test('answers with a token that jose verifies against the public key IVS holds, and that the stage accepts', async () => {
    // WHEN
    const response = await join({ roomKey: 'maths-101', userId: 'alice', capabilities: ['PUBLISH'], attributes: { seat: '3' }, duration: 30 });

    // THEN
    const payload = await t.verify(response.token);
    expect(payload).toMatchObject({ resource: response.stageArn, user_id: 'alice', attributes: { seat: '3' }, jti: response.participantId });
    expect(t.emu.joinStage(response.token, response.stageArn)).toMatchObject({ userId: 'alice', capabilities: ['PUBLISH'], publicKeyArn: t.publicKeyArn });
    expect(response).toMatchObject({ roomKey: 'maths-101', userId: 'alice', capabilities: ['PUBLISH'], duration: 30 });
    expect(response.eventsEndpoint).toBe(payload.events_url);
    expect(response.whipEndpoint).toBe(payload.whip_url);
  });

  test('records the room in the table: its stage, its endpoints and the time of the join', async () => {
    // WHEN
    const before = Date.now();
    const response = await join({ roomKey: 'maths-101' });

    // THEN
    const { Item } = await t.db.client.send(new GetItemCommand({ TableName: t.tableName, Key: { roomKey: { S: 'maths-101' } } }));
    expect(Item).toMatchObject({
      state: { S: 'ACTIVE' },
      stageArn: { S: response.stageArn },
      eventsEndpoint: { S: response.eventsEndpoint },
      whipEndpoint: { S: response.whipEndpoint },
    });
    expect(Number(Item!.lastJoinAt.N)).toBeGreaterThanOrEqual(before);
  });

  test('gives the stage the construct\'s participant recording', async () => {
    // GIVEN
    t.emu.registerBucket('recordings');
    const { storageConfiguration } = await t.client.send(new CreateStorageConfigurationCommand({ s3: { bucketName: 'recordings' } }));
    process.env[ROOMS_ENV.STAGE_RECORDING] = JSON.stringify({
      StorageConfigurationArn: storageConfiguration!.arn,
      MediaTypes: ['AUDIO_ONLY'],
      ThumbnailConfiguration: { RecordingMode: 'DISABLED' },
      RecordingReconnectWindowSeconds: '30',
      HlsTargetSegmentDurationSeconds: '6',
      RecordParticipantReplicas: 'true',
    });

    try {
      // WHEN
      await join({ roomKey: 'recorded' });

      // THEN
      expect((stagesOf(t)[0] as any).autoParticipantRecordingConfiguration).toMatchObject({
        storageConfigurationArn: storageConfiguration!.arn, mediaTypes: ['AUDIO_ONLY'], recordingReconnectWindowSeconds: 30,
      });
    } finally {
      delete process.env[ROOMS_ENV.STAGE_RECORDING];
    }
  });
});

describe('a join to a room that has a stage', () => {
  test('makes no IVS call: the stage comes from the table, and the token is signed in KMS', async () => {
    // GIVEN
    const first = await join({ roomKey: 'maths-101', userId: 'alice' });
    t.emu.clearRequests();
    const kmsBefore = t.kms.requests.length;

    // WHEN
    const second = await join({ roomKey: 'maths-101', userId: 'bob' });

    // THEN
    expect(t.emu.requests).toEqual([]);
    expect(t.kms.requests.slice(kmsBefore).map((r) => r.operation)).toEqual(['Sign']);
    expect(second).toMatchObject({ stageArn: first.stageArn, created: false, userId: 'bob' });
    expect(t.emu.joinStage(second.token, first.stageArn).userId).toBe('bob');
  });

  test('twenty joins at once to a new room make one stage, and every token is for it', async () => {
    // WHEN
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => join({ roomKey: 'busy', userId: `u${i}` })));

    // THEN
    expect(stagesOf(t)).toHaveLength(1);
    expect(new Set(responses.map((r) => r.stageArn))).toEqual(new Set([stagesOf(t)[0].arn]));
    expect(responses.filter((r) => r.created)).toHaveLength(1);
  });
});

describe('bad input is refused, field by field, and leaves nothing behind', () => {
  test.each([
    ['no roomKey', { userId: 'alice' }, 'roomKey must be 1 to 100 letters, digits, hyphens and underscores, got undefined'],
    ['a roomKey with a space', { roomKey: 'maths 101' }, 'roomKey must be 1 to 100 letters, digits, hyphens and underscores, got "maths 101"'],
    ['a roomKey of 101 characters', { roomKey: 'x'.repeat(101) }, /^roomKey must be 1 to 100 letters/],
    ['a stageArn', { roomKey: 'r', stageArn: 'arn:aws:ivs:us-east-1:123456789012:stage/abc' }, 'unknown field "stageArn": the fields are roomKey, userId, capabilities, attributes, duration'],
    ['an unknown capability', { roomKey: 'r', capabilities: ['ADMIN'] }, 'capabilities must be PUBLISH or SUBSCRIBE, got "ADMIN"'],
    ['attributes over 1 KB', { roomKey: 'r', attributes: { bio: 'x'.repeat(1100) } }, 'attributes must be at most 1024 bytes of keys and values together, got 1103'],
    ['a duration of 0', { roomKey: 'r', duration: 0 }, /^duration must be a whole number of minutes from 1 to 20160/],
    ['a userId of 129 characters', { roomKey: 'r', userId: 'u'.repeat(129) }, 'userId must be at most 128 characters, got 129'],
  ])('%s', async (_label, request, message) => {
    // WHEN
    const error = await join(request).catch((e: Error) => e);

    // THEN
    expect(error).toMatchObject({ name: 'TokenRequestError' });
    expect((error as Error).message).toMatch(message);
    expect(t.emu.requests).toEqual([]);
    expect(await itemsOf()).toEqual([]);
  });
});

describe('a region at its stage quota', () => {
  test('the join fails with an error naming the quota, and the room gets no stage and no item', async () => {
    // GIVEN
    t.emu.setQuotas({ stages: 0 });

    // WHEN
    const error = await join({ roomKey: 'maths-101' }).catch((e: Error) => e);

    // THEN
    expect(error).toMatchObject({ name: 'RoomUnavailableError' });
    expect((error as Error).message).toMatch(/region is at its IVS stage quota \('Stages', 1,000 per Region by default/);
    expect(stagesOf(t)).toEqual([]);
    expect(await itemsOf()).toEqual([]);
  });

  test('through HTTP the answer is 503 with that message', async () => {
    // GIVEN
    t.emu.setQuotas({ stages: 0 });

    // WHEN
    const result = await t.join.handler(browserEvent({ roomKey: 'maths-101' }, { sub: 'user-1' })) as any;

    // THEN
    expect(result.statusCode).toBe(503);
    expect(JSON.parse(result.body).message).toMatch(/stage quota/);
  });
});

describe('a join whose CreateStage answer is lost (the stage made, the join failed)', () => {
  test('fails, releases its claim, and leaves a stage the janitor finds by its rooms tag', async () => {
    // GIVEN
    t.emu.injectFault({ kind: 'afterCommit', lose: 'internal', operation: 'CreateStage', times: 1 });

    // WHEN
    const error = await join({ roomKey: 'maths-101' }).catch((e: Error) => e);

    // THEN
    expect(error).toBeInstanceOf(Error);
    expect(await itemsOf()).toEqual([]);
    expect(stagesOf(t).map((s) => s.tags[ROOMS_TAG_KEY])).toEqual([`${ROOMS_ID}/maths-101`]);
    const report = await t.janitor.sweep(t.janitor.readJanitorConfig(process.env));
    expect(report.orphanStagesDeleted).toEqual(['maths-101']);
    expect(stagesOf(t)).toEqual([]);
  });
});

describe('from a browser, through the HTTP API', () => {
  test('the user ID is the verified token\'s subject, and a userId in the body is ignored', async () => {
    // WHEN
    const result = await t.join.handler(browserEvent({ roomKey: 'maths-101', userId: 'mallory' }, { 'sub': 'user-1', 'cognito:groups': '[students]' })) as any;

    // THEN
    expect(result.statusCode).toBe(200);
    const body = JSON.parse(result.body);
    expect(body.userId).toBe('user-1');
    expect((await t.verify(body.token)).user_id).toBe('user-1');
  });

  test('capabilities follow the policy: subscribe only, whatever the body asks for', async () => {
    // WHEN
    const result = await t.join.handler(browserEvent({ roomKey: 'maths-101', capabilities: ['PUBLISH', 'SUBSCRIBE'] }, { sub: 'user-1' })) as any;

    // THEN
    const body = JSON.parse(result.body);
    expect(body.capabilities).toEqual(['SUBSCRIBE']);
    expect((await t.verify(body.token)).capabilities).toEqual({ allow_publish: false, allow_subscribe: true });
  });

  test.each([['[host]'], ['[students host]'], ['host']])('a user whose cognito:groups claim is %s may publish', async (groups) => {
    // WHEN
    const result = await t.join.handler(browserEvent({ roomKey: 'maths-101' }, { 'sub': 'teacher-1', 'cognito:groups': groups })) as any;

    // THEN
    expect(JSON.parse(result.body).capabilities).toEqual(['PUBLISH', 'SUBSCRIBE']);
  });

  test('a request without the authorizer\'s claims is refused with 401, and nothing is made', async () => {
    // WHEN
    const result = await t.join.handler(browserEvent({ roomKey: 'maths-101', userId: 'mallory' })) as any;

    // THEN
    expect(result.statusCode).toBe(401);
    expect(stagesOf(t)).toEqual([]);
    expect(await itemsOf()).toEqual([]);
  });

  test('claims without a subject are refused with 401', async () => {
    // WHEN
    const result = await t.join.handler(browserEvent({ roomKey: 'maths-101' }, { 'cognito:groups': '[host]' })) as any;

    // THEN
    expect(result.statusCode).toBe(401);
  });

  test('a bad room key is a 400 naming the field', async () => {
    // WHEN
    const result = await t.join.handler(browserEvent({ roomKey: '../etc' }, { sub: 'user-1' })) as any;

    // THEN
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).message).toMatch(/^roomKey must be/);
  });
});

describe('from a backend, through the IAM-authorized function URL', () => {
  test('the body\'s userId and capabilities count', async () => {
    // WHEN
    const result = await t.join.handler({
      requestContext: { http: { method: 'POST' }, authorizer: { iam: { userArn: 'arn:aws:iam::123456789012:role/backend' } } },
      body: JSON.stringify({ roomKey: 'maths-101', userId: 'alice', capabilities: ['PUBLISH'] }),
    }) as any;

    // THEN
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ userId: 'alice', capabilities: ['PUBLISH'] });
  });
});
