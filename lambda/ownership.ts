import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { CloudFormationClient, DescribeStackResourceCommand, DescribeStacksCommand, StackResourceDetail } from '@aws-sdk/client-cloudformation';
import { ListTagsForResourceCommand, ResourceNotFoundException, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-ivs-realtime';
import { attemptFits, backoffMs, DeadlineRetryStrategy, invocationStarted, REQUEST_HANDLER } from './deadline';
import { InvalidPropertyError } from './decode';
import { FAILED_CREATE_ID } from './failed-create';
import { ivs } from './ivs-client';
import { describeError, isIvsArn, orUndo } from './lifecycle';
import { updateTags } from './tags';
import { CREATOR_TAG_KEY } from '../src/custom-resources/creator-tag-contract';

/*
 * Creates that leave exactly one resource, even when CloudFormation cancels them or ignores their
 * answer, and deletes that find it when a create failed without learning its ARN. See the creator
 * tag's contract for why.
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

/**
 * Whose a resource is, to the logical resource of `request`, by its tags: made by this logical
 * resource (`this`), carrying no creator tag and no CloudFormation tag (`none`), made by another
 * logical resource or stack (`another`), or managed by CloudFormation itself (`cloudformation`,
 * an `aws:cloudformation:*` tag). An update, a delete or a secret write takes `this` only; adopting
 * an existing resource may take `none` too.
 */
export type Owner = 'this' | 'none' | 'another' | 'cloudformation';

export function ownerOf(request: Pick<Request, 'StackId' | 'LogicalResourceId'>, tags: Tags | undefined): Owner {
  const creator = tags?.[CREATOR_TAG_KEY];
  if (creator !== undefined) {
    return creator.startsWith(`${logicalResourceDigest(request)}/`) ? 'this' : 'another';
  }
  return Object.keys(tags ?? {}).some((key) => key.startsWith('aws:cloudformation:')) ? 'cloudformation' : 'none';
}

/** Fails, naming the resource and why, unless the logical resource of `request` made it. */
export function requireOwned(request: Pick<Request, 'StackId' | 'LogicalResourceId'>, arn: string, tags: Tags | undefined): void {
  const owner = ownerOf(request, tags);
  if (owner !== 'this') {
    const why = {
      none: `it has no ${CREATOR_TAG_KEY} tag`,
      another: `its ${CREATOR_TAG_KEY} tag names another logical resource or stack`,
      cloudformation: 'CloudFormation manages it',
    }[owner];
    const error = new Error(`refusing to act on ${arn}, which ${request.LogicalResourceId} of this stack did not create: ${why}`);
    error.name = 'NotOwnedError';
    throw error;
  }
}

/**
 * Fails, naming the resource, unless CloudFormation holds `PhysicalResourceId` for the request's
 * logical resource: an Update names the resource it changes (and whose secret it may copy) only
 * by that ID, and whoever may invoke the handler could name any other. An answer without a
 * physical ID (CloudFormation always gives one once a create has answered) proves nothing either
 * way and is let through.
 */
export async function requireTrackedByCloudFormation(request: Request & { readonly PhysicalResourceId: string }): Promise<void> {
  const held = (await stackResource(request))?.PhysicalResourceId;
  if (held !== undefined && held !== request.PhysicalResourceId) {
    const error = new Error(`refusing to act on ${request.PhysicalResourceId}: CloudFormation holds ${held} for ${request.LogicalResourceId} of this stack`);
    error.name = 'NotOwnedError';
    throw error;
  }
}

/** The creator tag of what `request` creates. */
export function creatorTag(request: Request): Tags {
  return { [CREATOR_TAG_KEY]: `${logicalResourceDigest(request)}/${request.RequestId}` };
}

/**
 * How long a resource may have waited for its create before this invocation of the create began,
 * for the invocation to be a first delivery. Lambda retries a failed asynchronous invocation a
 * minute later at the earliest; CloudFormation's own invocation starts within seconds of the
 * resource's CREATE_IN_PROGRESS (later only when the account has no concurrency to spare, where a
 * look costs time but changes nothing).
 */
export const REDELIVERY_AGE_MS = 30_000;

/** The suffix of the creator tag of a resource whose create lost an answer: see `createOwned`. */
export const ANSWER_LOST_SUFFIX = '/answer-lost';

/**
 * Creates a resource with `create`, which is given the creator tag to add to the resource's tags,
 * and returns the one resource this request leaves, after `store` (if given) has stored its
 * credential. A `store` that fails deletes it again.
 *
 * - A create whose answer was lost may have made the resource: before trying again, the handler
 *   looks for one with this request's creator tag. A call cut at the request timeout may still be
 *   carried out after that look found nothing, so a create that called more than once looks once
 *   more when it has a resource and deletes any other of this request, and keeps one whose creator
 *   tag is marked (ANSWER_LOST_SUFFIX): the delete of the logical resource then looks for one
 *   carried out later still.
 * - A create that CloudFormation cancelled while it ran (a sibling failed) is undone:
 *   CloudFormation ignores its answer, and its Delete, with an ID it made up, deletes nothing (see
 *   `deleteOwned`). A create cancelled after this check, before CloudFormation took its answer, is
 *   undone by the check after the answer (`checkAnswerTaken`), for which the resource kept is
 *   recorded in the invocation's context.
 * - Lambda delivers an event at least once, and retries an invocation that failed. A delivery that
 *   finds CloudFormation already holding another resource of this type for the create (an earlier
 *   delivery answered) deletes its own and answers that one, without `store`: its credential is the
 *   earlier delivery's to store. A delivery that began long after the resource started waiting (a
 *   retry, see REDELIVERY_AGE_MS) looks for what an earlier one made, and does the same.
 */
export async function createOwned<R extends { readonly arn?: string; readonly tags?: Tags }>(
  request: Request,
  type: OwnedResourceType<R>,
  name: string,
  create: (creatorTags: Tags) => Promise<R | undefined>,
  store?: (made: R & { readonly arn: string }) => Promise<void>,
): Promise<R & { readonly arn: string }> {
  const tag = creatorTag(request);
  const retriedTag = { [CREATOR_TAG_KEY]: `${tag[CREATOR_TAG_KEY]}${ANSWER_LOST_SUFFIX}` };
  const ofThisRequest = isOfRequest(request);
  let made: R | undefined;
  let calls = 0;
  for (let retry = 0; ; retry++) {
    try {
      calls++;
      // A second call is marked: if the first was carried out after all, the delete of the
      // logical resource knows from the one kept to look for it.
      made = await create(calls === 1 ? tag : retriedTag);
      break;
    } catch (error) {
      if (!answerLost(error)) {
        throw error;
      }
      // Looked for even when no time is left to create again: a resource made but neither
      // answered with nor deleted would be left behind, known to no one.
      const [arn] = await findOwned(type, name, ofThisRequest);
      if (arn !== undefined) {
        console.log(`the answer of a create was lost; it made ${arn}`);
        made = await type.get(arn);
        break;
      }
      const delay = backoffMs(retry);
      // Another attempt only with time left for the look after it, should its answer be lost too.
      if (!attemptFits(delay, 1)) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  const arn = made?.arn;
  if (!arn) {
    throw new Error(`the IVS response has no ${type.resource.replace(/-/g, ' ')}`);
  }
  const mine = made as R & { readonly arn: string };
  const left = await orUndo(async () => {
    if (calls > 1) {
      // A call given up on at the request timeout may have been carried out after the look that
      // found nothing.
      await removeOthers(type, name, ofThisRequest, arn);
      if ((made as { tags?: Tags }).tags?.[CREATOR_TAG_KEY] !== retriedTag[CREATOR_TAG_KEY]) {
        await ivs.send(new TagResourceCommand({ resourceArn: arn, tags: retriedTag }));
      }
    }
    if (request.RequestType !== 'Create' && await rolledBack(request)) {
      // A replacing update whose rollback has begun: CloudFormation ignores its answer, keeps the
      // old resource, and the secret must keep the old one's credential.
      throw new Error(`CloudFormation rolled back the update while it made ${arn}, which was deleted again`);
    }
    const kept = request.RequestType === 'Create' ? await keptByCloudFormation(request, type, name, ofThisRequest, arn) : arn;
    if (kept !== arn) {
      await removeIfExists(type, arn);
      console.log(`another delivery of this request made ${kept}; deleted ${arn}, made by this one`);
      return required(type, await type.get(kept));
    }
    await store?.(mine);
    return mine;
  }, arn, () => removeIfExists(type, arn));
  if (request.RequestType === 'Create') {
    recordKept(request, type, left.arn);
  }
  return left;
}

/** Whether a creator tag's value is that of `request`: as its create made it, or marked after a lost answer. */
function isOfRequest(request: Request): (creator: string | undefined) => boolean {
  const value = creatorTag(request)[CREATOR_TAG_KEY];
  return (creator) => creator === value || creator === `${value}${ANSWER_LOST_SUFFIX}`;
}

/**
 * Which resource CloudFormation keeps for this create, which made `arn`: `arn`, or one another
 * delivery of the same request made. Fails if CloudFormation no longer waits for the create.
 */
async function keptByCloudFormation<R>(
  request: Request,
  type: OwnedResourceType<R>,
  name: string,
  ofThisRequest: (creator: string | undefined) => boolean,
  arn: string,
): Promise<string> {
  const resource = await stackResource(request);
  const status = resource?.ResourceStatus ?? '';
  if (resource === undefined || status === 'CREATE_FAILED' || status.startsWith('DELETE_')) {
    throw new Error(`CloudFormation cancelled the create while it made ${arn}, which was deleted again`);
  }
  const held = resource.PhysicalResourceId ?? '';
  if (status !== 'CREATE_IN_PROGRESS' && status !== '') {
    // An earlier delivery's answer reached CloudFormation.
    return isIvsArn(held, type.resource) ? held : arn;
  }
  const waitingSince = resource.LastUpdatedTimestamp?.getTime();
  const started = invocationStarted();
  if (waitingSince !== undefined && started !== undefined && started - waitingSince > REDELIVERY_AGE_MS) {
    const [earlier] = (await findOwned(type, name, ofThisRequest)).filter((found) => found !== arn);
    return earlier ?? arn;
  }
  return arn;
}

/*
 * The check after a create's answer. CloudFormation ignores the answer of a create it cancelled (a
 * sibling failed) and sends it a Delete with a physical ID it made up, which deletes nothing (see
 * `deleteOwned`): a cancelled create deletes what it made itself. Before it answers it asks
 * CloudFormation (`keptByCloudFormation`), but CloudFormation may cancel it after that and before
 * it takes the answer. So once a Create's SUCCESS answer is sent, the create asks again, until
 * CloudFormation no longer waits for it. The invocation's record of what its Create kept and
 * answered lives in its async context, as its deadline does (deadline.ts).
 */

/** What the current invocation's Create kept (`createOwned`) and answered (`recordAnswer`). */
interface AnsweredCreate {
  kept?: { readonly request: Request; readonly type: OwnedResourceType<{ readonly tags?: Tags }>; readonly arn: string };
  answered?: string;
}

const answeredCreate = new AsyncLocalStorage<AnsweredCreate>();

/**
 * Runs `answer` (the response wrapper: the handler, then its answer to CloudFormation) with a
 * record of its own of what a Create keeps and answers, and returns the check to make now that the
 * answer is sent (`checkAnswerTaken`): none unless a Create answered SUCCESS with a resource it
 * made (`createOwned` records what it keeps). An adopted resource is never checked, as no
 * `createOwned` made it: it was there before the stack, and the Delete of a cancelled adoption lets
 * it go (`releaseAdopted`).
 */
export async function answering(answer: () => Promise<void>): Promise<(() => Promise<void>) | undefined> {
  const record: AnsweredCreate = {};
  await answeredCreate.run(record, answer);
  const { kept, answered } = record;
  if (kept === undefined || answered !== kept.arn) {
    return undefined;
  }
  return () => checkAnswerTaken(kept.request, kept.type, kept.arn);
}

/**
 * Records the physical ID the handler answers with. Only a Create's answer is ever checked: only
 * `createOwned` records what a Create kept.
 */
export function recordAnswer(physicalId: string | undefined): void {
  const record = answeredCreate.getStore();
  if (record !== undefined) {
    record.answered = physicalId;
  }
}

/** Records the resource a Create keeps, for the check after its answer. */
function recordKept<R extends { readonly tags?: Tags }>(request: Request, type: OwnedResourceType<R>, arn: string): void {
  const record = answeredCreate.getStore();
  if (record !== undefined) {
    record.kept = { request, type, arn };
  }
}

/**
 * The check after the answer waits up to this long before it asks CloudFormation again, and each
 * further time up to twice as long as the time before (MAX_DELAY_MS at most): CloudFormation takes
 * an answer within seconds.
 */
export const ANSWER_CHECK_BASE_DELAY_MS = 1_000;

/**
 * The check a create makes after it answered SUCCESS with `arn`, which it made: asks CloudFormation
 * (`DescribeStackResource`) until the logical resource is no longer CREATE_IN_PROGRESS, waiting
 * longer each time, then
 * - CloudFormation holds `arn`: it took the answer, and nothing is done;
 * - the create failed (CloudFormation cancelled it), CloudFormation holds another physical ID (one
 *   it made up, or the answer of another delivery of the create), or the resource or its stack is
 *   gone: CloudFormation ignored the answer, and `arn` is deleted, if it still carries the creator
 *   tag of this request.
 *
 * Never fails: the answer is sent, and a failed invocation would only make Lambda deliver the Create
 * again. What it cannot decide it logs and leaves: CloudFormation still showing the create in
 * progress when the invocation's deadline comes, or its API or IVS failing until then.
 */
export async function checkAnswerTaken<R extends { readonly tags?: Tags }>(request: Request, type: OwnedResourceType<R>, arn: string): Promise<void> {
  try {
    for (let retry = 0; ; retry++) {
      const resource = await stackResource(request);
      const status = resource?.ResourceStatus ?? '';
      if (resource === undefined || (status !== 'CREATE_IN_PROGRESS' && status !== '')) {
        if (resource !== undefined && status !== 'CREATE_FAILED' && resource.PhysicalResourceId === arn) {
          console.log(`CloudFormation took the answer ${arn}`);
          return;
        }
        const shown = resource === undefined
          ? `${request.LogicalResourceId} or its stack is gone`
          : `it shows ${request.LogicalResourceId} ${status} with ${resource.PhysicalResourceId ?? 'no physical ID'}`;
        await removeIgnored(request, type, arn, shown);
        return;
      }
      const delay = backoffMs(retry, ANSWER_CHECK_BASE_DELAY_MS);
      // Another look only if it ends before the deadline, even if it runs into the request timeout.
      if (!attemptFits(delay)) {
        console.log(`CloudFormation still showed ${request.LogicalResourceId} CREATE_IN_PROGRESS when this invocation's time ran out: `
          + `whether it took the answer ${arn} is unknown, and ${arn} is left as it is (if the create was cancelled, delete it by hand)`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  } catch (error) {
    console.log(`the check whether CloudFormation took the answer ${arn} failed (${describeError(error)}): ${arn} is left as it is `
      + '(if the create was cancelled, delete it by hand)');
  }
}

/** Deletes `arn`, whose create's answer CloudFormation ignored (`shown` says why), if it still carries the creator tag of `request`. */
async function removeIgnored<R extends { readonly tags?: Tags }>(
  request: Request,
  type: OwnedResourceType<R>,
  arn: string,
  shown: string,
): Promise<void> {
  const live = await getIfExists(type, arn);
  if (live === undefined) {
    console.log(`CloudFormation did not take the answer ${arn} (${shown}); it is already deleted`);
    return;
  }
  const creator = live.tags?.[CREATOR_TAG_KEY];
  if (!isOfRequest(request)(creator)) {
    console.log(`CloudFormation did not take the answer ${arn} (${shown}), but its ${CREATOR_TAG_KEY} tag is no longer this request's `
      + `(${creator ?? 'none'}): left as it is`);
    return;
  }
  await removeIfExists(type, arn);
  console.log(`CloudFormation did not take the answer ${arn} (${shown}); deleted ${arn}, which this create made`);
}

/**
 * For the rollback of a replacing update: deletes what the update being rolled back made, if it
 * got that far (its create may have been carried out before the rollback, or while it ran), and
 * returns their ARNs. Those are the resources named `name` (the name the update gave) with this
 * logical resource's creator tag, but `kept`, the resource CloudFormation keeps.
 */
export async function removeRolledBackReplacements<R>(
  request: Request,
  type: OwnedResourceType<R>,
  name: string | undefined,
  kept: string,
): Promise<string[]> {
  const prefix = `${logicalResourceDigest(request)}/`;
  const made = (await findOwned(type, name, (value) => value?.startsWith(prefix) === true)).filter((arn) => arn !== kept);
  if (made.length > 0) {
    console.log(`the update being rolled back made ${made.join(', ')}; deleting it, keeping ${kept}`);
  }
  await Promise.all(made.map((arn) => removeIfExists(type, arn)));
  return made;
}

/** Deletes every resource of this request but `kept`: creates carried out after the handler gave up on them. */
async function removeOthers<R>(
  type: OwnedResourceType<R>,
  name: string | undefined,
  ofThisRequest: (creator: string | undefined) => boolean,
  kept: string,
): Promise<void> {
  const others = (await findOwned(type, name, ofThisRequest)).filter((arn) => arn !== kept);
  if (others.length > 0) {
    console.log(`a create given up on was carried out after all; keeping ${kept}, deleting ${others.join(', ')}`);
  }
  await Promise.all(others.map((other) => removeIfExists(type, other)));
}

function required<R extends { readonly arn?: string }>(type: OwnedResourceType<R>, resource: R | undefined): R & { readonly arn: string } {
  if (!resource?.arn) {
    throw new Error(`the IVS response has no ${type.resource.replace(/-/g, ' ')}`);
  }
  return resource as R & { readonly arn: string };
}

/** What adopting differs in from one resource type to another. */
export interface Adoption<R> {
  /** The tags the properties give; the creator tag comes on top. */
  readonly tags: Tags | undefined;
  /**
   * What of the live resource differs from the properties where the type cannot change it in
   * place, one entry per property: `<what> is <live>, wanted <wanted>`. Empty: it can be adopted.
   */
  differences(live: R): string[];
  /** Changes what differs where the type can change it in place; returns the resource as it is then. */
  converge?(live: R & { readonly arn: string }): Promise<R | undefined>;
  /** Puts back what `converge` changed: from `now` to `found`, the resource as the adoption found it. */
  restore?(found: R & { readonly arn: string }, now: R & { readonly arn: string }): Promise<unknown>;
  /** Stores the adopted resource's credential, as a create would. */
  store?(adopted: R & { readonly arn: string }): Promise<void>;
}

/**
 * Takes over the existing resource `arn` for the logical resource of `request` (a Create), as if
 * this create had made it, and returns it. It must be in the stack's account and region, and
 * belong to no one else: not to another logical resource (its creator tag), nor to CloudFormation
 * (an `aws:cloudformation:*` tag). Every property the type cannot change in place is compared
 * before anything is written, and any difference fails the adoption, the resource untouched. Then
 * the rest is brought to the properties, the tags to exactly those given, and the creator tag is
 * added last: an adoption that fails leaves no creator tag, and its rollback's delete lets the
 * resource go (see `deleteOwned`).
 */
export async function adoptOwned<R extends { readonly arn?: string; readonly tags?: Tags }>(
  request: Request,
  type: OwnedResourceType<R>,
  arn: string,
  adoption: Adoption<R>,
): Promise<R & { readonly arn: string }> {
  const noun = type.resource.replace(/-/g, ' ');
  if (!isIvsArn(arn, type.resource)) {
    const expected = `an IVS ${noun} ARN (arn:<partition>:ivs:<region>:<account>:${type.resource}/<id>)`;
    throw new InvalidPropertyError('AdoptArn', expected, arn);
  }
  const [, , , stackRegion, stackAccount] = request.StackId.split(':');
  const [, , , region, account] = arn.split(':');
  if (region !== stackRegion || account !== stackAccount) {
    throw adoptionRefused(arn, `it is in account ${account}, region ${region}; the stack is in account ${stackAccount}, region ${stackRegion}`);
  }
  const live = await getIfExists(type, arn);
  if (live === undefined) {
    throw adoptionRefused(arn, `no such ${noun} in account ${account}, region ${region}`);
  }
  const tags = live.tags ?? {};
  const owner = ownerOf(request, tags);
  if (owner === 'another') {
    throw adoptionRefused(arn, `another logical resource owns it: its ${CREATOR_TAG_KEY} tag is ${tags[CREATOR_TAG_KEY]}`);
  }
  if (owner === 'cloudformation') {
    throw adoptionRefused(arn, `CloudFormation manages it as ${tags['aws:cloudformation:logical-id'] ?? '(unknown logical ID)'} `
      + `of stack ${tags['aws:cloudformation:stack-name'] ?? tags['aws:cloudformation:stack-id'] ?? '(unknown stack)'}`);
  }
  const differences = adoption.differences(live);
  if (differences.length > 0) {
    throw adoptionRefused(arn, `what a ${noun} cannot change in place differs: ${differences.join('; ')}`);
  }
  const found = live as R & { readonly arn: string };
  try {
    const adopted = required(type, (await adoption.converge?.(found)) ?? found);
    // The creator tag of an earlier delivery of this create goes too, and comes back last.
    await updateTags(arn, tags, adoption.tags);
    await adoption.store?.(adopted);
    await ivs.send(new TagResourceCommand({ resourceArn: arn, tags: creatorTag(request) }));
    console.log(`adopted ${arn}`);
    return adopted;
  } catch (error) {
    return putBack(type, found, adoption, error);
  }
}

/**
 * Puts a resource whose adoption failed part way back as the adoption found it (its tags, and what
 * `converge` changed), and fails with the adoption's error: CloudFormation's rollback then finds it
 * as it was before the stack. If that fails too, the error says what to check by hand.
 */
async function putBack<R extends { readonly arn?: string; readonly tags?: Tags }>(
  type: OwnedResourceType<R>,
  found: R & { readonly arn: string },
  adoption: Adoption<R>,
  error: unknown,
): Promise<never> {
  try {
    const now = required(type, await type.get(found.arn));
    await updateTags(found.arn, now.tags, found.tags);
    await adoption.restore?.(found, now);
    console.log(`the adoption of ${found.arn} failed; put it back as it was found`);
  } catch (undoError) {
    const failure = new Error(`${(error as Error).message}; putting ${found.arn} back as the adoption found it failed too `
      + `(${describeError(undoError)}): check its settings and tags by hand`);
    failure.name = (error as Error).name;
    throw failure;
  }
  throw error;
}

/**
 * The name of a resource: the one its properties give, or the live one of an adopted resource
 * that kept its own.
 */
export async function nameOf<R extends { readonly name?: string }>(
  type: OwnedResourceType<R>,
  arn: string,
  given: string | undefined,
): Promise<string> {
  return given ?? (await type.get(arn))?.name ?? '';
}

/** `<what> is <live>, wanted <wanted>`, for `Adoption.differences`, or nothing if they are equal. */
export function difference(what: string, live: unknown, wanted: unknown): string[] {
  const show = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));
  return isDeepStrictEqual(live, wanted) ? [] : [`${what} is ${show(live)}, wanted ${show(wanted)}`];
}

/**
 * Lets go of a resource that a failed create of this logical resource adopted: takes off the
 * creator tag if the adoption got as far as adding it, and writes nothing otherwise.
 */
async function releaseAdopted<R extends { readonly tags?: Tags }>(request: Request, type: OwnedResourceType<R>, arn: string): Promise<void> {
  const live = isIvsArn(arn, type.resource) ? await getIfExists(type, arn) : undefined;
  if (live !== undefined && ownerOf(request, live.tags) === 'this') {
    await ivs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: [CREATOR_TAG_KEY] }));
    console.log(`the create that adopted ${arn} failed; released it (its ${CREATOR_TAG_KEY} tag removed), deleted nothing`);
    return;
  }
  console.log(`the create that was to adopt ${arn} failed before it took it over; deleted nothing`);
}

function adoptionRefused(arn: string, why: string): Error {
  const error = new Error(`refusing to adopt ${arn}: ${why}`);
  error.name = 'AdoptionRefusedError';
  return error;
}

/**
 * Deletes the resource that `physicalId` names, idempotently: one already gone counts as deleted.
 *
 * A physical ID that is not an ARN of the type:
 * - FAILED_CREATE_ID: the create failed, possibly after IVS made a resource that the create could
 *   not find again (an answer lost, then the look for it failing until the deadline). Whatever this
 *   logical resource's create made is found by its creator tag, which lists every resource of the
 *   type, and deleted; if it made nothing, nothing is written. One search per failed create.
 * - With AdoptArn: the adoption failed or was cancelled; the resource it was to adopt is let go.
 * - Any other: an ID CloudFormation made up for a create it cancelled (a sibling failed) or never
 *   heard from. No IVS call is made: a cancelled create deletes what it made itself, before it
 *   answers (`keptByCloudFormation`) or after (`checkAnswerTaken`). A search here would list every
 *   resource of the type in the region once per cancelled create, so that the cost of a rollback
 *   grew with the account rather than the stack.
 */
export async function deleteOwned<R extends { readonly tags?: Tags }>(
  request: Request & {
    readonly PhysicalResourceId: string;
    readonly ResourceProperties?: { readonly AdoptArn?: string; readonly [property: string]: unknown };
  },
  type: OwnedResourceType<R>,
  name: string | undefined,
): Promise<void> {
  const physicalId = request.PhysicalResourceId;
  if (isIvsArn(physicalId, type.resource)) {
    const current = await getIfExists(type, physicalId);
    if (current === undefined) {
      console.log(`${type.resource} already deleted: ${physicalId}`);
      return;
    }
    requireOwned(request, physicalId, current.tags);
    const creator = current.tags![CREATOR_TAG_KEY];
    if (creator.endsWith(ANSWER_LOST_SUFFIX)) {
      // Its create lost an answer: a call of it cut at the request timeout may have been carried
      // out after the create had looked for the last time.
      const ofThatRequest = creator.slice(0, -ANSWER_LOST_SUFFIX.length);
      await removeOthers(type, name, (value) => value === ofThatRequest || value === creator, physicalId);
    }
    await removeIfExists(type, physicalId);
    return;
  }
  const adopted = request.ResourceProperties?.AdoptArn;
  if (adopted !== undefined) {
    // An adoption makes nothing, and what it took over was there before the stack: it is let go,
    // never looked for by creator tag, which would find it if the adoption got as far as tagging it.
    await releaseAdopted(request, type, adopted);
    return;
  }
  if (physicalId !== FAILED_CREATE_ID) {
    console.log(`not an IVS ${type.resource} ARN: ${physicalId}, an ID CloudFormation made up for a create it cancelled or never heard from; `
      + 'deleted nothing, made no IVS call: a cancelled create deletes what it made itself');
    return;
  }
  const prefix = `${logicalResourceDigest(request)}/`;
  const arns = await findOwned(type, name, (value) => value?.startsWith(prefix) === true);
  console.log(`the create failed (${physicalId}); what it made: ${arns.length === 0 ? 'nothing' : arns.join(', ')}`);
  await Promise.all(arns.map((arn) => removeIfExists(type, arn)));
}

/** The resource `arn` names, or undefined if it is gone. */
async function getIfExists<R>(type: OwnedResourceType<R>, arn: string): Promise<R | undefined> {
  try {
    return await type.get(arn);
  } catch (error) {
    if (error instanceof ResourceNotFoundException) {
      return undefined;
    }
    throw error;
  }
}

/** The ARNs of the resources named `name` whose creator tag `matches`. */
async function findOwned<R>(
  type: OwnedResourceType<R>,
  name: string | undefined,
  matches: (creator: string | undefined) => boolean,
): Promise<string[]> {
  const found: string[] = [];
  if (name === undefined) {
    // Only an adopted resource has no name in its properties, and its creates give one.
    return found;
  }
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
 * CloudFormation's view of the logical resource a request is for; undefined once its stack is
 * deleted. While CloudFormation waits for a create's answer the resource is CREATE_IN_PROGRESS;
 * once it cancelled the create it is CREATE_FAILED and then being deleted.
 */
async function stackResource(request: Request): Promise<StackResourceDetail | undefined> {
  try {
    const { StackResourceDetail: resource } = await cloudFormation.send(new DescribeStackResourceCommand({
      StackName: request.StackId,
      LogicalResourceId: request.LogicalResourceId,
    }));
    return resource ?? {} as StackResourceDetail;
  } catch (error) {
    if (stackGone(error)) {
      return undefined;
    }
    throw error;
  }
}

/**
 * Whether CloudFormation is rolling back the stack operation a request belongs to (or the stack is
 * gone): it then ignores the request's answer.
 */
export async function rolledBack(request: Request): Promise<boolean> {
  try {
    const { Stacks: stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: request.StackId }));
    const status = stacks?.[0]?.StackStatus ?? '';
    return /ROLLBACK|^DELETE_/.test(status);
  } catch (error) {
    if (stackGone(error)) {
      return true;
    }
    throw error;
  }
}

/** Whether CloudFormation refused a call because the stack it names no longer exists. */
function stackGone(error: unknown): boolean {
  return (error as Error).name === 'ValidationError' && /does not exist/.test((error as Error).message);
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
function logicalResourceDigest(request: Pick<Request, 'StackId' | 'LogicalResourceId'>): string {
  return createHash('sha256').update(`${request.StackId}|${request.LogicalResourceId}`).digest('hex').slice(0, 32);
}
