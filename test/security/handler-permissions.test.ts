import { App, CfnResource, Size, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { defineAllConstructs } from './all-constructs';
import { IngestConfiguration, IngestProtocol, IvsRealtimeHandlers, PublicKey, Stage } from '../../src';
import { ENCODER_CONFIGURATION_RESOURCE_TYPE } from '../../src/custom-resources/encoder-configuration-contract';
import { INGEST_CONFIGURATION_RESOURCE_TYPE } from '../../src/custom-resources/ingest-configuration-contract';
import { OWNED_SECRET_TAG_KEY } from '../../src/custom-resources/ivs-handler-provider';
import { PUBLIC_KEY_RESOURCE_TYPE } from '../../src/custom-resources/public-key-contract';
import { STAGE_RESOURCE_TYPE } from '../../src/custom-resources/stage-contract';
import { STORAGE_CONFIGURATION_RESOURCE_TYPE } from '../../src/custom-resources/storage-configuration-contract';
import { IvsEmulator, startEmulator } from '../emulator';
import { latestNodeRuntimeIn } from '../node-runtime';
import { removeSynthesized, TEST_ENV } from '../simulator';
import { LifecycleCalls, measureLifecycle, SCENARIOS } from '../structure/lifecycle-calls';

/*
 * The handler roles and functions, exactly. cdk-nag checks them too (see cdk-nag.test.ts), but it
 * accepts any statement it has no rule against: these assertions pin what the handlers may do.
 *
 * Every action below supports resource-level permissions (Service Authorization Reference, prefix
 * `ivs`; see shared/reference/ivs-realtime-api.md section 11): the handlers never need `"*"`, and
 * only the List* actions they do not use would.
 */

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const app = new App();
const stack = new Stack(app, 'Stack', { env: TEST_ENV });
const constructs = defineAllConstructs(stack);
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;

const logicalId = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnResource);

