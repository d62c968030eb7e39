import { IResource, Resource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { parseIvsArn } from '../private/ivs-arn';

/**
 * An IVS Real-Time storage configuration: the S3 bucket that stage recordings and
 * compositions write to.
 */
export interface IStorageConfiguration extends IResource {
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
   * Grants `actions` on this storage configuration to `grantee`.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants reading this storage configuration: `ivs:GetStorageConfiguration` and
   * `ivs:ListTagsForResource`.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;
}

/**
 * What every storage configuration, defined here or imported, can do.
 */
export abstract class StorageConfigurationBase extends Resource implements IStorageConfiguration {
  public abstract readonly storageConfigurationArn: string;
  public abstract readonly storageConfigurationId: string;

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.storageConfigurationArn] });
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'ivs:GetStorageConfiguration', 'ivs:ListTagsForResource');
  }
}

/**
 * An IVS Real-Time storage configuration.
 *
 * Only imports are available in this version: use `StorageConfiguration.fromStorageConfigurationArn`
 * to record stages into a storage configuration that exists already.
 */
export abstract class StorageConfiguration extends StorageConfigurationBase {
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
}
