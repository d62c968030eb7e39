import {
  ConflictException,
  CreateStageCommand,
  InternalServerException,
  DeleteStageCommand,
  GetStageCommand,
  IVSRealTimeClient,
  ListStagesCommand,
  ResourceNotFoundException,
  Stage,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-ivs-realtime';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { cloudFormationShows } from './cloudformation-stub';
import { CREATE_CREATOR_TAGS, createEvent, deleteEvent, updateEvent } from './events';
import { FAILED_CREATE_ID } from '../../lambda/failed-create';
import { onCreate, onDelete, onUpdate } from '../../lambda/stage';
import { STAGE_RESOURCE_TYPE, StageResourceProperties } from '../../src/custom-resources/stage-contract';

type Properties = Omit<StageResourceProperties, 'ServiceToken'>;

const ivs = mockClient(IVSRealTimeClient);

const ARN = 'arn:aws:ivs:us-east-1:111111111111:stage/AbCdEfGh1234';
const STORAGE_ARN = 'arn:aws:ivs:us-east-1:111111111111:storage-configuration/XyZ987abc654';
const STAGE: Stage = {
  arn: ARN,
  name: 'town-hall',
  endpoints: {
    whip: 'https://1a2b3c4d5e6f.global-bm.whip.live-video.net',
    rtmp: 'rtmp://9x0y8z7s6t5u.global-contribute.live-video.net/app/',
    rtmps: 'rtmps://9x0y8z7s6t5u.global-contribute.live-video.net:443/app/',
    events: 'wss://global.events.live-video.net',
  },
  tags: {},
};
const EXPECTED_DATA = {
  Arn: ARN,
  StageId: 'AbCdEfGh1234',
  Name: 'town-hall',
  WhipEndpoint: 'https://1a2b3c4d5e6f.global-bm.whip.live-video.net',
  RtmpEndpoint: 'rtmp://9x0y8z7s6t5u.global-contribute.live-video.net/app/',
  RtmpsEndpoint: 'rtmps://9x0y8z7s6t5u.global-contribute.live-video.net:443/app/',
  EventsEndpoint: 'wss://global.events.live-video.net',
};

/** A recording configuration as the construct renders it: every scalar a string. */
const RECORDING: Properties['AutoParticipantRecordingConfiguration'] = {
  StorageConfigurationArn: STORAGE_ARN,
  MediaTypes: ['AUDIO_ONLY'],
  ThumbnailConfiguration: { RecordingMode: 'INTERVAL', Storage: ['SEQUENTIAL', 'LATEST'], TargetIntervalSeconds: '30' },
  RecordingReconnectWindowSeconds: '60',
  HlsTargetSegmentDurationSeconds: '4',
  RecordParticipantReplicas: 'false',
};

const create = (props: Properties) => onCreate(createEvent<StageResourceProperties>(STAGE_RESOURCE_TYPE, props));
const update = (props: Properties, old: Properties) =>
  onUpdate(updateEvent<StageResourceProperties>(STAGE_RESOURCE_TYPE, ARN, props, old));
const remove = (physicalId: string) => onDelete(deleteEvent<StageResourceProperties>(STAGE_RESOURCE_TYPE, physicalId, { Name: 'x' }));

/** The input of the one call made with `command`. */
function sentInput(command: Parameters<typeof ivs.commandCalls>[0]) {
  const calls = ivs.commandCalls(command);
  expect(calls).toHaveLength(1);
  return calls[0].args[0].input;
}

beforeEach(() => {
  cloudFormationShows();
  ivs.reset();
  // Any call that a test does not expect fails it.
  ivs.onAnyCommand().rejects(new Error('unexpected IVS call'));
});

describe('create', () => {
  test('creates the stage in one call and returns its ARN as the physical ID and its endpoints as data', async () => {
    // GIVEN
    ivs.on(CreateStageCommand).resolves({ stage: STAGE });

    // WHEN
    const response = await create({ Name: 'town-hall' });

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: EXPECTED_DATA });
    expect(ivs.calls()).toHaveLength(1);
    expect(sentInput(CreateStageCommand)).toEqual({ name: 'town-hall', tags: CREATE_CREATOR_TAGS });
  });

  test.each<[string, Stage['endpoints']]>([
    ['no endpoints', undefined],
    ['no endpoint of any kind', {}],
  ])('a stage that IVS returns with %s gets empty endpoint attributes, which CloudFormation can still resolve', async (_, endpoints) => {
    // GIVEN
    ivs.on(CreateStageCommand).resolves({ stage: { arn: ARN, endpoints } });

    // WHEN
    const response = await create({ Name: 'town-hall' });

    // THEN every attribute the construct exposes is there, as an empty string
    expect(response).toEqual({
      PhysicalResourceId: ARN,
      Data: { Arn: ARN, StageId: 'AbCdEfGh1234', Name: '', WhipEndpoint: '', RtmpEndpoint: '', RtmpsEndpoint: '', EventsEndpoint: '' },
    });
  });

  test('after a lost answer, finds the stage its create made by its creator tag, across List pages, and answers with it', async () => {
    // GIVEN a create whose answer was lost after IVS made the stage, listed on the second page
    ivs.on(CreateStageCommand).rejects(new InternalServerException({ message: 'internal', $metadata: { httpStatusCode: 500 } }));
    ivs.on(ListStagesCommand)
      .resolvesOnce({ stages: [{ arn: STORAGE_ARN.replace('storage-configuration/', 'stage/'), name: 'town-hall', tags: {} }], nextToken: 'page-2' })
      .resolvesOnce({ stages: [{ arn: ARN, name: 'town-hall', tags: CREATE_CREATOR_TAGS }] });
    ivs.on(GetStageCommand).resolves({ stage: STAGE });

    // WHEN
    const response = await create({ Name: 'town-hall' });

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: EXPECTED_DATA });
    expect(ivs).toHaveReceivedCommandTimes(CreateStageCommand, 1);
    expect(ivs).toHaveReceivedCommandWith(GetStageCommand, { arn: ARN });
  });

  test('a create whose answer holds no stage fails', async () => {
    // GIVEN
    ivs.on(CreateStageCommand).resolves({});

    // WHEN / THEN
    await expect(create({ Name: 'town-hall' })).rejects.toThrow('the IVS response has no stage');
  });

  test('decodes the string-typed recording properties into the numbers and booleans the API takes', async () => {
    // GIVEN
    ivs.on(CreateStageCommand).resolves({ stage: STAGE });

    // WHEN
    await create({ Name: 'town-hall', AutoParticipantRecordingConfiguration: RECORDING });

    // THEN
    expect(sentInput(CreateStageCommand)).toEqual({
      name: 'town-hall',
      tags: CREATE_CREATOR_TAGS,
      autoParticipantRecordingConfiguration: {
        storageConfigurationArn: STORAGE_ARN,
        mediaTypes: ['AUDIO_ONLY'],
        thumbnailConfiguration: { recordingMode: 'INTERVAL', storage: ['SEQUENTIAL', 'LATEST'], targetIntervalSeconds: 30 },
        recordingReconnectWindowSeconds: 60,
        hlsConfiguration: { targetSegmentDurationSeconds: 4 },
        recordParticipantReplicas: false,
      },
    });
  });

  test('passes tags to CreateStage instead of tagging afterwards', async () => {
    // GIVEN
    ivs.on(CreateStageCommand).resolves({ stage: STAGE });

    // WHEN
    await create({ Name: 'town-hall', Tags: { team: 'video' } });

    // THEN
    expect(sentInput(CreateStageCommand)).toEqual({ name: 'town-hall', tags: { team: 'video', ...CREATE_CREATOR_TAGS } });
    expect(ivs).not.toHaveReceivedCommand(TagResourceCommand);
  });

  test.each<[string, NonNullable<Properties['AutoParticipantRecordingConfiguration']>]>([
    ['RecordingReconnectWindowSeconds', { ...RECORDING!, RecordingReconnectWindowSeconds: '1.5' }],
    ['HlsTargetSegmentDurationSeconds', { ...RECORDING!, HlsTargetSegmentDurationSeconds: '1.5' }],
    ['ThumbnailConfiguration.TargetIntervalSeconds', {
      ...RECORDING!, ThumbnailConfiguration: { ...RECORDING!.ThumbnailConfiguration, TargetIntervalSeconds: '1.5' },
    }],
  ])('a %s that is not a whole number fails before any call, naming the property', async (property, recording) => {
    // WHEN / THEN
    await expect(create({ Name: 'town-hall', AutoParticipantRecordingConfiguration: recording })).rejects.toThrow(
      `property ${property} must be a whole number, got "1.5"`,
    );
    expect(ivs.calls()).toHaveLength(0);
  });

  test('thumbnails without a target interval are created without one', async () => {
    // GIVEN
    ivs.on(CreateStageCommand).resolves({ stage: STAGE });
    const recording = { ...RECORDING!, ThumbnailConfiguration: { RecordingMode: 'DISABLED' } };

    // WHEN
    await create({ Name: 'town-hall', AutoParticipantRecordingConfiguration: recording });

    // THEN
    expect(sentInput(CreateStageCommand).autoParticipantRecordingConfiguration?.thumbnailConfiguration).toEqual({
      recordingMode: 'DISABLED', storage: undefined, targetIntervalSeconds: undefined,
    });
  });

  test('a boolean property that is neither "true" nor "false" fails before any call', async () => {
    // GIVEN
    const recording = { ...RECORDING!, RecordParticipantReplicas: 'yes' };

    // WHEN / THEN
    await expect(create({ Name: 'town-hall', AutoParticipantRecordingConfiguration: recording })).rejects.toThrow(
      'property RecordParticipantReplicas must be "true" or "false", got "yes"',
    );
  });

  test('an API error fails the create', async () => {
    // GIVEN
    ivs.on(CreateStageCommand).rejects(new ConflictException({ message: 'conflict', $metadata: {} }));

    // WHEN / THEN
    await expect(create({ Name: 'town-hall' })).rejects.toThrow(ConflictException);
  });
});

