import { createPublicKey, KeyObject } from 'crypto';
import {
  Aws,
  CfnResource,
  IResource,
  ITaggable,
  RemovalPolicy,
  Resource,
  Stack,
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
import { Construct, IConstruct } from 'constructs';
import { IvsHandlerProvider } from '../custom-resources/ivs-handler-provider';
import {
  KMS_SIGNING_KEY_SPEC,
  KMS_SIGNING_KEY_USAGE,
  PUBLIC_KEY_HANDLER_ACTIONS,
  PUBLIC_KEY_HANDLER_LIST_ACTION,
  PUBLIC_KEY_RESOURCE_TYPE,
  PublicKeyResourceProperties,
  PublicKeyResponseData,
} from '../custom-resources/public-key-contract';
import { checkSameEnvironment } from '../private/environment';
import { parseIvsArn } from '../private/ivs-arn';
import { IvsCustomResource, ivsAdoption, ivsTagManager, warnAboveQuota } from '../private/ivs-resource';
import { grantReadOwnedSecret } from '../private/owned-secret';
import { ownedSecretSkips } from '../private/scanner-suppressions';
import { IvsValidationError } from '../private/validation';

/**
 * An IVS Real-Time public key: verifies the participant tokens an application signs itself.
 */
export interface IPublicKey extends IResource, ivsRefs.IPublicKeyRef {
  /**
   * The public key's ARN.
   *
   * @attribute
   */
  readonly publicKeyArn: string;

  /**
   * The public key's ID, the last part of its ARN.
   *
   * @attribute
   */
  readonly publicKeyId: string;

  /**
   * The key's fingerprint, as IVS computes it.
   *
   * @attribute
   */
  readonly fingerprint: string;

  /**
   * The AWS KMS key whose public half this is, for a key backed by KMS: participant tokens are
   * signed with `kms:Sign` on it.
   *
   * @default - not backed by a KMS key
   */
  readonly kmsKey?: kms.IKey;

  /**
   * The secret that holds the private key of a generated key.
   *
   * @default - no secret: the private key is in KMS or with you
   */
  readonly privateKeySecret?: secretsmanager.ISecret;

  /**
   * The IAM grants on this public key.
   */
  readonly grants: PublicKeyGrants;

  /**
   * Grants `actions` on this public key to `grantee`. Same as `grants.actions()`.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants reading this public key: `ivs:GetPublicKey` and `ivs:ListTagsForResource`.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grants reading the secret that holds the private key of a generated key:
   * `secretsmanager:GetSecretValue` and `secretsmanager:DescribeSecret` on that secret (and
   * decrypting with its key, if it has one). This is what a token-signing backend needs.
   *
   * An error for a key given with `PublicKeyMaterial.fromPem()`: its private key is yours.
   */
  grantReadPrivateKey(grantee: iam.IGrantable): iam.Grant;

  /**
   * Grants signing participant tokens with the KMS key of a KMS-backed key: `kms:Sign` on that
   * key only. An error for a key not backed by KMS.
   */
  grantSign(grantee: iam.IGrantable): iam.Grant;
}

/**
 * The key material of a public key: a PEM you give, a key pair generated at deploy time, or an
 * AWS KMS key whose private half never leaves KMS.
 */
export class PublicKeyMaterial {
  /**
   * An ECDSA P-384 (secp384r1) public key in PEM form (`-----BEGIN PUBLIC KEY-----`), as
   * `openssl ec -in private.pem -pubout` writes it. Checked at synth unless it is a token.
   *
   * The PEM is written into the template: it is public. Keep the private key to yourself.
   */
  public static fromPem(pem: string): PublicKeyMaterial {
    return new PublicKeyMaterial(pem);
  }

  /**
   * An ECDSA P-384 key pair generated at deploy time. Its public half is imported into IVS; its
   * private half goes only into the public key's `privateKeySecret`, as JSON:
   * `{"publicKeyArn": "...", "privateKeyPem": "-----BEGIN PRIVATE KEY-----..."}`.
   */
  public static generate(): PublicKeyMaterial {
    return new PublicKeyMaterial(undefined);
  }

  /**
   * The public half of an asymmetric AWS KMS key with key spec `ECC_NIST_P384` and key usage
   * `SIGN_VERIFY`. The deployment reads it with `kms:GetPublicKey` and imports it; participant
   * tokens are signed in KMS (`kms:Sign`), so no private key exists anywhere else and no secret is
   * created. Another key replaces the IVS public key.
   *
   * The key's policy must let this account's IAM policies grant its use (the default key policy
   * does).
   */
  public static fromKmsKey(key: kms.IKey): PublicKeyMaterial {
    return new PublicKeyMaterial(undefined, key);
  }

  /**
   * Like `fromKmsKey()`, with a new KMS key (`ECC_NIST_P384`, `SIGN_VERIFY`) that the public key
   * creates and owns as its `kmsKey`. It follows the public key's removal policy; a destroyed KMS
   * key is scheduled for deletion after 30 days, as KMS keys are.
   */
  public static generateInKms(): PublicKeyMaterial {
    return new PublicKeyMaterial(undefined, undefined, true);
  }

  /**
   * The PEM given to `fromPem()`; undefined otherwise.
   */
  public readonly pem?: string;

  /**
   * The KMS key given to `fromKmsKey()`; undefined otherwise.
   */
  public readonly kmsKey?: kms.IKey;

  /**
   * Whether the public key creates a KMS key of its own (`generateInKms()`).
   *
   * @internal
   */
  public readonly _createsKmsKey: boolean;

  private constructor(pem: string | undefined, kmsKey?: kms.IKey, createsKmsKey = false) {
    this.pem = pem;
    this.kmsKey = kmsKey;
    this._createsKmsKey = createsKmsKey;
  }
}

/**
 * Properties of a `PublicKey`.
 */
export interface PublicKeyProps {
  /**
   * The key material. A change replaces the key.
   *
   * @default PublicKeyMaterial.generate()
   */
  readonly publicKeyMaterial?: PublicKeyMaterial;

  /**
   * The key's name: up to 128 letters, digits, hyphens and underscores. A change replaces the key,
   * which for a key from a PEM needs new material (IVS imports the same key only once).
   *
   * @default - a name generated from the construct path; with `adoptArn`, the adopted public key's own name
   */
  readonly publicKeyName?: string;

  /**
   * Tags for the key: at most 49, together with those added by `Tags.of()` (IVS allows 50
   * per resource, and the library's creator tag takes one).
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * The customer-managed KMS key that encrypts `privateKeySecret`. The handler may use it only through
   * Secrets Manager, and only for what writing the secret needs (`kms:GenerateDataKey` and
   * `kms:Decrypt`); `grantReadPrivateKey` also grants `kms:Decrypt` on it.
   *
   * @default - Secrets Manager's AWS managed key (`aws/secretsmanager`)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Take over this existing public key instead of creating one: an ARN of the form
   * `arn:<partition>:ivs:<region>:<account>:public-key/<id>`, in the stack's account and region.
   *
   * On deploy, its tags are brought to these props; its name (when `publicKeyName` is given) and
   * material cannot change, and must already be those given. Give the key's material with
   * `PublicKeyMaterial.fromPem()` or `fromKmsKey()`: a key generated at deploy time cannot be
   * adopted. Tags not given here are removed, and the library's creator tag is added. A public key
   * that another construct or CloudFormation itself owns is refused.
   *
   * The removal policy defaults to `RemovalPolicy.RETAIN`. Removing this prop in a later deploy
   * changes nothing (keep the name the same); adding or changing it once the resource is deployed is
   * refused.
   *
   * @default - a new public key is created
   */
  readonly adoptArn?: string;

  /**
   * What happens to the key, and to the secret holding a generated key's private key, when they
   * leave the stack. Deleting the key stops IVS from accepting tokens signed with its private key.
   *
   * @default - `RemovalPolicy.RETAIN` with `adoptArn`, otherwise `RemovalPolicy.DESTROY`
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Attributes of a public key defined outside this stack.
 */
export interface PublicKeyAttributes {
  /**
   * The key's ARN.
   */
  readonly publicKeyArn: string;

  /**
   * The key's fingerprint.
   *
   * @default - reading `fingerprint` is an error
   */
  readonly fingerprint?: string;

  /**
   * The secret that holds the private key.
   *
   * @default - `grantReadPrivateKey` is an error
   */
  readonly privateKeySecret?: secretsmanager.ISecret;

  /**
   * The KMS key whose public half the key is.
   *
   * @default - `grantSign` is an error
   */
  readonly kmsKey?: kms.IKey;
}

/** Public keys per account and region; the quota cannot be raised. */
const PUBLIC_KEY_QUOTA = 3;


/** ImportPublicKey's `publicKeyMaterial` pattern, which the service searches the material for. */
const PEM_PUBLIC_KEY = /-----BEGIN PUBLIC KEY-----\r?\n([a-zA-Z0-9+/=\r\n]+)\r?\n-----END PUBLIC KEY-----(\r?\n)?/;

/** IVS verifies ES384 participant tokens: ECDSA on P-384. */
const CURVE = 'secp384r1';

/** The actions of `read`. */
const PUBLIC_KEY_READ_ACTIONS = ['ivs:GetPublicKey', 'ivs:ListTagsForResource'];

/**
 * The IAM grants on a public key: a `PublicKey`, an import, or an L1 `CfnPublicKey`.
 */
export class PublicKeyGrants {
  /**
   * The grants on `publicKey`.
   */
  public static fromPublicKey(publicKey: ivsRefs.IPublicKeyRef): PublicKeyGrants {
    return new PublicKeyGrants(publicKey);
  }

  /** The public key the grants are on. */
  protected readonly resource: ivsRefs.IPublicKeyRef;

  private constructor(resource: ivsRefs.IPublicKeyRef) {
    this.resource = resource;
  }

  /**
   * Grants `actions` on the public key (or on `options.resourceArns`) to `grantee`.
   */
  public actions(grantee: iam.IGrantable, actions: string[], options: PermissionsOptions = {}): iam.Grant {
    const resourceArns = options.resourceArns ?? [ivs.CfnPublicKey.arnForPublicKey(this.resource)];
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns });
  }

  /**
   * Grants reading the public key:
   *
   * - ivs:GetPublicKey
   * - ivs:ListTagsForResource
   */
  public read(grantee: iam.IGrantable): iam.Grant {
    return this.actions(grantee, PUBLIC_KEY_READ_ACTIONS);
  }
}

