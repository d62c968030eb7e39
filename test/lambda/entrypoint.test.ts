import { DescribeStackResourceCommand } from '@aws-sdk/client-cloudformation';
import type { Context } from 'aws-lambda';
import { invokeThroughWrapper, WrappedInvocation } from './cfn-wrapper';
import { cloudFormation, cloudFormationCancels, cloudFormationShows } from './cloudformation-stub';
import { createEvent, deleteEvent } from './events';
import { pointClientsAt } from './fresh-instance';
import { STAGE_RESOURCE_TYPE, StageResourceProperties } from '../../src/custom-resources/stage-contract';
import { useEmulator } from '../emulator/helpers';

/*
 * The function's entry point, in front of the handler, against the IVS emulator: what
 * CloudFormation is answered after a create fails, and what the Delete it sends next does; and what
 * a create does after its answer when CloudFormation cancelled it before it took the answer.
 */

const t = useEmulator();

const CREATE = createEvent<StageResourceProperties>(STAGE_RESOURCE_TYPE, { Name: 'town-hall' });

beforeAll(() => pointClientsAt('AWS_ENDPOINT_URL_IVS_REALTIME', t.emu.endpoint, t.emu.region));
beforeEach(() => cloudFormationShows());

/** Three seconds before the handler gives up (it keeps five of the remaining time for the answer). */
const SHORT_INVOCATION = { getRemainingTimeInMillis: () => 8_000 } as Partial<Context>;
/** A minute to run. */
const MINUTE = { getRemainingTimeInMillis: () => 60_000 } as Partial<Context>;
/** The physical ID CloudFormation makes up for a create it cancels. */
const MADE_UP_ID = 'TestStack-Stage0E8C2AF5-1ABCDEF23456';

test('a create whose answer was lost after IVS made the stage, and whose look for it fails, fails; the Delete CloudFormation then sends deletes the stage', async () => {
  // GIVEN a CreateStage that commits and answers 500, and a ListStages that fails throughout the create
  t.emu.injectFault({ kind: 'afterCommit', lose: 'internal', operation: 'CreateStage', times: 1 });
  t.emu.injectFault({ kind: 'internal', operation: 'ListStages' });
  const created = await invokeThroughWrapper(CREATE, SHORT_INVOCATION);
  expect(created.responses).toEqual([expect.objectContaining({ Status: 'FAILED' })]);
  expect(t.emu.listResources().stages).toHaveLength(1);

  // WHEN CloudFormation rolls back: it deletes the resource, by the physical ID the failure answered
  t.emu.clearFaults();
  const deleted = await invokeThroughWrapper(
    deleteEvent<StageResourceProperties>(STAGE_RESOURCE_TYPE, created.responses[0].PhysicalResourceId, { Name: 'town-hall' }),
    SHORT_INVOCATION,
  );

  // THEN
  expect(deleted.responses).toEqual([expect.objectContaining({ Status: 'SUCCESS' })]);
  expect(t.emu.listResources().stages).toEqual([]);
});

test('CloudFormation cancels a create after the create\'s own look and before it takes the SUCCESS answer: the create deletes the stage after answering, and the Delete with the made-up ID makes no IVS call', async () => {
  // GIVEN a create whose look before its answer finds CloudFormation waiting for it (CREATE_IN_PROGRESS)
  const seen: { looksBeforeAnswer?: number; deleteCalls?: string[]; stagesAfterDelete?: number } = {};
  let deleted: WrappedInvocation | undefined;

  // WHEN, once it has sent its SUCCESS and before CloudFormation takes it, CloudFormation cancels
  // the create (a sibling failed) and sends the rollback's Delete with an ID it made up
  const created = await invokeThroughWrapper(CREATE, MINUTE, {
    beforeReceived: async () => {
      seen.looksBeforeAnswer = cloudFormation.commandCalls(DescribeStackResourceCommand).length;
      cloudFormationCancels(CREATE.LogicalResourceId, MADE_UP_ID);
      const before = t.emu.requests.length;
      deleted = await invokeThroughWrapper(deleteEvent<StageResourceProperties>(STAGE_RESOURCE_TYPE, MADE_UP_ID, { Name: 'town-hall' }), MINUTE);
      seen.deleteCalls = t.emu.requests.slice(before).map((request) => request.operation);
      seen.stagesAfterDelete = t.emu.listResources().stages.length;
    },
  });

  // THEN the create answered SUCCESS with its stage, after one look that found it still wanted
  const [answer] = created.responses;
  expect(answer).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: expect.stringMatching(/^arn:aws:ivs:.*:stage\//) });
  expect(seen.looksBeforeAnswer).toBe(1);
  // AND the Delete answered SUCCESS without an IVS call, leaving the stage to its create
  expect(deleted?.responses).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: MADE_UP_ID })]);
  expect(seen).toMatchObject({ deleteCalls: [], stagesAfterDelete: 1 });
  // AND the create, checking after its answer, found it ignored and deleted its stage
  expect(t.emu.listResources().stages).toEqual([]);
  expect(t.emu.requests.map((request) => request.operation)).toEqual(['CreateStage', 'GetStage', 'DeleteStage']);
  expect(created.handlerLogs).toContain(`CloudFormation did not take the answer ${answer.PhysicalResourceId} `
    + `(it shows ${CREATE.LogicalResourceId} CREATE_FAILED with ${MADE_UP_ID}); deleted ${answer.PhysicalResourceId}, which this create made`);
});

test('a create whose answer CloudFormation takes keeps its stage: the check after the answer finds it taken', async () => {
  // WHEN
  const created = await invokeThroughWrapper(CREATE, MINUTE);

  // THEN
  const [answer] = created.responses;
  expect(answer).toMatchObject({ Status: 'SUCCESS' });
  expect(t.emu.listResources().stages).toEqual([expect.objectContaining({ arn: answer.PhysicalResourceId })]);
  expect(t.emu.requests.map((request) => request.operation)).toEqual(['CreateStage']);
  expect(cloudFormation.commandCalls(DescribeStackResourceCommand)).toHaveLength(2);
  expect(created.handlerLogs).toContain(`CloudFormation took the answer ${answer.PhysicalResourceId}`);
});
