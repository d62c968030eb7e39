/*
 * The contract between the StorageConfiguration construct and its handler: the properties of a
 * `Custom::IvsStorageConfiguration` resource and the attributes its handler returns.
 *
 * Shared with the handler bundle: type declarations and constants only, no aws-cdk-lib.
 */

/** The CloudFormation resource type of a storage configuration. */
export const STORAGE_CONFIGURATION_RESOURCE_TYPE = 'Custom::IvsStorageConfiguration';

/**
 * The properties of a `Custom::IvsStorageConfiguration`, as the handler receives them.
 *
 * IVS has no update operation for storage configurations: a change to anything but `Tags` makes the
 * handler create a new one, and CloudFormation then deletes the old one.
 */
export interface StorageConfigurationResourceProperties {
  readonly ServiceToken: string;
  /**
   * The storage configuration name (CreateStorageConfiguration `name`). Absent only with AdoptArn:
   * the adopted storage configuration keeps its name.
   */
  readonly Name?: string;
  /** CreateStorageConfiguration `s3`. */
  readonly S3: StorageConfigurationS3Properties;
  /**
   * An existing storage configuration to take over on Create instead of making one (an ARN of the
   * stack's account and region). An update leaves it out of the comparison: adoption happens only on
   * Create, and a later value is refused unless it names the storage configuration already held.
   */
  readonly AdoptArn?: string;
  /** Tag key to value. Absent when the storage configuration has no tags. */
  readonly Tags?: Record<string, string>;
}

/** `s3`. */
export interface StorageConfigurationS3Properties {
  /** The bucket that recordings are written to, in the storage configuration's account and region. */
  readonly BucketName: string;
}

/** What the handler returns in `Data`, readable with `Fn::GetAtt`. */
export interface StorageConfigurationResponseData {
  readonly Arn: string;
  readonly StorageConfigurationId: string;
  readonly Name: string;
  readonly BucketName: string;
}

/**
 * The IVS actions of the storage configuration handler's role, on `storage-configuration/*` ARNs of
 * the stack's account and region. The S3 actions that IVS performs with the caller's credentials
 * are granted per bucket: see `STORAGE_CONFIGURATION_BUCKET_ACTIONS`.
 */
export const STORAGE_CONFIGURATION_HANDLER_ACTIONS = [
  'ivs:CreateStorageConfiguration',
  'ivs:GetStorageConfiguration',
  'ivs:DeleteStorageConfiguration',
  'ivs:TagResource',
  'ivs:UntagResource',
];

/** The List action of the storage configuration handler, which IAM does not scope to ARNs. */
export const STORAGE_CONFIGURATION_HANDLER_LIST_ACTION = 'ivs:ListStorageConfigurations';

/**
 * What IVS does to the bucket with the caller's credentials: CreateStorageConfiguration adds a
 * statement to the bucket policy so that IVS may write recordings, DeleteStorageConfiguration takes
 * it out again (deleting the policy when nothing else is left). These are the S3 actions of the
 * `AWS::IVS::StorageConfiguration` CloudFormation handlers.
 */
export const STORAGE_CONFIGURATION_BUCKET_ACTIONS = [
  's3:GetBucketLocation',
  's3:GetBucketPolicy',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
];
