import { CreateStageCommand, GetStageCommand } from '@aws-sdk/client-ivs-realtime';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { createEvent, deleteEvent } from './events';
import { pointClientsAt } from './fresh-instance';
import { CREATOR_TAG_KEY } from '../../src/custom-resources/creator-tag-contract';
import { STAGE_RESOURCE_TYPE, StageResourceProperties } from '../../src/custom-resources/stage-contract';
import type { HeldRequest } from '../emulator';
import { useEmulator } from '../emulator/helpers';
import { CloudFormationStub } from '../simulator/cloudformation';

/*
 * The sequences of deliveries and commits that Lambda and IVS really produce, around the shared
 * create and delete paths: the real stage handler, through the real SDK clients, against the IVS
 * emulator and the CloudFormation stub. The order of events is made by holding requests in the
 * emulator and releasing them, never by waiting a while.
 *
 * The handler's request timeout is cut to REQUEST_TIMEOUT_MS, so that a create IVS holds is given
 * up on in a test's time; everything else is as the bundle has it.
 */

// The SDK warns once per process on Node < 22; keep test output quiet.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

type Handler = typeof import('../../lambda/handler');
type StageResponse = { PhysicalResourceId: string };

const REQUEST_TIMEOUT_MS = 300;

const t = useEmulator();
let cloudFormation: CloudFormationStub;
let handler: Handler['handler'];

const CREATE = createEvent<StageResourceProperties>(STAGE_RESOURCE_TYPE, { Name: 'town-hall' });

