import { createHash, generateKeyPairSync } from 'node:crypto';
import { CreateParticipantTokenCommand, IVSRealTimeClient } from '@aws-sdk/client-ivs-realtime';
import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { handler, issueToken, readConfig, TokenRequestError } from '../../../lambda/runtime/token-issuer';
import { TOKEN_ISSUER_ENV } from '../../../src/runtime/token-issuer-contract';
import { signP384Digest } from '../../simulator/ecdsa-digest';

const ivs = mockClient(IVSRealTimeClient);
const kms = mockClient(KMSClient);
const secrets = mockClient(SecretsManagerClient);

const STAGE_ARN = 'arn:aws:ivs:us-east-1:111111111111:stage/abcdEFGH1234';
const OTHER_STAGE_ARN = 'arn:aws:ivs:us-east-1:111111111111:stage/zyxwVUTS9876';
const PUBLIC_KEY_ARN = 'arn:aws:ivs:us-east-1:111111111111:public-key/f99cde61-c2b0-4df3-8941-ca7d38acca1a';
const KMS_KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:KeyPrivateKeySecret-AbCdEf';
const EVENTS = 'wss://global.events.live-video.net';
const WHIP = 'https://1a2b3c4d5e6f.global-bm.whip.live-video.net';
const STAGES = JSON.stringify([{ arn: STAGE_ARN, events: EVENTS, whip: WHIP }]);

/** A real P-384 key pair, standing in for the one in KMS or in the secret. */
const PAIR = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
const PRIVATE_KEY_PEM = PAIR.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const KMS_ENV = {
  [TOKEN_ISSUER_ENV.SIGNING]: 'KMS',
  [TOKEN_ISSUER_ENV.STAGES]: STAGES,
  [TOKEN_ISSUER_ENV.KMS_KEY_ARN]: KMS_KEY_ARN,
  [TOKEN_ISSUER_ENV.PUBLIC_KEY_ARN]: PUBLIC_KEY_ARN,
};
const SECRET_ENV = { [TOKEN_ISSUER_ENV.SIGNING]: 'SECRET', [TOKEN_ISSUER_ENV.STAGES]: STAGES, [TOKEN_ISSUER_ENV.PRIVATE_KEY_SECRET_ARN]: SECRET_ARN };
const API_ENV = { [TOKEN_ISSUER_ENV.SIGNING]: 'API', [TOKEN_ISSUER_ENV.STAGES]: JSON.stringify([{ arn: STAGE_ARN }]) };

const ENV_NAMES = Object.values(TOKEN_ISSUER_ENV);
let logs: string[];

function useEnvironment(env: Record<string, string>): void {
  for (const name of ENV_NAMES) {
    delete process.env[name];
  }
  Object.assign(process.env, env);
}

/** KMS as it answers Sign of a digest: a DER ECDSA signature of the SHA-384 digest, made with the key pair. */
function kmsSigns(): void {
  kms.on(SignCommand).callsFake((input) => ({
    KeyId: input.KeyId,
    Signature: new Uint8Array(signP384Digest(Buffer.from(input.Message), PAIR.privateKey)),
    SigningAlgorithm: input.SigningAlgorithm,
  }));
}

beforeEach(() => {
  ivs.reset();
  kms.reset();
  secrets.reset();
  ivs.onAnyCommand().rejects(new Error('unexpected IVS call'));
  kms.onAnyCommand().rejects(new Error('unexpected KMS call'));
  secrets.onAnyCommand().rejects(new Error('unexpected Secrets Manager call'));
  logs = [];
  for (const method of ['log', 'error', 'warn', 'info'] as const) {
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => { logs.push(args.map(String).join(' ')); });
  }
});

afterEach(() => {
  jest.restoreAllMocks();
  for (const name of ENV_NAMES) {
    delete process.env[name];
  }
});

