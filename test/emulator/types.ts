import type { Gate, GateOptions } from './gates';
import type { JoinedParticipant } from './participants';
import type { EndedComposition } from './sessions';
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
  | { kind: 'failNth'; operation: string; n: number; errorType?: string; status?: number }
  | { kind: 'hold'; operation?: string; times?: number };

/**
 * A request a `hold` fault holds: received, neither processed nor answered, until the test
 * releases it. A client that gives up on it meanwhile (its request timeout) finds the operation
 * carried out all the same once it is released, as IVS may carry out a call whose caller has gone.
 */
export interface HeldRequest {
  readonly operation: string;
  /** The request's parsed JSON body. */
  readonly body: unknown;
  /** Processes the request (validation, its effect, its answer if anyone still waits) and resolves once it has. */
  release(): Promise<void>;
}

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
  /**
   * Holds the requests `options` names before IVS sees them, until the returned gate is released
   * (or `reset()`): an order made by construction, not by timing.
   */
  hold(options: GateOptions): Gate;
  injectFault(fault: Fault): void;
  clearFaults(): void;
  /**
   * The next request a `hold` fault holds that no earlier call returned, in arrival order, waiting
   * for it if it has not arrived yet. Held requests still held when the emulator stops are dropped.
   */
  nextHeld(): Promise<HeldRequest>;
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
  /**
   * Puts tags on a resource as AWS itself does, past TagResource's rules: CloudFormation's
   * `aws:cloudformation:*` tags on a resource an L1 made, which TagResource refuses. Not logged as
   * a request. Throws if no resource has the ARN.
   */
  seedTags(arn: string, tags: Record<string, string>): void;
  /**
   * Puts stages into the store as if they had been created earlier, by others, past the API: no
   * request is logged, no rate limit applies (the stage quota does). For a test whose account
   * already holds many stages. Returns their ARNs, in order.
   */
  seedStages(stages: ReadonlyArray<{ readonly name?: string; readonly tags?: Record<string, string> }>): string[];
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
  /**
   * A session starts on the stage (as when the first participant joins an idle stage), and GetStage
   * answers it as `activeSessionId`; a session in progress is answered as it is. Its ID: `st-` and 13 characters.
   */
  startStageSession(stageArn: string): string;
  /**
   * The stage's session ends (as a while after the last participant leaves): GetStage answers no
   * `activeSessionId`, and the stage's compositions end (state STOPPED; GetComposition still
   * answers them, and they no longer count against the quotas). Answers those compositions as
   * they ended, with their destinations' S3 recording prefixes.
   */
  endStageSession(stageArn: string): EndedComposition[];
  /** The compositions in progress, as GetComposition answers them, in the order they started. */
  compositions(stageArn?: string): EndedComposition[];
  /** Every participant that joined, in order. */
  participants(stageArn?: string): JoinedParticipant[];
  stop(): Promise<void>;
}
