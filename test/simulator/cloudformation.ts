import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalServer } from './local-server';

/** A resource status as CloudFormation's DescribeStackResource shows it. */
export type ResourceStatus =
  | 'CREATE_IN_PROGRESS' | 'CREATE_COMPLETE' | 'CREATE_FAILED'
  | 'UPDATE_IN_PROGRESS' | 'UPDATE_COMPLETE' | 'UPDATE_FAILED'
  | 'DELETE_IN_PROGRESS' | 'DELETE_COMPLETE' | 'DELETE_FAILED'
  | 'DELETE_SKIPPED';

/** What the stub knows of one resource of a stack. */
export interface StackResourceState {
  readonly status: ResourceStatus;
  /** Absent until a create answered (CloudFormation shows none while the first create runs). */
  readonly physicalResourceId?: string;
  readonly resourceType?: string;
  /** When the resource entered its status (DescribeStackResource's LastUpdatedTimestamp). @default now */
  readonly lastUpdated?: Date;
}

/** What the stub knows of a stack as a whole, once a deploy of it finished. */
export interface StackState {
  /** The template CloudFormation holds, as GetTemplate answers it (the JSON the deploy submitted). */
  readonly template: object;
  /** The stack's parameter values, as DescribeStacks shows them. */
  readonly parameters?: Record<string, string>;
  readonly status: string;
}

/** One request the stub received. */
export interface CloudFormationRequest {
  readonly action: string;
  readonly stackName?: string;
  readonly logicalResourceId?: string;
  readonly status: number;
  readonly errorCode?: string;
}

class QueryError extends Error {
  constructor(public readonly code: string, message: string, public readonly status = 400) {
    super(message);
  }
}

const XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
const NOT_CHECKED = '<DriftInformation><StackResourceDriftStatus>NOT_CHECKED</StackResourceDriftStatus></DriftInformation>';
/** ListStackResources pages of 100, as CloudFormation's. */
const LIST_PAGE_SIZE = 100;

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * A minimal CloudFormation endpoint (the awsQuery protocol: form-encoded POST, XML answers) on
 * 127.0.0.1, for handlers that ask CloudFormation what became of their own resource, and for the
 * drift report, which reads a whole stack. It holds (stack ID, logical ID) → status and physical
 * ID, which the lifecycle simulator or the burst driver keep as CloudFormation would, and answers
 * DescribeStackResource, DescribeStackResources and ListStackResources from it; and, once a deploy
 * finished, the stack's template and parameters, for GetTemplate and DescribeStacks. A stack it
 * does not hold, or a resource its stack does not have, gets CloudFormation's ValidationError.
 *
 *   const cfn = await CloudFormationStub.start();
 *   cfn.setResource(stackId, 'Stage', { status: 'CREATE_IN_PROGRESS' });
 *   process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = cfn.endpoint;
 */
export class CloudFormationStub extends LocalServer {
  public static async start(): Promise<CloudFormationStub> {
    const stub = new CloudFormationStub();
    await stub.listen();
    return stub;
  }

  /** Every request, in arrival order. */
  public readonly requests: CloudFormationRequest[] = [];
  /** Stack ID → logical ID → state. */
  private readonly stacks = new Map<string, Map<string, StackResourceState & { updated: Date }>>();
  /** Stack ID → template, parameters and status, once a deploy finished. */
  private readonly stackStates = new Map<string, StackState & { created: Date }>();
  /**
   * Stack ID → the status a stack operation shows while it runs (e.g. UPDATE_ROLLBACK_IN_PROGRESS
   * while CloudFormation rolls an update back), until the operation's end sets the stack's state.
   */
  private readonly stackStatuses = new Map<string, string>();

  private constructor() {
    super();
  }

  /** Sets a resource's state; the physical ID and type stay as they were unless given. */
  public setResource(stackId: string, logicalId: string, state: StackResourceState): void {
    const resources = this.stacks.get(stackId) ?? new Map();
    this.stacks.set(stackId, resources);
    const previous = resources.get(logicalId);
    resources.set(logicalId, {
      status: state.status,
      physicalResourceId: state.physicalResourceId ?? previous?.physicalResourceId,
      resourceType: state.resourceType ?? previous?.resourceType,
      updated: state.lastUpdated ?? new Date(),
    });
  }

  /**
   * Sets what DescribeStacks shows as the stack's status while an operation runs (e.g.
   * UPDATE_ROLLBACK_IN_PROGRESS while CloudFormation rolls an update back), until `setStack`
   * records the operation's end. A stack whose status was never set shows its last recorded
   * status, or CREATE_IN_PROGRESS: nothing is being rolled back.
   */
  public setStackStatus(stackId: string, status: string): void {
    if (!this.stacks.has(stackId)) this.stacks.set(stackId, new Map());
    this.stackStatuses.set(stackId, status);
  }