describe('signed in KMS', () => {
  test('the token is an ES384 JWT that jose verifies against the public key, with the IVS public key ARN as kid', async () => {
    // GIVEN
    useEnvironment(KMS_ENV);
    kmsSigns();

    // WHEN
    const response = await handler({ stageArn: STAGE_ARN, userId: 'alice', capabilities: ['PUBLISH', 'SUBSCRIBE'], attributes: { seat: '12' }, duration: 60 }) as any;

    // THEN
    const { payload, protectedHeader } = await jwtVerify(response.token, PAIR.publicKey, { algorithms: ['ES384'] });
    expect(protectedHeader).toEqual({ alg: 'ES384', typ: 'JWT', kid: PUBLIC_KEY_ARN });
    expect(payload).toEqual({
      exp: payload.iat! + 3600,
      iat: expect.any(Number),
      jti: response.participantId,
      resource: STAGE_ARN,
      topic: 'abcdEFGH1234',
      events_url: EVENTS,
      whip_url: WHIP,
      capabilities: { allow_publish: true, allow_subscribe: true },
      user_id: 'alice',
      attributes: { seat: '12' },
      version: '1.0',
    });
    expect(Math.abs(payload.iat! - Date.now() / 1000)).toBeLessThan(5);
    expect(response.participantId).toMatch(/^[a-zA-Z0-9]{12}$/);
    expect(response).toMatchObject({ stageArn: STAGE_ARN, userId: 'alice', capabilities: ['PUBLISH', 'SUBSCRIBE'], duration: 60 });
    expect(new Date(response.expirationTime).getTime()).toBe(payload.exp! * 1000);
  });

  test('KMS is asked to sign the SHA-384 digest of the JWS signing input with ECDSA_SHA_384, with that key', async () => {
    // GIVEN
    useEnvironment(KMS_ENV);
    kmsSigns();

    // WHEN
    const { token } = await handler({ stageArn: STAGE_ARN }) as any;

    // THEN
    const input = kms.commandCalls(SignCommand)[0].args[0].input;
    expect(input).toMatchObject({ KeyId: KMS_KEY_ARN, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_384' });
    expect(Buffer.from(input.Message!)).toEqual(createHash('sha384').update(token.split('.').slice(0, 2).join('.')).digest());
    // r||s: 96 bytes for P-384, where the DER form varies in length
    expect(Buffer.from(token.split('.')[2], 'base64url')).toHaveLength(96);
  });

  test('defaults: both capabilities and 12 hours, no user ID and no attributes', async () => {
    // GIVEN
    useEnvironment(KMS_ENV);
    kmsSigns();

    // WHEN
    const response = await handler({ stageArn: STAGE_ARN }) as any;

    // THEN
    const { payload } = await jwtVerify(response.token, PAIR.publicKey);
    expect(payload.exp! - payload.iat!).toBe(720 * 60);
    expect(payload.capabilities).toEqual({ allow_publish: true, allow_subscribe: true });
    expect(payload).not.toHaveProperty('user_id');
    expect(payload).not.toHaveProperty('attributes');
    expect(response).toMatchObject({ capabilities: ['PUBLISH', 'SUBSCRIBE'], duration: 720 });
  });

  test('a subscribe-only token does not allow publishing', async () => {
    // GIVEN
    useEnvironment(KMS_ENV);
    kmsSigns();

    // WHEN
    const { token } = await handler({ stageArn: STAGE_ARN, capabilities: ['SUBSCRIBE'] }) as any;

    // THEN
    expect((await jwtVerify(token, PAIR.publicKey)).payload.capabilities).toEqual({ allow_publish: false, allow_subscribe: true });
  });

  test('each token has a participant ID of its own', async () => {
    // GIVEN
    useEnvironment(KMS_ENV);
    kmsSigns();

    // WHEN
    const ids = await Promise.all(Array.from({ length: 20 }, async () => ((await handler({ stageArn: STAGE_ARN })) as any).participantId));

    // THEN
    expect(new Set(ids).size).toBe(20);
  });
});

describe('signed with a generated key\'s private key', () => {
  test('the token verifies against the public key, its kid the public key ARN the secret names', async () => {
    // GIVEN
    useEnvironment(SECRET_ENV);
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({
      SecretString: JSON.stringify({ publicKeyArn: PUBLIC_KEY_ARN, privateKeyPem: PRIVATE_KEY_PEM }),
    });

    // WHEN
    const response = await handler({ stageArn: STAGE_ARN, userId: 'bob' }) as any;

    // THEN
    const { payload, protectedHeader } = await jwtVerify(response.token, PAIR.publicKey, { algorithms: ['ES384'] });
    expect(protectedHeader).toEqual({ alg: 'ES384', typ: 'JWT', kid: PUBLIC_KEY_ARN });
    expect(payload).toMatchObject({ resource: STAGE_ARN, topic: 'abcdEFGH1234', user_id: 'bob', jti: response.participantId, version: '1.0' });
    expect(kms.calls()).toHaveLength(0);
  });

  test('a secret the deployment has not written yet fails without quoting it', async () => {
    // GIVEN
    useEnvironment(SECRET_ENV);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'placeholder-not-json' });

    // WHEN / THEN
    await expect(handler({ stageArn: STAGE_ARN })).rejects.toThrow('the private key secret does not hold JSON');
    expect(logs.join('\n')).not.toContain('placeholder-not-json');
  });
});

