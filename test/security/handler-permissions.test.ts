import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { defineAllConstructs } from './all-constructs';
import { ENCODER_CONFIGURATION_RESOURCE_TYPE } from '../../src/custom-resources/encoder-configuration-contract';
import { INGEST_CONFIGURATION_RESOURCE_TYPE } from '../../src/custom-resources/ingest-configuration-contract';
import { PUBLIC_KEY_RESOURCE_TYPE } from '../../src/custom-resources/public-key-contract';
import { STAGE_RESOURCE_TYPE } from '../../src/custom-resources/stage-contract';
import { STORAGE_CONFIGURATION_RESOURCE_TYPE } from '../../src/custom-resources/storage-configuration-contract';
import { IvsEmulator, startEmulator } from '../emulator';
import { removeSynthesized, TEST_ENV } from '../simulator';
import { LifecycleCalls, measureLifecycle, SCENARIOS } from '../structure/lifecycle-calls';

/*
 * The handler roles and functions, exactly. The core CustomResourceProvider writes them as raw
 * CfnResources, which cdk-nag does not check (see cdk-nag.test.ts), so these assertions are the
 * only gate on what the handlers may do.
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

/** The statements each handler role holds, in order. */
const EXPECTED_STATEMENTS: Record<string, object[]> = {
  [STAGE_RESOURCE_TYPE]: [{
    Effect: 'Allow',
    Action: ['ivs:CreateStage', 'ivs:GetStage', 'ivs:UpdateStage', 'ivs:DeleteStage', 'ivs:TagResource', 'ivs:UntagResource'],
    Resource: ivsArns('stage'),
  }],
  [STORAGE_CONFIGURATION_RESOURCE_TYPE]: [
    {
      Effect: 'Allow',
      Action: [
        'ivs:CreateStorageConfiguration', 'ivs:GetStorageConfiguration', 'ivs:DeleteStorageConfiguration',
        'ivs:TagResource', 'ivs:UntagResource',
      ],
      Resource: ivsArns('storage-configuration'),
    },
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
  }],
  [INGEST_CONFIGURATION_RESOURCE_TYPE]: [
    {
      Effect: 'Allow',
      Action: [
        'ivs:CreateIngestConfiguration', 'ivs:GetIngestConfiguration', 'ivs:UpdateIngestConfiguration',
        'ivs:DeleteIngestConfiguration', 'ivs:TagResource', 'ivs:UntagResource',
      ],
      Resource: ivsArns('ingest-configuration'),
    },
    { Effect: 'Allow', Action: WRITE_OWNED_SECRETS, Resource: [{ Ref: logicalId(constructs.ingestConfiguration.streamKeySecret) }] },
  ],
  [PUBLIC_KEY_RESOURCE_TYPE]: [
    {
      Effect: 'Allow',
      Action: ['ivs:ImportPublicKey', 'ivs:GetPublicKey', 'ivs:DeletePublicKey', 'ivs:TagResource', 'ivs:UntagResource'],
      Resource: ivsArns('public-key'),
    },
    { Effect: 'Allow', Action: WRITE_OWNED_SECRETS, Resource: [{ Ref: logicalId(constructs.publicKey.privateKeySecret!) }] },
  ],
};

const RESOURCE_TYPES = Object.keys(EXPECTED_STATEMENTS);

/** The function that answers the custom resources of `resourceType`, and its role, by logical ID. */
function handlerOf(resourceType: string) {
  const customResources = Object.values(resources).filter((resource) => resource.Type === resourceType);
  const functionIds = new Set(customResources.map((resource) => resource.Properties.ServiceToken['Fn::GetAtt'][0] as string));
  expect(functionIds.size).toBe(1);
  const [functionId] = functionIds;
  const fn = resources[functionId];
  const role = resources[fn.Properties.Role['Fn::GetAtt'][0]];
  return { fn, role };
}

test.each(RESOURCE_TYPES)('the %s handler role trusts Lambda, has the basic execution policy and exactly its statements', (resourceType) => {
  // WHEN
  const { role } = handlerOf(resourceType);

  // THEN
  expect(role.Type).toBe('AWS::IAM::Role');
  expect(role.Properties).toEqual({
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
    },
    // CloudWatch Logs only (CreateLogGroup, CreateLogStream, PutLogEvents): what the core
    // CustomResourceProvider always attaches.
    ManagedPolicyArns: [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }],
    Policies: [{
      PolicyName: 'Inline',
      PolicyDocument: { Version: '2012-10-17', Statement: EXPECTED_STATEMENTS[resourceType] },
    }],
  });
});

test.each(RESOURCE_TYPES)('the %s handler runs on nodejs24.x for at most 2 minutes with 256 MB and no environment', (resourceType) => {
  // WHEN
  const { fn } = handlerOf(resourceType);

  // THEN
  expect(fn.Type).toBe('AWS::Lambda::Function');
  expect(fn.Properties).toEqual({
    Code: expect.any(Object),
    Handler: '__entrypoint__.handler',
    Runtime: 'nodejs24.x',
    Timeout: 120,
    MemorySize: 256,
    Role: expect.any(Object),
    Description: `cdk-ivs-realtime: lifecycle handler for ${resourceType}`,
  });
});

test('no statement of any handler role allows every resource', () => {
  // GIVEN
  const statements = RESOURCE_TYPES.flatMap((resourceType) => handlerOf(resourceType).role.Properties.Policies[0].PolicyDocument.Statement);

  // WHEN
  const resolved = statements.flatMap((statement: { Resource: unknown }) => [statement.Resource].flat());

  // THEN
  expect(resolved).toHaveLength(8);
  expect(resolved.filter((resource) => JSON.stringify(resource).includes('"*"'))).toEqual([]);
});

describe('every IVS action a handler role allows is one its handler calls', () => {
  let emu: IvsEmulator;
  const measured: Record<string, LifecycleCalls> = {};

  beforeAll(async () => {
    emu = await startEmulator();
    for (const scenario of SCENARIOS) {
      measured[scenario.resourceType] = await measureLifecycle(scenario, emu);
    }
  });

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
