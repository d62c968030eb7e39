import { createHash } from 'crypto';
import * as path from 'path';
import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { IPublicKey } from './public-key';
import { AutoParticipantRecordingOptions, Stage } from './stage';
import { acknowledgeNagFinding, nagPart } from '../custom-resources/ivs-handler-provider';
import { grantInvokeUnqualified } from '../private/function-grants';
import { applyNodeRuntime, chooseNodeRuntime, NodeRuntimeChoice } from '../private/lambda-runtime';
import { cfnLintIgnores, LAMBDA_FUNCTION_W3005_REASON, checkovSkips, ScannerSuppression } from '../private/scanner-suppressions';
import { IvsValidationError, tagErrors, validateString } from '../private/validation';
import {
  RoomCapabilityPolicyConfig,
  ROOMS_ENV,
  ROOMS_TABLE_KEY,
  ROOMS_TAG_KEY,
  STAGE_NAME_PREFIX_MAX_LENGTH,
} from '../runtime/stage-rooms-contract';
import { TOKEN_ISSUER_ENV } from '../runtime/token-issuer-contract';

const RUNTIME_ASSETS = path.join(__dirname, '..', '..', 'assets', 'lambda', 'runtime');

/** The join function's timeout: room for a first join to wait out IVS's 5 creates per second. */
const JOIN_TIMEOUT = Duration.seconds(60);
/** A claim older than this belongs to a join that crashed: twice the join function's timeout. */
const CLAIM_STALE_SECONDS = 2 * JOIN_TIMEOUT.toSeconds();

const MIN_IDLE_MINUTES = 5;
const MAX_IDLE_MINUTES = 30 * 24 * 60;
const MIN_JANITOR_MINUTES = 1;
const MAX_JANITOR_MINUTES = 24 * 60;

const FUNCTION_SKIPS: ScannerSuppression[] = [
  {
    id: 'CKV_AWS_115',
    comment: 'Serves joins and must scale with them; a reserved concurrency would cap joins and take from the account\'s pool. '
      + "Set it on the function's CfnFunction if your account needs a cap.",
  },
  {
    id: 'CKV_AWS_117',
    comment: 'Calls only public AWS endpoints (IVS Real-Time, DynamoDB, KMS or Secrets Manager) and reaches no resource inside a VPC.',
  },
  {
    id: 'CKV_AWS_173',
    comment: 'The environment holds ARNs, a table name, stage settings and tags only, no secret; Lambda encrypts it with its AWS managed key.',
  },
];

/**
 * What a participant may do on a stage: the capabilities of a participant token.
 */
export enum ParticipantCapability {
  /** Publish audio and video to the stage. */
  PUBLISH = 'PUBLISH',
  /** Subscribe to what others publish. */
  SUBSCRIBE = 'SUBSCRIBE',
}

/**
 * Options of `RoomCapabilityPolicy.byClaim()`.
 */
export interface RoomCapabilityClaimOptions {
  /** The claim of the verified token to read, e.g. `cognito:groups` or `custom:role`. */
  readonly claim: string;

  /** The values of the claim (or, for a list claim, of one of its items) that grant `granted`. */
  readonly values: string[];

  /**
   * What a user whose claim has one of `values` may do.
   *
   * @default [ParticipantCapability.PUBLISH, ParticipantCapability.SUBSCRIBE]
   */
  readonly granted?: ParticipantCapability[];

  /**
   * What every other user may do.
   *
   * @default [ParticipantCapability.SUBSCRIBE]
   */
  readonly otherwise?: ParticipantCapability[];
}

/**
 * What a user who joins from a browser may do in a room, decided from the claims of the identity
 * token that API Gateway verified, never from what the browser asks for.
 */
export class RoomCapabilityPolicy {
  /** Every user may only watch and listen. */
  public static subscribeOnly(): RoomCapabilityPolicy {
    return new RoomCapabilityPolicy({ capabilities: [ParticipantCapability.SUBSCRIBE] });
  }

  /** Every user may publish and subscribe. */
  public static publishAndSubscribe(): RoomCapabilityPolicy {
    return new RoomCapabilityPolicy({ capabilities: [ParticipantCapability.PUBLISH, ParticipantCapability.SUBSCRIBE] });
  }

