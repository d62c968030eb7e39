import {
  CloudFormationClient,
  DescribeStackResourceCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  ListStacksCommand,
  paginateListStackResources,
} from '@aws-sdk/client-cloudformation';
import { stubClientConfig } from './aws-json-server';
import { CloudFormationStub } from './cloudformation';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Burst/5b918d10-cd98-11ea-90d5-0a9cd3354c10';

let stub: CloudFormationStub;
let client: CloudFormationClient;

beforeAll(async () => {
  stub = await CloudFormationStub.start();
  client = new CloudFormationClient(stubClientConfig(stub.endpoint));
});

afterAll(async () => {
  client.destroy();
  await stub.stop();
});

describe('the CloudFormation stub, through the real SDK client', () => {
  test('DescribeStackResource answers the status and physical ID it holds', async () => {
    // GIVEN a resource whose create completed
    stub.setResource(STACK_ID, 'Stage1', {
      status: 'CREATE_COMPLETE', physicalResourceId: 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdEfGh1234', resourceType: 'Custom::IvsStage',
    });
    // WHEN the SDK describes it by stack ID
    const { StackResourceDetail: detail } = await client.send(new DescribeStackResourceCommand({ StackName: STACK_ID, LogicalResourceId: 'Stage1' }));
    // THEN it reads what the stub holds
    expect(detail).toMatchObject({
      StackId: STACK_ID,
      StackName: 'Burst',
      LogicalResourceId: 'Stage1',
      PhysicalResourceId: 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdEfGh1234',
      ResourceType: 'Custom::IvsStage',
      ResourceStatus: 'CREATE_COMPLETE',
    });
    expect(detail?.LastUpdatedTimestamp).toBeInstanceOf(Date);
  });

  test('a resource whose create is still running has no physical ID', async () => {
    // GIVEN a create in progress
    stub.setResource(STACK_ID, 'Stage2', { status: 'CREATE_IN_PROGRESS', resourceType: 'Custom::IvsStage' });
    // WHEN the SDK describes it by stack name
    const { StackResourceDetail: detail } = await client.send(new DescribeStackResourceCommand({ StackName: 'Burst', LogicalResourceId: 'Stage2' }));
    // THEN it is in progress, with no physical ID
    expect(detail?.ResourceStatus).toBe('CREATE_IN_PROGRESS');
    expect(detail?.PhysicalResourceId).toBeUndefined();
  });

  test('a later status keeps the physical ID', async () => {
    // GIVEN a created resource that is being deleted
    stub.setResource(STACK_ID, 'Stage3', { status: 'CREATE_COMPLETE', physicalResourceId: 'arn:aws:ivs:us-east-1:123456789012:stage/Stage3Id0000' });
    stub.setResource(STACK_ID, 'Stage3', { status: 'DELETE_IN_PROGRESS' });
    // WHEN it is described
    const { StackResourceDetail: detail } = await client.send(new DescribeStackResourceCommand({ StackName: STACK_ID, LogicalResourceId: 'Stage3' }));
    // THEN it shows the new status and the old physical ID
    expect(detail).toMatchObject({ ResourceStatus: 'DELETE_IN_PROGRESS', PhysicalResourceId: 'arn:aws:ivs:us-east-1:123456789012:stage/Stage3Id0000' });
  });

  test('an unknown stack is a ValidationError, as CloudFormation words it', async () => {
    // WHEN a stack that does not exist is asked about
    const other = STACK_ID.replace('Burst', 'Other');
    const error = await client.send(new DescribeStackResourceCommand({ StackName: other, LogicalResourceId: 'Stage1' }))
      .then(() => undefined, (e: Error & { $metadata: { httpStatusCode?: number }; $fault: string }) => e);
    // THEN the SDK throws CloudFormation's error
    expect(error?.name).toBe('ValidationError');
    expect(error?.message).toBe(`Stack with id ${other} does not exist`);
    expect(error?.$metadata.httpStatusCode).toBe(400);
    expect(error?.$fault).toBe('client');
  });

  test('an unknown resource of a known stack is a ValidationError', async () => {
    // GIVEN the stack exists
    stub.setResource(STACK_ID, 'Stage1', { status: 'CREATE_COMPLETE' });
    // WHEN a logical ID it does not have is asked about
    const error = await client.send(new DescribeStackResourceCommand({ StackName: STACK_ID, LogicalResourceId: 'Nope' })).then(() => undefined, (e: Error) => e);
    // THEN the SDK throws a ValidationError naming it
    expect(error?.name).toBe('ValidationError');
    expect(error?.message).toBe(`Resource Nope does not exist for stack ${STACK_ID}`);
  });

  test('other actions are refused', async () => {
    // WHEN the SDK lists stacks
    const error = await client.send(new ListStacksCommand({})).then(() => undefined, (e: Error) => e);
    // THEN the stub refuses it
    expect(error?.name).toBe('InvalidAction');
  });

  test('requests are recorded', async () => {
    // GIVEN a resource
    stub.setResource(STACK_ID, 'Stage4', { status: 'DELETE_COMPLETE' });
    const before = stub.requests.length;
    // WHEN it is described
    await client.send(new DescribeStackResourceCommand({ StackName: STACK_ID, LogicalResourceId: 'Stage4' }));
    // THEN the request is in the log
    expect(stub.requests.slice(before)).toEqual([{ action: 'DescribeStackResource', stackName: STACK_ID, logicalResourceId: 'Stage4', status: 200, errorCode: undefined }]);
    expect(stub.resource(STACK_ID, 'Stage4')).toEqual({ status: 'DELETE_COMPLETE', physicalResourceId: undefined, resourceType: undefined });
  });
});