describe('from the API', () => {
  test('CreateParticipantToken is called for the stage with the request\'s fields, and its token returned', async () => {
    // GIVEN
    useEnvironment(API_ENV);
    const expirationTime = new Date('2026-12-02T01:00:00Z');
    ivs.on(CreateParticipantTokenCommand).resolves({ participantToken: { token: 'eyJ.api.token', participantId: 'p-123', expirationTime } });

    // WHEN
    const response = await handler({ stageArn: STAGE_ARN, userId: 'carol', capabilities: ['SUBSCRIBE'], attributes: { role: 'viewer' }, duration: 30 });

    // THEN
    expect(ivs).toHaveReceivedCommandWith(CreateParticipantTokenCommand, {
      stageArn: STAGE_ARN, userId: 'carol', capabilities: ['SUBSCRIBE'], attributes: { role: 'viewer' }, duration: 30,
    });
    expect(response).toEqual({
      token: 'eyJ.api.token',
      participantId: 'p-123',
      stageArn: STAGE_ARN,
      userId: 'carol',
      capabilities: ['SUBSCRIBE'],
      attributes: { role: 'viewer' },
      duration: 30,
      expirationTime: '2026-12-02T01:00:00.000Z',
    });
  });
});

describe('from the API, what it leaves out', () => {
  test('a request without user ID or attributes gets a response without them, and an expiry computed from the duration when IVS gives none', async () => {
    // GIVEN
    useEnvironment(API_ENV);
    ivs.on(CreateParticipantTokenCommand).resolves({ participantToken: { token: 'eyJ.api.token', participantId: 'p-123' } });
    const before = Date.now();

    // WHEN
    const response = await handler({ stageArn: STAGE_ARN, duration: 60 }) as any;

    // THEN
    expect(Object.keys(response).sort()).toEqual(['capabilities', 'duration', 'expirationTime', 'participantId', 'stageArn', 'token']);
    const expiry = Date.parse(response.expirationTime);
    expect(expiry).toBeGreaterThanOrEqual(before + 60 * 60_000 - 1000);
    expect(expiry).toBeLessThanOrEqual(Date.now() + 60 * 60_000);
  });

  test.each([
    ['no token', { participantId: 'p-123' }],
    ['no participant ID', { token: 'eyJ.api.token' }],
    ['no participant token at all', undefined],
  ])('a CreateParticipantToken answer with %s fails', async (_, participantToken) => {
    // GIVEN
    useEnvironment(API_ENV);
    ivs.on(CreateParticipantTokenCommand).resolves({ participantToken });

    // WHEN / THEN
    await expect(handler({ stageArn: STAGE_ARN })).rejects.toThrow('the CreateParticipantToken response has no token');
  });
});

