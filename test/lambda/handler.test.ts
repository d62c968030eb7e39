import { DescribeStackResourceCommand, DescribeStacksCommand, StackResourceDetail, StackStatus } from '@aws-sdk/client-cloudformation';
import {
  ConflictException,
  CreateStageCommand,
  CreateStorageConfigurationCommand,
  DeleteStageCommand,
  GetStageCommand,
  GetStorageConfigurationCommand,
  InternalServerException,
  IVSRealTimeClient,
  ListStagesCommand,
  TagResourceCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-ivs-realtime';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { invokeThroughWrapper } from './cfn-wrapper';
import { cloudFormation, cloudFormationCancels, cloudFormationShows, cloudFormationShowsResource } from './cloudformation-stub';
import { CREATE_CREATOR_TAGS, createEvent, deleteEvent, updateEvent } from './events';
import { FAILED_CREATE_ID } from '../../lambda/failed-create';
import { DEADLINE_MARGIN_MS, handler, MAX_REASON_LENGTH } from '../../lambda/handler';
import * as stage from '../../lambda/stage';
import { STACK_ID_VARIABLE } from '../../src/custom-resources/handler-environment-contract';
import { STAGE_RESOURCE_TYPE, StageResourceProperties } from '../../src/custom-resources/stage-contract';
import {
  STORAGE_CONFIGURATION_RESOURCE_TYPE,
  StorageConfigurationResourceProperties,
} from '../../src/custom-resources/storage-configuration-contract';

/*
 * The handler as CloudFormation meets it: inside aws-cdk-lib's response wrapper, which sends the
 * one response per request. These tests hold for every resource type; Stage stands in for them.
 */

const ivs = mockClient(IVSRealTimeClient);

const ARN = 'arn:aws:ivs:us-east-1:111111111111:stage/AbCdEfGh1234';
const OTHER_ARN = 'arn:aws:ivs:us-east-1:111111111111:stage/OtHeR0000000';
const CREATE_LOGICAL_ID = 'Stage0E8C2AF5';
const stageCreate = (props: Omit<StageResourceProperties, 'ServiceToken'> = { Name: 'town-hall' }) =>
  createEvent<StageResourceProperties>(STAGE_RESOURCE_TYPE, props);

beforeEach(() => {
  cloudFormationShows();
  ivs.reset();
  ivs.onAnyCommand().rejects(new Error('unexpected IVS call'));
});

test('a successful create sends exactly one SUCCESS response with the ARN and the attributes', async () => {
  // GIVEN
  ivs.on(CreateStageCommand).resolves({ stage: { arn: ARN, endpoints: { whip: 'https://whip' } } });

  // WHEN
  const { responses } = await invokeThroughWrapper(stageCreate());

  // THEN
  expect(responses).toHaveLength(1);
  expect(responses[0]).toMatchObject({
    Status: 'SUCCESS',
    PhysicalResourceId: ARN,
    Data: { Arn: ARN, StageId: 'AbCdEfGh1234', WhipEndpoint: 'https://whip' },
  });
});

test('a failed create sends one FAILED response whose reason is the message, without a stack trace', async () => {
  // GIVEN
  ivs.on(CreateStageCommand).rejects(new ConflictException({ message: 'busy', exceptionMessage: 'stage quota in flux', $metadata: {} } as any));

  // WHEN
  const { responses } = await invokeThroughWrapper(stageCreate());

  // THEN
  expect(responses).toHaveLength(1);
  expect(responses[0]).toMatchObject({
    Status: 'FAILED',
    Reason: 'Create failed: ConflictException: stage quota in flux',
    PhysicalResourceId: FAILED_CREATE_ID,
  });
});

test('the delete that follows a failed create reaches the handler, which looks for what the create made by its creator tag', async () => {
  // GIVEN a create that failed, having made a stage
  ivs.on(ListStagesCommand).resolves({ stages: [{ arn: ARN, name: 'town-hall', tags: CREATE_CREATOR_TAGS }] });
  ivs.on(DeleteStageCommand, { arn: ARN }).resolves({});
  const event = deleteEvent<StageResourceProperties>(STAGE_RESOURCE_TYPE, FAILED_CREATE_ID, { Name: 'town-hall' });

  // WHEN
  const { responses } = await invokeThroughWrapper(event);

  // THEN
  expect(responses).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: FAILED_CREATE_ID })]);
  expect(ivs).toHaveReceivedCommandWith(DeleteStageCommand, { arn: ARN });
});