describe('a whole stack, as the drift report reads it', () => {
  const ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Whole/00000000-0000-0000-0000-000000000001';
  const TEMPLATE = { Resources: { Stage: { Type: 'Custom::IvsStage', Properties: { Name: 'a<b & "c"' } } } };

  beforeAll(() => {
    stub.setResource(ID, 'Stage', { status: 'CREATE_COMPLETE', physicalResourceId: 'arn:aws:ivs:us-east-1:123456789012:stage/Whole1', resourceType: 'Custom::IvsStage' });
    stub.setResource(ID, 'Gone', { status: 'DELETE_COMPLETE', physicalResourceId: 'gone', resourceType: 'AWS::SNS::Topic' });
    stub.setStack(ID, { template: TEMPLATE, parameters: { Env: 'prod' }, status: 'UPDATE_COMPLETE' });
  });

  test('GetTemplate answers the template the deploy submitted, as a JSON string', async () => {
    // WHEN the SDK gets the template by stack name
    const response = await client.send(new GetTemplateCommand({ StackName: 'Whole' }));
    // THEN it parses back to the template, markup characters included
    expect(JSON.parse(response.TemplateBody!)).toEqual(TEMPLATE);
    expect(response.StagesAvailable).toEqual(['Original', 'Processed']);
  });

  test('DescribeStackResources and ListStackResources answer every resource but the deleted ones', async () => {
    // WHEN the SDK describes and lists the stack's resources
    const { StackResources: described } = await client.send(new DescribeStackResourcesCommand({ StackName: 'Whole' }));
    const listed = [];
    for await (const page of paginateListStackResources({ client }, { StackName: ID })) {
      listed.push(...page.StackResourceSummaries ?? []);
    }
    // THEN both show the stage with its physical ID, type, status and time
    const stage = {
      LogicalResourceId: 'Stage', PhysicalResourceId: 'arn:aws:ivs:us-east-1:123456789012:stage/Whole1', ResourceType: 'Custom::IvsStage', ResourceStatus: 'CREATE_COMPLETE',
    };
    expect(described).toEqual([expect.objectContaining({ ...stage, StackId: ID, StackName: 'Whole', Timestamp: expect.any(Date) })]);
    expect(listed).toEqual([expect.objectContaining({ ...stage, LastUpdatedTimestamp: expect.any(Date) })]);
  });

  test('ListStackResources pages by 100', async () => {
    // GIVEN a stack of 150 resources
    const big = ID.replace('Whole', 'Big');
    for (let i = 0; i < 150; i++) {
      stub.setResource(big, `Stage${i}`, { status: 'CREATE_COMPLETE', physicalResourceId: `p${i}`, resourceType: 'Custom::IvsStage' });
    }
    // WHEN the SDK pages through them
    const pages = [];
    for await (const page of paginateListStackResources({ client }, { StackName: big })) {
      pages.push(page.StackResourceSummaries?.length);
    }
    // THEN two pages hold them all
    expect(pages).toEqual([100, 50]);
  });

  test('DescribeStacks answers the stack ID, status and parameter values', async () => {
    // WHEN the SDK describes the stack by name
    const { Stacks: stacks } = await client.send(new DescribeStacksCommand({ StackName: 'Whole' }));
    // THEN
    expect(stacks).toEqual([expect.objectContaining({
      StackId: ID, StackName: 'Whole', StackStatus: 'UPDATE_COMPLETE', Parameters: [{ ParameterKey: 'Env', ParameterValue: 'prod' }],
    })]);
  });

  test('DescribeStacks shows a NoEcho parameter as asterisks', async () => {
    // GIVEN
    const id = ID.replace('Whole', 'Quiet');
    stub.setStack(id, { template: { Parameters: { Key: { Type: 'String', NoEcho: true } }, Resources: {} }, parameters: { Key: 'hunter2' }, status: 'CREATE_COMPLETE' });
    // WHEN
    const { Stacks: stacks } = await client.send(new DescribeStacksCommand({ StackName: id }));
    // THEN
    expect(stacks?.[0].Parameters).toEqual([{ ParameterKey: 'Key', ParameterValue: '****' }]);
  });

  test('GetTemplate of a stack that does not exist is a ValidationError', async () => {
    // WHEN
    const error = await client.send(new GetTemplateCommand({ StackName: 'Nowhere' })).then(() => undefined, (e: Error) => e);
    // THEN
    expect(error?.name).toBe('ValidationError');
    expect(error?.message).toBe('Stack with id Nowhere does not exist');
  });
});