beforeAll(async () => {
  cloudFormation = await CloudFormationStub.start();
  pointClientsAt('AWS_ENDPOINT_URL_IVS_REALTIME', t.emu.endpoint, t.emu.region);
  pointClientsAt('AWS_ENDPOINT_URL_CLOUDFORMATION', cloudFormation.endpoint, t.emu.region);
  jest.isolateModules(() => {
    jest.doMock('../../lambda/deadline', () => {
      const actual = jest.requireActual('../../lambda/deadline');
      return { ...actual, REQUEST_HANDLER: { ...actual.REQUEST_HANDLER, requestTimeout: REQUEST_TIMEOUT_MS } };
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = (require('../../lambda/handler') as Handler).handler;
  });
});

afterAll(() => cloudFormation.stop());

beforeEach(() => {
  // CloudFormation waits for the create's answer.
  cloudFormation.setResource(CREATE.StackId, CREATE.LogicalResourceId, { status: 'CREATE_IN_PROGRESS', resourceType: STAGE_RESOURCE_TYPE });
  jest.spyOn(console, 'log').mockImplementation(() => {});
});
afterEach(() => jest.restoreAllMocks());

/** A Lambda invocation of the handler with a minute to run. */
function invoke(event: CloudFormationCustomResourceEvent): Promise<StageResponse> {
  const context = { getRemainingTimeInMillis: () => 60_000 } as Partial<Context> as Context;
  return handler(event, context) as Promise<StageResponse>;
}

/** CloudFormation got `arn` as the create's answer. */
function cloudFormationReceived(arn: string): void {
  cloudFormation.setResource(CREATE.StackId, CREATE.LogicalResourceId, { status: 'CREATE_COMPLETE', physicalResourceId: arn });
}

const stageArns = () => t.emu.listResources().stages.map((stage) => (stage as { arn: string }).arn);

describe('the same Create delivered twice (Lambda delivers at least once)', () => {
  test('delivered again after the first delivery answered: one stage, and both deliveries answer its ARN', async () => {
    // GIVEN the first delivery answered, and CloudFormation has its ARN
    const first = await invoke(CREATE);
    cloudFormationReceived(first.PhysicalResourceId);

    // WHEN the same request is delivered again
    const second = await invoke(CREATE);

    // THEN
    expect(second.PhysicalResourceId).toBe(first.PhysicalResourceId);
    expect(stageArns()).toEqual([first.PhysicalResourceId]);
  });

  test('delivered again after the first delivery\'s answer never reached CloudFormation (a minute later, as Lambda retries): one stage, and both answer its ARN', async () => {
    // GIVEN the first delivery made a stage, but its response PUT failed: CloudFormation still waits,
    // since a minute before the retry starts
    cloudFormation.setResource(CREATE.StackId, CREATE.LogicalResourceId, {
      status: 'CREATE_IN_PROGRESS', lastUpdated: new Date(Date.now() - 60_000),
    });
    const first = await invoke(CREATE);

    // WHEN Lambda runs the same request again
    const second = await invoke(CREATE);

    // THEN
    expect(second.PhysicalResourceId).toBe(first.PhysicalResourceId);
    expect(stageArns()).toEqual([first.PhysicalResourceId]);
  });

  test('delivered twice at once, the second\'s create landing after the first answered: one stage, and both answer its ARN', async () => {
    // GIVEN the second delivery's create held in IVS
    t.emu.injectFault({ kind: 'hold', operation: 'CreateStage', times: 1 });
    const secondDelivery = invoke(CREATE);
    const held = await t.emu.nextHeld();

    // WHEN the first delivery runs and answers, and then IVS carries out the second's create
    const first = await invoke(CREATE);
    cloudFormationReceived(first.PhysicalResourceId);
    await held.release();
    const second = await secondDelivery;

    // THEN
    expect(second.PhysicalResourceId).toBe(first.PhysicalResourceId);
    expect(stageArns()).toEqual([first.PhysicalResourceId]);
  });
});

describe('a create that IVS carries out after the handler gave up on it (cut at the request timeout)', () => {
  /** Starts a create whose first CreateStage IVS holds, and returns it and that held request once the handler gave up on it. */
  async function createWithFirstCallHeld(): Promise<{ created: Promise<StageResponse>; late: HeldRequest }> {
    t.emu.injectFault({ kind: 'hold', operation: 'CreateStage', times: 1 });
    const created = invoke(CREATE);
    const late = await t.emu.nextHeld();
    return { created, late };
  }

  test('carried out before the handler looks for it: the handler finds it and answers it, no second stage', async () => {
    // GIVEN the first CreateStage held, and the look that follows it held too
    const { created, late } = await createWithFirstCallHeld();
    t.emu.injectFault({ kind: 'hold', operation: 'ListStages', times: 1 });
    const look = await t.emu.nextHeld();

    // WHEN IVS carries out the create before the look
    await late.release();
    await look.release();

    // THEN
    const { PhysicalResourceId: arn } = await created;
    expect(stageArns()).toEqual([arn]);
    expect(t.emu.requests.filter((request) => request.operation === 'CreateStage')).toHaveLength(1);
  });

  test('carried out between the look and the retry: one stage is left, the one answered', async () => {
    // GIVEN the first CreateStage held; the look finds nothing; the retry held
    const { created, late } = await createWithFirstCallHeld();
    t.emu.injectFault({ kind: 'hold', operation: 'CreateStage', times: 1 });
    const retry = await t.emu.nextHeld();

    // WHEN IVS carries out the first create, then the retry
    await late.release();
    await retry.release();

    // THEN
    const { PhysicalResourceId: arn } = await created;
    expect(stageArns()).toEqual([arn]);
  });

  test('carried out after the retry answered, before the create returns: one stage is left, the one answered', async () => {
    // GIVEN the first CreateStage held, the look and the retry through, and the look after the retry held
    const { created, late } = await createWithFirstCallHeld();
    const retried = new Promise<void>((resolve) => {
      const poll = () => (t.emu.requests.filter((request) => request.operation === 'CreateStage' && request.status === 200).length > 0
        ? resolve() : setImmediate(poll));
      poll();
    });
    await retried;
    t.emu.injectFault({ kind: 'hold', operation: 'ListStages', times: 1 });
    const settled = await Promise.race([created.then(() => undefined), t.emu.nextHeld()]);

    // WHEN IVS carries out the first create now
    await late.release();
    await settled?.release();

    // THEN
    const { PhysicalResourceId: arn } = await created;
    expect(stageArns()).toEqual([arn]);
  });

  test('carried out after the create returned: the delete of the logical resource leaves no stage', async () => {
    // GIVEN a create that returned while IVS still held its first call, which it then carries out
    const { created, late } = await createWithFirstCallHeld();
    const { PhysicalResourceId: arn } = await created;
    cloudFormationReceived(arn);
    await late.release();
    expect(stageArns()).toHaveLength(2);

    // WHEN the stack deletes the logical resource
    cloudFormation.setResource(CREATE.StackId, CREATE.LogicalResourceId, { status: 'DELETE_IN_PROGRESS' });
    await invoke(deleteEvent<StageResourceProperties>(STAGE_RESOURCE_TYPE, arn, { Name: 'town-hall' }));

    // THEN
    expect(stageArns()).toEqual([]);
  });
});

describe('an adoption (AdoptArn): the events around it that a deploy does not show', () => {
  /** A Create of this file's logical resource, in a stack of the emulator's account, adopting `arn`. */
  const adopting = (arn: string): CloudFormationCustomResourceEvent => ({
    ...createEvent<StageResourceProperties>(STAGE_RESOURCE_TYPE, { AdoptArn: arn, Tags: { team: 'video' } }),
    StackId: `arn:aws:cloudformation:${t.emu.region}:${t.emu.accountId}:stack/TestStack/5b918d10-cd98-11ea-90d5-0a9cd3354c10`,
  });

  async function existingStage(): Promise<string> {
    const { stage } = await t.client.send(new CreateStageCommand({ name: 'from-the-console' }));
    return stage!.arn!;
  }

  test('the same Create delivered twice adopts the stage once: the second delivery finds it its own and answers it', async () => {
    // GIVEN the first delivery adopted the stage
    const arn = await existingStage();
    const first = await invoke(adopting(arn));

    // WHEN the same request is delivered again
    const second = await invoke(adopting(arn));

    // THEN
    expect(second.PhysicalResourceId).toBe(first.PhysicalResourceId);
    expect(stageArns()).toEqual([arn]);
    expect(Object.keys((await t.client.send(new GetStageCommand({ arn }))).stage!.tags!).sort()).toEqual([CREATOR_TAG_KEY, 'team']);
  });

  test('the Delete of an adoption whose answer never reached CloudFormation releases the stage, and deletes nothing', async () => {
    // GIVEN the adoption got as far as the creator tag, but CloudFormation took the create as failed
    const arn = await existingStage();
    const create = adopting(arn);
    await invoke(create);

    // WHEN its Delete comes with the failed create's physical ID
    await invoke({ ...create, RequestType: 'Delete', PhysicalResourceId: 'cdk-ivs-realtime::CREATE_FAILED' } as CloudFormationCustomResourceEvent);

    // THEN the stage is there, without the creator tag; nothing was deleted or searched for
    expect(stageArns()).toEqual([arn]);
    expect((await t.client.send(new GetStageCommand({ arn }))).stage!.tags).toEqual({ team: 'video' });
    expect(t.emu.requests.map((r) => r.operation)).not.toContain('DeleteStage');
    expect(t.emu.requests.map((r) => r.operation)).not.toContain('ListStages');
  });
});
