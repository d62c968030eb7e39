import * as path from 'path';
import { ArnFormat, AssetStaging, Duration, FileAssetPackaging, IResolvable, Lazy, RemovalPolicy, Stack, Tags, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { STACK_ID_VARIABLE } from './handler-environment-contract';
import { IvsRealtimeHandlers } from '../ivs-realtime-handlers';
import { checkStackRegion } from '../private/environment';
import { DEFAULT_HANDLER_LOG_RETENTION, ResolvedHandlerSettings } from '../private/handler-settings';
import { applyNodeRuntime, chooseNodeRuntime } from '../private/lambda-runtime';
import { checkovSkips, ScannerSuppression } from '../private/scanner-suppressions';

/**
 * The handler bundle that the build writes (see `.projenrc.ts`): `index.js`, one bundle for every
 * type, and `__entrypoint__.js`, aws-cdk-lib's custom-resource response wrapper around it.
 */
const HANDLER_CODE_DIRECTORY = path.join(__dirname, '..', '..', 'assets', 'lambda', 'handler');

/**
 * How long one handler invocation may run. IVS control-plane calls are synchronous, but IVS takes
 * 5 requests per second per operation and account: a stack that creates 500 resources of a type
 * at once needs 100 seconds of calls for them, more when other stacks deploy beside it, and the
 * handlers retry throttled calls until this runs out (see the README's reliability section).
 */
export const HANDLER_TIMEOUT = Duration.minutes(10);

/**
 * How long CloudFormation waits for a response before failing the resource: a minute beyond the
 * handler's own timeout, so that a response which never arrives costs minutes, not the hour
 * CloudFormation waits by default.
 */
export const SERVICE_TIMEOUT = Duration.minutes(11);

/** What a handler may do with a secret its construct owns: write a new value, and nothing else. */
const OWNED_SECRET_HANDLER_ACTION = 'secretsmanager:PutSecretValue';

/**
 * The tag that names the one handler that may write a secret: its value is the handler's resource
 * type and the stack's ID (`Custom::IvsIngestConfiguration/arn:aws:cloudformation:...`). The
 * handler's role may write the secrets that carry its own value, and no other secret: one
 * condition instead of one ARN per secret, which at 100 ingest configurations (the default quota)
 * would make the role's policy longer than IAM's 10,240 characters.
 */
export const OWNED_SECRET_TAG_KEY = 'cdk-ivs-realtime:written-by';

/** The priority of that tag: above any `Tags.of()` a user would add with the same key. */
const OWNED_SECRET_TAG_PRIORITY = 10_000;

/** What a handler may do with the KMS key a construct is backed by: read its public half. */
const KMS_PUBLIC_KEY_HANDLER_ACTION = 'kms:GetPublicKey';

/**
 * What PutSecretValue needs of a secret's customer-managed key: Secrets Manager asks KMS for a
 * new data key for every value (GenerateDataKey) and decrypts it (Decrypt), on the caller's behalf.
 */
const OWNED_SECRET_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

/**
 * What Lambda needs of the role to attach a function to a VPC (the actions of the managed
 * AWSLambdaVPCAccessExecutionRole, but its logs actions, which the log group statement covers).
 */
export const VPC_NETWORK_INTERFACE_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

/** Why the function has no dead-letter queue, whatever the settings (checkov CKV_AWS_116). */
const NO_DLQ: ScannerSuppression = {
  id: 'CKV_AWS_116',
  comment: 'CloudFormation is the only caller and the response wrapper answers every request, SUCCESS or FAILED, '
    + `before returning; an invocation that dies instead fails its resource after ServiceTimeout (${SERVICE_TIMEOUT.toMinutes()} minutes). `
    + 'A dead-letter queue would hold a request for a stack operation that has already ended, which nobody can replay.',
};

/** Why the function's environment is not encrypted with a customer-managed key (checkov CKV_AWS_173). */
const PLAIN_ENVIRONMENT: ScannerSuppression = {
  id: 'CKV_AWS_173',
  comment: "Its environment holds only the stack's own ID (which stack's events the handler acts on), no secret.",
};

/** Why the function has no reserved concurrency unless the stack asks for it (checkov CKV_AWS_115). */
const NO_RESERVED_CONCURRENCY: ScannerSuppression = {
  id: 'CKV_AWS_115',
  comment: 'Runs only while CloudFormation deploys IVS resources of this stack; reserving concurrency would take it from '
    + "the account's pool permanently. Set IvsRealtimeHandlers.of(stack).configure({ reservedConcurrentExecutions }) to reserve some.",
};

/** Why the function is outside a VPC unless the stack asks for one (checkov CKV_AWS_117). */
const NO_VPC: ScannerSuppression = {
  id: 'CKV_AWS_117',
  comment: 'Calls only public AWS endpoints (IVS Real-Time, Secrets Manager, the CloudFormation response URL in S3) and '
    + 'reaches no resource inside a VPC. Set IvsRealtimeHandlers.of(stack).configure({ vpc }) to run it in one.',
};

/** Why the log group is not encrypted with a customer-managed key unless the stack gives one (checkov CKV_AWS_158). */
const NO_LOG_KEY: ScannerSuppression = {
  id: 'CKV_AWS_158',
  comment: 'CloudWatch Logs encrypts the log events at rest with its own keys; the handlers log request types, resource '
    + 'IDs and errors, never a secret or a response URL. Set IvsRealtimeHandlers.of(stack).configure({ logEncryptionKey }) to use a CMK.',
};

/** Why a handler role in a VPC may manage network interfaces without constraints (checkov CKV_AWS_111). */
const VPC_NETWORK_INTERFACES: ScannerSuppression = {
  id: 'CKV_AWS_111',
  comment: 'Lambda creates and deletes the network interfaces of a function in a VPC with its role, and their IDs are not known '
    + 'before; ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets support no resource-level permissions. These are the actions '
    + 'of the AWSLambdaVPCAccessExecutionRole managed policy but its logs actions; every other statement names its resources.',
};

/** What one resource type's handler is and may do. */
export interface IvsHandlerSpec {
  /** The CloudFormation resource type, e.g. `Custom::IvsStage`. */
  readonly resourceType: string;
  /** The IVS ARN resource type the handler works on, e.g. `stage`. */
  readonly arnResource: string;
  /** The only IAM actions the handler's role allows, on ARNs of `arnResource` in this account and region. */
  readonly actions: string[];
  /**
   * The type's List action, where IAM cannot scope it to ARNs. A create whose answer was lost, and
   * the delete after a failed create, look through the list for what the create made.
   *
   * @default - none: `actions` holds it
   */
  readonly listAction?: string;
}

/**
 * The Lambda function behind one resource type: one per stack and type, shared by every
 * resource of that type in the stack, with its own role and log group.
 *
 * A direct Lambda-backed provider: CloudFormation invokes the function once per lifecycle event
 * and aws-cdk-lib's response wrapper (bundled beside the handler) answers it, so there is no
 * Provider-framework Lambda in between. The function, its role and its log group are L1s, as
 * the core provider's were, so that `Tags.of()`, `PermissionsBoundary.of()`, cdk-nag and the
 * template scanners reach them. Not the L2s: `lambda.Function` makes the function depend on its
 * role as well as reference it (cfn-lint W3005), and the L2s' code (and the s3-assets `Asset`
 * behind `lambda.Code.fromAsset`) costs synth time in every stack while adding nothing here. The
 * function and the role keep the construct IDs, and so the logical IDs, of the core provider's:
 * upgrading from it updates them in place, and no IVS resource sees a new service token.
 */
export class IvsHandlerProvider extends Construct {
  /** The stack's provider for `spec.resourceType`, created on first use. */
  public static getOrCreate(scope: Construct, spec: IvsHandlerSpec): IvsHandlerProvider {
    const stack = Stack.of(scope);
    const id = `${spec.resourceType.replace('Custom::', '')}HandlerProvider`;
    const existing = stack.node.tryFindChild(id);
    if (existing) {
      return existing as IvsHandlerProvider;
    }
    // The handlers call the IVS Real-Time endpoint of the stack's region: without one, every
    // deploy would wait for the service timeout and fail.
    checkStackRegion(scope);
    return new IvsHandlerProvider(stack, id, spec);
  }

  /**
   * The service token for every resource of the type, resolved once per stack rather than once
   * per resource: resolving the function's reference (its logical ID is hashed each time) for
   * each of hundreds of resources is measurable synth time.
   */
  public readonly sharedServiceToken: IResolvable;

  /** The handler's role. Its construct ID, `Role`, keeps the logical ID the core provider gave it. */
  public readonly role: iam.CfnRole;

  /** The log group the handler writes to, owned by the stack. */
  public readonly logGroup: logs.CfnLogGroup;

  /** The handler function. Its construct ID, `Handler`, keeps the logical ID the core provider gave it. */
  public readonly function: lambda.CfnFunction;

  /** The role's one inline policy; statements are added as constructs need them. */
  private readonly policy: iam.PolicyDocument;

  /** The resource type whose handler this is. */
  private readonly resourceType: string;

  /** The statement that lets the handler write the secrets its constructs own, once there is one. */
  private ownedSecretsStatement?: iam.PolicyStatement;

  /** The statement that lets the handler use those secrets' customer-managed keys, once there is one. */
  private ownedSecretKeysStatement?: iam.PolicyStatement;

  /** The ARNs of those keys, in that statement. */
  private readonly ownedSecretKeyArns = new Set<string>();

  /** The statement that lets the handler read the public half of KMS keys, once there is one. */
  private kmsPublicKeysStatement?: iam.PolicyStatement;

  /** The KMS keys whose public half the handler may read: those of KMS-backed keys in the stack. */
  private readonly kmsKeyArns = new Set<string>();

  private resources = 0;

  private constructor(stack: Stack, id: string, spec: IvsHandlerSpec) {
    super(stack, id);
    this.resourceType = spec.resourceType;

    const handlers = IvsRealtimeHandlers.of(stack);
    const ivsResources = stack.formatArn({ service: 'ivs', resource: spec.arnResource, resourceName: '*' });

    this.logGroup = new logs.CfnLogGroup(this, 'LogGroup', { retentionInDays: DEFAULT_HANDLER_LOG_RETENTION });
    this.logGroup.applyRemovalPolicy(RemovalPolicy.DESTROY);

    this.policy = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({ actions: spec.actions, resources: [ivsResources] }),
        // The log group exists before the function: the handler never needs logs:CreateLogGroup.
        new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.attrArn] }),
        // A create asks whether CloudFormation cancelled it meanwhile (before its answer and after
        // it), and a replacing update whether CloudFormation rolls it back, of its own stack only.
        new iam.PolicyStatement({ actions: ['cloudformation:DescribeStackResource', 'cloudformation:DescribeStacks'], resources: [stack.stackId] }),
        ...spec.listAction ? [new iam.PolicyStatement({ actions: [spec.listAction], resources: ['*'] })] : [],
      ],
    });
    this.role = new iam.CfnRole(this, 'Role', {
      assumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
      },
      description: `cdk-ivs-realtime: lifecycle handler role for ${spec.resourceType}`,
      policies: [{ policyName: 'Inline', policyDocument: this.policy }],
    });
    acknowledgeNagFinding(this.role,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ivs:${nagPart(stack.region, 'AWS::Region')}:${nagPart(stack.account, 'AWS::AccountId')}:${spec.arnResource}/*]`,
      `IVS assigns the ID in a ${spec.arnResource} ARN when it creates the resource, so no ARN can be named before; the statement `
        + `allows only the ${spec.actions.length} actions the ${spec.resourceType} handler calls, on ${spec.arnResource} ARNs of this account and region`);
    if (spec.listAction) {
      acknowledgeNagFinding(this.role, 'AwsSolutions-IAM5[Resource::*]',
        `${spec.listAction} supports no resource-level permissions; it only lists, and the handler lists to find what a create `
          + 'made whose ARN it never learned (an answer lost, or the create failed after IVS made it)');
    }

    // Staged and added as a file asset directly, as the core custom-resource provider does: the
    // s3-assets Asset behind lambda.Code.fromAsset imports its bucket as an s3.Bucket, which loads
    // aws-s3 and region-info, a third of the library's fixed synth time.
    const staging = new AssetStaging(this, 'Code', { sourcePath: HANDLER_CODE_DIRECTORY });
    const code = stack.synthesizer.addFileAsset({
      fileName: staging.relativeStagedPath(stack),
      sourceHash: staging.assetHash,
      packaging: FileAssetPackaging.ZIP_DIRECTORY,
    });
    this.function = new lambda.CfnFunction(this, 'Handler', {
      code: { s3Bucket: code.bucketName, s3Key: code.objectKey },
      handler: '__entrypoint__.handler',
      // Set by applySettings: the newest Node.js runtime aws-cdk-lib lists for the region, or the pinned one.
      runtime: undefined,
      timeout: HANDLER_TIMEOUT.toSeconds(),
      role: this.role.attrArn,
      description: `cdk-ivs-realtime: lifecycle handler for ${spec.resourceType}`,
      loggingConfig: { logGroup: this.logGroup.ref },
      // The handler acts on events of this stack only (lambda/handler.ts).
      environment: { variables: { [STACK_ID_VARIABLE]: stack.stackId } },
    });
    this.sharedServiceToken = Lazy.any({ produce: () => Stack.of(this).resolve(this.function.attrArn) });

    this.applySettings(handlers._settings());
    handlers._onConfigure((settings) => this.applySettings(settings));
  }

  /** How many resources of its type the stack defines so far. */
  public get resourceCount(): number {
    return this.resources;
  }

  /** Counts one more resource of its type; each `IvsCustomResource` counts itself. */
  public countResource(): void {
    this.resources++;
  }

  /** Adds `statement` to the handler role's inline policy. */
  public addToRolePolicy(statement: iam.PolicyStatement): void {
    this.policy.addStatements(statement);
  }

  /**
   * Lets the handler write `secret`, which a construct of its type owns, and no other secret;
   * and, when the secret is encrypted with `encryptionKey`, use that key through Secrets Manager
   * for exactly what PutSecretValue needs.
   *
   * The secret gets the tag `cdk-ivs-realtime:written-by` with this handler's resource type and
   * the stack's ID, and the role may write the secrets of this account and region that carry it:
   * a statement of constant size, where a list of ARNs grows with the secrets and passes IAM's
   * 10,240-character limit on a role's inline policies at about 75 of them.
   */
  public allowWritingOwnedSecret(secret: secretsmanager.ISecret, encryptionKey?: kms.IKey): void {
    const stack = Stack.of(this);
    const writer = `${this.resourceType}/${stack.stackId}`;
    Tags.of(secret).add(OWNED_SECRET_TAG_KEY, writer, { priority: OWNED_SECRET_TAG_PRIORITY });
    if (!this.ownedSecretsStatement) {
      const secrets = stack.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
      this.ownedSecretsStatement = new iam.PolicyStatement({
        actions: [OWNED_SECRET_HANDLER_ACTION],
        resources: [secrets],
        conditions: { StringEquals: { [`aws:ResourceTag/${OWNED_SECRET_TAG_KEY}`]: writer } },
      });
      this.addToRolePolicy(this.ownedSecretsStatement);
      acknowledgeNagFinding(this.role,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:${nagPart(stack.region, 'AWS::Region')}:${nagPart(stack.account, 'AWS::AccountId')}:secret:*]`,
        `Secrets Manager adds a random suffix to a secret's ARN when it creates it; the statement allows only ${OWNED_SECRET_HANDLER_ACTION}, `
          + `and only on the secrets tagged ${OWNED_SECRET_TAG_KEY} with this handler's resource type and this stack's ID, the secrets its constructs own `
          + '(a list of their ARNs would outgrow the role\'s 10,240-character inline policy limit)');
    }
    if (encryptionKey && !this.ownedSecretKeyArns.has(encryptionKey.keyArn)) {
      this.ownedSecretKeyArns.add(encryptionKey.keyArn);
      if (!this.ownedSecretKeysStatement) {
        this.ownedSecretKeysStatement = new iam.PolicyStatement({
          actions: OWNED_SECRET_KEY_ACTIONS,
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` } },
        });
        this.addToRolePolicy(this.ownedSecretKeysStatement);
      }
      this.ownedSecretKeysStatement.addResources(encryptionKey.keyArn);
    }
  }

  /**
   * Lets the handler read the public half of `key`, which a construct of its type is backed by,
   * and of no other KMS key. One statement lists every such key, as for secrets.
   */
  public allowReadingKmsPublicKey(key: kms.IKey): void {
    if (!this.kmsPublicKeysStatement) {
      this.kmsPublicKeysStatement = new iam.PolicyStatement({ actions: [KMS_PUBLIC_KEY_HANDLER_ACTION] });
      this.addToRolePolicy(this.kmsPublicKeysStatement);
    }
    if (!this.kmsKeyArns.has(key.keyArn)) {
      this.kmsKeyArns.add(key.keyArn);
      this.kmsPublicKeysStatement.addResources(key.keyArn);
    }
  }

  /** Brings the function, its role and its log group to `settings`; the default settings at first. */
  private applySettings(settings: ResolvedHandlerSettings): void {
    const fn = this.function;
    applyNodeRuntime(fn, chooseNodeRuntime(this, 'runtime', settings.runtime));
    fn.memorySize = settings.memorySize.toMebibytes();
    fn.reservedConcurrentExecutions = settings.reservedConcurrentExecutions;
    const skips = [NO_DLQ, PLAIN_ENVIRONMENT];
    if (settings.reservedConcurrentExecutions === undefined) {
      skips.push(NO_RESERVED_CONCURRENCY);
    }
    if (settings.vpc) {
      fn.vpcConfig = settings.vpc;
      this.addToRolePolicy(new iam.PolicyStatement({ actions: VPC_NETWORK_INTERFACE_ACTIONS, resources: ['*'] }));
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: VPC_NETWORK_INTERFACES.comment,
      });
      checkovSkips(this.role, [VPC_NETWORK_INTERFACES]);
    } else {
      skips.push(NO_VPC);
    }
    checkovSkips(fn, skips);

    const logGroup = this.logGroup;
    logGroup.retentionInDays = settings.logRetention === logs.RetentionDays.INFINITE ? undefined : settings.logRetention;
    logGroup.kmsKeyId = settings.logEncryptionKey?.keyArn;
    logGroup.applyRemovalPolicy(settings.logRemovalPolicy);
    checkovSkips(logGroup, settings.logEncryptionKey ? [] : [NO_LOG_KEY]);
  }
}

/**
 * Acknowledges one cdk-nag finding on `scope`, as `Validations.of(scope).acknowledge()` records it.
 * That method refuses an ID with more than one `::`, and cdk-nag writes the partition of an ARN as
 * `<AWS::Partition>`, so an IAM5 finding on an ARN cannot go through it.
 */
export function acknowledgeNagFinding(scope: Construct, id: string, reason: string): void {
  scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
}

/** How cdk-nag writes a stack's region or account: the value, or `<AWS::Region>` while it is a token. */
export function nagPart(value: string, pseudo: string): string {
  return Token.isUnresolved(value) ? `<${pseudo}>` : value;
}
