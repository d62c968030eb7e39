import { CreateStageCommand, GetIngestConfigurationCommand } from '@aws-sdk/client-ivs-realtime';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { cloudFormationShows } from './cloudformation-stub';
import { CREATE_CREATOR_TAGS, createEvent, deleteEvent, updateEvent } from './events';
import {
  INGEST_CONFIGURATION_RESOURCE_TYPE as TYPE,
  IngestConfigurationResourceProperties,
  StreamKeySecretValue,
} from '../../src/custom-resources/ingest-configuration-contract';
import { useEmulator } from '../emulator/helpers';

/*
 * The handler's real SDK requests against the local IVS Real-Time emulator, which validates them as
 * the service would: a string where the API wants a boolean, or a missing member, fails here.
 * Secrets Manager is mocked: what the handler writes into it is compared with the emulator's state.
 * Each write becomes the secret's AWSCURRENT value and the one before it AWSPREVIOUS, as the
 * service labels them (the simulator's Secrets Manager stub models that).
 */

type Properties = Omit<IngestConfigurationResourceProperties, 'ServiceToken'>;
type Handler = typeof import('../../lambda/ingest-configuration');

const t = useEmulator();
const secrets = mockClient(SecretsManagerClient);
let handler: Handler;

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:IngestStreamKeySecret-AbCdEf';
const PROPS: Properties = {
  Name: 'studio',
  IngestProtocol: 'RTMPS',
  InsecureIngest: 'false',
  RedundantIngest: 'false',
  StreamKeySecretArn: SECRET_ARN,
};

