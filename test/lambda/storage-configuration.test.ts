import {
  AccessDeniedException,
  ConflictException,
  CreateStorageConfigurationCommand,
  DeleteStorageConfigurationCommand,
  GetStorageConfigurationCommand,
  InternalServerException,
  IVSRealTimeClient,
  ListStorageConfigurationsCommand,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  StorageConfiguration,
  TagResourceCommand,
  UntagResourceCommand,
  ValidationException,
} from '@aws-sdk/client-ivs-realtime';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { invokeThroughWrapper } from './cfn-wrapper';
import { cloudFormationShows } from './cloudformation-stub';
import { CREATE_CREATOR_TAGS, createEvent, deleteEvent, updateEvent } from './events';
import { FAILED_CREATE_ID } from '../../lambda/failed-create';
import { onCreate, onDelete, onUpdate } from '../../lambda/storage-configuration';
import {
  STORAGE_CONFIGURATION_RESOURCE_TYPE,
  StorageConfigurationResourceProperties,
} from '../../src/custom-resources/storage-configuration-contract';

type Properties = Omit<StorageConfigurationResourceProperties, 'ServiceToken'>;

const ivs = mockClient(IVSRealTimeClient);

const ARN = 'arn:aws:ivs:us-east-1:111111111111:storage-configuration/AbCdEfGh1234';
const NEW_ARN = 'arn:aws:ivs:us-east-1:111111111111:storage-configuration/NeWaRn567890';
const PROPS: Properties = { Name: 'recordings', S3: { BucketName: 'recordings-bucket' } };
const DATA = { Arn: ARN, StorageConfigurationId: 'AbCdEfGh1234', Name: 'recordings', BucketName: 'recordings-bucket' };

const create = (props: Properties) =>
  onCreate(createEvent<StorageConfigurationResourceProperties>(STORAGE_CONFIGURATION_RESOURCE_TYPE, props));
const update = (props: Properties, old: Properties) =>
  onUpdate(updateEvent<StorageConfigurationResourceProperties>(STORAGE_CONFIGURATION_RESOURCE_TYPE, ARN, props, old));
const remove = (physicalId: string, props: Properties = PROPS) =>
  onDelete(deleteEvent<StorageConfigurationResourceProperties>(STORAGE_CONFIGURATION_RESOURCE_TYPE, physicalId, props));

/** The storage configuration at ARN reads as `props` created it: what an update that would replace it reads first. */
const stored = (props: Properties) => ivs.on(GetStorageConfigurationCommand, { arn: ARN }, true)
  .resolves({ storageConfiguration: { arn: ARN, name: props.Name, s3: { bucketName: props.S3.BucketName }, tags: {} } });

/** The names of the commands sent, in order. */
const sentCommands = () => ivs.calls().map((call) => call.args[0].constructor.name);

const serviceError = <T>(Type: new (options: any) => T, message: string) => new Type({ message, exceptionMessage: message, $metadata: {} });

beforeEach(() => {
  cloudFormationShows();
  ivs.reset();
  // Any call that a test does not expect fails it.
  ivs.onAnyCommand().rejects(new Error('unexpected IVS call'));
  // The rollback of a replacing update looks for what that update made: by default, nothing.
  ivs.on(ListStorageConfigurationsCommand).resolves({ storageConfigurations: [] });
});

