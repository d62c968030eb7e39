import { CloudFormationClient, DescribeStackResourceCommand, DescribeStacksCommand, StackResourceDetail, StackStatus } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';

/** The CloudFormation client of the handlers, mocked for the test file that imports this. */
export const cloudFormation = mockClient(CloudFormationClient);

/**
 * Logical ID → what CloudFormation shows of it once it took a create's answer or cancelled the
 * create; the others show the status `cloudFormationShows` was given.
 */
const changed = new Map<string, StackResourceDetail>();
/** Logical ID → what CloudFormation shows of it whatever answer comes (`cloudFormationShowsResource`). */
const pinned = new Map<string, StackResourceDetail>();
/** The status every other resource shows. */
let shownStatus: StackResourceDetail['ResourceStatus'] = 'CREATE_IN_PROGRESS';

/**
 * CloudFormation as a handler sees it while it waits for a create's answer: every resource asked
 * about is CREATE_IN_PROGRESS, unless `status` says otherwise, and the stack is UPDATE_IN_PROGRESS
 * (nothing rolled back), unless `stackStatus` says otherwise. Tests of the handler functions use it
 * in `beforeEach`, so that the check a create or a replacing update makes at its end finds it still
 * wanted. What a create answers through the response wrapper (cfn-wrapper.ts) CloudFormation takes,
 * as it does (`cloudFormationReceives`).
 */
export function cloudFormationShows(
  status: StackResourceDetail['ResourceStatus'] = 'CREATE_IN_PROGRESS',
  stackStatus: StackStatus = 'UPDATE_IN_PROGRESS',
): void {
  cloudFormation.reset();
  changed.clear();
  pinned.clear();
  shownStatus = status;
  cloudFormation.on(DescribeStackResourceCommand).callsFake((input: { LogicalResourceId: string }) => ({
    StackResourceDetail: pinned.get(input.LogicalResourceId) ?? changed.get(input.LogicalResourceId)
      ?? { LogicalResourceId: input.LogicalResourceId, ResourceStatus: status },
  }));
  cloudFormation.on(DescribeStacksCommand).callsFake((input: { StackName: string }) => ({
    Stacks: [{ StackId: input.StackName, StackName: 'TestStack', CreationTime: new Date(0), StackStatus: stackStatus }],
  }));
}

/** What CloudFormation shows of `logicalId` now. */
function statusOf(logicalId: string): StackResourceDetail['ResourceStatus'] {
  return changed.get(logicalId)?.ResourceStatus ?? shownStatus;
}

/**
 * CloudFormation receives the answer to a request of type `requestType`: while it waits for a
 * create (CREATE_IN_PROGRESS), it takes a Create's answer, and shows CREATE_COMPLETE with its
 * physical ID, or CREATE_FAILED; it ignores the answer of a create it no longer waits for (one it
 * cancelled). Other answers change nothing here.
 */
export function cloudFormationReceives(
  requestType: string,
  response: { readonly Status: string; readonly LogicalResourceId: string; readonly PhysicalResourceId: string },
): void {
  if (requestType !== 'Create' || statusOf(response.LogicalResourceId) !== 'CREATE_IN_PROGRESS') {
    return;
  }
  changed.set(response.LogicalResourceId, {
    LogicalResourceId: response.LogicalResourceId,
    ResourceStatus: response.Status === 'SUCCESS' ? 'CREATE_COMPLETE' : 'CREATE_FAILED',
    PhysicalResourceId: response.PhysicalResourceId,
  } as StackResourceDetail);
}

/**
 * CloudFormation cancels the create of `logicalId` (a sibling failed): it shows CREATE_FAILED with
 * the physical ID it made up, `madeUpId`, and ignores the create's answer from then on.
 */
export function cloudFormationCancels(logicalId: string, madeUpId: string): void {
  changed.set(logicalId, { LogicalResourceId: logicalId, ResourceStatus: 'CREATE_FAILED', PhysicalResourceId: madeUpId } as StackResourceDetail);
}

/** What CloudFormation shows of `logicalId` from now on, whatever answer comes (a CloudFormation that never takes it). */
export function cloudFormationShowsResource(logicalId: string, detail: Partial<StackResourceDetail>): void {
  pinned.set(logicalId, { ...detail, LogicalResourceId: logicalId } as StackResourceDetail);
}
