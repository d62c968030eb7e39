import { createHash } from 'node:crypto';
import {
  AccessDeniedException,
  ConflictException,
  CreateIngestConfigurationCommand,
  DeleteIngestConfigurationCommand,
  GetIngestConfigurationCommand,
  IngestConfiguration,
  InternalServerException,
  IVSRealTimeClient,
  ListTagsForResourceCommand,
  ListIngestConfigurationsCommand,
  IVSRealTimeServiceException,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateIngestConfigurationCommand,
  ValidationException,
} from '@aws-sdk/client-ivs-realtime';
import {
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { invokeThroughWrapper } from './cfn-wrapper';
import { cloudFormationShows } from './cloudformation-stub';
import { CREATE_CREATOR_TAGS, createEvent, deleteEvent, updateEvent } from './events';
import { FAILED_CREATE_ID } from '../../lambda/failed-create';
import { onCreate, onDelete, onUpdate } from '../../lambda/ingest-configuration';
import {
  INGEST_CONFIGURATION_RESOURCE_TYPE as TYPE,
  IngestConfigurationResourceProperties,
} from '../../src/custom-resources/ingest-configuration-contract';

type Properties = Omit<IngestConfigurationResourceProperties, 'ServiceToken'>;

const ivs = mockClient(IVSRealTimeClient);
const secrets = mockClient(SecretsManagerClient);

const ARN = 'arn:aws:ivs:us-east-1:111111111111:ingest-configuration/AbCdEfGh1234';
const NEW_ARN = 'arn:aws:ivs:us-east-1:111111111111:ingest-configuration/NeWiNgEsT567';
const STAGE_ARN = 'arn:aws:ivs:us-east-1:111111111111:stage/StAgE1234567';
const OTHER_STAGE_ARN = 'arn:aws:ivs:us-east-1:111111111111:stage/OtHeR1234567';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:IngestStreamKeySecret-AbCdEf';
const STREAM_KEY = 'rt_111111111111_us-east-1_AbCdEfGh1234_s3cr3tStreamKeyMaterial0001';
const NEW_STREAM_KEY = 'rt_111111111111_us-east-1_NeWiNgEsT567_s3cr3tStreamKeyMaterial0002';
const REDUNDANT_KEY = 'rt_111111111111_us-east-1_AbCdEfGh1234_s3cr3tRedundantKeyMaterial03';
const REQUEST_ID = '8d8ab8f1-3b3e-4c4e-9a4c-6f1b1e6f2a10';

const INGEST: IngestConfiguration = {
  arn: ARN,
  name: 'studio',
  ingestProtocol: 'RTMPS',
  streamKey: STREAM_KEY,
  stageArn: '',
  participantId: 'xyZ654abC321',
  state: 'INACTIVE',
  userId: '',
  redundantIngest: false,
  attributes: {},
  tags: {},
};
const NEW_INGEST: IngestConfiguration = { ...INGEST, arn: NEW_ARN, streamKey: NEW_STREAM_KEY, participantId: 'nEw987pArT65' };

const DATA = { Arn: ARN, IngestConfigurationId: 'AbCdEfGh1234', Name: 'studio', ParticipantId: 'xyZ654abC321', State: 'INACTIVE' };

/** The properties as the construct renders them: every scalar a string. */
const PROPS: Properties = {
  Name: 'studio',
  IngestProtocol: 'RTMPS',
  InsecureIngest: 'false',
  RedundantIngest: 'false',
  StreamKeySecretArn: SECRET_ARN,
};

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

const create = (props: Properties) => onCreate(createEvent<IngestConfigurationResourceProperties>(TYPE, props));
const update = (props: Properties, old: Properties) => onUpdate(updateEvent<IngestConfigurationResourceProperties>(TYPE, ARN, props, old));
const remove = (physicalId: string) => onDelete(deleteEvent<IngestConfigurationResourceProperties>(TYPE, physicalId, PROPS));

/** What the handler wrote into the secret, decoded. */
function writtenSecret() {
  const calls = secrets.commandCalls(PutSecretValueCommand);
  expect(calls).toHaveLength(1);
  const { SecretString, ...rest } = calls[0].args[0].input;
  return { value: JSON.parse(SecretString!), ...rest };
}

const commandNames = (client: typeof ivs | typeof secrets) => client.calls().map((call) => call.args[0].constructor.name);

beforeEach(() => {
  cloudFormationShows();
  ivs.reset();
  secrets.reset();
  // Any call that a test does not expect fails it.
  ivs.onAnyCommand().rejects(new Error('unexpected IVS call'));
  // The rollback of a replacing update looks for what that update made: by default, nothing.
  ivs.on(ListIngestConfigurationsCommand).resolves({ ingestConfigurations: [] });
  secrets.onAnyCommand().rejects(new Error('unexpected Secrets Manager call'));
});

describe('create', () => {
  test('creates the ingest configuration, writes its credentials into the secret, and returns no secret', async () => {
    // GIVEN
    ivs.on(CreateIngestConfigurationCommand).resolves({ ingestConfiguration: INGEST });
    secrets.on(PutSecretValueCommand).resolves({});

    // WHEN
    const response = await create(PROPS);

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(JSON.stringify(response)).not.toContain(STREAM_KEY);
    expect(commandNames(ivs)).toEqual(['CreateIngestConfigurationCommand']);
    expect(writtenSecret()).toEqual({
      SecretId: SECRET_ARN,
      ClientRequestToken: digest(ARN) + digest(REQUEST_ID),
      value: {
        ingestConfigurationArn: ARN,
        participantId: 'xyZ654abC321',
        streamKey: STREAM_KEY,
        redundantIngestCredentials: [],
      },
    });
  });

  test('decodes the string-typed properties and passes stage, user, attributes and tags to the one create call', async () => {
    // GIVEN
    ivs.on(CreateIngestConfigurationCommand).resolves({ ingestConfiguration: INGEST });
    secrets.on(PutSecretValueCommand).resolves({});

    // WHEN
    await create({
      ...PROPS,
      IngestProtocol: 'RTMP',
      InsecureIngest: 'true',
      RedundantIngest: 'true',
      StageArn: STAGE_ARN,
      UserId: 'studio-a',
      Attributes: { role: 'host' },
      Tags: { team: 'video' },
    });

    // THEN
    expect(ivs.commandCalls(CreateIngestConfigurationCommand)[0].args[0].input).toEqual({
      name: 'studio',
      ingestProtocol: 'RTMP',
      stageArn: STAGE_ARN,
      userId: 'studio-a',
      attributes: { role: 'host' },
      insecureIngest: true,
      redundantIngest: true,
      tags: { team: 'video', ...CREATE_CREATOR_TAGS },
    });
    expect(ivs).not.toHaveReceivedCommand(TagResourceCommand);
  });

  test('redundant ingest credentials are written into the secret too', async () => {
    // GIVEN
    ivs.on(CreateIngestConfigurationCommand).resolves({
      ingestConfiguration: { ...INGEST, redundantIngest: true, redundantIngestCredentials: [{ participantId: 'rEdUnDaNt001', streamKey: REDUNDANT_KEY }] },
    });
    secrets.on(PutSecretValueCommand).resolves({});

    // WHEN
    const response = await create({ ...PROPS, RedundantIngest: 'true' });

    // THEN
    expect(writtenSecret().value.redundantIngestCredentials).toEqual([{ participantId: 'rEdUnDaNt001', streamKey: REDUNDANT_KEY }]);
    expect(JSON.stringify(response)).not.toContain(REDUNDANT_KEY);
  });

  test.each(['InsecureIngest', 'RedundantIngest'])('a %s that is neither "true" nor "false" fails before any call, naming the property', async (property) => {
    // WHEN / THEN
    await expect(create({ ...PROPS, [property]: 'yes' })).rejects.toThrow(`property ${property} must be "true" or "false", got "yes"`);
    expect(ivs.calls()).toHaveLength(0);
    expect(secrets.calls()).toHaveLength(0);
  });

  test('an API error fails the create and writes nothing', async () => {
    // GIVEN
    ivs.on(CreateIngestConfigurationCommand).rejects(new ValidationException({ message: 'insecureIngest must be true', $metadata: {} }));

    // WHEN / THEN
    await expect(create(PROPS)).rejects.toThrow(ValidationException);
    expect(secrets.calls()).toHaveLength(0);
  });

  test('a failed secret write deletes the new ingest configuration before failing, so nothing leaks', async () => {
    // GIVEN
    ivs.on(CreateIngestConfigurationCommand).resolves({ ingestConfiguration: INGEST });
    ivs.on(DeleteIngestConfigurationCommand, { arn: ARN, force: true }, true).resolves({});
    secrets.on(PutSecretValueCommand).rejects(Object.assign(new Error('the secret is scheduled for deletion'), { name: 'InvalidRequestException' }));

    // WHEN / THEN the delete disconnects a publisher that may already stream, and succeeds
    await expect(create(PROPS)).rejects.toThrow(/^the secret is scheduled for deletion$/);
    expect(commandNames(ivs)).toEqual(['CreateIngestConfigurationCommand', 'DeleteIngestConfigurationCommand']);
    expect(ivs).toHaveReceivedCommandWith(DeleteIngestConfigurationCommand, { arn: ARN, force: true });
  });

  test('a create whose answer holds no ingest configuration fails, and writes nothing', async () => {
    // GIVEN
    ivs.on(CreateIngestConfigurationCommand).resolves({});

    // WHEN / THEN
    await expect(create(PROPS)).rejects.toThrow('the IVS response has no ingest configuration');
    expect(secrets.calls()).toHaveLength(0);
  });

  test('when the undo fails too, the error names the ingest configuration left behind', async () => {
    // GIVEN
    ivs.on(CreateIngestConfigurationCommand).resolves({ ingestConfiguration: INGEST });
    ivs.on(DeleteIngestConfigurationCommand).rejects(new ConflictException({ message: 'busy', $metadata: {} }));
    secrets.on(PutSecretValueCommand).rejects(Object.assign(new Error('the secret is scheduled for deletion'), { name: 'InvalidRequestException' }));

    // WHEN
    const error = await create(PROPS).catch((e: Error) => e);

    // THEN
    expect(error).toMatchObject({
      name: 'InvalidRequestException',
      message: `the secret is scheduled for deletion; deleting ${ARN} afterwards failed too (ConflictException: busy): delete it by hand`,
    });
  });

  test('a write denied while the new permission propagates is retried until it is allowed', async () => {
    // GIVEN
    jest.useFakeTimers();
    ivs.on(CreateIngestConfigurationCommand).resolves({ ingestConfiguration: INGEST });
    const denied = Object.assign(new Error('not authorized to perform secretsmanager:PutSecretValue'), { name: 'AccessDeniedException' });
    secrets.on(PutSecretValueCommand).rejectsOnce(denied).rejectsOnce(denied).resolves({});

    try {
      // WHEN
      const response = create(PROPS);
      await jest.advanceTimersByTimeAsync(3_000);

      // THEN
      await expect(response).resolves.toEqual({ PhysicalResourceId: ARN, Data: DATA });
      expect(secrets).toHaveReceivedCommandTimes(PutSecretValueCommand, 3);
      expect(ivs).not.toHaveReceivedCommand(DeleteIngestConfigurationCommand);
    } finally {
      jest.useRealTimers();
    }
  });

  test('a write still denied after the propagation delays fails and undoes the create', async () => {
    // GIVEN
    jest.useFakeTimers();
    ivs.on(CreateIngestConfigurationCommand).resolves({ ingestConfiguration: INGEST });
    ivs.on(DeleteIngestConfigurationCommand).resolves({});
    secrets.on(PutSecretValueCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));

    try {
      // WHEN
      const response = create(PROPS);
      const outcome = expect(response).rejects.toThrow('not authorized');
      await jest.advanceTimersByTimeAsync(15_000);

      // THEN
      await outcome;
      expect(secrets).toHaveReceivedCommandTimes(PutSecretValueCommand, 5);
      expect(ivs).toHaveReceivedCommandTimes(DeleteIngestConfigurationCommand, 1);
    } finally {
      jest.useRealTimers();
    }
  });

  test('an answer without participant ID, stream key or state, which the API model marks required, is stored and answered with empty strings', async () => {
    // GIVEN (the SDK does not check that a response has what its model requires)
    const { participantId: _p, streamKey: _k, state: _s, ...bare } = INGEST;
    ivs.on(CreateIngestConfigurationCommand).resolves({ ingestConfiguration: { ...bare, redundantIngestCredentials: [{}] } as IngestConfiguration });
    secrets.on(PutSecretValueCommand).resolves({});

    // WHEN
    const response = await create(PROPS);

    // THEN
    expect(response.Data).toEqual({ ...DATA, ParticipantId: '', State: '' });
    expect(writtenSecret().value).toEqual({
      ingestConfigurationArn: ARN, participantId: '', streamKey: '', redundantIngestCredentials: [{ participantId: '', streamKey: '' }],
    });
  });
  test('after a lost answer, finds the ingest configuration its create made by its creator tag, and writes its credentials', async () => {
    // GIVEN a create whose answer was lost after IVS made it; List summaries carry no tags
    ivs.on(CreateIngestConfigurationCommand).rejects(new InternalServerException({ message: 'internal', $metadata: { httpStatusCode: 500 } }));
    ivs.on(ListIngestConfigurationsCommand).resolves({
      ingestConfigurations: [{ arn: ARN, name: PROPS.Name, ingestProtocol: 'RTMPS', stageArn: '', participantId: INGEST.participantId, state: 'INACTIVE' }],
    });
    ivs.on(ListTagsForResourceCommand, { resourceArn: ARN }).resolves({ tags: CREATE_CREATOR_TAGS });
    ivs.on(GetIngestConfigurationCommand, { arn: ARN }, true).resolves({ ingestConfiguration: INGEST });
    secrets.on(PutSecretValueCommand).resolves({});

    // WHEN
    const response = await create(PROPS);

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(ivs).toHaveReceivedCommandTimes(CreateIngestConfigurationCommand, 1);
    expect(writtenSecret().value).toMatchObject({ ingestConfigurationArn: ARN, streamKey: STREAM_KEY });
  });
});

