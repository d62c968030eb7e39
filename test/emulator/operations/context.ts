import { notFoundError, quotaError } from '../errors';
import { buildArn, ResourceType } from '../ids';
import type { Store } from '../store';

/** What an operation handler may use: the state and the identity of the emulated account/Region. */
export interface OperationContext {
  readonly store: Store;
  readonly accountId: string;
  readonly region: string;
}

export function newArn(ctx: OperationContext, type: ResourceType, id: string): string {
  return buildArn(ctx.region, ctx.accountId, type, id);
}

/** The record stored under `arn`, or a 404 ResourceNotFoundException. */
export function getOrThrow<T>(collection: ReadonlyMap<string, T>, arn: string): T {
  const record = collection.get(arn);
  if (record === undefined) throw notFoundError(arn);
  return record;
}

export function checkQuota(current: number, quota: number, what: string): void {
  if (current >= quota) throw quotaError(`Quota of ${quota} ${what} reached.`);
}

export function copyTags(tags: Record<string, string> | undefined): Record<string, string> {
  return { ...(tags ?? {}) };
}

/** A deep copy via JSON, the wire form of every output. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
