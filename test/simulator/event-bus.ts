import { randomUUID } from 'node:crypto';
import { AwsJsonError, AwsJsonExchange, AwsJsonServer } from './aws-json-server';

/*
 * The default event bus of the simulated account, as far as the library's run-time functions use
 * it: events go in (from a test, as IVS would send them, or from a function's PutEvents), and the
 * stack's `AWS::Events::Rule` resources deliver them to their targets, a Lambda function invoked
 * asynchronously as EventBridge does: its EventInvokeConfig's retries, then its on-failure
 * destination with the request and the error.
 *
 * The pattern matcher here is only the delivery mechanism of the simulator: it covers what the
 * library's rules use (exact values, nested fields, `$or`, `exists`, `prefix`). Whether the
 * patterns mean what they should is checked against AWS's own engine, event-ruler
 * (test/event-patterns).
 */

/** An event on the bus, in EventBridge's envelope. */
export interface BusEvent {
  readonly 'version'?: string;
  readonly 'id'?: string;
  readonly 'detail-type': string;
  readonly 'source': string;
  readonly 'account'?: string;
  readonly 'time'?: string;
  readonly 'region'?: string;
  readonly 'resources'?: string[];
  readonly 'detail': Record<string, unknown>;
}

/** One delivery of an event to a rule's target. */
export interface Delivery {
  readonly ruleLogicalId: string;
  readonly targetArn: string;
  /** What the target got: the event, or what the rule's input transformer made of it. */
  readonly input: unknown;
  /** What the function answered, when the target is a function of the stack. */
  readonly result?: unknown;
  /** The error of its last attempt, when every attempt failed. */
  readonly error?: { errorType: string; errorMessage: string };
  /** How many times the function ran. */
  readonly attempts: number;
  /** Its logs, across attempts. */
  readonly logs: string[];
}

/** A record a failed asynchronous invocation leaves in its on-failure destination, as Lambda writes it. */
export interface DeadLetter {
  readonly destinationArn: string;
  readonly record: {
    readonly requestContext: { readonly functionArn: string; readonly condition: 'RetriesExhausted'; readonly approximateInvokeCount: number };
    readonly requestPayload: unknown;
    readonly responsePayload: { readonly errorType: string; readonly errorMessage: string };
  };
}

/** A rule of the stack, resolved. */
export interface BusRule {
  readonly logicalId: string;
  readonly pattern: Record<string, unknown>;
  readonly targets: Array<{ Arn: string; Input?: string; InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string } }>;
}

/** What one run of a function gave. */
export interface InvokeOutcome {
  readonly result?: unknown;
  readonly error?: { errorType: string; errorMessage: string };
  readonly logs: readonly string[];
}

/** What the bus needs of the simulator: the stack's rules, and running its functions. */
export interface BusHost {
  rules(): BusRule[];
  /** Runs the function `arn` once with `input`; undefined for an ARN that is not a function of the stack. */
  invoke(arn: string, input: unknown): Promise<InvokeOutcome | undefined>;
  /** The async invocation settings of function `arn`: retries (default 2) and the on-failure destination. */
  asyncConfig(arn: string): { retries: number; onFailure?: string };
}

/**
 * The bus, with a PutEvents endpoint (AWS JSON 1.1 on 127.0.0.1) for the functions' SDK clients.
 */
export class EventBusStub {
  public static async start(region: string, accountId: string): Promise<EventBusStub> {
    const bus = new EventBusStub(region, accountId);
    bus.server = await AwsJsonServer.start({
      targetPrefix: 'AWSEvents.',
      invoke: (operation, input) => bus.invoke(operation, input),
      unexpected: (message) => new AwsJsonError('InternalException', message, 500),
      record: (exchange) => bus.requests.push(exchange),
    });
    return bus;
  }

  /** Every event put on the bus, in order. */
  public readonly events: BusEvent[] = [];
  /** Every delivery to a target, in order. */
  public readonly deliveries: Delivery[] = [];
  /** What failed asynchronous invocations left in their on-failure destinations. */
  public readonly deadLetters: DeadLetter[] = [];
  /** The PutEvents requests the functions made. */
  public readonly requests: AwsJsonExchange[] = [];
  private readonly pending: BusEvent[] = [];
  private server!: AwsJsonServer;

  private constructor(private readonly region: string, private readonly accountId: string) {}

  public get endpoint(): string {
    return this.server.endpoint;
  }