describe('update', () => {
  test('attaching to a stage is done in place, without touching the secret', async () => {
    // GIVEN
    ivs.on(UpdateIngestConfigurationCommand, { arn: ARN, stageArn: STAGE_ARN }, true)
      .resolves({ ingestConfiguration: { ...INGEST, stageArn: STAGE_ARN } });

    // WHEN
    const response = await update({ ...PROPS, StageArn: STAGE_ARN }, PROPS);

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(commandNames(ivs)).toEqual(['UpdateIngestConfigurationCommand']);
    expect(secrets.calls()).toHaveLength(0);
  });

  test('moving to another stage is done in place', async () => {
    // GIVEN
    ivs.on(UpdateIngestConfigurationCommand, { arn: ARN, stageArn: OTHER_STAGE_ARN }, true)
      .resolves({ ingestConfiguration: { ...INGEST, stageArn: OTHER_STAGE_ARN } });

    // WHEN
    const response = await update({ ...PROPS, StageArn: OTHER_STAGE_ARN }, { ...PROPS, StageArn: STAGE_ARN });

    // THEN
    expect(response.PhysicalResourceId).toBe(ARN);
    expect(ivs).toHaveReceivedCommandTimes(UpdateIngestConfigurationCommand, 1);
  });

  test('removing the stage detaches with an empty stage ARN', async () => {
    // GIVEN
    ivs.on(UpdateIngestConfigurationCommand, { arn: ARN, stageArn: '' }, true).resolves({ ingestConfiguration: INGEST });

    // WHEN
    const response = await update(PROPS, { ...PROPS, StageArn: STAGE_ARN });

    // THEN
    expect(response.PhysicalResourceId).toBe(ARN);
    expect(ivs).toHaveReceivedCommandTimes(UpdateIngestConfigurationCommand, 1);
  });

  test('turning redundant ingest on is done in place and writes the new redundant credentials', async () => {
    // GIVEN
    ivs.on(UpdateIngestConfigurationCommand, { arn: ARN, redundantIngest: true }, true).resolves({
      ingestConfiguration: { ...INGEST, redundantIngest: true, redundantIngestCredentials: [{ participantId: 'rEdUnDaNt001', streamKey: REDUNDANT_KEY }] },
    });
    secrets.on(PutSecretValueCommand).resolves({});

    // WHEN
    const response = await update({ ...PROPS, RedundantIngest: 'true' }, PROPS);

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(writtenSecret()).toEqual({
      SecretId: SECRET_ARN,
      ClientRequestToken: digest(ARN) + digest(REQUEST_ID),
      value: {
        ingestConfigurationArn: ARN,
        participantId: 'xyZ654abC321',
        streamKey: STREAM_KEY,
        redundantIngestCredentials: [{ participantId: 'rEdUnDaNt001', streamKey: REDUNDANT_KEY }],
      },
    });
  });

  test.each<[string, Partial<Properties>]>([
    ['Name', { Name: 'renamed' }],
    ['IngestProtocol', { IngestProtocol: 'RTMP', InsecureIngest: 'true' }],
    ['UserId', { UserId: 'studio-b' }],
    ['Attributes', { Attributes: { role: 'guest' } }],
    ['InsecureIngest', { InsecureIngest: 'true' }],
  ])('a new %s replaces the ingest configuration and writes the new stream key into the same secret', async (_, change) => {
    // GIVEN
    ivs.on(GetIngestConfigurationCommand, { arn: ARN }, true).resolves({ ingestConfiguration: INGEST });
    ivs.on(CreateIngestConfigurationCommand).resolves({ ingestConfiguration: NEW_INGEST });
    secrets.on(PutSecretValueCommand).resolves({});

    // WHEN
    const response = await update({ ...PROPS, ...change }, PROPS);

    // THEN
    expect(response).toEqual({
      PhysicalResourceId: NEW_ARN,
      Data: { Arn: NEW_ARN, IngestConfigurationId: 'NeWiNgEsT567', Name: 'studio', ParticipantId: 'nEw987pArT65', State: 'INACTIVE' },
    });
    // CloudFormation deletes the old one after the update, so the update itself deletes nothing.
    expect(commandNames(ivs)).toEqual(['GetIngestConfigurationCommand', 'CreateIngestConfigurationCommand']);
    expect(writtenSecret()).toMatchObject({ SecretId: SECRET_ARN, value: { ingestConfigurationArn: NEW_ARN, streamKey: NEW_STREAM_KEY } });
  });

  test('the Update back of a replacing update that failed finds the ingest configuration as asked, and keeps it and its key', async () => {
    // GIVEN the rename failed, so the ingest configuration still is as PROPS created it
    ivs.on(GetIngestConfigurationCommand, { arn: ARN }, true).resolves({ ingestConfiguration: INGEST });

    // WHEN CloudFormation rolls back: old and new swapped
    const response = await update(PROPS, { ...PROPS, Name: 'renamed' });

    // THEN nothing is created, and the secret is not written
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(commandNames(ivs)).toEqual(['GetIngestConfigurationCommand', 'ListIngestConfigurationsCommand', 'GetIngestConfigurationCommand']);
    expect(secrets.calls()).toHaveLength(0);
  });

  test('insecure ingest, which the API does not show, cannot tell a rollback from a change: its change alone replaces the ingest configuration', async () => {
    // GIVEN an ingest configuration that reads the same either way
    ivs.on(GetIngestConfigurationCommand, { arn: ARN }, true).resolves({ ingestConfiguration: INGEST });
    ivs.on(CreateIngestConfigurationCommand).resolves({ ingestConfiguration: NEW_INGEST });
    secrets.on(PutSecretValueCommand).resolves({});

    // WHEN
    const response = await update(PROPS, { ...PROPS, InsecureIngest: 'true' });

    // THEN
    expect(response.PhysicalResourceId).toBe(NEW_ARN);
  });

  test('the same attributes in another order do not replace the ingest configuration', async () => {
    // GIVEN
    ivs.on(GetIngestConfigurationCommand).resolves({ ingestConfiguration: INGEST });

    // WHEN
    const response = await update({ ...PROPS, Attributes: { a: '1', b: '2' } }, { ...PROPS, Attributes: { b: '2', a: '1' } });

    // THEN
    expect(response.PhysicalResourceId).toBe(ARN);
    expect(commandNames(ivs)).toEqual(['GetIngestConfigurationCommand']);
  });

  test.each<[string, Partial<Properties>]>([
    ['InsecureIngest', { InsecureIngest: 'yes' }],
    ['RedundantIngest', { RedundantIngest: 'yes' }],
  ])('an update whose %s is neither "true" nor "false", in the new or the old properties, fails before any call, naming the property', async (property, change) => {
    // WHEN / THEN
    await expect(update({ ...PROPS, ...change }, PROPS)).rejects.toThrow(`property ${property} must be "true" or "false", got "yes"`);
    await expect(update(PROPS, { ...PROPS, ...change })).rejects.toThrow(`property ${property} must be "true" or "false", got "yes"`);
    expect(ivs.calls()).toHaveLength(0);
  });

  test('an update whose answers hold no ingest configuration fails', async () => {
    // GIVEN
    ivs.on(UpdateIngestConfigurationCommand).resolves({});
    ivs.on(GetIngestConfigurationCommand).resolves({});

    // WHEN / THEN
    await expect(update({ ...PROPS, StageArn: STAGE_ARN }, PROPS)).rejects.toThrow('the IVS response has no ingest configuration');
  });

  test('the Update back of a failed rename of an ingest configuration without a user ID, which IVS returns without the field, keeps it', async () => {
    // GIVEN
    const { userId: _none, ...withoutUserId } = INGEST;
    ivs.on(GetIngestConfigurationCommand, { arn: ARN }, true).resolves({ ingestConfiguration: withoutUserId });

    // WHEN CloudFormation rolls back: old and new swapped
    const response = await update(PROPS, { ...PROPS, Name: 'renamed' });

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
  });

  test('the Update back of a failed rename of an ingest configuration without attributes, which IVS returns without the field, keeps it', async () => {
    // GIVEN
    const { attributes: _none, ...withoutAttributes } = INGEST;
    ivs.on(GetIngestConfigurationCommand, { arn: ARN }, true).resolves({ ingestConfiguration: withoutAttributes });

    // WHEN CloudFormation rolls back: old and new swapped
    const response = await update(PROPS, { ...PROPS, Name: 'renamed' });

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
  });

  test('a protocol change without an insecure-ingest change replaces the ingest configuration', async () => {
    // GIVEN an unencrypted RTMP ingest configuration that allows insecure ingest
    const rtmp: Properties = { ...PROPS, IngestProtocol: 'RTMP', InsecureIngest: 'true' };
    ivs.on(GetIngestConfigurationCommand, { arn: ARN }, true).resolves({ ingestConfiguration: { ...INGEST, ingestProtocol: 'RTMP' } });
    ivs.on(CreateIngestConfigurationCommand).resolves({ ingestConfiguration: NEW_INGEST });
    secrets.on(PutSecretValueCommand).resolves({});

    // WHEN it moves to RTMPS and still allows insecure ingest
    const response = await update({ ...rtmp, IngestProtocol: 'RTMPS' }, rtmp);

    // THEN
    expect(response.PhysicalResourceId).toBe(NEW_ARN);
    expect(ivs).toHaveReceivedCommandWith(CreateIngestConfigurationCommand, { ingestProtocol: 'RTMPS', insecureIngest: true });
  });

  test('the Update back of a protocol change that failed finds the ingest configuration as asked, and keeps it and its key', async () => {
    // GIVEN the move from RTMP to RTMPS failed, so the ingest configuration still uses RTMP
    const rtmp: Properties = { ...PROPS, IngestProtocol: 'RTMP', InsecureIngest: 'true' };
    ivs.on(GetIngestConfigurationCommand, { arn: ARN }, true).resolves({ ingestConfiguration: { ...INGEST, ingestProtocol: 'RTMP' } });

    // WHEN CloudFormation rolls back: old and new swapped
    const response = await update(rtmp, { ...rtmp, IngestProtocol: 'RTMPS' });

    // THEN nothing is created, and the secret is not written
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(secrets.calls()).toHaveLength(0);
  });

  test('the Update back of a user ID change that failed finds the ingest configuration as asked, and keeps it and its key', async () => {
    // GIVEN the user ID change failed, so the ingest configuration still has the old user ID
    ivs.on(GetIngestConfigurationCommand, { arn: ARN }, true).resolves({ ingestConfiguration: { ...INGEST, userId: 'studio-a' } });

    // WHEN CloudFormation rolls back: old and new swapped
    const response = await update({ ...PROPS, UserId: 'studio-a' }, { ...PROPS, UserId: 'studio-b' });

    // THEN nothing is created, and the secret is not written
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(commandNames(ivs)).toEqual(['GetIngestConfigurationCommand', 'ListIngestConfigurationsCommand', 'GetIngestConfigurationCommand']);
    expect(secrets.calls()).toHaveLength(0);
  });

  test.each([
    // IVS Real-Time declares no throttling exception of its own: the SDK makes a service exception named after it.
    ['throttled', new IVSRealTimeServiceException({ name: 'ThrottlingException', $fault: 'client', message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } })],
    ['denied', new AccessDeniedException({ message: 'not authorized to perform ivs:GetIngestConfiguration', $metadata: {} })],
  ])('a replacing update whose read of the current ingest configuration is %s fails, and creates nothing', async (_, error) => {
    // GIVEN the read that tells a rollback from a forward update fails with something other than not-found
    ivs.on(GetIngestConfigurationCommand, { arn: ARN }, true).rejects(error);

    // WHEN / THEN the update fails with that error: replacing without knowing could leave a duplicate
    await expect(update({ ...PROPS, Name: 'renamed' }, PROPS)).rejects.toBe(error);
    expect(commandNames(ivs)).toEqual(['GetIngestConfigurationCommand']);
    expect(secrets.calls()).toHaveLength(0);
  });

  test('a replacing update of an ingest configuration that is gone creates the new one', async () => {
    // GIVEN
    ivs.on(GetIngestConfigurationCommand, { arn: ARN }, true).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
    ivs.on(CreateIngestConfigurationCommand).resolves({ ingestConfiguration: NEW_INGEST });
    secrets.on(PutSecretValueCommand).resolves({});

    // WHEN
    const response = await update({ ...PROPS, Name: 'renamed' }, PROPS);

    // THEN
    expect(response.PhysicalResourceId).toBe(NEW_ARN);
  });

  test('a replacing update whose secret write fails deletes the new ingest configuration and keeps the old one', async () => {
    // GIVEN
    ivs.on(GetIngestConfigurationCommand, { arn: ARN }, true).resolves({ ingestConfiguration: INGEST });
    ivs.on(CreateIngestConfigurationCommand).resolves({ ingestConfiguration: NEW_INGEST });
    ivs.on(DeleteIngestConfigurationCommand, { arn: NEW_ARN, force: true }, true).resolves({});
    secrets.on(PutSecretValueCommand).rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));

    // WHEN / THEN
    await expect(update({ ...PROPS, Name: 'renamed' }, PROPS)).rejects.toThrow('throttled');
    expect(ivs).toHaveReceivedCommandTimes(DeleteIngestConfigurationCommand, 1);
    expect(ivs).not.toHaveReceivedCommandWith(DeleteIngestConfigurationCommand, { arn: ARN });
  });

  test('tags change by difference, and only the attributes are read back', async () => {
    // GIVEN
    ivs.on(TagResourceCommand, { resourceArn: ARN, tags: { added: 'new', changed: 'after' } }, true).resolves({});
    ivs.on(UntagResourceCommand, { resourceArn: ARN, tagKeys: ['removed'] }, true).resolves({});
    ivs.on(GetIngestConfigurationCommand, { arn: ARN }, true).resolves({ ingestConfiguration: INGEST });

    // WHEN
    const response = await update(
      { ...PROPS, Tags: { kept: 'same', changed: 'after', added: 'new' } },
      { ...PROPS, Tags: { kept: 'same', changed: 'before', removed: 'gone' } },
    );

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(commandNames(ivs)).toEqual(['TagResourceCommand', 'UntagResourceCommand', 'GetIngestConfigurationCommand']);
    expect(secrets.calls()).toHaveLength(0);
  });

  test('an update that changes nothing changes nothing: it only reads the attributes back', async () => {
    // GIVEN
    ivs.on(GetIngestConfigurationCommand, { arn: ARN }, true).resolves({ ingestConfiguration: { ...INGEST, stageArn: STAGE_ARN } });
    const props: Properties = { ...PROPS, StageArn: STAGE_ARN, UserId: 'u', Attributes: { a: '1' }, Tags: { team: 'video' } };

    // WHEN
    const response = await update(props, JSON.parse(JSON.stringify(props)));

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(commandNames(ivs)).toEqual(['GetIngestConfigurationCommand']);
    expect(secrets.calls()).toHaveLength(0);
  });

  test('a new secret gets the current credentials, in place', async () => {
    // GIVEN
    const newSecret = `${SECRET_ARN}2`;
    ivs.on(GetIngestConfigurationCommand, { arn: ARN }, true).resolves({ ingestConfiguration: INGEST });
    secrets.on(PutSecretValueCommand).resolves({});

    // WHEN
    const response = await update({ ...PROPS, StreamKeySecretArn: newSecret }, PROPS);

    // THEN
    expect(response.PhysicalResourceId).toBe(ARN);
    expect(writtenSecret()).toMatchObject({ SecretId: newSecret, value: { ingestConfigurationArn: ARN, streamKey: STREAM_KEY } });
  });

  test('an in-place update of an active ingest configuration fails with the service\'s reason', async () => {
    // GIVEN
    ivs.on(UpdateIngestConfigurationCommand).rejects(new ConflictException({ message: 'active', $metadata: {} }));

    // WHEN / THEN
    await expect(update({ ...PROPS, StageArn: STAGE_ARN }, PROPS)).rejects.toThrow(ConflictException);
  });
});

