import { CloudFormationClient, DescribeStackResourceCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
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
