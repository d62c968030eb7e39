import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, errorBody } from './errors';
import { FaultInjector } from './faults';
import { Gate, GateOptions, Gates } from './gates';
import { invokeOperation, OperationContext } from './operations';
import { compositionView } from './operations/compositions';
import { encoderConfigurationView } from './operations/encoder-configurations';
import { ingestConfigurationView } from './operations/ingest-configurations';
import { publicKeyView } from './operations/public-keys';
import { stageOperations, stageView } from './operations/stages';
import { storageConfigurationView } from './operations/storage-configurations';
import { JoinedParticipant, joinStage } from './participants';
import { RateLimiter } from './rate-limit';
import { resolveRoute } from './routes';
import { checkCrossFieldRules } from './rules';
import { EndedComposition, endStageSession, startStageSession } from './sessions';
import { isInProgress, Quotas, Store } from './store';
import type { Fault, HeldRequest, IvsEmulator, RateLimitOptions, RecordedRequest, ResourceSnapshot } from './types';
import { validateInput, withoutNullMembers } from './validation';

type ParsedBody = { readonly ok: true; readonly value: unknown } | { readonly ok: false };

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string): ParsedBody {
  if (raw.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false };
  }
}

function queryRecord(params: URLSearchParams): Record<string, string[]> {
  const record: Record<string, string[]> = {};
  for (const [key, value] of params) (record[key] ??= []).push(value);
  return record;
}

/** The HTTP side of the emulator: one node:http server on 127.0.0.1, silent (it never writes to stdout/stderr). */
export class EmulatorServer implements IvsEmulator {
  public readonly requests: RecordedRequest[] = [];
  private readonly store = new Store();
  private readonly faults = new FaultInjector();
  private readonly gates = new Gates();
  private readonly server: Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly context: OperationContext;
  /** Responses held back by a `stall` fault, answered never; cut when the emulator stops. */
  private readonly stalled = new Set<ServerResponse>();
  private rateLimiter: RateLimiter | undefined;
  private port = 0;
  /** Requests a `hold` fault holds that `nextHeld` has not handed out yet, and callers waiting for one. */
  private readonly held: HeldRequest[] = [];
  private readonly heldWaiters: Array<(held: HeldRequest) => void> = [];

  constructor(public readonly accountId: string, public readonly region: string) {
    this.context = { store: this.store, accountId, region };
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    // Node closes a keep-alive connection idle for 5 s; a client that sends on it just then gets
    // ECONNRESET. A busy test process (hundreds of handler instances) stalls long enough for that to
    // happen now and then, which a service endpoint would not do: keep idle connections for a minute.
    this.server.keepAliveTimeout = 60_000;
  }

  public get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  public async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      // Room for a burst's connections at once (Node's default backlog, 511, drops the rest's
      // handshakes, which clients retry seconds later: a delay the real endpoint does not have).
      this.server.listen({ port, host: '127.0.0.1', backlog: 4096 }, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  public clearRequests(): void {
    this.requests.length = 0;
  }

  public registerBucket(bucketName: string, region: string = this.region): void {
    this.store.buckets.set(bucketName, region);
  }

  public injectFault(fault: Fault): void {
    this.faults.add(fault);
  }

  public hold(options: GateOptions): Gate {
    return this.gates.add(options);
  }

  public clearFaults(): void {
    this.faults.clear();
  }

  public nextHeld(): Promise<HeldRequest> {
    const held = this.held.shift();
    if (held) return Promise.resolve(held);
    return new Promise((resolve) => this.heldWaiters.push(resolve));
  }

  public setRateLimit(options: RateLimitOptions | undefined): void {
    this.rateLimiter = options === undefined ? undefined : new RateLimiter(options);
  }

  public setQuotas(quotas: Partial<Quotas>): void {
    for (const [name, value] of Object.entries(quotas)) {
      if (!(name in this.store.quotas)) throw new TypeError(`unknown quota ${name}; known: ${Object.keys(this.store.quotas).join(', ')}`);
      if (!(Number.isInteger(value) && value >= 0)) throw new TypeError(`quota ${name} must be a non-negative integer, got ${value}`);
    }
    Object.assign(this.store.quotas, quotas);
  }

  public seedTags(arn: string, tags: Record<string, string>): void {
    const record = this.store.findTaggable(arn);
    if (!record) throw new TypeError(`no resource has the ARN ${arn}`);
    Object.assign(record.tags, tags);
  }

  public seedStages(stages: ReadonlyArray<{ readonly name?: string; readonly tags?: Record<string, string> }>): string[] {
    return stages.map(({ name, tags }) => stageOperations.CreateStage(this.context, { name, tags }).stage.arn);
  }

  public reset(): void {
    this.store.clear();
    this.faults.clear();
    this.gates.clear();
    this.held.length = 0;
    this.heldWaiters.length = 0;
    this.rateLimiter = undefined;
    this.clearRequests();
  }

  public listResources(): ResourceSnapshot {
    return {
      stages: [...this.store.stages.values()].map(stageView),
      storageConfigurations: [...this.store.storageConfigurations.values()].map(storageConfigurationView),
      encoderConfigurations: [...this.store.encoderConfigurations.values()].map(encoderConfigurationView),
      ingestConfigurations: [...this.store.ingestConfigurations.values()].map(ingestConfigurationView),
      publicKeys: [...this.store.publicKeys.values()].map(publicKeyView),
    };
  }

  public joinStage(token: string, stageArn?: string): JoinedParticipant {
    return joinStage(this.store, token, stageArn);
  }

  public startStageSession(stageArn: string): string {
    return startStageSession(this.store, stageArn);
  }

  public endStageSession(stageArn: string): EndedComposition[] {
    return endStageSession(this.store, stageArn);
  }

  public compositions(stageArn?: string): EndedComposition[] {
    return [...this.store.compositions.values()]
      .filter((c) => isInProgress(c) && (stageArn === undefined || c.stageArn === stageArn))
      .map(compositionView);
  }

  public participants(stageArn?: string): JoinedParticipant[] {
    return this.store.participants.filter((p) => stageArn === undefined || p.stageArn === stageArn).map((p) => ({ ...p }));
  }

  public async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const res of this.stalled) res.destroy();
    this.stalled.clear();
    this.gates.clear();
    this.held.length = 0;
    this.heldWaiters.length = 0;
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    const queryStart = target.indexOf('?');
    const pathname = queryStart === -1 ? target : target.slice(0, queryStart);
    const searchParams = new URLSearchParams(queryStart === -1 ? '' : target.slice(queryStart + 1));
    let parsed: ParsedBody;
    try {
      parsed = parseBody(await readBody(req));
    } catch {
      res.destroy();
      return;
    }
    const route = resolveRoute(method, pathname, searchParams);
    const entry: RecordedRequest = {
      operation: route?.operation ?? 'Unknown',
      method,
      path: pathname,
      body: parsed.ok ? parsed.value : undefined,
      query: queryRecord(searchParams),
      status: 0,
    };
    this.requests.push(entry);