describe('update', () => {
  test('a rename calls UpdateStage without the unchanged recording configuration and keeps the physical ID', async () => {
    // GIVEN
    ivs.on(UpdateStageCommand).resolves({ stage: { ...STAGE, name: 'renamed' } });

    // WHEN
    const response = await update(
      { Name: 'renamed', AutoParticipantRecordingConfiguration: RECORDING },
      { Name: 'town-hall', AutoParticipantRecordingConfiguration: RECORDING },
    );

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: { ...EXPECTED_DATA, Name: 'renamed' } });
    expect(ivs.calls()).toHaveLength(1);
    expect(sentInput(UpdateStageCommand)).toEqual({ arn: ARN, name: 'renamed' });
  });

  test('adding recording sends the whole recording configuration', async () => {
    // GIVEN
    ivs.on(UpdateStageCommand).resolves({ stage: STAGE });

    // WHEN
    await update({ Name: 'town-hall', AutoParticipantRecordingConfiguration: RECORDING }, { Name: 'town-hall' });

    // THEN
    expect(ivs).toHaveReceivedCommandWith(UpdateStageCommand, {
      arn: ARN,
      autoParticipantRecordingConfiguration: expect.objectContaining({ storageConfigurationArn: STORAGE_ARN, recordingReconnectWindowSeconds: 60 }),
    });
  });

  test('removing recording turns it off with an empty storage configuration ARN', async () => {
    // GIVEN
    ivs.on(UpdateStageCommand, {
      arn: ARN,
      name: 'town-hall',
      autoParticipantRecordingConfiguration: { storageConfigurationArn: '' },
    }, true).resolves({ stage: STAGE });

    // WHEN
    await update({ Name: 'town-hall' }, { Name: 'town-hall', AutoParticipantRecordingConfiguration: RECORDING });

    // THEN
    expect(ivs).toHaveReceivedCommandTimes(UpdateStageCommand, 1);
  });

  test('tags change by difference: added and changed tags are tagged, removed ones untagged', async () => {
    // GIVEN
    ivs.on(TagResourceCommand, { resourceArn: ARN, tags: { added: 'new', changed: 'after' } }, true).resolves({});
    ivs.on(UntagResourceCommand, { resourceArn: ARN, tagKeys: ['removed'] }, true).resolves({});
    ivs.on(GetStageCommand, { arn: ARN }, true).resolves({ stage: STAGE });

    // WHEN
    const response = await update(
      { Name: 'town-hall', Tags: { kept: 'same', changed: 'after', added: 'new' } },
      { Name: 'town-hall', Tags: { kept: 'same', changed: 'before', removed: 'gone' } },
    );

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: EXPECTED_DATA });
    expect(ivs).not.toHaveReceivedCommand(UpdateStageCommand);
    expect(ivs).toHaveReceivedCommandTimes(TagResourceCommand, 1);
    expect(ivs).toHaveReceivedCommandTimes(UntagResourceCommand, 1);
  });

  test('removing every tag untags them all and tags nothing', async () => {
    // GIVEN
    ivs.on(UntagResourceCommand, { resourceArn: ARN, tagKeys: ['a', 'b'] }, true).resolves({});
    ivs.on(GetStageCommand).resolves({ stage: STAGE });

    // WHEN
    await update({ Name: 'town-hall' }, { Name: 'town-hall', Tags: { a: '1', b: '2' } });

    // THEN
    expect(ivs).toHaveReceivedCommandTimes(UntagResourceCommand, 1);
    expect(ivs).not.toHaveReceivedCommand(TagResourceCommand);
  });

  test('an update that changes nothing changes nothing: it only reads the attributes back', async () => {
    // GIVEN
    ivs.on(GetStageCommand, { arn: ARN }, true).resolves({ stage: STAGE });
    const props: Properties = { Name: 'town-hall', AutoParticipantRecordingConfiguration: RECORDING, Tags: { team: 'video' } };

    // WHEN
    const response = await update(props, JSON.parse(JSON.stringify(props)));

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: EXPECTED_DATA });
    expect(ivs.calls().map((call) => call.args[0].constructor.name)).toEqual(['GetStageCommand']);
  });

  test('an update whose answers hold no stage fails', async () => {
    // GIVEN
    ivs.on(UpdateStageCommand).resolves({});
    ivs.on(GetStageCommand).resolves({});

    // WHEN / THEN
    await expect(update({ Name: 'renamed' }, { Name: 'town-hall' })).rejects.toThrow('the IVS response has no stage');
  });

  test('an update of a stage that no longer exists fails', async () => {
    // GIVEN
    ivs.on(UpdateStageCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));

    // WHEN / THEN
    await expect(update({ Name: 'renamed' }, { Name: 'town-hall' })).rejects.toThrow(ResourceNotFoundException);
  });
});

