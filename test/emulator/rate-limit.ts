import type { RateLimitOptions } from './types';

/**
 * The API rate quotas of the control plane, requests per second per operation per account
 * (reference §14, not adjustable): 5 for every Stage, StorageConfiguration, EncoderConfiguration,
 * IngestConfiguration and Composition operation (and, for want of a listed figure, the rest),
 * 3 for the PublicKey operations, 10 for the tag operations, 50 for CreateParticipantToken.
 */
export const DEFAULT_RATE_PER_SECOND = 5;

export const RATES_PER_SECOND: Readonly<Record<string, number>> = {
  ImportPublicKey: 3,
  GetPublicKey: 3,
  DeletePublicKey: 3,
  ListPublicKeys: 3,
  TagResource: 10,
  UntagResource: 10,
  ListTagsForResource: 10,
  CreateParticipantToken: 50,
};

/** The rate quota of one operation, requests per second, unscaled. */
export function ratePerSecond(operation: string): number {
  return RATES_PER_SECOND[operation] ?? DEFAULT_RATE_PER_SECOND;
}

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date, in milliseconds of `now()`. */
  updated: number;
}

/**
 * One token bucket per operation. A bucket holds one second's worth of requests (its rate; at least one), starts
 * full and refills continuously at its rate; a request takes one token, or is refused when there is
 * none. So a burst of up to `rate` requests passes at once and the sustained rate is `rate` per second.
 */
export class RateLimiter {
  private readonly scale: number;
  private readonly buckets = new Map<string, Bucket>();

  /** @param now a monotonic clock in milliseconds (tests may pass their own) */
  constructor(options: RateLimitOptions = {}, private readonly now: () => number = () => performance.now()) {
    const scale = options.scale ?? 1;
    if (!(Number.isFinite(scale) && scale > 0)) {
      throw new TypeError(`rate limit scale must be a positive number, got ${scale}`);
    }
    this.scale = scale;
  }

  /** The rate this limiter allows `operation`, requests per second. */
  public rate(operation: string): number {
    return ratePerSecond(operation) * this.scale;
  }

  /** Takes a token for one request of `operation`; false when the request is over the rate. */
  public take(operation: string): boolean {
    const rate = this.rate(operation);
    // A scale so small that a second's worth is under one request still lets one through now and then.
    const capacity = Math.max(1, rate);
    const now = this.now();
    let bucket = this.buckets.get(operation);
    if (!bucket) {
      bucket = { tokens: capacity, updated: now };
      this.buckets.set(operation, bucket);
    }
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updated) / 1000) * rate);
    bucket.updated = now;
    if (bucket.tokens < 1) {
      return false;
    }
    bucket.tokens -= 1;
    return true;
  }
}
