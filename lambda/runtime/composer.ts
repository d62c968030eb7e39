/*
 * The stage composer: a run-time function the library ships, pre-bundled, which an EventBridge rule
 * invokes (asynchronously) with the stage's `Participant Published` events, and which starts one
 * server-side composition per stage session.
 *
 * IVS events are best effort: duplicated, late, out of order. So the function
 * - keys its work by the stage session: the idempotency token is a hash of the composition's key,
 *   the stage and the session, so every event of one session asks for the same composition, and
 *   IVS answers a repeat with the composition the first request made;
 * - checks that the work still applies: a session that is not the stage's active session any more
 *   (an event hours late) gets no composition;
 * - retries what can succeed later (throttling and 5xx in the SDK, ConflictException here) within
 *   its time, and throws what cannot, so that Lambda sends the event and the error to the
 *   construct's dead-letter queue.
 *
 * Its configuration (the stage, the layout and the destinations) is in its environment; it makes
 * no discovery call beyond GetStage, which the session check needs. It logs stage, session and
 * composition IDs, never a token or a secret.
 */
import { createHash } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  GetCompositionCommand,
  GetStageCommand,
  GetStorageConfigurationCommand,
  IVSRealTimeClient,
  StartCompositionCommand,
  StartCompositionCommandInput,
} from '@aws-sdk/client-ivs-realtime';
import {
  COMPOSER_ENV,
  COMPOSITION_TAGS,
  ComposerOutcome,
  ComposerRequest,
  CompositionStateChangeDetail,
  IDEMPOTENCY_TOKEN,
  RECORDING_COMPLETE_EVENT,
  RecordingCompleteDetail,
  StageUpdateDetail,
} from '../../src/runtime/composer-contract';

/** The function's configuration: its environment, read and checked at each call. */
export interface ComposerConfig {
  readonly stageArn: string;
  readonly request: ComposerRequest;
  readonly compositionKey: string;
  readonly recordingBucket?: string;
}

/** An EventBridge event, as far as the function reads it. */
interface StageEvent {
  readonly 'detail-type'?: string;
  readonly 'resources'?: string[];
  readonly 'detail'?: StageUpdateDetail & CompositionStateChangeDetail;
}

/** What the Lambda context gives the function: how long it has left. */
interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

// Throttling and 5xx answers are retried by the SDK's standard strategy, with backoff.
const CLIENT_OPTIONS = {
  maxAttempts: 5,
  requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000, throwOnRequestTimeout: true },
};
const ivs = new IVSRealTimeClient(CLIENT_OPTIONS);
const eventBridge = new EventBridgeClient(CLIENT_OPTIONS);

/** How long a ConflictException retry waits first; doubled each time, up to `MAX_CONFLICT_DELAY_MS`. */
const FIRST_CONFLICT_DELAY_MS = 200;
const MAX_CONFLICT_DELAY_MS = 3_000;
/** What the function keeps in hand for its last attempt: one request timeout and a margin. */
const LAST_ATTEMPT_MS = 6_000;

/** Reads the configuration from `env`; a misconfigured function fails loudly, at its first call. */
export function readConfig(env: Record<string, string | undefined>): ComposerConfig {
  const stageArn = env[COMPOSER_ENV.STAGE_ARN];
  const requestJson = env[COMPOSER_ENV.REQUEST];
  const compositionKey = env[COMPOSER_ENV.COMPOSITION_KEY];
  const missing = [
    ...(stageArn ? [] : [COMPOSER_ENV.STAGE_ARN]),
    ...(requestJson ? [] : [COMPOSER_ENV.REQUEST]),
    ...(compositionKey ? [] : [COMPOSER_ENV.COMPOSITION_KEY]),
  ];
  if (missing.length > 0) {
    throw new Error(`the composer's environment lacks ${missing.join(', ')}`);
  }
  const request = JSON.parse(requestJson!) as ComposerRequest;
  if (!Array.isArray(request.destinations) || request.destinations.length === 0) {
    throw new Error(`${COMPOSER_ENV.REQUEST} must hold at least one destination`);
  }
  return { stageArn: stageArn!, request, compositionKey: compositionKey!, recordingBucket: env[COMPOSER_ENV.RECORDING_BUCKET] || undefined };
}

/**
 * The idempotency token of one composition of one stage session: 64 hex digits of a SHA-256, the
 * most StartComposition takes, within its pattern.
 */
export function idempotencyToken(compositionKey: string, stageArn: string, sessionId: string): string {
  const token = createHash('sha256').update(`${compositionKey}\n${stageArn}\n${sessionId}`).digest('hex');
  // Holds by construction; checked so that a change of hash cannot break the API's limits unnoticed.
  if (token.length > IDEMPOTENCY_TOKEN.maxLength || !IDEMPOTENCY_TOKEN.pattern.test(token)) {
    throw new Error('the idempotency token does not fit StartComposition');
  }
  return token;
}

/** The entry point: one EventBridge event. */
export async function handler(event: unknown, context?: InvocationContext): Promise<ComposerOutcome> {
  const config = readConfig(process.env);
  const outcome = await compose(config, event, context);
  console.log(JSON.stringify({ event: 'composer', ...outcome }));
  return outcome;
}

/**
 * Starts the session's composition on a Participant Published event; announces the recording on
 * the Session End event of a composition it started; ignores anything else.
 */
