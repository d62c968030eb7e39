import { CREATE_CREATOR_TAGS, createEvent, deleteEvent, updateEvent } from './events';
import { pointClientsAt } from './fresh-instance';
import {
  ENCODER_CONFIGURATION_RESOURCE_TYPE,
  EncoderConfigurationResourceProperties,
} from '../../src/custom-resources/encoder-configuration-contract';
import { useEmulator } from '../emulator/helpers';

/*
 * The encoder configuration handler against the local IVS Real-Time emulator: the real SDK client
 * of the handler bundle, its real requests and the service's real error shapes.
 */

type Properties = Omit<EncoderConfigurationResourceProperties, 'ServiceToken'>;
type Handler = typeof import('../../lambda/encoder-configuration');

const t = useEmulator();
let handler: Handler;
// Loaded with the handler, so that it mocks the CloudFormation client the handler's module holds.
let cloudFormationShows: typeof import('./cloudformation-stub').cloudFormationShows;

beforeEach(() => cloudFormationShows());

beforeAll(() => {
  // The handler's client is created when its module loads, from the environment, as in Lambda.
  pointClientsAt('AWS_ENDPOINT_URL_IVS_REALTIME', t.emu.endpoint, t.emu.region);
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ({ cloudFormationShows } = require('./cloudformation-stub'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = require('../../lambda/encoder-configuration');
  });
});

/** As the construct renders them: every scalar a string, the frame rate a decimal. */
const PROPS: Properties = { Name: 'full-hd', Video: { Width: '1920', Height: '1080', Framerate: '29.97', Bitrate: '6000000' } };

const create = (props: Properties = PROPS) =>
  handler.onCreate(createEvent<EncoderConfigurationResourceProperties>(ENCODER_CONFIGURATION_RESOURCE_TYPE, props));
const update = (arn: string, props: Properties, old: Properties) =>
  handler.onUpdate(updateEvent<EncoderConfigurationResourceProperties>(ENCODER_CONFIGURATION_RESOURCE_TYPE, arn, props, old));
const remove = (arn: string) =>
  handler.onDelete(deleteEvent<EncoderConfigurationResourceProperties>(ENCODER_CONFIGURATION_RESOURCE_TYPE, arn, PROPS));

test('create sends the decoded video settings, which the service stores as numbers', async () => {
  // WHEN
  const { PhysicalResourceId: arn } = await create();

  // THEN
  expect(arn).toMatch(/^arn:aws:ivs:us-east-1:123456789012:encoder-configuration\/[a-zA-Z0-9]{12}$/);
  expect(t.emu.requests[0].body).toEqual({
    name: 'full-hd',
    video: { width: 1920, height: 1080, framerate: 29.97, bitrate: 6000000 },
    tags: CREATE_CREATOR_TAGS,
  });
  expect(t.emu.listResources().encoderConfigurations).toEqual([
    { arn, name: 'full-hd', video: { width: 1920, height: 1080, framerate: 29.97, bitrate: 6000000 }, tags: CREATE_CREATOR_TAGS },
  ]);
});

test('video the service rejects fails the create with the service error', async () => {
  // WHEN / THEN: 1920x1920 is within each field's range but over the frame-area limit
  await expect(create({ ...PROPS, Video: { ...PROPS.Video, Height: '1920' } })).rejects.toMatchObject({ name: 'ValidationException' });
  expect(t.emu.listResources().encoderConfigurations).toEqual([]);
});

test('new video settings create a second encoder configuration and leave the old one for the delete that follows', async () => {
  // GIVEN
  const { PhysicalResourceId: oldArn } = await create();

  // WHEN
  const { PhysicalResourceId: newArn } = await update(oldArn, { ...PROPS, Video: { ...PROPS.Video, Framerate: '60' } }, PROPS);
  const afterUpdate = t.emu.listResources().encoderConfigurations.map((c: any) => [c.arn, c.video.framerate]);
  await remove(oldArn);

  // THEN
  expect(newArn).not.toBe(oldArn);
  expect(afterUpdate).toEqual([[oldArn, 29.97], [newArn, 60]]);
  expect(t.emu.listResources().encoderConfigurations.map((c: any) => c.arn)).toEqual([newArn]);
});

test('a tags-only update retags the same encoder configuration', async () => {
  // GIVEN
  const { PhysicalResourceId: arn } = await create({ ...PROPS, Tags: { team: 'video' } });

  // WHEN
  const { PhysicalResourceId } = await update(arn, { ...PROPS, Tags: { team: 'media' } }, { ...PROPS, Tags: { team: 'video' } });

  // THEN
  expect(PhysicalResourceId).toBe(arn);
  expect(t.emu.listResources().encoderConfigurations).toEqual([expect.objectContaining({ arn, tags: { team: 'media', ...CREATE_CREATOR_TAGS } })]);
});

test('a second delete finds nothing and still succeeds', async () => {
  // GIVEN
  const { PhysicalResourceId: arn } = await create();
  await remove(arn);

  // WHEN / THEN
  await expect(remove(arn)).resolves.toBeUndefined();
  // The second delete read it, found it gone, and did not call the delete.
  expect(t.emu.requests.filter((request) => request.operation.endsWith('EncoderConfiguration')).map((request) => `${request.operation} ${request.status}`))
    .toEqual(expect.arrayContaining(['GetEncoderConfiguration 200', 'DeleteEncoderConfiguration 200', 'GetEncoderConfiguration 404']));
  expect(t.emu.requests.filter((request) => request.operation === 'DeleteEncoderConfiguration')).toHaveLength(1);
});