  /** Users whose claim has one of the values get `granted`; the others `otherwise`. */
  public static byClaim(options: RoomCapabilityClaimOptions): RoomCapabilityPolicy {
    return new RoomCapabilityPolicy({
      capabilities: options.otherwise ?? [ParticipantCapability.SUBSCRIBE],
      claim: options.claim,
      values: options.values,
      granted: options.granted ?? [ParticipantCapability.PUBLISH, ParticipantCapability.SUBSCRIBE],
    });
  }

  private constructor(private readonly config: RoomCapabilityPolicyConfig & { capabilities: string[]; granted?: string[] }) {}

  /**
   * The policy as the join function reads it (JSON).
   */
  public toJson(): string {
    return JSON.stringify(this.config);
  }
}

/**
 * The join endpoint for browsers: an HTTP API whose JWT authorizer verifies the app's identity
 * tokens (Amazon Cognito, or any OpenID Connect issuer).
 */
export interface RoomsBrowserEndpointOptions {
  /**
   * The issuer whose tokens are accepted, e.g. `https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123`.
   */
  readonly jwtIssuer: string;

  /**
   * The audiences accepted: for Cognito, the app client IDs.
   */
  readonly jwtAudience: string[];

  /**
   * What a user may do in a room, from their token's claims.
   *
   * @default RoomCapabilityPolicy.subscribeOnly()
   */
  readonly capabilityPolicy?: RoomCapabilityPolicy;

  /**
   * Origins allowed to call the endpoint from a browser (CORS).
   *
   * @default - no CORS configuration: only same-origin callers
   */
  readonly allowedOrigins?: string[];
}

/**
 * Properties of `StageRooms`.
 */
export interface StageRoomsProps {
  /**
   * The key that signs the participant tokens, as the `ParticipantTokenIssuer` signs them: backed
   * by KMS (`PublicKeyMaterial.generateInKms()` or `fromKmsKey()`), or generated
   * (`PublicKeyMaterial.generate()`). Joins to a room that has a stage then make no IVS call.
   */
  readonly signingKey: IPublicKey;

  /**
   * Record every participant who publishes, on every room's stage.
   *
   * @default - participants are not recorded
   */
  readonly autoParticipantRecording?: AutoParticipantRecordingOptions;

  /**
   * Tags for every room's stage, besides the construct's own `cdk-ivs-realtime:rooms` tag.
   *
   * @default - no tags
   */
  readonly stageTags?: { [key: string]: string };

  /**
   * The start of every room's stage name, which ends with the room key: up to 28 letters, digits,
   * hyphens and underscores.
   *
   * @default 'room-'
   */
  readonly stageNamePrefix?: string;

  /**
   * How long a room may be idle (no active session on its stage and no join) before the janitor
   * deletes its stage: whole minutes from 5 minutes to 30 days.
   *
   * @default Duration.hours(1)
   */
  readonly idleTimeout?: Duration;

  /**
   * How often the janitor runs: whole minutes from 1 minute to 1 day.
   *
   * @default Duration.minutes(15)
   */
  readonly janitorInterval?: Duration;

  /**
   * A table to keep the rooms in, instead of a new one: its partition key must be `roomKey`, a
   * string.
   *
   * @default - a new table: on-demand capacity, point-in-time recovery, encrypted
   */
  readonly table?: dynamodb.ITable;

  /**
   * What happens to the new table when it leaves the stack. Rooms' stages are not in the stack:
   * close them (or let the janitor) before you destroy it.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly tableRemovalPolicy?: RemovalPolicy;

  /**
   * The customer-managed KMS key that encrypts the new table.
   *
   * @default - the AWS managed key for DynamoDB (aws/dynamodb)
   */
  readonly tableEncryptionKey?: kms.IKey;

  /**
   * Whether the join function gets a function URL with IAM authorization (`AWS_IAM`), for backends
   * that sign their requests with SigV4.
   *
   * @default false
   */
  readonly functionUrl?: boolean;

  /**
   * A join endpoint for browsers, authenticated by the app's identity provider.
   *
   * @default - no browser endpoint: backends invoke the join function
   */
  readonly browserEndpoint?: RoomsBrowserEndpointOptions;