describe('delete', () => {
  // The ingestconfiguration as IVS holds it, made by this logical resource: a delete reads it first.
  beforeEach(() => {
    ivs.on(GetIngestConfigurationCommand, { arn: ARN }).resolves({ ingestConfiguration: { ...INGEST, tags: CREATE_CREATOR_TAGS } });
  });

  test('deletes the ingest configuration, disconnecting a publisher, in one call that leaves the secret alone', async () => {
    // GIVEN
    ivs.on(GetIngestConfigurationCommand, { arn: ARN }).resolves({ ingestConfiguration: { ...INGEST, tags: CREATE_CREATOR_TAGS } });
    ivs.on(DeleteIngestConfigurationCommand, { arn: ARN, force: true }, true).resolves({});

    // WHEN
    await remove(ARN);

    // THEN
    expect(commandNames(ivs)).toEqual(['GetIngestConfigurationCommand', 'DeleteIngestConfigurationCommand']);
    expect(secrets.calls()).toHaveLength(0);
  });

  test('an ingest configuration that is already gone counts as deleted', async () => {
    // GIVEN
    ivs.on(GetIngestConfigurationCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));

    // WHEN / THEN
    await expect(remove(ARN)).resolves.toBeUndefined();
  });

  test('the ID of a failed create deletes the ingest configuration its create made, found by its creator tag', async () => {
    // GIVEN what its create made, listed without tags, which are read separately
    ivs.on(ListIngestConfigurationsCommand).resolves({
      ingestConfigurations: [{ arn: ARN, name: PROPS.Name, ingestProtocol: 'RTMPS', stageArn: '', participantId: INGEST.participantId, state: 'INACTIVE' }],
    });
    ivs.on(ListTagsForResourceCommand, { resourceArn: ARN }).resolves({ tags: CREATE_CREATOR_TAGS });
    ivs.on(DeleteIngestConfigurationCommand).resolves({});

    // WHEN
    await remove(FAILED_CREATE_ID);

    // THEN
    expect(ivs).toHaveReceivedCommandWith(DeleteIngestConfigurationCommand, { arn: ARN, force: true });
  });

  test.each([
    ['aws-cdk-lib\'s failed-create marker', 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED'],
    ['an ID CloudFormation made up', 'TestStack-Ingest4069586C-1ABCDEF23456'],
    ['another resource type', STAGE_ARN],
  ])('%s, neither an ingest configuration ARN nor the ID of a failed create, makes no IVS call: a cancelled create deletes what it made itself', async (_, physicalId) => {
    // WHEN
    await remove(physicalId);

    // THEN
    expect(ivs.calls()).toHaveLength(0);
  });

  test('the ID of a failed create: the list is searched for what its create made, and with none found nothing is deleted', async () => {
    // GIVEN
    ivs.on(ListIngestConfigurationsCommand).resolves({ ingestConfigurations: [] });

    // WHEN
    await remove(FAILED_CREATE_ID);

    // THEN
    expect(ivs).toHaveReceivedCommand(ListIngestConfigurationsCommand);
    expect(ivs.calls()).toHaveLength(1);
  });

  test('any other error fails the delete', async () => {
    // GIVEN
    ivs.on(DeleteIngestConfigurationCommand).rejects(new ConflictException({ message: 'in use', $metadata: {} }));

    // WHEN / THEN
    await expect(remove(ARN)).rejects.toThrow(ConflictException);
  });
});

