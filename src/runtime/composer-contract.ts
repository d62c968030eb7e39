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
} as const;

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
  /** The event is not a Participant Published event of this stage with a session. */
  | { readonly outcome: 'ignored'; readonly reason: string };

/** The idempotency token's limits, those of StartComposition's `idempotencyToken`. */
export const IDEMPOTENCY_TOKEN = {
  maxLength: 64,
  pattern: /^[a-zA-Z0-9-_]*$/,
} as const;