test('the delete that follows a failed create marked by aws-cdk-lib\'s wrapper alone (a create of before the entry point) is answered by the wrapper, without any API call', async () => {
  // GIVEN
  const marker = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';
  const event = deleteEvent<StageResourceProperties>(STAGE_RESOURCE_TYPE, marker, { Name: 'town-hall' });

  // WHEN
  const { responses } = await invokeThroughWrapper(event);

  // THEN
  expect(responses).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: marker })]);
  expect(ivs.calls()).toHaveLength(0);
});

test('a failed update keeps the physical ID, so CloudFormation does not take it for a replacement', async () => {
  // GIVEN
  ivs.on(UpdateStageCommand).rejects(new ConflictException({ message: 'recording is active', $metadata: {} }));
  const event = updateEvent<StageResourceProperties>(STAGE_RESOURCE_TYPE, ARN, { Name: 'renamed' }, { Name: 'town-hall' });

  // WHEN
  const { responses } = await invokeThroughWrapper(event);

  // THEN
  expect(responses).toEqual([expect.objectContaining({ Status: 'FAILED', PhysicalResourceId: ARN })]);
});

test('a huge error message with control characters is cut and cleaned, and the response stays under 4 KB', async () => {
  // GIVEN
  const message = `\u001b[31mred\u001b[0m\n${'x'.repeat(20_000)}`;
  ivs.on(CreateStageCommand).rejects(new Error(message));
  const tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`${i}`.padEnd(128, 'k'), 'v'.repeat(256)]));

  // WHEN
  const { responses, responseBodies } = await invokeThroughWrapper(stageCreate({ Name: 'n'.repeat(128), Tags: tags }));

  // THEN
  const reason = responses[0].Reason;
  expect(reason.startsWith('Create failed: Error:  [31mred [0m xxx')).toBe(true);
  expect(reason).toHaveLength(MAX_REASON_LENGTH);
  expect(reason).not.toMatch(/[\u0000-\u001f\u007f]/);
  expect(Buffer.byteLength(responseBodies[0])).toBeLessThanOrEqual(4096);
});

test('a handler that would outlive the Lambda gives up first and answers FAILED', async () => {
  // GIVEN: CreateStage never answers, and the Lambda has 5.05 s left: 50 ms past the margin
  ivs.on(CreateStageCommand).callsFake(() => new Promise(() => {}));
  const context = { getRemainingTimeInMillis: () => 5_050 };

  // WHEN
  const { responses } = await invokeThroughWrapper(stageCreate(), context);

  // THEN
  expect(responses).toEqual([expect.objectContaining({
    Status: 'FAILED',
    Reason: 'Create failed: Error: no result within 0 seconds, giving up before the Lambda timeout',
  })]);
});

test('within the Lambda\'s remaining time, a create whose answer was lost and that made nothing is tried again', async () => {
  // GIVEN a first CreateStage whose answer is lost before IVS made the stage, and a minute left
  ivs.on(CreateStageCommand)
    .rejectsOnce(new InternalServerException({ message: 'internal', $metadata: { httpStatusCode: 500 } }))
    .resolves({ stage: { arn: ARN } });
  ivs.on(ListStagesCommand).resolves({ stages: [] });
  ivs.on(TagResourceCommand).resolves({});
  const random = jest.spyOn(Math, 'random').mockReturnValue(0);

  // WHEN
  const { responses } = await invokeThroughWrapper(stageCreate(), { getRemainingTimeInMillis: () => 60_000 });
  random.mockRestore();

  // THEN
  expect(responses).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: ARN })]);
  expect(ivs.commandCalls(CreateStageCommand)).toHaveLength(2);
});

