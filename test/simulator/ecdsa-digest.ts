import { KeyObject } from 'node:crypto';
import { p384 } from '@noble/curves/nist';

/*
 * ECDSA over a digest someone else computed, as KMS signs with `MessageType: DIGEST`. Node's
 * crypto.sign always hashes what it is given, so the stand-ins sign digests with @noble/curves
 * (`prehash: false`): P-384 only, the curve of the token signing keys. The signature is DER, as
 * KMS returns it, and node:crypto's `verify('sha384', message, publicKey, signature)` accepts it
 * for the message the digest was of.
 */

/** Signs a 48-byte SHA-384 digest with a P-384 private key: a DER ECDSA signature. */
export function signP384Digest(digest: Buffer, privateKey: KeyObject): Buffer {
  if (digest.length !== 48) {
    throw new Error(`a SHA-384 digest is 48 bytes, got ${digest.length}`);
  }
  const jwk = privateKey.export({ format: 'jwk' });
  if (jwk.crv !== 'P-384' || !jwk.d) {
    throw new Error('signP384Digest takes a P-384 private key');
  }
  const signature = p384.sign(digest, Buffer.from(jwk.d, 'base64url'), { prehash: false });
  return Buffer.from(signature.toBytes('der'));
}
