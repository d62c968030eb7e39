import { CloudFormationClient, DescribeStackResourceCommand, DescribeStacksCommand, StackResourceDetail, StackStatus } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';

/** The CloudFormation client of the handlers, mocked for the test file that imports this. */
export const cloudFormation = mockClient(CloudFormationClient);

/**
 * CloudFormation as a handler sees it while it waits for a create's answer: every resource asked
 * about is CREATE_IN_PROGRESS, unless `status` says otherwise, and the stack is UPDATE_IN_PROGRESS
 * (nothing rolled back), unless `stackStatus` says otherwise. Tests of the handler functions use it
 * in `beforeEach`, so that the check a create or a replacing update makes at its end finds it still
 * wanted.
 */
export function cloudFormationShows(
  status: StackResourceDetail['ResourceStatus'] = 'CREATE_IN_PROGRESS',
  stackStatus: StackStatus = 'UPDATE_IN_PROGRESS',
): void {
  cloudFormation.reset();
  cloudFormation.on(DescribeStackResourceCommand).callsFake((input: { LogicalResourceId: string }) => ({
    StackResourceDetail: { LogicalResourceId: input.LogicalResourceId, ResourceStatus: status },
  }));
  cloudFormation.on(DescribeStacksCommand).callsFake((input: { StackName: string }) => ({
    Stacks: [{ StackId: input.StackName, StackName: 'TestStack', CreationTime: new Date(0), StackStatus: stackStatus }],
  }));
}