test('an unknown resource type fails clearly', async () => {
  // GIVEN
  const event = { ...stageCreate(), ResourceType: 'Custom::Other' };

  // WHEN
  const { responses } = await invokeThroughWrapper(event);

  // THEN
  expect(responses).toEqual([expect.objectContaining({
    Status: 'FAILED',
    Reason: 'Create failed: Error: unsupported resource type Custom::Other',
  })]);
});

test('neither the wrapper nor the handler logs the ResponseURL', async () => {
  // GIVEN
  ivs.on(CreateStageCommand).resolves({ stage: { arn: ARN } });
  const event = stageCreate();

  // WHEN
  const { logs, handlerLogs } = await invokeThroughWrapper(event);

  // THEN the handler logs what the request is about, and not the presigned URL, whose signature
  // would let anyone who reads the log answer CloudFormation in its place
  expect(JSON.parse(handlerLogs[0])).toEqual({
    requestType: 'Create',
    resourceType: STAGE_RESOURCE_TYPE,
    logicalResourceId: event.LogicalResourceId,
  });
  expect(handlerLogs.join('\n')).not.toContain('X-Amz-Signature');
  // The wrapper logs the event too, with the URL redacted.
  expect(logs.length).toBeGreaterThan(handlerLogs.length);
  expect(logs.join('\n')).not.toContain('X-Amz-Signature');
  expect(logs.join('\n')).not.toContain(event.ResponseURL);
});

test('the handler logs the physical ID of an update or a delete it works on', async () => {
  // GIVEN
  ivs.on(DeleteStageCommand, { arn: ARN }, true).resolves({});
  const event = deleteEvent<StageResourceProperties>(STAGE_RESOURCE_TYPE, ARN, { Name: 'town-hall' });

  // WHEN
  const { handlerLogs } = await invokeThroughWrapper(event);

  // THEN
  expect(JSON.parse(handlerLogs[0])).toEqual({
    requestType: 'Delete',
    resourceType: STAGE_RESOURCE_TYPE,
    logicalResourceId: event.LogicalResourceId,
    physicalResourceId: ARN,
  });
  expect(handlerLogs.join('\n')).not.toContain(event.ResponseURL);
});

test('an update goes to the resource type\'s update, and a delete to its delete', async () => {
  // GIVEN
  ivs.on(UpdateStageCommand, { arn: ARN, name: 'renamed' }).resolves({ stage: { arn: ARN } });
  ivs.on(GetStageCommand, { arn: ARN }).resolves({ stage: { arn: ARN, tags: CREATE_CREATOR_TAGS } });
  ivs.on(DeleteStageCommand, { arn: ARN }, true).resolves({});

  // WHEN
  const updated = await invokeThroughWrapper(updateEvent<StageResourceProperties>(STAGE_RESOURCE_TYPE, ARN, { Name: 'renamed' }, { Name: 'town-hall' }));
  const deleted = await invokeThroughWrapper(deleteEvent<StageResourceProperties>(STAGE_RESOURCE_TYPE, ARN, { Name: 'renamed' }));

  // THEN
  expect(updated.responses).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: ARN })]);
  expect(deleted.responses).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: ARN })]);
  expect(ivs.calls().map((call) => call.args[0].constructor.name)).toEqual(['UpdateStageCommand', 'GetStageCommand', 'DeleteStageCommand']);
});