/**
 * What every public key, defined here or imported, can do.
 */
export abstract class PublicKeyBase extends Resource implements IPublicKey {
  public abstract readonly publicKeyArn: string;
  public abstract readonly publicKeyId: string;
  public abstract readonly fingerprint: string;
  public abstract readonly kmsKey?: kms.IKey;
  public abstract readonly privateKeySecret?: secretsmanager.ISecret;

  public readonly grants: PublicKeyGrants = PublicKeyGrants.fromPublicKey(this);

  /**
   * A reference to this public key, as the L1 `CfnPublicKey` gives it.
   */
  public get publicKeyRef(): ivsRefs.PublicKeyReference {
    return { publicKeyArn: this.publicKeyArn };
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return this.grants.actions(grantee, actions);
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grants.read(grantee);
  }

  public abstract grantReadPrivateKey(grantee: iam.IGrantable): iam.Grant;

  public grantSign(grantee: iam.IGrantable): iam.Grant {
    if (!this.kmsKey) {
      throw new IvsValidationError(this,
        'grantSign needs a key backed by KMS (PublicKeyMaterial.fromKmsKey() or generateInKms(), or kmsKey in fromPublicKeyAttributes())');
    }
    return iam.Grant.addToPrincipal({ grantee, actions: ['kms:Sign'], resourceArns: [this.kmsKey.keyArn] });
  }
}

