import { App, CfnResource, RemovalPolicy, Size, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IvsRealtimeHandlers, IvsRealtimeHandlerSettings, Stage } from '../src';
import { defineAllConstructs } from './security/all-constructs';
import { synthesize, TEST_ENV } from './simulator';
import { useSimulator } from './simulator/harness';

type Resources = Record<string, { Type: string; Properties: Record<string, any>; Metadata?: Record<string, any>; DeletionPolicy?: string }>;

const resourcesOf = (stack: Stack) => Template.fromStack(stack).toJSON().Resources as Resources;
const ofType = (resources: Resources, type: string) => Object.values(resources).filter((resource) => resource.Type === type);

/** A stack with one stage, configured with `settings` (if given) before or after the stage. */
function stageStack(settings?: IvsRealtimeHandlerSettings, order: 'before' | 'after' = 'before'): Stack {
  const stack = new Stack(new App(), 'Stack', { env: TEST_ENV });
  if (settings && order === 'before') {
    IvsRealtimeHandlers.of(stack).configure(settings);
  }
  new Stage(stack, 'Stage');
  if (settings && order === 'after') {
    IvsRealtimeHandlers.of(stack).configure(settings);
  }
  return stack;
}

describe('tags', () => {
  test('a tag added at app level reaches every resource the library creates: functions, roles, log groups, secrets, security group, IVS resources', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: TEST_ENV });
    IvsRealtimeHandlers.of(stack).configure({ vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 1 }) });
    defineAllConstructs(stack);

    // WHEN
    Tags.of(app).add('cost-center', '42');

    // THEN
    const resources = resourcesOf(stack);
    const library = Object.entries(resources).filter(([id, resource]) => id.startsWith('Ivs') || resource.Type.startsWith('Custom::Ivs')
      || resource.Type === 'AWS::SecretsManager::Secret');
    expect(new Set(library.map(([, resource]) => resource.Type))).toEqual(new Set([
      'AWS::Lambda::Function', 'AWS::IAM::Role', 'AWS::Logs::LogGroup', 'AWS::EC2::SecurityGroup', 'AWS::SecretsManager::Secret',
      'Custom::IvsStage', 'Custom::IvsStorageConfiguration', 'Custom::IvsEncoderConfiguration', 'Custom::IvsIngestConfiguration', 'Custom::IvsPublicKey',
    ]));
    const untagged = library.filter(([, resource]) => {
      const tags = resource.Properties.Tags;
      return Array.isArray(tags) ? !tags.some((tag) => tag.Key === 'cost-center' && tag.Value === '42') : tags?.['cost-center'] !== '42';
    });
    expect(untagged.map(([id]) => id)).toEqual([]);
  });

  test('PermissionsBoundary.of() reaches the handler roles', () => {
    // GIVEN
    const stack = stageStack();

    // WHEN
    iam.PermissionsBoundary.of(stack).apply(iam.ManagedPolicy.fromManagedPolicyName(stack, 'Boundary', 'org-boundary'));

    // THEN
    const [role] = ofType(resourcesOf(stack), 'AWS::IAM::Role');
    expect(role.Properties.PermissionsBoundary).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${TEST_ENV.account}:policy/org-boundary`]],
    });
  });
});

describe('settings', () => {
  test('by default a handler has 256 MB, no reserved concurrency and no VPC, and its log group keeps a year and goes with the stack', () => {
    // WHEN
    const resources = resourcesOf(stageStack());

    // THEN
    const [fn] = ofType(resources, 'AWS::Lambda::Function');
    expect(fn.Properties.MemorySize).toBe(256);
    expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    expect(fn.Properties.VpcConfig).toBeUndefined();
    const [logGroup] = ofType(resources, 'AWS::Logs::LogGroup');
    expect(logGroup.Properties.RetentionInDays).toBe(365);
    expect(logGroup.Properties.KmsKeyId).toBeUndefined();
    expect(logGroup.DeletionPolicy).toBe('Delete');
  });

  test('the settings apply to every handler of the stack', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack', { env: TEST_ENV });
    IvsRealtimeHandlers.of(stack).configure({ memorySize: Size.mebibytes(1024), reservedConcurrentExecutions: 3 });

    // WHEN
    defineAllConstructs(stack);

    // THEN
    const functions = ofType(resourcesOf(stack), 'AWS::Lambda::Function');
    expect(functions.map((fn) => [fn.Properties.MemorySize, fn.Properties.ReservedConcurrentExecutions])).toEqual(Array(5).fill([1024, 3]));
  });

  test('log settings: retention, a customer-managed key and a retained log group', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack', { env: TEST_ENV });
    const key = new kms.Key(stack, 'LogKey', { enableKeyRotation: true });

    // WHEN
    IvsRealtimeHandlers.of(stack).configure({
      logRetention: logs.RetentionDays.THREE_MONTHS,
      logEncryptionKey: key,
      logRemovalPolicy: RemovalPolicy.RETAIN,
    });
    new Stage(stack, 'Stage');

    // THEN
    const [logGroup] = ofType(resourcesOf(stack), 'AWS::Logs::LogGroup');
    expect(logGroup.Properties.RetentionInDays).toBe(90);
    expect(logGroup.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as CfnResource), 'Arn'] });
    expect(logGroup.DeletionPolicy).toBe('Retain');
  });

  test('configure() after the constructs gives the same template as before them', () => {
    // GIVEN
    const settings = { memorySize: Size.mebibytes(512), reservedConcurrentExecutions: 2, logRetention: logs.RetentionDays.ONE_MONTH };

    // WHEN
    const before = Template.fromStack(stageStack(settings, 'before')).toJSON();
    const after = Template.fromStack(stageStack(settings, 'after')).toJSON();

    // THEN
    expect(after).toEqual(before);
  });

  test('a second configure() for the same stack is an error', () => {
    // GIVEN
    const stack = stageStack({ memorySize: Size.mebibytes(512) });

    // THEN
    expect(() => IvsRealtimeHandlers.of(stack).configure({ reservedConcurrentExecutions: 1 }))
      .toThrow('Stack/IvsRealtimeHandlers: configure() was already called for this stack: pass every setting in one call');
  });

  test.each([
    [{ reservedConcurrentExecutions: 0 }, 'reservedConcurrentExecutions must be a whole number of at least 1 (0 would stop every deploy), got 0'],
    [{ reservedConcurrentExecutions: 1.5 }, 'reservedConcurrentExecutions must be a whole number of at least 1 (0 would stop every deploy), got 1.5'],
    [{ memorySize: Size.mebibytes(64) }, 'memorySize must be a whole number of MiB between 128 and 10240, got 64 MiB'],
    [{ memorySize: Size.gibibytes(11) }, 'memorySize must be a whole number of MiB between 128 and 10240, got 11264 MiB'],
    [{ memorySize: Size.kibibytes(200_000) }, 'memorySize must be a whole number of MiB between 128 and 10240, got 195.3125 MiB'],
    [{ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }, 'vpcSubnets needs vpc: pass the VPC the handlers run in, got vpcSubnets without it'],
  ])('%j is an error', (settings, message) => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack', { env: TEST_ENV });

    // THEN
    expect(() => IvsRealtimeHandlers.of(stack).configure(settings)).toThrow(`Stack/IvsRealtimeHandlers: ${message}`);
  });

  test('public subnets are an error: a handler there gets no public IP address', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack', { env: TEST_ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 1 });

    // THEN
    expect(() => IvsRealtimeHandlers.of(stack).configure({ vpc, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }))
      .toThrow('Stack/IvsRealtimeHandlers: vpcSubnets must select private subnets (a Lambda function gets no public IP address), got a selection with public subnets');
  });

  test('security groups given are used, and no security group is made', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack', { env: TEST_ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 1 });
    const group = new ec2.SecurityGroup(stack, 'Mine', { vpc });

    // WHEN
    IvsRealtimeHandlers.of(stack).configure({ vpc, securityGroups: [group] });
    new Stage(stack, 'Stage');

    // THEN
    const resources = resourcesOf(stack);
    expect(ofType(resources, 'AWS::EC2::SecurityGroup')).toHaveLength(1);
    expect(ofType(resources, 'AWS::Lambda::Function')[0].Properties.VpcConfig.SecurityGroupIds)
      .toEqual([{ 'Fn::GetAtt': [stack.getLogicalId(group.node.defaultChild as CfnResource), 'GroupId'] }]);
  });
});

describe('scanner suppressions', () => {
  const skipsOf = (resource: { Metadata?: Record<string, any> }) => (resource.Metadata?.checkov?.skip ?? []).map((skip: { id: string }) => skip.id);

  test('by default the function skips the DLQ, environment-encryption, concurrency and VPC checks, and the log group the CMK check, each with a reason', () => {
    // WHEN
    const resources = resourcesOf(stageStack());

    // THEN
    const [fn] = ofType(resources, 'AWS::Lambda::Function');
    const [logGroup] = ofType(resources, 'AWS::Logs::LogGroup');
    expect(skipsOf(fn)).toEqual(['CKV_AWS_116', 'CKV_AWS_173', 'CKV_AWS_115', 'CKV_AWS_117']);
    expect(skipsOf(logGroup)).toEqual(['CKV_AWS_158']);
    for (const skip of [...fn.Metadata!.checkov.skip, ...logGroup.Metadata!.checkov.skip]) {
      expect(skip.comment.length).toBeGreaterThan(40);
    }
  });

  test('a setting that satisfies a check removes its suppression: only the DLQ and environment-encryption ones are left, and in a VPC the role\'s network-interface one', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack', { env: TEST_ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 1 });
    const key = new kms.Key(stack, 'LogKey', { enableKeyRotation: true });

    // WHEN
    new Stage(stack, 'Stage');
    IvsRealtimeHandlers.of(stack).configure({ vpc, reservedConcurrentExecutions: 2, logEncryptionKey: key });

    // THEN
    const resources = resourcesOf(stack);
    expect(skipsOf(ofType(resources, 'AWS::Lambda::Function')[0])).toEqual(['CKV_AWS_116', 'CKV_AWS_173']);
    expect(skipsOf(ofType(resources, 'AWS::IAM::Role')[0])).toEqual(['CKV_AWS_111']);
    expect(ofType(resources, 'AWS::Logs::LogGroup')[0].Metadata?.checkov).toBeUndefined();
  });
});

describe('through the lifecycle simulator', () => {
  const t = useSimulator();

  test('a change of settings updates the handlers and their log groups in place, and sends no request to any IVS resource', async () => {
    // GIVEN every construct, deployed with the default settings
    const define = (settings?: IvsRealtimeHandlerSettings) => synthesize((stack) => {
      if (settings) {
        IvsRealtimeHandlers.of(stack).configure(settings);
      }
      defineAllConstructs(stack);
    });
    const created = await t.sim.deploy(define());
    expect(created.status).toBe('CREATE_COMPLETE');
    const physicalIds = Object.fromEntries(Object.entries(t.sim.resources).map(([id, resource]) => [id, resource.physicalId]));

    // WHEN
    const updated = await t.sim.deploy(define({
      memorySize: Size.mebibytes(512),
      reservedConcurrentExecutions: 5,
      logRetention: logs.RetentionDays.SIX_MONTHS,
    }));

    // THEN the functions and log groups are updated, nothing is replaced or deleted, and no IVS
    // resource hears of it
    expect(updated.status).toBe('UPDATE_COMPLETE');
    const changed = updated.events.map((event) => `${event.phase} ${event.requestType} ${event.resourceType}`);
    expect(changed.sort()).toEqual([
      ...Array(5).fill('deploy Update AWS::Lambda::Function'),
      ...Array(5).fill('deploy Update AWS::Logs::LogGroup'),
    ].sort());
    expect(Object.fromEntries(Object.entries(t.sim.resources).map(([id, resource]) => [id, resource.physicalId]))).toEqual(physicalIds);
  });

  test('a destroy deletes everything the library created, log groups included', async () => {
    // GIVEN
    await t.sim.deploy(synthesize((stack) => defineAllConstructs(stack)));

    // WHEN
    const destroyed = await t.sim.destroy();

    // THEN
    expect(destroyed.status).toBe('DELETE_COMPLETE');
    const deletedLogGroups = destroyed.events.filter((event) => event.resourceType === 'AWS::Logs::LogGroup' && event.requestType === 'Delete' && !event.retained);
    expect(deletedLogGroups).toHaveLength(5);
    expect(Object.keys(t.sim.resources)).toEqual([]);
  });
});
