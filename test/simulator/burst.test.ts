import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateStageCommand } from '@aws-sdk/client-ivs-realtime';
import { BurstDriver, BurstResource } from './burst';
import { SERVICE_TIMEOUT } from '../../src/custom-resources/ivs-handler-provider';
import { STAGE_RESOURCE_TYPE } from '../../src/custom-resources/stage-contract';
import { emulatorClient, IvsEmulator, startEmulator } from '../emulator';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// A budget, not an expectation: each test starts child processes and instances of the bundle,
// which outlast jest's default 5 s on a loaded machine; the orders the tests check are made by
// construction (WaitForComplete, WaitForFile, the driver's hooks), never by how long things take.
jest.setTimeout(60_000);

const ECHO = path.join(__dirname, 'fixtures', 'echo');
const ECHO_TYPE = 'Custom::Echo';
/** The physical ID aws-cdk-lib's response wrapper answers a failed create with. */
const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';

const echoes = (count: number, properties: (index: number) => Record<string, unknown> = () => ({})): BurstResource[] =>
  Array.from({ length: count }, (_, index) => ({ logicalId: `R${index}`, properties: { Describe: 'self', ...properties(index) } }));

let emu: IvsEmulator;
let driver: BurstDriver | undefined;

beforeAll(async () => {
  emu = await startEmulator();
});

beforeEach(() => emu.reset());

afterEach(async () => {
  await driver?.stop();
  driver = undefined;
});

afterAll(async () => {
  await emu.stop();
});

