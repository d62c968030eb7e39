import { ApiError } from './errors';
import type { Fault, LostAnswer } from './types';

interface ActiveFault {
  readonly fault: Fault;
  /** Firings left; undefined = forever. */
  remaining?: number;
  /** failNth: matching calls seen since injection. */
  calls: number;
  spent: boolean;
}

/** What the faults say about one request: wait `delayMs`, then answer `failure` instead of processing it. */
export interface FaultDecision {
  readonly delayMs: number;
  readonly failure?: ApiError;
}

function checkFault(fault: Fault): void {
  const positiveInteger = (value: number | undefined) => value === undefined || (Number.isInteger(value) && value > 0);
  if (fault.kind !== 'failNth' && !positiveInteger(fault.times)) throw new TypeError(`fault.times must be a positive integer, got ${fault.times}`);
  if (fault.kind === 'latency' && !(fault.ms >= 0)) throw new TypeError(`fault.ms must be >= 0, got ${fault.ms}`);
  if (fault.kind === 'failNth' && !positiveInteger(fault.n)) throw new TypeError(`fault.n must be a positive integer, got ${fault.n}`);
  if (fault.kind === 'afterCommit' && !['internal', 'reset', 'stall'].includes(fault.lose)) {
    throw new TypeError(`fault.lose must be 'internal', 'reset' or 'stall', got ${String(fault.lose)}`);
  }
}

/** Faults in injection order; each request consults them before validation, so a faulted request has no side effect. */
export class FaultInjector {
  private active: ActiveFault[] = [];

  public add(fault: Fault): void {
    checkFault(fault);
    this.active.push({ fault: { ...fault }, remaining: fault.kind === 'failNth' ? undefined : fault.times, calls: 0, spent: false });
  }

  public clear(): void {
    this.active = [];
  }

  public evaluate(operation: string): FaultDecision {
    let delayMs = 0;
    let failure: ApiError | undefined;
    const fire = (entry: ActiveFault) => {
      if (entry.remaining !== undefined) {
        entry.remaining -= 1;
        entry.spent = entry.remaining <= 0;
      }
    };
    for (const entry of this.active) {
      const fault = entry.fault;
      if (fault.operation !== undefined && fault.operation !== operation) continue;
      switch (fault.kind) {
        case 'latency':
          delayMs += fault.ms;
          fire(entry);
          break;
        case 'failNth':
          entry.calls += 1;
          if (entry.calls === fault.n) {
            entry.spent = true;
            failure ??= new ApiError(fault.errorType ?? 'InternalServerException', undefined, fault.status);
          }
          break;
        case 'throttle':
        case 'internal':
          if (!failure) {
            failure = new ApiError(fault.kind === 'throttle' ? 'ThrottlingException' : 'InternalServerException');
            fire(entry);
          }
          break;
        case 'afterCommit':
          // Consulted once the request has committed: see loseAnswer.
          break;
        case 'hold':
          // Consulted before the other faults: see hold.
          break;
      }
    }
    this.active = this.active.filter((entry) => !entry.spent);
    return { delayMs, failure };
  }

  /**
   * Whether a request of `operation` is held until the test releases it: a `hold` fault matches
   * (the first one injected, which this uses up).
   */
  public hold(operation: string): boolean {
    const entry = this.active.find(({ fault }) => fault.kind === 'hold' && (fault.operation === undefined || fault.operation === operation));
    if (!entry) return false;
    if (entry.remaining !== undefined) {
      entry.remaining -= 1;
      if (entry.remaining <= 0) this.active = this.active.filter((active) => active !== entry);
    }
    return true;
  }

  /**
   * For a request of `operation` that succeeded: how its answer is lost, when an `afterCommit`
   * fault matches (the first one injected, which this uses up), or undefined.
   */
  public loseAnswer(operation: string): LostAnswer | undefined {
    const entry = this.active.find(({ fault }) => fault.kind === 'afterCommit' && (fault.operation === undefined || fault.operation === operation));
    if (!entry || entry.fault.kind !== 'afterCommit') return undefined;
    if (entry.remaining !== undefined) {
      entry.remaining -= 1;
      if (entry.remaining <= 0) this.active = this.active.filter((active) => active !== entry);
    }
    return entry.fault.lose;
  }
}
