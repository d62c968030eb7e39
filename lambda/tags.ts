import { TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-ivs-realtime';
import { ivs } from './ivs-client';

type Tags = Record<string, string>;

/**
 * Brings a resource's tags from `before` to `after` by difference: one TagResource for the added
 * and changed tags, one UntagResource for the removed ones, and no call for what is unchanged.
 */
export async function updateTags(resourceArn: string, before: Tags = {}, after: Tags = {}): Promise<void> {
  const changed = Object.fromEntries(Object.entries(after).filter(([key, value]) => before[key] !== value));
  const removed = Object.keys(before).filter((key) => !(key in after));
  if (Object.keys(changed).length > 0) {
    await ivs.send(new TagResourceCommand({ resourceArn, tags: changed }));
  }
  if (removed.length > 0) {
    await ivs.send(new UntagResourceCommand({ resourceArn, tagKeys: removed }));
  }
}