describe('delete', () => {
  /** The stage as IVS holds it, made by this logical resource. */
  const givenStage = (tags: Record<string, string> = CREATE_CREATOR_TAGS) =>
    ivs.on(GetStageCommand, { arn: ARN }).resolves({ stage: { ...STAGE, tags } });

  test('deletes the stage', async () => {
    // GIVEN
    givenStage();
    ivs.on(DeleteStageCommand, { arn: ARN }, true).resolves({});

    // WHEN
    await remove(ARN);

    // THEN
    expect(ivs).toHaveReceivedCommandTimes(DeleteStageCommand, 1);
  });

  test('a stage that is already gone counts as deleted', async () => {
    // GIVEN
    ivs.on(GetStageCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));

    // WHEN / THEN
    await expect(remove(ARN)).resolves.toBeUndefined();
    expect(ivs).not.toHaveReceivedCommand(DeleteStageCommand);
  });

  test('a stage gone between its read and its delete counts as deleted', async () => {
    // GIVEN
    givenStage();
    ivs.on(DeleteStageCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));

    // WHEN / THEN
    await expect(remove(ARN)).resolves.toBeUndefined();
  });

  test.each([
    ['another logical resource made', { 'cdk-ivs-realtime:creator': `${'0'.repeat(32)}/other-request` }, /its cdk-ivs-realtime:creator tag names another logical resource or stack/],
    ['no creator tag marks', { team: 'video' }, /it has no cdk-ivs-realtime:creator tag/],
    ['CloudFormation manages', { 'aws:cloudformation:stack-name': 'Other' }, /CloudFormation manages it/],
  ])('a stage %s is refused by name and not deleted', async (_, tags, why) => {
    // GIVEN
    givenStage(tags);

    // WHEN / THEN
    await expect(remove(ARN)).rejects.toThrow(new RegExp(`^refusing to act on ${ARN}, which Stage0E8C2AF5 of this stack did not create: ${why.source}`));
    expect(ivs).not.toHaveReceivedCommand(DeleteStageCommand);
  });

  test.each([
    ['aws-cdk-lib\'s failed-create marker', 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED'],
    ['an ID CloudFormation made up', 'TestStack-Stage0E8C2AF5-1ABCDEF23456'],
    ['another resource type', 'arn:aws:ivs:us-east-1:111111111111:channel/AbCdEfGh1234'],
  ])('%s, neither a stage ARN nor the ID of a failed create, makes no IVS call: a cancelled create deletes what it made itself', async (_, physicalId) => {
    // GIVEN a stage its create made, which a search would find
    ivs.on(ListStagesCommand).resolves({ stages: [{ arn: ARN, name: 'x', tags: CREATE_CREATOR_TAGS }] });

    // WHEN
    await remove(physicalId);

    // THEN
    expect(ivs.calls()).toHaveLength(0);
  });

  test('the ID of a failed create: the stages are searched for what its create made, and with none found nothing is deleted', async () => {
    // GIVEN
    ivs.on(ListStagesCommand).resolves({ stages: [{ arn: ARN, name: 'x', tags: { team: 'video' } }] });

    // WHEN
    await remove(FAILED_CREATE_ID);

    // THEN
    expect(ivs).toHaveReceivedCommandWith(ListStagesCommand, { maxResults: 100 });
    expect(ivs).not.toHaveReceivedCommand(DeleteStageCommand);
  });

  test('the ID of a failed create deletes the stage its create made, found by its creator tag', async () => {
    // GIVEN
    ivs.on(ListStagesCommand).resolves({ stages: [{ arn: ARN, name: 'x', tags: CREATE_CREATOR_TAGS }] });
    ivs.on(DeleteStageCommand).resolves({});

    // WHEN
    await remove(FAILED_CREATE_ID);

    // THEN
    expect(ivs).toHaveReceivedCommandWith(DeleteStageCommand, { arn: ARN });
  });

  test('any other error fails the delete', async () => {
    // GIVEN
    givenStage();
    ivs.on(DeleteStageCommand).rejects(new ConflictException({ message: 'in use', $metadata: {} }));

    // WHEN / THEN
    await expect(remove(ARN)).rejects.toThrow(ConflictException);
  });
});
