import { isDeepStrictEqual } from 'node:util';
import { ResourceNotFoundException } from '@aws-sdk/client-ivs-realtime';
import { InvalidPropertyError } from './decode';

/*
 * What every resource type's handler does the same way.
 */

/** Whether `physicalId` is the ARN of an IVS resource of type `resource`, e.g. `stage`. */
export function isIvsArn(physicalId: string, resource: string): boolean {
  return new RegExp(`^arn:[a-z-]+:ivs:[a-z0-9-]+:[0-9]+:${resource}/[a-zA-Z0-9-]+$`).test(physicalId);
}

/**
 * Runs `work` on a resource just created, and if it fails, deletes the resource again before
 * failing: CloudFormation never learns the ID of a resource whose create or replacing update
 * failed, so nothing else would ever delete it. If the undo fails too, the error names the
 * resource left behind.
 */
export async function orUndo<T>(work: () => Promise<T>, created: string, undo: () => Promise<unknown>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    try {
      await undo();
    } catch (undoError) {
      const failure = new Error(
        `${(error as Error).message}; deleting ${created} afterwards failed too (${describeError(undoError)}): delete it by hand`,
      );
      failure.name = (error as Error).name;
      throw failure;
    }
    throw error;
  }
}

/**
 * Whether an Update that would replace the resource is CloudFormation rolling back a replacing
 * update of this same resource that failed. That update left the resource as it was (a create that
 * fails creates nothing), and the rollback sends it an Update back to its own properties, old and
 * new swapped: so the resource has the properties asked for, and not those it is asked to leave.
 * Replacing it again would leave a duplicate behind, or fail where IVS refuses one (a key imported
 * twice, a quota that is full) and leave the stack in UPDATE_ROLLBACK_FAILED.
 *
 * A resource that is gone, or whose API does not show what tells the two sets apart, is not this
 * case: the Update replaces it, as a forward update would.
 *
 * @param read reads the resource (its Get operation)
 * @param has whether the resource has the replacement-only properties of a set of properties
 */
export async function rollsBackFailedReplacement<R, P>(
  read: () => Promise<R | undefined>,
  has: (resource: R, props: P) => boolean,
  props: P,
  old: P,
): Promise<boolean> {
  let resource: R | undefined;
  try {
    resource = await read();
  } catch (error) {
    if (error instanceof ResourceNotFoundException) {
      return false;
    }
    throw error;
  }
  return resource !== undefined && has(resource, props) && !has(resource, old);
}

/**
 * Whether anything but the tags differs between two sets of properties. ServiceToken and
 * ServiceTimeout are CloudFormation's own, sent to the handler with the rest: a moved function or
 * a longer timeout changes nothing in IVS. AdoptArn says what a Create took over, and once it has,
 * adding, keeping or removing it changes nothing either (see `refuseAdoptionOnUpdate`).
 */
export function changedBesidesTags<P extends { ServiceToken: string; Tags?: Record<string, string> }>(props: P, old: P): boolean {
  return !isDeepStrictEqual(definition(props), definition(old));
}

function definition(props: { ServiceToken: string; ServiceTimeout?: string; AdoptArn?: string; Tags?: Record<string, string> }): object {
  const { ServiceToken: _token, ServiceTimeout: _timeout, AdoptArn: _adopt, Tags: _tags, ...rest } = props;
  return rest;
}

/** The properties of an update, as far as adoption goes. */
interface AdoptionUpdate {
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId: string;
  readonly ResourceProperties: { readonly ServiceToken: string; readonly AdoptArn?: string };
  readonly OldResourceProperties: { readonly ServiceToken: string; readonly AdoptArn?: string };
}

/**
 * Fails an update that asks to adopt a resource other than the one the logical resource holds:
 * adoption happens only on Create, and taking over another resource would replace this one, which
 * CloudFormation would then delete. An AdoptArn removed, kept as it was, or naming the resource
 * held, changes nothing.
 */
export function refuseAdoptionOnUpdate(event: AdoptionUpdate): void {
  const wanted = event.ResourceProperties.AdoptArn;
  if (wanted === undefined || wanted === event.OldResourceProperties.AdoptArn || wanted === event.PhysicalResourceId) {
    return;
  }
  throw new Error(`refusing to adopt ${wanted} in an update: ${event.LogicalResourceId} already holds ${event.PhysicalResourceId}, `
    + 'and a resource is adopted only when it is created (define a new construct with the adopt ARN instead, or remove this one first)');
}

/**
 * The name a create gives: the properties leave it out only to adopt a resource, which keeps its
 * own name, and a later replacement of that resource needs one.
 */
export function nameToCreate(props: { readonly Name?: string }): string {
  if (props.Name === undefined) {
    throw new InvalidPropertyError('Name', 'given to create a resource (only an adopted one may keep its own name: give one to replace it)', undefined);
  }
  return props.Name;
}

/** `<name>: <message>` of an error, or of a thrown value that is none. */
export function describeError(error: unknown): string {
  const { name, message } = error as { name?: string; message?: string };
  return `${name ?? 'Error'}: ${message ?? String(error)}`;
}
