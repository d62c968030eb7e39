import { createHash } from 'node:crypto';
import { CloudFormationClient, DescribeStackResourceCommand } from '@aws-sdk/client-cloudformation';
import { ListTagsForResourceCommand, ResourceNotFoundException } from '@aws-sdk/client-ivs-realtime';
import { attemptFits, backoffMs, DeadlineRetryStrategy, REQUEST_HANDLER } from './deadline';
import { ivs } from './ivs-client';
import { isIvsArn, orUndo } from './lifecycle';
import { CREATOR_TAG_KEY } from '../src/custom-resources/creator-tag-contract';

/*
 * Creates that leave exactly one resource, and deletes that find it when CloudFormation never
 * learned its ARN. See the creator tag's contract for why.
 */

type Tags = Record<string, string>;

/** The parts of a CloudFormation request that say which request of which logical resource it is. */
export interface Request {
  readonly RequestType: string;
  readonly StackId: string;
  readonly LogicalResourceId: string;
  readonly RequestId: string;
}

/** What the handler of one resource type tells the shared create and delete paths. */
export interface OwnedResourceType<R> {
  /** The resource type in the ARN, e.g. `stage`. */
  readonly resource: string;
  /** The resource, by ARN (its Get operation). */
  get(arn: string): Promise<R | undefined>;
  /** The pages of its List operation; tags are absent where the summary has none. */
  list(): AsyncIterable<ResourceSummary[]>;
  /** Deletes it (its Delete operation). */
  remove(arn: string): Promise<unknown>;
}

/** What a List operation says of one resource. */
export interface ResourceSummary {
  readonly arn?: string;
  readonly name?: string;
  readonly tags?: Tags;
}

const cloudFormation = new CloudFormationClient({
  retryStrategy: new DeadlineRetryStrategy(true),
  requestHandler: REQUEST_HANDLER,
});

/** The creator tag of what `request` creates. */
export function creatorTag(request: Request): Tags {
  return { [CREATOR_TAG_KEY]: `${logicalResourceDigest(request)}/${request.RequestId}` };
}

/**
 * Creates a resource with `create`, which is given the creator tag to add to the resource's tags.
 *
 * A create whose answer was lost may have made the resource: before trying again, the handler looks
 * for one with this request's creator tag. A create that CloudFormation cancelled while it ran (a
 * sibling failed) is undone: CloudFormation ignores its answer, and its Delete, with an ID it made
 * up, may have come and found nothing.
 */
