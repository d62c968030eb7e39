import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import * as cxapi from 'aws-cdk-lib/cx-api';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { deployableStack, DeployableStack } from './assembly';
import { CloudFormationStub, ResourceStatus } from './cloudformation';
import { buildRequest, judgeResponse, missingAttributeMessage } from './custom-resource-protocol';
import { BusEvent, BusHost, BusRule, Delivery, EventBusStub } from './event-bus';
import { creationOrder, dependencyMap } from './graph';
import { FunctionOutcome, HandlerRunner, handlerEnvironment, LambdaFunction } from './handler-runner';
import { resolve, ResolveContext, ResolveError, stringifyProperties } from './intrinsics';
import { KmsStub } from './kms';
import { SecretsManagerStub } from './secrets-manager';
import { createStub, deleteStub, StubContext, updateStub } from './stubs';
import type {
  DeployResult,
  LifecycleEvent,
  Phase,
  RequestType,
  SimulatedResource,
  StackStatus,
  Template,
  TemplateResource,
} from './types';
import type { IvsEmulator } from '../emulator';

export interface SimulatorOptions {
  /** The IVS Real-Time emulator that the handlers call. */
  readonly emulator: IvsEmulator;
}

type Properties = Record<string, unknown>;

interface DeployedResource extends SimulatedResource {
  readonly logicalId: string;
  readonly definition: TemplateResource;
  readonly properties: Properties;
  /** A custom resource: the request whose response gave its attributes. */
  readonly requestId?: string;
}

interface DeployedStack {
  readonly stack: DeployableStack;
  readonly stackId: string;
  readonly resources: Map<string, DeployedResource>;
  /** The parameter values of the deploy that finished, as DescribeStacks shows them. */
  readonly parameters?: Record<string, string>;
}

/** What a deploy changed, so that a rollback can undo it. A failed operation is recorded too. */
type Change =
  | { readonly kind: 'created'; readonly resource: DeployedResource }
  | { readonly kind: 'updated'; readonly before: DeployedResource; readonly after: DeployedResource }
  | { readonly kind: 'replaced'; readonly before: DeployedResource; readonly after: DeployedResource };

interface Failure {
  readonly logicalId: string;
  readonly resourceType: string;
  readonly reason: string;
}

/** The outcome of one resource operation. `resource` is the resource afterwards (absent after a Delete). */
interface Operation {
  readonly ok: boolean;
  readonly event: LifecycleEvent;
  readonly resource?: DeployedResource;
}

const isCustomResource = (type: string) => type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';

/** `DeletionPolicy` / `UpdateReplacePolicy` values that keep the resource. */
const retains = (policy: string | undefined, rollingBackItsCreate = false) =>
  policy === 'Retain' || (policy === 'RetainExceptOnCreate' && !rollingBackItsCreate);

/** Lambda's default timeout, and CloudFormation's default wait for a custom resource. */
const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 3;
const DEFAULT_SERVICE_TIMEOUT_SECONDS = 3600;

/**
 * Deploys a synthesized stack the way CloudFormation would, running the real handler code of its
 * custom resources against the IVS Real-Time emulator. See `index.ts`.
 */
export class LifecycleSimulator {
  public static async start(options: SimulatorOptions): Promise<LifecycleSimulator> {
    const secrets = await SecretsManagerStub.start(options.emulator.region, options.emulator.accountId);
    const kms = await KmsStub.start(options.emulator.region, options.emulator.accountId);
    const cloudFormation = await CloudFormationStub.start();
    const bus = await EventBusStub.start(options.emulator.region, options.emulator.accountId);
    return new LifecycleSimulator(options.emulator, secrets, kms, cloudFormation, bus);
  }

  /** Every resource operation so far, across deploys and destroys. */
  public readonly events: LifecycleEvent[] = [];

  private deployed: DeployedStack | undefined;
  private readonly functions = new Map<string, LambdaFunction>();
  private readonly responseUrls: string[] = [];
  private readonly runner: HandlerRunner;
  private readonly workDirectory: string;

