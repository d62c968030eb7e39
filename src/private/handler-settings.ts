import { RemovalPolicy, Size } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';

/*
 * The handler settings as the handlers apply them (see IvsRealtimeHandlers for the public side).
 */

/** What a handler applies, with every default filled in. */
export interface ResolvedHandlerSettings {
  readonly memorySize: Size;
  /** The runtime the user pinned; undefined to follow aws-cdk-lib (see lambda-runtime.ts). */
  readonly runtime?: lambda.Runtime;
  readonly reservedConcurrentExecutions?: number;
  readonly logRetention: logs.RetentionDays;
  readonly logEncryptionKey?: kms.IKey;
  readonly logRemovalPolicy: RemovalPolicy;
  readonly vpc?: {
    readonly subnetIds: string[];
    readonly securityGroupIds: string[];
  };
}

/** 256 MiB: what every handler had before there were settings. */
export const DEFAULT_HANDLER_MEMORY = Size.mebibytes(256);
/**
 * A year: long enough to read what a deploy did a release cycle later and to meet the common
 * one-year audit rule (checkov CKV_AWS_338); handler logs are a few lines per deploy.
 */
export const DEFAULT_HANDLER_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;
