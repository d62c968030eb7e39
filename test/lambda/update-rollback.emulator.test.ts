import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { createEvent, updateEvent } from './events';
import { pointClientsAt } from './fresh-instance';
import { STAGE_RESOURCE_TYPE as TYPE, StageResourceProperties } from '../../src/custom-resources/stage-contract';
import { useEmulator } from '../emulator/helpers';
import { CloudFormationStub } from '../simulator/cloudformation';

/*
 * An in-place update that CloudFormation rolls back while it still runs (issue 20, item 1): the
 * rollback Update, with old and new properties swapped, runs and answers while the forward
 * Update's write is held in IVS; then IVS carries the forward write out. The real stage handler,
 * through the real SDK clients, against the IVS emulator and the CloudFormation stub; the order is
 * made by holding the forward update's UpdateStage in the emulator.
 */

// The SDK warns once per process on Node < 22; keep test output quiet.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

type Handler = typeof import('../../lambda/handler');
type Response = { PhysicalResourceId: string };

const t = useEmulator();
let cloudFormation: CloudFormationStub;
let handler: Handler['handler'];

beforeAll(async () => {
  cloudFormation = await CloudFormationStub.start();
  pointClientsAt('AWS_ENDPOINT_URL_IVS_REALTIME', t.emu.endpoint, t.emu.region);
  pointClientsAt('AWS_ENDPOINT_URL_CLOUDFORMATION', cloudFormation.endpoint, t.emu.region);
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = (require('../../lambda/handler') as Handler).handler;
  });
});

afterAll(async () => {
  await cloudFormation.stop();
});

beforeEach(() => jest.spyOn(console, 'log').mockImplementation(() => {}));
afterEach(() => jest.restoreAllMocks());

/** A Lambda invocation of the handler with a minute to run. */
function invoke(event: CloudFormationCustomResourceEvent): Promise<Response> {
  const context = { getRemainingTimeInMillis: () => 60_000 } as Partial<Context> as Context;
  return handler(event, context) as Promise<Response>;
}

type Properties = Omit<StageResourceProperties, 'ServiceToken'>;
const OLD: Properties = { Name: 'lobby', Tags: { team: 'video' } };
const NEW: Properties = { Name: 'lobby-renamed', Tags: { team: 'live' } };

// Each request of CloudFormation has an ID of its own.
const forward = (arn: string) => ({ ...updateEvent<StageResourceProperties>(TYPE, arn, NEW, OLD), RequestId: 'forward-update' });
const rollback = (arn: string) => ({ ...updateEvent<StageResourceProperties>(TYPE, arn, OLD, NEW), RequestId: 'rollback-update' });

/** GIVEN a stage created by the stack, and CloudFormation updating the stack. */
async function givenCreated(): Promise<string> {
  const create = createEvent<StageResourceProperties>(TYPE, OLD);
  cloudFormation.setResource(create.StackId, create.LogicalResourceId, { status: 'CREATE_IN_PROGRESS', resourceType: TYPE });
  const { PhysicalResourceId: arn } = await invoke(create);
  cloudFormation.setResource(create.StackId, create.LogicalResourceId, { status: 'UPDATE_IN_PROGRESS', physicalResourceId: arn });
  cloudFormation.setStackStatus(create.StackId, 'UPDATE_IN_PROGRESS');
  return arn;
}

/** The stage as IVS holds it: its name and its tags but the creator tag. */
async function live(arn: string): Promise<{ name?: string; tags: Record<string, string> }> {
  const stage = t.emu.listResources().stages.find((s) => (s as { arn: string }).arn === arn) as { name?: string; tags?: Record<string, string> };
  const tags = Object.fromEntries(Object.entries(stage.tags ?? {}).filter(([key]) => !key.startsWith('cdk-ivs-realtime:')));
  return { name: stage.name, tags };
}

test('the rollback finishes while the forward update\'s write is held: the forward update puts the old properties back and fails', async () => {
  // GIVEN a forward update whose UpdateStage IVS holds
  const arn = await givenCreated();
  t.emu.injectFault({ kind: 'hold', operation: 'UpdateStage', times: 1 });
  const forwardUpdate = invoke(forward(arn));
  const held = await t.emu.nextHeld();

  // WHEN CloudFormation rolls the update back, the rollback's Update answers, and then IVS carries out the forward write
  cloudFormation.setStackStatus(forward(arn).StackId, 'UPDATE_ROLLBACK_IN_PROGRESS');
  await expect(invoke(rollback(arn))).resolves.toMatchObject({ PhysicalResourceId: arn });
  await held.release();

  // THEN the forward update undid its own write, and the stage is as CloudFormation records it
  await expect(forwardUpdate).rejects.toThrow(`CloudFormation began rolling back the stack while this update ran: its changes to ${arn} were undone`);
  expect(await live(arn)).toEqual({ name: 'lobby', tags: { team: 'video' } });
});

test('the forward update answers before the rollback begins: the rollback\'s Update puts the old properties back, and is not undone itself', async () => {
  // GIVEN a forward update that finished while the stack was still updating
  const arn = await givenCreated();
  await expect(invoke(forward(arn))).resolves.toMatchObject({ PhysicalResourceId: arn });
  expect(await live(arn)).toEqual({ name: 'lobby-renamed', tags: { team: 'live' } });

  // WHEN CloudFormation rolls the update back
  cloudFormation.setStackStatus(forward(arn).StackId, 'UPDATE_ROLLBACK_IN_PROGRESS');
  const rolledBack = invoke(rollback(arn));

  // THEN the rollback's Update succeeded and the stage has the old properties
  await expect(rolledBack).resolves.toMatchObject({ PhysicalResourceId: arn });
  expect(await live(arn)).toEqual({ name: 'lobby', tags: { team: 'video' } });
});

test('a forward update during which no rollback began keeps its changes', async () => {
  // GIVEN a stage, and a stack that keeps updating
  const arn = await givenCreated();

  // WHEN the update runs
  await expect(invoke(forward(arn))).resolves.toMatchObject({ PhysicalResourceId: arn });

  // THEN it kept what it wrote
  expect(await live(arn)).toEqual({ name: 'lobby-renamed', tags: { team: 'live' } });
});
