/*
 * The burst driver: many events of one resource type at once, the way CloudFormation sends them for
 * a big stack and Lambda runs them.
 *
 *   const emu = await startEmulator();
 *   const driver = await BurstDriver.start({ emulator: emu, timeScale: 10 });
 *   const created = await driver.createStack(STAGE_RESOURCE_TYPE, resources);   // N creates at once
 *   created.status; created.events; created.wallTimeMs; created.calls.perResource
 *   const deleted = await driver.deleteStack(STAGE_RESOURCE_TYPE, created.deployed);
 *   await driver.stop(); await emu.stop();
 *
 * What it reproduces:
 * - Lambda: each concurrent invocation runs in an instance of its own, one copy of the code with
 *   its own module scope (the handler's SDK clients), loaded the first time an instance is needed
 *   and reused once idle, as Lambda reuses warm instances. Each copy is the real bundle inside
 *   aws-cdk-lib's response wrapper (`__entrypoint__.js`), whose response PUT the driver captures.
 *   The context's `getRemainingTimeInMillis()` counts down from the function's timeout
 *   (HANDLER_TIMEOUT, as the constructs set it). An invocation past its timeout counts as timed out
 *   (no response) and its instance is never reused, as Lambda starts a new one; the driver cannot
 *   stop its code, which keeps running in the background (in Lambda it would be frozen or killed).
 * - CloudFormation: every event of the operation is sent at once, with distinct RequestIds and
 *   LogicalResourceIds, the ResourceProperties string-typed with ServiceToken and ServiceTimeout,
 *   as the constructs produce them. A response is taken when it is PUT, while the invocation may
 *   still run; one that does not come within min(timeout, ServiceTimeout) fails the resource. The CloudFormation stub shows each resource's status to
 *   DescribeStackResource: CREATE_IN_PROGRESS, CREATE_COMPLETE, CREATE_FAILED, DELETE_..., UPDATE_...
 * - The create-failure rollback (aws/aws-cdk#26139): when a create fails, CloudFormation cancels
 *   the creates still in flight: it ignores what they answer from then on, marks them
 *   CREATE_FAILED and at once sends each a Delete with a physical ID it made up
 *   (`<stackName>-<LogicalId>-<12 upper-case letters and digits>`), while the create may still be
 *   running; the creates that completed get a Delete with their physical ID, the failed one with
 *   the ID its response gave. Every Delete carries the ResourceProperties of the Create.
 * - The time scale k: the emulator's rates × k, the function's timeout and ServiceTimeout ÷ k, so
 *   that N / rate (the least time N calls can take) keeps its ratio to the time a handler has.
 *   What the handler itself counts in seconds (its deadline margin, the SDK's backoff and
 *   request timeouts) is not scaled: keep k small enough that the scaled timeout stays well
 *   above them.
 *
 * Not modelled: Lambda's retries of an invocation that timed out, the rollback of a failed update,
 * dependencies between the resources (a burst is of independent resources of one type).
 *
 * The instances live in child processes (burst-host.ts), spread over `processes` of them: hundreds
 * of copies of the bundle in one process, the emulator's among them, share one event loop and one
 * heap, and fall behind their own timeouts, where each Lambda instance has a CPU of its own. Each
 * host runs with the function's environment (the stand-ins' endpoints); the driver's own process
 * environment and console are left alone.
 */
import { ChildProcess, fork } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CloudFormationCustomResourceDeleteEvent, CloudFormationCustomResourceEvent } from 'aws-lambda';
import { buildSync } from 'esbuild';
import type { FromHost, ToHost } from './burst-host';
import { CloudFormationStub, ResourceStatus } from './cloudformation';
import { buildRequest, judgeResponse } from './custom-resource-protocol';
import { Environment, handlerEnvironment, lambdaEnvironment, LambdaFunction } from './handler-runner';
import { KmsStub } from './kms';
import { SecretsManagerStub } from './secrets-manager';
import type { CustomResourceResponse, RequestType } from './types';
import { HANDLER_TIMEOUT, SERVICE_TIMEOUT } from '../../src/custom-resources/ivs-handler-provider';
import type { IvsEmulator, RecordedRequest } from '../emulator';

/** The handler bundle that `npx projen bundle` writes, with the response wrapper beside it. */
export const HANDLER_CODE_DIRECTORY = path.join(__dirname, '..', '..', 'assets', 'lambda', 'handler');