describe('create', () => {
  test('creates the storage configuration in one call and returns its ARN as the physical ID, with its attributes', async () => {
    // GIVEN
    ivs.on(CreateStorageConfigurationCommand)
      .resolves({ storageConfiguration: { arn: ARN, name: 'recordings', s3: { bucketName: 'recordings-bucket' }, tags: {} } });

    // WHEN
    const response = await create(PROPS);

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(sentCommands()).toEqual(['CreateStorageConfigurationCommand']);
    expect(ivs.call(0).args[0].input).toEqual({ name: 'recordings', s3: { bucketName: 'recordings-bucket' }, tags: CREATE_CREATOR_TAGS });
  });

  test('passes tags to CreateStorageConfiguration instead of tagging afterwards', async () => {
    // GIVEN
    ivs.on(CreateStorageConfigurationCommand).resolves({ storageConfiguration: { arn: ARN } });

    // WHEN
    await create({ ...PROPS, Tags: { team: 'video' } });

    // THEN
    expect(ivs).toHaveReceivedCommandWith(CreateStorageConfigurationCommand, { tags: { team: 'video', ...CREATE_CREATOR_TAGS } });
    expect(ivs).not.toHaveReceivedCommand(TagResourceCommand);
  });

  test.each([
    ['a bucket in another region', ValidationException],
    ['the quota', ServiceQuotaExceededException],
    ['a bucket policy that the handler may not edit', AccessDeniedException],
  ])('an API error (%s) fails the create', async (_, Type) => {
    // GIVEN
    ivs.on(CreateStorageConfigurationCommand).rejects(serviceError(Type as any, 'refused'));

    // WHEN / THEN
    await expect(create(PROPS)).rejects.toThrow(Type as any);
  });

  test('a response without a storage configuration fails the create', async () => {
    // GIVEN
    ivs.on(CreateStorageConfigurationCommand).resolves({});

    // WHEN / THEN
    await expect(create(PROPS)).rejects.toThrow('the IVS response has no storage configuration');
  });
  test('after a lost answer, finds the storage configuration its create made by its creator tag and answers with it', async () => {
    // GIVEN a create whose answer was lost after IVS made it
    ivs.on(CreateStorageConfigurationCommand).rejects(new InternalServerException({ message: 'internal', $metadata: { httpStatusCode: 500 } }));
    ivs.on(ListStorageConfigurationsCommand).resolves({ storageConfigurations: [{ arn: ARN, name: PROPS.Name, tags: CREATE_CREATOR_TAGS }] });
    ivs.on(GetStorageConfigurationCommand, { arn: ARN }).resolves({ storageConfiguration: { arn: ARN, name: PROPS.Name } });

    // WHEN
    const response = await create(PROPS);

    // THEN
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(ivs).toHaveReceivedCommandTimes(CreateStorageConfigurationCommand, 1);
  });
});