describe('inside the response wrapper', () => {
  const REDUNDANT: IngestConfiguration = {
    ...INGEST, redundantIngest: true, redundantIngestCredentials: [{ participantId: 'rEdUnDaNt001', streamKey: REDUNDANT_KEY }],
  };

  test('neither the stream key nor a redundant key appears in a response or a log line', async () => {
    // GIVEN
    ivs.on(CreateIngestConfigurationCommand).resolves({ ingestConfiguration: REDUNDANT });
    secrets.on(PutSecretValueCommand).resolves({});

    // WHEN
    const { responses, responseBodies, logs } = await invokeThroughWrapper(
      createEvent<IngestConfigurationResourceProperties>(TYPE, { ...PROPS, RedundantIngest: 'true' }),
    );

    // THEN
    expect(responses).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: ARN, Data: DATA })]);
    const everything = [...responseBodies, ...logs].join('\n');
    for (const secret of [STREAM_KEY, REDUNDANT_KEY, 's3cr3t']) {
      expect(everything).not.toContain(secret);
    }
    expect(logs.length).toBeGreaterThan(0);
  });

  test('a failed secret write reports FAILED with a reason that holds no key', async () => {
    // GIVEN
    ivs.on(CreateIngestConfigurationCommand).resolves({ ingestConfiguration: REDUNDANT });
    ivs.on(DeleteIngestConfigurationCommand).resolves({});
    secrets.on(PutSecretValueCommand).rejects(Object.assign(new Error('the secret is scheduled for deletion'), { name: 'InvalidRequestException' }));

    // WHEN
    const { responses, responseBodies, logs } = await invokeThroughWrapper(createEvent<IngestConfigurationResourceProperties>(TYPE, PROPS));

    // THEN
    expect(responses).toEqual([expect.objectContaining({
      Status: 'FAILED',
      Reason: 'Create failed: InvalidRequestException: the secret is scheduled for deletion',
    })]);
    expect([...responseBodies, ...logs].join('\n')).not.toContain('s3cr3t');
  });

  test('a replacing update sends the new ID and no key', async () => {
    // GIVEN
    ivs.on(GetIngestConfigurationCommand, { arn: ARN }, true).resolves({ ingestConfiguration: INGEST });
    ivs.on(CreateIngestConfigurationCommand).resolves({ ingestConfiguration: NEW_INGEST });
    secrets.on(PutSecretValueCommand).resolves({});

    // WHEN
    const { responses, responseBodies, logs } = await invokeThroughWrapper(
      updateEvent<IngestConfigurationResourceProperties>(TYPE, ARN, { ...PROPS, Name: 'renamed' }, PROPS),
    );

    // THEN
    expect(responses).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: NEW_ARN })]);
    expect([...responseBodies, ...logs].join('\n')).not.toContain('s3cr3t');
  });
});
