import * as path from 'path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { IPublicKey } from './public-key';
import { IStage } from './stage';
import { checkSameEnvironment, checkStackRegion, stackEnvironment } from '../private/environment';
import { grantInvokeUnqualified } from '../private/function-grants';
import { applyNodeRuntime, chooseNodeRuntime } from '../private/lambda-runtime';
import { cfnLintIgnores, LAMBDA_FUNCTION_W3005_REASON, checkovSkips, ScannerSuppression } from '../private/scanner-suppressions';
import { IvsValidationError } from '../private/validation';
import { IssuerStage, TOKEN_ISSUER_ENV, TokenSigningMode } from '../runtime/token-issuer-contract';

/** The issuer's bundle, which the build writes (see `.projenrc.ts`). */
const TOKEN_ISSUER_CODE_DIRECTORY = path.join(__dirname, '..', '..', 'assets', 'lambda', 'runtime', 'token-issuer');

/**
 * How many stages one issuer can be given. Their ARNs (and, for self-signed tokens, endpoints) are
 * in the function's environment, which Lambda limits to 4 KB.
 */
const MAX_STAGES_SELF_SIGNED = 16;
const MAX_STAGES_API = 40;

/** The checkov findings on the issuer's function that do not apply to it, and why. */
const ISSUER_FUNCTION_SKIPS: ScannerSuppression[] = [
  {
    id: 'CKV_AWS_116',
    comment: 'Invoked synchronously (RequestResponse, or the function URL), where the caller gets the error; '
      + 'a dead-letter queue receives only failed asynchronous invocations.',
  },
  {
    id: 'CKV_AWS_115',
    comment: 'Mints one token per join and must scale with them; a reserved concurrency would cap joins and take from the '
      + "account's pool. Set it on issuerFunction's CfnFunction if your account needs a cap.",
  },
  {
    id: 'CKV_AWS_117',
    comment: 'Calls only public AWS endpoints (AWS KMS, Secrets Manager or IVS Real-Time) and reaches no resource inside a VPC.',
  },
  {
    id: 'CKV_AWS_173',
    comment: 'The environment holds ARNs and public stage endpoints only, no secret; Lambda encrypts it at rest with its AWS managed key.',
  },
];

/**
 * How a `ParticipantTokenIssuer` makes tokens; it follows from the `signingKey` it is given.
 */
export enum ParticipantTokenSigning {
  /** ES384 JWTs signed in AWS KMS (`kms:Sign`) with the key of a KMS-backed public key. */
  KMS = 'KMS',
  /** ES384 JWTs signed with the private key in a generated public key's secret. */
  SECRET = 'SECRET',
  /** Tokens from the IVS CreateParticipantToken API. */
  API = 'API',
}

/**
 * Properties of a `ParticipantTokenIssuer`.
 */
export interface ParticipantTokenIssuerProps {
  /**
   * The stages the issuer makes tokens for, and no other: at most 16 for self-signed tokens (their
   * ARNs and endpoints are in the function's environment, which Lambda limits to 4 KB), at most
   * 40 for tokens from the API. An imported stage needs its endpoints for self-signed tokens.
   */
  readonly stages: IStage[];

  /**
   * The key that signs the tokens, as ES384 JWTs made by the function:
   * - a key backed by KMS (`PublicKeyMaterial.generateInKms()` or `fromKmsKey()`): signed in KMS
   *   with `kms:Sign`; no private key exists outside KMS;
   * - a generated key (`PublicKeyMaterial.generate()`): signed with the private key the function
   *   reads from the key's secret.
   *
   * A key given as a PEM cannot sign here: its private key is yours.
   *
   * @default - no key: tokens come from the IVS CreateParticipantToken API
   */
  readonly signingKey?: IPublicKey;

  /**
   * Whether the function gets a function URL, with IAM authorization (`AWS_IAM`): callers sign
   * their requests with SigV4 and need `grantInvokeUrl`.
   *
   * @default false
   */
  readonly functionUrl?: boolean;

  /**
   * The log group the function writes to. It logs each issued token's stage, participant ID,
   * capabilities and duration, never the token.
   *
   * @default - a log group of its own that keeps events for one year and is deleted with the
   * stack, as the library's handlers' log groups are
   */
  readonly logGroup?: logs.ILogGroup;

