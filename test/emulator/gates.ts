import type { ServerResponse } from 'node:http';

/**
 * What a gate holds: requests of `operation` for which `holds(body)` is true, except the first
 * `passFirst` of them.
 */
export interface GateOptions {
  readonly operation: string;
  /** Which requests of the operation the gate holds, by their JSON body; default every one. */
  readonly holds?: (body: unknown) => boolean;
  /** How many matching requests pass before the gate starts holding; default 0. */
  readonly passFirst?: number;
}

/** A gate the test opens: until then, the requests it holds wait before IVS has seen them. */
export interface Gate {
  /** How many requests it holds now. */
  readonly held: number;
  /** Resolves once the gate holds `count` requests (at once). */
  whenHeld(count: number): Promise<void>;
  /** Resolves once `count` held requests have been dropped because their client closed the connection. */
  whenDropped(count: number): Promise<void>;
  /** Lets every held request through, and every later one; the gate is spent. */
  release(): void;
}

interface Waiting {
  readonly res: ServerResponse;
  /** Goes on (true), or drops the request (false). */
  readonly resume: (proceed: boolean) => void;
}

class OpenableGate implements Gate {
  public readonly waiting: Waiting[] = [];
  public open = false;
  private passed = 0;
  private dropped = 0;
  private readonly watchers: { met: () => boolean; resolve: () => void }[] = [];

  constructor(private readonly options: GateOptions) {}

  public get held(): number {
    return this.waiting.length;
  }

  public whenHeld(count: number): Promise<void> {
    return this.when(() => this.waiting.length >= count);
  }

  public whenDropped(count: number): Promise<void> {
    return this.when(() => this.dropped >= count);
  }

  /** Holds a request until the gate opens (true), or until its client closes the connection (false: drop it). */
  public wait(res: ServerResponse): Promise<boolean> {
    return new Promise((resume) => {
      const entry: Waiting = { res, resume };
      this.waiting.push(entry);
      res.once('close', () => {
        const index = this.waiting.indexOf(entry);
        if (index === -1) return;
        this.waiting.splice(index, 1);
        this.dropped += 1;
        resume(false);
        this.notify();
      });
      this.notify();
    });
  }

  public release(): void {
    this.open = true;
    for (const { resume } of this.waiting.splice(0)) resume(true);
  }

  private when(condition: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      this.watchers.push({ met: condition, resolve });
      this.notify();
    });
  }

  private notify(): void {
    for (const watcher of [...this.watchers]) {
      if (watcher.met()) {
        this.watchers.splice(this.watchers.indexOf(watcher), 1);
        watcher.resolve();
      }
    }
  }

  /** Whether it holds this request. */
  public takes(operation: string, body: unknown): boolean {
    if (this.open || operation !== this.options.operation || !(this.options.holds?.(body) ?? true)) return false;
    if (this.passed < (this.options.passFirst ?? 0)) {
      this.passed += 1;
      return false;
    }
    return true;
  }
}

/**
 * Gates, consulted first, before the rate limit and the faults: a held request has not reached
 * IVS, so it takes no rate and has no effect until its gate opens. One whose client gave up
 * meanwhile (the connection closed) is then dropped unprocessed, as a request IVS never received.
 * Tests use a gate to make an order happen by construction rather than by timing: "this refusal
 * comes while those creates are still running".
 */
export class Gates {
  private gates: OpenableGate[] = [];

  public add(options: GateOptions): Gate {
    const gate = new OpenableGate(options);
    this.gates.push(gate);
    return gate;
  }

  /** Opens every gate: what `reset()` and `stop()` do, so that no request stays held. */
  public clear(): void {
    for (const gate of this.gates.splice(0)) gate.release();
  }

  /** Resolves when the request may go on: true, or false when its client closed the connection while it was held. */
  public async pass(operation: string, body: unknown, res: ServerResponse): Promise<boolean> {
    const gate = this.gates.find((candidate) => candidate.takes(operation, body));
    if (!gate) return true;
    return gate.wait(res);
  }
}