  /**
   * The Lambda runtime of the join function and the janitor: a Node.js runtime of `nodejs22.x` or later (the bundles are
   * built for Node.js 22). Pin one to decide yourself when they moves to a newer runtime;
   * cdk-nag's AwsSolutions-L1 then reports a pinned runtime that is not the newest aws-cdk-lib knows.
   *
   * @default - the newest Node.js runtime that your aws-cdk-lib lists as available in the stack's
   * region (`lambda.determineLatestNodeRuntime()`), as for the library's other functions
   */
  readonly runtime?: lambda.Runtime;
}

/**
 * Rooms on demand: a stage for each of the app's rooms, created when its first user joins and
 * deleted when it has been idle for `idleTimeout`, exactly one stage per room however many users
 * join at once.
 *
 * Deploys a join function (a backend invokes it with `{"roomKey": "...", "userId": "...",
 * "capabilities": [...], "attributes": {...}, "duration": 60}` and gets a participant token, the
 * stage ARN and its endpoints), a DynamoDB table of rooms, a janitor on a schedule, and, when
 * asked, a function URL and an HTTP API for browsers with a JWT authorizer.
 *
 * @example
 * declare const backend: lambda.IFunction;
 *
 * const key = new PublicKey(this, 'TokenKey', { publicKeyMaterial: PublicKeyMaterial.generateInKms() });
 * const rooms = new StageRooms(this, 'Rooms', { signingKey: key, idleTimeout: Duration.minutes(30) });
 * rooms.grantJoin(backend);
 */
export class StageRooms extends Construct {
  /**
   * The function that answers joins.
   */
  public readonly joinFunction: lambda.IFunction;

  /**
   * The function that deletes idle rooms' stages on its schedule, and closes rooms on request.
   */
  public readonly janitorFunction: lambda.IFunction;

  /**
   * The table of rooms: partition key `roomKey`.
   */
  public readonly table: dynamodb.ITable;

  /**
   * The join function's URL (IAM authorization), if `functionUrl` is set.
   */
  public readonly functionUrl?: lambda.IFunctionUrl;

  /**
   * The HTTP API for browsers, if `browserEndpoint` is set.
   */
  public readonly httpApi?: apigwv2.IHttpApi;

  /**
   * The URL browsers POST joins to (`<api>/join`), if `browserEndpoint` is set.
   */
  public readonly joinUrl?: string;

  /**
   * The ID in every room stage's `cdk-ivs-realtime:rooms` tag (`<roomsId>/<room key>`): the
   * janitor deletes no stage without it.
   */
  public readonly roomsId: string;

  private readonly joinFn: lambda.Function;
  private readonly janitorFn: lambda.Function;
  private readonly runtime: NodeRuntimeChoice;

