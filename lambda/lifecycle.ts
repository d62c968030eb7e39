import { isDeepStrictEqual } from 'node:util';
import { ResourceNotFoundException } from '@aws-sdk/client-ivs-realtime';

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
        `${(error as Error).message}; deleting ${created} afterwards failed too (${describe(undoError)}): delete it by hand`,
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
 * a longer timeout changes nothing in IVS.
 */
export function changedBesidesTags<P extends { ServiceToken: string; Tags?: Record<string, string> }>(props: P, old: P): boolean {
  return !isDeepStrictEqual(definition(props), definition(old));
}

function definition(props: { ServiceToken: string; ServiceTimeout?: string; Tags?: Record<string, string> }): object {
  const { ServiceToken: _token, ServiceTimeout: _timeout, Tags: _tags, ...rest } = props;
  return rest;
}

function describe(error: unknown): string {
  const { name, message } = error as { name?: string; message?: string };
  return `${name ?? 'Error'}: ${message ?? String(error)}`;
}
