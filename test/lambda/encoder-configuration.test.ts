import {
  ConflictException,
  CreateEncoderConfigurationCommand,
  DeleteEncoderConfigurationCommand,
  GetEncoderConfigurationCommand,
  InternalServerException,
  IVSRealTimeClient,
  ListEncoderConfigurationsCommand,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  TagResourceCommand,
  UntagResourceCommand,
  ValidationException,
} from '@aws-sdk/client-ivs-realtime';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { invokeThroughWrapper } from './cfn-wrapper';
import { cloudFormationShows } from './cloudformation-stub';
import { CREATE_CREATOR_TAGS, createEvent, deleteEvent, updateEvent } from './events';
import { onCreate, onDelete, onUpdate } from '../../lambda/encoder-configuration';
import { FAILED_CREATE_ID } from '../../lambda/failed-create';
import {
  ENCODER_CONFIGURATION_RESOURCE_TYPE,
  EncoderConfigurationResourceProperties,
} from '../../src/custom-resources/encoder-configuration-contract';

type Properties = Omit<EncoderConfigurationResourceProperties, 'ServiceToken'>;

const ivs = mockClient(IVSRealTimeClient);

const ARN = 'arn:aws:ivs:us-east-1:111111111111:encoder-configuration/AbCdEfGh1234';
const NEW_ARN = 'arn:aws:ivs:us-east-1:111111111111:encoder-configuration/NeWaRn567890';
/** Video settings as the construct renders them: every scalar a string, the frame rate a decimal. */
const PROPS: Properties = { Name: 'full-hd', Video: { Width: '1920', Height: '1080', Framerate: '29.97', Bitrate: '6000000' } };
const DATA = {
  Arn: ARN,
  EncoderConfigurationId: 'AbCdEfGh1234',
  Name: 'full-hd',
  Width: '1920',
  Height: '1080',
  Framerate: '29.97',
  Bitrate: '6000000',
};

const create = (props: Properties) =>
  onCreate(createEvent<EncoderConfigurationResourceProperties>(ENCODER_CONFIGURATION_RESOURCE_TYPE, props));
const update = (props: Properties, old: Properties) =>
  onUpdate(updateEvent<EncoderConfigurationResourceProperties>(ENCODER_CONFIGURATION_RESOURCE_TYPE, ARN, props, old));
const remove = (physicalId: string) =>
  onDelete(deleteEvent<EncoderConfigurationResourceProperties>(ENCODER_CONFIGURATION_RESOURCE_TYPE, physicalId, PROPS));

/** The encoder configuration at ARN reads as PROPS created it: what an update that would replace it reads first. */
const stored = () => ivs.on(GetEncoderConfigurationCommand, { arn: ARN }, true).resolves({
  encoderConfiguration: { arn: ARN, name: 'full-hd', video: { width: 1920, height: 1080, framerate: 29.97, bitrate: 6_000_000 }, tags: {} },
});

/** The names of the commands sent, in order. */
const sentCommands = () => ivs.calls().map((call) => call.args[0].constructor.name);

const serviceError = <T>(Type: new (options: any) => T, message: string) => new Type({ message, exceptionMessage: message, $metadata: {} });

beforeEach(() => {
  cloudFormationShows();
  ivs.reset();
  // Any call that a test does not expect fails it.
  ivs.onAnyCommand().rejects(new Error('unexpected IVS call'));
  // The rollback of a replacing update looks for what that update made: by default, nothing.
  ivs.on(ListEncoderConfigurationsCommand).resolves({ encoderConfigurations: [] });
});