  private constructor(
    private readonly emulator: IvsEmulator,
    public readonly secrets: SecretsManagerStub,
    /** The KMS stub: the keys of the stack's `AWS::KMS::Key` resources, which sign for real. */
    public readonly kms: KmsStub,
    /** The CloudFormation stub: the status of each resource of the stack, as DescribeStackResource shows it. */
    public readonly cloudFormation: CloudFormationStub,
    /** The default event bus: the stack's rules deliver what is put on it to their targets. */
    public readonly bus: EventBusStub,
  ) {
    this.workDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ivs-sim-'));
    const noFile = path.join(this.workDirectory, 'no-such-file');
    this.runner = new HandlerRunner(this.workDirectory, handlerEnvironment(emulator.region, {
      ivsRealtime: emulator.endpoint,
      secretsManager: secrets.endpoint,
      kms: kms.endpoint,
      cloudFormation: cloudFormation.endpoint,
      eventBridge: bus.endpoint,
    }, noFile));
  }

  /** The deployed resources by logical ID. */
  public get resources(): Record<string, SimulatedResource> {
    return Object.fromEntries([...this.deployed?.resources.values() ?? []].map((r) => [
      r.logicalId,
      { type: r.type, physicalId: r.physicalId, attributes: r.attributes, properties: r.properties },
    ]));
  }

  /** Every line the handlers logged so far. */
  public get logs(): string[] {
    return this.events.flatMap((event) => event.logs);
  }

  /** The stack's ID while it exists. */
  public get stackId(): string | undefined {
    return this.deployed?.stackId;
  }

  /**
   * What must never appear in a log line, a response or a template: every ResponseURL issued (its
   * signature lets anyone answer for the resource) and every value a secret held.
   */
  public sensitiveValues(): string[] {
    const signatures = this.responseUrls.map((url) => new URL(url).searchParams.get('X-Amz-Signature')!);
    const secretValues = this.secrets.list().flatMap((secret) => [...secret.versions.map((version) => version.value), ...secret.writes]);
    return [...this.responseUrls, ...signatures, ...secretValues].filter((value): value is string => !!value);
  }

