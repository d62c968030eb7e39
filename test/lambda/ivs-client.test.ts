import { CreateStageCommand, GetStageCommand } from '@aws-sdk/client-ivs-realtime';
import { loadFresh, pointClientsAt } from './fresh-instance';
import { useEmulator } from '../emulator/helpers';

/*
 * The two IVS clients of the handler bundle against the local IVS emulator: what each retries. The
 * SDK's default strategy gives up after 3 attempts and retries a server error on any call; these
 * clients retry a throttled call for as long as the deadline allows, and only the one for calls
 * that can be made twice retries a call whose answer was lost.
 */

type Clients = typeof import('../../lambda/ivs-client');

const t = useEmulator();

beforeAll(() => pointClientsAt('AWS_ENDPOINT_URL_IVS_REALTIME', t.emu.endpoint, t.emu.region));

/** The clients as a fresh Lambda instance has them, loaded in each test. */
const givenTheClients = () => loadFresh<Clients>('ivs-client');

// No wait between attempts, to keep the tests short.
beforeEach(() => jest.spyOn(Math, 'random').mockReturnValue(0));
afterEach(() => jest.restoreAllMocks());

/** The HTTP statuses of the emulator's answers to `operation`, in order. */
const statuses = (operation: string) => t.emu.requests.filter((request) => request.operation === operation).map((request) => request.status);

test('the client for calls that can be made twice retries a call throttled more often than the SDK\'s default 3 attempts', async () => {
  // GIVEN
  const { stage } = await t.client.send(new CreateStageCommand({ name: 'busy' }));
  t.emu.injectFault({ kind: 'throttle', operation: 'GetStage', times: 5 });

  // WHEN
  const read = await givenTheClients().ivs.send(new GetStageCommand({ arn: stage!.arn }));

  // THEN
  expect(read.stage?.arn).toBe(stage!.arn);
  expect(statuses('GetStage')).toEqual([429, 429, 429, 429, 429, 200]);
});

test('the client for calls that can be made twice retries a call whose answer was lost', async () => {
  // GIVEN
  const { stage } = await t.client.send(new CreateStageCommand({ name: 'flaky' }));
  t.emu.injectFault({ kind: 'internal', operation: 'GetStage', times: 1 });

  // WHEN
  const read = await givenTheClients().ivs.send(new GetStageCommand({ arn: stage!.arn }));

  // THEN
  expect(read.stage?.arn).toBe(stage!.arn);
  expect(statuses('GetStage')).toEqual([500, 200]);
});

test('the create client retries a create throttled more often than the SDK\'s default 3 attempts', async () => {
  // GIVEN
  t.emu.injectFault({ kind: 'throttle', operation: 'CreateStage', times: 5 });

  // WHEN
  const { stage } = await givenTheClients().ivsCreate.send(new CreateStageCommand({ name: 'busy' }));

  // THEN
  expect(stage?.arn).toBeDefined();
  expect(statuses('CreateStage')).toEqual([429, 429, 429, 429, 429, 200]);
  expect(t.emu.listResources().stages).toHaveLength(1);
});

test('the create client does not repeat a create whose answer was lost: the handler looks for what it made first', async () => {
  // GIVEN
  t.emu.injectFault({ kind: 'internal', operation: 'CreateStage', times: 1 });

  // WHEN / THEN
  await expect(givenTheClients().ivsCreate.send(new CreateStageCommand({ name: 'once' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 500 } });
  expect(statuses('CreateStage')).toEqual([500]);
});