/** The ARNs of one IVS resource type in the stack's account and region. */
const ivsArns = (resource: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ivs:${TEST_ENV.region}:${TEST_ENV.account}:${resource}/*`]],
});

/** What a handler may do with the secrets its constructs own: write them, never read them. */
const WRITE_OWNED_SECRETS = 'secretsmanager:PutSecretValue';

/** The secrets of the stack's account and region tagged as written by `resourceType`'s handler of this stack: those its constructs own. */
const ownedSecretsOf = (resourceType: string) => ({
  Effect: 'Allow',
  Action: WRITE_OWNED_SECRETS,
  Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:secretsmanager:${TEST_ENV.region}:${TEST_ENV.account}:secret:*`]] },
  Condition: { StringEquals: { [`aws:ResourceTag/${OWNED_SECRET_TAG_KEY}`]: { 'Fn::Join': ['', [`${resourceType}/`, { Ref: 'AWS::StackId' }]] } } },
});

/** What every handler may do with its own log group, which exists before it: write events into it. */
const writeLogs = (resourceType: string) => ({
  Effect: 'Allow',
  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  Resource: { 'Fn::GetAtt': [logGroupOf(resourceType), 'Arn'] },
});

/** What every handler may ask CloudFormation: whether a create was cancelled, in its own stack only. */
const DESCRIBE_OWN_STACK = { Effect: 'Allow', Action: ['cloudformation:DescribeStackResource', 'cloudformation:DescribeStacks'], Resource: { Ref: 'AWS::StackId' } };

/** A List action that IAM cannot scope to ARNs. */
const list = (action: string) => ({ Effect: 'Allow', Action: action, Resource: '*' });

/** The statements each handler role holds, in order. */
const EXPECTED_STATEMENTS: Record<string, object[]> = {
  [STAGE_RESOURCE_TYPE]: [{
    Effect: 'Allow',
    Action: ['ivs:CreateStage', 'ivs:GetStage', 'ivs:UpdateStage', 'ivs:DeleteStage', 'ivs:ListStages', 'ivs:TagResource', 'ivs:UntagResource'],
    Resource: ivsArns('stage'),
  }, writeLogs(STAGE_RESOURCE_TYPE), DESCRIBE_OWN_STACK],
  [STORAGE_CONFIGURATION_RESOURCE_TYPE]: [
    {
      Effect: 'Allow',
      Action: [
        'ivs:CreateStorageConfiguration', 'ivs:GetStorageConfiguration', 'ivs:DeleteStorageConfiguration',
        'ivs:TagResource', 'ivs:UntagResource',
      ],
      Resource: ivsArns('storage-configuration'),
    },
    writeLogs(STORAGE_CONFIGURATION_RESOURCE_TYPE),
    DESCRIBE_OWN_STACK,
    list('ivs:ListStorageConfigurations'),
    {
      // IVS edits the bucket policy with the caller's credentials: this bucket's, and no other's.
      Effect: 'Allow',
      Action: ['s3:GetBucketLocation', 's3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy'],
      Resource: { 'Fn::GetAtt': [logicalId(constructs.recordings), 'Arn'] },
    },
  ],
  [ENCODER_CONFIGURATION_RESOURCE_TYPE]: [{
    Effect: 'Allow',
    Action: [
      'ivs:CreateEncoderConfiguration', 'ivs:GetEncoderConfiguration', 'ivs:DeleteEncoderConfiguration',
      'ivs:TagResource', 'ivs:UntagResource',
    ],
    Resource: ivsArns('encoder-configuration'),
  }, writeLogs(ENCODER_CONFIGURATION_RESOURCE_TYPE), DESCRIBE_OWN_STACK, list('ivs:ListEncoderConfigurations')],
  [INGEST_CONFIGURATION_RESOURCE_TYPE]: [
    {
      Effect: 'Allow',
      Action: [
        'ivs:CreateIngestConfiguration', 'ivs:GetIngestConfiguration', 'ivs:UpdateIngestConfiguration',
        'ivs:DeleteIngestConfiguration', 'ivs:TagResource', 'ivs:UntagResource', 'ivs:ListTagsForResource',
      ],
      Resource: ivsArns('ingest-configuration'),
    },
    writeLogs(INGEST_CONFIGURATION_RESOURCE_TYPE),
    DESCRIBE_OWN_STACK,
    list('ivs:ListIngestConfigurations'),
    ownedSecretsOf(INGEST_CONFIGURATION_RESOURCE_TYPE),
  ],
  [PUBLIC_KEY_RESOURCE_TYPE]: [
    {
      Effect: 'Allow',
      Action: ['ivs:ImportPublicKey', 'ivs:GetPublicKey', 'ivs:DeletePublicKey', 'ivs:TagResource', 'ivs:UntagResource'],
      Resource: ivsArns('public-key'),
    },
    writeLogs(PUBLIC_KEY_RESOURCE_TYPE),
    DESCRIBE_OWN_STACK,
    list('ivs:ListPublicKeys'),
    ownedSecretsOf(PUBLIC_KEY_RESOURCE_TYPE),
  ],
};

const RESOURCE_TYPES = Object.keys(EXPECTED_STATEMENTS);

/** The logical ID of the log group of the function that answers the custom resources of `resourceType`. */
function logGroupOf(resourceType: string): string {
  return handlerOf(resourceType).fn.Properties.LoggingConfig.LogGroup.Ref;
}

/** The function that answers the custom resources of `resourceType`, and its role, by logical ID. */
function handlerOf(resourceType: string, inResources = resources) {
  const customResources = Object.values(inResources).filter((resource) => resource.Type === resourceType);
  const functionIds = new Set(customResources.map((resource) => resource.Properties.ServiceToken['Fn::GetAtt'][0] as string));
  expect(functionIds.size).toBe(1);
  const [functionId] = functionIds;
  const fn = inResources[functionId];
  const role = inResources[fn.Properties.Role['Fn::GetAtt'][0]];
  return { fn, role };
}

test.each(RESOURCE_TYPES)('the %s handler role trusts Lambda and holds exactly its statements, with no managed policy', (resourceType) => {
  // WHEN
  const { role } = handlerOf(resourceType);

  // THEN
  expect(role.Type).toBe('AWS::IAM::Role');
  expect(role.Properties).toEqual({
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
    },
    Description: `cdk-ivs-realtime: lifecycle handler role for ${resourceType}`,
    Policies: [{
      PolicyName: 'Inline',
      PolicyDocument: { Version: '2012-10-17', Statement: EXPECTED_STATEMENTS[resourceType] },
    }],
  });
});

test.each(RESOURCE_TYPES)('the %s handler runs on the newest Node.js runtime aws-cdk-lib lists for the region for at most 10 minutes with 256 MB, an environment holding only its stack ID, logging into its own log group', (resourceType) => {
  // WHEN
  const { fn } = handlerOf(resourceType);

  // THEN
  expect(fn.Type).toBe('AWS::Lambda::Function');
  expect(fn.Properties).toEqual({
    Code: expect.any(Object),
    Handler: '__entrypoint__.handler',
    Runtime: latestNodeRuntimeIn('us-east-1'),
    Timeout: 600,
    MemorySize: 256,
    Role: expect.any(Object),
    Description: `cdk-ivs-realtime: lifecycle handler for ${resourceType}`,
    Environment: { Variables: { CDK_IVS_REALTIME_STACK_ID: { Ref: 'AWS::StackId' } } },
    LoggingConfig: { LogGroup: { Ref: logGroupOf(resourceType) } },
  });
});

test('the only statements of the handler roles that allow every resource are List actions IAM cannot scope', () => {
  // GIVEN
  const statements = RESOURCE_TYPES.flatMap((resourceType) => handlerOf(resourceType).role.Properties.Policies[0].PolicyDocument.Statement);

  // WHEN
  const unscoped = statements.filter((statement: { Resource: unknown }) => JSON.stringify(statement.Resource).includes('"*"'));

  // THEN
  expect(unscoped.map((statement: { Action: unknown }) => statement.Action)).toEqual([
    'ivs:ListStorageConfigurations', 'ivs:ListEncoderConfigurations', 'ivs:ListIngestConfigurations', 'ivs:ListPublicKeys',
  ]);
  expect(unscoped.every((statement: { Resource: unknown }) => statement.Resource === '*')).toBe(true);
});

describe('every IVS action a handler role allows is one its handler calls', () => {
  let emu: IvsEmulator;
  const measured: Record<string, LifecycleCalls> = {};

  // About 40 synths and deploys: more than jest's 5 s on a busy machine (as in api-calls.test.ts).
  beforeAll(async () => {
    emu = await startEmulator();
    for (const scenario of SCENARIOS) {
      measured[scenario.resourceType] = await measureLifecycle(scenario, emu);
    }
    // A budget, not an expectation: five lifecycles through the bundle outlast jest's default 5 s on a loaded machine.
  }, 120_000);

  afterAll(async () => {
    await emu.stop();
    removeSynthesized();
  });

  test.each(RESOURCE_TYPES)('%s', (resourceType) => {
    // GIVEN every call of create, tag change (adding and removing a tag), update in place,
    // replacement and delete
    const called = new Set(Object.values(measured[resourceType]).flatMap((calls) => calls!.ivs.map((operation) => `ivs:${operation}`)));

    // WHEN
    const allowed = handlerOf(resourceType).role.Properties.Policies[0].PolicyDocument.Statement
      .flatMap((statement: { Action: string[] }) => statement.Action)
      .filter((action: string) => action.startsWith('ivs:'));

    // THEN
    expect([...called].sort()).toEqual([...allowed].sort());
  });
});

describe('owned secrets encrypted with a customer-managed key', () => {
  // GIVEN an ingest configuration and a generated public key, each with its own key, and a reader
  const kmsStack = new Stack(new App(), 'Stack', { env: TEST_ENV });
  const streamKeyKey = new kms.Key(kmsStack, 'StreamKeyKey', { enableKeyRotation: true });
  const privateKeyKey = new kms.Key(kmsStack, 'PrivateKeyKey', { enableKeyRotation: true });
  const ingest = new IngestConfiguration(kmsStack, 'Ingest', { ingestProtocol: IngestProtocol.RTMPS, encryptionKey: streamKeyKey });
  const signer = new PublicKey(kmsStack, 'Key', { encryptionKey: privateKeyKey });
  const reader = new iam.Role(kmsStack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  ingest.grantReadStreamKey(reader);
  signer.grantReadPrivateKey(reader);
  const kmsTemplate = Template.fromStack(kmsStack);
  const kmsResources = kmsTemplate.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
  const keyId = (key: kms.Key) => kmsStack.getLogicalId(key.node.defaultChild as CfnResource);
  const throughSecretsManager = { StringEquals: { 'kms:ViaService': `secretsmanager.${TEST_ENV.region}.amazonaws.com` } };

  test.each([
    ['IngestConfiguration', INGEST_CONFIGURATION_RESOURCE_TYPE, streamKeyKey],
    ['PublicKey', PUBLIC_KEY_RESOURCE_TYPE, privateKeyKey],
  ])('the %s handler may generate a data key and decrypt with its secret\'s key, through Secrets Manager only', (_name, resourceType, key) => {
    // WHEN
    const statements = handlerOf(resourceType, kmsResources).role.Properties.Policies[0].PolicyDocument.Statement;

    // THEN (after the IVS, logs, CloudFormation and List statements): what PutSecretValue needs of a customer-managed key, and nothing else
    expect(statements.slice(4)).toEqual([
      ownedSecretsOf(resourceType),
      {
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: { 'Fn::GetAtt': [keyId(key), 'Arn'] },
        Condition: throughSecretsManager,
      },
    ]);
  });

  test('the secrets are encrypted with the keys given', () => {
    // THEN
    kmsTemplate.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: { 'Fn::GetAtt': [keyId(streamKeyKey), 'Arn'] } });
    kmsTemplate.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: { 'Fn::GetAtt': [keyId(privateKeyKey), 'Arn'] } });
  });

  test.each([
    ['grantReadStreamKey', streamKeyKey],
    ['grantReadPrivateKey', privateKeyKey],
  ])('%s also grants the reader kms:Decrypt on the key, through Secrets Manager, in its own policy', (_grant, key) => {
    // WHEN
    const readerPolicy = Object.values(kmsResources).find((resource) => resource.Type === 'AWS::IAM::Policy'
      && JSON.stringify(resource.Properties.Roles) === JSON.stringify([{ Ref: kmsStack.getLogicalId(reader.node.defaultChild as CfnResource) }]))!;

    // THEN
    expect(readerPolicy.Properties.PolicyDocument.Statement).toContainEqual({
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: { 'Fn::GetAtt': [keyId(key), 'Arn'] },
      Condition: throughSecretsManager,
    });
  });

  test('with an imported key, grantReadStreamKey grants kms:Decrypt in the reader\'s own policy', () => {
    // GIVEN
    const importStack = new Stack(new App(), 'Stack', { env: TEST_ENV });
    const keyArn = `arn:aws:kms:${TEST_ENV.region}:${TEST_ENV.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const configuration = new IngestConfiguration(importStack, 'Ingest', {
      ingestProtocol: IngestProtocol.RTMPS,
      encryptionKey: kms.Key.fromKeyArn(importStack, 'StreamKeyKey', keyArn),
    });
    const role = new iam.Role(importStack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

    // WHEN
    configuration.grantReadStreamKey(role);

    // THEN
    Template.fromStack(importStack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: importStack.getLogicalId(role.node.defaultChild as CfnResource) }],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
            Resource: { Ref: importStack.getLogicalId(configuration.streamKeySecret.node.defaultChild as CfnResource) },
          },
          { Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn, Condition: throughSecretsManager },
        ],
      },
    });
  });
});