describe('self-signed, what it leaves out', () => {
  test('a token without user ID or attributes carries neither claim, and the response neither field', async () => {
    // GIVEN
    useEnvironment(SECRET_ENV);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ publicKeyArn: PUBLIC_KEY_ARN, privateKeyPem: PRIVATE_KEY_PEM }) });

    // WHEN
    const response = await handler({ stageArn: STAGE_ARN }) as any;

    // THEN
    const { payload } = await jwtVerify(response.token, PAIR.publicKey, { algorithms: ['ES384'] });
    expect(payload).not.toHaveProperty('user_id');
    expect(payload).not.toHaveProperty('attributes');
    expect(response).not.toHaveProperty('userId');
    expect(response).not.toHaveProperty('attributes');
  });

  test('a token with attributes carries them, in the claims and in the response', async () => {
    // GIVEN
    useEnvironment(SECRET_ENV);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ publicKeyArn: PUBLIC_KEY_ARN, privateKeyPem: PRIVATE_KEY_PEM }) });

    // WHEN
    const response = await handler({ stageArn: STAGE_ARN, attributes: { role: 'viewer' } }) as any;

    // THEN
    const { payload } = await jwtVerify(response.token, PAIR.publicKey, { algorithms: ['ES384'] });
    expect(payload.attributes).toEqual({ role: 'viewer' });
    expect(response.attributes).toEqual({ role: 'viewer' });
  });

  test.each([
    ['no private key', { publicKeyArn: PUBLIC_KEY_ARN }],
    ['no public key ARN', { privateKeyPem: PRIVATE_KEY_PEM }],
  ])('a secret that holds %s fails with what to check', async (_, value) => {
    // GIVEN
    useEnvironment(SECRET_ENV);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(value) });

    // WHEN / THEN
    await expect(handler({ stageArn: STAGE_ARN })).rejects.toThrow('the private key secret holds no private key yet: is the public key deployed?');
  });

  test('a KMS Sign answer without a signature fails', async () => {
    // GIVEN
    useEnvironment(KMS_ENV);
    kms.on(SignCommand).resolves({ KeyId: KMS_KEY_ARN });

    // WHEN / THEN
    await expect(handler({ stageArn: STAGE_ARN })).rejects.toThrow('the KMS Sign response has no signature');
  });
});

