import { KeyObject, randomBytes } from 'node:crypto';

/*
 * ECDSA over a digest someone else computed, as KMS signs with `MessageType: DIGEST`. Node's
 * crypto.sign always hashes what it is given, so the stand-ins sign digests here: P-384 only, the
 * curve of the token signing keys, in plain BigInt arithmetic (slow and not constant-time: test
 * code, never a real key). The signature is DER, as KMS returns it, and node:crypto's
 * `verify('sha384', message, publicKey, signature)` accepts it for the message the digest was of.
 */

const P384 = {
  p: BigInt('0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff'),
  a: BigInt('0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000fffffffc'),
  n: BigInt('0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973'),
  gx: BigInt('0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7'),
  gy: BigInt('0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f'),
};

type Point = { x: bigint; y: bigint } | undefined;

const mod = (value: bigint, m: bigint): bigint => ((value % m) + m) % m;

function inverse(value: bigint, m: bigint): bigint {
  let [a, b, x0, x1] = [mod(value, m), m, 1n, 0n];
  while (b !== 0n) {
    const q = a / b;
    [a, b] = [b, a - q * b];
    [x0, x1] = [x1, x0 - q * x1];
  }
  return mod(x0, m);
}

function add(p1: Point, p2: Point): Point {
  if (!p1) return p2;
  if (!p2) return p1;
  const { p, a } = P384;
  if (p1.x === p2.x && mod(p1.y + p2.y, p) === 0n) return undefined;
  const slope = p1.x === p2.x && p1.y === p2.y
    ? mod((3n * p1.x * p1.x + a) * inverse(2n * p1.y, p), p)
    : mod((p2.y - p1.y) * inverse(p2.x - p1.x, p), p);
  const x = mod(slope * slope - p1.x - p2.x, p);
  return { x, y: mod(slope * (p1.x - x) - p1.y, p) };
}

function multiply(k: bigint, point: Point): Point {
  let result: Point;
  let addend = point;
  for (let rest = k; rest > 0n; rest /= 2n) {
    if (rest % 2n === 1n) result = add(result, addend);
    addend = add(addend, addend);
  }
  return result;
}

const toBigInt = (bytes: Buffer): bigint => BigInt(`0x${bytes.toString('hex') || '0'}`);

function derInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if (bytes[0] >= 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

/** Signs a 48-byte SHA-384 digest with a P-384 private key: a DER ECDSA signature. */
export function signP384Digest(digest: Buffer, privateKey: KeyObject): Buffer {
  if (digest.length !== 48) {
    throw new Error(`a SHA-384 digest is 48 bytes, got ${digest.length}`);
  }
  const jwk = privateKey.export({ format: 'jwk' });
  if (jwk.crv !== 'P-384' || !jwk.d) {
    throw new Error('signP384Digest takes a P-384 private key');
  }
  const d = toBigInt(Buffer.from(jwk.d, 'base64url'));
  const e = toBigInt(digest);
  const { n } = P384;
  for (;;) {
    const k = mod(toBigInt(randomBytes(56)), n - 1n) + 1n;
    const r = mod(multiply(k, { x: P384.gx, y: P384.gy })!.x, n);
    const s = mod(inverse(k, n) * (e + r * d), n);
    if (r !== 0n && s !== 0n) {
      const body = Buffer.concat([derInteger(r), derInteger(s)]);
      return Buffer.concat([Buffer.from([0x30, body.length]), body]);
    }
  }
}
