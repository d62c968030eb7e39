import { generateKeyPairSync, KeyObject, randomUUID, sign } from 'node:crypto';
import { AwsJsonError, AwsJsonExchange, AwsJsonServer } from './aws-json-server';
import { signP384Digest } from './ecdsa-digest';

/** A key that an `AWS::KMS::Key` stub created. */
export interface SimulatedKmsKey {
  readonly keyId: string;
  readonly arn: string;
  /** The logical ID of the stub resource that created it. */
  readonly logicalId: string;
  readonly keySpec: string;
  readonly keyUsage: string;
  /** `Enabled`, or `PendingDeletion` once its stack resource is deleted. */
  readonly keyState: string;
  /** The public half of an asymmetric key; the private half stays inside the stub, as it stays in KMS. */
  readonly publicKey?: KeyObject;
}

/** One request the stub received. */
export interface KmsRequest {
  readonly operation: string;
  readonly keyId?: string;
  readonly status: number;
  readonly errorType?: string;
}

interface KeyRecord extends SimulatedKmsKey {
  readonly privateKey?: KeyObject;
}

/** The curve and signing algorithm of each elliptic-curve key spec KMS offers. */
const EC_KEY_SPECS: Record<string, { curve: string; algorithm: string; hash: string; digestBytes: number }> = {
  ECC_NIST_P256: { curve: 'prime256v1', algorithm: 'ECDSA_SHA_256', hash: 'sha256', digestBytes: 32 },
  ECC_NIST_P384: { curve: 'secp384r1', algorithm: 'ECDSA_SHA_384', hash: 'sha384', digestBytes: 48 },
  ECC_NIST_P521: { curve: 'secp521r1', algorithm: 'ECDSA_SHA_512', hash: 'sha512', digestBytes: 64 },
};

/** The largest message KMS signs with `MessageType: RAW`; a longer one must be sent as its digest. */
export const KMS_MAX_RAW_MESSAGE_BYTES = 4096;

class KmsError extends AwsJsonError {}

/**
 * A minimal AWS KMS endpoint (AWS JSON 1.1 on 127.0.0.1) holding the keys of the stack's
 * `AWS::KMS::Key` stubs. An elliptic-curve key has a real key pair: GetPublicKey answers its
 * public half as DER SubjectPublicKeyInfo, and Sign signs with its private half (a DER ECDSA
 * signature, as KMS returns), so that tokens signed through it verify against the public key.
 *
 * Answers GetPublicKey and Sign, with KMS's errors for a key that does not exist, is pending
 * deletion, or has the wrong usage or algorithm. Sign takes a RAW message of 1 to 4,096 bytes, as
 * KMS does, or (P-384 keys) a DIGEST, which must be exactly as long as the algorithm's hash.
 * Symmetric keys exist but have no public half.
 */
export class KmsStub {
  public static async start(region: string, accountId: string): Promise<KmsStub> {
    const stub = new KmsStub(region, accountId);
    stub.server = await AwsJsonServer.start({
      targetPrefix: 'TrentService.',
      invoke: (operation, input) => stub.invoke(operation, input),
      unexpected: (message) => new AwsJsonError('KMSInternalException', message, 500),
      record: (exchange) => stub.record(exchange),
    });
    return stub;
  }

  public readonly requests: KmsRequest[] = [];
  private readonly keys = new Map<string, KeyRecord>();
  private server!: AwsJsonServer;

  private constructor(private readonly region: string, private readonly accountId: string) {}

  /** The base URL to give the SDK (`AWS_ENDPOINT_URL_KMS`). */
  public get endpoint(): string {
    return this.server.endpoint;
  }

  /** Every key, in creation order, without its private half. */
  public list(): SimulatedKmsKey[] {
    return [...this.keys.values()].map(({ privateKey: _private, ...key }) => key);
  }

  /** A key by ARN, key ID or the logical ID of the stub resource that created it. */
  public get(id: string): SimulatedKmsKey | undefined {
    return this.list().find((key) => key.arn === id || key.keyId === id || key.logicalId === id);
  }