  /**
   * Creates the stack, or updates it when it exists. A failure rolls back as CloudFormation does;
   * the result says what happened. Template errors (cycles, a resource changing type) throw.
   */
  public async deploy(artifact: cxapi.CloudFormationStackArtifact | DeployableStack, parameters: Properties = {}): Promise<DeployResult> {
    const stack = artifact instanceof cxapi.CloudFormationStackArtifact ? deployableStack(artifact) : artifact;
    this.checkStack(stack);
    const previous = this.deployed;
    const stackId = previous?.stackId
      ?? `arn:aws:cloudformation:${this.emulator.region}:${this.emulator.accountId}:stack/${stack.stackName}/${randomUUID()}`;
    const working = new Map(previous?.resources);
    const changes: Change[] = [];
    const events: LifecycleEvent[] = [];
    const ctx = this.resolveContext(stack, stackId, working, { ...defaultParameters(stack.template), ...parameters });
    const run = async (operation: Promise<Operation>) => {
      const done = await operation;
      events.push(done.event);
      return done;
    };

    // What a handler asking DescribeStacks sees while the deploy runs, however the last one ended.
    this.cloudFormation.setStackStatus(stackId, previous === undefined ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS');
    let failure: Failure | undefined;
    let outputs: Properties = {};
    for (const logicalId of creationOrder(stack.template)) {
      const definition = stack.template.Resources[logicalId];
      const current = working.get(logicalId);
      let properties: Properties;
      try {
        properties = this.resolveProperties(definition, ctx, logicalId);
      } catch (error) {
        failure = { logicalId, resourceType: definition.Type, reason: errorMessage(error) };
        break;
      }
      if (current === undefined) {
        const created = await run(this.create(stack, stackId, logicalId, definition, properties));
        changes.push({ kind: 'created', resource: created.resource! });
        if (!created.ok) {
          failure = { logicalId, resourceType: definition.Type, reason: created.event.reason! };
          break;
        }
        working.set(logicalId, created.resource!);
      } else if (!isDeepStrictEqual(current.properties, properties)) {
        const updated = await run(this.update(stack, stackId, 'deploy', { ...current, definition }, properties));
        const after = updated.resource!;
        changes.push({ kind: after.physicalId === current.physicalId ? 'updated' : 'replaced', before: current, after });
        if (!updated.ok) {
          failure = { logicalId, resourceType: definition.Type, reason: updated.event.reason! };
          break;
        }
        working.set(logicalId, after);
      } else {
        // Policies can change without an update of the resource.
        working.set(logicalId, { ...current, definition });
      }
    }
    if (!failure) {
      try {
        outputs = resolveOutputs(stack.template, ctx);
      } catch (error) {
        failure = { logicalId: 'Outputs', resourceType: 'AWS::CloudFormation::Stack', reason: errorMessage(error) };
      }
    }

    const creating = previous === undefined;
    if (failure) {
      // What a handler asking DescribeStacks sees while the rollback runs.
      this.cloudFormation.setStackStatus(stackId, creating ? 'ROLLBACK_IN_PROGRESS' : 'UPDATE_ROLLBACK_IN_PROGRESS');
      const rollback = await this.rollBack(previous, stack, stackId, changes);
      events.push(...rollback.events);
      const status: StackStatus = creating
        ? (rollback.ok ? 'ROLLBACK_COMPLETE' : 'ROLLBACK_FAILED')
        : (rollback.ok ? 'UPDATE_ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_FAILED');
      this.deployed = rollback.remaining.size > 0 ? { stack: previous?.stack ?? stack, stackId, resources: rollback.remaining } : undefined;
      if (previous) {
        // After a rolled-back update, CloudFormation holds the previous template again.
        this.cloudFormation.setStack(stackId, { template: previous.stack.template, parameters: previous.parameters, status });
        this.deployed = this.deployed && { ...this.deployed, parameters: previous.parameters };
      }
      return this.result(false, status, events, failure, this.deployed ? this.currentOutputs() : {});
    }

    // Resources the new template dropped are deleted in the cleanup, and are no longer the stack's.
    for (const logicalId of working.keys()) {
      if (stack.template.Resources[logicalId] === undefined) {
        working.delete(logicalId);
      }
    }
    const status: StackStatus = creating ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE';
    const allParameters = Object.fromEntries(Object.entries({ ...defaultParameters(stack.template), ...parameters })
      .filter(([, value]) => value !== undefined).map(([key, value]) => [key, String(value)]));
    this.deployed = { stack, stackId, resources: working, parameters: allParameters };
    // What GetTemplate and DescribeStacks show from now on, as CloudFormation's drift-blind view.
    this.cloudFormation.setStack(stackId, { template: stack.template, parameters: allParameters, status });
    if (previous) {
      events.push(...await this.cleanUp(previous, stack, changes));
    }
    return this.result(true, status, events, undefined, outputs);
  }

  /** Deletes the stack: every resource in reverse dependency order, except those with a `Retain` policy. */
  public async destroy(): Promise<DeployResult> {
    const deployed = this.deployed;
    if (!deployed) {
      return this.result(true, 'DELETE_COMPLETE', [], undefined, {});
    }
    const events: LifecycleEvent[] = [];
    const dependencies = dependencyMap(deployed.stack.template);
    let failure: Failure | undefined;
    for (const logicalId of creationOrder(deployed.stack.template).reverse()) {
      const resource = deployed.resources.get(logicalId);
      if (!resource) {
        continue;
      }
      // A resource that something still standing depends on cannot go.
      const dependents = [...dependencies].filter(([id, deps]) => deps.has(logicalId) && deployed.resources.has(id));
      if (dependents.length > 0) {
        continue;
      }
      if (retains(resource.definition.DeletionPolicy)) {
        events.push(retainedEvent('destroy', resource));
        deployed.resources.delete(logicalId);
        continue;
      }
      const deleted = await this.delete(deployed.stack, deployed.stackId, 'destroy', resource);
      events.push(deleted.event);
      if (deleted.ok) {
        deployed.resources.delete(logicalId);
      } else {
        failure ??= { logicalId, resourceType: resource.type, reason: deleted.event.reason! };
      }
    }
    if (deployed.resources.size === 0) {
      this.deployed = undefined;
    }
    return this.result(!failure, failure ? 'DELETE_FAILED' : 'DELETE_COMPLETE', events, failure, {});
  }

  /**
   * Sends a request that was sent before once more, unchanged, as Lambda does when it retries an
   * asynchronous invocation. The stack's state does not change.
   */
  public async redeliver(request: CloudFormationCustomResourceEvent): Promise<LifecycleEvent> {
    const fn = this.functions.get(request.ServiceToken);
    if (!fn) {
      throw new Error(`no function of this simulator has the ARN ${request.ServiceToken}`);
    }
    const { event } = await this.invoke(fn, request, 'redelivery');
    this.events.push(event);
    return event;
  }

  /**
   * Invokes a deployed function of the stack that is not a custom resource handler (e.g. the
   * participant token issuer) with `payload`, as `lambda:Invoke` would: its own environment, the
   * simulator's endpoints. `id` is its logical ID or its ARN.
   */
  public async invokeFunction(id: string, payload: unknown): Promise<FunctionOutcome> {
    const resource = this.deployed?.resources.get(id);
    const arn = resource?.type === 'AWS::Lambda::Function' ? String(resource.attributes.Arn) : id;
    const fn = this.functions.get(arn);
    if (!fn) {
      throw new Error(`no deployed function of this simulator has the logical ID or ARN ${id}`);
    }
    return this.runner.invokeFunction(fn, payload);
  }

  /**
   * Puts `event` on the default event bus, as IVS would send it: the deployed stack's rules that
   * match it deliver it to their targets (a function of the stack is invoked asynchronously, with
   * its retries and its on-failure destination), and so in turn every event those put on the bus.
   * Answers the deliveries, in order.
   */
  public async putEvent(event: BusEvent): Promise<Delivery[]> {
    return this.bus.put(this.busHost(), event);
  }

  private busHost(): BusHost {
    const resources = () => [...this.deployed?.resources.values() ?? []];
    return {
      rules: (): BusRule[] => resources()
        .filter((r) => r.type === 'AWS::Events::Rule' && r.properties.State !== 'DISABLED' && r.properties.EventPattern)
        .map((r) => ({ logicalId: r.logicalId, pattern: r.properties.EventPattern as Record<string, unknown>, targets: (r.properties.Targets ?? []) as BusRule['targets'] })),
      invoke: async (arn, input) => (this.functions.has(arn) ? this.runner.invokeFunction(this.functions.get(arn)!, input) : undefined),
      asyncConfig: (arn) => {
        const fn = resources().find((r) => r.type === 'AWS::Lambda::Function' && r.attributes.Arn === arn);
        const config = fn && resources().find((r) => r.type === 'AWS::Lambda::EventInvokeConfig' && r.properties.FunctionName === fn.physicalId);
        const destination = (config?.properties.DestinationConfig as { OnFailure?: { Destination?: string } } | undefined)?.OnFailure?.Destination;
        return { retries: typeof config?.properties.MaximumRetryAttempts === 'number' ? config.properties.MaximumRetryAttempts : 2, onFailure: destination };
      },
    };
  }

  /** Stops the Secrets Manager and KMS stubs and removes the simulator's copies of the handler code. */
  public async stop(): Promise<void> {
    await this.bus.stop();
    await this.secrets.stop();
    await this.kms.stop();
    await this.cloudFormation.stop();
    fs.rmSync(this.workDirectory, { recursive: true, force: true });
  }

  private checkStack(stack: DeployableStack): void {
    for (const [what, expected, actual] of [['account', this.emulator.accountId, stack.account], ['region', this.emulator.region, stack.region]]) {
      if (actual !== undefined && actual !== expected) {
        throw new Error(`stack ${stack.stackName} is for ${what} ${actual}, but the emulator serves ${expected}`);
      }
    }
    if (this.deployed && this.deployed.stack.stackName !== stack.stackName) {
      throw new Error(`the simulator holds stack ${this.deployed.stack.stackName}: destroy it before deploying ${stack.stackName}`);
    }
    for (const [logicalId, resource] of Object.entries(stack.template.Resources)) {
      if (resource.Condition !== undefined) {
        throw new Error(`${logicalId}: the simulator does not support conditions`);
      }
      const current = this.deployed?.resources.get(logicalId);
      if (current && current.type !== resource.Type) {
        throw new Error(`Update of resource type is not permitted. The new template modifies resource type of the following resources: [${logicalId}]`);
      }
    }
  }

  private resolveContext(stack: DeployableStack, stackId: string, resources: Map<string, DeployedResource>, parameters: Properties): ResolveContext {
    const region = this.emulator.region;
    const deployedResource = (logicalId: string) => {
      const resource = resources.get(logicalId);
      if (!resource) {
        throw new ResolveError(`Template error: ${logicalId} is not a resource of the stack, or was not created`);
      }
      return resource;
    };
    return {
      stackName: stack.stackName,
      stackId,
      region,
      accountId: this.emulator.accountId,
      parameters,
      ref: (logicalId) => deployedResource(logicalId).physicalId,
      getAtt: (logicalId, attribute) => {
        const resource = deployedResource(logicalId);
        if (attribute in resource.attributes) {
          return resource.attributes[attribute];
        }
        throw new ResolveError(isCustomResource(resource.type)
          ? missingAttributeMessage(attribute, stackId, logicalId, resource.requestId ?? '', region)
          : `Template error: resource ${logicalId} does not support attribute type ${attribute} in Fn::GetAtt`);
      },
    };
  }

  private resolveProperties(definition: TemplateResource, ctx: ResolveContext, logicalId: string): Properties {
    const resolved = (resolve(definition.Properties ?? {}, ctx, `${logicalId}.Properties`) ?? {}) as Properties;
    return isCustomResource(definition.Type) ? stringifyProperties(resolved) : resolved;
  }

  private currentOutputs(): Properties {
    const deployed = this.deployed!;
    try {
      const parameters = defaultParameters(deployed.stack.template);
      return resolveOutputs(deployed.stack.template, this.resolveContext(deployed.stack, deployed.stackId, deployed.resources, parameters));
    } catch {
      return {};
    }
  }

  /**
   * Undoes a failed deploy. Updated resources get an Update back to their previous properties, in
   * the previous template's dependency order (the one whose update failed included: its state is
   * unknown). Then everything the deploy created is deleted, the new side of a replacement
   * included, in reverse order. The delete after a failed create carries the physical ID its
   * response gave.
   */
  private async rollBack(previous: DeployedStack | undefined, stack: DeployableStack, stackId: string, changes: Change[]) {
    const events: LifecycleEvent[] = [];
    const remaining = new Map(previous?.resources);
    let ok = true;

    if (previous) {
      const order = creationOrder(previous.stack.template);
      const updated = changes
        .filter((change): change is Extract<Change, { kind: 'updated' }> => change.kind === 'updated')
        .sort((a, b) => order.indexOf(a.before.logicalId) - order.indexOf(b.before.logicalId));
      for (const { before, after } of updated) {
        const reverted = await this.update(previous.stack, stackId, 'rollback', after, before.properties, before.definition);
        events.push(reverted.event);
        ok &&= reverted.ok;
        const restored = { ...before, attributes: reverted.resource!.attributes, requestId: reverted.resource!.requestId };
        remaining.set(before.logicalId, reverted.ok ? restored : after);
      }
    }

    for (const change of [...changes].reverse()) {
      if (change.kind === 'updated') {
        continue;
      }
      const created = change.kind === 'created';
      const resource = created ? change.resource : change.after;
      if (retains(created ? resource.definition.DeletionPolicy : resource.definition.UpdateReplacePolicy, created)) {
        events.push(retainedEvent('rollback', resource));
        continue;
      }
      const deleted = await this.delete(stack, stackId, 'rollback', resource);
      events.push(deleted.event);
      if (!deleted.ok) {
        ok = false;
        if (created) {
          remaining.set(resource.logicalId, resource);
        }
      }
    }
    return { ok, events, remaining };
  }

  /**
   * After a successful update: deletes the old side of every replacement and every resource the
   * new template no longer has, in reverse dependency order. CloudFormation does not fail the
   * update when one of these deletes fails; the failure shows in the events.
   */
  private async cleanUp(previous: DeployedStack, stack: DeployableStack, changes: Change[]): Promise<LifecycleEvent[]> {
    const events: LifecycleEvent[] = [];
    const replaced = new Map(changes
      .filter((change): change is Extract<Change, { kind: 'replaced' }> => change.kind === 'replaced')
      .map((change) => [change.before.logicalId, change.before]));
    for (const logicalId of creationOrder(previous.stack.template).reverse()) {
      const old = replaced.get(logicalId);
      const removed = stack.template.Resources[logicalId] === undefined ? previous.resources.get(logicalId) : undefined;
      const resource = old ?? removed;
      if (!resource) {
        continue;
      }
      if (retains(old ? resource.definition.UpdateReplacePolicy : resource.definition.DeletionPolicy)) {
        events.push(retainedEvent('cleanup', resource));
        continue;
      }
      events.push((await this.delete(previous.stack, previous.stackId, 'cleanup', resource, old !== undefined)).event);
    }
    return events;
  }

  private async create(
    stack: DeployableStack, stackId: string, logicalId: string, definition: TemplateResource, properties: Properties,
  ): Promise<Operation> {
    this.showStatus(stackId, logicalId, definition.Type, 'CREATE_IN_PROGRESS');
    if (!isCustomResource(definition.Type)) {
      const state = createStub(definition.Type, logicalId, properties, this.stubContext(stack));
      const resource: DeployedResource = { logicalId, type: definition.Type, definition, properties, ...state };
      this.registerFunction(stack, resource);
      this.showStatus(stackId, logicalId, definition.Type, 'CREATE_COMPLETE', resource.physicalId);
      return { ok: true, resource, event: stubEvent('deploy', 'Create', resource) };
    }
    const request = this.request(stackId, 'Create', logicalId, definition.Type, properties);
    const { event, response, taken } = await this.invokeServiceToken(request, 'deploy');
    const created = event.status === 'SUCCESS';
    if (!taken) {
      // No answer came: the create failed.
      this.showStatus(stackId, logicalId, definition.Type, 'CREATE_FAILED');
    }
    // A create that never answered still gets a Delete during the rollback, with an ID CloudFormation makes up.
    const physicalId = response?.PhysicalResourceId ?? `${stack.stackName}-${logicalId}-${randomBytes(6).toString('hex').toUpperCase()}`;
    const resource: DeployedResource = {
      logicalId, type: definition.Type, definition, properties, physicalId, attributes: response?.Data ?? {}, requestId: request.RequestId,
    };
    return { ok: created, resource, event: { ...event, physicalId } };
  }

  /** Updates `current` to `properties`; `definition` is the template entry the result belongs to. */
  private async update(
    stack: DeployableStack, stackId: string, phase: Phase, current: DeployedResource, properties: Properties, definition = current.definition,
  ): Promise<Operation> {
    this.showStatus(stackId, current.logicalId, current.type, 'UPDATE_IN_PROGRESS');
    if (!isCustomResource(current.type)) {
      const state = updateStub(current.type, current.logicalId, current, current.properties, properties, this.stubContext(stack));
      const resource: DeployedResource = { ...current, definition, properties, ...state };
      this.registerFunction(stack, resource);
      this.showStatus(stackId, current.logicalId, current.type, 'UPDATE_COMPLETE', resource.physicalId);
      return { ok: true, resource, event: stubEvent(phase, 'Update', resource) };
    }
    const request = this.request(stackId, 'Update', current.logicalId, current.type, properties, current.properties, current.physicalId);
    const { event, response } = await this.invokeServiceToken(request, phase);
    const ok = event.status === 'SUCCESS';
    this.showStatus(stackId, current.logicalId, current.type, ok ? 'UPDATE_COMPLETE' : 'UPDATE_FAILED', ok ? response!.PhysicalResourceId : undefined);
    const resource: DeployedResource = {
      ...current,
      definition,
      properties,
      // A failed update keeps the resource as it was, as far as CloudFormation knows.
      physicalId: ok ? response!.PhysicalResourceId : current.physicalId,
      attributes: ok ? response!.Data ?? {} : current.attributes,
      requestId: ok ? request.RequestId : current.requestId,
    };
    return { ok, resource, event: { ...event, physicalId: resource.physicalId } };
  }

  /**
   * Deletes `resource`. Its status shows the delete, but for the cleanup of the old side of a
   * replacement (`replaced`): the logical resource is the new side then, UPDATE_COMPLETE.
   */
  private async delete(stack: DeployableStack, stackId: string, phase: Phase, resource: DeployedResource, replaced = false): Promise<Operation> {
    const show = (status: ResourceStatus) => {
      if (!replaced) this.showStatus(stackId, resource.logicalId, resource.type, status);
    };
    show('DELETE_IN_PROGRESS');
    if (!isCustomResource(resource.type)) {
      deleteStub(resource.type, resource.physicalId, this.stubContext(stack));
      show('DELETE_COMPLETE');
      return { ok: true, event: stubEvent(phase, 'Delete', resource) };
    }
    const request = this.request(stackId, 'Delete', resource.logicalId, resource.type, resource.properties, undefined, resource.physicalId);
    const { event } = await this.invokeServiceToken(request, phase);
    const ok = event.status === 'SUCCESS';
    show(ok ? 'DELETE_COMPLETE' : 'DELETE_FAILED');
    return { ok, event: { ...event, physicalId: resource.physicalId } };
  }

  /** What DescribeStackResource shows for the resource from now on; the physical ID stays unless given. */
  private showStatus(stackId: string, logicalId: string, resourceType: string, status: ResourceStatus, physicalResourceId?: string): void {
    this.cloudFormation.setResource(stackId, logicalId, { status, resourceType, physicalResourceId });
  }

  private request(
    stackId: string, requestType: RequestType, logicalId: string, resourceType: string,
    properties: Properties, oldProperties?: Properties, physicalId?: string,
  ): CloudFormationCustomResourceEvent {
    const request = buildRequest({
      requestType, requestId: randomUUID(), stackId, region: this.emulator.region, logicalId, resourceType, properties, oldProperties, physicalId,
    });
    this.responseUrls.push(request.ResponseURL);
    return request;
  }

  private async invokeServiceToken(request: CloudFormationCustomResourceEvent, phase: Phase) {
    const fn = this.functions.get(request.ServiceToken);
    if (!fn) {
      const event: LifecycleEvent = {
        ...eventBase(phase, request),
        logs: [],
        status: 'FAILED',
        reason: `ServiceToken ${request.ServiceToken} is not the ARN of a Lambda function of this stack: the simulator supports only Lambda-backed custom resources`,
      };
      return { event, response: undefined, taken: false };
    }
    return this.invoke(fn, request, phase);
  }

  private async invoke(fn: LambdaFunction, request: CloudFormationCustomResourceEvent, phase: Phase) {
    const serviceTimeout = Number(request.ResourceProperties.ServiceTimeout ?? DEFAULT_SERVICE_TIMEOUT_SECONDS);
    let answered = false;
    const takeAnswer = (body: string) => {
      // CloudFormation takes a create's first answer when it arrives, while the handler may still
      // run (the handler bundle then checks that it was taken). A redelivery changes nothing.
      if (answered || phase === 'redelivery' || request.RequestType !== 'Create') return;
      answered = true;
      const verdict = judgeResponse(request, [body]);
      this.showStatus(request.StackId, request.LogicalResourceId, request.ResourceType,
        verdict.ok ? 'CREATE_COMPLETE' : 'CREATE_FAILED', verdict.response?.PhysicalResourceId);
    };
    const outcome = await this.runner.invoke(fn, request, Math.min(fn.timeoutSeconds, serviceTimeout), takeAnswer);
    const verdict = judgeResponse(request, outcome.responseBodies);
    const event: LifecycleEvent = {
      ...eventBase(phase, request),
      response: verdict.response,
      responseBody: outcome.responseBodies[0],
      logs: outcome.logs,
      status: verdict.ok ? 'SUCCESS' : 'FAILED',
      reason: verdict.ok ? undefined : verdict.reason,
    };
    return { event, response: verdict.response, taken: answered };
  }

  /** Remembers how to run a Lambda function stub, by the ARN that service tokens name. */
  private registerFunction(stack: DeployableStack, resource: DeployedResource): void {
    if (resource.type !== 'AWS::Lambda::Function') {
      return;
    }
    const props = resource.properties as {
      Code?: { S3Key?: string }; Handler?: string; Timeout?: number; MemorySize?: number; Environment?: { Variables?: Record<string, string> };
    };
    const arn = String(resource.attributes.Arn);
    this.functions.set(arn, {
      name: resource.physicalId,
      arn,
      codeDirectory: props.Code?.S3Key === undefined ? undefined : stack.codeDirectory(props.Code.S3Key),
      handler: props.Handler ?? 'index.handler',
      timeoutSeconds: Number(props.Timeout ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS),
      memorySize: Number(props.MemorySize ?? 128),
      environment: props.Environment?.Variables ?? {},
    });
  }

  private stubContext(stack: DeployableStack): StubContext {
    const { region, accountId } = this.emulator;
    return { stackName: stack.stackName, region, accountId, emulator: this.emulator, secrets: this.secrets, kms: this.kms };
  }

  private result(success: boolean, status: StackStatus, events: LifecycleEvent[], failure: Failure | undefined, outputs: Properties): DeployResult {
    this.events.push(...events);
    return {
      success,
      status,
      reason: failure ? `${failure.logicalId} (${failure.resourceType}): ${failure.reason}` : undefined,
      events,
      logs: events.flatMap((event) => event.logs),
      outputs,
    };
  }
}

function eventBase(phase: Phase, request: CloudFormationCustomResourceEvent) {
  return { phase, logicalId: request.LogicalResourceId, resourceType: request.ResourceType, requestType: request.RequestType, request };
}

function stubEvent(phase: Phase, requestType: RequestType, resource: DeployedResource): LifecycleEvent {
  return { phase, logicalId: resource.logicalId, resourceType: resource.type, requestType, logs: [], status: 'SUCCESS', physicalId: resource.physicalId };
}

function retainedEvent(phase: Phase, resource: DeployedResource): LifecycleEvent {
  return { ...stubEvent(phase, 'Delete', resource), retained: true };
}

/** Output name to resolved value. */
function resolveOutputs(template: Template, ctx: ResolveContext): Properties {
  return Object.fromEntries(Object.entries(template.Outputs ?? {}).map(([name, output]) => [name, resolve(output.Value, ctx, `Outputs.${name}.Value`)]));
}

function defaultParameters(template: Template): Properties {
  return Object.fromEntries(Object.entries(template.Parameters ?? {}).map(([name, parameter]) => [name, parameter.Default]));
}

function errorMessage(error: unknown): string {
  if (error instanceof ResolveError) {
    return error.message;
  }
  throw error;
}
