import { loadFresh, useFailingFirstEndpoint } from './fresh-instance';
import { AwsJsonError } from '../simulator/aws-json-server';

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

const endpoint = useFailingFirstEndpoint({
  targetPrefix: 'secretsmanager.',
  variable: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
  answer: (_operation, input) => ({ ARN: input.SecretId, Name: 'stream-key', VersionId: input.ClientRequestToken, VersionStages: ['AWSCURRENT'] }),
  unexpected: (message) => new AwsJsonError('InternalServiceError', message, 500),
});

/** The client as a fresh Lambda instance has it. */
const givenTheClient = () => loadFresh<Client>('secrets-client');

// No wait between the SDK's attempts, to keep the tests short.
beforeEach(() => jest.spyOn(Math, 'random').mockReturnValue(0));
afterEach(() => jest.restoreAllMocks());

const write = () => givenTheClient().writeOwnedSecret(SECRET_ARN, OWNER, 'request-1', { streamKey: 'sk_us-east-1_x' });

test('a write throttled more often than the SDK\'s default 3 attempts is retried until it succeeds', async () => {
  // GIVEN
  endpoint.failures = Array.from({ length: 5 }, () => new AwsJsonError('ThrottlingException', 'Rate exceeded'));

  // WHEN
  await write();

  // THEN
  expect(endpoint.statuses).toEqual([400, 400, 400, 400, 400, 200]);
});

test('a write whose answer was lost is retried: its client request token makes it idempotent', async () => {
  // GIVEN
  endpoint.failures = [new AwsJsonError('InternalServiceError', 'internal', 500)];

  // WHEN
  await write();

  // THEN
  expect(endpoint.statuses).toEqual([500, 200]);
});

test('a write denied while the new permission propagates is retried after about a second by default', async () => {
  // GIVEN
  endpoint.failures = [new AwsJsonError('AccessDeniedException', 'not authorized to perform secretsmanager:PutSecretValue')];
  const started = Date.now();

  // WHEN
  await write();

  // THEN
  expect(endpoint.statuses).toEqual([400, 200]);
  expect(Date.now() - started).toBeGreaterThanOrEqual(950);
});