test('a replacing update whose stack begins rolling back after the replacement\'s own check answers its new ID, and leaves it to the rollback\'s Update', async () => {
  // GIVEN a storage configuration moved to another bucket (a replacement), in a stack that shows no
  // rollback to the handler's first look nor to the replacement's own, and then rolls back
  const storageArn = 'arn:aws:ivs:us-east-1:111111111111:storage-configuration/AbCdEfGh1234';
  const newArn = 'arn:aws:ivs:us-east-1:111111111111:storage-configuration/NeWaRn567890';
  const props = { Name: 'recordings', S3: { BucketName: 'recordings-bucket' } };
  ivs.on(GetStorageConfigurationCommand, { arn: storageArn })
    .resolves({ storageConfiguration: { arn: storageArn, name: 'recordings', s3: { bucketName: 'recordings-bucket' }, tags: {} } });
  ivs.on(CreateStorageConfigurationCommand).resolves({ storageConfiguration: { arn: newArn } });
  const stack = (status: StackStatus) => ({ Stacks: [{ StackName: 'TestStack', CreationTime: new Date(0), StackStatus: status }] });
  cloudFormation.on(DescribeStacksCommand)
    .resolvesOnce(stack('UPDATE_IN_PROGRESS'))
    .resolvesOnce(stack('UPDATE_IN_PROGRESS'))
    .resolves(stack('UPDATE_ROLLBACK_IN_PROGRESS'));
  const event = updateEvent<StorageConfigurationResourceProperties>(STORAGE_CONFIGURATION_RESOURCE_TYPE, storageArn,
    { ...props, S3: { BucketName: 'other-bucket' } }, props);

  // WHEN
  const { responses } = await invokeThroughWrapper(event);

  // THEN CloudFormation ignores the answer; the rollback's own Update deletes what this one made
  expect(responses).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: newArn })]);
  expect(ivs.calls().map((call) => call.args[0].constructor.name)).toEqual(['GetStorageConfigurationCommand', 'CreateStorageConfigurationCommand']);
});

test('a request type CloudFormation does not send fails clearly, and calls nothing', async () => {
  // GIVEN
  const event = { ...stageCreate(), RequestType: 'Import' } as unknown as CloudFormationCustomResourceEvent;

  // WHEN
  const rejected = handler(event);

  // THEN
  await expect(rejected).rejects.toThrow(/^Import failed: Error: unsupported request type Import$/);
  expect(ivs.calls()).toHaveLength(0);
});

test('a run of control characters in a reason becomes one space', async () => {
  // GIVEN
  ivs.on(CreateStageCommand).rejects(new Error('line one\r\n\tline two'));

  // WHEN
  const { responses } = await invokeThroughWrapper(stageCreate());

  // THEN
  expect(responses[0].Reason).toBe('Create failed: Error: line one line two');
});

test('a reason of exactly the maximum length is sent whole', async () => {
  // GIVEN a message that makes the reason exactly MAX_REASON_LENGTH characters long
  const prefix = 'Create failed: Error: ';
  ivs.on(CreateStageCommand).rejects(new Error('m'.repeat(MAX_REASON_LENGTH - prefix.length)));

  // WHEN
  const { responses } = await invokeThroughWrapper(stageCreate());

  // THEN
  expect(responses[0].Reason).toBe(prefix + 'm'.repeat(MAX_REASON_LENGTH - prefix.length));
});

test('the deadline timer is cleared when the work ends first, so that it cannot fire in a later invocation', async () => {
  // GIVEN
  ivs.on(CreateStageCommand).resolves({ stage: { arn: ARN } });
  const setTimer = jest.spyOn(global, 'setTimeout');
  const clearTimer = jest.spyOn(global, 'clearTimeout');

  // WHEN
  await handler(stageCreate(), { getRemainingTimeInMillis: () => 60_000 } as Context);

  // THEN
  const deadline = setTimer.mock.results.find((_, i) => setTimer.mock.calls[i][1] === 55_000);
  expect(deadline).toBeDefined();
  expect(clearTimer).toHaveBeenCalledWith(deadline!.value);
  setTimer.mockRestore();
  clearTimer.mockRestore();
});

test.each([
  ['a string', 'the stage is gone', 'Delete failed: Error: the stage is gone'],
  ['undefined', undefined, 'Delete failed: Error: undefined'],
  ['null', null, 'Delete failed: Error: null'],
])('a failure that is not an Error (%s) is reported under the name Error, with its text', async (_, thrown, reason) => {
  // GIVEN a stage delete that fails with something other than an Error
  jest.spyOn(stage, 'onDelete').mockRejectedValueOnce(thrown);

  // WHEN the stage is deleted
  const { responses } = await invokeThroughWrapper(deleteEvent<StageResourceProperties>(STAGE_RESOURCE_TYPE, ARN, { Name: 'town-hall' }));

  // THEN the one response names it Error and gives its text
  expect(responses).toHaveLength(1);
  expect(responses[0]).toMatchObject({ Status: 'FAILED', Reason: reason });
});

