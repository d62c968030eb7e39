/*
 * The entry point of the handler bundle. aws-cdk-lib's response wrapper, shipped beside the bundle
 * as `cdk-response-wrapper.js` behind the function's own entry point `__entrypoint__.js` (see
 * entrypoint.ts and .projenrc.ts), calls `handler` once per CloudFormation request and sends
 * exactly one response: SUCCESS with what this returns, or FAILED with the message of what this
 * throws. The entry point runs the wrapper through `answerThenCheck`, which, once a Create's
 * SUCCESS is sent, checks that CloudFormation took it.
 */
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { withInvocationDeadline } from './deadline';
import * as encoderConfiguration from './encoder-configuration';
import * as ingestConfiguration from './ingest-configuration';
import { refuseAdoptionOnUpdate } from './lifecycle';
import { answering, recordAnswer, requireTrackedByCloudFormation, rolledBack } from './ownership';
import * as publicKey from './public-key';
import * as stage from './stage';
import * as storageConfiguration from './storage-configuration';
import { ENCODER_CONFIGURATION_RESOURCE_TYPE } from '../src/custom-resources/encoder-configuration-contract';
import { STACK_ID_VARIABLE } from '../src/custom-resources/handler-environment-contract';
import { INGEST_CONFIGURATION_RESOURCE_TYPE } from '../src/custom-resources/ingest-configuration-contract';
import { PUBLIC_KEY_RESOURCE_TYPE } from '../src/custom-resources/public-key-contract';
import { STAGE_RESOURCE_TYPE } from '../src/custom-resources/stage-contract';
import { STORAGE_CONFIGURATION_RESOURCE_TYPE } from '../src/custom-resources/storage-configuration-contract';

/** What a resource type's handler returns to CloudFormation. */
export interface HandlerResponse {
  readonly PhysicalResourceId?: string;
  /**
   * The attributes: the contract's `XxxResponseData`, whose members are all strings. An interface
   * has no index signature, so this is `object` rather than `Record<string, string>`, which would
   * need a cast per module.
   */
  readonly Data?: object;
}

export interface ResourceHandler {
  onCreate(event: CloudFormationCustomResourceEvent & { RequestType: 'Create' }): Promise<HandlerResponse>;
  onUpdate(event: CloudFormationCustomResourceEvent & { RequestType: 'Update' }): Promise<HandlerResponse>;
  onDelete(event: CloudFormationCustomResourceEvent & { RequestType: 'Delete' }): Promise<void>;
}

/**
 * Each resource type has its own Lambda function and role; they share this bundle so that the
 * SDK ships once. The role, not this table, decides what a function may do. No cast: the type
 * checker sees that each module's onCreate, onUpdate and onDelete are those of a ResourceHandler.
 */
const HANDLERS: Record<string, ResourceHandler> = {
  [STAGE_RESOURCE_TYPE]: stage,
  [STORAGE_CONFIGURATION_RESOURCE_TYPE]: storageConfiguration,
  [ENCODER_CONFIGURATION_RESOURCE_TYPE]: encoderConfiguration,
  [INGEST_CONFIGURATION_RESOURCE_TYPE]: ingestConfiguration,
  [PUBLIC_KEY_RESOURCE_TYPE]: publicKey,
};

/** How long before the Lambda timeout the handler gives up, so that the wrapper can still answer. */
export const DEADLINE_MARGIN_MS = 5_000;

/** CloudFormation's whole response must stay under 4 KB; the reason is most of what can grow. */
export const MAX_REASON_LENGTH = 1_000;

export async function handler(event: CloudFormationCustomResourceEvent, context?: Context): Promise<HandlerResponse | void> {
  console.log(JSON.stringify({
    requestType: event.RequestType,
    resourceType: event.ResourceType,
    logicalResourceId: event.LogicalResourceId,
    physicalResourceId: event.RequestType === 'Create' ? undefined : event.PhysicalResourceId,
  }));
  const resourceHandler = HANDLERS[event.ResourceType];
  try {
    if (!resourceHandler) {
      throw new Error(`unsupported resource type ${event.ResourceType}`);
    }
    const response = await withDeadline(() => dispatch(resourceHandler, event), context);
    recordAnswer(response?.PhysicalResourceId);
    return response;
  } catch (error) {
    throw toFailure(event.RequestType, error);
  }
}