/** aws-cdk-lib's response wrapper, for a code directory that has none of its own (a test fixture). */
const RESPONSE_WRAPPER = path.join(
  path.dirname(require.resolve('aws-cdk-lib/package.json')),
  'custom-resource-handlers', 'dist', 'core', 'nodejs-entrypoint-handler', 'index.js',
);
const WRAPPER_FILE = '__entrypoint__.js';

/** The host process's source; the driver bundles it (esbuild) into its work directory. */
const HOST_SOURCE = path.join(__dirname, 'burst-host.ts');

/** Upper-case letters and digits, as in the physical IDs CloudFormation makes up. */
const MADE_UP_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export interface BurstDriverOptions {
  readonly emulator: IvsEmulator;
  /**
   * k: the emulator's rates × k and the function's timeout and ServiceTimeout ÷ k (see the header).
   * @default 1
   */
  readonly timeScale?: number;
  /**
   * Whether the driver turns the emulator's rate-limit mode on, at the service's rates × k.
   * @default true
   */
  readonly rateLimit?: boolean;
  /** The function's timeout before scaling. @default HANDLER_TIMEOUT */
  readonly functionTimeoutSeconds?: number;
  /** CloudFormation's ServiceTimeout before scaling, sent as the ServiceTimeout property. @default SERVICE_TIMEOUT */
  readonly serviceTimeoutSeconds?: number;
  /** The function's code: `index.js`, with or without a `__entrypoint__.js`. @default the handler bundle */
  readonly codeDirectory?: string;
  /** @default 'Burst' */
  readonly stackName?: string;
  /**
   * The most processes the instances are spread over (instance i runs in process i mod this).
   * @default 8
   */
  readonly processes?: number;
  /**
   * How long a report waits at most for the operation to settle (every invocation ended, the
   * emulator quiet for a second), in seconds. @default the scaled function timeout + 30
   */
  readonly settleLimitSeconds?: number;
}

/** A resource of the burst: its logical ID and its properties as the construct would give them (strings), ServiceToken aside. */
export interface BurstResource {
  readonly logicalId: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** A resource CloudFormation holds as created. */
export interface DeployedBurstResource extends BurstResource {
  readonly physicalId: string;
}

/** Where a request belongs: the operation's own events, or the rollback of a failed create burst. */
export type BurstPhase = 'deploy' | 'rollback' | 'destroy' | 'update';

/** What CloudFormation made of one request. */
export interface BurstEvent {
  readonly phase: BurstPhase;
  readonly requestType: RequestType;
  readonly logicalId: string;
  readonly request: CloudFormationCustomResourceEvent;
  /**
   * SUCCESS or FAILED as CloudFormation judged the response (FAILED too when none came in time);
   * CANCELLED for a create that the rollback cancelled before it answered.
   */
  readonly outcome: 'SUCCESS' | 'FAILED' | 'CANCELLED';
  /** CloudFormation's reason for a FAILED outcome. */
  readonly reason?: string;
  /** What the handler answered, if it did, even after its create was cancelled. */
  readonly response?: CustomResourceResponse;
  /** Milliseconds from the start of the operation to the request being sent. */
  readonly startedMs: number;
  /** ... to CloudFormation's verdict (for a cancelled create: the cancellation). */
  readonly decidedMs: number;
  /** ... to the end of the invocation (the handler returned, or its timeout passed); undefined if it had not ended when the operation settled. */
  readonly finishedMs?: number;
  readonly timedOut: boolean;
  /** The instance (copy of the code) the invocation ran in, numbered from 1. */
  readonly instance: number;
  /** The wrapper's log lines and the handler's console output. */
  readonly logs: readonly string[];
}

/** IVS calls the operation made, from the emulator's request log. */
export interface CallCounts {
  readonly total: number;
  /** total / number of resources of the operation. */
  readonly perResource: number;
  /** Requests answered 429. */
  readonly throttled: number;
  /** Operation → HTTP status (0: no answer) → count. */
  readonly byOperation: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export type BurstStatus =
  | 'CREATE_COMPLETE' | 'ROLLBACK_COMPLETE' | 'ROLLBACK_FAILED'
  | 'UPDATE_COMPLETE' | 'UPDATE_FAILED'
  | 'DELETE_COMPLETE' | 'DELETE_FAILED';

/** The outcome of one burst operation. */
export interface BurstReport {
  readonly status: BurstStatus;
  /** Every request, the operation's own in the order of its resources, then the rollback's. */
  readonly events: readonly BurstEvent[];
  /** What CloudFormation holds as created after the operation, in the order of the operation's resources. */
  readonly deployed: readonly DeployedBurstResource[];
  /** Milliseconds from the first request to CloudFormation's verdict on the last (the stack operation's duration). */
  readonly wallTimeMs: number;
  /**
   * Milliseconds until every invocation of the operation had ended (cancelled creates included)
   * and the emulator had no request in flight and none new for a while; undefined if that did not
   * happen within the settle limit.
   */
  readonly settledMs?: number;
  readonly calls: CallCounts;
}

/** The emulator's request log as far as this operation goes. */
interface LogWindow {
  readonly requests: RecordedRequest[];
  readonly from: number;
}

interface Instance {
  readonly id: number;
  readonly host: Host;
  busy: boolean;
  /** Timed out: Lambda would start a new instance, so this one is never reused. */
  retired: boolean;
}

/** What the driver hears of one invocation running in a host. */
interface InvocationSink {
  readonly logs: string[];
  readonly responseBodies: string[];
  /** A body was PUT. */
  readonly answered: () => void;
  readonly end: () => void;
}

/**
 * One invocation as far as CloudFormation's wait goes: until its first answer, or its end, or the
 * end of the wait. `ended` resolves when the handler really ends, which may be after its answer.
 */
interface Invocation {
  readonly instance: number;
  /** The bodies PUT before CloudFormation's wait ended. */
  readonly responseBodies: readonly string[];
  /** Every body PUT, later ones included. */
  readonly allResponseBodies: readonly string[];
  readonly logs: string[];
  readonly timedOut: boolean;
  /** When the invocation ended, if it had ended by its answer. */
  readonly finishedAt?: number;
  readonly ended: Promise<number>;
}

/** Mutable while the operation runs, frozen into a BurstEvent at its end. */
interface Tracked {
  phase: BurstPhase;
  request: CloudFormationCustomResourceEvent;
  outcome?: BurstEvent['outcome'];
  reason?: string;
  response?: CustomResourceResponse;
  startedAt: number;
  decidedAt?: number;
  finishedAt?: number;
  timedOut: boolean;
  instance: number;
  logs: string[];
}

/** Drives bursts of custom-resource events against the real handler bundle. See the header. */
export class BurstDriver {
  public static async start(options: BurstDriverOptions): Promise<BurstDriver> {
    const { emulator } = options;
    const secrets = await SecretsManagerStub.start(emulator.region, emulator.accountId);
    const kms = await KmsStub.start(emulator.region, emulator.accountId);
    const cloudFormation = await CloudFormationStub.start();
    return new BurstDriver(options, secrets, kms, cloudFormation);
  }

