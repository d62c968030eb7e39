import { AwsJsonError, AwsJsonServer } from '../simulator/aws-json-server';

/*
 * The Secrets Manager client of the handler bundle against a local Secrets Manager endpoint that
 * fails the first writes: what a write of an owned secret retries. The SDK's default strategy
 * gives up after 3 attempts and never retries a denied call.
 */

// The SDK warns once per process on Node < 22; keep test output quiet.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

type Client = typeof import('../../lambda/secrets-client');

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:stream-key-AbCdEf';
const OWNER = 'arn:aws:ivs:us-east-1:111111111111:ingest-configuration/AbCdEfGhIjKl';

/** The failures the endpoint answers before it accepts a write, in order. */
let failures: AwsJsonError[] = [];
const statuses: number[] = [];
let server: AwsJsonServer;

beforeAll(async () => {
  server = await AwsJsonServer.start({
    targetPrefix: 'secretsmanager.',
    invoke: (_operation, input) => {
      const failure = failures.shift();
      if (failure) {
        throw failure;
      }
      return { ARN: input.SecretId, Name: 'stream-key', VersionId: input.ClientRequestToken, VersionStages: ['AWSCURRENT'] };
    },
    unexpected: (message) => new AwsJsonError('InternalServiceError', message, 500),
    record: ({ status }) => statuses.push(status),
  });
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = server.endpoint;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'AKIAEMULATOREXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'secret';
});

afterAll(() => server.stop());

/**
 * The client as a fresh Lambda instance has it: created when its module loads, from the
 * environment. Loaded in each test, so that what loading does is part of the test.
 */
function givenTheClient(): Client {
  let client: Client | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    client = require('../../lambda/secrets-client');
  });
  return client!;
}

beforeEach(() => {
  statuses.length = 0;
  // No wait between the SDK's attempts, to keep the tests short.
  jest.spyOn(Math, 'random').mockReturnValue(0);
});
afterEach(() => jest.restoreAllMocks());

const write = () => givenTheClient().writeOwnedSecret(SECRET_ARN, OWNER, 'request-1', { streamKey: 'sk_us-east-1_x' });

test('a write throttled more often than the SDK\'s default 3 attempts is retried until it succeeds', async () => {
  // GIVEN
  failures = Array.from({ length: 5 }, () => new AwsJsonError('ThrottlingException', 'Rate exceeded'));

  // WHEN
  await write();

  // THEN
  expect(statuses).toEqual([400, 400, 400, 400, 400, 200]);
});

test('a write whose answer was lost is retried: its client request token makes it idempotent', async () => {
  // GIVEN
  failures = [new AwsJsonError('InternalServiceError', 'internal', 500)];

  // WHEN
  await write();

  // THEN
  expect(statuses).toEqual([500, 200]);
});

test('a write denied while the new permission propagates is retried after about a second by default', async () => {
  // GIVEN
  failures = [new AwsJsonError('AccessDeniedException', 'not authorized to perform secretsmanager:PutSecretValue')];
  const started = Date.now();

  // WHEN
  await write();

  // THEN
  expect(statuses).toEqual([400, 200]);
  expect(Date.now() - started).toBeGreaterThanOrEqual(950);
});
