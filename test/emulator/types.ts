import type { JoinedParticipant } from './participants';

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
}

/**
 * A fault applied to matching requests before validation, so a faulted request has no side effect.
 * `operation` undefined matches every operation; `times` undefined means the fault never wears off.
 */
export type Fault =
  | { kind: 'throttle'; operation?: string; times?: number }
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
  /** Drops all resources, buckets, faults and the request log. */
  reset(): void;
  listResources(): ResourceSnapshot;
  /**
   * A participant joins a stage with `token`, as through the IVS SDKs: the stage checks the token
   * (signature against the imported public key its `kid` names, or the service's key; expiry;
   * `resource` and `topic`; that it is for `stageArn`, when given) and refuses it with a
   * `JoinRefusedError` naming why.
   */
  joinStage(token: string, stageArn?: string): JoinedParticipant;
  /** Every participant that joined, in order. */
  participants(stageArn?: string): JoinedParticipant[];
  stop(): Promise<void>;
}