/**
 * An IVS Real-Time public key, which lets an application sign its own participant tokens (ES384
 * JWTs) instead of calling CreateParticipantToken.
 *
 * By default the key pair is generated at deploy time: the private key never appears in the
 * template, an output or a log, only in `privateKeySecret`. With `PublicKeyMaterial.generateInKms()`
 * or `fromKmsKey()` the private key never leaves AWS KMS, and `ParticipantTokenIssuer` (or your own
 * code, with `grantSign`) signs tokens there. An account holds at most 3 public keys per region,
 * and a replacement needs a free slot while old and new both exist.
 *
 * @resource Custom::IvsPublicKey
 * @example
 * declare const tokenSigner: lambda.IFunction;
 *
 * const key = new PublicKey(this, 'TokenKey');
 * key.grantReadPrivateKey(tokenSigner);
 */
export class PublicKey extends PublicKeyBase implements ITaggable {
  /**
   * Imports a public key by its ARN. Its fingerprint and private key secret are not known: use
   * `fromPublicKeyAttributes` to give them.
   *
   * @param publicKeyArn an ARN of the form `arn:<partition>:ivs:<region>:<account>:public-key/<id>`
   */
  public static fromPublicKeyArn(scope: Construct, id: string, publicKeyArn: string): IPublicKey {
    return PublicKey.fromPublicKeyAttributes(scope, id, { publicKeyArn });
  }

