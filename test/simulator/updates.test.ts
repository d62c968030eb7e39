import { RemovalPolicy } from 'aws-cdk-lib';
import { echoResource } from './fixtures/echo';
import { useSimulator } from './harness';
import { LifecycleEvent, synthesize } from './index';

const t = useSimulator();

const requests = (events: readonly LifecycleEvent[]) =>
  events.filter((e) => e.request).map((e) => `${e.phase} ${e.requestType} ${e.logicalId} ${e.request!.RequestType === 'Create' ? '' : (e.request as { PhysicalResourceId: string }).PhysicalResourceId}`.trim());

describe('replacement', () => {
  test('a new physical ID on Update replaces the resource: the old one is deleted after the whole update, with its old properties', async () => {
    // GIVEN A, and B reading A's ID
    const define = (id: string) => synthesize((stack) => {
      const a = echoResource(stack, 'A', { PhysicalId: id });
      echoResource(stack, 'B', { FromA: a.ref });
    });
    await t.sim.deploy(define('a-1'));

    // WHEN A answers an Update with a new ID
    const result = await t.sim.deploy(define('a-2'));

    // THEN B moves to the new A, and only then is the old A deleted
    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(requests(result.events)).toEqual(['deploy Update A a-1', `deploy Update B ${t.sim.resources.B.physicalId}`, 'cleanup Delete A a-1']);
    const cleanup = result.events.find((e) => e.phase === 'cleanup')!.request!;
    expect(cleanup.ResourceProperties.PhysicalId).toBe('a-1');
    expect(t.sim.resources.A.physicalId).toBe('a-2');
    expect(t.sim.resources.B.properties.FromA).toBe('a-2');
  });

  test('UpdateReplacePolicy Retain keeps the old resource: no Delete is sent', async () => {
    // GIVEN
    const define = (id: string) => synthesize((stack) => {
      echoResource(stack, 'A', { PhysicalId: id }, { removalPolicy: RemovalPolicy.RETAIN });
    });
    await t.sim.deploy(define('a-1'));

    // WHEN
    const result = await t.sim.deploy(define('a-2'));

    // THEN
    expect(requests(result.events)).toEqual(['deploy Update A a-1']);
    expect(result.events.find((e) => e.phase === 'cleanup')).toEqual(expect.objectContaining({ requestType: 'Delete', retained: true, physicalId: 'a-1' }));
  });
});

describe('removal', () => {
  test('a resource the new template drops is deleted in the cleanup', async () => {
    // GIVEN
    await t.sim.deploy(synthesize((stack) => {
      echoResource(stack, 'Kept', { PhysicalId: 'kept' });
      echoResource(stack, 'Dropped', { PhysicalId: 'dropped' });
    }));

    // WHEN
    const result = await t.sim.deploy(synthesize((stack) => { echoResource(stack, 'Kept', { PhysicalId: 'kept' }); }));

    // THEN
    expect(requests(result.events)).toEqual(['cleanup Delete Dropped dropped']);
    expect(Object.keys(t.sim.resources)).not.toContain('Dropped');
  });

  test('DeletionPolicy Retain keeps a dropped resource: no Delete is sent', async () => {
    // GIVEN
    await t.sim.deploy(synthesize((stack) => {
      echoResource(stack, 'Kept');
      echoResource(stack, 'Dropped', {}, { removalPolicy: RemovalPolicy.RETAIN });
    }));

    // WHEN
    const result = await t.sim.deploy(synthesize((stack) => { echoResource(stack, 'Kept'); }));

    // THEN
    expect(requests(result.events)).toEqual([]);
    expect(result.events).toEqual([expect.objectContaining({ phase: 'cleanup', logicalId: 'Dropped', retained: true })]);
    expect(Object.keys(t.sim.resources)).not.toContain('Dropped');
  });

  test('DeletionPolicy Retain keeps a resource when the stack is destroyed', async () => {
    // GIVEN
    await t.sim.deploy(synthesize((stack) => {
      echoResource(stack, 'Retained', {}, { removalPolicy: RemovalPolicy.RETAIN });
      echoResource(stack, 'Deleted');
    }));

    // WHEN
    const result = await t.sim.destroy();

    // THEN
    expect(result.status).toBe('DELETE_COMPLETE');
    expect(result.events.filter((e) => e.request).map((e) => e.logicalId)).toEqual(['Deleted']);
    expect(result.events.find((e) => e.logicalId === 'Retained')).toEqual(expect.objectContaining({ retained: true }));
    expect(t.sim.resources).toEqual({});
  });
});

describe('stack identity', () => {
  test('a stack created after a destroy gets a new stack ID', async () => {
    // GIVEN
    const define = () => synthesize((stack) => { echoResource(stack, 'A'); });
    await t.sim.deploy(define());
    const first = t.sim.stackId;
    await t.sim.destroy();

    // WHEN
    await t.sim.deploy(define());

    // THEN
    expect(t.sim.stackId).toMatch(/^arn:aws:cloudformation:us-east-1:123456789012:stack\/SimulatedStack\//);
    expect(t.sim.stackId).not.toBe(first);
  });

  test('a stack synthesized for another account is refused', async () => {
    // GIVEN
    const artifact = synthesize((stack) => { echoResource(stack, 'A'); }, { env: { account: '111111111111', region: 'us-east-1' } });

    // THEN
    await expect(t.sim.deploy(artifact)).rejects.toThrow('stack SimulatedStack is for account 111111111111, but the emulator serves 123456789012');
  });
});
