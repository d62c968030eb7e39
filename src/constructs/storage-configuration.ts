import {
  Annotations,
  IResource,
  ITaggable,
  RemovalPolicy,
  Resource,
  Stack,
  TagManager,
  PermissionsOptions,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { aws_ivs as ivsRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { IvsHandlerProvider } from '../custom-resources/ivs-handler-provider';
import {
  STORAGE_CONFIGURATION_BUCKET_ACTIONS,
  STORAGE_CONFIGURATION_HANDLER_ACTIONS,
  STORAGE_CONFIGURATION_HANDLER_LIST_ACTION,
  STORAGE_CONFIGURATION_RESOURCE_TYPE,
  StorageConfigurationResourceProperties,
  StorageConfigurationResponseData,
} from '../custom-resources/storage-configuration-contract';
import { checkSameEnvironment } from '../private/environment';
import { parseIvsArn } from '../private/ivs-arn';
import { instancesInStack, IvsCustomResource, ivsAdoption, ivsTagManager, warnAboveQuota } from '../private/ivs-resource';
import { validateString } from '../private/validation';

/**
 * An IVS Real-Time storage configuration: the S3 bucket that stage recordings and
 * compositions write to.
 */
export interface IStorageConfiguration extends IResource, ivsRefs.IStorageConfigurationRef {
  /**
   * The storage configuration's ARN.
   *
   * @attribute
   */
  readonly storageConfigurationArn: string;

  /**
   * The storage configuration's ID, the last part of its ARN.
   *
   * @attribute
   */
  readonly storageConfigurationId: string;

  /**
   * The IAM grants on this storage configuration.
   */
  readonly grants: StorageConfigurationGrants;

  /**
   * Grants `actions` on this storage configuration to `grantee`. Same as `grants.actions()`.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants reading this storage configuration: `ivs:GetStorageConfiguration` and
   * `ivs:ListTagsForResource`.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;
}

/**
 * Properties of a `StorageConfiguration`.
 */
export interface StorageConfigurationProps {
  /**
   * The bucket that recordings are written to.
   *
   * It must be in the storage configuration's account and region. IVS adds a statement to its
   * bucket policy that lets IVS write objects. IVS also requires object ownership "bucket owner
   * enforced" or "bucket owner preferred", and, for participant recording, default encryption with
   * S3-managed keys (SSE-S3).
   */
  readonly bucket: s3.IBucket;

  /**
   * The storage configuration's name: up to 128 letters, digits, hyphens and underscores. Names
   * need not be unique. A new name replaces the storage configuration.
   *
   * @default - a name generated from the construct path; with `adoptArn`, the adopted storage configuration's own name
   */
  readonly storageConfigurationName?: string;

  /**
   * Tags for the storage configuration: at most 49, together with those added by `Tags.of()` (IVS allows 50
   * per resource, and the library's creator tag takes one).
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * Take over this existing storage configuration instead of creating one: an ARN of the form
   * `arn:<partition>:ivs:<region>:<account>:storage-configuration/<id>`, in the stack's account and
   * region.
   *
   * On deploy, its tags are brought to these props; its name (when `storageConfigurationName` is
   * given) and bucket cannot change, and must already be those given. Tags not given here are
   * removed, and the library's creator tag is added. A storage configuration that another construct
   * or CloudFormation itself owns is refused.
   *
   * The removal policy defaults to `RemovalPolicy.RETAIN`. Removing this prop in a later deploy
   * changes nothing (keep the name the same); adding or changing it once the resource is deployed is
   * refused.
   *
   * @default - a new storage configuration is created
   */
  readonly adoptArn?: string;

  /**
   * What happens to the storage configuration when it leaves the stack or is replaced.
   *
   * A storage configuration holds no data (the recordings are objects in the bucket, which keeps its
   * own removal policy), and a retained one keeps counting against the quota of 5 per account and
   * region, so it is deleted by default. Retain it when something outside the stack, such as stages
   * that your backend creates, records into it.
   *
   * @default - `RemovalPolicy.RETAIN` with `adoptArn`, otherwise `RemovalPolicy.DESTROY`
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The actions of `grantRead`. */
const STORAGE_CONFIGURATION_READ_ACTIONS = ['ivs:GetStorageConfiguration', 'ivs:ListTagsForResource'];

const BUCKET_NAME_PATTERN = /^[a-z0-9-.]+$/;

/** The default quota of storage configurations per account and region. */
const QUOTA = 5;

/** The service principal that writes recordings into the bucket. */
const IVS_PRINCIPAL = 'ivs.amazonaws.com';

/**
 * The IAM grants on a storage configuration: a `StorageConfiguration`, an import, or an L1 `CfnStorageConfiguration`.
 */
export class StorageConfigurationGrants {
  /**
   * The grants on `storageConfiguration`.
   */
  public static fromStorageConfiguration(storageConfiguration: ivsRefs.IStorageConfigurationRef): StorageConfigurationGrants {
    return new StorageConfigurationGrants(storageConfiguration);
  }

  /** The storage configuration the grants are on. */
  protected readonly resource: ivsRefs.IStorageConfigurationRef;

  private constructor(resource: ivsRefs.IStorageConfigurationRef) {
    this.resource = resource;
  }

  /**
   * Grants `actions` on the storage configuration (or on `options.resourceArns`) to `grantee`.
   */
  public actions(grantee: iam.IGrantable, actions: string[], options: PermissionsOptions = {}): iam.Grant {
    const resourceArns = options.resourceArns ?? [ivs.CfnStorageConfiguration.arnForStorageConfiguration(this.resource)];
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns });
  }

  /**
   * Grants reading the storage configuration:
   *
   * - ivs:GetStorageConfiguration
   * - ivs:ListTagsForResource
   */
  public read(grantee: iam.IGrantable): iam.Grant {
    return this.actions(grantee, STORAGE_CONFIGURATION_READ_ACTIONS);
  }
}

/**
 * What every storage configuration, defined here or imported, can do.
 */
export abstract class StorageConfigurationBase extends Resource implements IStorageConfiguration {
  public abstract readonly storageConfigurationArn: string;
  public abstract readonly storageConfigurationId: string;

  public readonly grants: StorageConfigurationGrants = StorageConfigurationGrants.fromStorageConfiguration(this);

  /**
   * A reference to this storage configuration, as the L1 `CfnStorageConfiguration` gives it.
   */
  public get storageConfigurationRef(): ivsRefs.StorageConfigurationReference {
    return { storageConfigurationArn: this.storageConfigurationArn };
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return this.grants.actions(grantee, actions);
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grants.read(grantee);
  }
}

/**
 * An IVS Real-Time storage configuration: the S3 bucket that participant recordings and
 * compositions write to. One storage configuration can serve many stages.
 *
 * IVS cannot change a storage configuration: a new name or bucket replaces it (a new ARN, and the
 * old one is deleted); tags change in place.
 *
 * @resource Custom::IvsStorageConfiguration
 *
 * @example
 * import * as s3 from 'aws-cdk-lib/aws-s3';
 * import { Stage, StorageConfiguration } from 'cdk-ivs-realtime';
 *
 * declare const bucket: s3.IBucket;
 *
 * const recordings = new StorageConfiguration(this, 'Recordings', { bucket });
 * new Stage(this, 'Stage', { autoParticipantRecording: { storageConfiguration: recordings } });
 */
export class StorageConfiguration extends StorageConfigurationBase implements ITaggable {
  /**
   * Imports a storage configuration by its ARN.
   *
   * @param storageConfigurationArn an ARN of the form
   *   `arn:<partition>:ivs:<region>:<account>:storage-configuration/<id>`
   */
  public static fromStorageConfigurationArn(scope: Construct, id: string, storageConfigurationArn: string): IStorageConfiguration {
    const parsed = parseIvsArn(scope, storageConfigurationArn, 'storage-configuration', 'storageConfigurationArn');
    class Import extends StorageConfigurationBase {
      public readonly storageConfigurationArn = storageConfigurationArn;
      public readonly storageConfigurationId = parsed.resourceName!;
    }
    return new Import(scope, id, { environmentFromArn: storageConfigurationArn });
  }

  public get storageConfigurationArn(): string { return this.resource.getAttString('Arn'); }
  public get storageConfigurationId(): string { return this.resource.getAttString('StorageConfigurationId'); }

  /**
   * The storage configuration's name.
   */
  public readonly storageConfigurationName: string;

  /**
   * The bucket that recordings are written to.
   */
  public readonly bucket: s3.IBucket;

  /**
   * The storage configuration's tags, including those added with `Tags.of()`.
   */
  public readonly tags: TagManager;

  private readonly resource: IvsCustomResource<StorageConfigurationResponseData>;

  constructor(scope: Construct, id: string, props: StorageConfigurationProps) {
    super(scope, id, { physicalName: props.storageConfigurationName });

    const adoption = ivsAdoption(this, {
      resource: 'storage-configuration',
      noun: 'storage configuration',
      nameProp: 'storageConfigurationName',
      name: props.storageConfigurationName,
      adoptArn: props.adoptArn,
      removalPolicy: props.removalPolicy,
    });
    this.validateBucket(props.bucket);
    this.warnAboutBucketSettings(props.bucket);

    this.bucket = props.bucket;
    this.tags = ivsTagManager(this, STORAGE_CONFIGURATION_RESOURCE_TYPE, props.tags);

    const properties: Omit<StorageConfigurationResourceProperties, 'ServiceToken' | 'Tags'> = {
      Name: adoption.name,
      AdoptArn: props.adoptArn,
      S3: { BucketName: props.bucket.bucketName },
    };

    const provider = IvsHandlerProvider.getOrCreate(this, {
      resourceType: STORAGE_CONFIGURATION_RESOURCE_TYPE,
      arnResource: 'storage-configuration',
      actions: STORAGE_CONFIGURATION_HANDLER_ACTIONS,
      listAction: STORAGE_CONFIGURATION_HANDLER_LIST_ACTION,
    });
    // Nested stacks have their own handler, so only this stack's storage configurations count.
    const others = instancesInStack(this, StorageConfiguration).filter((other) => other !== this);
    // IVS edits the bucket policy with the caller's credentials, so the handler may edit this
    // bucket's policy, and no other's. The statement lives in the shared role, so a storage
    // configuration that leaves the stack (or moves to another bucket) takes its bucket out of the
    // role in the update phase, before CloudFormation deletes it in the cleanup phase: see the
    // handler's onDelete for what that Delete then reports. A whole-stack delete is not affected.
    if (!others.some((other) => other.bucket.bucketArn === props.bucket.bucketArn)) {
      provider.addToRolePolicy(new iam.PolicyStatement({
        actions: STORAGE_CONFIGURATION_BUCKET_ACTIONS,
        resources: [props.bucket.bucketArn],
      }));
    }

    this.resource = new IvsCustomResource(this, {
      provider,
      resourceType: STORAGE_CONFIGURATION_RESOURCE_TYPE,
      removalPolicy: adoption.removalPolicy,
      properties,
      tags: this.tags,
    });
    this.storageConfigurationName = adoption.name ?? this.resource.getAttString('Name');
    this.keepIvsStatementInBucketPolicy(props.bucket, this.resource);

    warnAboveQuota(this, {
      count: provider.resourceCount,
      quota: QUOTA,
      adjustable: true,
      what: 'storage configurations',
      id: 'storage-configuration-quota',
    });
  }

  /** The bucket name rules of the API, and the same account and region. */
  private validateBucket(bucket: s3.IBucket): void {
    validateString(this, 'bucket.bucketName', bucket.bucketName, {
      minLength: 3,
      maxLength: 63,
      pattern: BUCKET_NAME_PATTERN,
      patternDescription: 'lowercase letters, digits, hyphens and dots',
    });
    // Only the bucket owner's account may put a bucket policy, which IVS does with our credentials.
    checkSameEnvironment(this, 'bucket', 'storage configuration', this.env, 'bucket', bucket.env);
  }

  /** Warns about the bucket settings that IVS rejects, when the bucket is defined in this app. */
  private warnAboutBucketSettings(bucket: s3.IBucket): void {
    const cfnBucket = bucket.node.defaultChild;
    if (!(cfnBucket instanceof s3.CfnBucket)) {
      return;
    }
    const resolve = (value: unknown) => Stack.of(cfnBucket).resolve(value);
    const ownership = resolve(cfnBucket.ownershipControls)?.rules?.map((rule: { objectOwnership?: string }) => rule.objectOwnership);
    if (ownership?.includes(s3.ObjectOwnership.OBJECT_WRITER)) {
      Annotations.of(this).addWarningV2(
        'cdk-ivs-realtime:storage-configuration-object-ownership',
        'bucket has object ownership ObjectWriter; IVS requires BucketOwnerEnforced or BucketOwnerPreferred',
      );
    }
    const algorithms: unknown[] = (resolve(cfnBucket.bucketEncryption)?.serverSideEncryptionConfiguration ?? [])
      .map((rule: { serverSideEncryptionByDefault?: { sseAlgorithm?: unknown } }) => rule.serverSideEncryptionByDefault?.sseAlgorithm);
    const other = algorithms.find((algorithm) => algorithm !== 'AES256');
    if (other !== undefined) {
      Annotations.of(this).addWarningV2(
        'cdk-ivs-realtime:storage-configuration-encryption',
        `bucket's default encryption is ${other}; IVS participant recording requires SSE-S3 (BucketEncryption.S3_MANAGED)`,
      );
    }
  }

  /**
   * A bucket policy managed by CloudFormation is rewritten whole on every deploy that changes it,
   * dropping the statement that IVS added at create time. So a bucket defined in this app gets the
   * same permission in its own policy, and the storage configuration is created after that policy,
   * so that IVS's read-modify-write of the policy never races CloudFormation's write.
   */
  private keepIvsStatementInBucketPolicy(bucket: s3.IBucket, resource: IvsCustomResource<StorageConfigurationResponseData>): void {
    const { statementAdded, policyDependable } = bucket.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(IVS_PRINCIPAL)],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: { StringEquals: { 'aws:SourceAccount': bucket.env.account } },
    }));
    if (statementAdded && policyDependable) {
      resource.node.addDependency(policyDependable);
    }
  }
}