describe('handlers in a VPC', () => {
  // GIVEN
  const vpcStack = new Stack(new App(), 'Stack', { env: TEST_ENV });
  const vpc = new ec2.Vpc(vpcStack, 'Vpc', { natGateways: 1 });
  IvsRealtimeHandlers.of(vpcStack).configure({ vpc, memorySize: Size.mebibytes(512), reservedConcurrentExecutions: 4 });
  new Stage(vpcStack, 'Stage');
  const vpcResources = Template.fromStack(vpcStack).toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;

  test('the role may also manage the function\'s network interfaces, the actions Lambda needs for a VPC and no more', () => {
    // WHEN
    const statements = handlerOf(STAGE_RESOURCE_TYPE, vpcResources).role.Properties.Policies[0].PolicyDocument.Statement;

    // THEN
    expect(statements.slice(3)).toEqual([{
      Effect: 'Allow',
      Action: [
        'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets',
        'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses',
      ],
      Resource: '*',
    }]);
  });

  test('the function runs in the private subnets with a security group of its own, with the memory and concurrency set', () => {
    // WHEN
    const { fn } = handlerOf(STAGE_RESOURCE_TYPE, vpcResources);

    // THEN
    const privateSubnets = vpc.privateSubnets.map((subnet) => ({ Ref: vpcStack.getLogicalId(subnet.node.defaultChild as CfnResource) }));
    expect(fn.Properties.VpcConfig).toEqual({
      SubnetIds: privateSubnets,
      SecurityGroupIds: [{ 'Fn::GetAtt': [expect.stringMatching(/^IvsRealtimeHandlersSecurityGroup/), 'GroupId'] }],
    });
    expect(fn.Properties.MemorySize).toBe(512);
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(4);
  });

  test('the security group allows outbound HTTPS only, and nothing in', () => {
    // WHEN
    const groups = Object.values(vpcResources).filter((resource) => resource.Type === 'AWS::EC2::SecurityGroup');

    // THEN
    expect(groups).toHaveLength(1);
    expect(groups[0].Properties.SecurityGroupIngress).toBeUndefined();
    expect(groups[0].Properties.SecurityGroupEgress).toEqual([
      { CidrIp: '0.0.0.0/0', Description: 'HTTPS to AWS endpoints', FromPort: 443, IpProtocol: 'tcp', ToPort: 443 },
    ]);
  });
});
