import type { Context } from 'aws-lambda';
import { invokeThroughWrapper } from './cfn-wrapper';
import { cloudFormationShows } from './cloudformation-stub';
import { createEvent, deleteEvent } from './events';
import { pointClientsAt } from './fresh-instance';
import { STAGE_RESOURCE_TYPE, StageResourceProperties } from '../../src/custom-resources/stage-contract';
import { useEmulator } from '../emulator/helpers';

/*
 * The function's entry point, in front of the handler, against the IVS emulator: what
 * CloudFormation is answered after a create fails, and what the Delete it sends next does.
 */

const t = useEmulator();

const CREATE = createEvent<StageResourceProperties>(STAGE_RESOURCE_TYPE, { Name: 'town-hall' });

beforeAll(() => pointClientsAt('AWS_ENDPOINT_URL_IVS_REALTIME', t.emu.endpoint, t.emu.region));
beforeEach(() => cloudFormationShows());

/** Three seconds before the handler gives up (it keeps five of the remaining time for the answer). */
const SHORT_INVOCATION = { getRemainingTimeInMillis: () => 8_000 } as Partial<Context>;

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