describe('the burst driver, with the echo fixture', () => {
  test('sends every create at once, each in an instance of its own, as CloudFormation and Lambda do', async () => {
    // GIVEN 20 resources whose creates take 300 ms
    driver = await BurstDriver.start({ emulator: emu, codeDirectory: ECHO, rateLimit: false });
    // WHEN they are created
    const report = await driver.createStack(ECHO_TYPE, echoes(20, () => ({ DelayMs: '300' })));
    // THEN all succeeded together, in 20 instances, each seeing its own create in progress
    expect(report.status).toBe('CREATE_COMPLETE');
    expect(report.events.map((e) => e.outcome)).toEqual(Array(20).fill('SUCCESS'));
    expect(report.wallTimeMs).toBeLessThan(20 * 300 / 2);
    expect(new Set(report.events.map((e) => e.instance)).size).toBe(20);
    expect(report.events.every((e) => e.logs.some((line) => line === 'seen CREATE_IN_PROGRESS -'))).toBe(true);
    expect(new Set(report.events.map((e) => e.request.RequestId)).size).toBe(20);
    expect(new Set(report.events.map((e) => e.logicalId)).size).toBe(20);
    expect(report.deployed).toHaveLength(20);
    expect(driver.cloudFormation.resource(driver.stackId, 'R7')).toEqual({
      status: 'CREATE_COMPLETE', physicalResourceId: report.deployed[7].physicalId, resourceType: ECHO_TYPE,
    });
  });

  test('requests look like CloudFormation\'s: stack ID, ServiceToken, ServiceTimeout, string properties', async () => {
    // GIVEN a driver at time scale 1
    driver = await BurstDriver.start({ emulator: emu, codeDirectory: ECHO, rateLimit: false, stackName: 'Big' });
    // WHEN one resource is created
    const report = await driver.createStack(ECHO_TYPE, [{ logicalId: 'Only', properties: { Name: 'x' } }]);
    // THEN the request is shaped as CloudFormation sends it
    const request = report.events[0].request;
    expect(request.StackId).toMatch(/^arn:aws:cloudformation:us-east-1:123456789012:stack\/Big\/[0-9a-f-]{36}$/);
    expect(request.ResourceProperties).toEqual({ ServiceToken: driver.fn.arn, ServiceTimeout: String(SERVICE_TIMEOUT.toSeconds()), Name: 'x' });
    expect(request.ResourceType).toBe(ECHO_TYPE);
  });

  test('newStack() gives later requests a new stack ID', async () => {
    // GIVEN a driver whose first stack has a resource
    driver = await BurstDriver.start({ emulator: emu, codeDirectory: ECHO, rateLimit: false });
    const first = await driver.createStack(ECHO_TYPE, echoes(1));
    // WHEN a new stack is begun and the same logical ID created in it
    const stackId = driver.newStack();
    const second = await driver.createStack(ECHO_TYPE, echoes(1));
    // THEN the requests name each their own stack, and CloudFormation holds the resource in both
    expect(second.events[0].request.StackId).toBe(stackId);
    expect(stackId).not.toBe(first.events[0].request.StackId);
    expect(driver.cloudFormation.resource(first.events[0].request.StackId, 'R0')?.status).toBe('CREATE_COMPLETE');
    expect(driver.cloudFormation.resource(stackId, 'R0')?.status).toBe('CREATE_COMPLETE');
  });

  test('deletes reuse the idle instances, as Lambda reuses warm ones', async () => {
    // GIVEN 10 created resources
    driver = await BurstDriver.start({ emulator: emu, codeDirectory: ECHO, rateLimit: false });
    const created = await driver.createStack(ECHO_TYPE, echoes(10));
    const loaded = driver.instanceCount;
    // WHEN they are deleted
    const deleted = await driver.deleteStack(ECHO_TYPE, created.deployed);
    // THEN each Delete carried its resource's physical ID and properties, and no instance was added
    expect(deleted.status).toBe('DELETE_COMPLETE');
    expect(deleted.deployed).toEqual([]);
    expect(driver.instanceCount).toBe(loaded);
    for (const [index, event] of deleted.events.entries()) {
      expect(event.request).toMatchObject({ RequestType: 'Delete', PhysicalResourceId: created.deployed[index].physicalId });
      expect(event.request.ResourceProperties).toEqual(created.events[index].request.ResourceProperties);
      expect(event.logs).toContain(`seen DELETE_IN_PROGRESS ${created.deployed[index].physicalId}`);
    }
    expect(driver.cloudFormation.resource(driver.stackId, 'R3')?.status).toBe('DELETE_COMPLETE');
  });

  test('updates every resource at once, with the old properties and the current physical ID', async () => {
    // GIVEN 5 created resources
    driver = await BurstDriver.start({ emulator: emu, codeDirectory: ECHO, rateLimit: false });
    const created = await driver.createStack(ECHO_TYPE, echoes(5));
    // WHEN each is updated to a new physical ID, but R4, whose update fails
    const updated = await driver.updateStack(ECHO_TYPE, created.deployed, (resource) => ({
      ...resource.properties, PhysicalId: `${resource.logicalId}-v2`, ...(resource.logicalId === 'R4' ? { FailOn: 'Update' } : {}),
    }));
    // THEN the requests carried both sets of properties, and CloudFormation holds the new IDs but R4's
    expect(updated.status).toBe('UPDATE_FAILED');
    expect(updated.events.map((e) => e.outcome)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'FAILED']);
    expect(updated.events[0].request).toMatchObject({
      RequestType: 'Update',
      PhysicalResourceId: created.deployed[0].physicalId,
      ResourceProperties: { PhysicalId: 'R0-v2' },
      OldResourceProperties: { Describe: 'self' },
    });
    expect(updated.events[0].logs).toContain(`seen UPDATE_IN_PROGRESS ${created.deployed[0].physicalId}`);
    expect(updated.deployed.map((r) => r.physicalId)).toEqual(['R0-v2', 'R1-v2', 'R2-v2', 'R3-v2', created.deployed[4].physicalId]);
    expect(driver.cloudFormation.resource(driver.stackId, 'R0')).toMatchObject({ status: 'UPDATE_COMPLETE', physicalResourceId: 'R0-v2' });
    expect(driver.cloudFormation.resource(driver.stackId, 'R4')).toMatchObject({ status: 'UPDATE_FAILED', physicalResourceId: created.deployed[4].physicalId });
  });

  test('a failed create cancels the creates in flight: made-up IDs, Deletes at once, their answers ignored', async () => {
    // GIVEN R0 and R1 created at once, R2 failing once they are complete, R3..R7 answering only once
    // the rollback is over: the order by construction, whatever the machine's load
    driver = await BurstDriver.start({ emulator: emu, codeDirectory: ECHO, rateLimit: false });
    const signal = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'burst-')), 'rolled-back');
    const resources = echoes(8, (index) => (index < 2 ? {} : index === 2 ? { WaitForComplete: 'R0,R1', FailOn: 'Create' } : { WaitForFile: signal }));
    // WHEN they are created
    const report = await driver.createStack(ECHO_TYPE, resources, { onRolledBack: () => fs.writeFileSync(signal, '') });
    // THEN the stack rolled back
    expect(report.status).toBe('ROLLBACK_COMPLETE');
    expect(report.deployed).toEqual([]);
    const creates = report.events.filter((e) => e.phase === 'deploy');
    const deletes = new Map(report.events.filter((e) => e.phase === 'rollback').map((e) => [e.logicalId, e]));
    expect(creates.map((e) => e.outcome)).toEqual(['SUCCESS', 'SUCCESS', 'FAILED', 'CANCELLED', 'CANCELLED', 'CANCELLED', 'CANCELLED', 'CANCELLED']);
    expect(deletes.size).toBe(8);
    // completed creates are deleted with their physical ID, the failed one with the wrapper's marker
    expect(deletes.get('R0')?.request).toMatchObject({ PhysicalResourceId: creates[0].response?.PhysicalResourceId });
    expect(deletes.get('R2')?.request).toMatchObject({ PhysicalResourceId: CREATE_FAILED_MARKER });
    for (const create of creates.slice(3)) {
      const rollbackDelete = deletes.get(create.logicalId)!;
      // a made-up ID, the Create's properties, sent while the create still ran
      expect(rollbackDelete.request).toMatchObject({ PhysicalResourceId: expect.stringMatching(new RegExp(`^Burst-${create.logicalId}-[A-Z0-9]{12}$`)) });
      expect(rollbackDelete.request.ResourceProperties).toEqual(create.request.ResourceProperties);
      expect(rollbackDelete.startedMs).toBeLessThan(create.finishedMs!);
      // the cancelled create still answered, was ignored, and saw by then that it was no longer in progress
      expect(create.response?.Status).toBe('SUCCESS');
      expect(create.logs).toContain(`seen DELETE_COMPLETE ${(rollbackDelete.request as { PhysicalResourceId: string }).PhysicalResourceId}`);
    }
    // the stack operation ended with the rollback, before the cancelled creates did
    expect(report.wallTimeMs).toBeLessThan(creates[3].finishedMs!);
    expect(report.settledMs).toBeGreaterThanOrEqual(creates[3].finishedMs!);
  });

  test('a cancelled create shows CREATE_FAILED with its made-up ID until its Delete is sent', async () => {
    // GIVEN R0 failing at once and R1 slow
    driver = await BurstDriver.start({ emulator: emu, codeDirectory: ECHO, rateLimit: false });
    const statuses: string[] = [];
    const setResource = driver.cloudFormation.setResource.bind(driver.cloudFormation);
    jest.spyOn(driver.cloudFormation, 'setResource').mockImplementation((stackId, logicalId, state) => {
      if (logicalId === 'R1') statuses.push(`${state.status} ${state.physicalResourceId ?? '-'}`);
      setResource(stackId, logicalId, state);
    });
    // WHEN they are created
    await driver.createStack(ECHO_TYPE, echoes(2, (index) => (index === 0 ? { FailOn: 'Create' } : { DelayMs: '300' })));
    // THEN R1 went from in progress to failed, then through its rollback delete
    expect(statuses).toEqual([
      'CREATE_IN_PROGRESS -',
      expect.stringMatching(/^CREATE_FAILED Burst-R1-[A-Z0-9]{12}$/),
      expect.stringMatching(/^DELETE_IN_PROGRESS Burst-R1-[A-Z0-9]{12}$/),
      'DELETE_COMPLETE -',
    ]);
  });

  test('a create that does not answer within the timeout fails, and its instance is not reused', async () => {
    // GIVEN a function timeout of 1 s and a create that hangs
    driver = await BurstDriver.start({ emulator: emu, codeDirectory: ECHO, rateLimit: false, functionTimeoutSeconds: 1, settleLimitSeconds: 1 });
    // WHEN it is created, then another resource
    const report = await driver.createStack(ECHO_TYPE, echoes(1, () => ({ HangOn: 'Create' })));
    const next = await driver.createStack(ECHO_TYPE, [{ logicalId: 'Next', properties: {} }]);
    // THEN CloudFormation failed it for want of a response, and the next create needed a new instance
    expect(report.events[0]).toMatchObject({ outcome: 'FAILED', timedOut: true });
    expect(report.events[0].reason).toMatch(/^CloudFormation did not receive a response from your Custom Resource/);
    expect(report.events[0].logs).toContain('Task timed out after 1.00 seconds');
    expect(report.settledMs).toBeUndefined();
    expect(next.events[0].instance).not.toBe(report.events[0].instance);
    expect(driver.instanceCount).toBe(3);
  });

  test('spreads the instances over its processes, and leaves its own environment alone', async () => {
    // GIVEN a driver of 3 processes
    driver = await BurstDriver.start({ emulator: emu, codeDirectory: ECHO, rateLimit: false, processes: 3 });
    // WHEN 7 resources log the process they run in
    const report = await driver.createStack(ECHO_TYPE, echoes(7, () => ({ Log: 'pid' })));
    // THEN instance i ran in process i mod 3, none of them the driver's, whose environment has no stand-in endpoint
    const pidsByProcess = new Map<number, Set<string>>();
    for (const event of report.events) {
      const pid = event.logs.find((line) => line.startsWith('pid '))!;
      pidsByProcess.set((event.instance - 1) % 3, (pidsByProcess.get((event.instance - 1) % 3) ?? new Set()).add(pid));
    }
    const pids = [...pidsByProcess.values()].flatMap((set) => [...set]);
    expect(pids).toHaveLength(3);
    expect(new Set(pids).size).toBe(3);
    expect(pids).not.toContain(`pid ${process.pid}`);
    expect(process.env.AWS_ENDPOINT_URL_CLOUDFORMATION).toBeUndefined();
  });

  test('time scale k divides the function timeout and ServiceTimeout', async () => {
    // GIVEN k = 4 on a 20 s timeout and the constructs' ServiceTimeout
    driver = await BurstDriver.start({ emulator: emu, codeDirectory: ECHO, rateLimit: false, timeScale: 4, functionTimeoutSeconds: 20 });
    // WHEN a resource logs the time its context says is left
    const report = await driver.createStack(ECHO_TYPE, [{ logicalId: 'Clock', properties: { Log: 'remaining-time' } }]);
    // THEN it had 5 s, and CloudFormation waits a quarter of the ServiceTimeout
    const remaining = Number(/remaining (\d+) ms/.exec(report.events[0].logs.join('\n'))?.[1]);
    expect(remaining).toBeLessThanOrEqual(5_000);
    expect(remaining).toBeGreaterThan(4_000);
    expect(report.events[0].request.ResourceProperties.ServiceTimeout).toBe(String(SERVICE_TIMEOUT.toSeconds() / 4));
    expect(driver.responseWaitMs).toBe(5_000);
  });
});