describe('a confused deputy: requests that are not this stack\'s CloudFormation acting on this logical resource', () => {
  afterEach(() => {
    delete process.env[STACK_ID_VARIABLE];
  });

  test('an event of another stack is refused by name, and nothing is called', async () => {
    // GIVEN the handler of one stack, and a delete of a stage sent as if by another
    process.env[STACK_ID_VARIABLE] = 'arn:aws:cloudformation:us-east-1:111111111111:stack/OwnStack/0a9cd335-4c10-11ea-90d5-5b918d10cd98';
    const event = deleteEvent<StageResourceProperties>(STAGE_RESOURCE_TYPE, ARN, { Name: 'town-hall' });

    // WHEN / THEN
    await expect(handler(event)).rejects.toThrow(`Delete failed: Error: refusing a request of stack ${event.StackId}: this handler serves stack ${process.env[STACK_ID_VARIABLE]} only`);
    expect(ivs.calls()).toHaveLength(0);
  });

  test('an event of its own stack goes ahead', async () => {
    // GIVEN the handler of the event's own stack
    const event = deleteEvent<StageResourceProperties>(STAGE_RESOURCE_TYPE, ARN, { Name: 'town-hall' });
    process.env[STACK_ID_VARIABLE] = event.StackId;
    ivs.on(GetStageCommand, { arn: ARN }).resolves({ stage: { arn: ARN, tags: CREATE_CREATOR_TAGS } });
    ivs.on(DeleteStageCommand, { arn: ARN }).resolves({});

    // WHEN
    await handler(event);

    // THEN
    expect(ivs).toHaveReceivedCommandWith(DeleteStageCommand, { arn: ARN });
  });

  test('an Update naming a resource that CloudFormation does not hold for the logical resource is refused by name, and nothing is called', async () => {
    // GIVEN CloudFormation holding another stage for the logical resource
    cloudFormation.on(DescribeStackResourceCommand).resolves({
      StackResourceDetail: { LogicalResourceId: 'Stage0E8C2AF5', ResourceStatus: 'UPDATE_IN_PROGRESS', PhysicalResourceId: OTHER_ARN } as StackResourceDetail,
    });
    const event = updateEvent<StageResourceProperties>(STAGE_RESOURCE_TYPE, ARN, { Name: 'renamed' }, { Name: 'town-hall' });

    // WHEN / THEN
    await expect(handler(event)).rejects.toThrow(`Update failed: NotOwnedError: refusing to act on ${ARN}: CloudFormation holds ${OTHER_ARN} for Stage0E8C2AF5 of this stack`);
    expect(ivs.calls()).toHaveLength(0);
  });

  test('an Update naming the resource CloudFormation holds goes ahead', async () => {
    // GIVEN
    cloudFormation.on(DescribeStackResourceCommand).resolves({
      StackResourceDetail: { LogicalResourceId: 'Stage0E8C2AF5', ResourceStatus: 'UPDATE_IN_PROGRESS', PhysicalResourceId: ARN } as StackResourceDetail,
    });
    ivs.on(UpdateStageCommand).resolves({ stage: { arn: ARN } });

    // WHEN
    const response = await handler(updateEvent<StageResourceProperties>(STAGE_RESOURCE_TYPE, ARN, { Name: 'renamed' }, { Name: 'town-hall' }));

    // THEN
    expect(response).toMatchObject({ PhysicalResourceId: ARN });
  });
});

