import { CREATE_CREATOR_TAGS, createEvent, deleteEvent, updateEvent } from './events';
import { pointClientsAt } from './fresh-instance';
import {
  STORAGE_CONFIGURATION_RESOURCE_TYPE,
  StorageConfigurationResourceProperties,
} from '../../src/custom-resources/storage-configuration-contract';
import { useEmulator } from '../emulator/helpers';

/*
 * The storage configuration handler against the local IVS Real-Time emulator: the real SDK client
 * of the handler bundle, its real requests and the service's real error shapes.
 */

type Properties = Omit<StorageConfigurationResourceProperties, 'ServiceToken'>;
type Handler = typeof import('../../lambda/storage-configuration');

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
    handler = require('../../lambda/storage-configuration');
  });
});

const PROPS: Properties = { Name: 'recordings', S3: { BucketName: 'recordings-bucket' }, Tags: { team: 'video' } };

const create = (props: Properties = PROPS) =>
  handler.onCreate(createEvent<StorageConfigurationResourceProperties>(STORAGE_CONFIGURATION_RESOURCE_TYPE, props));
const update = (arn: string, props: Properties, old: Properties) =>
  handler.onUpdate(updateEvent<StorageConfigurationResourceProperties>(STORAGE_CONFIGURATION_RESOURCE_TYPE, arn, props, old));
const remove = (arn: string) =>
  handler.onDelete(deleteEvent<StorageConfigurationResourceProperties>(STORAGE_CONFIGURATION_RESOURCE_TYPE, arn, PROPS));

test('create makes a storage configuration on the bucket, with its name and tags', async () => {
  // GIVEN
  t.emu.registerBucket('recordings-bucket');

  // WHEN
  const { PhysicalResourceId: arn, Data } = await create();

  // THEN
  expect(arn).toMatch(/^arn:aws:ivs:us-east-1:123456789012:storage-configuration\/[a-zA-Z0-9]{12}$/);
  expect(Data).toEqual({ Arn: arn, StorageConfigurationId: arn.split('/')[1], Name: 'recordings', BucketName: 'recordings-bucket' });
  expect(t.emu.listResources().storageConfigurations).toEqual([
    { arn, name: 'recordings', s3: { bucketName: 'recordings-bucket' }, tags: { team: 'video', ...CREATE_CREATOR_TAGS } },
  ]);
});

test('create on a bucket that does not exist fails with the service error', async () => {
  // WHEN / THEN
  await expect(create()).rejects.toMatchObject({ name: 'ValidationException' });
  expect(t.emu.listResources().storageConfigurations).toEqual([]);
});

test('a new bucket creates a second storage configuration and leaves the old one for the delete that follows', async () => {
  // GIVEN
  t.emu.registerBucket('recordings-bucket');
  t.emu.registerBucket('other-bucket');
  const { PhysicalResourceId: oldArn } = await create();

  // WHEN
  const { PhysicalResourceId: newArn } = await update(oldArn, { ...PROPS, S3: { BucketName: 'other-bucket' } }, PROPS);
  const afterUpdate = t.emu.listResources().storageConfigurations.map((c: any) => [c.arn, c.s3.bucketName]);
  await remove(oldArn);

  // THEN
  expect(newArn).not.toBe(oldArn);
  expect(afterUpdate).toEqual([[oldArn, 'recordings-bucket'], [newArn, 'other-bucket']]);
  expect(t.emu.listResources().storageConfigurations.map((c: any) => c.arn)).toEqual([newArn]);
});

test('a tags-only update retags the same storage configuration', async () => {
  // GIVEN
  t.emu.registerBucket('recordings-bucket');
  const { PhysicalResourceId: arn } = await create();
  t.emu.clearRequests();

  // WHEN
  const { PhysicalResourceId } = await update(arn, { ...PROPS, Tags: { tier: 'gold' } }, PROPS);

  // THEN
  expect(PhysicalResourceId).toBe(arn);
  expect(t.emu.requests.map((request) => [request.operation, request.status])).toEqual([['TagResource', 200], ['UntagResource', 200]]);
  expect(t.emu.listResources().storageConfigurations).toEqual([expect.objectContaining({ arn, tags: { tier: 'gold', ...CREATE_CREATOR_TAGS } })]);
});

test('a second delete finds nothing and still succeeds', async () => {
  // GIVEN
  t.emu.registerBucket('recordings-bucket');
  const { PhysicalResourceId: arn } = await create();
  await remove(arn);

  // WHEN / THEN
  await expect(remove(arn)).resolves.toBeUndefined();
  // The second delete read it, found it gone, and did not call the delete.
  expect(t.emu.requests.filter((request) => request.operation.endsWith('StorageConfiguration')).map((request) => `${request.operation} ${request.status}`))
    .toEqual(expect.arrayContaining(['GetStorageConfiguration 200', 'DeleteStorageConfiguration 200', 'GetStorageConfiguration 404']));
  expect(t.emu.requests.filter((request) => request.operation === 'DeleteStorageConfiguration')).toHaveLength(1);
});