  /** Creates a key, as an `AWS::KMS::Key` stub does; returns its key ID. */
  public create(logicalId: string, keySpec = 'SYMMETRIC_DEFAULT', keyUsage = 'ENCRYPT_DECRYPT'): string {
    const keyId = randomUUID();
    const ec = EC_KEY_SPECS[keySpec];
    const pair = ec ? generateKeyPairSync('ec', { namedCurve: ec.curve }) : undefined;
    this.keys.set(keyId, {
      keyId,
      arn: `arn:aws:kms:${this.region}:${this.accountId}:key/${keyId}`,
      logicalId,
      keySpec,
      keyUsage,
      keyState: 'Enabled',
      publicKey: pair?.publicKey,
      privateKey: pair?.privateKey,
    });
    return keyId;
  }

  /** What deleting the stack resource does: the key is scheduled for deletion and unusable. */
  public scheduleDeletion(keyId: string): void {
    const record = this.keys.get(keyId);
    if (record) {
      this.keys.set(keyId, { ...record, keyState: 'PendingDeletion' });
    }
  }

  public async stop(): Promise<void> {
    await this.server.stop();
  }

  private find(keyId: unknown): KeyRecord {
    const record = [...this.keys.values()].find((key) => key.arn === keyId || key.keyId === keyId);
    if (!record) {
      throw new KmsError('NotFoundException', `Key '${String(keyId)}' does not exist`);
    }
    if (record.keyState !== 'Enabled') {
      throw new KmsError('KMSInvalidStateException', `${record.arn} is pending deletion.`);
    }
    return record;
  }

  private invoke(operation: string, input: Record<string, unknown>): object {
    switch (operation) {
      case 'GetPublicKey': {
        const record = this.find(input.KeyId);
        if (!record.publicKey) {
          throw new KmsError('UnsupportedOperationException', `${record.arn} key usage is ENCRYPT_DECRYPT which is not valid for GetPublicKey.`);
        }
        return {
          KeyId: record.arn,
          PublicKey: record.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
          KeySpec: record.keySpec,
          KeyUsage: record.keyUsage,
          SigningAlgorithms: [EC_KEY_SPECS[record.keySpec].algorithm],
        };
      }
      case 'Sign': {
        const record = this.find(input.KeyId);
        const ec = EC_KEY_SPECS[record.keySpec];
        if (!record.privateKey || record.keyUsage !== 'SIGN_VERIFY') {
          throw new KmsError('InvalidKeyUsageException', `${record.arn} key usage is ${record.keyUsage} which is not valid for Sign.`);
        }
        if (input.SigningAlgorithm !== ec.algorithm) {
          throw new KmsError('InvalidKeyUsageException',
            `Algorithm ${String(input.SigningAlgorithm)} is incompatible with key spec ${record.keySpec}.`);
        }
        const messageType = input.MessageType ?? 'RAW';
        const message = Buffer.from(String(input.Message ?? ''), 'base64');
        let signature: Buffer;
        if (messageType === 'RAW') {
          if (message.length === 0 || message.length > KMS_MAX_RAW_MESSAGE_BYTES) {
            throw new KmsError('ValidationException',
              `1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length less than or equal to ${KMS_MAX_RAW_MESSAGE_BYTES}`);
          }
          signature = sign(ec.hash, message, record.privateKey);
        } else if (messageType === 'DIGEST') {
          if (message.length !== ec.digestBytes) {
            throw new KmsError('ValidationException', `Digest is invalid length for algorithm ${ec.algorithm}.`);
          }
          if (record.keySpec !== 'ECC_NIST_P384') {
            throw new KmsError('ValidationException', 'The stub signs digests with ECC_NIST_P384 keys only.');
          }
          signature = signP384Digest(message, record.privateKey);
        } else {
          throw new KmsError('ValidationException', `MessageType must be RAW or DIGEST, got ${String(messageType)}.`);
        }
        return {
          KeyId: record.arn,
          Signature: signature.toString('base64'),
          SigningAlgorithm: ec.algorithm,
        };
      }
      default:
        throw new KmsError('UnknownOperationException', `The stub does not implement ${operation}.`);
    }
  }

  private record({ operation, input, status, errorType }: AwsJsonExchange): void {
    this.requests.push({ operation, keyId: typeof input.KeyId === 'string' ? input.KeyId : undefined, status, errorType });
  }
}
