import { createPublicKey, KeyObject } from 'crypto';
import {
  CfnResource,
  IResource,
  ITaggable,
  RemovalPolicy,
  Resource,
  TagManager,
  Token,
  Validations,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IConstruct } from 'constructs';
import { IvsHandlerProvider } from '../custom-resources/ivs-handler-provider';
import {
  PUBLIC_KEY_HANDLER_ACTIONS,
  PUBLIC_KEY_RESOURCE_TYPE,
  PublicKeyResourceProperties,
  PublicKeyResponseData,
} from '../custom-resources/public-key-contract';
import { parseIvsArn } from '../private/ivs-arn';
import { IvsCustomResource, ivsResourceName, ivsTagManager, warnAboveQuota } from '../private/ivs-resource';
import { grantReadOwnedSecret } from '../private/owned-secret';
import { ownedSecretSkips } from '../private/scanner-suppressions';
import { IvsValidationError } from '../private/validation';

/**
 * An IVS Real-Time public key: verifies the participant tokens an application signs itself.
 */
export interface IPublicKey extends IResource {
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
   * Grants `actions` on this public key to `grantee`.
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
}

/**
 * The key material of a public key: a PEM you give, or a key pair generated at deploy time.
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
   * The PEM given to `fromPem()`; undefined for a generated key.
   */
  public readonly pem?: string;

  private constructor(pem: string | undefined) {
    this.pem = pem;
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
   * @default - a name generated from the construct path
   */
  readonly publicKeyName?: string;

  /**
   * Tags for the key: at most 50, together with those added by `Tags.of()`.
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
   * What happens to the key, and to the secret holding a generated key's private key, when they
   * leave the stack. Deleting the key stops IVS from accepting tokens signed with its private key.
   *
   * @default RemovalPolicy.DESTROY
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
}

/** Public keys per account and region; the quota cannot be raised. */
const PUBLIC_KEY_QUOTA = 3;


/** ImportPublicKey's `publicKeyMaterial` pattern, which the service searches the material for. */
const PEM_PUBLIC_KEY = /-----BEGIN PUBLIC KEY-----\r?\n([a-zA-Z0-9+/=\r\n]+)\r?\n-----END PUBLIC KEY-----(\r?\n)?/;

/** IVS verifies ES384 participant tokens: ECDSA on P-384. */
const CURVE = 'secp384r1';

/**
 * What every public key, defined here or imported, can do.
 */
export abstract class PublicKeyBase extends Resource implements IPublicKey {
  public abstract readonly publicKeyArn: string;
  public abstract readonly publicKeyId: string;
  public abstract readonly fingerprint: string;

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.publicKeyArn] });
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'ivs:GetPublicKey', 'ivs:ListTagsForResource');
  }

  public abstract grantReadPrivateKey(grantee: iam.IGrantable): iam.Grant;
}

/**
 * An IVS Real-Time public key, which lets an application sign its own participant tokens (ES384
 * JWTs) instead of calling CreateParticipantToken.
 *
 * By default the key pair is generated at deploy time: the private key never appears in the
 * template, an output or a log, only in `privateKeySecret`. An account holds at most 3 public
 * keys per region, and a replacement needs a free slot while old and new both exist.
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
   * key given with `PublicKeyMaterial.fromPem()`.
   */
  public readonly privateKeySecret?: secretsmanager.ISecret;

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

    this.publicKeyName = ivsResourceName(this, 'publicKeyName', props.publicKeyName);
    const pem = (props.publicKeyMaterial ?? PublicKeyMaterial.generate()).pem;
    if (pem !== undefined) {
      validatePem(this, pem);
      if (props.encryptionKey) {
        throw new IvsValidationError(this,
          'encryptionKey encrypts the secret of a generated private key: pass it with PublicKeyMaterial.generate(), got it with PublicKeyMaterial.fromPem()');
      }
    }
    this.tags = ivsTagManager(this, PUBLIC_KEY_RESOURCE_TYPE, props.tags);

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    this.encryptionKey = props.encryptionKey;
    const provider = IvsHandlerProvider.getOrCreate(this, {
      resourceType: PUBLIC_KEY_RESOURCE_TYPE,
      arnResource: 'public-key',
      actions: PUBLIC_KEY_HANDLER_ACTIONS,
    });
    if (pem === undefined) {
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
      Name: this.publicKeyName,
      PublicKeyMaterial: pem,
      PrivateKeySecretArn: this.privateKeySecret?.secretArn,
    };

    this.resource = new IvsCustomResource(this, {
      provider,
      resourceType: PUBLIC_KEY_RESOURCE_TYPE,
      removalPolicy,
      properties,
      tags: this.tags,
    });

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
        'grantReadPrivateKey needs a generated key (PublicKeyMaterial.generate()): the private key of a key given with fromPem() is not in a secret');
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

/** The start of a long value, quoted with its line breaks visible. */
function abbreviate(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
}