  /**
   * The Lambda runtime of the function: a Node.js runtime of `nodejs22.x` or later (the bundle is
   * built for Node.js 22). Pin one to decide yourself when the issuer moves to a newer runtime;
   * cdk-nag's AwsSolutions-L1 then reports a pinned runtime that is not the newest aws-cdk-lib knows.
   *
   * @default - the newest Node.js runtime that your aws-cdk-lib lists as available in the stack's
   * region (`lambda.determineLatestNodeRuntime()`), as for the library's lifecycle handlers
   */
  readonly runtime?: lambda.Runtime;
}

/**
 * Mints participant tokens for the stages it is given: a Lambda function that a backend invokes
 * with `{"stageArn": "...", "userId": "...", "capabilities": ["PUBLISH", "SUBSCRIBE"],
 * "attributes": {...}, "duration": 60}` and that answers with the token, its participant ID and
 * its expiry.
 *
 * The function ships pre-bundled with the library. Everything it needs (the stages' ARNs and
 * endpoints, the public key's ARN, the signing key) is given to it at deploy time, so it makes no
 * discovery call, and its role holds only what its signing mode needs: `kms:Sign` on the KMS key,
 * or reading the one private key secret, or `ivs:CreateParticipantToken` on the stages.
 *
 * @example
 * declare const stage: Stage;
 * declare const backend: lambda.IFunction;
 *
 * const key = new PublicKey(this, 'TokenKey', { publicKeyMaterial: PublicKeyMaterial.generateInKms() });
 * const issuer = new ParticipantTokenIssuer(this, 'Tokens', { stages: [stage], signingKey: key });
 * issuer.grantInvoke(backend);
 */
export class ParticipantTokenIssuer extends Construct {
  /**
   * The function that mints tokens.
   */
  public readonly issuerFunction: lambda.IFunction;

  /**
   * The function URL (IAM authorization), if `functionUrl` is set.
   */
  public readonly functionUrl?: lambda.IFunctionUrl;

  /**
   * How the tokens are made, which follows from `signingKey`.
   */
  public readonly signingMode: ParticipantTokenSigning;

  private readonly fn: lambda.Function;