describe('after a create\'s answer: the check that CloudFormation took it', () => {
  const MADE_UP_ID = 'TestStack-Stage0E8C2AF5-1ABCDEF23456';
  const MINUTE = { getRemainingTimeInMillis: () => 60_000 };

  test('an adoption that CloudFormation cancels before it takes the answer is not checked: nothing is deleted', async () => {
    // GIVEN a stage made before the stack, adopted
    ivs.on(GetStageCommand).resolves({ stage: { arn: ARN, name: 'from-the-console', tags: {} } });
    ivs.on(TagResourceCommand).resolves({});

    // WHEN CloudFormation cancels the create before it takes the answer
    const { responses } = await invokeThroughWrapper(stageCreate({ AdoptArn: ARN }), MINUTE, {
      beforeReceived: async () => cloudFormationCancels(CREATE_LOGICAL_ID, MADE_UP_ID),
    });

    // THEN the adoption answered its ARN; no one asked CloudFormation after the answer, and nothing was deleted
    expect(responses).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: ARN })]);
    expect(cloudFormation).not.toHaveReceivedCommand(DescribeStackResourceCommand);
    expect(ivs).not.toHaveReceivedCommand(DeleteStageCommand);
  });

  test('a failed create is not checked after its answer', async () => {
    // GIVEN
    ivs.on(CreateStageCommand).rejects(new ConflictException({ message: 'busy', $metadata: {} }));

    // WHEN
    const { responses, handlerLogs } = await invokeThroughWrapper(stageCreate(), MINUTE);

    // THEN
    expect(responses).toEqual([expect.objectContaining({ Status: 'FAILED' })]);
    expect(cloudFormation).not.toHaveReceivedCommand(DescribeStackResourceCommand);
    expect(handlerLogs.filter((line) => line.includes('took the answer'))).toEqual([]);
  });

  test('a check that CloudFormation does not answer gives up at the deadline, says so, and its invocation ends', async () => {
    // GIVEN a create with a minute to run, and, once its answer is sent, 1 ms left and a CloudFormation that never answers
    ivs.on(CreateStageCommand).resolves({ stage: { arn: ARN } });
    let remaining = 60_000;
    const context = { getRemainingTimeInMillis: () => remaining };

    // WHEN
    const { responses, handlerLogs } = await invokeThroughWrapper(stageCreate(), context, {
      beforeReceived: async () => {
        remaining = DEADLINE_MARGIN_MS + 1;
        cloudFormation.on(DescribeStackResourceCommand).callsFake(() => new Promise(() => {}));
      },
    });

    // THEN
    expect(responses).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: ARN })]);
    expect(handlerLogs).toContain('the check whether CloudFormation took the answer gave up: no result within 0 seconds, giving up before the Lambda timeout');
    expect(ivs).not.toHaveReceivedCommand(DeleteStageCommand);
  });

  test('a create whose answer CloudFormation has not taken when the deadline comes leaves its stage, says so, and its invocation ends', async () => {
    // GIVEN CloudFormation showing the create in progress whatever comes, and 20 s to run (15 before the handler gives up)
    ivs.on(CreateStageCommand).resolves({ stage: { arn: ARN } });
    cloudFormationShowsResource(CREATE_LOGICAL_ID, { ResourceStatus: 'CREATE_IN_PROGRESS' });

    // WHEN
    const { responses, handlerLogs } = await invokeThroughWrapper(stageCreate(), { getRemainingTimeInMillis: () => 20_000 });

    // THEN
    expect(responses).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: ARN })]);
    expect(ivs).not.toHaveReceivedCommand(DeleteStageCommand);
    expect(handlerLogs).toContain(`CloudFormation still showed ${CREATE_LOGICAL_ID} CREATE_IN_PROGRESS when this invocation's time ran out: `
      + `whether it took the answer ${ARN} is unknown, and ${ARN} is left as it is (if the create was cancelled, delete it by hand)`);
  });

  test('a create that CloudFormation cancels before it takes the answer deletes its stage once the answer is sent', async () => {
    // GIVEN
    const order: string[] = [];
    ivs.on(CreateStageCommand).resolves({ stage: { arn: ARN } });
    ivs.on(GetStageCommand).resolves({ stage: { arn: ARN, tags: CREATE_CREATOR_TAGS } });
    ivs.on(DeleteStageCommand).callsFake(() => {
      order.push('DeleteStage');
      return {};
    });

    // WHEN
    const { responses } = await invokeThroughWrapper(stageCreate(), MINUTE, {
      beforeReceived: async () => {
        order.push('answer sent');
        cloudFormationCancels(CREATE_LOGICAL_ID, MADE_UP_ID);
      },
    });

    // THEN
    expect(responses).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: ARN })]);
    expect(order).toEqual(['answer sent', 'DeleteStage']);
  });
});
