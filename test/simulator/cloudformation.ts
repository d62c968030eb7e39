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

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * A minimal CloudFormation endpoint (the awsQuery protocol: form-encoded POST, XML answers) on
 * 127.0.0.1, for handlers that ask CloudFormation what became of their own resource. It holds
 * (stack ID, logical ID) → status and physical ID, which the lifecycle simulator or the burst
 * driver keep as CloudFormation would, and answers DescribeStackResource from it. A stack it does
 * not hold, or a resource its stack does not have, gets CloudFormation's ValidationError.
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
  /** Stack ID → stack status, where one was set. */
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
   * Sets what DescribeStacks shows as the stack's status (e.g. UPDATE_ROLLBACK_IN_PROGRESS while
   * CloudFormation rolls an update back). A stack whose status was never set shows
   * UPDATE_IN_PROGRESS: nothing is being rolled back.
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

  /** Forgets a stack, as CloudFormation does (for describing by name) once it is deleted. */
  public removeStack(stackId: string): void {
    this.stacks.delete(stackId);
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
      if (action === 'DescribeStackResource') {
        body = this.describeStackResource(params, requestId);
      } else if (action === 'DescribeStacks') {
        body = this.describeStacks(params, requestId);
      } else {
        throw new QueryError('InvalidAction', `The action ${action} is not valid for this web service.`);
      }
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

  /** DescribeStacks of one stack, by ID or name: its ID, name and status. */
  private describeStacks(params: URLSearchParams, requestId: string): string {
    const stackName = params.get('StackName');
    const stackId = [...this.stacks.keys()].find((id) => id === stackName || id.split('/')[1] === stackName);
    if (stackName === null || stackId === undefined) {
      throw new QueryError('ValidationError', `Stack with id ${stackName} does not exist`);
    }
    const status = this.stackStatuses.get(stackId) ?? 'UPDATE_IN_PROGRESS';
    return `<DescribeStacksResponse xmlns="${XMLNS}"><DescribeStacksResult><Stacks><member>`
      + `<StackId>${xml(stackId)}</StackId><StackName>${xml(stackId.split('/')[1])}</StackName>`
      + `<CreationTime>2026-01-01T00:00:00.000Z</CreationTime><StackStatus>${xml(status)}</StackStatus>`
      + `</member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>`
      + '</DescribeStacksResponse>';
  }

  private describeStackResource(params: URLSearchParams, requestId: string): string {
    const stackName = params.get('StackName');
    const logicalId = params.get('LogicalResourceId');
    if (!stackName) {
      throw new QueryError('ValidationError', '1 validation error detected: Value null at \'stackName\' failed to satisfy constraint: Member must not be null');
    }
    if (!logicalId) {
      throw new QueryError('ValidationError', '1 validation error detected: Value null at \'logicalResourceId\' failed to satisfy constraint: Member must not be null');
    }
    // A stack is named by its ID or its name.
    const stackId = [...this.stacks.keys()].find((id) => id === stackName || id.split('/')[1] === stackName);
    if (stackId === undefined) {
      throw new QueryError('ValidationError', `Stack with id ${stackName} does not exist`);
    }
    const resource = this.stacks.get(stackId)!.get(logicalId);
    if (!resource) {
      throw new QueryError('ValidationError', `Resource ${logicalId} does not exist for stack ${stackName}`);
    }
    const physical = resource.physicalResourceId === undefined ? '' : `<PhysicalResourceId>${xml(resource.physicalResourceId)}</PhysicalResourceId>`;
    const type = resource.resourceType === undefined ? '' : `<ResourceType>${xml(resource.resourceType)}</ResourceType>`;
    return `<DescribeStackResourceResponse xmlns="${XMLNS}"><DescribeStackResourceResult><StackResourceDetail>`
      + `<StackId>${xml(stackId)}</StackId><StackName>${xml(stackId.split('/')[1])}</StackName>`
      + `<LogicalResourceId>${xml(logicalId)}</LogicalResourceId>${physical}${type}`
      + `<LastUpdatedTimestamp>${resource.updated.toISOString()}</LastUpdatedTimestamp>`
      + `<ResourceStatus>${resource.status}</ResourceStatus>`
      + '<Metadata>{}</Metadata><DriftInformation><StackResourceDriftStatus>NOT_CHECKED</StackResourceDriftStatus></DriftInformation>'
      + `</StackResourceDetail></DescribeStackResourceResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>`
      + '</DescribeStackResourceResponse>';
  }
}