  constructor(scope: Construct, id: string, props: ParticipantTokenIssuerProps) {
    super(scope, id);

    const mode = signingModeOf(this, props.signingKey);
    const max = mode === ParticipantTokenSigning.API ? MAX_STAGES_API : MAX_STAGES_SELF_SIGNED;
    if (props.stages.length === 0 || props.stages.length > max) {
      throw new IvsValidationError(this, `stages must hold 1 to ${max} stages for ${mode === ParticipantTokenSigning.API ? 'API' : 'self-signed'} tokens, got ${props.stages.length}`);
    }
    this.signingMode = mode;

    // Tokens work only for stages of the key's and the function's own account and region: IVS
    // checks a token against the public keys of the stage's account and region.
    checkStackRegion(this);
    const here = stackEnvironment(this);
    props.stages.forEach((stage, i) => checkSameEnvironment(this, `stages[${i}]`, 'token issuer', here, 'stage', stage.env));
    if (props.signingKey) {
      checkSameEnvironment(this, 'signingKey', 'token issuer', here, 'key', props.signingKey.env);
    }
    const runtime = chooseNodeRuntime(this, 'runtime', props.runtime);

    const stages: IssuerStage[] = props.stages.map((stage) => (mode === ParticipantTokenSigning.API
      ? { arn: stage.stageArn }
      : { arn: stage.stageArn, events: stage.eventsEndpoint, whip: stage.whipEndpoint }));

    const environment: Record<string, string> = {
      [TOKEN_ISSUER_ENV.SIGNING]: mode satisfies TokenSigningMode,
      [TOKEN_ISSUER_ENV.STAGES]: Stack.of(this).toJsonString(stages),
    };
    if (mode === ParticipantTokenSigning.KMS) {
      environment[TOKEN_ISSUER_ENV.KMS_KEY_ARN] = props.signingKey!.kmsKey!.keyArn;
      environment[TOKEN_ISSUER_ENV.PUBLIC_KEY_ARN] = props.signingKey!.publicKeyArn;
    } else if (mode === ParticipantTokenSigning.SECRET) {
      environment[TOKEN_ISSUER_ENV.PRIVATE_KEY_SECRET_ARN] = props.signingKey!.privateKeySecret!.secretArn;
    }

    // A role of its own rather than the default one, whose managed policy could write any log group.
    const role = new iam.Role(this, 'ServiceRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `cdk-ivs-realtime: participant token issuer ${this.node.path}`,
    });
    // Deleted with the stack, unlike logs.LogGroup's default: `cdk destroy` leaves nothing the library made.
    const logGroup = props.logGroup ?? new logs.LogGroup(this, 'LogGroup', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    logGroup.grantWrite(role);

    this.fn = new lambda.Function(this, 'Function', {
      description: `cdk-ivs-realtime: mints participant tokens (${mode})`,
      code: lambda.Code.fromAsset(TOKEN_ISSUER_CODE_DIRECTORY),
      handler: 'index.handler',
      runtime: runtime.runtime,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(10),
      role,
      logGroup,
      environment,
    });
    this.issuerFunction = this.fn;

    if (mode === ParticipantTokenSigning.KMS) {
      props.signingKey!.grantSign(role);
    } else if (mode === ParticipantTokenSigning.SECRET) {
      props.signingKey!.grantReadPrivateKey(role);
    } else {
      for (const stage of props.stages) {
        stage.grantCreateParticipantToken(role);
      }
    }

    if (props.functionUrl) {
      this.functionUrl = this.fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    }

    const cfnFunction = this.fn.node.defaultChild as lambda.CfnFunction;
    applyNodeRuntime(cfnFunction, runtime);
    checkovSkips(cfnFunction, ISSUER_FUNCTION_SKIPS);
    cfnLintIgnores(cfnFunction, {
      W3005: LAMBDA_FUNCTION_W3005_REASON,
    });
    if (!props.logGroup) {
      checkovSkips(logGroup.node.defaultChild as logs.CfnLogGroup, [{
        id: 'CKV_AWS_158',
        comment: 'CloudWatch Logs encrypts the log events at rest with its own keys; the issuer logs stage ARNs, participant IDs, '
          + 'capabilities and durations, never a token or a key. Pass logGroup with an encryptionKey to use a CMK.',
      }]);
    }
  }

  /**
   * Grants invoking the function (`lambda:InvokeFunction`): what a backend needs to get tokens.
   *
   * A principal with a policy (a role, a user, a function's role) gets `lambda:InvokeFunction` on
   * the function's unqualified ARN, which is what invoking it by name or ARN needs: the issuer
   * publishes no version or alias, so the grant has no `:*` for cdk-nag's AwsSolutions-IAM5 to
   * report. Any other principal (a service principal) gets a statement in the function's resource
   * policy, as `lambda.Function.grantInvoke` gives it.
   */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return grantInvokeUnqualified(this.fn, grantee);
  }

  /**
   * Grants invoking the function URL (`lambda:InvokeFunctionUrl`). An error without `functionUrl`.
   */
  public grantInvokeUrl(grantee: iam.IGrantable): iam.Grant {
    if (!this.functionUrl) {
      throw new IvsValidationError(this, 'grantInvokeUrl needs a function URL: set functionUrl: true');
    }
    return this.fn.grantInvokeUrl(grantee);
  }
}

/** The signing mode a key allows; an error for a key whose private half the issuer cannot use. */
function signingModeOf(scope: Construct, key: IPublicKey | undefined): ParticipantTokenSigning {
  if (!key) {
    return ParticipantTokenSigning.API;
  }
  if (key.kmsKey) {
    return ParticipantTokenSigning.KMS;
  }
  if (key.privateKeySecret) {
    return ParticipantTokenSigning.SECRET;
  }
  throw new IvsValidationError(scope,
    'signingKey must be backed by KMS (PublicKeyMaterial.generateInKms() or fromKmsKey()) or generated (PublicKeyMaterial.generate()), '
    + 'got a key whose private key is not in AWS: give its kmsKey or privateKeySecret to PublicKey.fromPublicKeyAttributes(), or leave signingKey out to use CreateParticipantToken');
}