describe('the burst driver, with the handler bundle and the rate limit', () => {
  test('turns the emulator\'s rate limit on at k times the service\'s rates', async () => {
    // GIVEN a driver at k = 2
    driver = await BurstDriver.start({ emulator: emu, timeScale: 2 });
    const client = emulatorClient(emu, { maxAttempts: 1 });
    // WHEN 12 stages are created at once directly: held at a gate until all 12 have arrived, so
    // that they reach the rate limit together however slowly the machine sends them
    const gate = emu.hold({ operation: 'CreateStage' });
    const sent = Promise.all(Array.from({ length: 12 }, () => client.send(new CreateStageCommand({})).then(() => 200, () => 429)));
    await gate.whenHeld(12);
    gate.release();
    const statuses = await sent;
    client.destroy();
    // THEN 10 passed (2 × 5)
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
  });

  test('counts the IVS calls per resource, and creates and deletes a burst of stages', async () => {
    // GIVEN 8 stages, at the service's rate
    driver = await BurstDriver.start({ emulator: emu });
    const resources = Array.from({ length: 8 }, (_, index) => ({ logicalId: `Stage${index}`, properties: { Name: `stage-${index}` } }));
    // WHEN they are created, then deleted
    const created = await driver.createStack(STAGE_RESOURCE_TYPE, resources);
    const deleted = await driver.deleteStack(STAGE_RESOURCE_TYPE, created.deployed);
    // THEN the stages came and went, and the calls were counted from the emulator's log
    expect(created.status).toBe('CREATE_COMPLETE');
    expect(created.calls.byOperation.CreateStage['200']).toBe(8);
    expect(created.calls.total).toBe(8 + created.calls.throttled);
    expect(created.calls.perResource).toBe(created.calls.total / 8);
    expect(deleted.status).toBe('DELETE_COMPLETE');
    expect(deleted.calls.byOperation.DeleteStage['200']).toBe(8);
    expect(emu.listResources().stages).toEqual([]);
    expect(driver.unclaimedLogs).toEqual([]);
  }, 60_000);

  test('takes a create\'s answer when it is PUT, while the invocation still runs: the bundle\'s check after the answer finds it taken', async () => {
    // GIVEN 8 stages
    driver = await BurstDriver.start({ emulator: emu, rateLimit: false });
    const resources = Array.from({ length: 8 }, (_, index) => ({ logicalId: `Stage${index}`, properties: { Name: `stage-${index}` } }));
    // WHEN they are created
    const created = await driver.createStack(STAGE_RESOURCE_TYPE, resources);
    // THEN each create was judged at its answer, before its invocation ended, whose check found the answer taken
    expect(created.status).toBe('CREATE_COMPLETE');
    for (const [index, event] of created.events.entries()) {
      expect(event.decidedMs).toBeLessThanOrEqual(event.finishedMs!);
      expect(event.logs).toContain(`CloudFormation took the answer ${created.deployed[index].physicalId}`);
    }
    expect(emu.listResources().stages).toHaveLength(8);
  });
});