describe('create', () => {
  test('creates the encoder configuration in one call with the decoded video, and returns its ARN and attributes', async () => {
    // GIVEN
    ivs.on(CreateEncoderConfigurationCommand).resolves({ encoderConfiguration: { arn: ARN } });

    // WHEN
    const response = await create(PROPS);

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(sentCommands()).toEqual(['CreateEncoderConfigurationCommand']);
    expect(ivs.call(0).args[0].input).toEqual({
      name: 'full-hd',
      video: { width: 1920, height: 1080, framerate: 29.97, bitrate: 6_000_000 },
      tags: CREATE_CREATOR_TAGS,
    });
  });

  test('a whole frame rate decodes as well', async () => {
    // GIVEN
    ivs.on(CreateEncoderConfigurationCommand).resolves({ encoderConfiguration: { arn: ARN } });

    // WHEN
    await create({ ...PROPS, Video: { ...PROPS.Video, Framerate: '30' } });

    // THEN
    expect(ivs).toHaveReceivedCommandWith(CreateEncoderConfigurationCommand, { video: expect.objectContaining({ framerate: 30 }) });
  });

  test('a frame rate that arrives as a JSON number (a hand-written template) is taken as that number, whatever its text', async () => {
    // GIVEN a number whose text is in exponent form
    ivs.on(CreateEncoderConfigurationCommand).resolves({ encoderConfiguration: { arn: ARN } });

    // WHEN
    await create({ ...PROPS, Video: { ...PROPS.Video, Framerate: 1e-7 as unknown as string } });

    // THEN it goes to IVS, which judges the range
    expect(ivs).toHaveReceivedCommandWith(CreateEncoderConfigurationCommand, { video: expect.objectContaining({ framerate: 1e-7 }) });
  });

  test('passes tags to CreateEncoderConfiguration instead of tagging afterwards', async () => {
    // GIVEN
    ivs.on(CreateEncoderConfigurationCommand).resolves({ encoderConfiguration: { arn: ARN } });

    // WHEN
    await create({ ...PROPS, Tags: { team: 'video' } });

    // THEN
    expect(ivs).toHaveReceivedCommandWith(CreateEncoderConfigurationCommand, { tags: { team: 'video', ...CREATE_CREATOR_TAGS } });
    expect(ivs).not.toHaveReceivedCommand(TagResourceCommand);
  });

  test.each([
    ['Framerate', { Framerate: 'thirty' }, 'property Video.Framerate must be a decimal number, got "thirty"'],
    ['Framerate', { Framerate: '3e1' }, 'property Video.Framerate must be a decimal number, got "3e1"'],
    ['Width', { Width: '1280.5' }, 'property Video.Width must be a whole number, got "1280.5"'],
    ['Bitrate', { Bitrate: '' }, 'property Video.Bitrate must be a whole number, got ""'],
    ['Height', { Height: '720px' }, 'property Video.Height must be a whole number, got "720px"'],
  ])('a %s that does not decode fails before any call', async (_, video, message) => {
    // WHEN / THEN
    await expect(create({ ...PROPS, Video: { ...PROPS.Video, ...video } })).rejects.toThrow(message);
    expect(ivs.calls()).toHaveLength(0);
  });

  test.each([
    ['an odd width', ValidationException],
    ['the quota', ServiceQuotaExceededException],
  ])('an API error (%s) fails the create', async (_, Type) => {
    // GIVEN
    ivs.on(CreateEncoderConfigurationCommand).rejects(serviceError(Type as any, 'refused'));

    // WHEN / THEN
    await expect(create(PROPS)).rejects.toThrow(Type as any);
  });

  test('a response without an encoder configuration fails the create', async () => {
    // GIVEN
    ivs.on(CreateEncoderConfigurationCommand).resolves({});

    // WHEN / THEN
    await expect(create(PROPS)).rejects.toThrow('the IVS response has no encoder configuration');
  });
  test('after a lost answer, finds the encoder configuration its create made by its creator tag and answers with it', async () => {
    // GIVEN a create whose answer was lost after IVS made it
    ivs.on(CreateEncoderConfigurationCommand).rejects(new InternalServerException({ message: 'internal', $metadata: { httpStatusCode: 500 } }));
    ivs.on(ListEncoderConfigurationsCommand).resolves({ encoderConfigurations: [{ arn: ARN, name: PROPS.Name, tags: CREATE_CREATOR_TAGS }] });
    ivs.on(GetEncoderConfigurationCommand, { arn: ARN }).resolves({ encoderConfiguration: { arn: ARN, name: PROPS.Name } });

    // WHEN
    const response = await create(PROPS);

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(ivs).toHaveReceivedCommandTimes(CreateEncoderConfigurationCommand, 1);
  });
});