  /**
   * Puts `event` on the bus and delivers it, then every event the targets put in turn, until none
   * is left; answers the deliveries this made, in order. One delivery at a time, in the order the
   * events came: a test builds the order it needs.
   */
  public async put(host: BusHost, event: BusEvent): Promise<Delivery[]> {
    this.pending.push(this.envelope(event));
    const made: Delivery[] = [];
    while (this.pending.length > 0) {
      const next = this.pending.shift()!;
      this.events.push(next);
      for (const rule of host.rules().filter((r) => matches(r.pattern, next))) {
        for (const target of rule.targets) {
          made.push(await this.deliver(host, rule, target, next));
        }
      }
    }
    this.deliveries.push(...made);
    return made;
  }

  public async stop(): Promise<void> {
    await this.server.stop();
  }

  private async deliver(host: BusHost, rule: BusRule, target: BusRule['targets'][number], event: BusEvent): Promise<Delivery> {
    const input = target.Input !== undefined ? JSON.parse(target.Input)
      : target.InputTransformer ? transform(target.InputTransformer, event)
        : event;
    const { retries, onFailure } = host.asyncConfig(target.Arn);
    const logs: string[] = [];
    let outcome: Awaited<ReturnType<BusHost['invoke']>>;
    let attempts = 0;
    do {
      outcome = await host.invoke(target.Arn, input);
      attempts++;
      logs.push(...outcome?.logs ?? []);
    } while (outcome?.error && attempts <= retries);
    if (outcome?.error && onFailure) {
      this.deadLetters.push({
        destinationArn: onFailure,
        record: {
          requestContext: { functionArn: target.Arn, condition: 'RetriesExhausted', approximateInvokeCount: attempts },
          requestPayload: input,
          responsePayload: outcome.error,
        },
      });
    }
    return {
      ruleLogicalId: rule.logicalId,
      targetArn: target.Arn,
      input,
      ...(outcome && 'result' in outcome ? { result: outcome.result } : {}),
      ...(outcome?.error ? { error: outcome.error } : {}),
      attempts: outcome ? attempts : 0,
      logs,
    };
  }

  private invoke(operation: string, input: Record<string, unknown>): object {
    if (operation !== 'PutEvents') {
      throw new AwsJsonError('UnknownOperationException', `the event bus stub does not serve ${operation}`);
    }
    type Entry = { Source: string; DetailType: string; Detail: string; Resources?: string[]; EventBusName?: string };
    const entries = (input.Entries ?? []) as Entry[];
    const results = entries.map((entry) => {
      if (entry.EventBusName !== undefined && entry.EventBusName !== 'default') {
        return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'only the default bus is simulated' };
      }
      const event = this.envelope({
        'source': entry.Source, 'detail-type': entry.DetailType, 'resources': entry.Resources ?? [], 'detail': JSON.parse(entry.Detail),
      });
      this.pending.push(event);
      return { EventId: event.id };
    });
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }

  private envelope(event: BusEvent): BusEvent {
    return {
      version: '0',
      id: randomUUID(),
      account: this.accountId,
      time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      region: this.region,
      resources: [],
      ...event,
    };
  }
}

/** Whether `event` matches `pattern`: every field of the pattern, and one branch of each `$or`. */
export function matches(pattern: Record<string, unknown>, event: unknown): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') {
      return (expected as Array<Record<string, unknown>>).some((branch) => matches(branch, event));
    }
    const actual = typeof event === 'object' && event !== null ? (event as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(expected)) {
      const values = Array.isArray(actual) ? actual : [actual];
      return expected.some((want) => matchesValue(want, values, actual !== undefined));
    }
    return actual !== undefined && matches(expected as Record<string, unknown>, actual);
  });
}

function matchesValue(want: unknown, values: unknown[], present: boolean): boolean {
  if (typeof want === 'object' && want !== null) {
    const rule = want as { exists?: boolean; prefix?: string };
    if (rule.exists !== undefined) return rule.exists === present;
    if (rule.prefix !== undefined) return values.some((v) => typeof v === 'string' && v.startsWith(rule.prefix!));
    throw new Error(`the event bus stub does not match ${JSON.stringify(want)}`);
  }
  return values.some((v) => v === want);
}

/** An input transformer's output: each `<name>` of the template replaced by the JSON value its path selects. */
function transform(transformer: { InputPathsMap?: Record<string, string>; InputTemplate: string }, event: BusEvent): unknown {
  let text = transformer.InputTemplate;
  for (const [name, pathExpression] of Object.entries(transformer.InputPathsMap ?? {})) {
    const value = pathExpression.replace(/^\$\.?/, '').split('.').filter(Boolean)
      .reduce<unknown>((node, part) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined), event);
    text = text.split(`<${name}>`).join(typeof value === 'string' ? value : JSON.stringify(value ?? null));
  }
  return JSON.parse(text);
}