  /** k. */
  public readonly timeScale: number;
  /** The function the events go to, its timeout scaled. */
  public readonly fn: LambdaFunction;
  /** CloudFormation's wait for a response, scaled, in milliseconds: min(timeout, ServiceTimeout) / k. */
  public readonly responseWaitMs: number;

  private readonly emulator: IvsEmulator;
  private readonly stackName: string;
  private currentStackId: string;
  /** Scaled. */
  private readonly serviceTimeoutSeconds: number;
  private readonly codeDirectory: string;
  private readonly settleLimitMs: number;
  private readonly workDirectory: string;
  private readonly instances: Instance[] = [];
  private readonly hosts: Host[] = [];
  private readonly processes: number;
  /** The hosts' environment: the function's, with the stand-ins' endpoints. */
  private readonly hostEnvironment: NodeJS.ProcessEnv;
  /** The bundled host script. */
  private readonly hostScript: string;
  /** Console output from outside any invocation (or that lost its async context). */
  private readonly strayLogs: string[] = [];
  /** Handlers still running, across operations. */
  private readonly running = new Set<Promise<number>>();
  private readonly sinks = new Map<number, InvocationSink>();
  private invocations = 0;

  private constructor(
    options: BurstDriverOptions,
    /** The Secrets Manager stub: create the secrets the resources name (an ingest configuration's, a generated key's). */
    public readonly secrets: SecretsManagerStub,
    public readonly kms: KmsStub,
    /** The CloudFormation stub: each resource's status, as DescribeStackResource shows it. */
    public readonly cloudFormation: CloudFormationStub,
  ) {
    this.emulator = options.emulator;
    this.timeScale = options.timeScale ?? 1;
    if (!(Number.isFinite(this.timeScale) && this.timeScale > 0)) {
      throw new TypeError(`timeScale must be a positive number, got ${this.timeScale}`);
    }
    this.stackName = options.stackName ?? 'Burst';
    this.currentStackId = `arn:aws:cloudformation:${this.emulator.region}:${this.emulator.accountId}:stack/${this.stackName}/${randomUUID()}`;
    this.codeDirectory = options.codeDirectory ?? HANDLER_CODE_DIRECTORY;
    if (!fs.existsSync(path.join(this.codeDirectory, 'index.js'))) {
      throw new Error(`no index.js in ${this.codeDirectory}: run \`npx projen bundle\` first`);
    }
    // CloudFormation takes whole seconds.
    this.serviceTimeoutSeconds = Math.max(1, Math.round((options.serviceTimeoutSeconds ?? SERVICE_TIMEOUT.toSeconds()) / this.timeScale));
    const timeoutSeconds = (options.functionTimeoutSeconds ?? HANDLER_TIMEOUT.toSeconds()) / this.timeScale;
    const name = `${this.stackName}-IvsHandler`;
    this.fn = {
      name,
      arn: `arn:aws:lambda:${this.emulator.region}:${this.emulator.accountId}:function:${name}`,
      codeDirectory: this.codeDirectory,
      handler: '__entrypoint__.handler',
      timeoutSeconds,
      memorySize: 256,
      environment: {},
    };
    this.responseWaitMs = Math.min(timeoutSeconds, this.serviceTimeoutSeconds) * 1000;
    this.settleLimitMs = (options.settleLimitSeconds ?? timeoutSeconds + 30) * 1000;
    if (options.rateLimit ?? true) {
      this.emulator.setRateLimit({ scale: this.timeScale });
    }

    this.processes = options.processes ?? 8;
    if (!(Number.isInteger(this.processes) && this.processes > 0)) {
      throw new TypeError(`processes must be a positive integer, got ${this.processes}`);
    }

    this.workDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ivs-burst-'));
    this.hostEnvironment = withEnvironment(process.env, {
      ...handlerEnvironment(this.emulator.region, {
        ivsRealtime: this.emulator.endpoint,
        secretsManager: secrets.endpoint,
        kms: kms.endpoint,
        cloudFormation: cloudFormation.endpoint,
      }, path.join(this.workDirectory, 'no-such-file')),
      ...lambdaEnvironment(this.fn),
    });
    this.hostScript = path.join(this.workDirectory, 'host.js');
    buildSync({ entryPoints: [HOST_SOURCE], outfile: this.hostScript, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
  }

  /** Instances (copies of the code) loaded so far: the most invocations that ran at once. */
  public get instanceCount(): number {
    return this.instances.length;
  }

  /** Console output that no invocation claimed. */
  public get unclaimedLogs(): readonly string[] {
    return this.strayLogs;
  }

  /**
   * Loads instances until `count` are idle. Every operation does so for the invocations it may need
   * before its clock starts: loading a copy takes a host tens of milliseconds, which hundreds of
   * instances starting at once would serialize, where Lambda starts them side by side.
   */
  public async warm(count: number): Promise<void> {
    const idle = this.instances.filter((instance) => !instance.busy && !instance.retired).length;
    await Promise.all(Array.from({ length: Math.max(0, count - idle) }, () => this.loadInstance()));
  }

  /** Later operations belong to a new stack (a new stack ID), as after a stack was deleted and deployed again. */
  public newStack(): string {
    this.currentStackId = `arn:aws:cloudformation:${this.emulator.region}:${this.emulator.accountId}:stack/${this.stackName}/${randomUUID()}`;
    return this.currentStackId;
  }

  /** The stack's ID, as in every request. */
  public get stackId(): string {
    return this.currentStackId;
  }

  /**
   * Creates every resource at once. When one fails, rolls back as CloudFormation does (see the
   * header); the report's `deployed` is then what the rollback could not delete. `onRollback` is
   * called once the rollback has begun: every create still running is cancelled and every Delete
   * sent (a test opens an emulator gate there, so that creates it held are sure to be cancelled);
   * `onRolledBack` once every Delete of the rollback has answered, before the cancelled creates
   * are waited for. Tests order events with them by construction, not by delays.
   */
  public async createStack(
    resourceType: string,
    resources: readonly BurstResource[],
    hooks: { readonly onRollback?: () => void; readonly onRolledBack?: () => void } = {},
  ): Promise<BurstReport> {
    // One instance per create, and one per Delete a rollback may send while the creates still run.
    await this.warm(2 * resources.length);
    const start = performance.now();
    const window = this.logWindow();
    const creates = resources.map((resource) => this.track('deploy', 'Create', resourceType, resource));
    const completed = new Map<string, DeployedBurstResource>();
    const rollback: Promise<Tracked>[] = [];
    let rollingBack = false;
    // Each create's verdict: its response judged, or its cancellation.
    const decisions = creates.map(() => deferred());

    const startRollback = () => {
      rollingBack = true;
      for (const [index, create] of creates.entries()) {
        const resource = resources[index];
        if (create.outcome === undefined) {
          // Cancelled: what it answers from now on is ignored.
          create.outcome = 'CANCELLED';
          create.decidedAt = performance.now();
          decisions[index].resolve();
          const madeUp = this.madeUpPhysicalId(resource.logicalId);
          this.showStatus(resource.logicalId, resourceType, 'CREATE_FAILED', madeUp);
          rollback.push(this.runDelete('rollback', resourceType, { ...resource, physicalId: madeUp }));
        } else if (create.outcome === 'SUCCESS') {
          rollback.push(this.runDelete('rollback', resourceType, completed.get(resource.logicalId)!));
        } else {
          rollback.push(this.runDelete('rollback', resourceType, {
            ...resource, physicalId: create.response?.PhysicalResourceId ?? this.madeUpPhysicalId(resource.logicalId),
          }));
        }
      }
      completed.clear();
      hooks.onRollback?.();
    };

    creates.forEach((create, index) => {
      const resource = resources[index];
      this.showStatus(resource.logicalId, resourceType, 'CREATE_IN_PROGRESS');
      void this.run(create).then((invocation) => {
        if (create.outcome === 'CANCELLED') {
          return;
        }
        const verdict = this.judge(create, invocation);
        if (verdict.ok) {
          create.outcome = 'SUCCESS';
          completed.set(resource.logicalId, { ...resource, physicalId: verdict.response.PhysicalResourceId });
          this.showStatus(resource.logicalId, resourceType, 'CREATE_COMPLETE', verdict.response.PhysicalResourceId);
        } else {
          create.outcome = 'FAILED';
          create.reason = verdict.reason;
          this.showStatus(resource.logicalId, resourceType, 'CREATE_FAILED', verdict.response?.PhysicalResourceId);
          if (!rollingBack) {
            startRollback();
          }
        }
        decisions[index].resolve();
      });
    });
    await Promise.all(decisions.map((decision) => decision.promise));
    // Every Delete of the rollback was sent by now: it starts with the first failed create's verdict.
    const rolledBack = await Promise.all(rollback);
    const wallTimeMs = performance.now() - start;
    if (rollingBack) {
      hooks.onRolledBack?.();
    }

    const failed = rolledBack.filter((event) => event.outcome !== 'SUCCESS');
    const status: BurstStatus = !rollingBack ? 'CREATE_COMPLETE' : failed.length === 0 ? 'ROLLBACK_COMPLETE' : 'ROLLBACK_FAILED';
    const deployed = rollingBack
      ? failed.map((event) => ({
        logicalId: event.request.LogicalResourceId,
        properties: this.userProperties(event.request),
        physicalId: (event.request as CloudFormationCustomResourceDeleteEvent).PhysicalResourceId,
      }))
      : resources.flatMap((resource) => completed.get(resource.logicalId) ?? []);
    return this.report(status, start, window, [...creates, ...rolledBack], deployed, wallTimeMs, resources.length);
  }

  /** Deletes every resource at once, as a stack deletion does. */
  public async deleteStack(resourceType: string, resources: readonly DeployedBurstResource[]): Promise<BurstReport> {
    await this.warm(resources.length);
    const start = performance.now();
    const window = this.logWindow();
    const events = await Promise.all(resources.map((resource) => this.runDelete('destroy', resourceType, resource)));
    const wallTimeMs = performance.now() - start;
    const remaining = resources.filter((_, index) => events[index].outcome !== 'SUCCESS');
    return this.report(remaining.length === 0 ? 'DELETE_COMPLETE' : 'DELETE_FAILED', start, window, events, remaining, wallTimeMs, resources.length);
  }

  /**
   * Updates every resource at once to the properties `change` gives it. A failed update is
   * reported (UPDATE_FAILED); its rollback is not modelled.
   */
  public async updateStack(
    resourceType: string,
    resources: readonly DeployedBurstResource[],
    change: (resource: DeployedBurstResource) => Record<string, unknown>,
  ): Promise<BurstReport> {
    await this.warm(resources.length);
    const start = performance.now();
    const window = this.logWindow();
    const updated = await Promise.all(resources.map(async (resource) => {
      const properties = change(resource);
      const update = this.track('update', 'Update', resourceType, { logicalId: resource.logicalId, properties }, resource);
      this.showStatus(resource.logicalId, resourceType, 'UPDATE_IN_PROGRESS');
      const verdict = this.judge(update, await this.run(update));
      update.outcome = verdict.ok ? 'SUCCESS' : 'FAILED';
      update.reason = verdict.ok ? undefined : verdict.reason;
      const physicalId = verdict.ok ? verdict.response.PhysicalResourceId : resource.physicalId;
      this.showStatus(resource.logicalId, resourceType, verdict.ok ? 'UPDATE_COMPLETE' : 'UPDATE_FAILED', physicalId);
      return { update, resource: { logicalId: resource.logicalId, properties: verdict.ok ? properties : resource.properties, physicalId } };
    }));
    const wallTimeMs = performance.now() - start;
    const ok = updated.every(({ update }) => update.outcome === 'SUCCESS');
    return this.report(ok ? 'UPDATE_COMPLETE' : 'UPDATE_FAILED', start, window,
      updated.map(({ update }) => update), updated.map(({ resource }) => resource), wallTimeMs, resources.length);
  }

  /** Ends the hosts (and whatever their invocations were still doing), stops the stubs and removes the copies of the code. */
  public async stop(): Promise<void> {
    await Promise.all(this.hosts.map((host) => host.stop()));
    await this.secrets.stop();
    await this.kms.stop();
    await this.cloudFormation.stop();
    fs.rmSync(this.workDirectory, { recursive: true, force: true });
  }

  private track(
    phase: BurstPhase, requestType: RequestType, resourceType: string, resource: BurstResource, current?: DeployedBurstResource,
  ): Tracked {
    const request = buildRequest({
      requestType,
      requestId: randomUUID(),
      stackId: this.stackId,
      region: this.emulator.region,
      logicalId: resource.logicalId,
      resourceType,
      properties: this.requestProperties(resource.properties),
      oldProperties: requestType === 'Update' ? this.requestProperties(current!.properties) : undefined,
      physicalId: current?.physicalId,
    });
    return { phase, request, startedAt: performance.now(), timedOut: false, instance: 0, logs: [] };
  }

  private async runDelete(phase: BurstPhase, resourceType: string, resource: DeployedBurstResource): Promise<Tracked> {
    const event = this.track(phase, 'Delete', resourceType, resource, resource);
    this.showStatus(resource.logicalId, resourceType, 'DELETE_IN_PROGRESS', resource.physicalId);
    const verdict = this.judge(event, await this.run(event));
    event.outcome = verdict.ok ? 'SUCCESS' : 'FAILED';
    event.reason = verdict.ok ? undefined : verdict.reason;
    this.showStatus(resource.logicalId, resourceType, verdict.ok ? 'DELETE_COMPLETE' : 'DELETE_FAILED');
    return event;
  }

  /** Runs the request's invocation and records on `tracked` what came of it. */
  private async run(tracked: Tracked): Promise<Invocation> {
    const invocation = await this.invoke(tracked.request);
    tracked.logs = invocation.logs;
    tracked.instance = invocation.instance;
    tracked.timedOut = invocation.timedOut;
    tracked.finishedAt = invocation.finishedAt;
    tracked.response = parse(invocation.responseBodies[0]);
    void invocation.ended.then((ended) => {
      tracked.finishedAt ??= ended;
      // A cancelled create may still answer, long after: keep what it said.
      tracked.response ??= parse(invocation.allResponseBodies[0]);
    });
    return invocation;
  }

  private judge(tracked: Tracked, invocation: Invocation) {
    const verdict = judgeResponse(tracked.request, invocation.timedOut ? [] : invocation.responseBodies);
    tracked.decidedAt = performance.now();
    return verdict;
  }

  /**
   * One Lambda invocation in an idle instance (or a new one), waited for at most CloudFormation's
   * wait. CloudFormation takes an answer when it is PUT, not when the invocation ends: a handler
   * may go on after it answered (the handler bundle checks then that CloudFormation took it), and
   * its instance is busy until it ends, or retired once it outlived its timeout.
   */
  private async invoke(request: CloudFormationCustomResourceEvent): Promise<Invocation> {
    const instance = await this.acquireInstance();
    const logs: string[] = [];
    const responseBodies: string[] = [];
    const invocation = ++this.invocations;
    const sent = Date.now();
    let answered!: () => void;
    const firstAnswer = new Promise<'answered'>((resolve) => {
      answered = () => resolve('answered');
    });
    const ended = new Promise<number>((resolve) => {
      this.sinks.set(invocation, {
        logs,
        responseBodies,
        answered,
        end: () => {
          this.sinks.delete(invocation);
          resolve(performance.now());
        },
      });
    });
    // The event crosses to the host as JSON, as it crosses Lambda's API.
    instance.host.send({
      kind: 'invoke', instance: instance.id, invocation, event: request, fn: this.fn, deadline: sent + this.fn.timeoutSeconds * 1000,
    });
    this.running.add(ended);
    void ended.then(() => this.running.delete(ended));

    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<'waited'>((resolve) => {
      timer = setTimeout(() => resolve('waited'), this.responseWaitMs);
    });
    const first = await Promise.race([ended, firstAnswer, waited]);
    clearTimeout(timer);
    if (first === 'waited') {
      instance.retired = true;
      logs.push(`Task timed out after ${this.fn.timeoutSeconds.toFixed(2)} seconds`);
      return { instance: instance.id, responseBodies: [...responseBodies], allResponseBodies: responseBodies, logs, timedOut: true, ended };
    }
    if (first === 'answered') {
      // Answered, still running: free once it ends, retired if it outlives its timeout first.
      const outlived = setTimeout(() => {
        instance.retired = true;
        logs.push(`Task timed out after ${this.fn.timeoutSeconds.toFixed(2)} seconds`);
      }, Math.max(0, sent + this.fn.timeoutSeconds * 1000 - Date.now()));
      outlived.unref();
      void ended.then(() => {
        clearTimeout(outlived);
        instance.busy = false;
      });
      return { instance: instance.id, responseBodies, allResponseBodies: responseBodies, logs, timedOut: false, ended };
    }
    instance.busy = false;
    return { instance: instance.id, responseBodies, allResponseBodies: responseBodies, logs, timedOut: false, finishedAt: first, ended };
  }

  private async acquireInstance(): Promise<Instance> {
    const idle = this.instances.find((instance) => !instance.busy && !instance.retired);
    if (idle !== undefined) {
      idle.busy = true;
      return idle;
    }
    return this.loadInstance({ keepBusy: true });
  }

  /**
   * A new copy of the code (hard links, so no disk space) with a module scope of its own, loaded in
   * its host. It counts as busy until loaded, so that no invocation takes it half-loaded, and stays
   * busy with `keepBusy`, for the invocation that needed it.
   */
  private async loadInstance({ keepBusy = false } = {}): Promise<Instance> {
    const id = this.instances.length + 1;
    const directory = path.join(this.workDirectory, `instance-${id}`);
    fs.mkdirSync(directory);
    for (const file of fs.readdirSync(this.codeDirectory)) {
      linkOrCopy(path.join(this.codeDirectory, file), path.join(directory, file));
    }
    if (!fs.existsSync(path.join(directory, WRAPPER_FILE))) {
      linkOrCopy(RESPONSE_WRAPPER, path.join(directory, WRAPPER_FILE));
    }
    const host = this.hosts[(id - 1) % this.processes] ??= this.startHost();
    const instance: Instance = { id, host, busy: true, retired: false };
    this.instances.push(instance);
    await host.load(id, path.join(directory, WRAPPER_FILE), path.join(directory, 'index.js'));
    instance.busy = keepBusy;
    return instance;
  }

  private startHost(): Host {
    return new Host(this.hostScript, this.hostEnvironment, (message) => {
      if (message.kind === 'log') {
        (message.invocation === undefined ? this.strayLogs : this.sinks.get(message.invocation)?.logs ?? this.strayLogs).push(message.line);
      } else if (message.kind === 'response') {
        const sink = this.sinks.get(message.invocation);
        sink?.responseBodies.push(message.body);
        sink?.answered();
      } else if (message.kind === 'ended') {
        this.sinks.get(message.invocation)?.end();
      }
    });
  }

  private showStatus(logicalId: string, resourceType: string, status: ResourceStatus, physicalResourceId?: string): void {
    this.cloudFormation.setResource(this.stackId, logicalId, { status, resourceType, physicalResourceId });
  }

  private madeUpPhysicalId(logicalId: string): string {
    const suffix = Array.from({ length: 12 }, () => MADE_UP_ID_ALPHABET[randomInt(MADE_UP_ID_ALPHABET.length)]).join('');
    return `${this.stackName}-${logicalId}-${suffix}`;
  }

  private requestProperties(properties: Readonly<Record<string, unknown>>): Record<string, unknown> {
    return { ServiceToken: this.fn.arn, ServiceTimeout: String(this.serviceTimeoutSeconds), ...properties };
  }

  private userProperties(request: CloudFormationCustomResourceEvent): Record<string, unknown> {
    const { ServiceToken: _token, ServiceTimeout: _timeout, ...properties } = request.ResourceProperties;
    return properties;
  }

  private logWindow(): LogWindow {
    return { requests: this.emulator.requests, from: this.emulator.requests.length };
  }

  /**
   * Waits until every invocation of the operation has ended and the emulator has had nothing in
   * flight and nothing new for `quietMs`, at most `limitMs`.
   */
  private async settle(window: LogWindow, quietMs: number, limitMs: number): Promise<boolean> {
    const limit = performance.now() + limitMs;
    let seen = -1;
    let quietSince = performance.now();
    while (performance.now() < limit) {
      const requests = window.requests.slice(window.from);
      const inFlight = requests.some((request) => request.status === 0 && request.lostAnswer === undefined);
      if (requests.length !== seen || inFlight || this.running.size > 0) {
        seen = requests.length;
        quietSince = performance.now();
      } else if (performance.now() - quietSince >= quietMs) {
        return true;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return false;
  }

  private async report(
    status: BurstStatus, start: number, window: LogWindow, tracked: Tracked[],
    deployed: DeployedBurstResource[], wallTimeMs: number, resourceCount: number,
  ): Promise<BurstReport> {
    const settled = await this.settle(window, 1_000, this.settleLimitMs);
    const settledMs = settled ? performance.now() - start : undefined;
    const since = (at: number | undefined) => (at === undefined ? undefined : at - start);
    const events: BurstEvent[] = tracked.map((event) => ({
      phase: event.phase,
      requestType: event.request.RequestType,
      logicalId: event.request.LogicalResourceId,
      request: event.request,
      outcome: event.outcome ?? 'FAILED',
      reason: event.reason,
      response: event.response,
      startedMs: event.startedAt - start,
      decidedMs: since(event.decidedAt) ?? wallTimeMs,
      finishedMs: since(event.finishedAt),
      timedOut: event.timedOut,
      instance: event.instance,
      logs: event.logs,
    }));
    return { status, events, deployed, wallTimeMs, settledMs, calls: countCalls(window, resourceCount) };
  }
}

function countCalls(window: LogWindow, resourceCount: number): CallCounts {
  const requests = window.requests.slice(window.from);
  const byOperation: Record<string, Record<string, number>> = {};
  for (const request of requests) {
    const statuses = byOperation[request.operation] ??= {};
    statuses[request.status] = (statuses[request.status] ?? 0) + 1;
  }
  return {
    total: requests.length,
    perResource: resourceCount === 0 ? 0 : requests.length / resourceCount,
    throttled: requests.filter((request) => request.status === 429).length,
    byOperation,
  };
}

function parse(body: string | undefined): CustomResourceResponse | undefined {
  if (body === undefined) {
    return undefined;
  }
  try {
    return JSON.parse(body) as CustomResourceResponse;
  } catch {
    return undefined;
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** A process of instances (burst-host.ts). */
class Host {
  private readonly child: ChildProcess;
  private readonly loading = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private readonly exited: Promise<void>;

  constructor(script: string, env: NodeJS.ProcessEnv, onMessage: (message: FromHost) => void) {
    // Its own heap, sized for a few hundred copies of the bundle.
    this.child = fork(script, [], { env, execArgv: ['--max-old-space-size=4096'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => {
      for (const [instance, pending] of this.loading) {
        pending.reject(new Error(`instance ${instance} did not load: its process ended (${signal ?? code})`));
      }
      resolve();
    }));
    this.child.on('message', (message: FromHost) => {
      if (message.kind === 'loaded') {
        const pending = this.loading.get(message.instance);
        this.loading.delete(message.instance);
        if (message.error === undefined) {
          pending?.resolve();
        } else {
          pending?.reject(new Error(`instance ${message.instance} did not load: ${message.error}`));
        }
      } else {
        onMessage(message);
      }
    });
  }

  public load(instance: number, wrapper: string, code: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.loading.set(instance, { resolve, reject });
      this.send({ kind: 'load', instance, wrapper, code });
    });
  }

  public send(message: ToHost): void {
    this.child.send(message);
  }

  public async stop(): Promise<void> {
    this.child.kill();
    await this.exited;
  }
}

/** `base` with `overrides` applied, an undefined value removing the variable. */
function withEnvironment(base: NodeJS.ProcessEnv, overrides: Environment): NodeJS.ProcessEnv {
  const environment = { ...base };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) {
      delete environment[name];
    } else {
      environment[name] = value;
    }
  }
  return environment;
}

function linkOrCopy(from: string, to: string): void {
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
  }
}