describe('requests it refuses, naming the field', () => {
  test.each<[string, unknown, string]>([
    ['not an object', 'stage please', 'the request must be a JSON object with stageArn'],
    ['an unknown stage', { stageArn: OTHER_STAGE_ARN }, `stageArn must be one of the 1 stages this issuer was given, got "${OTHER_STAGE_ARN}"`],
    ['no stage', {}, 'stageArn must be one of the 1 stages this issuer was given, got undefined'],
    ['a duration under 1 minute', { stageArn: STAGE_ARN, duration: 0 }, 'duration must be a whole number of minutes from 1 to 20160 (14 days), got 0'],
    ['a duration over 14 days', { stageArn: STAGE_ARN, duration: 20161 }, 'duration must be a whole number of minutes from 1 to 20160 (14 days), got 20161'],
    ['a duration that is not whole', { stageArn: STAGE_ARN, duration: 1.5 }, 'duration must be a whole number of minutes from 1 to 20160 (14 days), got 1.5'],
    ['a user ID over 128 characters', { stageArn: STAGE_ARN, userId: 'u'.repeat(129) }, 'userId must be at most 128 characters, got 129'],
    ['a user ID of 129 emoji', { stageArn: STAGE_ARN, userId: '\u{1F3A4}'.repeat(129) }, 'userId must be at most 128 characters, got 129'],
    ['attributes over 1 KB', { stageArn: STAGE_ARN, attributes: { a: 'x'.repeat(1024) } }, 'attributes must be at most 1024 bytes of keys and values together, got 1025'],
    ['an attribute that is not a string', { stageArn: STAGE_ARN, attributes: { seat: 12 } }, 'attributes must have string values, got number for "seat"'],
    ['an unknown capability', { stageArn: STAGE_ARN, capabilities: ['PUBLISH', 'ADMIN'] }, 'capabilities must be PUBLISH or SUBSCRIBE, got "ADMIN"'],
    ['a repeated capability', { stageArn: STAGE_ARN, capabilities: ['PUBLISH', 'PUBLISH'] }, 'capabilities must not repeat a capability, got "PUBLISH", "PUBLISH"'],
    ['an unknown field', { stageArn: STAGE_ARN, userid: 'alice' }, 'unknown field "userid": the fields are stageArn, userId, capabilities, attributes, duration'],
    ['two unknown fields', { stageArn: STAGE_ARN, userid: 'alice', ttl: 5 }, 'unknown field "userid", "ttl": the fields are'],
    ['two unknown capabilities', { stageArn: STAGE_ARN, capabilities: ['ADMIN', 'OWNER'] }, 'capabilities must be PUBLISH or SUBSCRIBE, got "ADMIN", "OWNER"'],
    ['no payload at all', undefined, 'the request must be a JSON object with stageArn'],
    ['null', null, 'the request must be a JSON object with stageArn'],
    ['a list', [{ stageArn: STAGE_ARN }], 'the request must be a JSON object with stageArn'],
    ['a stage ARN that is not a string', { stageArn: 42 }, 'stageArn must be one of the 1 stages this issuer was given, got 42'],
    ['a user ID that is not a string', { stageArn: STAGE_ARN, userId: 7 }, 'userId must be a string, got number'],
    ['capabilities that are not a list', { stageArn: STAGE_ARN, capabilities: 'PUBLISH' }, 'capabilities must be a list of PUBLISH, SUBSCRIBE, got string'],
    ['attributes that are a list', { stageArn: STAGE_ARN, attributes: ['role'] }, 'attributes must be an object of string values'],
    ['attributes that are null', { stageArn: STAGE_ARN, attributes: null }, 'attributes must be an object of string values'],
    ['attributes that are a string', { stageArn: STAGE_ARN, attributes: 'role=viewer' }, 'attributes must be an object of string values'],
    ['a duration that is a string', { stageArn: STAGE_ARN, duration: '60' }, 'duration must be a whole number of minutes from 1 to 20160 (14 days), got "60"'],
    ['a long stage ARN, quoted cut to 80 characters', { stageArn: `${OTHER_STAGE_ARN}/${'x'.repeat(100)}` },
      `stageArn must be one of the 1 stages this issuer was given, got ${JSON.stringify(`${OTHER_STAGE_ARN}/${'x'.repeat(100)}`).slice(0, 77)}...`],
  ])('%s', async (_, request, message) => {
    // GIVEN
    useEnvironment(KMS_ENV);

    // WHEN / THEN
    const attempt = handler(request);
    await expect(attempt).rejects.toThrow(TokenRequestError);
    await expect(attempt).rejects.toThrow(message);
    expect(kms.calls()).toHaveLength(0);
  });

  test.each<[string, Record<string, unknown>]>([
    ['a duration of 1 minute', { duration: 1 }],
    ['a duration of 14 days', { duration: 20160 }],
    ['a user ID of 128 characters', { userId: 'u'.repeat(128) }],
    ['a user ID of 128 emoji, 256 UTF-16 units', { userId: '\u{1F3A4}'.repeat(128) }],
  ])('%s, exactly at the limit, is accepted', async (_, fields) => {
    // GIVEN
    useEnvironment(KMS_ENV);
    kmsSigns();

    // WHEN / THEN
    await expect(handler({ stageArn: STAGE_ARN, ...fields })).resolves.toMatchObject(fields);
  });

  test('a refusal of a direct invocation says by its name that it is the request\'s fault', async () => {
    // GIVEN
    useEnvironment(KMS_ENV);

    // WHEN / THEN
    await expect(handler({})).rejects.toMatchObject({ name: 'TokenRequestError' });
  });

  test('a stage ARN of 80 characters or fewer is quoted whole', async () => {
    // GIVEN an unknown ARN of exactly 78 characters, 80 quoted
    useEnvironment(KMS_ENV);
    const arn = `${OTHER_STAGE_ARN}${'x'.repeat(78 - OTHER_STAGE_ARN.length)}`;

    // WHEN / THEN
    await expect(handler({ stageArn: arn })).rejects.toThrow(`got ${JSON.stringify(arn)}`);
    expect(JSON.stringify(arn)).toHaveLength(80);
  });

  test('attributes of exactly 1 KB are accepted', async () => {
    // GIVEN
    useEnvironment(KMS_ENV);
    kmsSigns();

    // WHEN / THEN
    await expect(handler({ stageArn: STAGE_ARN, attributes: { a: 'x'.repeat(1023) } })).resolves.toHaveProperty('token');
  });
});

