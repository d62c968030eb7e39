import { createServer, request as httpRequest, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEvent } from './events';
import { loadFresh, pointClientsAt } from './fresh-instance';
import { STAGE_RESOURCE_TYPE } from '../../src/custom-resources/stage-contract';
import { CloudFormationStub } from '../simulator/cloudformation';

/*
 * The CloudFormation client of the shared create path against the simulator's CloudFormation stub,
 * behind a proxy that fails the first calls: the check that a create is still wanted is retried
 * as the handler's IVS reads are, past the SDK's default 3 attempts and after a lost answer.
 */

// The SDK warns once per process on Node < 22; keep test output quiet.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

type Ownership = typeof import('../../lambda/ownership');

const CREATE = createEvent(STAGE_RESOURCE_TYPE, { Name: 'town-hall' });
const ARN = 'arn:aws:ivs:us-east-1:111111111111:stage/AbCdEfGh1234';

/** The statuses the proxy answers before it passes a request on, in order. */
let failures: Array<{ status: number; code: string }> = [];
const statuses: number[] = [];
let cloudFormation: CloudFormationStub;
let proxy: Server;

beforeAll(async () => {
  cloudFormation = await CloudFormationStub.start();
  cloudFormation.setResource(CREATE.StackId, CREATE.LogicalResourceId, { status: 'CREATE_IN_PROGRESS' });
  const target = new URL(cloudFormation.endpoint);
  proxy = createServer((req, res) => {
    const failure = failures.shift();
    if (failure) {
      statuses.push(failure.status);
      req.resume();
      const body = `<ErrorResponse><Error><Type>${failure.status < 500 ? 'Sender' : 'Receiver'}</Type><Code>${failure.code}</Code>`
        + `<Message>${failure.code}</Message></Error><RequestId>r</RequestId></ErrorResponse>`;
      res.writeHead(failure.status, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    const forwarded = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      statuses.push(answer.statusCode ?? 0);
      res.writeHead(answer.statusCode ?? 500, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
  pointClientsAt('AWS_ENDPOINT_URL_CLOUDFORMATION', `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    proxy.close(() => resolve());
    proxy.closeAllConnections();
  });
  await cloudFormation.stop();
});

beforeEach(() => {
  statuses.length = 0;
  // No wait between the SDK's attempts, to keep the tests short.
  jest.spyOn(Math, 'random').mockReturnValue(0);
});
afterEach(() => jest.restoreAllMocks());

/** The shared create path as a fresh Lambda instance has it: its client is created when its module loads. */
const givenOwnership = () => loadFresh<Ownership>('ownership');

/** A resource type whose create makes one stage and which nothing deletes. */
function stages() {
  const removed: string[] = [];
  return {
    removed,
    type: {
      resource: 'stage',
      get: async () => undefined,
      list: async function* () { yield []; },
      remove: async (arn: string) => removed.push(arn),
    },
  };
}

test('a check throttled more often than the SDK\'s default 3 attempts is retried, and the create kept', async () => {
  // GIVEN
  failures = Array.from({ length: 5 }, () => ({ status: 400, code: 'Throttling' }));
  const { type, removed } = stages();

  // WHEN
  const made = await givenOwnership().createOwned(CREATE, type, 'town-hall', async () => ({ arn: ARN }));

  // THEN
  expect(made.arn).toBe(ARN);
  expect(statuses).toEqual([400, 400, 400, 400, 400, 200]);
  expect(removed).toEqual([]);
});

test('a check whose answer was lost is retried, and the create kept', async () => {
  // GIVEN
  failures = [{ status: 500, code: 'InternalFailure' }];
  const { type, removed } = stages();

  // WHEN
  const made = await givenOwnership().createOwned(CREATE, type, 'town-hall', async () => ({ arn: ARN }));

  // THEN
  expect(made.arn).toBe(ARN);
  expect(statuses).toEqual([500, 200]);
  expect(removed).toEqual([]);
});
