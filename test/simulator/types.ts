import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/** A CloudFormation template, as far as the simulator reads it. */
export interface Template {
  readonly Parameters?: Record<string, { readonly Type: string; readonly Default?: unknown }>;
  readonly Resources: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, { readonly Value: unknown }>;
}

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly Condition?: string;
}

export type RequestType = 'Create' | 'Update' | 'Delete';

/**
 * Where in a stack operation a request was sent: the main pass, the cleanup after a successful
 * update (deleting replaced and removed resources), the rollback of a failed deploy, a stack
 * deletion, or a request sent again with `redeliver()`.
 */
export type Phase = 'deploy' | 'cleanup' | 'rollback' | 'destroy' | 'redelivery';

/** The body a handler PUT to its ResponseURL, parsed. */
export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly NoEcho?: boolean;
  readonly Data?: Record<string, unknown>;
}

/** One resource operation of a stack operation, as CloudFormation's stack events would show it. */
export interface LifecycleEvent {
  readonly phase: Phase;
  readonly logicalId: string;
  readonly resourceType: string;
  readonly requestType: RequestType;
  /** The request sent to the handler; absent for a stub resource (never invoked) and a retained one. */
  readonly request?: CloudFormationCustomResourceEvent;
  /** The response the handler PUT to the ResponseURL; absent when it sent none. */
  readonly response?: CustomResourceResponse;
  /** The raw response body, as CloudFormation would receive it. */
  readonly responseBody?: string;
  /** What the invocation logged: the response wrapper's lines and the handler's console output. */
  readonly logs: readonly string[];
  readonly status: 'SUCCESS' | 'FAILED';
  /** Why the operation failed, worded as CloudFormation's resource status reason. */
  readonly reason?: string;
  /** The physical ID the resource has after the operation (for a Delete, the one deleted). */
  readonly physicalId?: string;
  /** True when a Delete was not sent because of a `Retain` policy. */
  readonly retained?: boolean;
}

export type StackStatus =
  | 'CREATE_COMPLETE'
  | 'ROLLBACK_COMPLETE'
  | 'ROLLBACK_FAILED'
  | 'UPDATE_COMPLETE'
  | 'UPDATE_ROLLBACK_COMPLETE'
  | 'UPDATE_ROLLBACK_FAILED'
  | 'DELETE_COMPLETE'
  | 'DELETE_FAILED';

/** The outcome of `deploy()` or `destroy()`. */
export interface DeployResult {
  readonly success: boolean;
  readonly status: StackStatus;
  /** The failure that stopped the operation, `<LogicalId> (<Type>): <reason>`; undefined on success. */
  readonly reason?: string;
  /** Every resource operation, in the order performed, rollback and cleanup included. */
  readonly events: readonly LifecycleEvent[];
  /** Every line logged by the handlers during the operation. */
  readonly logs: readonly string[];
  /** The stack's outputs, resolved; empty when the stack is gone or the operation failed on a create. */
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** A deployed resource, as CloudFormation knows it. */
export interface SimulatedResource {
  readonly type: string;
  readonly physicalId: string;
  /** What `Fn::GetAtt` reads: a custom resource's latest response Data, a stub's computed attributes. */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** The resolved properties; a custom resource's are stringified as its handler received them. */
  readonly properties: Readonly<Record<string, unknown>>;
}
