import {
  AccessDeniedException,
  CreateStorageConfigurationCommand,
  DeleteStorageConfigurationCommand,
  GetStorageConfigurationCommand,
  StorageConfiguration,
  paginateListStorageConfigurations,
} from '@aws-sdk/client-ivs-realtime';
import type {
  CloudFormationCustomResourceCreateEvent,
  CloudFormationCustomResourceDeleteEvent,
  CloudFormationCustomResourceUpdateEvent,
} from 'aws-lambda';
import { ivs, ivsCreate } from './ivs-client';
import { changedBesidesTags, nameToCreate, rollsBackFailedReplacement } from './lifecycle';
import { adoptOwned, createOwned, deleteOwned, difference, nameOf, OwnedResourceType, removeRolledBackReplacements, Request } from './ownership';
import { updateTags } from './tags';
import type {
  StorageConfigurationResourceProperties,
  StorageConfigurationResponseData,
} from '../src/custom-resources/storage-configuration-contract';

export interface StorageConfigurationResponse {
  readonly PhysicalResourceId: string;
  readonly Data: StorageConfigurationResponseData;
}

/**
 * Creates the storage configuration with its tags in one call. IVS adds a statement to the bucket's
 * policy with the handler's credentials, which is why the handler role may edit that bucket's policy.
 */
export async function onCreate(
  event: CloudFormationCustomResourceCreateEvent<StorageConfigurationResourceProperties>,
): Promise<StorageConfigurationResponse> {
  const props = event.ResourceProperties;
  if (props.AdoptArn !== undefined) {
    // Nothing but its tags can change: the name and bucket must be those asked for already.
    const adopted = await adoptOwned(event, storageConfigurations(props.S3.BucketName), props.AdoptArn, {
      differences: (live) => [
        ...(props.Name === undefined ? [] : difference('name', live.name, props.Name)),
        ...difference('bucket', live.s3?.bucketName, props.S3.BucketName),
      ],
      tags: props.Tags,
    });
    return respond(adopted.arn, adopted.name ?? '', props);
  }
  return create(event, props);
}

/**
 * IVS cannot change a storage configuration: a new name or bucket creates a new one, whose ARN
 * becomes the physical ID, and CloudFormation deletes the old one afterwards. Tags alone change in
 * place, by difference, as does the rollback of a replacing update that failed.
 */
export async function onUpdate(
  event: CloudFormationCustomResourceUpdateEvent<StorageConfigurationResourceProperties>,
): Promise<StorageConfigurationResponse> {
  const arn = event.PhysicalResourceId;
  const props = event.ResourceProperties;
  const old = event.OldResourceProperties;
  if (changedBesidesTags(props, old)) {
    if (!await rollsBackFailedReplacement(
      async () => (await ivs.send(new GetStorageConfigurationCommand({ arn }))).storageConfiguration,
      hasProperties, props, old,
    )) {
      return create(event, props);
    }
    await removeRolledBackReplacements(event, storageConfigurations(old.S3.BucketName), old.Name, arn);
  }
  await updateTags(arn, old.Tags, props.Tags);
  return respond(arn, await nameOf(storageConfigurations(props.S3.BucketName), arn, props.Name), props);
}

/**
 * Deletes the storage configuration, idempotently; IVS takes its statement out of the bucket policy.
 */
export async function onDelete(
  event: CloudFormationCustomResourceDeleteEvent<StorageConfigurationResourceProperties>,
): Promise<void> {
  const props = event.ResourceProperties;
  await deleteOwned(event, storageConfigurations(props.S3?.BucketName), props.Name);
}

/** The storage configurations that write into `bucketName`. */
function storageConfigurations(bucketName: string | undefined): OwnedResourceType<StorageConfiguration> {
  return {
    resource: 'storage-configuration',
    get: async (arn) => (await ivs.send(new GetStorageConfigurationCommand({ arn }))).storageConfiguration,
    list: async function* () {
      for await (const page of paginateListStorageConfigurations({ client: ivs, pageSize: 100 }, {})) {
        yield page.storageConfigurations ?? [];
      }
    },
    remove: async (arn) => {
      try {
        await ivs.send(new DeleteStorageConfigurationCommand({ arn }));
      } catch (error) {
        if (error instanceof AccessDeniedException) {
          throw bucketAccessDenied(arn, bucketName, error);
        }
        throw error;
      }
    },
  };
}

async function create(request: Request, props: StorageConfigurationResourceProperties): Promise<StorageConfigurationResponse> {
  const name = nameToCreate(props);
  const { arn } = await createOwned(request, storageConfigurations(props.S3.BucketName), name,
    async (creatorTags) => (await ivsCreate.send(new CreateStorageConfigurationCommand({
      name,
      s3: { bucketName: props.S3.BucketName },
      tags: { ...props.Tags, ...creatorTags },
    }))).storageConfiguration);
  return respond(arn, name, props);
}

/** Whether the storage configuration has the name and bucket of `props`. */
function hasProperties(storageConfiguration: StorageConfiguration, props: StorageConfigurationResourceProperties): boolean {
  return (props.Name === undefined || storageConfiguration.name === props.Name) && storageConfiguration.s3?.bucketName === props.S3.BucketName;
}

/**
 * The attributes. Name and bucket cannot change without a new ARN, so the properties that created
 * the storage configuration still describe it and no read is needed, but for the name an adopted
 * one kept.
 */
function respond(arn: string, name: string, props: StorageConfigurationResourceProperties): StorageConfigurationResponse {
  return {
    PhysicalResourceId: arn,
    Data: {
      Arn: arn,
      StorageConfigurationId: arn.slice(arn.lastIndexOf('/') + 1),
      Name: name,
      BucketName: props.S3.BucketName,
    },
  };
}

/**
 * The handler role may edit the policy of the buckets that the stack's storage configurations use
 * now. A storage configuration that left the stack, or whose bucket changed, is deleted after
 * CloudFormation has already taken its bucket out of the role, so IVS may be refused the policy edit.
 */
function bucketAccessDenied(arn: string, bucketName: string | undefined, cause: AccessDeniedException): Error {
  const error = new Error(
    `IVS was refused access while deleting ${arn}: ${cause.exceptionMessage ?? cause.message}. `
    + `If the handler may no longer edit the policy of bucket ${bucketName ?? '(unknown)'}, delete the storage `
    + 'configuration with credentials that may (aws ivs-realtime delete-storage-configuration --arn ...)',
  );
  error.name = cause.name;
  return error;
}
