import { AsyncLocalStorage } from 'node:async_hooks';

/*
 * How long the handler keeps trying. A stack may create 500 resources at once against a control
 * plane that takes 5 requests per second per operation, so the last of them waits its turn for
 * most of a minute and more: a fixed number of attempts gives up too early for some and too late
 * for others. What bounds the retries is the invocation's own deadline, which each invocation
 * carries in its async context (Lambda runs one event per instance at a time, but the context
 * keeps two events apart wherever they do share one).
 */

/** The current invocation's deadline and start, epoch milliseconds. */
const invocation = new AsyncLocalStorage<{ readonly deadline: number; readonly started: number }>();

/**
 * Per-call limits of every SDK client of the handler bundle. `throwOnRequestTimeout` makes a call
 * that stalls fail at `requestTimeout`, so that it is retried; without it the SDK only logs a warning
 * and waits for the connection to drop.
 */
export const REQUEST_HANDLER = { connectionTimeout: 5_000, requestTimeout: 10_000, throwOnRequestTimeout: true } as const;

/**
 * The first retry waits up to this long, each further one up to twice as long as the one before,
 * and none more than MAX_DELAY_MS: the SDK's own values. A throttled call starts from the longer
 * base, so that hundreds of invocations waiting for their turn do not flood the control plane.
 */
export const BASE_DELAY_MS = 100;
export const THROTTLING_BASE_DELAY_MS = 500;
export const MAX_DELAY_MS = 20_000;

/**
 * A throttled call waits no more than this. Nothing coordinates the invocations of a burst, and
 * the control plane takes 5 requests per second: with waits of up to 20 s, the last few callers
 * of a burst sleep while its quota goes unused (a burst of 50 stages took 17.5 s where 10 s are
 * enough). With 5 s they take their turn within a few seconds of it, for about twice as many
 * refused calls, which cost IVS and the handler next to nothing.
 */
export const THROTTLING_MAX_DELAY_MS = 5_000;

/** Runs `work` with `deadline` (epoch milliseconds) as the time by which every call must have ended. */
export function withInvocationDeadline<T>(deadline: number, work: () => Promise<T>): Promise<T> {
  return invocation.run({ deadline, started: Date.now() }, work);
}

/** When the current invocation started (epoch milliseconds); undefined outside an invocation. */
export function invocationStarted(): number | undefined {
  return invocation.getStore()?.started;
}

/**
 * Milliseconds until the current invocation's deadline; Infinity outside an invocation (a unit
 * test calling a handler function directly).
 */
export function timeLeftMs(): number {
  const deadline = invocation.getStore()?.deadline;
  return deadline === undefined ? Infinity : deadline - Date.now();
}

/**
 * Whether an attempt that first waits `delayMs` still ends before the deadline, even if it runs
 * into the request timeout, and so do `thenCalls` calls after it.
 */
export function attemptFits(delayMs: number, thenCalls = 0): boolean {
  return delayMs + (1 + thenCalls) * (REQUEST_HANDLER.connectionTimeout + REQUEST_HANDLER.requestTimeout) <= timeLeftMs();
}

/** Full-jitter exponential backoff: a random wait up to `base` × 2^retry, capped at `max`. */
export function backoffMs(retry: number, base: number = BASE_DELAY_MS, max: number = MAX_DELAY_MS): number {
  return Math.random() * Math.min(max, base * 2 ** retry);
}

/** What the SDK tells a retry strategy about a failed attempt (its RetryErrorInfo). */
interface RetryErrorInfo {
  readonly errorType: 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR';
}

interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

/**
 * An SDK retry strategy (the SDK's RetryStrategyV2) that retries for as long as the invocation's
 * deadline allows, not a fixed number of times. The SDK's own strategies count attempts and share
 * a retry quota that a long queue of throttled calls drains.
 *
 * A throttled call is always retried: IVS refused it before doing anything. A call whose answer was
 * lost (a 5xx, a reset connection, a timeout) may have done its work: it is retried only by a client
 * whose calls can safely be made twice. Other errors are the caller's to handle.
 */
export class DeadlineRetryStrategy {
  public readonly mode = 'standard';

  /** @param retriesLostAnswers whether calls whose answer was lost are retried too */
  constructor(private readonly retriesLostAnswers: boolean) {}

  public async acquireInitialRetryToken(_scope: string): Promise<RetryToken> {
    return token(0, 0);
  }

  public async refreshRetryTokenForRetry(previous: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    const retryable = info.errorType === 'THROTTLING' || (this.retriesLostAnswers && isLostAnswer(info.errorType));
    const retry = previous.getRetryCount();
    const delay = info.errorType === 'THROTTLING'
      ? backoffMs(retry, THROTTLING_BASE_DELAY_MS, THROTTLING_MAX_DELAY_MS)
      : backoffMs(retry, BASE_DELAY_MS);
    if (!retryable || !attemptFits(delay)) {
      // The SDK then throws the error of the last attempt.
      throw new Error('no retry');
    }
    return token(retry + 1, delay);
  }

  public recordSuccess(_token: RetryToken): void {}
}

/** Whether an error type is one where the call may have done its work although its answer was lost. */
export function isLostAnswer(errorType: RetryErrorInfo['errorType']): boolean {
  return errorType === 'TRANSIENT' || errorType === 'SERVER_ERROR';
}

function token(retryCount: number, delay: number): RetryToken {
  return { getRetryCount: () => retryCount, getRetryDelay: () => delay };
}
