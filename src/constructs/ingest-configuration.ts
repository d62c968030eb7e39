import {
  CfnResource,
  IResource,
  ITaggable,
  RemovalPolicy,
  Resource,
  TagManager,
  Token,
  Validations,
  PermissionsOptions,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { aws_ivs as ivsRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { IStage, StageBase } from './stage';
import {
  INGEST_CONFIGURATION_HANDLER_ACTIONS,
  INGEST_CONFIGURATION_HANDLER_LIST_ACTION,
  INGEST_CONFIGURATION_RESOURCE_TYPE,
  IngestConfigurationResourceProperties,
  IngestConfigurationResponseData,
} from '../custom-resources/ingest-configuration-contract';
import { IvsHandlerProvider } from '../custom-resources/ivs-handler-provider';
import { checkSameEnvironment } from '../private/environment';
import { parseIvsArn } from '../private/ivs-arn';
import { IvsCustomResource, ivsAdoption, ivsTagManager, warnAboveQuota } from '../private/ivs-resource';
import { grantReadOwnedSecret } from '../private/owned-secret';
import { ownedSecretSkips } from '../private/scanner-suppressions';
import { IvsValidationError, validateEnumValues, validateString } from '../private/validation';

/**
 * An IVS Real-Time ingest configuration: lets an RTMP(S) encoder publish into a stage.
 */
export interface IIngestConfiguration extends IResource, ivsRefs.IIngestConfigurationRef {
  /**
   * The ingest configuration's ARN.
   *
   * @attribute
   */
  readonly ingestConfigurationArn: string;

  /**
   * The ingest configuration's ID, the last part of its ARN.
   *
   * @attribute
   */
  readonly ingestConfigurationId: string;

  /**
   * The IAM grants on this ingest configuration.
   */
  readonly grants: IngestConfigurationGrants;

  /**
   * Grants `actions` on this ingest configuration to `grantee`. Same as `grants.actions()`.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants reading this ingest configuration: `ivs:GetIngestConfiguration` and
   * `ivs:ListTagsForResource`.
   *
   * GetIngestConfiguration returns the stream key: this grant reveals it as surely as
   * `grantReadStreamKey` does.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grants reading the secret that holds the stream key: `secretsmanager:GetSecretValue` and
   * `secretsmanager:DescribeSecret` on that secret (and decrypting with its key, if it has one).
   */
  grantReadStreamKey(grantee: iam.IGrantable): iam.Grant;
}

/**
 * The protocol an encoder publishes with.
 */
export enum IngestProtocol {
  /** RTMP, unencrypted: needs `insecureIngest`. */
  RTMP = 'RTMP',
  /** RTMP over TLS. */
  RTMPS = 'RTMPS',
}

/**
 * Properties of an `IngestConfiguration`.
 */
export interface IngestConfigurationProps {
  /**
   * The protocol the encoder publishes with. A change replaces the ingest configuration, and with
   * it the stream key.
   */
  readonly ingestProtocol: IngestProtocol;

  /**
   * The stage the encoder publishes into: a `Stage`, an import, or an L1 `CfnStage`. Changes in
   * place: a different stage moves the ingest configuration, and removing it detaches the ingest
   * configuration from its stage.
   *
   * Only the stage's ARN is needed to attach; `ingestEndpoint` also needs the stage's RTMP(S)
   * endpoints, which only a `Stage` (or an import given them) knows: an L1 `CfnStage` does not
   * expose them.
   *
   * @default - not attached to a stage
   */
  readonly stage?: ivsRefs.IStageRef;

  /**
   * The ingest configuration's name: up to 128 letters, digits, hyphens and underscores. A change
   * replaces the ingest configuration.
   *
   * @default - a name generated from the construct path; with `adoptArn`, the adopted ingest configuration's own name
   */
  readonly ingestConfigurationName?: string;

  /**
   * The user ID of the participant the encoder publishes as, up to 128 characters. Visible to
   * every participant of the stage: not for personal data. A change replaces the ingest
   * configuration.
   *
   * @default - no user ID
   */
  readonly userId?: string;

  /**
   * Attributes of the participant the encoder publishes as, at most 1 KB (1024 bytes of UTF-8
   * keys and values together). Visible to every participant of the stage: not for personal data.
   * A change replaces the ingest configuration.
   *
   * @default - no attributes
   */
  readonly attributes?: { [key: string]: string };

  /**
   * Whether the stage accepts unencrypted RTMP from this ingest configuration. IVS requires it
   * with `IngestProtocol.RTMP`, so it follows the protocol unless set; `false` with RTMP is an
   * error. A change replaces the ingest configuration.
   *
   * @default - true with IngestProtocol.RTMP, false with IngestProtocol.RTMPS
   */
  readonly insecureIngest?: boolean;

  /**
   * Whether a second, redundant encoder may publish with its own stream key. Changes in place; the
   * redundant credentials are written into `streamKeySecret` alongside the stream key.
   *
   * @default false
   */
  readonly redundantIngest?: boolean;

  /**
   * Tags for the ingest configuration: at most 49, together with those added by `Tags.of()` (IVS allows 50
   * per resource, and the library's creator tag takes one).
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * The customer-managed KMS key that encrypts `streamKeySecret`. The handler may use it only through
   * Secrets Manager, and only for what writing the secret needs (`kms:GenerateDataKey` and
   * `kms:Decrypt`); `grantReadStreamKey` also grants `kms:Decrypt` on it.
   *
   * @default - Secrets Manager's AWS managed key (`aws/secretsmanager`)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Take over this existing ingest configuration instead of creating one: an ARN of the form
   * `arn:<partition>:ivs:<region>:<account>:ingest-configuration/<id>`, in the stack's account and
   * region.
   *
   * On deploy, its stage, redundant ingest and tags are brought to these props, and its stream key
   * is written into `streamKeySecret`; its name (when `ingestConfigurationName` is given), protocol,
   * user ID and attributes cannot change, and must already be those given. Tags not given here are
   * removed, and the library's creator tag is added. An ingest configuration that another construct
   * or CloudFormation itself owns is refused.
   *
   * The removal policy defaults to `RemovalPolicy.RETAIN`. Removing this prop in a later deploy
   * changes nothing (keep the name the same); adding or changing it once the resource is deployed is
   * refused.
   *
   * @default - a new ingest configuration is created
   */
  readonly adoptArn?: string;

  /**
   * What happens to the ingest configuration, and to the secret holding its stream key, when
   * they leave the stack.
   *
   * @default - `RemovalPolicy.RETAIN` with `adoptArn`, otherwise `RemovalPolicy.DESTROY`
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Attributes of an ingest configuration defined outside this stack.
 */
export interface IngestConfigurationAttributes {
  /**
   * The ingest configuration's ARN.
   */
  readonly ingestConfigurationArn: string;

  /**
   * The secret that holds its stream key.
   *
   * @default - `grantReadStreamKey` is an error
   */
  readonly streamKeySecret?: secretsmanager.ISecret;
}

/** How many ingest configurations an account may have in a region before asking for more. */
const INGEST_CONFIGURATION_QUOTA = 100;

/** UserId/ParticipantAttributes: "1 KB total" in the API reference. */
const MAX_ATTRIBUTES_BYTES = 1024;


/** The actions of `read`. */
const INGEST_CONFIGURATION_READ_ACTIONS = ['ivs:GetIngestConfiguration', 'ivs:ListTagsForResource'];

/**
 * The IAM grants on an ingest configuration: an `IngestConfiguration`, an import, or an L1 `CfnIngestConfiguration`.
 */
export class IngestConfigurationGrants {
  /**
   * The grants on `ingestConfiguration`.
   */
  public static fromIngestConfiguration(ingestConfiguration: ivsRefs.IIngestConfigurationRef): IngestConfigurationGrants {
    return new IngestConfigurationGrants(ingestConfiguration);
  }

  /** The ingest configuration the grants are on. */
  protected readonly resource: ivsRefs.IIngestConfigurationRef;

  private constructor(resource: ivsRefs.IIngestConfigurationRef) {
    this.resource = resource;
  }

  /**
   * Grants `actions` on the ingest configuration (or on `options.resourceArns`) to `grantee`.
   */
  public actions(grantee: iam.IGrantable, actions: string[], options: PermissionsOptions = {}): iam.Grant {
    const resourceArns = options.resourceArns ?? [ivs.CfnIngestConfiguration.arnForIngestConfiguration(this.resource)];
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns });
  }

  /**
   * Grants reading the ingest configuration:
   *
   * - ivs:GetIngestConfiguration
   * - ivs:ListTagsForResource
   *
   * GetIngestConfiguration returns the stream key: this grant reveals it.
   */
  public read(grantee: iam.IGrantable): iam.Grant {
    return this.actions(grantee, INGEST_CONFIGURATION_READ_ACTIONS);
  }
}

/**
 * What every ingest configuration, defined here or imported, can do.
 */
export abstract class IngestConfigurationBase extends Resource implements IIngestConfiguration {
  public abstract readonly ingestConfigurationArn: string;
  public abstract readonly ingestConfigurationId: string;

  public readonly grants: IngestConfigurationGrants = IngestConfigurationGrants.fromIngestConfiguration(this);

  /**
   * A reference to this ingest configuration, as the L1 `CfnIngestConfiguration` gives it.
   */
  public get ingestConfigurationRef(): ivsRefs.IngestConfigurationReference {
    return { ingestConfigurationArn: this.ingestConfigurationArn };
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return this.grants.actions(grantee, actions);
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grants.read(grantee);
  }

  public abstract grantReadStreamKey(grantee: iam.IGrantable): iam.Grant;
}

/**
 * An IVS Real-Time ingest configuration: lets an RTMP(S) encoder, such as OBS or a hardware
 * encoder, publish into a stage as a participant.
 *
 * The stream key never appears in the template or in any output: the deployment writes it into
 * `streamKeySecret`, a secret this construct owns, as JSON:
 *
 * ```json
 * {
 *   "ingestConfigurationArn": "arn:aws:ivs:...:ingest-configuration/AbCdEfGh1234",
 *   "participantId": "xyZ654abC321",
 *   "streamKey": "rt_123456789012_us-east-1_AbCdEfGh1234_...",
 *   "redundantIngestCredentials": [{ "participantId": "...", "streamKey": "rt_..." }]
 * }
 * ```
 *
 * `redundantIngestCredentials` is empty unless `redundantIngest` is on. A change that replaces
 * the ingest configuration writes the new stream key into the same secret.
 *
 * @resource Custom::IvsIngestConfiguration
 * @example
 * declare const stage: Stage;
 * declare const encoderConfigurator: lambda.IFunction;
 *
 * const ingest = new IngestConfiguration(this, 'Encoder', {
 *   ingestProtocol: IngestProtocol.RTMPS,
 *   stage,
 * });
 * ingest.grantReadStreamKey(encoderConfigurator);
 */
export class IngestConfiguration extends IngestConfigurationBase implements ITaggable {
  /**
   * Imports an ingest configuration by its ARN. Its stream key secret is not known: use
   * `fromIngestConfigurationAttributes` to give it.
   *
   * @param ingestConfigurationArn an ARN of the form
   *   `arn:<partition>:ivs:<region>:<account>:ingest-configuration/<id>`
   */
  public static fromIngestConfigurationArn(scope: Construct, id: string, ingestConfigurationArn: string): IIngestConfiguration {
    return IngestConfiguration.fromIngestConfigurationAttributes(scope, id, { ingestConfigurationArn });
  }

  /**
   * Imports an ingest configuration by its ARN and, optionally, the secret holding its stream key.
   */
  public static fromIngestConfigurationAttributes(scope: Construct, id: string, attrs: IngestConfigurationAttributes): IIngestConfiguration {
    const parsed = parseIvsArn(scope, attrs.ingestConfigurationArn, 'ingest-configuration', 'ingestConfigurationArn');
    class Import extends IngestConfigurationBase {
      public readonly ingestConfigurationArn = attrs.ingestConfigurationArn;
      public readonly ingestConfigurationId = parsed.resourceName!;

      public grantReadStreamKey(grantee: iam.IGrantable): iam.Grant {
        if (!attrs.streamKeySecret) {
          throw new IvsValidationError(this,
            'streamKeySecret of an imported ingest configuration is not known: pass it to IngestConfiguration.fromIngestConfigurationAttributes()');
        }
        return attrs.streamKeySecret.grantRead(grantee);
      }
    }
    return new Import(scope, id, { environmentFromArn: attrs.ingestConfigurationArn });
  }

  public get ingestConfigurationArn(): string { return this.resource.getAttString('Arn'); }
  public get ingestConfigurationId(): string { return this.resource.getAttString('IngestConfigurationId'); }

  /**
   * The participant ID the encoder publishes as.
   *
   * @attribute
   */
  public get participantId(): string { return this.resource.getAttString('ParticipantId'); }

  /**
   * The state when the ingest configuration was last deployed: `ACTIVE` while an encoder is
   * publishing, otherwise `INACTIVE`. Read the live state with GetIngestConfiguration.
   *
   * @attribute
   */
  public get state(): string { return this.resource.getAttString('State'); }

  /**
   * The secret the deployment writes the stream key into, as JSON (see the class documentation).
   */
  public readonly streamKeySecret: secretsmanager.ISecret;

  /**
   * The customer-managed KMS key that encrypts the secret, if one was given.
   */
  public readonly encryptionKey?: kms.IKey;

  /**
   * The ingest configuration's name.
   */
  public readonly ingestConfigurationName: string;

  /**
   * The protocol the encoder publishes with.
   */
  public readonly ingestProtocol: IngestProtocol;

  /**
   * The stage the encoder publishes into, if any.
   */
  public readonly stage?: ivsRefs.IStageRef;

  /**
   * The ingest configuration's tags, including those added with `Tags.of()`.
   */
  public readonly tags: TagManager;

  private readonly resource: IvsCustomResource<IngestConfigurationResponseData>;

  constructor(scope: Construct, id: string, props: IngestConfigurationProps) {
    super(scope, id, { physicalName: props.ingestConfigurationName });

    validateEnumValues(this, 'ingestProtocol', [props.ingestProtocol], Object.values(IngestProtocol), { maxItems: 1 });
    const adoption = ivsAdoption(this, {
      resource: 'ingest-configuration',
      noun: 'ingest configuration',
      nameProp: 'ingestConfigurationName',
      name: props.ingestConfigurationName,
      adoptArn: props.adoptArn,
      removalPolicy: props.removalPolicy,
    });
    validateString(this, 'userId', props.userId, { maxLength: 128 });
    this.validateAttributes(props.attributes);
    const insecureIngest = props.insecureIngest ?? props.ingestProtocol === IngestProtocol.RTMP;
    if (props.ingestProtocol === IngestProtocol.RTMP && !insecureIngest) {
      throw new IvsValidationError(this, 'insecureIngest must be true with ingestProtocol RTMP (RTMP is unencrypted), got false');
    }
    if (props.stage) {
      // A stage in another account or region cannot take this ingest configuration's publisher.
      checkSameEnvironment(this, 'stage', 'ingest configuration', this.env, 'stage', props.stage.env);
    }

    this.ingestProtocol = props.ingestProtocol;
    this.stage = props.stage;
    this.tags = ivsTagManager(this, INGEST_CONFIGURATION_RESOURCE_TYPE, props.tags);

    const removalPolicy = adoption.removalPolicy ?? RemovalPolicy.DESTROY;
    const secret = new secretsmanager.Secret(this, 'StreamKeySecret', {
      description: `Stream key of the IVS ingest configuration ${this.node.path} (written by cdk-ivs-realtime at deploy time)`,
      encryptionKey: props.encryptionKey,
      removalPolicy,
    });
    ownedSecretSkips(secret.node.defaultChild as CfnResource, props.encryptionKey !== undefined, 'IngestConfiguration');
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'IVS cannot rotate a stream key in place: a new stream key comes only with a new ingest configuration, and when a change replaces it the handler writes the new key into this secret',
    });
    this.streamKeySecret = secret;
    this.encryptionKey = props.encryptionKey;

    const provider = IvsHandlerProvider.getOrCreate(this, {
      resourceType: INGEST_CONFIGURATION_RESOURCE_TYPE,
      arnResource: 'ingest-configuration',
      actions: INGEST_CONFIGURATION_HANDLER_ACTIONS,
      listAction: INGEST_CONFIGURATION_HANDLER_LIST_ACTION,
    });
    provider.allowWritingOwnedSecret(secret, props.encryptionKey);

    const properties: Omit<IngestConfigurationResourceProperties, 'ServiceToken' | 'Tags'> = {
      Name: adoption.name,
      AdoptArn: props.adoptArn,
      IngestProtocol: props.ingestProtocol,
      StageArn: props.stage ? ivs.CfnStage.arnForStage(props.stage) : undefined,
      UserId: props.userId,
      Attributes: props.attributes,
      InsecureIngest: String(insecureIngest),
      RedundantIngest: String(props.redundantIngest ?? false),
      StreamKeySecretArn: secret.secretArn,
    };

    this.resource = new IvsCustomResource(this, {
      provider,
      resourceType: INGEST_CONFIGURATION_RESOURCE_TYPE,
      removalPolicy,
      properties,
      tags: this.tags,
    });
    this.ingestConfigurationName = adoption.name ?? this.resource.getAttString('Name');

    warnAboveQuota(this, {
      count: provider.resourceCount,
      quota: INGEST_CONFIGURATION_QUOTA,
      adjustable: true,
      what: 'ingest configurations',
      id: 'ingest-configuration-quota',
    });
  }

  /**
   * Where the encoder publishes: the stage's RTMPS endpoint, or its RTMP endpoint with
   * `IngestProtocol.RTMP`. Give the encoder this and the stream key.
   *
   * Needs a stage that knows its endpoints: a `Stage`, or an import made with
   * `Stage.fromStageAttributes` and the endpoint. An L1 `CfnStage` does not expose them.
   */
  public get ingestEndpoint(): string {
    if (!this.stage) {
      throw new IvsValidationError(this, 'ingestEndpoint is only known with a stage: pass stage to the IngestConfiguration');
    }
    if (!(this.stage instanceof StageBase)) {
      throw new IvsValidationError(this,
        'ingestEndpoint needs a stage that knows its RTMP(S) endpoints (a Stage, or Stage.fromStageAttributes() with them), got a stage reference without endpoints');
    }
    const stage: IStage = this.stage;
    return this.ingestProtocol === IngestProtocol.RTMP ? stage.rtmpEndpoint : stage.rtmpsEndpoint;
  }

  public grantReadStreamKey(grantee: iam.IGrantable): iam.Grant {
    return grantReadOwnedSecret(this.streamKeySecret, this.encryptionKey, grantee);
  }

  private validateAttributes(attributes: { [key: string]: string } | undefined): void {
    if (!attributes) {
      return;
    }
    const entries = Object.entries(attributes);
    if (entries.some(([key, value]) => Token.isUnresolved(key) || Token.isUnresolved(value))) {
      return;
    }
    const bytes = entries.reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
    if (bytes > MAX_ATTRIBUTES_BYTES) {
      throw new IvsValidationError(this,
        `attributes must be at most ${MAX_ATTRIBUTES_BYTES} bytes of UTF-8 keys and values together, got ${bytes} bytes`);
    }
  }

}
