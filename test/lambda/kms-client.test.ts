import { GetPublicKeyCommand } from '@aws-sdk/client-kms';
import { loadFresh, useFailingFirstEndpoint } from './fresh-instance';
import { AwsJsonError } from '../simulator/aws-json-server';

/*
 * The KMS client of the handler bundle against a local KMS endpoint that fails the first calls:
 * what it retries. The SDK's default strategy gives up after 3 attempts; this client retries a
 * throttled call for as long as the deadline allows, and a read whose answer was lost.
 */

// The SDK warns once per process on Node < 22; keep test output quiet.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

type Client = typeof import('../../lambda/kms-client');

const KEY_ID = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const endpoint = useFailingFirstEndpoint({
  targetPrefix: 'TrentService.',
  variable: 'AWS_ENDPOINT_URL_KMS',
  answer: () => ({ KeyId: KEY_ID, KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY', PublicKey: Buffer.from('public half').toString('base64') }),
  unexpected: (message) => new AwsJsonError('KMSInternalException', message, 500),
});

/** The client as a fresh Lambda instance has it. */
const givenTheClient = () => loadFresh<Client>('kms-client');

// No wait between attempts, to keep the tests short.
beforeEach(() => jest.spyOn(Math, 'random').mockReturnValue(0));
afterEach(() => jest.restoreAllMocks());

test('a read throttled more often than the SDK\'s default 3 attempts is retried until it succeeds', async () => {
  // GIVEN
  endpoint.failures = Array.from({ length: 5 }, () => new AwsJsonError('ThrottlingException', 'Rate exceeded'));

  // WHEN
  const { KeyId } = await givenTheClient().kms.send(new GetPublicKeyCommand({ KeyId: KEY_ID }));

  // THEN
  expect(KeyId).toBe(KEY_ID);
  expect(endpoint.statuses).toEqual([400, 400, 400, 400, 400, 200]);
});

test('a read whose answer was lost is retried', async () => {
  // GIVEN
  endpoint.failures = [new AwsJsonError('KMSInternalException', 'internal', 500)];

  // WHEN
  const { KeyId } = await givenTheClient().kms.send(new GetPublicKeyCommand({ KeyId: KEY_ID }));

  // THEN
  expect(KeyId).toBe(KEY_ID);
  expect(endpoint.statuses).toEqual([500, 200]);
});