/**
 * One invocation of the function, as the entry point (entrypoint.ts) runs it: `answer` is the
 * response wrapper at work on the event (it calls `handler`, then sends the answer). Once it has
 * sent a Create's SUCCESS, the create checks that CloudFormation took the answer, and deletes what
 * it made if CloudFormation cancelled the create meanwhile (`checkAnswerTaken` in ownership.ts),
 * within the same deadline as the handler. The check never fails the invocation: the answer is
 * sent, and a failed invocation would only make Lambda deliver the Create again.
 */
export async function answerThenCheck(answer: () => Promise<void>, context?: Context): Promise<void> {
  const check = await answering(answer);
  if (check === undefined) {
    return;
  }
  try {
    await withDeadline(check, context);
  } catch (error) {
    console.log(`the check whether CloudFormation took the answer gave up: ${(error as Error).message}`);
  }
}

async function dispatch(resourceHandler: ResourceHandler, event: CloudFormationCustomResourceEvent): Promise<HandlerResponse | void> {
  const ownStack = process.env[STACK_ID_VARIABLE];
  if (ownStack && event.StackId !== ownStack) {
    throw new Error(`refusing a request of stack ${event.StackId}: this handler serves stack ${ownStack} only`);
  }
  switch (event.RequestType) {
    case 'Create': return resourceHandler.onCreate(event);
    case 'Update':
      await requireTrackedByCloudFormation(event);
      refuseAdoptionOnUpdate(event);
      return updateUnlessRolledBack(resourceHandler, event);
    case 'Delete': return resourceHandler.onDelete(event);
    default: throw new Error(`unsupported request type ${(event as { RequestType: string }).RequestType}`);
  }
}

/**
 * Updates in place, unless CloudFormation began rolling back the stack while this update ran: then
 * the rollback's own Update (the old properties again) may have been carried out before this
 * one's writes, which would leave the resource as this update wanted while CloudFormation records
 * the old properties. Such an update puts the old properties back itself and fails (CloudFormation
 * ignores its answer). An Update that begins after the rollback did is taken for the rollback's
 * own and left alone: a forward Update delivered that late cannot be told apart from it.
 * A replacing update answers with a new ID; `createOwned` undoes one that a rollback overtook.
 */
async function updateUnlessRolledBack(
  resourceHandler: ResourceHandler,
  event: CloudFormationCustomResourceEvent & { RequestType: 'Update' },
): Promise<HandlerResponse> {
  const forward = !(await rolledBack(event));
  const response = await resourceHandler.onUpdate(event);
  if (forward && response.PhysicalResourceId === event.PhysicalResourceId && await rolledBack(event)) {
    await resourceHandler.onUpdate({ ...event, ResourceProperties: event.OldResourceProperties, OldResourceProperties: event.ResourceProperties });
    throw new Error(`CloudFormation began rolling back the stack while this update ran: its changes to ${event.PhysicalResourceId} were undone`);
  }
  return response;
}

/**
 * The core wrapper has no timer of its own: a handler still running when Lambda stops it sends
 * no response, and CloudFormation waits the whole ServiceTimeout. Giving up a little earlier lets
 * the wrapper answer FAILED. The SDK clients stop retrying by the same deadline (see deadline.ts).
 */
async function withDeadline<T>(work: () => Promise<T>, context: Context | undefined): Promise<T> {
  if (!context) {
    return work();
  }
  const budget = context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${Math.round(budget / 1000)} seconds, giving up before the Lambda timeout`)), budget);
  });
  try {
    return await Promise.race([withInvocationDeadline(Date.now() + budget, work), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The error the wrapper turns into CloudFormation's Reason: the actionable message first, no stack
 * trace (the wrapper would otherwise send it), no control characters, and short enough for the 4 KB
 * response limit.
 */
function toFailure(requestType: string, error: unknown): Error {
  const cause = error as { name?: string; message?: string; exceptionMessage?: string } | undefined;
  const name = cause?.name ?? 'Error';
  const message = cause?.exceptionMessage ?? cause?.message ?? String(error);
  let reason = `${requestType} failed: ${name}: ${message}`.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  if (reason.length > MAX_REASON_LENGTH) {
    reason = `${reason.slice(0, MAX_REASON_LENGTH - 3)}...`;
  }
  const failure = new Error(reason);
  failure.stack = reason;
  return failure;
}