  /** A resource's state, or undefined. */
  public resource(stackId: string, logicalId: string): StackResourceState | undefined {
    const state = this.stacks.get(stackId)?.get(logicalId);
    return state && { status: state.status, physicalResourceId: state.physicalResourceId, resourceType: state.resourceType };
  }

  /** Sets a stack's template, parameters and status, as a finished deploy leaves them. */
  public setStack(stackId: string, state: StackState): void {
    this.stacks.set(stackId, this.stacks.get(stackId) ?? new Map());
    this.stackStates.set(stackId, { ...state, created: this.stackStates.get(stackId)?.created ?? new Date() });
    this.stackStatuses.delete(stackId);
  }

  /** Forgets a stack, as CloudFormation does (for describing by name) once it is deleted. */
  public removeStack(stackId: string): void {
    this.stacks.delete(stackId);
    this.stackStates.delete(stackId);
    this.stackStatuses.delete(stackId);
  }

  protected answer(req: IncomingMessage, text: string, res: ServerResponse): void {
    const params = new URLSearchParams(text);
    const action = params.get('Action') ?? '';
    const requestId = randomUUID();
    let status = 200;
    let body: string;
    let errorCode: string | undefined;
    try {
      if (req.method !== 'POST') {
        throw new QueryError('InvalidAction', `The stub answers POST only, got ${req.method}`);
      }
      const actions: Record<string, (p: URLSearchParams) => string> = {
        DescribeStackResource: (p) => this.describeStackResource(p),
        DescribeStackResources: (p) => this.describeStackResources(p),
        ListStackResources: (p) => this.listStackResources(p),
        GetTemplate: (p) => this.getTemplate(p),
        DescribeStacks: (p) => this.describeStacks(p),
      };
      if (!actions[action]) {
        throw new QueryError('InvalidAction', `The action ${action} is not valid for this web service.`);
      }
      body = `<${action}Response xmlns="${XMLNS}"><${action}Result>${actions[action](params)}</${action}Result>`
        + `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
    } catch (error) {
      const failure = error instanceof QueryError ? error : new QueryError('InternalFailure', String(error), 500);
      status = failure.status;
      errorCode = failure.code;
      body = `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${status < 500 ? 'Sender' : 'Receiver'}</Type>`
        + `<Code>${xml(failure.code)}</Code><Message>${xml(failure.message)}</Message></Error>`
        + `<RequestId>${requestId}</RequestId></ErrorResponse>`;
    }
    this.requests.push({
      action,
      stackName: params.get('StackName') ?? undefined,
      logicalResourceId: params.get('LogicalResourceId') ?? undefined,
      status,
      errorCode,
    });
    res.writeHead(status, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body), 'x-amzn-RequestId': requestId });
    res.end(body);
  }

  private describeStackResource(params: URLSearchParams): string {
    const stackName = params.get('StackName');
    const logicalId = params.get('LogicalResourceId');
    if (!stackName) {
      throw new QueryError('ValidationError', '1 validation error detected: Value null at \'stackName\' failed to satisfy constraint: Member must not be null');
    }
    if (!logicalId) {
      throw new QueryError('ValidationError', '1 validation error detected: Value null at \'logicalResourceId\' failed to satisfy constraint: Member must not be null');
    }
    const stackId = this.stackIdOf(stackName);
    const resource = this.stacks.get(stackId)!.get(logicalId);
    if (!resource) {
      throw new QueryError('ValidationError', `Resource ${logicalId} does not exist for stack ${stackName}`);
    }
    return `<StackResourceDetail><StackId>${xml(stackId)}</StackId><StackName>${xml(stackId.split('/')[1])}</StackName>`
      + `${this.resourceFields(logicalId, resource)}<LastUpdatedTimestamp>${resource.updated.toISOString()}</LastUpdatedTimestamp>`
      + `<ResourceStatus>${resource.status}</ResourceStatus><Metadata>{}</Metadata>${NOT_CHECKED}</StackResourceDetail>`;
  }

  /**
   * Every resource of the stack that is not deleted, at most 100 (CloudFormation's limit for this
   * action, which is why the drift report lists with ListStackResources instead). The stack is named
   * by StackName here; PhysicalResourceId alone is not served.
   */
  private describeStackResources(params: URLSearchParams): string {
    const stackName = params.get('StackName');
    if (!stackName) {
      throw new QueryError('ValidationError', 'Either StackName or PhysicalResourceId must be specified.');
    }
    const stackId = this.stackIdOf(stackName);
    const members = this.liveResources(stackId).slice(0, 100).map(([logicalId, resource]) => '<member>'
      + `<StackId>${xml(stackId)}</StackId><StackName>${xml(stackId.split('/')[1])}</StackName>${this.resourceFields(logicalId, resource)}`
      + `<Timestamp>${resource.updated.toISOString()}</Timestamp><ResourceStatus>${resource.status}</ResourceStatus>${NOT_CHECKED}</member>`);
    return `<StackResources>${members.join('')}</StackResources>`;
  }

  /** The stack's resources that are not deleted, 100 a page, as ListStackResources pages them. */
  private listStackResources(params: URLSearchParams): string {
    const stackName = params.get('StackName');
    if (!stackName) {
      throw new QueryError('ValidationError', '1 validation error detected: Value null at \'stackName\' failed to satisfy constraint: Member must not be null');
    }
    const stackId = this.stackIdOf(stackName);
    const start = Number(params.get('NextToken') ?? '0');
    const all = this.liveResources(stackId);
    const members = all.slice(start, start + LIST_PAGE_SIZE).map(([logicalId, resource]) => `<member>${this.resourceFields(logicalId, resource)}`
      + `<LastUpdatedTimestamp>${resource.updated.toISOString()}</LastUpdatedTimestamp><ResourceStatus>${resource.status}</ResourceStatus>`
      + `${NOT_CHECKED}</member>`);
    const next = start + LIST_PAGE_SIZE < all.length ? `<NextToken>${start + LIST_PAGE_SIZE}</NextToken>` : '';
    return `<StackResourceSummaries>${members.join('')}</StackResourceSummaries>${next}`;
  }

  /** The template the last finished deploy submitted, as a JSON string, as CloudFormation keeps a JSON template. */
  private getTemplate(params: URLSearchParams): string {
    const state = this.stackStates.get(this.stackIdOf(params.get('StackName') ?? ''));
    if (!state) {
      throw new QueryError('ValidationError', `Stack with id ${params.get('StackName')} does not exist`);
    }
    return `<TemplateBody>${xml(JSON.stringify(state.template))}</TemplateBody>`
      + '<StagesAvailable><member>Original</member><member>Processed</member></StagesAvailable>';
  }

  /** One stack, named by name or ID (the stub does not list every stack when none is named). */
  private describeStacks(params: URLSearchParams): string {
    const stackName = params.get('StackName');
    const stackId = this.stackIdOf(stackName ?? '');
    const state = this.stackStates.get(stackId);
    // CloudFormation shows a NoEcho parameter's value as asterisks.
    const declared = (state?.template as { Parameters?: Record<string, { NoEcho?: boolean | string }> } | undefined)?.Parameters ?? {};
    const shown = (key: string, value: string) => (String(declared[key]?.NoEcho) === 'true' ? '****' : value);
    const parameters = Object.entries(state?.parameters ?? {}).map(([key, value]) => '<member>'
      + `<ParameterKey>${xml(key)}</ParameterKey><ParameterValue>${xml(shown(key, value))}</ParameterValue></member>`);
    return `<Stacks><member><StackId>${xml(stackId)}</StackId><StackName>${xml(stackId.split('/')[1])}</StackName>`
      + `<Parameters>${parameters.join('')}</Parameters>`
      + `<CreationTime>${(state?.created ?? new Date()).toISOString()}</CreationTime>`
      + `<StackStatus>${xml(this.stackStatuses.get(stackId) ?? state?.status ?? 'CREATE_IN_PROGRESS')}</StackStatus>`
      + '<DisableRollback>false</DisableRollback><DriftInformation><StackDriftStatus>NOT_CHECKED</StackDriftStatus></DriftInformation>'
      + '</member></Stacks>';
  }

  /** A stack is named by its ID or its name. */
  private stackIdOf(stackName: string): string {
    const stackId = [...this.stacks.keys()].find((id) => id === stackName || id.split('/')[1] === stackName);
    if (stackId === undefined) {
      throw new QueryError('ValidationError', `Stack with id ${stackName} does not exist`);
    }
    return stackId;
  }

  private liveResources(stackId: string): Array<[string, StackResourceState & { updated: Date }]> {
    return [...this.stacks.get(stackId)!.entries()].filter(([, resource]) => resource.status !== 'DELETE_COMPLETE');
  }

  private resourceFields(logicalId: string, resource: StackResourceState): string {
    const physical = resource.physicalResourceId === undefined ? '' : `<PhysicalResourceId>${xml(resource.physicalResourceId)}</PhysicalResourceId>`;
    const type = resource.resourceType === undefined ? '' : `<ResourceType>${xml(resource.resourceType)}</ResourceType>`;
    return `<LogicalResourceId>${xml(logicalId)}</LogicalResourceId>${physical}${type}`;
  }
}
