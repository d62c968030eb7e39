import type { JoinedParticipant } from './participants';
import type { Quotas } from './store';

/** Options accepted by `startEmulator`. */
export interface EmulatorOptions {
  /** TCP port to listen on; 0 (the default) picks a free port. */
  readonly port?: number;
  /** Account ID used in generated ARNs and stream keys. Default '123456789012'. */
  readonly accountId?: string;
  /** Region used in generated ARNs and the default region of registered buckets. Default 'us-east-1'. */
  readonly region?: string;
}

/** One HTTP request received by the emulator, in arrival order. */
export interface RecordedRequest {
  /** Operation resolved from the route, e.g. 'CreateStage' or 'TagResource'; 'Unknown' when no route matched. */
  operation: string;
  method: string;
  /** Raw request path without the query string (the ARN in tag routes stays URL-encoded). */
  path: string;
  /** Parsed JSON body, or undefined when the body was empty or not valid JSON. */
  body: unknown;
  query: Record<string, string[]>;
  /** HTTP status of the response (0 while the request is still in flight). */
  status: number;
  /** Error shape name sent in `x-amzn-ErrorType`, for failed requests. */
  errorType?: string;
  /**
   * Set when an `afterCommit` fault took the answer of a request that succeeded: the operation's
   * effect is in the store, and the client got a 500 (`status` 500), a reset connection or no
   * answer at all (`status` stays 0).
   */
  lostAnswer?: LostAnswer;
}

/** How an `afterCommit` fault loses the answer of an operation that committed. */
export type LostAnswer = 'internal' | 'reset' | 'stall';

/** The rate-limit mode of `IvsEmulator.setRateLimit`. */
export interface RateLimitOptions {
  /**
   * Multiplies every operation's rate (reference §14: 5 per second, PublicKey operations 3, tag
   * operations 10, CreateParticipantToken 50), e.g. 4 for four times as many requests per second.
   * Default 1: the service's own rates.
   */
  readonly scale?: number;
}

/**
 * A fault applied to matching requests before validation, so a faulted request has no side effect;
 * but for `afterCommit`, which lets a request that succeeds commit its effect and then loses its
 * answer (`lose`): a 500 InternalServerException, a reset connection, or a stall (the response is
 * held until the client gives up or the emulator stops). An `afterCommit` fault fires only on a
 * request that succeeded; a request refused (validation, quota, rate limit) does not use it up.
 * `operation` undefined matches every operation; `times` undefined means the fault never wears off.
 */
export type Fault =
  | { kind: 'throttle'; operation?: string; times?: number }
  | { kind: 'afterCommit'; lose: LostAnswer; operation?: string; times?: number }
  | { kind: 'internal'; operation?: string; times?: number }
  | { kind: 'latency'; operation?: string; ms: number; times?: number }
  | { kind: 'failNth'; operation: string; n: number; errorType?: string; status?: number };

/** Deep copies of every stored resource, each in the shape its Get* operation returns. */
export interface ResourceSnapshot {
  stages: object[];
  storageConfigurations: object[];
  encoderConfigurations: object[];
  ingestConfigurations: object[];
  publicKeys: object[];
}

export interface IvsEmulator {
  /** Base URL to pass as the SDK `endpoint`, e.g. 'http://127.0.0.1:43123'. */
  readonly endpoint: string;
  readonly accountId: string;
  readonly region: string;
  /** Request log, in arrival order. */
  readonly requests: RecordedRequest[];
  clearRequests(): void;
  /** Declares an S3 bucket that CreateStorageConfiguration may use (region defaults to the emulator region). */
  registerBucket(bucketName: string, region?: string): void;
  injectFault(fault: Fault): void;
  clearFaults(): void;
  /**
   * Turns the rate-limit mode on (off by default): one token bucket per operation at the service's
   * rate times `scale` (see `RateLimitOptions`), holding one second's worth. A request over the
   * rate is answered 429 ThrottlingException "Rate exceeded", has no side effect and is logged
   * with status 429. `undefined` turns the mode off again.
   */
  setRateLimit(options: RateLimitOptions | undefined): void;
  /**
   * Changes resource quotas (reference §14: 5 storage configurations, 20 encoder configurations,
   * 100 ingest configurations, 3 public keys, 1,000 stages), e.g. for a test that makes 500 of each.
   */
  setQuotas(quotas: Partial<Quotas>): void;
  /** Drops all resources, buckets, faults and the request log; puts back the default quotas and turns the rate limit off. */
  reset(): void;
  listResources(): ResourceSnapshot;
  /**
   * A participant joins a stage with `token`, as through the IVS SDKs: the stage checks the token
   * (signature against the imported public key its `kid` names, or the service's key; expiry;
   * `resource` and `topic`; that it is for `stageArn`, when given) and refuses it with a
   * `JoinRefusedError` naming why.
   */
  joinStage(token: string, stageArn?: string): JoinedParticipant;
  /** Everyone on the stage leaves: its session ends, and it has no `activeSessionId` any more. */
  endStageSession(stageArn: string): void;
  /** Every participant that joined, in order. */
  participants(stageArn?: string): JoinedParticipant[];
  stop(): Promise<void>;
}