describe('update', () => {
  test.each([
    ['a new frame rate', { ...PROPS, Video: { ...PROPS.Video, Framerate: '60' } }],
    ['a new bitrate', { ...PROPS, Video: { ...PROPS.Video, Bitrate: '8000000' } }],
    ['a new name', { ...PROPS, Name: 'renamed' }],
  ])('%s creates a new encoder configuration and returns its ARN, leaving the old one to CloudFormation', async (_, props) => {
    // GIVEN
    stored();
    ivs.on(CreateEncoderConfigurationCommand).resolves({ encoderConfiguration: { arn: NEW_ARN } });

    // WHEN
    const response = await update(props, PROPS);

    // THEN
    expect(response).toEqual({
      PhysicalResourceId: NEW_ARN,
      Data: {
        Arn: NEW_ARN,
        EncoderConfigurationId: 'NeWaRn567890',
        Name: props.Name,
        Width: props.Video.Width,
        Height: props.Video.Height,
        Framerate: props.Video.Framerate,
        Bitrate: props.Video.Bitrate,
      },
    });
    expect(sentCommands()).toEqual(['GetEncoderConfigurationCommand', 'CreateEncoderConfigurationCommand']);
  });

  test('the Update back of a replacing update that failed finds the encoder configuration as asked, and keeps it', async () => {
    // GIVEN the change to 60 frames per second failed, so the encoder configuration still is as PROPS created it
    stored();

    // WHEN CloudFormation rolls back: old and new swapped
    const response = await update(PROPS, { ...PROPS, Video: { ...PROPS.Video, Framerate: '60' } });

    // THEN nothing is created
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(sentCommands()).toEqual(['GetEncoderConfigurationCommand', 'ListEncoderConfigurationsCommand']);
  });

  test.each<[string, Properties]>([
    ['name', { ...PROPS, Name: 'renamed' }],
    ['width', { ...PROPS, Video: { ...PROPS.Video, Width: '1280' } }],
    ['height', { ...PROPS, Video: { ...PROPS.Video, Height: '720' } }],
    ['bitrate', { ...PROPS, Video: { ...PROPS.Video, Bitrate: '2500000' } }],
  ])('the Update back of a failed change of the %s alone keeps the encoder configuration', async (_, failed) => {
    // GIVEN the change failed, so the encoder configuration still is as PROPS created it
    stored();

    // WHEN CloudFormation rolls back: old and new swapped
    const response = await update(PROPS, failed);

    // THEN nothing is created
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(sentCommands()).toEqual(['GetEncoderConfigurationCommand', 'ListEncoderConfigurationsCommand']);
  });

  test('an encoder configuration that IVS returns without video settings is replaced, not taken for a rollback', async () => {
    // GIVEN
    ivs.on(GetEncoderConfigurationCommand, { arn: ARN }, true).resolves({ encoderConfiguration: { arn: ARN, name: 'full-hd' } });
    ivs.on(CreateEncoderConfigurationCommand).resolves({ encoderConfiguration: { arn: NEW_ARN } });

    // WHEN
    const response = await update(PROPS, { ...PROPS, Video: { ...PROPS.Video, Framerate: '60' } });

    // THEN
    expect(response.PhysicalResourceId).toBe(NEW_ARN);
  });

  test('a tags-only change tags by difference and keeps the physical ID', async () => {
    // GIVEN
    ivs.on(TagResourceCommand, { resourceArn: ARN, tags: { added: 'new', changed: 'after' } }, true).resolves({});
    ivs.on(UntagResourceCommand, { resourceArn: ARN, tagKeys: ['removed'] }, true).resolves({});

    // WHEN
    const response = await update(
      { ...PROPS, Tags: { kept: 'same', changed: 'after', added: 'new' } },
      { ...PROPS, Tags: { kept: 'same', changed: 'before', removed: 'gone' } },
    );

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(sentCommands().sort()).toEqual(['TagResourceCommand', 'UntagResourceCommand']);
  });

  test('an update that changes nothing makes no call and returns the same attributes', async () => {
    // GIVEN
    const props: Properties = { ...PROPS, Tags: { team: 'video' } };

    // WHEN
    const response = await update(props, JSON.parse(JSON.stringify(props)));

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(ivs.calls()).toHaveLength(0);
  });
});