  /**
   * Imports a public key by its ARN and, optionally, its fingerprint and private key secret.
   */
  public static fromPublicKeyAttributes(scope: Construct, id: string, attrs: PublicKeyAttributes): IPublicKey {
    const parsed = parseIvsArn(scope, attrs.publicKeyArn, 'public-key', 'publicKeyArn');
    const unknown = (what: string) => new IvsValidationError(scope,
      `${what} of an imported public key is not known: pass it to PublicKey.fromPublicKeyAttributes()`);
    class Import extends PublicKeyBase {
      public readonly publicKeyArn = attrs.publicKeyArn;
      public readonly publicKeyId = parsed.resourceName!;
      public readonly kmsKey = attrs.kmsKey;
      public readonly privateKeySecret = attrs.privateKeySecret;

      public get fingerprint(): string {
        if (attrs.fingerprint === undefined) {
          throw unknown('fingerprint');
        }
        return attrs.fingerprint;
      }

      public grantReadPrivateKey(grantee: iam.IGrantable): iam.Grant {
        if (!attrs.privateKeySecret) {
          throw unknown('privateKeySecret');
        }
        return attrs.privateKeySecret.grantRead(grantee);
      }
    }
    return new Import(scope, id, { environmentFromArn: attrs.publicKeyArn });
  }

  public get publicKeyArn(): string { return this.resource.getAttString('Arn'); }
  public get publicKeyId(): string { return this.resource.getAttString('PublicKeyId'); }
  public get fingerprint(): string { return this.resource.getAttString('Fingerprint'); }

  /**
   * The secret the deployment writes a generated key's private key into, as JSON:
   * `{"publicKeyArn": "...", "privateKeyPem": "-----BEGIN PRIVATE KEY-----..."}`. Undefined for a
   * key given as a PEM or backed by KMS.
   */
  public readonly privateKeySecret?: secretsmanager.ISecret;

  /**
   * The KMS key that signs participant tokens, for a key backed by KMS. Undefined otherwise.
   */
  public readonly kmsKey?: kms.IKey;

  /**
   * The customer-managed KMS key that encrypts the secret, if one was given.
   */
  public readonly encryptionKey?: kms.IKey;

  /**
   * The key's name.
   */
  public readonly publicKeyName: string;

  /**
   * The key's tags, including those added with `Tags.of()`.
   */
  public readonly tags: TagManager;

  private readonly resource: IvsCustomResource<PublicKeyResponseData>;

