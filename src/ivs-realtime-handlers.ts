import { RemovalPolicy, Size, SizeRoundingBehavior, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { DEFAULT_HANDLER_LOG_RETENTION, DEFAULT_HANDLER_MEMORY, ResolvedHandlerSettings } from './private/handler-settings';
import { chooseNodeRuntime } from './private/lambda-runtime';
import { IvsValidationError } from './private/validation';

/**
 * How the functions that deploy a stack's IVS Real-Time resources run: their network, their
 * concurrency, their memory and their logs. Every setting applies to the handlers of every
 * resource type in the stack.
 */
export interface IvsRealtimeHandlerSettings {
  /**
   * The VPC to run the handlers in. The subnets need a route to the IVS Real-Time and
   * Secrets Manager endpoints of the region and to Amazon S3 (CloudFormation takes each
   * handler's answer at a pre-signed S3 URL), through a NAT gateway or VPC endpoints; without
   * one, every deploy waits for the 11-minute service timeout and fails.
   *
   * @default - the handlers run outside any VPC, in Lambda's own network
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Which subnets of `vpc` the handlers run in. Public subnets are an error: a Lambda function
   * gets no public IP address there, so it could not reach any endpoint.
   *
   * @default - the VPC's private subnets, as `vpc.selectSubnets()` chooses them
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The security groups of the handlers. Only with `vpc`.
   *
   * @default - one security group for the stack's handlers, allowing outbound HTTPS (TCP 443) only
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * Concurrency reserved for each handler, taken from the account's unreserved pool. It also caps
   * how many of a type's resources deploy at once; CloudFormation retries throttled requests.
   *
   * @default - no reserved concurrency: the handlers use the account's unreserved pool
   */
  readonly reservedConcurrentExecutions?: number;

  /**
   * The memory of each handler, from 128 MiB to 10,240 MiB.
   *
   * @default Size.mebibytes(256)
   */
  readonly memorySize?: Size;

  /**
   * The Lambda runtime of the handlers: a Node.js runtime of `nodejs22.x` or later (the handler
   * bundle is built for Node.js 22). Pin one to decide yourself when the handlers move to a newer
   * runtime; cdk-nag's AwsSolutions-L1 then reports a pinned runtime that is not the newest
   * aws-cdk-lib knows.
   *
   * @default - the newest Node.js runtime that your aws-cdk-lib lists as available in the stack's
   * region (`lambda.determineLatestNodeRuntime()`, as aws-cdk-lib's own custom resources use), so
   * that the handlers move to a new runtime when you upgrade aws-cdk-lib
   */
  readonly runtime?: lambda.Runtime;

  /**
   * How long the handlers' log groups keep their events.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The customer-managed KMS key that encrypts the handlers' log groups. Its key policy must let
   * CloudWatch Logs (`logs.<region>.amazonaws.com`) use it, as for any encrypted log group.
   *
   * @default - CloudWatch Logs' own server-side encryption
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * What happens to the handlers' log groups when they leave the stack, the stack's deletion
   * included.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly logRemovalPolicy?: RemovalPolicy;
}

const ID = 'IvsRealtimeHandlers';

/**
 * The handler settings of one stack: how the functions that deploy its IVS Real-Time resources
 * run. There is one per stack (a nested stack has its own handlers, and its own settings); get it
 * with `IvsRealtimeHandlers.of(this)`.
 *
 * Call `configure()` once per stack, before or after defining the stack's IVS resources. A change
 * of settings updates the handlers in place: no IVS resource is replaced or even updated.
 *
 * @example
 * declare const vpc: ec2.IVpc;
 * declare const logKey: kms.IKey;
 *
 * IvsRealtimeHandlers.of(this).configure({
 *   vpc,
 *   vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
 *   reservedConcurrentExecutions: 5,
 *   logRetention: logs.RetentionDays.THREE_MONTHS,
 *   logEncryptionKey: logKey,
 * });
 * new Stage(this, 'Stage');
 */
export class IvsRealtimeHandlers extends Construct {
  /** The handler settings of `scope`'s stack. */
  public static of(scope: IConstruct): IvsRealtimeHandlers {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(ID);
    return existing instanceof IvsRealtimeHandlers ? existing : new IvsRealtimeHandlers(stack, ID);
  }

  private resolved?: ResolvedHandlerSettings;
  private readonly listeners: Array<(settings: ResolvedHandlerSettings) => void> = [];

  private constructor(scope: Stack, id: string) {
    super(scope, id);
  }

  /**
   * Sets how the stack's handlers run. Once per stack: a second call is an error, so that two
   * parts of an app cannot silently override each other.
   */
  public configure(settings: IvsRealtimeHandlerSettings): void {
    if (this.resolved) {
      throw new IvsValidationError(this, 'configure() was already called for this stack: pass every setting in one call');
    }
    this.resolved = this.resolve(settings);
    this.listeners.forEach((apply) => apply(this.resolved!));
  }

  /**
   * The settings in effect, with every default filled in.
   *
   * @internal
   */
  public _settings(): ResolvedHandlerSettings {
    return this.resolved ?? {
      memorySize: DEFAULT_HANDLER_MEMORY,
      logRetention: DEFAULT_HANDLER_LOG_RETENTION,
      logRemovalPolicy: RemovalPolicy.DESTROY,
    };
  }

  /**
   * Calls `apply` with the settings when `configure()` is called, or now if it already was.
   *
   * @internal
   */
  public _onConfigure(apply: (settings: ResolvedHandlerSettings) => void): void {
    this.listeners.push(apply);
    if (this.resolved) {
      apply(this.resolved);
    }
  }

  private resolve(settings: IvsRealtimeHandlerSettings): ResolvedHandlerSettings {
    const concurrency = settings.reservedConcurrentExecutions;
    if (concurrency !== undefined && !Token.isUnresolved(concurrency) && (!Number.isInteger(concurrency) || concurrency < 1)) {
      throw new IvsValidationError(this,
        `reservedConcurrentExecutions must be a whole number of at least 1 (0 would stop every deploy), got ${concurrency}`);
    }
    const memorySize = settings.memorySize ?? DEFAULT_HANDLER_MEMORY;
    if (!memorySize.isUnresolved()) {
      const mebibytes = memorySize.toMebibytes({ rounding: SizeRoundingBehavior.FLOOR });
      const whole = memorySize.toKibibytes({ rounding: SizeRoundingBehavior.FLOOR }) === mebibytes * 1024;
      if (!whole || mebibytes < 128 || mebibytes > 10240) {
        throw new IvsValidationError(this,
          `memorySize must be a whole number of MiB between 128 and 10240, got ${memorySize.toKibibytes({ rounding: SizeRoundingBehavior.FLOOR }) / 1024} MiB`);
      }
    }
    if (settings.runtime) {
      chooseNodeRuntime(this, 'runtime', settings.runtime);
    }
    return {
      memorySize,
      runtime: settings.runtime,
      reservedConcurrentExecutions: concurrency,
      logRetention: settings.logRetention ?? DEFAULT_HANDLER_LOG_RETENTION,
      logEncryptionKey: settings.logEncryptionKey,
      logRemovalPolicy: settings.logRemovalPolicy ?? RemovalPolicy.DESTROY,
      vpc: this.resolveVpc(settings),
    };
  }

  private resolveVpc(settings: IvsRealtimeHandlerSettings): ResolvedHandlerSettings['vpc'] {
    if (!settings.vpc) {
      for (const prop of ['vpcSubnets', 'securityGroups'] as const) {
        if (settings[prop] !== undefined) {
          throw new IvsValidationError(this, `${prop} needs vpc: pass the VPC the handlers run in, got ${prop} without it`);
        }
      }
      return undefined;
    }
    const subnets = settings.vpc.selectSubnets(settings.vpcSubnets);
    if (subnets.hasPublic) {
      throw new IvsValidationError(this,
        'vpcSubnets must select private subnets (a Lambda function gets no public IP address), got a selection with public subnets');
    }
    if (settings.securityGroups?.length === 0) {
      throw new IvsValidationError(this, 'securityGroups must hold at least one security group when given, got none');
    }
    const securityGroups = settings.securityGroups ?? [this.defaultSecurityGroup(settings.vpc)];
    return {
      subnetIds: subnets.subnetIds,
      securityGroupIds: securityGroups.map((group) => group.securityGroupId),
    };
  }

  /** Outbound HTTPS only: the handlers call the IVS, Secrets Manager and S3 endpoints and nothing else. */
  private defaultSecurityGroup(vpc: ec2.IVpc): ec2.ISecurityGroup {
    const group = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'cdk-ivs-realtime handlers: outbound HTTPS to the IVS, Secrets Manager and S3 endpoints',
      allowAllOutbound: false,
    });
    group.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS endpoints');
    return group;
  }
}