describe('through a function URL', () => {
  const urlEvent = (body: string, method = 'POST', isBase64Encoded = false) => ({ requestContext: { http: { method } }, body, isBase64Encoded });

  test('a POST gets the token as JSON, never cached', async () => {
    // GIVEN
    useEnvironment(KMS_ENV);
    kmsSigns();

    // WHEN
    const result = await handler(urlEvent(Buffer.from(JSON.stringify({ stageArn: STAGE_ARN })).toString('base64'), 'POST', true)) as any;

    // THEN
    expect(result.statusCode).toBe(200);
    expect(result.headers).toEqual({ 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    const { token } = JSON.parse(result.body);
    expect(decodeProtectedHeader(token).kid).toBe(PUBLIC_KEY_ARN);
  });

  test('a bad request gets 400 with the message naming the field', async () => {
    // GIVEN
    useEnvironment(KMS_ENV);

    // WHEN
    const result = await handler(urlEvent(JSON.stringify({ stageArn: STAGE_ARN, duration: 99999 }))) as any;

    // THEN
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).message).toMatch(/^duration must be a whole number of minutes/);
  });

  test('a body that is not JSON gets 400', async () => {
    // GIVEN
    useEnvironment(KMS_ENV);

    // WHEN
    const result = await handler(urlEvent('stageArn=x')) as any;

    // THEN
    expect(result).toMatchObject({ statusCode: 400, body: JSON.stringify({ message: 'the request body must be a JSON object' }) });
  });

  test('a GET gets 405', async () => {
    // GIVEN
    useEnvironment(KMS_ENV);

    // WHEN
    const result = await handler(urlEvent('', 'GET')) as any;

    // THEN
    expect(result).toEqual({
      statusCode: 405,
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
      body: JSON.stringify({ message: 'use POST with a JSON body' }),
    });
  });

  test('a base64-encoded body is decoded', async () => {
    // GIVEN
    useEnvironment(KMS_ENV);
    kmsSigns();
    const body = Buffer.from(JSON.stringify({ stageArn: STAGE_ARN, userId: 'dave' })).toString('base64');

    // WHEN
    const result = await handler(urlEvent(body, 'POST', true)) as any;

    // THEN
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ stageArn: STAGE_ARN, userId: 'dave' });
  });

  test('a POST without a body gets 400', async () => {
    // GIVEN
    useEnvironment(KMS_ENV);

    // WHEN
    const result = await handler({ requestContext: { http: { method: 'POST' } } }) as any;

    // THEN
    expect(result).toMatchObject({ statusCode: 400, body: JSON.stringify({ message: 'the request body must be a JSON object' }) });
  });

  test('a direct request that has a requestContext field but no HTTP method is not taken for a function URL request', async () => {
    // GIVEN
    useEnvironment(KMS_ENV);

    // WHEN / THEN: refused as a request, by its unknown field, rather than answered with a status
    await expect(handler({ stageArn: STAGE_ARN, requestContext: {} })).rejects.toThrow('unknown field "requestContext"');
  });

  test('a failure to sign gets 500 with a generic message, and the cause is logged', async () => {
    // GIVEN
    useEnvironment(KMS_ENV);
    kms.on(SignCommand).rejects(Object.assign(new Error('User is not authorized to perform: kms:Sign'), { name: 'AccessDeniedException' }));

    // WHEN
    const result = await handler(urlEvent(JSON.stringify({ stageArn: STAGE_ARN }))) as any;

    // THEN
    expect(result).toMatchObject({ statusCode: 500, body: JSON.stringify({ message: 'the token could not be issued' }) });
    expect(logs.join('\n')).toContain('AccessDeniedException');
    expect(logs.map((line) => JSON.parse(line))).toContainEqual(expect.objectContaining({ event: 'token-issue-failed', error: 'AccessDeniedException' }));
  });
});

