import * as path from 'path';
import { CustomResourceProviderBase, Duration, IResolvable, Lazy, Size, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** The handler bundle that the build writes (see `.projenrc.ts`); one bundle serves every type. */
const HANDLER_CODE_DIRECTORY = path.join(__dirname, '..', '..', 'assets', 'lambda', 'handler');

/**
 * Pinned rather than taken from the consumer's aws-cdk-lib, so that a deploy never depends on
 * which aws-cdk-lib the consumer has: the bundle is built for it.
 */
const HANDLER_RUNTIME = 'nodejs24.x';

/** How long one handler invocation may run. IVS control-plane calls are synchronous. */
export const HANDLER_TIMEOUT = Duration.minutes(2);

/**
 * How long CloudFormation waits for a response before failing the resource. Longer than the
 * handler's own timeout, so that a response which never arrives costs minutes, not the hour
 * CloudFormation waits by default.
 */
export const SERVICE_TIMEOUT = Duration.minutes(5);

/** What a handler may do with a secret its construct owns: write a new value, and nothing else. */
const OWNED_SECRET_HANDLER_ACTION = 'secretsmanager:PutSecretValue';

/** What a handler may do with the KMS key a construct is backed by: read its public half. */
const KMS_PUBLIC_KEY_HANDLER_ACTION = 'kms:GetPublicKey';

/** What one resource type's handler is and may do. */
export interface IvsHandlerSpec {
  /** The CloudFormation resource type, e.g. `Custom::IvsStage`. */
  readonly resourceType: string;
  /** The IVS ARN resource type the handler works on, e.g. `stage`. */
  readonly arnResource: string;
  /** The only IAM actions the handler's role allows, on ARNs of `arnResource` in this account and region. */
  readonly actions: string[];
}

/**
 * The Lambda function behind one resource type: one per stack and type, shared by every
 * resource of that type in the stack.
 *
 * A direct Lambda-backed provider: CloudFormation invokes the function once per lifecycle event
 * and the core response wrapper answers it, so there is no Provider-framework Lambda in between.
 */
export class IvsHandlerProvider extends CustomResourceProviderBase {
  /** The stack's provider for `spec.resourceType`, created on first use. */
  public static getOrCreate(scope: Construct, spec: IvsHandlerSpec): IvsHandlerProvider {
    const stack = Stack.of(scope);
    const id = `${spec.resourceType.replace('Custom::', '')}HandlerProvider`;
    const existing = stack.node.tryFindChild(id);
    if (existing) {
      return existing as IvsHandlerProvider;
    }
    return new IvsHandlerProvider(stack, id, spec);
  }

  /**
   * The service token for every resource of the type, resolved once per stack rather than once
   * per resource: resolving the function's reference (its logical ID is hashed each time) for
   * each of hundreds of resources is measurable synth time.
   */
  public readonly sharedServiceToken: IResolvable = Lazy.any({ produce: () => Stack.of(this).resolve(this.serviceToken) });

  /** The secrets the handler may write: those the constructs of its type in the stack own. */
  private readonly ownedSecretArns: string[] = [];

  /** The KMS keys whose public half the handler may read: those of KMS-backed keys in the stack. */
  private readonly kmsKeyArns: string[] = [];

  private resources = 0;

  private constructor(stack: Stack, id: string, spec: IvsHandlerSpec) {
    super(stack, id, {
      codeDirectory: HANDLER_CODE_DIRECTORY,
      runtimeName: HANDLER_RUNTIME,
      timeout: HANDLER_TIMEOUT,
      memorySize: Size.mebibytes(256),
      description: `cdk-ivs-realtime: lifecycle handler for ${spec.resourceType}`,
      policyStatements: [
        {
          Effect: 'Allow',
          Action: spec.actions,
          Resource: stack.formatArn({ service: 'ivs', resource: spec.arnResource, resourceName: '*' }),
        },
      ],
    });
  }

  /** How many resources of its type the stack defines so far. */
  public get resourceCount(): number {
    return this.resources;
  }

  /** Counts one more resource of its type; each `IvsCustomResource` counts itself. */
  public countResource(): void {
    this.resources++;
  }

  /**
   * Lets the handler write `secret`, which a construct of its type owns, and no other secret.
   * One statement lists every such secret: a statement per secret would outgrow the role's
   * 10,240-character inline policy limit at about 45 of them.
   */
  public allowWritingOwnedSecret(secret: secretsmanager.ISecret): void {
    if (this.ownedSecretArns.length === 0) {
      this.addToRolePolicy({
        Effect: 'Allow',
        Action: OWNED_SECRET_HANDLER_ACTION,
        Resource: Lazy.any({ produce: () => this.ownedSecretArns }),
      });
    }
    this.ownedSecretArns.push(secret.secretArn);
  }

  /**
   * Lets the handler read the public half of `key`, which a construct of its type is backed by,
   * and of no other KMS key. One statement lists every such key, as for secrets.
   */
  public allowReadingKmsPublicKey(key: kms.IKey): void {
    if (this.kmsKeyArns.length === 0) {
      this.addToRolePolicy({
        Effect: 'Allow',
        Action: KMS_PUBLIC_KEY_HANDLER_ACTION,
        Resource: Lazy.any({ produce: () => this.kmsKeyArns }),
      });
    }
    if (!this.kmsKeyArns.includes(key.keyArn)) {
      this.kmsKeyArns.push(key.keyArn);
    }
  }
}