export async function compose(config: ComposerConfig, input: unknown, context?: InvocationContext): Promise<ComposerOutcome> {
  const event = (typeof input === 'object' && input !== null ? input : {}) as StageEvent;
  if (event['detail-type'] === 'IVS Composition State Change' && event.detail?.event_name === 'Session End') {
    return announceRecording(config, event);
  }
  if (event['detail-type'] !== 'IVS Stage Update' || event.detail?.event_name !== 'Participant Published') {
    return { outcome: 'ignored', reason: 'not a Participant Published or composition Session End event' };
  }
  if (!Array.isArray(event.resources) || !event.resources.includes(config.stageArn)) {
    return { outcome: 'ignored', reason: 'not an event of this stage' };
  }
  const sessionId = event.detail.session_id;
  if (typeof sessionId !== 'string' || sessionId.length === 0) {
    return { outcome: 'ignored', reason: 'the event has no session_id' };
  }

  const { stage } = await ivs.send(new GetStageCommand({ arn: config.stageArn }));
  const activeSessionId = stage?.activeSessionId;
  if (activeSessionId !== sessionId) {
    return {
      outcome: 'session-not-active', stageArn: config.stageArn, sessionId, ...(activeSessionId ? { activeSessionId } : {}),
    };
  }

  const input_: StartCompositionCommandInput = {
    stageArn: config.stageArn,
    idempotencyToken: idempotencyToken(config.compositionKey, config.stageArn, sessionId),
    layout: config.request.layout,
    destinations: config.request.destinations,
    tags: { [COMPOSITION_TAGS.SESSION_ID]: sessionId, [COMPOSITION_TAGS.COMPOSITION_KEY]: config.compositionKey },
  } as StartCompositionCommandInput;
  const { composition } = await startRetryingConflicts(input_, context);
  if (!composition?.arn) {
    throw new Error('the StartComposition response has no composition');
  }
  return { outcome: 'started', stageArn: config.stageArn, sessionId, compositionArn: composition.arn };
}

/** StartComposition, retried on ConflictException while the function has time for another attempt. */
async function startRetryingConflicts(input: StartCompositionCommandInput, context?: InvocationContext) {
  let delay = FIRST_CONFLICT_DELAY_MS;
  for (;;) {
    try {
      return await ivs.send(new StartCompositionCommand(input));
    } catch (error) {
      const remaining = context?.getRemainingTimeInMillis() ?? 0;
      if ((error as Error).name !== 'ConflictException' || remaining - delay < LAST_ATTEMPT_MS) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, MAX_CONFLICT_DELAY_MS);
    }
  }
}

/**
 * The composition's session ended: its recording is complete. Reads the composition (which IVS
 * keeps for a few minutes after it ends) for the session and the recording prefix its tags and S3
 * destination hold, and puts a recording-complete event on the default bus. A composition this
 * StageComposition did not start, or one without an S3 destination, is ignored.
 */
async function announceRecording(config: ComposerConfig, event: StageEvent): Promise<ComposerOutcome> {
  const stageArn = event.detail?.stage_arn ?? config.stageArn;
  const compositionArn = event.resources?.find((arn) => arn.includes(':composition/'));
  if (stageArn !== config.stageArn || !compositionArn) {
    return { outcome: 'ignored', reason: 'not a composition of this stage' };
  }
  const { composition } = await ivs.send(new GetCompositionCommand({ arn: compositionArn }));
  const tags = composition?.tags ?? {};
  const sessionId = tags[COMPOSITION_TAGS.SESSION_ID];
  if (tags[COMPOSITION_TAGS.COMPOSITION_KEY] !== config.compositionKey || !sessionId) {
    return { outcome: 'ignored', reason: 'not a composition this function started' };
  }
  const s3 = composition?.destinations?.find((destination) => destination.configuration?.s3);
  const recordingPrefix = s3?.detail?.s3?.recordingPrefix;
  if (!s3 || !recordingPrefix) {
    return { outcome: 'ignored', reason: 'the composition has no S3 recording' };
  }
  const bucket = config.recordingBucket ?? await bucketOf(s3.configuration!.s3!.storageConfigurationArn!);
  const detail: RecordingCompleteDetail = { stageArn, sessionId, compositionArn, bucket, recordingPrefix, compositionKey: config.compositionKey };
  const { FailedEntryCount, Entries } = await eventBridge.send(new PutEventsCommand({
    Entries: [{
      Source: RECORDING_COMPLETE_EVENT.SOURCE,
      DetailType: RECORDING_COMPLETE_EVENT.DETAIL_TYPE,
      Resources: [stageArn, compositionArn],
      Detail: JSON.stringify(detail),
    }],
  }));
  if (FailedEntryCount) {
    throw new Error(`PutEvents refused the recording-complete event: ${Entries?.[0]?.ErrorCode}: ${Entries?.[0]?.ErrorMessage}`);
  }
  return { outcome: 'recording-complete', stageArn, sessionId, compositionArn, recordingPrefix };
}

/** The bucket of a storage configuration the construct could not name at deploy time (an import). */
async function bucketOf(storageConfigurationArn: string): Promise<string> {
  const { storageConfiguration } = await ivs.send(new GetStorageConfigurationCommand({ arn: storageConfigurationArn }));
  const bucket = storageConfiguration?.s3?.bucketName;
  if (!bucket) {
    throw new Error(`the storage configuration ${storageConfigurationArn} names no bucket`);
  }
  return bucket;
}