const ENVIRONMENT = ['AWS_ENDPOINT_URL_IVS_REALTIME', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;
const savedEnvironment = Object.fromEntries(ENVIRONMENT.map((name) => [name, process.env[name]]));

beforeAll(() => {
  // The handler's client is created when its module loads, so the endpoint is set first.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_IVS_REALTIME: t.emu.endpoint,
    AWS_REGION: t.emu.region,
    AWS_ACCESS_KEY_ID: 'AKIAEMULATOREXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'emulator-secret-access-key',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  handler = require('../../lambda/ingest-configuration');
});

afterAll(() => {
  for (const name of ENVIRONMENT) {
    if (savedEnvironment[name] === undefined) {
      delete process.env[name];
    } else {
      process.env[name] = savedEnvironment[name];
    }
  }
});

beforeEach(() => {
  cloudFormationShows();
  secrets.reset();
  secrets.on(PutSecretValueCommand).resolves({});
});

const create = (props: Properties = PROPS) => handler.onCreate(createEvent<IngestConfigurationResourceProperties>(TYPE, props));
const update = (arn: string, props: Properties, old: Properties) =>
  handler.onUpdate(updateEvent<IngestConfigurationResourceProperties>(TYPE, arn, props, old));
const remove = (arn: string) => handler.onDelete(deleteEvent<IngestConfigurationResourceProperties>(TYPE, arn, PROPS));

/** The ingest configuration as the emulator holds it, stream key included. */
async function stored(arn: string) {
  return (await t.client.send(new GetIngestConfigurationCommand({ arn }))).ingestConfiguration!;
}

/** Every value written into the secret, decoded, in order. */
const secretValues = (): StreamKeySecretValue[] =>
  secrets.commandCalls(PutSecretValueCommand).map((call) => JSON.parse(call.args[0].input.SecretString!));

/** The secret's AWSCURRENT value: the last one written. */
const currentSecret = () => secretValues().at(-1)!;

/** The secret's AWSPREVIOUS value: the one written before the current one. */
const previousSecret = () => secretValues().at(-2)!;

async function newStage(): Promise<string> {
  return (await t.client.send(new CreateStageCommand({ name: 'stage' }))).stage!.arn!;
}

test('a create with every property is accepted, arrives with the API\'s types, and its stream key reaches only the secret', async () => {
  // GIVEN
  const stageArn = await newStage();
  t.emu.clearRequests();

  // WHEN
  const response = await create({
    ...PROPS,
    IngestProtocol: 'RTMP',
    InsecureIngest: 'true',
    RedundantIngest: 'true',
    StageArn: stageArn,
    UserId: 'studio-a',
    Attributes: { role: 'host' },
    Tags: { team: 'video' },
  });

  // THEN
  expect(t.emu.requests.map((r) => [r.operation, r.status])).toEqual([['CreateIngestConfiguration', 200]]);
  expect(t.emu.requests[0].body).toEqual({
    name: 'studio',
    ingestProtocol: 'RTMP',
    stageArn,
    userId: 'studio-a',
    attributes: { role: 'host' },
    insecureIngest: true,
    redundantIngest: true,
    tags: { team: 'video', ...CREATE_CREATOR_TAGS },
  });
  const ingest = await stored(response.PhysicalResourceId);
  expect(response.Data).toEqual({
    Arn: ingest.arn,
    IngestConfigurationId: ingest.arn!.split('/')[1],
    Name: ingest.name,
    ParticipantId: ingest.participantId,
    State: 'INACTIVE',
  });
  expect(secretValues()).toEqual([{
    ingestConfigurationArn: ingest.arn,
    participantId: ingest.participantId,
    streamKey: ingest.streamKey,
    redundantIngestCredentials: ingest.redundantIngestCredentials,
  }]);
  expect(JSON.stringify(response)).not.toContain(ingest.streamKey);
});

test('a request the service rejects fails the create with its reason, and nothing is written', async () => {
  // WHEN / THEN
  await expect(create({ ...PROPS, IngestProtocol: 'RTMP' })).rejects.toMatchObject({ name: 'ValidationException' });
  expect(t.emu.listResources().ingestConfigurations).toEqual([]);
  expect(secrets.calls()).toHaveLength(0);
});

test('a failed secret write leaves no ingest configuration behind', async () => {
  // GIVEN
  secrets.on(PutSecretValueCommand).rejects(Object.assign(new Error('the secret is scheduled for deletion'), { name: 'InvalidRequestException' }));

  // WHEN / THEN
  await expect(create()).rejects.toThrow('the secret is scheduled for deletion');
  expect(t.emu.listResources().ingestConfigurations).toEqual([]);
});

test('throttled creates are retried to success', async () => {
  // GIVEN
  t.emu.injectFault({ kind: 'throttle', operation: 'CreateIngestConfiguration', times: 2 });

  // WHEN
  const response = await create();

  // THEN
  expect(t.emu.listResources().ingestConfigurations).toHaveLength(1);
  expect(response.PhysicalResourceId).toMatch(/:ingest-configuration\//);
});

test('attaching, moving and detaching a stage keep the ingest configuration and its stream key', async () => {
  // GIVEN
  const [first, second] = [await newStage(), await newStage()];
  const { PhysicalResourceId: arn } = await create();
  const streamKey = (await stored(arn)).streamKey;

  // WHEN / THEN
  const attached = { ...PROPS, StageArn: first };
  expect((await update(arn, attached, PROPS)).PhysicalResourceId).toBe(arn);
  expect((await stored(arn)).stageArn).toBe(first);

  const moved = { ...PROPS, StageArn: second };
  expect((await update(arn, moved, attached)).PhysicalResourceId).toBe(arn);
  expect((await stored(arn)).stageArn).toBe(second);

  expect((await update(arn, PROPS, moved)).PhysicalResourceId).toBe(arn);
  expect(await stored(arn)).toMatchObject({ stageArn: '', streamKey });
  expect(secretValues()).toHaveLength(1);
});

test('turning redundant ingest on and off in place writes the credentials the service issued each time', async () => {
  // GIVEN
  const { PhysicalResourceId: arn } = await create();
  const on = { ...PROPS, RedundantIngest: 'true' };

  // WHEN
  await update(arn, on, PROPS);
  const withRedundant = await stored(arn);
  await update(arn, PROPS, on);

  // THEN
  expect(withRedundant.redundantIngestCredentials).toHaveLength(1);
  expect(secretValues().map((value) => value.redundantIngestCredentials)).toEqual([
    [],
    withRedundant.redundantIngestCredentials,
    [],
  ]);
  expect(secretValues().map((value) => value.streamKey)).toEqual(Array(3).fill(withRedundant.streamKey));
});

test('a replacing update creates a new ingest configuration with a new key; the delete CloudFormation sends then removes the old one', async () => {
  // GIVEN
  const { PhysicalResourceId: oldArn } = await create();

  // WHEN
  const { PhysicalResourceId: newArn } = await update(oldArn, { ...PROPS, Name: 'renamed' }, PROPS);
  await remove(oldArn);

  // THEN
  expect(newArn).not.toBe(oldArn);
  const remaining = t.emu.listResources().ingestConfigurations as { arn: string; name: string; streamKey: string }[];
  expect(remaining.map(({ arn, name }) => ({ arn, name }))).toEqual([{ arn: newArn, name: 'renamed' }]);
  expect(currentSecret()).toMatchObject({ ingestConfigurationArn: newArn, streamKey: remaining[0].streamKey });
});

test('when a replacing update is rolled back, the stream key of the ingest configuration that stays is the secret\'s previous value', async () => {
  // GIVEN an ingest configuration replaced by a rename
  const { PhysicalResourceId: oldArn } = await create();
  const renamed = { ...PROPS, Name: 'renamed' };
  const { PhysicalResourceId: newArn } = await update(oldArn, renamed, PROPS);
  const secretCalls = secrets.calls().length;

  // WHEN the stack update fails later and CloudFormation deletes the replacement
  await handler.onDelete(deleteEvent<IngestConfigurationResourceProperties>(TYPE, newArn, renamed));

  // THEN the delete leaves the secret alone (it cannot tell a rollback from a cleanup): the
  // current value names the deleted replacement, and the stream key that still works is kept
  const old = await stored(oldArn);
  expect(t.emu.listResources().ingestConfigurations).toHaveLength(1);
  expect(secrets.calls()).toHaveLength(secretCalls);
  expect(currentSecret().ingestConfigurationArn).toBe(newArn);
  expect(previousSecret()).toEqual({
    ingestConfigurationArn: oldArn,
    participantId: old.participantId,
    streamKey: old.streamKey,
    redundantIngestCredentials: [],
  });
});

test('tags change by difference', async () => {
  // GIVEN
  const before = { ...PROPS, Tags: { kept: 'same', changed: 'before', removed: 'gone' } };
  const { PhysicalResourceId: arn } = await create(before);
  t.emu.clearRequests();

  // WHEN
  await update(arn, { ...PROPS, Tags: { kept: 'same', changed: 'after', added: 'new' } }, before);

  // THEN
  expect(t.emu.requests.map((r) => r.operation)).toEqual(['TagResource', 'UntagResource', 'GetIngestConfiguration']);
  expect((await stored(arn)).tags).toEqual({ kept: 'same', changed: 'after', added: 'new', ...CREATE_CREATOR_TAGS });
});

test('a no-op update makes no mutating call', async () => {
  // GIVEN
  const { PhysicalResourceId: arn } = await create();
  t.emu.clearRequests();

  // WHEN
  const response = await update(arn, PROPS, { ...PROPS });

  // THEN
  expect(response.PhysicalResourceId).toBe(arn);
  expect(t.emu.requests.map((r) => r.operation)).toEqual(['GetIngestConfiguration']);
});

test('delete removes it, and a second delete of the same ID succeeds', async () => {
  // GIVEN
  const { PhysicalResourceId: arn } = await create();

  // WHEN
  await remove(arn);
  await remove(arn);

  // THEN
  expect(t.emu.listResources().ingestConfigurations).toEqual([]);
  // The second delete read it, found it gone, and did not call the delete.
  expect(t.emu.requests.filter((r) => r.operation.endsWith('IngestConfiguration')).map((r) => `${r.operation} ${r.status}`))
    .toEqual(expect.arrayContaining(['GetIngestConfiguration 200', 'DeleteIngestConfiguration 200', 'GetIngestConfiguration 404']));
  expect(t.emu.requests.filter((r) => r.operation === 'DeleteIngestConfiguration')).toHaveLength(1);
});
