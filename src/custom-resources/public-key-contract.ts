/*
 * The contract between the PublicKey construct and its handler: the properties of a
 * `Custom::IvsPublicKey` resource, the attributes its handler returns, and the JSON the handler
 * writes into the private key secret of a generated key.
 *
 * Shared with the handler bundle: type declarations and constants only, no aws-cdk-lib.
 */

/** The CloudFormation resource type of a public key. */
export const PUBLIC_KEY_RESOURCE_TYPE = 'Custom::IvsPublicKey';

/**
 * The properties of a `Custom::IvsPublicKey`, as the handler receives them. Exactly one of
 * `PublicKeyMaterial`, `PrivateKeySecretArn` and `KmsKeyArn` is present. Any change other than tags replaces
 * the key: IVS has no update operation for public keys.
 */
export interface PublicKeyResourceProperties {
  readonly ServiceToken: string;
  /**
   * The key's name (ImportPublicKey `name`). Absent only with AdoptArn: the adopted public key keeps
   * its name.
   */
  readonly Name?: string;
  /** The PEM public key to import. Absent: the handler generates a key pair. */
  readonly PublicKeyMaterial?: string;
  /**
   * Present only for a generated key: the secret the handler writes the private key into, as a
   * `PrivateKeySecretValue`.
   */
  readonly PrivateKeySecretArn?: string;
  /**
   * Present only for a key held in AWS KMS (`ECC_NIST_P384`, `SIGN_VERIFY`): the handler reads
   * its public half with `kms:GetPublicKey` and imports it. The private half never leaves KMS.
   */
  readonly KmsKeyArn?: string;
  /**
   * An existing public key to take over on Create instead of making one (an ARN of the stack's
   * account and region). An update leaves it out of the comparison: adoption happens only on Create,
   * and a later value is refused unless it names the public key already held.
   */
  readonly AdoptArn?: string;
  /** Tag key to value. Absent when the key has no tags. */
  readonly Tags?: Record<string, string>;
}

/** What the handler returns in `Data`, readable with `Fn::GetAtt`. */
export interface PublicKeyResponseData {
  readonly Arn: string;
  readonly PublicKeyId: string;
  /** The live name: the one given, or an adopted resource's own. */
  readonly Name: string;
  readonly Fingerprint: string;
}

/** The JSON value of a generated key's private key secret. */
export interface PrivateKeySecretValue {
  /** The public key this private key belongs to; it changes when the key is replaced. */
  readonly publicKeyArn: string;
  /** The ECDSA P-384 private key, PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). */
  readonly privateKeyPem: string;
}

/** The IAM actions of the public key handler's role, on `public-key/*` ARNs of the stack's account and region. */
export const PUBLIC_KEY_HANDLER_ACTIONS = [
  'ivs:ImportPublicKey',
  'ivs:GetPublicKey',
  'ivs:DeletePublicKey',
  'ivs:TagResource',
  'ivs:UntagResource',
];

/** The List action of the public key handler, which IAM does not scope to ARNs. */
export const PUBLIC_KEY_HANDLER_LIST_ACTION = 'ivs:ListPublicKeys';

/** The KMS key spec and usage of a key that signs participant tokens (ES384). */
export const KMS_SIGNING_KEY_SPEC = 'ECC_NIST_P384';
export const KMS_SIGNING_KEY_USAGE = 'SIGN_VERIFY';
