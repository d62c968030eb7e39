import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { createEvent, updateEvent } from './events';
import { pointClientsAt } from './fresh-instance';
import {
  INGEST_CONFIGURATION_RESOURCE_TYPE as TYPE,
  IngestConfigurationResourceProperties,
  StreamKeySecretValue,
} from '../../src/custom-resources/ingest-configuration-contract';
import { useEmulator } from '../emulator/helpers';
import { CloudFormationStub } from '../simulator/cloudformation';
import { SecretsManagerStub } from '../simulator/secrets-manager';

/*
 * A replacing update that CloudFormation rolls back while it still runs (aws/aws-cdk#31541): the
 * rollback Update, back to the old ARN with old and new properties swapped, and the forward
 * Update, in either order. The real ingest configuration handler, through the real SDK clients,
 * against the IVS emulator, the CloudFormation stub and the Secrets Manager stub; the order is made
 * by holding the forward update's create in the emulator.
 */

// The SDK warns once per process on Node < 22; keep test output quiet.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

type Handler = typeof import('../../lambda/handler');
type Properties = Omit<IngestConfigurationResourceProperties, 'ServiceToken'>;
type Response = { PhysicalResourceId: string };

const t = useEmulator();
let cloudFormation: CloudFormationStub;
let secretsManager: SecretsManagerStub;
let handler: Handler['handler'];
let secretArn: string;

beforeAll(async () => {
  cloudFormation = await CloudFormationStub.start();
  secretsManager = await SecretsManagerStub.start(t.emu.region, t.emu.accountId);
  pointClientsAt('AWS_ENDPOINT_URL_IVS_REALTIME', t.emu.endpoint, t.emu.region);
  pointClientsAt('AWS_ENDPOINT_URL_CLOUDFORMATION', cloudFormation.endpoint, t.emu.region);
  pointClientsAt('AWS_ENDPOINT_URL_SECRETS_MANAGER', secretsManager.endpoint, t.emu.region);
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = (require('../../lambda/handler') as Handler).handler;
  });
});

afterAll(async () => {
  await cloudFormation.stop();
  await secretsManager.stop();
});

beforeEach(() => jest.spyOn(console, 'log').mockImplementation(() => {}));
afterEach(() => jest.restoreAllMocks());

/** A Lambda invocation of the handler with a minute to run. */
function invoke(event: CloudFormationCustomResourceEvent): Promise<Response> {
  const context = { getRemainingTimeInMillis: () => 60_000 } as Partial<Context> as Context;
  return handler(event, context) as Promise<Response>;
}

const OLD: () => Properties = () => ({ Name: 'encoder', IngestProtocol: 'RTMPS', InsecureIngest: 'false', RedundantIngest: 'false', StreamKeySecretArn: secretArn });
const RENAMED: () => Properties = () => ({ ...OLD(), Name: 'renamed-encoder' });

/** GIVEN an ingest configuration created by the stack, and CloudFormation updating it. */
async function givenCreated(): Promise<string> {
  secretArn = secretsManager.create(`StreamKey${Math.random().toString(36).slice(2, 8)}`, 'stream-key');
  const create = createEvent<IngestConfigurationResourceProperties>(TYPE, OLD());
  cloudFormation.setResource(create.StackId, create.LogicalResourceId, { status: 'CREATE_IN_PROGRESS', resourceType: TYPE });
  const { PhysicalResourceId: arn } = await invoke(create);
  cloudFormation.setResource(create.StackId, create.LogicalResourceId, { status: 'UPDATE_IN_PROGRESS', physicalResourceId: arn });
  cloudFormation.setStackStatus(create.StackId, 'UPDATE_IN_PROGRESS');
  return arn;
}

// Each request of CloudFormation has an ID of its own.
const forward = (arn: string) => ({ ...updateEvent<IngestConfigurationResourceProperties>(TYPE, arn, RENAMED(), OLD()), RequestId: 'forward-update' });
const rollback = (arn: string) => ({ ...updateEvent<IngestConfigurationResourceProperties>(TYPE, arn, OLD(), RENAMED()), RequestId: 'rollback-update' });
const configurations = () => t.emu.listResources().ingestConfigurations.map((c) => (c as { arn: string }).arn);
const secretValue = () => JSON.parse(secretsManager.get(secretArn)!.value!) as StreamKeySecretValue;

test('the rollback finishes while the forward update\'s create is held: the forward update deletes what it made, fails, and leaves the secret alone', async () => {
  // GIVEN
  const arn = await givenCreated();
  t.emu.injectFault({ kind: 'hold', operation: 'CreateIngestConfiguration', times: 1 });
  const forwardUpdate = invoke(forward(arn));
  const held = await t.emu.nextHeld();

  // WHEN CloudFormation rolls the update back, and then IVS carries out the forward update's create
  cloudFormation.setStackStatus(forward(arn).StackId, 'UPDATE_ROLLBACK_IN_PROGRESS');
  await expect(invoke(rollback(arn))).resolves.toMatchObject({ PhysicalResourceId: arn });
  await held.release();

  // THEN
  await expect(forwardUpdate).rejects.toThrow(/CloudFormation rolled back the update while it made arn:aws:ivs:.*, which was deleted again/);
  expect(configurations()).toEqual([arn]);
  expect(secretValue().ingestConfigurationArn).toBe(arn);
});

test('the forward update finishes first, its answer too late: the rollback deletes what it made and puts the old stream key back into the secret', async () => {
  // GIVEN a forward update that replaced the configuration and wrote the new stream key, before the rollback began
  const arn = await givenCreated();
  const { PhysicalResourceId: replacement } = await invoke(forward(arn));
  expect(secretValue().ingestConfigurationArn).toBe(replacement);

  // WHEN CloudFormation, which did not take that answer, rolls the update back
  cloudFormation.setStackStatus(forward(arn).StackId, 'UPDATE_ROLLBACK_IN_PROGRESS');
  await invoke(rollback(arn));

  // THEN
  expect(configurations()).toEqual([arn]);
  expect(secretValue().ingestConfigurationArn).toBe(arn);
});