export async function createOwned<R extends { readonly arn?: string }>(
  request: Request,
  type: OwnedResourceType<R>,
  name: string,
  create: (creatorTags: Tags) => Promise<R | undefined>,
): Promise<R & { readonly arn: string }> {
  const tag = creatorTag(request);
  let made: R | undefined;
  for (let retry = 0; ; retry++) {
    try {
      made = await create(tag);
      break;
    } catch (error) {
      if (!answerLost(error)) {
        throw error;
      }
      // Looked for even when no time is left to create again: a resource made but neither
      // answered with nor deleted would be left behind, known to no one.
      const [arn] = await findOwned(type, name, (value) => value === tag[CREATOR_TAG_KEY]);
      if (arn !== undefined) {
        console.log(`the answer of a create was lost; it made ${arn}`);
        made = await type.get(arn);
        break;
      }
      const delay = backoffMs(retry);
      if (!attemptFits(delay)) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  const arn = made?.arn;
  if (!arn) {
    throw new Error(`the IVS response has no ${type.resource.replace(/-/g, ' ')}`);
  }
  if (request.RequestType === 'Create') {
    await orUndo(async () => {
      if (await cancelledByCloudFormation(request)) {
        throw new Error(`CloudFormation cancelled the create while it made ${arn}, which was deleted again`);
      }
    }, arn, () => removeIfExists(type, arn));
  }
  return made as R & { readonly arn: string };
}

/**
 * Deletes the resource that `physicalId` names, idempotently: one already gone counts as deleted.
 *
 * An ID that is not an ARN of the type is one CloudFormation made up: the create never answered,
 * or CloudFormation cancelled it when a sibling failed. Whatever this logical resource's create
 * made is found by its creator tag and deleted; if it made nothing, nothing is written.
 */
export async function deleteOwned<R>(
  request: Request & { readonly PhysicalResourceId: string },
  type: OwnedResourceType<R>,
  name: string,
): Promise<void> {
  const physicalId = request.PhysicalResourceId;
  if (isIvsArn(physicalId, type.resource)) {
    await removeIfExists(type, physicalId);
    return;
  }
  const prefix = `${logicalResourceDigest(request)}/`;
  const arns = await findOwned(type, name, (value) => value?.startsWith(prefix) === true);
  console.log(`not an IVS ${type.resource} ARN: ${physicalId}; what its create made: ${arns.length === 0 ? 'nothing' : arns.join(', ')}`);
  await Promise.all(arns.map((arn) => removeIfExists(type, arn)));
}

/** The ARNs of the resources named `name` whose creator tag `matches`. */
async function findOwned<R>(type: OwnedResourceType<R>, name: string, matches: (creator: string | undefined) => boolean): Promise<string[]> {
  const found: string[] = [];
  for await (const page of type.list()) {
    for (const { arn, name: itemName, tags } of page) {
      if (arn !== undefined && itemName === name && matches((tags ?? await tagsOf(arn))[CREATOR_TAG_KEY])) {
        found.push(arn);
      }
    }
  }
  return found;
}

/** The tags of a resource whose List summary has none; a resource deleted meanwhile has none. */
async function tagsOf(resourceArn: string): Promise<Tags> {
  try {
    return (await ivs.send(new ListTagsForResourceCommand({ resourceArn }))).tags ?? {};
  } catch (error) {
    if (error instanceof ResourceNotFoundException) {
      return {};
    }
    throw error;
  }
}

async function removeIfExists<R>(type: OwnedResourceType<R>, arn: string): Promise<void> {
  try {
    await type.remove(arn);
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) {
      throw error;
    }
    console.log(`${type.resource} already deleted: ${arn}`);
  }
}

/**
 * Whether CloudFormation has given up on the resource this create is for. While it waits for the
 * answer the resource is CREATE_IN_PROGRESS; once it cancelled the create it is CREATE_FAILED and
 * then being deleted, and once the stack is deleted it does not exist.
 */
async function cancelledByCloudFormation(request: Request): Promise<boolean> {
  try {
    const { StackResourceDetail: resource } = await cloudFormation.send(new DescribeStackResourceCommand({
      StackName: request.StackId,
      LogicalResourceId: request.LogicalResourceId,
    }));
    const status = resource?.ResourceStatus ?? '';
    return status === 'CREATE_FAILED' || status.startsWith('DELETE_');
  } catch (error) {
    if ((error as Error).name === 'ValidationError' && /does not exist/.test((error as Error).message)) {
      return true;
    }
    throw error;
  }
}

/**
 * Whether a failed SDK call may have done its work. IVS refuses a request it did not do with an
 * error of the client's fault (invalid, denied, conflicting, over a quota, throttled); a server
 * error, a reset connection or a timeout say nothing about whether it was done. Errors without the
 * SDK's `$metadata` are the handler's own, raised before any call.
 */
function answerLost(error: unknown): boolean {
  const { $metadata, $fault } = error as { $metadata?: { httpStatusCode?: number }; $fault?: string };
  const status = $metadata?.httpStatusCode ?? 0;
  return $metadata !== undefined && $fault !== 'client' && !(status >= 400 && status < 500);
}

/** 32 hex digits naming a logical resource of a stack: the creator tag must stay within 256 characters. */
function logicalResourceDigest(request: Request): string {
  return createHash('sha256').update(`${request.StackId}|${request.LogicalResourceId}`).digest('hex').slice(0, 32);
}