  constructor(scope: Construct, id: string, props: PublicKeyProps = {}) {
    super(scope, id, { physicalName: props.publicKeyName });

    const adoption = ivsAdoption(this, {
      resource: 'public-key',
      noun: 'public key',
      nameProp: 'publicKeyName',
      name: props.publicKeyName,
      adoptArn: props.adoptArn,
      removalPolicy: props.removalPolicy,
    });
    const material = props.publicKeyMaterial ?? PublicKeyMaterial.generate();
    const pem = material.pem;
    if (pem !== undefined) {
      validatePem(this, pem);
    }
    const inKms = material.kmsKey !== undefined || material._createsKmsKey;
    if (props.adoptArn !== undefined && pem === undefined && material.kmsKey === undefined) {
      // The construct must stand behind the adopted key: a key pair or KMS key made at deploy time
      // cannot be the one IVS already holds.
      throw new IvsValidationError(this, 'adoptArn needs the adopted key\'s material: PublicKeyMaterial.fromPem() or PublicKeyMaterial.fromKmsKey(), got '
        + (material._createsKmsKey ? 'PublicKeyMaterial.generateInKms()' : 'PublicKeyMaterial.generate()'
          + (props.publicKeyMaterial === undefined ? ' (the default)' : '')));
    }
    if (props.encryptionKey && (pem !== undefined || inKms)) {
      throw new IvsValidationError(this,
        'encryptionKey encrypts the secret of a generated private key: pass it with PublicKeyMaterial.generate(), got it with '
        + (inKms ? 'a KMS-backed key, whose private key has no secret' : 'PublicKeyMaterial.fromPem()'));
    }
    this.tags = ivsTagManager(this, PUBLIC_KEY_RESOURCE_TYPE, props.tags);

    const removalPolicy = adoption.removalPolicy ?? RemovalPolicy.DESTROY;
    this.encryptionKey = props.encryptionKey;
    const provider = IvsHandlerProvider.getOrCreate(this, {
      resourceType: PUBLIC_KEY_RESOURCE_TYPE,
      arnResource: 'public-key',
      actions: PUBLIC_KEY_HANDLER_ACTIONS,
      listAction: PUBLIC_KEY_HANDLER_LIST_ACTION,
    });
    if (material.kmsKey) {
      validateKmsKey(this, material.kmsKey);
      // The handler reads the key's public half with a KMS client of the stack's region, and KMS
      // keys are regional; another account's key works where its key policy lets the handler in.
      checkSameEnvironment(this, 'publicKeyMaterial', 'public key', { account: Aws.ACCOUNT_ID, region: Stack.of(this).region },
        'KMS key', material.kmsKey.env);
      this.kmsKey = material.kmsKey;
    } else if (material._createsKmsKey) {
      this.kmsKey = new kms.Key(this, 'SigningKey', {
        description: `Signs participant tokens for the IVS public key ${this.node.path} (cdk-ivs-realtime)`,
        keySpec: kms.KeySpec.ECC_NIST_P384,
        keyUsage: kms.KeyUsage.SIGN_VERIFY,
        removalPolicy,
      });
    }
    if (this.kmsKey) {
      provider.allowReadingKmsPublicKey(this.kmsKey);
    } else if (pem === undefined) {
      this.privateKeySecret = new secretsmanager.Secret(this, 'PrivateKeySecret', {
        description: `Private key of the IVS public key ${this.node.path} (generated by cdk-ivs-realtime at deploy time)`,
        encryptionKey: props.encryptionKey,
        removalPolicy,
      });
      ownedSecretSkips(this.privateKeySecret.node.defaultChild as CfnResource, props.encryptionKey !== undefined, 'PublicKey');
      Validations.of(this.privateKeySecret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: 'IVS cannot rotate a key pair in place: a new key pair means importing a new public key, that is replacing this resource, and the handler then writes the new private key into this secret',
      });
      provider.allowWritingOwnedSecret(this.privateKeySecret, props.encryptionKey);
    }

