import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';

/*
 * What CloudFormation is told a failed create's physical ID is. aws-cdk-lib's response wrapper
 * answers a failed Create with its own marker (AWSCDK::CustomResourceProviderFramework::CREATE_FAILED)
 * and then answers the Delete CloudFormation sends for that marker itself, without calling the
 * handler. But a create can fail after IVS made something it could not find again (an answer lost,
 * then the look for it failing until the deadline): that Delete must reach the handler, whose
 * delete finds what the create made by its creator tag.
 */

/** The physical ID of a failed create: not an IVS ARN, so its Delete searches by creator tag. */
export const FAILED_CREATE_ID = 'cdk-ivs-realtime::CREATE_FAILED';

/** aws-cdk-lib's custom-resource response wrapper, as far as the entry point uses it. */
export interface ResponseWrapper {
  /** The wrapper's hooks; `userHandlerIndex` is the module it loads the handler from (`./index`, the bundle). */
  readonly external: { readonly userHandlerIndex: string };
  handler(event: CloudFormationCustomResourceEvent, context?: Context): Promise<void>;
}

/**
 * The wrapper's handler, with a Create given FAILED_CREATE_ID as its physical ID: the wrapper
 * answers a failed request with the event's own physical ID where it has one, and a successful one
 * with the handler's.
 */
export function inFrontOf(wrapper: ResponseWrapper): (event: CloudFormationCustomResourceEvent, context?: Context) => Promise<void> {
  return (event, context) => wrapper.handler(
    event.RequestType === 'Create' ? { ...event, PhysicalResourceId: FAILED_CREATE_ID } as CloudFormationCustomResourceEvent : event,
    context,
  );
}