  constructor(scope: Construct, id: string, props: StageRoomsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.runtime = chooseNodeRuntime(this, 'runtime', props.runtime);

    const idle = this.minutes('idleTimeout', props.idleTimeout ?? Duration.hours(1), MIN_IDLE_MINUTES, MAX_IDLE_MINUTES);
    const interval = this.minutes('janitorInterval', props.janitorInterval ?? Duration.minutes(15), MIN_JANITOR_MINUTES, MAX_JANITOR_MINUTES);
    const prefix = props.stageNamePrefix ?? 'room-';
    validateString(this, 'stageNamePrefix', prefix, {
      maxLength: STAGE_NAME_PREFIX_MAX_LENGTH, pattern: /^[a-zA-Z0-9-_]*$/, patternDescription: 'letters, digits, hyphens and underscores',
    });
    const tags = props.stageTags ?? {};
    const errors = tagErrors(tags);
    if (ROOMS_TAG_KEY in tags) {
      errors.push(`stageTags: the key '${ROOMS_TAG_KEY}' is the construct's own, which marks the stages it creates`);
    }
    if (errors.length > 0) {
      throw new IvsValidationError(this, errors.join('; '));
    }
    const signing = props.signingKey.kmsKey ? 'KMS' : props.signingKey.privateKeySecret ? 'SECRET' : undefined;
    if (!signing) {
      throw new IvsValidationError(this, 'signingKey must be backed by KMS (PublicKeyMaterial.generateInKms() or fromKmsKey()) or generated '
        + '(PublicKeyMaterial.generate()), got a key whose private key is not in AWS');
    }
    if (props.browserEndpoint && props.browserEndpoint.jwtAudience.length === 0) {
      throw new IvsValidationError(this, 'browserEndpoint.jwtAudience must name at least one audience (for Cognito, an app client ID)');
    }

    // Deploy-time unique, as the stack name is per account and region: a second StageRooms, or the
    // same app deployed as another stack, never takes this one's stages for its own.
    const stackName = Token.isUnresolved(stack.stackName) ? '' : stack.stackName;
    this.roomsId = createHash('sha256').update(`${stackName}/${this.node.addr}`).digest('hex').slice(0, 16);

    let table: dynamodb.ITable;
    if (props.table) {
      table = props.table;
    } else {
      const created = new dynamodb.Table(this, 'Table', {
        partitionKey: { name: ROOMS_TABLE_KEY, type: dynamodb.AttributeType.STRING },
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: props.tableEncryptionKey ? dynamodb.TableEncryption.CUSTOMER_MANAGED : dynamodb.TableEncryption.AWS_MANAGED,
        encryptionKey: props.tableEncryptionKey,
        removalPolicy: props.tableRemovalPolicy ?? RemovalPolicy.RETAIN,
      });
      if (!props.tableEncryptionKey) {
        checkovSkips(created.node.defaultChild as dynamodb.CfnTable, [{
          id: 'CKV_AWS_119',
          comment: "Encrypted with DynamoDB's AWS managed key (aws/dynamodb); the table holds room keys, stage ARNs and endpoints, "
            + 'no secret. Pass tableEncryptionKey for a customer-managed key.',
        }]);
      }
      table = created;
    }
    this.table = table;

    const stageArns = stack.formatArn({ service: 'ivs', resource: 'stage', resourceName: '*' });
    const common: Record<string, string> = {
      [ROOMS_ENV.TABLE_NAME]: table.tableName,
      [ROOMS_ENV.ROOMS_ID]: this.roomsId,
      [ROOMS_ENV.CLAIM_STALE_SECONDS]: String(CLAIM_STALE_SECONDS),
    };

    // The join function.
    const joinEnvironment: Record<string, string> = {
      ...common,
      [TOKEN_ISSUER_ENV.SIGNING]: signing,
      [ROOMS_ENV.STAGE_NAME_PREFIX]: prefix,
      [ROOMS_ENV.STAGE_TAGS]: stack.toJsonString(tags),
      [ROOMS_ENV.CAPABILITY_POLICY]: (props.browserEndpoint?.capabilityPolicy ?? RoomCapabilityPolicy.subscribeOnly()).toJson(),
    };
    if (props.autoParticipantRecording) {
      joinEnvironment[ROOMS_ENV.STAGE_RECORDING] = stack.toJsonString(Stage._renderRecording(this, props.autoParticipantRecording));
    }
    if (signing === 'KMS') {
      joinEnvironment[TOKEN_ISSUER_ENV.KMS_KEY_ARN] = props.signingKey.kmsKey!.keyArn;
      joinEnvironment[TOKEN_ISSUER_ENV.PUBLIC_KEY_ARN] = props.signingKey.publicKeyArn;
    } else {
      joinEnvironment[TOKEN_ISSUER_ENV.PRIVATE_KEY_SECRET_ARN] = props.signingKey.privateKeySecret!.secretArn;
    }
    this.joinFn = this.runtimeFunction('Join', 'room-join', {
      description: `cdk-ivs-realtime: joins rooms on demand, creating their stages (${signing})`,
      timeout: JOIN_TIMEOUT,
      environment: joinEnvironment,
    });
    this.joinFunction = this.joinFn;
    const joinRole = this.joinFn.role!;
    joinRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'CreateRoomStages',
      actions: ['ivs:CreateStage', 'ivs:TagResource'],
      resources: [stageArns],
      conditions: { StringLike: { [`aws:RequestTag/${ROOMS_TAG_KEY}`]: `${this.roomsId}/*` } },
    }));
    const stageWildcard = `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ivs:${nagPart(stack.region, 'AWS::Region')}:${nagPart(stack.account, 'AWS::AccountId')}:stage/*]`;
    acknowledgeNagFinding(joinRole, stageWildcard,
      'IVS assigns the ID in a stage ARN when it creates the stage, so no ARN can be named before; the statement allows only CreateStage '
        + `(and the TagResource it implies) on stage ARNs of this account and region, and only with the tag ${ROOMS_TAG_KEY} of these rooms (aws:RequestTag)`);
    table.grant(joinRole, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem');
    if (signing === 'KMS') {
      props.signingKey.grantSign(joinRole);
    } else {
      props.signingKey.grantReadPrivateKey(joinRole);
    }
    checkovSkips(this.joinFn.node.defaultChild as lambda.CfnFunction, [...FUNCTION_SKIPS, {
      id: 'CKV_AWS_116',
      comment: 'Invoked synchronously (RequestResponse, the function URL or the HTTP API), where the caller gets the error; '
        + 'a dead-letter queue receives only failed asynchronous invocations.',
    }]);

    // The janitor, whose failed runs go to a dead-letter queue after Lambda's retries.
    const deadLetters = new sqs.Queue(this, 'JanitorDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.janitorFn = this.runtimeFunction('Janitor', 'room-janitor', {
      description: 'cdk-ivs-realtime: deletes the stages of idle rooms, reaps what crashed joins left, closes rooms',
      timeout: Duration.minutes(5),
      environment: { ...common, [ROOMS_ENV.IDLE_SECONDS]: String(idle * 60) },
      deadLetterQueue: deadLetters,
      // One sweep at a time: two would only race for the same rooms.
      reservedConcurrentExecutions: 1,
    });
    this.janitorFunction = this.janitorFn;
    const janitorRole = this.janitorFn.role!;
    janitorRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ListAndReadStages',
      actions: ['ivs:ListStages', 'ivs:GetStage'],
      resources: [stageArns],
    }));
    janitorRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'DeleteRoomStagesOnly',
      actions: ['ivs:DeleteStage'],
      resources: [stageArns],
      conditions: { StringLike: { [`aws:ResourceTag/${ROOMS_TAG_KEY}`]: `${this.roomsId}/*` } },
    }));
    acknowledgeNagFinding(janitorRole, stageWildcard,
      'The rooms\' stages are created at run time, so no stage ARN can be named; the janitor lists and reads stages of this account and '
        + `region (ListStages has no narrower resource) and may delete only those with the tag ${ROOMS_TAG_KEY} of these rooms (aws:ResourceTag)`);
    table.grant(janitorRole, 'dynamodb:Scan', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem');
    checkovSkips(this.janitorFn.node.defaultChild as lambda.CfnFunction, FUNCTION_SKIPS.filter((skip) => skip.id !== 'CKV_AWS_115'));
    new events.Rule(this, 'JanitorSchedule', {
      description: `cdk-ivs-realtime: runs the rooms janitor of ${this.node.path}`,
      schedule: events.Schedule.rate(Duration.minutes(interval)),
      targets: [new targets.LambdaFunction(this.janitorFn, { retryAttempts: 2 })],
    });

    if (props.functionUrl) {
      this.functionUrl = this.joinFn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    }

    if (props.browserEndpoint) {
      const accessLogs = new logs.LogGroup(this, 'JoinApiAccessLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.DESTROY });
      const api = new apigwv2.HttpApi(this, 'JoinApi', {
        description: `cdk-ivs-realtime: browser joins to the rooms of ${this.node.path}`,
        ...(props.browserEndpoint.allowedOrigins ? {
          corsPreflight: {
            allowOrigins: props.browserEndpoint.allowedOrigins,
            allowMethods: [apigwv2.CorsHttpMethod.POST],
            allowHeaders: ['authorization', 'content-type'],
            maxAge: Duration.hours(1),
          },
        } : {}),
      });
      api.addRoutes({
        path: '/join',
        methods: [apigwv2.HttpMethod.POST],
        integration: new HttpLambdaIntegration('Join', this.joinFn),
        authorizer: new HttpJwtAuthorizer('IdentityToken', props.browserEndpoint.jwtIssuer, {
          jwtAudience: props.browserEndpoint.jwtAudience,
        }),
      });
      const defaultStage = api.defaultStage!.node.defaultChild as apigwv2.CfnStage;
      defaultStage.accessLogSettings = {
        destinationArn: accessLogs.logGroupArn,
        format: JSON.stringify({
          requestId: '$context.requestId',
          ip: '$context.identity.sourceIp',
          sub: '$context.authorizer.claims.sub',
          requestTime: '$context.requestTime',
          routeKey: '$context.routeKey',
          status: '$context.status',
          error: '$context.authorizer.error',
        }),
      };
      checkovSkips(accessLogs.node.defaultChild as logs.CfnLogGroup, [{
        id: 'CKV_AWS_158',
        comment: 'CloudWatch Logs encrypts the access log at rest with its own keys; it holds request IDs, source IPs and subjects, no token.',
      }]);
      this.httpApi = api;
      this.joinUrl = `${api.apiEndpoint}/join`;
    }
  }

  /**
   * Grants joining rooms: invoking the join function (and its URL, with `functionUrl`). What a
   * backend needs; a browser goes through the HTTP API and its identity provider instead. The
   * function publishes no version or alias: the grant names its unqualified ARN alone, with no
   * `:*` for cdk-nag's AwsSolutions-IAM5 to report.
   */
  public grantJoin(grantee: iam.IGrantable): iam.Grant {
    const grant = grantInvokeUnqualified(this.joinFn, grantee);
    return this.functionUrl ? grant.combine(this.joinFn.grantInvokeUrl(grantee)) : grant;
  }

  /**
   * Grants closing rooms now: invoking the janitor with `{"action": "close", "roomKey": "..."}`,
   * which deletes the room's stage (disconnecting everyone on it) and its item. Its unqualified
   * ARN alone, as `grantJoin`.
   */
  public grantClose(grantee: iam.IGrantable): iam.Grant {
    return grantInvokeUnqualified(this.janitorFn, grantee);
  }

  private minutes(prop: string, duration: Duration, min: number, max: number): number {
    if (duration.isUnresolved()) {
      throw new IvsValidationError(this, `${prop} must be a concrete duration, not a token`);
    }
    const minutes = duration.toMinutes({ integral: false });
    if (!Number.isInteger(minutes) || minutes < min || minutes > max) {
      throw new IvsValidationError(this, `${prop} must be a whole number of minutes from ${min} to ${max} (${max / 60 / 24 === 1 ? '1 day' : `${max / 60 / 24} days`}), got ${duration.toHumanString()}`);
    }
    return minutes;
  }

  private runtimeFunction(id: string, bundle: string, options: Partial<lambda.FunctionProps> & { description: string }): lambda.Function {
    // A role of its own rather than the default one, whose managed policy could write any log group.
    const role = new iam.Role(this, `${id}ServiceRole`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `cdk-ivs-realtime: rooms ${id.toLowerCase()} function ${this.node.path}`,
    });
    // Deleted with the stack: `cdk destroy` leaves nothing the library made.
    const logGroup = new logs.LogGroup(this, `${id}LogGroup`, { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.DESTROY });
    logGroup.grantWrite(role);
    checkovSkips(logGroup.node.defaultChild as logs.CfnLogGroup, [{
      id: 'CKV_AWS_158',
      comment: 'CloudWatch Logs encrypts the log events at rest with its own keys; the rooms functions log room keys, stage ARNs and '
        + 'participant IDs, never a token or a key.',
    }]);
    const fn = new lambda.Function(this, `${id}Function`, {
      code: lambda.Code.fromAsset(path.join(RUNTIME_ASSETS, bundle)),
      handler: 'index.handler',
      runtime: this.runtime.runtime,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      role,
      logGroup,
      ...options,
    });
    applyNodeRuntime(fn.node.defaultChild as lambda.CfnFunction, this.runtime);
    cfnLintIgnores(fn.node.defaultChild as lambda.CfnFunction, {
      W3005: LAMBDA_FUNCTION_W3005_REASON,
    });
    return fn;
  }
}