    const properties: Omit<PublicKeyResourceProperties, 'ServiceToken' | 'Tags'> = {
      Name: adoption.name,
      AdoptArn: props.adoptArn,
      PublicKeyMaterial: pem,
      PrivateKeySecretArn: this.privateKeySecret?.secretArn,
      KmsKeyArn: this.kmsKey?.keyArn,
    };

    this.resource = new IvsCustomResource(this, {
      provider,
      resourceType: PUBLIC_KEY_RESOURCE_TYPE,
      removalPolicy,
      properties,
      tags: this.tags,
    });
    this.publicKeyName = adoption.name ?? this.resource.getAttString('Name');

    warnAboveQuota(this, {
      count: provider.resourceCount,
      quota: PUBLIC_KEY_QUOTA,
      adjustable: false,
      what: 'public keys',
      id: 'public-key-quota',
    });
  }

  public grantReadPrivateKey(grantee: iam.IGrantable): iam.Grant {
    if (!this.privateKeySecret) {
      throw new IvsValidationError(this,
        'grantReadPrivateKey needs a generated key (PublicKeyMaterial.generate()): the private key of a key given with fromPem() is yours, and that of a KMS-backed key stays in KMS (use grantSign)');
    }
    return grantReadOwnedSecret(this.privateKeySecret, this.encryptionKey, grantee);
  }
}

/**
 * Checks that `pem` is what ImportPublicKey accepts: a PEM public key, ECDSA on P-384. A private
 * key is refused without being echoed: it must not reach a template or a build log.
 */
function validatePem(scope: IConstruct, pem: string): void {
  if (Token.isUnresolved(pem)) {
    return;
  }
  if (pem.includes('PRIVATE KEY-----')) {
    throw new IvsValidationError(scope,
      'publicKeyMaterial must be a public key, got a private key: keep it out of the template, and pass its public half (openssl ec -in private.pem -pubout) or use PublicKeyMaterial.generate()');
  }
  const block = PEM_PUBLIC_KEY.exec(pem)?.[0];
  if (!block) {
    throw new IvsValidationError(scope,
      `publicKeyMaterial must be a PEM public key (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----), got ${abbreviate(pem)}`);
  }
  let key: KeyObject;
  try {
    key = createPublicKey(block);
  } catch {
    throw new IvsValidationError(scope, `publicKeyMaterial must be a valid PEM public key, got a PEM block that does not decode as one: ${abbreviate(block)}`);
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || curve !== CURVE) {
    const found = key.asymmetricKeyType === 'ec' ? `an EC ${curve} key` : `an ${key.asymmetricKeyType} key`;
    throw new IvsValidationError(scope, `publicKeyMaterial must be an ECDSA P-384 (${CURVE}) public key, got ${found}`);
  }
}

/**
 * Checks, where the template says, that a KMS key this stack defines can sign ES384 tokens. An
 * imported key is checked by the deployment, which reads its key spec and usage.
 */
function validateKmsKey(scope: IConstruct, key: kms.IKey): void {
  const cfn = key.node.defaultChild;
  if (!(cfn instanceof kms.CfnKey)) {
    return;
  }
  const spec = cfn.keySpec ?? 'SYMMETRIC_DEFAULT';
  const usage = cfn.keyUsage ?? 'ENCRYPT_DECRYPT';
  if (Token.isUnresolved(spec) || Token.isUnresolved(usage)) {
    return;
  }
  if (spec !== KMS_SIGNING_KEY_SPEC || usage !== KMS_SIGNING_KEY_USAGE) {
    throw new IvsValidationError(scope,
      `publicKeyMaterial: the KMS key must have keySpec ${KMS_SIGNING_KEY_SPEC} and keyUsage ${KMS_SIGNING_KEY_USAGE}, got keySpec ${spec} and keyUsage ${usage}`);
  }
}

/** The start of a long value, quoted with its line breaks visible. */
function abbreviate(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
}
