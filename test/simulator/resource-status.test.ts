import { echoResource } from './fixtures/echo';
import { useSimulator } from './harness';
import { synthesize } from './index';
import { Stage } from '../../src';

const t = useSimulator();

/** The statuses the simulator gave each resource, in order, from the moment the spy is set. */
function recordStatuses(): Record<string, string[]> {
  const seen: Record<string, string[]> = {};
  const setResource = t.sim.cloudFormation.setResource.bind(t.sim.cloudFormation);
  jest.spyOn(t.sim.cloudFormation, 'setResource').mockImplementation((stackId, logicalId, state) => {
    (seen[logicalId] ??= []).push(state.status);
    setResource(stackId, logicalId, state);
  });
  return seen;
}

describe('resource statuses, as DescribeStackResource shows them', () => {
  test('a handler asking during its create sees CREATE_IN_PROGRESS and no physical ID; afterwards CREATE_COMPLETE', async () => {
    // GIVEN a resource whose handler asks CloudFormation about itself
    const artifact = synthesize((stack) => { echoResource(stack, 'A', { Describe: 'self', PhysicalId: 'a-1' }); });
    // WHEN the stack is deployed
    const result = await t.sim.deploy(artifact);
    // THEN the handler saw its create in progress, and the stub now shows it complete with its ID
    expect(result.success).toBe(true);
    expect(result.logs).toContain('seen CREATE_IN_PROGRESS -');
    expect(t.sim.resources.A.attributes.SeenStatus).toBe('CREATE_IN_PROGRESS');
    expect(t.sim.cloudFormation.resource(t.sim.stackId!, 'A')).toEqual({ status: 'CREATE_COMPLETE', physicalResourceId: 'a-1', resourceType: 'Custom::Echo' });
  });

  test('an update shows UPDATE_IN_PROGRESS with the current physical ID, then UPDATE_COMPLETE with the new one', async () => {
    // GIVEN a deployed resource
    await t.sim.deploy(synthesize((stack) => { echoResource(stack, 'A', { Describe: 'self', PhysicalId: 'a-1' }); }));
    // WHEN it is updated to a new physical ID
    const result = await t.sim.deploy(synthesize((stack) => { echoResource(stack, 'A', { Describe: 'self', PhysicalId: 'a-2' }); }));
    // THEN the handler saw the update in progress on the old ID; the old side's cleanup left the status alone
    expect(result.success).toBe(true);
    expect(result.events.filter((e) => e.phase === 'deploy')[0].logs).toContain('seen UPDATE_IN_PROGRESS a-1');
    expect(result.events.find((e) => e.phase === 'cleanup')?.logs).toContain('seen UPDATE_COMPLETE a-2');
    expect(t.sim.cloudFormation.resource(t.sim.stackId!, 'A')?.status).toBe('UPDATE_COMPLETE');
    expect(t.sim.cloudFormation.resource(t.sim.stackId!, 'A')?.physicalResourceId).toBe('a-2');
  });

  test('a destroy shows DELETE_IN_PROGRESS, then DELETE_COMPLETE', async () => {
    // GIVEN a deployed resource
    await t.sim.deploy(synthesize((stack) => { echoResource(stack, 'A', { Describe: 'self', PhysicalId: 'a-1' }); }));
    const stackId = t.sim.stackId!;
    // WHEN the stack is destroyed
    const result = await t.sim.destroy();
    // THEN the handler saw the delete in progress, and the stub shows it complete
    expect(result.logs).toContain('seen DELETE_IN_PROGRESS a-1');
    expect(t.sim.cloudFormation.resource(stackId, 'A')?.status).toBe('DELETE_COMPLETE');
  });

  test('a failed create shows CREATE_FAILED, and its rollback the deletes', async () => {
    // GIVEN B fails to create after A was created
    const artifact = synthesize((stack) => {
      const a = echoResource(stack, 'A', { Describe: 'self' });
      echoResource(stack, 'B', { FailOn: 'Create' }).node.addDependency(a);
    });
    const seen = recordStatuses();
    // WHEN the stack is deployed
    const result = await t.sim.deploy(artifact);
    // THEN each resource went through CloudFormation's statuses, and A's rollback delete saw its own
    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(seen.B).toEqual(['CREATE_IN_PROGRESS', 'CREATE_FAILED', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE']);
    expect(seen.A).toEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE']);
    expect(result.events.find((e) => e.phase === 'rollback' && e.logicalId === 'A')?.logs).toEqual(expect.arrayContaining([
      expect.stringMatching(/^seen DELETE_IN_PROGRESS A-/),
    ]));
  });

  test('a failed update shows UPDATE_FAILED, then the rollback update', async () => {
    // GIVEN a deployed resource whose next update fails
    await t.sim.deploy(synthesize((stack) => { echoResource(stack, 'A', { PhysicalId: 'a-1' }); }));
    const seen = recordStatuses();
    // WHEN it is updated
    const result = await t.sim.deploy(synthesize((stack) => { echoResource(stack, 'A', { PhysicalId: 'a-1', FailOn: 'Update' }); }));
    // THEN it failed, then was updated back
    expect(result.status).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(seen.A).toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_FAILED', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE']);
  });

  test('a failed delete shows DELETE_FAILED', async () => {
    // GIVEN a deployed resource that cannot be deleted
    await t.sim.deploy(synthesize((stack) => { echoResource(stack, 'A', { FailOn: 'Delete' }); }));
    const stackId = t.sim.stackId!;
    // WHEN the stack is destroyed
    await t.sim.destroy();
    // THEN the resource shows DELETE_FAILED
    expect(t.sim.cloudFormation.resource(stackId, 'A')?.status).toBe('DELETE_FAILED');
  });

  test('a create\'s answer is taken when it is PUT, while its invocation still runs: the handler bundle\'s check after the answer finds it taken', async () => {
    // GIVEN a stage, whose handler asks CloudFormation once before its answer and again after it
    const artifact = synthesize((stack) => { new Stage(stack, 'Stage', { stageName: 'town-hall' }); });
    // WHEN the stack is deployed
    const result = await t.sim.deploy(artifact);
    // THEN the check after the answer saw CREATE_COMPLETE with the stage's ARN at its first look
    const create = result.events.find((e) => e.resourceType === 'Custom::IvsStage')!;
    expect(create.logs).toContain(`CloudFormation took the answer ${create.physicalId}`);
    const looks = t.sim.cloudFormation.requests.filter((r) => r.action === 'DescribeStackResource' && r.logicalResourceId === create.logicalId);
    expect(looks).toHaveLength(2);
  });
});
