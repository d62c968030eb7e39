/*
 * The contract between the StageComposition construct and its function (lambda/runtime/composer.ts):
 * the environment the construct gives the function at deploy time, the event it is invoked with,
 * and what it answers.
 *
 * Shared with the function bundle: type declarations and constants only, no aws-cdk-lib.
 */

/** The names of the function's environment variables. */
export const COMPOSER_ENV = {
  /** The ARN of the one stage the function composes. */
  STAGE_ARN: 'STAGE_ARN',
  /**
   * JSON of `ComposerRequest`: the layout and destinations of StartComposition, as the API takes
   * them, without the stage and the idempotency token, which the function adds per session.
   */
  REQUEST: 'COMPOSITION_REQUEST',
  /**
   * What makes this composition different from another composition of the same stage (the
   * construct's path), part of the idempotency token: two compositions of one stage each start once.
   */
  COMPOSITION_KEY: 'COMPOSITION_KEY',
  /**
   * The bucket of the S3 destination's storage configuration, when the construct knows it at
   * deploy time; otherwise the function reads it with GetStorageConfiguration when a recording
   * completes. Absent without an S3 destination.
   */
  RECORDING_BUCKET: 'RECORDING_BUCKET',
} as const;

/**
 * The tags the function puts on each composition it starts, which say, when the composition's
 * session ends, which stage session and which StageComposition it was for.
 */
export const COMPOSITION_TAGS = {
  SESSION_ID: 'cdk-ivs-realtime:stage-session-id',
  COMPOSITION_KEY: 'cdk-ivs-realtime:composition-key',
} as const;

/**
 * The event the function puts on the default event bus when a composite recording is complete:
 * its composition's session ended (AWS: a recording is complete only after that event).
 */
export const RECORDING_COMPLETE_EVENT = {
  SOURCE: 'cdk-ivs-realtime',
  DETAIL_TYPE: 'IVS Composite Recording Complete',
} as const;

/** The `detail` of a recording-complete event. */
export interface RecordingCompleteDetail {
  readonly stageArn: string;
  readonly sessionId: string;
  readonly compositionArn: string;
  /** The bucket the recording is in. */
  readonly bucket: string;
  /** The key prefix of the recording's objects (`<prefix>/composite/media/hls/...`). */
  readonly recordingPrefix: string;
  /** The composition key of the StageComposition that started it. */
  readonly compositionKey: string;
}

/** The `detail` of an `IVS Composition State Change` event, as far as the function reads it. */
export interface CompositionStateChangeDetail {
  readonly event_name?: string;
  readonly stage_arn?: string;
}

/** The layout and destinations of StartComposition, as the construct wrote them. */
export interface ComposerRequest {
  readonly layout: Record<string, unknown>;
  readonly destinations: Array<Record<string, unknown>>;
}

/** The `detail` of an `IVS Stage Update` event, as far as the function reads it. */
export interface StageUpdateDetail {
  readonly event_name?: string;
  readonly session_id?: string;
  readonly participant_id?: string;
}

/** What one invocation did; also its log line. Never a token or a secret. */
export type ComposerOutcome =
  /** StartComposition answered with this composition (new, or the one the idempotency token already made). */
  | { readonly outcome: 'started'; readonly stageArn: string; readonly sessionId: string; readonly compositionArn: string }
  /** The session is not the stage's active session any more (or the stage has none): a late event. */
  | { readonly outcome: 'session-not-active'; readonly stageArn: string; readonly sessionId: string; readonly activeSessionId?: string }
  /** The composition's session ended, and its recording's location went onto the default event bus. */
  | { readonly outcome: 'recording-complete'; readonly stageArn: string; readonly sessionId: string; readonly compositionArn: string; readonly recordingPrefix: string }
  /** The event is not one the function acts on. */
  | { readonly outcome: 'ignored'; readonly reason: string };

/** The idempotency token's limits, those of StartComposition's `idempotencyToken`. */
export const IDEMPOTENCY_TOKEN = {
  maxLength: 64,
  pattern: /^[a-zA-Z0-9-_]*$/,
} as const;
