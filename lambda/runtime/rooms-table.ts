/*
 * What the join function and the janitor share: the rooms table as they read and write it (one
 * item per room, src/runtime/stage-rooms-contract.ts, in DynamoDB's attribute-value form), and
 * their retrying of the IVS calls that IVS throttles.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { RoomItem, RoomState } from '../../src/runtime/stage-rooms-contract';

export type Attributes = Record<string, AttributeValue>;

/** An item as DynamoDB returns it, as a `RoomItem`; undefined for none. */
export function toRoom(item: Attributes | undefined): RoomItem | undefined {
  if (!item?.roomKey?.S) {
    return undefined;
  }
  return {
    roomKey: item.roomKey.S,
    state: item.state?.S as RoomState,
    claimId: item.claimId?.S ?? '',
    claimedAt: Number(item.claimedAt?.N ?? 0),
    lastJoinAt: Number(item.lastJoinAt?.N ?? 0),
    ...(item.stageArn?.S ? { stageArn: item.stageArn.S } : {}),
    ...(item.eventsEndpoint?.S ? { eventsEndpoint: item.eventsEndpoint.S } : {}),
    ...(item.whipEndpoint?.S ? { whipEndpoint: item.whipEndpoint.S } : {}),
    ...(item.keep?.BOOL !== undefined ? { keep: item.keep.BOOL } : {}),
  };
}

export const str = (value: string): AttributeValue => ({ S: value });
export const num = (value: number): AttributeValue => ({ N: String(value) });

/** Whether `error` is DynamoDB refusing a write whose condition does not hold. */
export function isConditionFailed(error: unknown): boolean {
  return (error as Error | undefined)?.name === 'ConditionalCheckFailedException';
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Retries a call IVS throttled, with jittered exponential backoff, until the deadline. */
export async function retryThrottled<T>(call: () => Promise<T>, deadline: number): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const wait = Math.random() * Math.min(5_000, 250 * 2 ** attempt);
      if (!isThrottling(error) || Date.now() + wait > deadline) {
        throw error;
      }
      await sleep(wait);
    }
  }
}

export function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.name === 'ThrottlingException' || e?.name === 'TooManyRequestsException' || e?.$metadata?.httpStatusCode === 429;
}