    let processed: (() => void) | undefined;
    try {
      if (!route) throw new ApiError('UnknownOperationException', `No operation matches ${method} ${pathname}.`);
      if (!await this.gates.pass(route.operation, parsed.ok ? parsed.value : undefined, res)) {
        entry.errorType = 'DroppedWhileHeld';
        return;
      }
      if (this.rateLimiter && !this.rateLimiter.take(route.operation)) throw new ApiError('ThrottlingException');
      if (this.faults.hold(route.operation)) {
        const hold = this.holdForRelease(route.operation, entry.body);
        processed = hold.processed;
        await hold.released;
      }
      const decision = this.faults.evaluate(route.operation);
      if (decision.delayMs > 0) await this.sleep(decision.delayMs);
      if (decision.failure) throw decision.failure;
      if (!parsed.ok) throw new ApiError('SerializationException', 'The request body is not valid JSON.');
      const raw = route.buildInput(parsed.value);
      validateInput(route.operation, raw);
      const input = withoutNullMembers(raw);
      checkCrossFieldRules(route.operation, input as never);
      const output = invokeOperation(route.operation, this.context, input as never);
      const lost = this.faults.loseAnswer(route.operation);
      if (lost !== undefined) {
        entry.lostAnswer = lost;
        this.loseAnswer(res, entry, lost);
        return;
      }
      this.respond(res, entry, 200, output);
    } catch (err) {
      const error = err instanceof ApiError
        ? err
        : new ApiError('InternalServerException', `Emulator bug: ${err instanceof Error ? err.message : String(err)}`);
      entry.errorType = error.errorType;
      this.respond(res, entry, error.status, errorBody(error), error.errorType);
    } finally {
      processed?.();
    }
  }

  /**
   * Holds a request until the test releases it: `released` resolves then, and the handling calls
   * `processed` once it has answered (or found no one waiting), which resolves the release.
   */
  private holdForRelease(operation: string, body: unknown): { released: Promise<void>; processed: () => void } {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => { release = resolve; });
    let processed: () => void = () => {};
    const done = new Promise<void>((resolve) => { processed = resolve; });
    const held: HeldRequest = {
      operation,
      body,
      release: () => {
        release();
        return done;
      },
    };
    const waiter = this.heldWaiters.shift();
    if (waiter) waiter(held);
    else this.held.push(held);
    return { released, processed };
  }

  /** The operation committed; its answer goes missing as `lost` says. */
  private loseAnswer(res: ServerResponse, entry: RecordedRequest, lost: 'internal' | 'reset' | 'stall'): void {
    switch (lost) {
      case 'internal': {
        const error = new ApiError('InternalServerException');
        entry.errorType = error.errorType;
        this.respond(res, entry, error.status, errorBody(error), error.errorType);
        break;
      }
      case 'reset':
        res.socket?.destroy();
        break;
      case 'stall':
        this.stalled.add(res);
        res.once('close', () => this.stalled.delete(res));
        break;
    }
  }

  private respond(res: ServerResponse, entry: RecordedRequest, status: number, body: object, errorType?: string): void {
    entry.status = status;
    const payload = JSON.stringify(body);
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(payload),
      'x-amzn-RequestId': randomUUID(),
    };
    if (errorType) headers['x-amzn-ErrorType'] = errorType;
    if (res.destroyed) return;
    res.writeHead(status, headers);
    res.end(payload);
  }
}