describe('delete', () => {
  // The encoderconfiguration as IVS holds it, made by this logical resource: a delete reads it first.
  beforeEach(() => {
    ivs.on(GetEncoderConfigurationCommand, { arn: ARN }).resolves({ encoderConfiguration: { arn: ARN, tags: CREATE_CREATOR_TAGS } });
  });

  test('deletes the encoder configuration', async () => {
    // GIVEN
    ivs.on(GetEncoderConfigurationCommand, { arn: ARN }).resolves({ encoderConfiguration: { arn: ARN, tags: CREATE_CREATOR_TAGS } });
    ivs.on(DeleteEncoderConfigurationCommand, { arn: ARN }, true).resolves({});

    // WHEN
    await remove(ARN);

    // THEN
    expect(sentCommands()).toEqual(['GetEncoderConfigurationCommand', 'DeleteEncoderConfigurationCommand']);
  });

  test('an encoder configuration that is already gone counts as deleted', async () => {
    // GIVEN
    ivs.on(GetEncoderConfigurationCommand).rejects(serviceError(ResourceNotFoundException, 'not found'));

    // WHEN / THEN
    await expect(remove(ARN)).resolves.toBeUndefined();
  });

  test('the ID of a failed create deletes the encoder configuration its create made, found by its creator tag', async () => {
    // GIVEN what its create made, listed with its creator tag
    ivs.on(ListEncoderConfigurationsCommand).resolves({ encoderConfigurations: [{ arn: ARN, name: PROPS.Name, tags: CREATE_CREATOR_TAGS }] });
    ivs.on(DeleteEncoderConfigurationCommand).resolves({});

    // WHEN
    await remove(FAILED_CREATE_ID);

    // THEN
    expect(ivs).toHaveReceivedCommandWith(DeleteEncoderConfigurationCommand, { arn: ARN });
  });

  test.each([
    ['aws-cdk-lib\'s failed-create marker', 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED'],
    ['an ID CloudFormation made up', 'TestStack-EncoderA3BDCC51-1ABCDEF23456'],
    ['another resource type', 'arn:aws:ivs:us-east-1:111111111111:storage-configuration/AbCdEfGh1234'],
  ])('%s, neither an encoder configuration ARN nor the ID of a failed create, makes no IVS call: a cancelled create deletes what it made itself', async (_, physicalId) => {
    // WHEN
    await remove(physicalId);

    // THEN
    expect(ivs.calls()).toHaveLength(0);
  });

  test('the ID of a failed create: the list is searched for what its create made, and with none found nothing is deleted', async () => {
    // GIVEN
    ivs.on(ListEncoderConfigurationsCommand).resolves({ encoderConfigurations: [] });

    // WHEN
    await remove(FAILED_CREATE_ID);

    // THEN
    expect(ivs).toHaveReceivedCommand(ListEncoderConfigurationsCommand);
    expect(ivs.calls()).toHaveLength(1);
  });

  test('a composition using it fails the delete', async () => {
    // GIVEN
    ivs.on(DeleteEncoderConfigurationCommand).rejects(serviceError(ConflictException, 'used by a composition'));

    // WHEN / THEN
    await expect(remove(ARN)).rejects.toThrow(ConflictException);
  });
});

describe('through the response wrapper', () => {
  test('a create answers SUCCESS with the ARN and string attributes', async () => {
    // GIVEN
    ivs.on(CreateEncoderConfigurationCommand).resolves({ encoderConfiguration: { arn: ARN } });
    const event = createEvent<EncoderConfigurationResourceProperties>(ENCODER_CONFIGURATION_RESOURCE_TYPE, PROPS);

    // WHEN
    const { responses } = await invokeThroughWrapper(event);

    // THEN
    expect(responses).toEqual([expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: ARN, Data: DATA })]);
  });
});