describe('update', () => {
  test.each([
    ['a new bucket', { ...PROPS, S3: { BucketName: 'other-bucket' } }],
    ['a new name', { ...PROPS, Name: 'renamed' }],
  ])('%s creates a new storage configuration and returns its ARN, leaving the old one to CloudFormation', async (_, props) => {
    // GIVEN
    stored(PROPS);
    ivs.on(CreateStorageConfigurationCommand).resolves({ storageConfiguration: { arn: NEW_ARN } });

    // WHEN
    const response = await update(props, PROPS);

    // THEN
    expect(response).toEqual({
      PhysicalResourceId: NEW_ARN,
      Data: { Arn: NEW_ARN, StorageConfigurationId: 'NeWaRn567890', Name: props.Name, BucketName: props.S3.BucketName },
    });
    expect(sentCommands()).toEqual(['GetStorageConfigurationCommand', 'CreateStorageConfigurationCommand']);
    expect(ivs.call(1).args[0].input).toEqual({ name: props.Name, s3: { bucketName: props.S3.BucketName }, tags: CREATE_CREATOR_TAGS });
  });

  test('a replacement carries the new tags, all of them', async () => {
    // GIVEN
    stored(PROPS);
    ivs.on(CreateStorageConfigurationCommand).resolves({ storageConfiguration: { arn: NEW_ARN } });

    // WHEN
    await update({ ...PROPS, Name: 'renamed', Tags: { team: 'video', tier: 'gold' } }, { ...PROPS, Tags: { team: 'video' } });

    // THEN
    expect(ivs).toHaveReceivedCommandWith(CreateStorageConfigurationCommand, { tags: { team: 'video', tier: 'gold', ...CREATE_CREATOR_TAGS } });
    expect(sentCommands()).toEqual(['GetStorageConfigurationCommand', 'CreateStorageConfigurationCommand']);
  });

  test('the Update back of a replacing update that failed finds the storage configuration as asked, and keeps it', async () => {
    // GIVEN the rename to 'renamed' failed, so the storage configuration still is as PROPS created it
    stored(PROPS);
    ivs.on(TagResourceCommand, { resourceArn: ARN, tags: { v: '1' } }, true).resolves({});

    // WHEN CloudFormation rolls back: old and new swapped
    const response = await update({ ...PROPS, Tags: { v: '1' } }, { ...PROPS, Name: 'renamed', Tags: { v: '2' } });

    // THEN nothing is created, and the old tags are put back
    expect(response).toEqual({ PhysicalResourceId: ARN, Data: DATA });
    expect(sentCommands()).toEqual(['GetStorageConfigurationCommand', 'ListStorageConfigurationsCommand', 'TagResourceCommand']);
  });

  test('a storage configuration that is gone is replaced', async () => {
    // GIVEN
    ivs.on(GetStorageConfigurationCommand).rejects(serviceError(ResourceNotFoundException, 'not found'));
    ivs.on(CreateStorageConfigurationCommand).resolves({ storageConfiguration: { arn: NEW_ARN } });

    // WHEN
    const response = await update({ ...PROPS, Name: 'renamed' }, PROPS);

    // THEN
    expect(response.PhysicalResourceId).toBe(NEW_ARN);
  });

  test.each<[string, StorageConfiguration | undefined]>([
    ['matches neither the old nor the new properties', { arn: ARN, name: 'changed-by-hand', s3: { bucketName: 'recordings-bucket' }, tags: {} }],
    ['has no bucket', { arn: ARN, name: 'renamed' }],
    ['is missing from the answer', undefined],
  ])('a storage configuration that %s is no rollback: a replacing update replaces it', async (_, storageConfiguration) => {
    // GIVEN
    ivs.on(GetStorageConfigurationCommand, { arn: ARN }, true).resolves({ storageConfiguration });
    ivs.on(CreateStorageConfigurationCommand).resolves({ storageConfiguration: { arn: NEW_ARN } });

    // WHEN
    const response = await update({ ...PROPS, Name: 'renamed' }, PROPS);

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

  test('a new service token alone is no change', async () => {
    // GIVEN
    const event = updateEvent<StorageConfigurationResourceProperties>(STORAGE_CONFIGURATION_RESOURCE_TYPE, ARN, PROPS, PROPS);
    const moved = { ...event, OldResourceProperties: { ...event.OldResourceProperties, ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:old' } };

    // WHEN
    const response = await onUpdate(moved);

    // THEN
    expect(response.PhysicalResourceId).toBe(ARN);
    expect(ivs.calls()).toHaveLength(0);
  });

  test('a new service timeout alone is no change', async () => {
    // GIVEN: CloudFormation sends ServiceTimeout to the handler with the other properties
    const event = updateEvent<StorageConfigurationResourceProperties>(STORAGE_CONFIGURATION_RESOURCE_TYPE, ARN, PROPS, PROPS);
    const longer = {
      ...event,
      ResourceProperties: { ...event.ResourceProperties, ServiceTimeout: '600' },
      OldResourceProperties: { ...event.OldResourceProperties, ServiceTimeout: '660' },
    };

    // WHEN
    const response = await onUpdate(longer);

    // THEN
    expect(response.PhysicalResourceId).toBe(ARN);
    expect(ivs.calls()).toHaveLength(0);
  });

  test('a tag error fails the update', async () => {
    // GIVEN
    ivs.on(TagResourceCommand).rejects(serviceError(ResourceNotFoundException, 'not found'));

    // WHEN / THEN
    await expect(update({ ...PROPS, Tags: { team: 'video' } }, PROPS)).rejects.toThrow(ResourceNotFoundException);
  });
});

describe('delete', () => {
  // The storageconfiguration as IVS holds it, made by this logical resource: a delete reads it first.
  beforeEach(() => {
    ivs.on(GetStorageConfigurationCommand, { arn: ARN }).resolves({ storageConfiguration: { arn: ARN, tags: CREATE_CREATOR_TAGS } });
  });

  test('deletes the storage configuration', async () => {
    // GIVEN
    ivs.on(GetStorageConfigurationCommand, { arn: ARN }).resolves({ storageConfiguration: { arn: ARN, tags: CREATE_CREATOR_TAGS } });
    ivs.on(DeleteStorageConfigurationCommand, { arn: ARN }, true).resolves({});

    // WHEN
    await remove(ARN);

    // THEN
    expect(sentCommands()).toEqual(['GetStorageConfigurationCommand', 'DeleteStorageConfigurationCommand']);
  });

  test('a storage configuration that is already gone counts as deleted', async () => {
    // GIVEN
    ivs.on(GetStorageConfigurationCommand).rejects(serviceError(ResourceNotFoundException, 'not found'));

    // WHEN / THEN
    await expect(remove(ARN)).resolves.toBeUndefined();
  });

  test('the ID of a failed create deletes the storage configuration its create made, found by its creator tag', async () => {
    // GIVEN what its create made, listed with its creator tag
    ivs.on(ListStorageConfigurationsCommand).resolves({ storageConfigurations: [{ arn: ARN, name: PROPS.Name, tags: CREATE_CREATOR_TAGS }] });
    ivs.on(DeleteStorageConfigurationCommand).resolves({});

    // WHEN
    await remove(FAILED_CREATE_ID);

    // THEN
    expect(ivs).toHaveReceivedCommandWith(DeleteStorageConfigurationCommand, { arn: ARN });
  });

  test.each([
    ['aws-cdk-lib\'s failed-create marker', 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED'],
    ['an ID CloudFormation made up', 'TestStack-RecordingsA3BDCC51-1ABCDEF23456'],
    ['another resource type', 'arn:aws:ivs:us-east-1:111111111111:stage/AbCdEfGh1234'],
  ])('%s, neither a storage configuration ARN nor the ID of a failed create, makes no IVS call: a cancelled create deletes what it made itself', async (_, physicalId) => {
    // WHEN
    await remove(physicalId);

    // THEN
    expect(ivs.calls()).toHaveLength(0);
  });

  test('the ID of a failed create: the list is searched for what its create made, and with none found nothing is deleted', async () => {
    // GIVEN
    ivs.on(ListStorageConfigurationsCommand).resolves({ storageConfigurations: [] });

    // WHEN
    await remove(FAILED_CREATE_ID);

    // THEN
    expect(ivs).toHaveReceivedCommand(ListStorageConfigurationsCommand);
    expect(ivs.calls()).toHaveLength(1);
  });

  test('a composition using it fails the delete', async () => {
    // GIVEN
    ivs.on(DeleteStorageConfigurationCommand).rejects(serviceError(ConflictException, 'used by a composition'));

    // WHEN / THEN
    await expect(remove(ARN)).rejects.toThrow(ConflictException);
  });

  test('access denied names the bucket and says how to finish the delete', async () => {
    // GIVEN
    ivs.on(DeleteStorageConfigurationCommand).rejects(serviceError(AccessDeniedException, 'not authorized to perform s3:PutBucketPolicy'));

    // WHEN / THEN
    await expect(remove(ARN)).rejects.toThrow(
      `IVS was refused access while deleting ${ARN}: not authorized to perform s3:PutBucketPolicy. `
      + 'If the handler may no longer edit the policy of bucket recordings-bucket, delete the storage configuration '
      + 'with credentials that may (aws ivs-realtime delete-storage-configuration --arn ...)',
    );
  });

  test('access denied on a delete whose properties name no bucket still says how to finish it', async () => {
    // GIVEN a hand-written template's resource, without the S3 property
    ivs.on(DeleteStorageConfigurationCommand).rejects(serviceError(AccessDeniedException, 'not authorized'));

    // WHEN / THEN
    await expect(remove(ARN, { Name: 'recordings' } as Properties)).rejects.toThrow(
      'If the handler may no longer edit the policy of bucket (unknown), delete the storage configuration',
    );
  });

  test('access denied without a service message quotes the SDK message', async () => {
    // GIVEN
    ivs.on(DeleteStorageConfigurationCommand).rejects(new AccessDeniedException({ message: 'Access Denied', $metadata: {} }));

    // WHEN / THEN
    await expect(remove(ARN)).rejects.toThrow(`IVS was refused access while deleting ${ARN}: Access Denied. `);
  });
});

describe('through the response wrapper', () => {
  test('a replacing update answers SUCCESS with the new physical ID, so that CloudFormation deletes the old one', async () => {
    // GIVEN
    stored(PROPS);
    ivs.on(CreateStorageConfigurationCommand).resolves({ storageConfiguration: { arn: NEW_ARN } });
    const event = updateEvent<StorageConfigurationResourceProperties>(STORAGE_CONFIGURATION_RESOURCE_TYPE, ARN,
      { ...PROPS, S3: { BucketName: 'other-bucket' } }, PROPS);

    // WHEN
    const { responses } = await invokeThroughWrapper(event);

    // THEN
    expect(responses).toEqual([expect.objectContaining({
      Status: 'SUCCESS',
      PhysicalResourceId: NEW_ARN,
      Data: { Arn: NEW_ARN, StorageConfigurationId: 'NeWaRn567890', Name: 'recordings', BucketName: 'other-bucket' },
    })]);
  });

  test('a denied delete answers FAILED with the actionable reason', async () => {
    // GIVEN
    ivs.on(GetStorageConfigurationCommand, { arn: ARN }).resolves({ storageConfiguration: { arn: ARN, tags: CREATE_CREATOR_TAGS } });
    ivs.on(DeleteStorageConfigurationCommand).rejects(serviceError(AccessDeniedException, 'denied'));
    const event = deleteEvent<StorageConfigurationResourceProperties>(STORAGE_CONFIGURATION_RESOURCE_TYPE, ARN, PROPS);

    // WHEN
    const { responses } = await invokeThroughWrapper(event);

    // THEN
    expect(responses).toEqual([expect.objectContaining({
      Status: 'FAILED',
      Reason: expect.stringMatching(/^Delete failed: AccessDeniedException: IVS was refused access while deleting .* bucket recordings-bucket/),
    })]);
  });
});
