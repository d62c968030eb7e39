import { Duration } from 'aws-cdk-lib';
import { echoResource } from './fixtures/echo';
import { useSimulator } from './harness';
import { synthesize } from './index';

const t = useSimulator();

describe('what CloudFormation makes of a response', () => {
  test('a handler that never answers within its timeout fails the resource, and the rollback delete carries a made-up physical ID', async () => {
    // GIVEN a handler with a 1 s timeout that hangs
    const artifact = synthesize((stack) => { echoResource(stack, 'Stuck', { HangOn: 'Create' }, { timeout: Duration.seconds(1) }); });

    // WHEN
    const result = await t.sim.deploy(artifact);

    // THEN
    const create = result.events.find((e) => e.requestType === 'Create' && e.logicalId === 'Stuck')!;
    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(result.reason).toBe(`Stuck (Custom::Echo): CloudFormation did not receive a response from your Custom Resource. Please check your logs for requestId [${create.request!.RequestId}].`);
    expect(create.logs).toContain('Task timed out after 1.00 seconds');
    const rollbackDelete = result.events.find((e) => e.phase === 'rollback')!;
    expect(rollbackDelete.request).toEqual(expect.objectContaining({ PhysicalResourceId: expect.stringMatching(/^SimulatedStack-Stuck-[0-9A-F]{12}$/) }));
  });

  test('the context tells the handler how much of its timeout is left', async () => {
    // GIVEN a handler with a 42 s timeout that logs the remaining time
    const artifact = synthesize((stack) => { echoResource(stack, 'Echo', { Log: 'remaining-time' }, { timeout: Duration.seconds(42) }); });

    // WHEN
    const result = await t.sim.deploy(artifact);

    // THEN
    const line = result.logs.find((l) => l.startsWith('remaining '))!;
    const remaining = Number(/remaining (\d+) ms/.exec(line)![1]);
    expect(remaining).toBeGreaterThan(40_000);
    expect(remaining).toBeLessThanOrEqual(42_000);
  });

  test('a response body over 4096 bytes fails the resource', async () => {
    // GIVEN a handler whose Data makes the body too long
    const artifact = synthesize((stack) => { echoResource(stack, 'Big', { Pad: 4096 }); });

    // WHEN
    const result = await t.sim.deploy(artifact);

    // THEN
    expect(result.reason).toBe('Big (Custom::Echo): Response object is too long.');
  });

  test('a response body of just under the limit is accepted', async () => {
    // GIVEN
    const artifact = synthesize((stack) => { echoResource(stack, 'Fits', { Pad: 3500 }); });

    // WHEN
    const result = await t.sim.deploy(artifact);

    // THEN
    expect(result.success).toBe(true);
    expect(Buffer.byteLength(result.events.find((e) => e.logicalId === 'Fits')!.responseBody!)).toBeLessThanOrEqual(4096);
  });

  test('redeliver sends the same request again and leaves the stack as it is', async () => {
    // GIVEN a deployed resource
    const created = await t.sim.deploy(synthesize((stack) => { echoResource(stack, 'Echo', { Data: { V: '1' } }); }));
    const request = created.events.find((e) => e.logicalId === 'Echo')!.request!;
    const before = t.sim.resources;

    // WHEN Lambda delivers the Create a second time
    const again = await t.sim.redeliver(request);

    // THEN the handler got the identical request and answered it
    expect(again.phase).toBe('redelivery');
    expect(again.request).toBe(request);
    expect(again.status).toBe('SUCCESS');
    expect(again.response!.RequestId).toBe(request.RequestId);
    expect(t.sim.resources).toEqual(before);
  });
});
