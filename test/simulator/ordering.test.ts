import { CfnResource } from 'aws-cdk-lib';
import { echoResource } from './fixtures/echo';
import { creationOrder } from './graph';
import { useSimulator } from './harness';
import { synthesize } from './index';

const t = useSimulator();

const customRequests = (events: readonly { logicalId: string; requestType: string; request?: unknown }[]) =>
  events.filter((e) => e.request).map((e) => `${e.requestType} ${e.logicalId}`);

describe('creationOrder', () => {
  test('puts every resource after what it references or depends on, independent ones in template order', () => {
    // GIVEN C references B, B depends on D, A is independent
    const template = {
      Resources: {
        C: { Type: 'T', Properties: { X: { 'Fn::GetAtt': ['B', 'Arn'] }, Y: { 'Fn::Sub': '${AWS::Region}-${Missing}' } } },
        A: { Type: 'T' },
        B: { Type: 'T', DependsOn: 'D' },
        D: { Type: 'T', Properties: { Z: { Ref: 'AWS::AccountId' } } },
      },
    };

    // WHEN
    const order = creationOrder(template);

    // THEN
    expect(order).toEqual(['D', 'B', 'C', 'A']);
  });

  test('refuses a circular dependency', () => {
    // GIVEN
    const template = { Resources: { A: { Type: 'T', DependsOn: ['B'] }, B: { Type: 'T', Properties: { X: { Ref: 'A' } } } } };

    // THEN
    expect(() => creationOrder(template)).toThrow('Template error: circular dependency between resources: A -> B -> A');
  });

  test('refuses a DependsOn naming no resource', () => {
    // GIVEN
    const template = { Resources: { A: { Type: 'T', DependsOn: 'Nope' } } };

    // THEN
    expect(() => creationOrder(template)).toThrow('Template error: A depends on Nope, which is not a resource of the template');
  });
});

describe('deploy and destroy order', () => {
  test('creates in dependency order and deletes in reverse', async () => {
    // GIVEN Last reads Middle, which depends on First, declared in the opposite order
    const artifact = synthesize((stack) => {
      const first = echoResource(stack, 'First');
      const middle = echoResource(stack, 'Middle', { Data: { Value: 'm' } });
      echoResource(stack, 'Last', { FromMiddle: middle.getAttString('Value') });
      middle.node.addDependency(first);
    });

    // WHEN
    const created = await t.sim.deploy(artifact);
    const deleted = await t.sim.destroy();

    // THEN
    expect(customRequests(created.events)).toEqual(['Create First', 'Create Middle', 'Create Last']);
    expect(customRequests(deleted.events)).toEqual(['Delete Last', 'Delete Middle', 'Delete First']);
    expect(deleted.status).toBe('DELETE_COMPLETE');
    expect(t.sim.resources).toEqual({});
  });

  test('the function and role behind a custom resource exist before it and go after it', async () => {
    // GIVEN
    const artifact = synthesize((stack) => { echoResource(stack, 'Echo'); });

    // WHEN
    const created = await t.sim.deploy(artifact);
    const deleted = await t.sim.destroy();

    // THEN
    expect(created.events.map((e) => e.resourceType)).toEqual(['AWS::IAM::Role', 'AWS::Lambda::Function', 'Custom::Echo']);
    expect(deleted.events.map((e) => e.resourceType)).toEqual(['Custom::Echo', 'AWS::Lambda::Function', 'AWS::IAM::Role']);
  });

  test('a resource that fails to delete keeps what it depends on, and the stack stays', async () => {
    // GIVEN B depends on A, and B refuses to be deleted
    const artifact = synthesize((stack) => {
      const a = echoResource(stack, 'A');
      echoResource(stack, 'B', { FailOn: 'Delete' }).node.addDependency(a);
      new CfnResource(stack, 'Independent', { type: 'AWS::KMS::Key' });
    });
    await t.sim.deploy(artifact);

    // WHEN
    const result = await t.sim.destroy();

    // THEN A (and the handler B needs) stay, the independent key is deleted, and the stack remains
    expect(result.success).toBe(false);
    expect(result.status).toBe('DELETE_FAILED');
    expect(result.reason).toMatch(/^B \(Custom::Echo\): Received response status \[FAILED\] from custom resource\. Message returned: Error: asked to fail Delete/);
    expect(customRequests(result.events)).toEqual(['Delete B']);
    expect(Object.keys(t.sim.resources)).toEqual(expect.arrayContaining(['A', 'B']));
    expect(Object.values(t.sim.resources).map((r) => r.type).sort()).toEqual(['AWS::IAM::Role', 'AWS::Lambda::Function', 'Custom::Echo', 'Custom::Echo']);
  });
});
