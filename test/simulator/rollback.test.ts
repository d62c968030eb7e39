import { CfnResource, RemovalPolicy } from 'aws-cdk-lib';
import { echoResource } from './fixtures/echo';
import { useSimulator } from './harness';
import { LifecycleEvent, synthesize } from './index';

const t = useSimulator();

/** The CDK response wrapper's physical ID for a failed create. */
const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';

const requests = (events: readonly LifecycleEvent[]) =>
  events.filter((e) => e.request).map((e) => `${e.phase} ${e.requestType} ${e.logicalId}`);

describe('a failed create', () => {
  test('deletes what the deploy created in reverse order, the failed resource with the physical ID its response gave', async () => {
    // GIVEN C fails to create after A and B were created
    const artifact = synthesize((stack) => {
      const a = echoResource(stack, 'A');
      const b = echoResource(stack, 'B');
      b.node.addDependency(a);
      echoResource(stack, 'C', { FailOn: 'Create' }).node.addDependency(b);
    });

    // WHEN
    const result = await t.sim.deploy(artifact);

    // THEN
    expect(result.success).toBe(false);
    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(result.reason).toMatch(/^C \(Custom::Echo\): Received response status \[FAILED\] from custom resource\. Message returned: Error: asked to fail Create\n/);
    expect(requests(result.events)).toEqual([
      'deploy Create A', 'deploy Create B', 'deploy Create C',
      'rollback Delete C', 'rollback Delete B', 'rollback Delete A',
    ]);
    const deleteC = result.events.find((e) => e.phase === 'rollback' && e.logicalId === 'C')!;
    expect(deleteC.request).toEqual(expect.objectContaining({ PhysicalResourceId: CREATE_FAILED_MARKER }));
    expect(deleteC.logs).toContain('ignoring DELETE event caused by a failed CREATE event');
    expect(t.sim.resources).toEqual({});
    expect(t.sim.stackId).toBeUndefined();
  });

  test('a rollback delete that fails leaves the stack in ROLLBACK_FAILED with that resource', async () => {
    // GIVEN A cannot be deleted, B fails to create
    const artifact = synthesize((stack) => {
      const a = echoResource(stack, 'A', { FailOn: 'Delete' });
      echoResource(stack, 'B', { FailOn: 'Create' }).node.addDependency(a);
    });

    // WHEN
    const result = await t.sim.deploy(artifact);

    // THEN
    expect(result.status).toBe('ROLLBACK_FAILED');
    expect(Object.keys(t.sim.resources)).toContain('A');
    expect(Object.keys(t.sim.resources)).not.toContain('B');
  });

  test('DeletionPolicy Retain keeps a resource even when its create is rolled back', async () => {
    // GIVEN
    const artifact = synthesize((stack) => {
      new CfnResource(stack, 'Retained', { type: 'AWS::KMS::Key' }).applyRemovalPolicy(RemovalPolicy.RETAIN);
      echoResource(stack, 'Failing', { FailOn: 'Create' });
    });

    // WHEN
    const result = await t.sim.deploy(artifact);

    // THEN
    expect(result.events.find((e) => e.phase === 'rollback' && e.logicalId === 'Retained')).toEqual(expect.objectContaining({ retained: true }));
  });
});

describe('a failed update', () => {
  test('sends Updates back to the old properties, the failed resource included, then deletes what it created', async () => {
    // GIVEN A and B deployed
    await t.sim.deploy(synthesize((stack) => {
      echoResource(stack, 'A', { Version: 1 });
      echoResource(stack, 'B', { Version: 1 });
    }));
    const before = t.sim.resources;

    // WHEN an update changes A, adds New, and fails on B
    const result = await t.sim.deploy(synthesize((stack) => {
      echoResource(stack, 'A', { Version: 2 });
      echoResource(stack, 'B', { Version: 2, FailOn: 'Update' });
      echoResource(stack, 'New');
    }));

    // THEN
    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(result.reason).toMatch(/^B \(Custom::Echo\): .*asked to fail Update/);
    expect(requests(result.events)).toEqual([
      'deploy Update A', 'deploy Update B',
      'rollback Update A', 'rollback Update B',
    ]);
    const revertA = result.events.find((e) => e.phase === 'rollback' && e.logicalId === 'A')!.request!;
    expect(revertA).toEqual(expect.objectContaining({
      PhysicalResourceId: before.A.physicalId,
      ResourceProperties: expect.objectContaining({ Version: '1' }),
      OldResourceProperties: expect.objectContaining({ Version: '2' }),
    }));
    expect(t.sim.resources.A.properties).toEqual(before.A.properties);
    expect(t.sim.resources.B.properties).toEqual(before.B.properties);
  });

  test('deletes the resources the failed update created, in reverse order', async () => {
    // GIVEN
    await t.sim.deploy(synthesize((stack) => { echoResource(stack, 'A'); }));

    // WHEN the update creates N1 and N2, then fails on N3
    const result = await t.sim.deploy(synthesize((stack) => {
      echoResource(stack, 'A');
      const n1 = echoResource(stack, 'N1');
      const n2 = echoResource(stack, 'N2');
      n2.node.addDependency(n1);
      echoResource(stack, 'N3', { FailOn: 'Create' }).node.addDependency(n2);
    }));

    // THEN
    expect(requests(result.events)).toEqual([
      'deploy Create N1', 'deploy Create N2', 'deploy Create N3',
      'rollback Delete N3', 'rollback Delete N2', 'rollback Delete N1',
    ]);
    expect(Object.keys(t.sim.resources).filter((id) => id.length <= 2)).toEqual(['A']);
  });

  test('deletes the new side of a replacement and keeps the old one', async () => {
    // GIVEN
    await t.sim.deploy(synthesize((stack) => { echoResource(stack, 'A', { PhysicalId: 'a-1', Data: { V: '1' } }); }));

    // WHEN A is replaced, then B fails
    const result = await t.sim.deploy(synthesize((stack) => {
      const a = echoResource(stack, 'A', { PhysicalId: 'a-2', Data: { V: '2' } });
      echoResource(stack, 'B', { FailOn: 'Create' }).node.addDependency(a);
    }));

    // THEN no Update goes back to the old A: it was never touched
    expect(result.events.filter((e) => e.request).map((e) => `${e.phase} ${e.requestType} ${e.logicalId} ${e.physicalId}`)).toEqual([
      'deploy Update A a-2', 'deploy Create B ' + CREATE_FAILED_MARKER,
      'rollback Delete B ' + CREATE_FAILED_MARKER, 'rollback Delete A a-2',
    ]);
    expect(t.sim.resources.A).toEqual(expect.objectContaining({ physicalId: 'a-1', attributes: { V: '1' } }));
  });
});