describe('what it logs', () => {
  test('each issued token is logged by stage and participant ID, and no log line holds the token or the key', async () => {
    // GIVEN
    useEnvironment(SECRET_ENV);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ publicKeyArn: PUBLIC_KEY_ARN, privateKeyPem: PRIVATE_KEY_PEM }) });

    // WHEN
    const { token, participantId } = await handler({ stageArn: STAGE_ARN, userId: 'alice' }) as any;

    // THEN
    expect(logs).toHaveLength(1);
    expect(JSON.parse(logs[0])).toEqual({
      event: 'token-issued', signing: 'SECRET', stageArn: STAGE_ARN, participantId, capabilities: ['PUBLISH', 'SUBSCRIBE'], duration: 720,
    });
    const all = logs.join('\n');
    for (const part of [token, ...token.split('.'), PRIVATE_KEY_PEM, PRIVATE_KEY_PEM.split('\n')[1]]) {
      expect(all).not.toContain(part);
    }
  });
});

describe('configuration', () => {
  test.each<[string, Record<string, string>, string]>([
    ['no signing mode', { [TOKEN_ISSUER_ENV.STAGES]: STAGES }, 'TOKEN_SIGNING must be KMS, SECRET or API, got undefined'],
    ['KMS without its key', { ...KMS_ENV, [TOKEN_ISSUER_ENV.KMS_KEY_ARN]: '' }, 'the token issuer\'s environment lacks KMS_KEY_ARN for signing KMS'],
    ['SECRET without its secret', { [TOKEN_ISSUER_ENV.SIGNING]: 'SECRET', [TOKEN_ISSUER_ENV.STAGES]: STAGES }, 'lacks PRIVATE_KEY_SECRET_ARN for signing SECRET'],
    ['self-signed without endpoints', { ...KMS_ENV, [TOKEN_ISSUER_ENV.STAGES]: JSON.stringify([{ arn: STAGE_ARN }]) }, 'lacks STAGES endpoints'],
    ['no stages', { ...API_ENV, [TOKEN_ISSUER_ENV.STAGES]: '[]' }, 'lacks STAGES for signing API'],
    ['KMS without the public key ARN', { ...KMS_ENV, [TOKEN_ISSUER_ENV.PUBLIC_KEY_ARN]: '' }, 'the token issuer\'s environment lacks PUBLIC_KEY_ARN for signing KMS'],
    ['KMS without its key and the public key ARN', { ...KMS_ENV, [TOKEN_ISSUER_ENV.KMS_KEY_ARN]: '', [TOKEN_ISSUER_ENV.PUBLIC_KEY_ARN]: '' },
      'the token issuer\'s environment lacks KMS_KEY_ARN, PUBLIC_KEY_ARN for signing KMS'],
    ['a second stage without its WHIP endpoint', {
      ...KMS_ENV,
      [TOKEN_ISSUER_ENV.STAGES]: JSON.stringify([{ arn: STAGE_ARN, events: EVENTS, whip: WHIP }, { arn: OTHER_STAGE_ARN, events: EVENTS }]),
    }, 'the token issuer\'s environment lacks STAGES endpoints for signing KMS'],
  ])('%s is an error naming the variable', (_, env, message) => {
    // WHEN / THEN
    expect(() => readConfig(env)).toThrow(message);
  });

  test('issueToken works on a configuration given to it', async () => {
    // GIVEN
    const config = readConfig(API_ENV);
    ivs.on(CreateParticipantTokenCommand).resolves({ participantToken: { token: 't', participantId: 'p' } });

    // WHEN / THEN
    await expect(issueToken(config, { stageArn: STAGE_ARN })).resolves.toMatchObject({ token: 't', participantId: 'p' });
  });
});
