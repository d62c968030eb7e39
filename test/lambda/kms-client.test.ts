import { GetPublicKeyCommand } from '@aws-sdk/client-kms';
import { AwsJsonError, AwsJsonServer } from '../simulator/aws-json-server';

/*
 * The KMS client of the handler bundle against a local KMS endpoint that fails the first calls:
 * what it retries. The SDK's default strategy gives up after 3 attempts; this client retries a
 * throttled call for as long as the deadline allows, and a read whose answer was lost.
 */

// The SDK warns once per process on Node < 22; keep test output quiet.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

type Client = typeof import('../../lambda/kms-client');

const KEY_ID = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** The failures the endpoint answers before it answers GetPublicKey, in order. */
let failures: AwsJsonError[] = [];
const statuses: number[] = [];
let server: AwsJsonServer;

beforeAll(async () => {
  server = await AwsJsonServer.start({
    targetPrefix: 'TrentService.',
    invoke: () => {
      const failure = failures.shift();
      if (failure) {
        throw failure;
      }
      return { KeyId: KEY_ID, KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY', PublicKey: Buffer.from('public half').toString('base64') };
    },
    unexpected: (message) => new AwsJsonError('KMSInternalException', message, 500),
    record: ({ status }) => statuses.push(status),
  });
  process.env.AWS_ENDPOINT_URL_KMS = server.endpoint;
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
    client = require('../../lambda/kms-client');
  });
  return client!;
}

beforeEach(() => {
  statuses.length = 0;
  // No wait between attempts, to keep the tests short.
  jest.spyOn(Math, 'random').mockReturnValue(0);
});
afterEach(() => jest.restoreAllMocks());

test('a read throttled more often than the SDK\'s default 3 attempts is retried until it succeeds', async () => {
  // GIVEN
  failures = Array.from({ length: 5 }, () => new AwsJsonError('ThrottlingException', 'Rate exceeded'));

  // WHEN
  const { KeyId } = await givenTheClient().kms.send(new GetPublicKeyCommand({ KeyId: KEY_ID }));

  // THEN
  expect(KeyId).toBe(KEY_ID);
  expect(statuses).toEqual([400, 400, 400, 400, 400, 200]);
});

test('a read whose answer was lost is retried', async () => {
  // GIVEN
  failures = [new AwsJsonError('KMSInternalException', 'internal', 500)];

  // WHEN
  const { KeyId } = await givenTheClient().kms.send(new GetPublicKeyCommand({ KeyId: KEY_ID }));

  // THEN
  expect(KeyId).toBe(KEY_ID);
  expect(statuses).toEqual([500, 200]);
});
