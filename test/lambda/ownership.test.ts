import { CloudFormationServiceException, DescribeStackResourceCommand, DescribeStacksCommand, StackResourceDetail, StackStatus } from '@aws-sdk/client-cloudformation';
import {
  ConflictException,
  InternalServerException,
  IVSRealTimeClient,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  ValidationException,
} from '@aws-sdk/client-ivs-realtime';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { cloudFormation, cloudFormationShows } from './cloudformation-stub';
import { CREATE_CREATOR_TAGS, createEvent, deleteEvent, updateEvent } from './events';
import { BASE_DELAY_MS, withInvocationDeadline } from '../../lambda/deadline';
import { FAILED_CREATE_ID } from '../../lambda/failed-create';
import {
  adoptOwned,
  ANSWER_CHECK_BASE_DELAY_MS,
  ANSWER_LOST_SUFFIX,
  answering,
  checkAnswerTaken,
  createOwned,
  creatorTag,
  deleteOwned,
  OwnedResourceType,
  ownerOf,
  recordAnswer,
  REDELIVERY_AGE_MS,
  removeRolledBackReplacements,
  requireOwned,
  requireTrackedByCloudFormation,
  ResourceSummary,
  rolledBack,
} from '../../lambda/ownership';
import { CREATOR_TAG_KEY } from '../../src/custom-resources/creator-tag-contract';
import { STAGE_RESOURCE_TYPE } from '../../src/custom-resources/stage-contract';

/*
 * The create and delete paths every resource type shares, on a resource type held in memory: what
 * a create leaves behind when its answer is lost or CloudFormation cancels it (before its answer,
 * or after it: the check after the answer), what the delete after a failed create finds, and that
 * a delete with an ID CloudFormation made up makes no call.
 */

const ivs = mockClient(IVSRealTimeClient);

type Thing = { readonly arn: string; readonly name: string; tags: Record<string, string> };

/** A resource type held in memory; `create` makes one and answers as `answer` says. */
class Things implements OwnedResourceType<Thing> {
  public readonly resource = 'stage';
  public readonly items = new Map<string, Thing>();
  public readonly removed: string[] = [];
  public creates = 0;
  /** Whether summaries carry tags (ingest configurations' do not). */
  constructor(private readonly summariesHaveTags = true) {}

  public async get(arn: string): Promise<Thing | undefined> {
    return this.items.get(arn);
  }

  public async* list(): AsyncIterable<ResourceSummary[]> {
    const all = [...this.items.values()].map(({ arn, name, tags }) => (this.summariesHaveTags ? { arn, name, tags } : { arn, name }));
    // Two pages, as a paginator yields them.
    yield all.slice(0, 1);
    yield all.slice(1);
  }

  public async remove(arn: string): Promise<void> {
    if (!this.items.delete(arn)) {
      throw new ResourceNotFoundException({ message: 'not found', $metadata: { httpStatusCode: 404 } });
    }
    this.removed.push(arn);
  }

  /** Makes a thing, as IVS commits a create, and then answers with `failure` instead of it, if given. */
  public create(name: string, failure?: Error): (tags: Record<string, string>) => Promise<Thing> {
    return async (tags) => {
      this.creates++;
      const thing = this.add(name, tags);
      if (failure) {
        throw failure;
      }
      return thing;
    };
  }

  /** This type with some of its operations replaced, e.g. a List that answers otherwise. */
  public with(overrides: Partial<OwnedResourceType<Thing>>): OwnedResourceType<Thing> {
    return {
      resource: this.resource,
      get: (arn) => this.get(arn),
      list: () => this.list(),
      remove: (arn) => this.remove(arn),
      ...overrides,
    };
  }

  public add(name: string, tags: Record<string, string>): Thing {
    const thing = { arn: `arn:aws:ivs:us-east-1:111111111111:stage/Thing${this.items.size}${'x'.repeat(6)}`, name, tags };
    this.items.set(thing.arn, thing);
    return thing;
  }
}

const CREATE = createEvent(STAGE_RESOURCE_TYPE, { Name: 'town-hall' });
const MADE_UP_ID = 'TestStack-Stage0E8C2AF5-1ABCDEF23456';

const serverError = () => new InternalServerException({ message: 'internal', $metadata: { httpStatusCode: 500 } });
const resetConnection = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', $metadata: {} });
const requestTimeout = () => Object.assign(new Error('a request has exceeded the configured 10000 ms requestTimeout'), {
  name: 'TimeoutError', code: 'ETIMEDOUT', $metadata: {},
});

/** Makes every wait a timer asks for pass at once, and returns the waits asked for, in order. */
function recordWaits(): number[] {
  const waits: number[] = [];
  const setTimeoutOf = global.setTimeout;
  jest.spyOn(global, 'setTimeout').mockImplementation(((callback: () => void, ms?: number) => {
    waits.push(ms ?? 0);
    return setTimeoutOf(callback, 0);
  }) as typeof setTimeout);
  return waits;
}

afterEach(() => jest.restoreAllMocks());

beforeEach(() => {
  cloudFormationShows();
  ivs.reset();
  ivs.onAnyCommand().rejects(new Error('unexpected IVS call'));
});

describe('creator tag', () => {
  test('names the stack and logical resource by digest, and the creating request by ID, within the 256 characters of a tag value', () => {
    // WHEN
    const value = creatorTag(CREATE)[CREATOR_TAG_KEY];

    // THEN
    expect(value).toMatch(/^[0-9a-f]{32}\/8d8ab8f1-3b3e-4c4e-9a4c-6f1b1e6f2a10$/);
    expect(creatorTag({ ...CREATE, LogicalResourceId: 'Other' })[CREATOR_TAG_KEY]).not.toBe(value);
    expect(creatorTag({ ...CREATE, StackId: `${CREATE.StackId}-2` })[CREATOR_TAG_KEY]).not.toBe(value);
  });
});

describe('create', () => {
  test('passes the creator tag to the create and returns what it made', async () => {
    // GIVEN
    const things = new Things();

    // WHEN
    const made = await createOwned(CREATE, things, 'town-hall', things.create('town-hall'));

    // THEN
    expect(made.tags).toEqual(CREATE_CREATOR_TAGS);
    expect([...things.items.values()]).toEqual([made]);
  });

  test.each([
    ['a server error', serverError],
    ['a reset connection', resetConnection],
    ['a request timeout', requestTimeout],
  ])('after %s that came once IVS had made the resource, it finds it by its creator tag and creates no second one', async (_, failure) => {
    // GIVEN another stage of the same name made by another request of the same logical resource
    const things = new Things();
    things.add('town-hall', creatorTag({ ...CREATE, RequestId: 'earlier-request' }));

    // WHEN
    const made = await createOwned(CREATE, things, 'town-hall', things.create('town-hall', failure()));

    // THEN
    expect(things.creates).toBe(1);
    expect(things.items.size).toBe(2);
    expect(made.tags).toEqual(CREATE_CREATOR_TAGS);
  });

  test('after a lost answer of a create that made nothing, it creates again', async () => {
    // GIVEN
    const things = new Things();
    let attempts = 0;
    const create = async (tags: Record<string, string>) => {
      if (attempts++ === 0) {
        throw serverError();
      }
      return things.add('town-hall', tags);
    };

    // WHEN
    const made = await createOwned(CREATE, things, 'town-hall', create);

    // THEN
    expect(attempts).toBe(2);
    expect([...things.items.values()]).toEqual([made]);
  });

  test('reads the creator tags of summaries that have none (ingest configurations) from ListTagsForResource', async () => {
    // GIVEN
    const things = new Things(false);
    ivs.on(ListTagsForResourceCommand).callsFake(async ({ resourceArn }) => ({ tags: things.items.get(resourceArn)?.tags }));

    // WHEN
    const made = await createOwned(CREATE, things, 'town-hall', things.create('town-hall', serverError()));

    // THEN
    expect(things.creates).toBe(1);
    expect(ivs).toHaveReceivedCommandWith(ListTagsForResourceCommand, { resourceArn: made.arn });
  });

  test.each([
    ['a validation error', () => new ValidationException({ message: 'bad', $metadata: { httpStatusCode: 400 } })],
    ['a conflict', () => new ConflictException({ message: 'conflict', $metadata: { httpStatusCode: 409 } })],
    ["the handler's own error", () => new Error('bad property')],
  ])('%s, which says IVS did nothing, fails the create without looking or trying again', async (_, failure) => {
    // GIVEN
    const things = new Things();
    const error = failure();
    const create = async () => {
      things.creates++;
      throw error;
    };

    // WHEN / THEN
    await expect(createOwned(CREATE, things, 'town-hall', create)).rejects.toBe(error);
    expect(things.creates).toBe(1);
  });

  test.each(['CREATE_FAILED', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE'] as const)(
    'a create that CloudFormation cancelled meanwhile (%s) deletes what it made and fails',
    async (status) => {
      // GIVEN
      cloudFormationShows(status);
      const things = new Things();

      // WHEN / THEN
      await expect(createOwned(CREATE, things, 'town-hall', things.create('town-hall')))
        .rejects.toThrow(/^CloudFormation cancelled the create while it made arn:aws:ivs:.*, which was deleted again$/);
      expect(things.items.size).toBe(0);
      expect(cloudFormation).toHaveReceivedCommandWith(DescribeStackResourceCommand, {
        StackName: CREATE.StackId, LogicalResourceId: CREATE.LogicalResourceId,
      });
    },
  );

  test('a create whose stack no longer exists deletes what it made and fails', async () => {
    // GIVEN
    cloudFormation.on(DescribeStackResourceCommand).rejects(new CloudFormationServiceException({
      name: 'ValidationError', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: `Stack with id ${CREATE.StackId} does not exist`,
    }));
    const things = new Things();

    // WHEN / THEN
    await expect(createOwned(CREATE, things, 'town-hall', things.create('town-hall'))).rejects.toThrow(/CloudFormation cancelled the create/);
    expect(things.items.size).toBe(0);
  });

  test.each([
    ['access denied', 'AccessDenied', 403, 'not authorized'],
    ['a validation error other than a stack that does not exist', 'ValidationError', 400, 'Logical ID is invalid'],
    ['an error other than a validation error that says something does not exist', 'AccessDenied', 403, 'the role does not exist'],
  ])('a create that cannot ask CloudFormation (%s) deletes what it made and fails with that error, so that nothing is left unknown', async (_, name, status, message) => {
    // GIVEN
    const error = new CloudFormationServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message });
    cloudFormation.on(DescribeStackResourceCommand).rejects(error);
    const things = new Things();

    // WHEN / THEN
    await expect(createOwned(CREATE, things, 'town-hall', things.create('town-hall'))).rejects.toBe(error);
    expect(things.items.size).toBe(0);
  });

  test('a replacing update does not ask CloudFormation: only creates are cancelled with a made-up ID', async () => {
    // GIVEN
    cloudFormationShows('DELETE_IN_PROGRESS');
    const things = new Things();
    const update = updateEvent(STAGE_RESOURCE_TYPE, 'arn:aws:ivs:us-east-1:111111111111:stage/Old000000000', { Name: 'new' }, { Name: 'old' });

    // WHEN
    const made = await createOwned(update, things, 'new', things.create('new'));

    // THEN
    expect(things.items.get(made.arn)?.tags).toEqual(creatorTag(update));
    expect(cloudFormation).not.toHaveReceivedCommand(DescribeStackResourceCommand);
  });

  test('logs the resource it found after a lost answer, which no one would otherwise know it made', async () => {
    // GIVEN
    const things = new Things();
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});

    // WHEN
    const made = await createOwned(CREATE, things, 'town-hall', things.create('town-hall', serverError()));

    // THEN
    expect(log).toHaveBeenCalledWith(`the answer of a create was lost; it made ${made.arn}`);
  });

  test('waits longer before each further attempt after lost answers of a create that made nothing', async () => {
    // GIVEN a create whose answer is lost three times, with nothing made
    const things = new Things();
    let attempts = 0;
    const create = async (tags: Record<string, string>) => {
      if (attempts++ < 3) {
        throw serverError();
      }
      return things.add('town-hall', tags);
    };
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const waits = recordWaits();

    // WHEN
    await createOwned(CREATE, things, 'town-hall', create);

    // THEN half of the exponential bound: the base wait, doubled per attempt
    expect(waits).toEqual([BASE_DELAY_MS / 2, BASE_DELAY_MS, 2 * BASE_DELAY_MS]);
  });

  test('after a lost answer of a create that made nothing, with no time left for another attempt, it fails with that answer', async () => {
    // GIVEN a create whose first answer is lost, and a deadline that leaves less than one attempt's time
    const things = new Things();
    const lost = serverError();
    let attempts = 0;
    const create = async (tags: Record<string, string>) => {
      if (attempts++ === 0) {
        throw lost;
      }
      return things.add('town-hall', tags);
    };

    // WHEN / THEN
    await expect(withInvocationDeadline(Date.now() + 1_000, () => createOwned(CREATE, things, 'town-hall', create))).rejects.toBe(lost);
    expect(attempts).toBe(1);
    expect(things.items.size).toBe(0);
  });

  test('after a lost answer of a create that made nothing, with time for one more attempt but not for the look after it, it fails with that answer', async () => {
    // GIVEN a deadline that leaves one attempt's time (15 s) and some, but not two
    const things = new Things();
    const lost = serverError();
    let attempts = 0;
    const create = async (tags: Record<string, string>) => {
      if (attempts++ === 0) {
        throw lost;
      }
      return things.add('town-hall', tags);
    };
    jest.spyOn(Math, 'random').mockReturnValue(0);

    // WHEN / THEN
    await expect(withInvocationDeadline(Date.now() + 25_000, () => createOwned(CREATE, things, 'town-hall', create))).rejects.toBe(lost);
    expect(attempts).toBe(1);
  });

  test('after a lost answer of a create that made nothing, with time for an attempt and the look after it, it tries again', async () => {
    // GIVEN
    const things = new Things();
    let attempts = 0;
    const create = async (tags: Record<string, string>) => {
      if (attempts++ === 0) {
        throw serverError();
      }
      return things.add('town-hall', tags);
    };
    jest.spyOn(Math, 'random').mockReturnValue(0);

    // WHEN
    await withInvocationDeadline(Date.now() + 31_000, () => createOwned(CREATE, things, 'town-hall', create));

    // THEN
    expect(attempts).toBe(2);
  });

  test('a resource found after a lost answer, whose tags are read separately, is passed over if it was deleted meanwhile', async () => {
    // GIVEN another of the same name, deleted between the List and the read of its tags
    const things = new Things(false);
    const gone = things.add('town-hall', {});
    ivs.on(ListTagsForResourceCommand).callsFake(async ({ resourceArn }) => {
      if (resourceArn === gone.arn) {
        throw new ResourceNotFoundException({ message: 'not found', $metadata: { httpStatusCode: 404 } });
      }
      return { tags: things.items.get(resourceArn)?.tags };
    });

    // WHEN
    const made = await createOwned(CREATE, things, 'town-hall', things.create('town-hall', serverError()));

    // THEN
    expect(made.arn).not.toBe(gone.arn);
    expect(made.tags).toEqual(CREATE_CREATOR_TAGS);
    expect(things.creates).toBe(1);
  });

  test('a failure to read the tags of a resource found after a lost answer fails the create', async () => {
    // GIVEN
    const things = new Things(false);
    const denied = new Error('not authorized to perform ivs:ListTagsForResource');
    ivs.on(ListTagsForResourceCommand).rejects(denied);

    // WHEN / THEN
    await expect(createOwned(CREATE, things, 'town-hall', things.create('town-hall', serverError()))).rejects.toBe(denied);
  });

  test.each([400, 403, 429, 499])('an error answered with HTTP %i says IVS did nothing, even without the SDK\'s fault marker: no look, no second try', async (status) => {
    // GIVEN
    const things = new Things();
    const error = Object.assign(new Error('refused'), { $metadata: { httpStatusCode: status } });
    const create = async () => {
      things.creates++;
      throw error;
    };

    // WHEN / THEN
    await expect(createOwned(CREATE, things, 'town-hall', create)).rejects.toBe(error);
    expect(things.creates).toBe(1);
  });

  test('a create whose stack resource CloudFormation describes without details is still wanted', async () => {
    // GIVEN
    cloudFormation.on(DescribeStackResourceCommand).resolves({});
    const things = new Things();

    // WHEN
    const made = await createOwned(CREATE, things, 'town-hall', things.create('town-hall'));

    // THEN
    expect([...things.items.values()]).toEqual([made]);
  });
});

describe('create attempted more than once', () => {
  /** The creator tag of a create that lost an answer: that of CREATE, marked. */
  const MARKED_TAGS = { [CREATOR_TAG_KEY]: `${CREATE_CREATOR_TAGS[CREATOR_TAG_KEY]}${ANSWER_LOST_SUFFIX}` };

  beforeEach(() => {
    jest.spyOn(Math, 'random').mockReturnValue(0);
  });

  test('what the look after a second lost answer found, made by the first call with the unmarked tag, is marked as made by a create that lost an answer', async () => {
    // GIVEN a first call whose answer is lost before IVS made anything, and carried out during the
    // second call, whose answer is lost too
    const things = new Things();
    ivs.on(TagResourceCommand).resolves({});
    let attempts = 0;
    let carriedOutLate: Thing | undefined;
    const create = async (): Promise<Thing> => {
      if (attempts++ === 1) {
        carriedOutLate = things.add('town-hall', CREATE_CREATOR_TAGS);
      }
      throw serverError();
    };

    // WHEN
    const made = await createOwned(CREATE, things, 'town-hall', create);

    // THEN
    expect(made.arn).toBe(carriedOutLate!.arn);
    expect(ivs).toHaveReceivedCommandTimes(TagResourceCommand, 1);
    expect(ivs).toHaveReceivedCommandWith(TagResourceCommand, { resourceArn: made.arn, tags: MARKED_TAGS });
  });

  test('calls given up on that were carried out after all are deleted, the one answered is kept, and the log names them', async () => {
    // GIVEN two calls whose answers are lost before IVS made anything, both carried out during the
    // third call, which is answered
    const things = new Things();
    let attempts = 0;
    const late: Thing[] = [];
    const create = async (tags: Record<string, string>): Promise<Thing> => {
      if (attempts++ < 2) {
        throw serverError();
      }
      late.push(things.add('town-hall', CREATE_CREATOR_TAGS), things.add('town-hall', MARKED_TAGS));
      return things.add('town-hall', tags);
    };
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});

    // WHEN
    const made = await createOwned(CREATE, things, 'town-hall', create);

    // THEN
    expect(made.tags).toEqual(MARKED_TAGS);
    expect(things.removed).toEqual([late[0].arn, late[1].arn]);
    expect([...things.items.values()]).toEqual([made]);
    expect(log).toHaveBeenCalledWith(`a create given up on was carried out after all; keeping ${made.arn}, deleting ${late[0].arn}, ${late[1].arn}`);
  });

  test('a create attempted again that finds no other resource of its request deletes nothing and logs nothing', async () => {
    // GIVEN a first call whose answer is lost before IVS made anything, and a second call that is answered
    const things = new Things();
    let attempts = 0;
    const create = async (tags: Record<string, string>): Promise<Thing> => {
      if (attempts++ === 0) {
        throw serverError();
      }
      return things.add('town-hall', tags);
    };
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});

    // WHEN
    await createOwned(CREATE, things, 'town-hall', create);

    // THEN
    expect(things.removed).toEqual([]);
    expect(log).not.toHaveBeenCalled();
  });
});

describe('create delivered more than once', () => {
  /** The time every test of this block runs at (Date.now), and so starts its invocation at. */
  const NOW = 1_700_000_000_000;

  /** The invocation starts `ms` after CloudFormation put the resource in CREATE_IN_PROGRESS. */
  function startedAfterWaiting<T>(ms: number, work: () => Promise<T>): Promise<T> {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
    cloudFormation.on(DescribeStackResourceCommand).resolves({
      StackResourceDetail: {
        LogicalResourceId: CREATE.LogicalResourceId,
        ResourceStatus: 'CREATE_IN_PROGRESS',
        LastUpdatedTimestamp: new Date(NOW - ms),
      } as StackResourceDetail,
    });
    return withInvocationDeadline(NOW + 900_000, work);
  }

  test('a delivery that began long after the resource started waiting (a retry) keeps what an earlier delivery made, deletes its own without storing it, and logs both', async () => {
    // GIVEN what an earlier delivery of the same request made
    const things = new Things();
    const earlier = things.add('town-hall', CREATE_CREATOR_TAGS);
    let own: Thing | undefined;
    const create = async (tags: Record<string, string>) => (own = things.add('town-hall', tags));
    const store = jest.fn(async () => {});
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});

    // WHEN
    const made = await startedAfterWaiting(REDELIVERY_AGE_MS + 1, () => createOwned(CREATE, things, 'town-hall', create, store));

    // THEN
    expect(made).toBe(earlier);
    expect(things.removed).toEqual([own!.arn]);
    expect(store).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith(`another delivery of this request made ${earlier.arn}; deleted ${own!.arn}, made by this one`);
  });

  test('a retry keeps what an earlier delivery made even when IVS lists its own first', async () => {
    // GIVEN what an earlier delivery made, and a List that shows the newest first
    const things = new Things();
    const earlier = things.add('town-hall', CREATE_CREATOR_TAGS);
    const newestFirst = things.with({
      async* list() {
        yield [...things.items.values()].reverse();
      },
    });

    // WHEN
    const made = await startedAfterWaiting(REDELIVERY_AGE_MS + 1, () => createOwned(CREATE, newestFirst, 'town-hall', things.create('town-hall')));

    // THEN
    expect(made).toBe(earlier);
    expect([...things.items.values()]).toEqual([earlier]);
  });

  test('a retry that finds nothing an earlier delivery made keeps its own', async () => {
    // GIVEN
    const things = new Things();

    // WHEN
    const made = await startedAfterWaiting(REDELIVERY_AGE_MS + 1, () => createOwned(CREATE, things, 'town-hall', things.create('town-hall')));

    // THEN
    expect([...things.items.values()]).toEqual([made]);
    expect(things.removed).toEqual([]);
  });

  test.each([0, REDELIVERY_AGE_MS])(
    'a delivery that began %i ms after the resource started waiting is a first delivery: it keeps its own, without looking for another of its request',
    async (ms) => {
      // GIVEN another of this request, from a delivery running alongside
      const things = new Things();
      const alongside = things.add('town-hall', CREATE_CREATOR_TAGS);

      // WHEN
      const made = await startedAfterWaiting(ms, () => createOwned(CREATE, things, 'town-hall', things.create('town-hall')));

      // THEN
      expect(made).not.toBe(alongside);
      expect(things.items.get(made.arn)).toBe(made);
      expect(things.removed).toEqual([]);
    },
  );

  test('a stack resource described without a status counts as waiting for the create: a physical ID shown with it is not taken for another delivery\'s answer', async () => {
    // GIVEN
    const things = new Things();
    const other = things.add('town-hall', CREATE_CREATOR_TAGS);
    cloudFormation.on(DescribeStackResourceCommand).resolves({
      StackResourceDetail: { LogicalResourceId: CREATE.LogicalResourceId, PhysicalResourceId: other.arn } as StackResourceDetail,
    });

    // WHEN
    const made = await createOwned(CREATE, things, 'town-hall', things.create('town-hall'));

    // THEN
    expect(made).not.toBe(other);
    expect(things.removed).toEqual([]);
  });

  test('CloudFormation holds another delivery\'s answer that IVS no longer has: the create deletes its own and fails, saying IVS answered no resource', async () => {
    // GIVEN a resource type whose name has a hyphen, and an ARN of it that IVS does not know
    const things = new Things();
    const type = things.with({ resource: 'ingest-configuration' });
    cloudFormation.on(DescribeStackResourceCommand).resolves({
      StackResourceDetail: {
        LogicalResourceId: CREATE.LogicalResourceId,
        ResourceStatus: 'CREATE_COMPLETE',
        PhysicalResourceId: 'arn:aws:ivs:us-east-1:111111111111:ingest-configuration/Gone00000000',
      } as StackResourceDetail,
    });
    jest.spyOn(console, 'log').mockImplementation(() => {});

    // WHEN / THEN
    await expect(createOwned(CREATE, type, 'town-hall', things.create('town-hall'))).rejects.toThrow(/^the IVS response has no ingest configuration$/);
    expect(things.items.size).toBe(0);
  });
});

describe('delete', () => {
  test('an ARN of the type is deleted, and one already gone counts as deleted', async () => {
    // GIVEN
    const things = new Things();
    const thing = things.add('town-hall', CREATE_CREATOR_TAGS);

    // WHEN
    await deleteOwned(deleteEvent(STAGE_RESOURCE_TYPE, thing.arn, { Name: 'town-hall' }), things, 'town-hall');
    await deleteOwned(deleteEvent(STAGE_RESOURCE_TYPE, thing.arn, { Name: 'town-hall' }), things, 'town-hall');

    // THEN
    expect(things.removed).toEqual([thing.arn]);
  });

  test('the ID of a failed create deletes what this logical resource\'s create made, and nothing else', async () => {
    // GIVEN what the failed create made, and three that only look like it
    const things = new Things();
    const made = things.add('town-hall', { team: 'video', ...CREATE_CREATOR_TAGS });
    things.add('other-name', CREATE_CREATOR_TAGS);
    things.add('town-hall', creatorTag({ ...CREATE, LogicalResourceId: 'OtherStage' }));
    things.add('town-hall', {});

    // WHEN
    await deleteOwned(deleteEvent(STAGE_RESOURCE_TYPE, FAILED_CREATE_ID, { Name: 'town-hall' }), things, 'town-hall');

    // THEN
    expect(things.removed).toEqual([made.arn]);
    expect(things.items.size).toBe(3);
  });

  test('the ID of a failed create, for a create that made nothing, deletes nothing', async () => {
    // GIVEN
    const things = new Things();
    things.add('town-hall', creatorTag({ ...CREATE, LogicalResourceId: 'OtherStage' }));

    // WHEN
    await deleteOwned(deleteEvent(STAGE_RESOURCE_TYPE, FAILED_CREATE_ID, { Name: 'town-hall' }), things, 'town-hall');

    // THEN
    expect(things.removed).toEqual([]);
  });

  test('the ID of a failed create, for a create that was attempted twice and made two, deletes both and logs them', async () => {
    // GIVEN
    const things = new Things();
    const first = things.add('town-hall', CREATE_CREATOR_TAGS);
    const second = things.add('town-hall', creatorTag({ ...CREATE, RequestId: 'retried-request' }));
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});

    // WHEN
    await deleteOwned(deleteEvent(STAGE_RESOURCE_TYPE, FAILED_CREATE_ID, { Name: 'town-hall' }), things, 'town-hall');

    // THEN
    expect(things.removed.sort()).toEqual([first.arn, second.arn].sort());
    expect(log).toHaveBeenCalledWith(`the create failed (${FAILED_CREATE_ID}); what it made: ${first.arn}, ${second.arn}`);
  });

  test('the ID of a failed create, for a create that made nothing, logs that it found nothing', async () => {
    // GIVEN
    const things = new Things();
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});

    // WHEN
    await deleteOwned(deleteEvent(STAGE_RESOURCE_TYPE, FAILED_CREATE_ID, { Name: 'town-hall' }), things, 'town-hall');

    // THEN
    expect(log).toHaveBeenCalledWith(`the create failed (${FAILED_CREATE_ID}); what it made: nothing`);
  });

  test('an ID CloudFormation made up makes no call and deletes nothing, even with what its create made there, and logs why', async () => {
    // GIVEN what the cancelled create made (its create deletes it: before or after its answer), in a
    // type that counts every call
    const things = new Things();
    things.add('town-hall', CREATE_CREATOR_TAGS);
    const calls: string[] = [];
    const counted: OwnedResourceType<Thing> = {
      resource: 'stage',
      get: (arn) => {
        calls.push('get');
        return things.get(arn);
      },
      list: () => {
        calls.push('list');
        return things.list();
      },
      remove: (arn) => {
        calls.push('remove');
        return things.remove(arn);
      },
    };
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});

    // WHEN
    await deleteOwned(deleteEvent(STAGE_RESOURCE_TYPE, MADE_UP_ID, { Name: 'town-hall' }), counted, 'town-hall');

    // THEN
    expect(calls).toEqual([]);
    expect(ivs.calls()).toHaveLength(0);
    expect(things.items.size).toBe(1);
    expect(log).toHaveBeenCalledWith(`not an IVS stage ARN: ${MADE_UP_ID}, an ID CloudFormation made up for a create it cancelled or never heard from; `
      + 'deleted nothing, made no IVS call: a cancelled create deletes what it made itself');
  });

  test('a summary without an ARN is passed over', async () => {
    // GIVEN a List page with a summary that has no ARN, of the name and with the creator tag
    const things = new Things();
    const made = things.add('town-hall', CREATE_CREATOR_TAGS);
    const removed: Array<string | undefined> = [];
    const type = things.with({
      async* list() {
        yield [{ name: 'town-hall', tags: CREATE_CREATOR_TAGS }, { arn: made.arn, name: 'town-hall', tags: made.tags }];
      },
      remove: async (arn) => {
        removed.push(arn);
      },
    });

    // WHEN
    await deleteOwned(deleteEvent(STAGE_RESOURCE_TYPE, FAILED_CREATE_ID, { Name: 'town-hall' }), type, 'town-hall');

    // THEN
    expect(removed).toEqual([made.arn]);
  });

  test('an ARN already gone is logged as already deleted', async () => {
    // GIVEN
    const things = new Things();
    const arn = 'arn:aws:ivs:us-east-1:111111111111:stage/Gone00000000';
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});

    // WHEN
    await deleteOwned(deleteEvent(STAGE_RESOURCE_TYPE, arn, { Name: 'town-hall' }), things, 'town-hall');

    // THEN
    expect(log).toHaveBeenCalledWith(`stage already deleted: ${arn}`);
  });
});

describe('the check after a create\'s answer', () => {
  const OTHER_ARN = 'arn:aws:ivs:us-east-1:111111111111:stage/OtHeR0000000';

  /** What DescribeStackResource answers, one look after the other; the last one from then on. */
  function cloudFormationShowsInTurn(...details: Array<Partial<StackResourceDetail>>): void {
    const answer = (detail: Partial<StackResourceDetail>) => ({
      StackResourceDetail: { LogicalResourceId: CREATE.LogicalResourceId, ...detail } as StackResourceDetail,
    });
    let stub = cloudFormation.on(DescribeStackResourceCommand);
    for (const detail of details.slice(0, -1)) {
      stub = stub.resolvesOnce(answer(detail));
    }
    stub.resolves(answer(details[details.length - 1]));
  }

  /** What the create of CREATE made and answered. */
  const answered = (things: Things) => things.add('town-hall', { team: 'video', ...CREATE_CREATOR_TAGS });

  beforeEach(() => {
    jest.spyOn(Math, 'random').mockReturnValue(0);
  });

  test('CloudFormation took the answer (CREATE_COMPLETE with its ARN): nothing is deleted', async () => {
    // GIVEN
    const things = new Things();
    const made = answered(things);
    cloudFormationShowsInTurn({ ResourceStatus: 'CREATE_COMPLETE', PhysicalResourceId: made.arn });

    // WHEN
    await checkAnswerTaken(CREATE, things, made.arn);

    // THEN
    expect(things.removed).toEqual([]);
    expect(cloudFormation).toHaveReceivedCommandTimes(DescribeStackResourceCommand, 1);
  });

  test.each(['DELETE_IN_PROGRESS', 'DELETE_SKIPPED', 'UPDATE_IN_PROGRESS'] as const)(
    'CloudFormation holds its ARN, already past the create (%s): it took the answer, and nothing is deleted',
    async (status) => {
      // GIVEN e.g. the stack rolled back after the create completed, and retains the resource or deletes it itself
      const things = new Things();
      const made = answered(things);
      cloudFormationShowsInTurn({ ResourceStatus: status, PhysicalResourceId: made.arn });

      // WHEN
      await checkAnswerTaken(CREATE, things, made.arn);

      // THEN
      expect(things.removed).toEqual([]);
    },
  );

  test.each(['CREATE_FAILED', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE'] as const)(
    'CloudFormation cancelled the create before it took the answer (%s with the ID it made up): what the create made is deleted',
    async (status) => {
      // GIVEN
      const things = new Things();
      const made = answered(things);
      cloudFormationShowsInTurn({ ResourceStatus: status, PhysicalResourceId: MADE_UP_ID });
      const log = jest.spyOn(console, 'log').mockImplementation(() => {});

      // WHEN
      await checkAnswerTaken(CREATE, things, made.arn);

      // THEN
      expect(things.removed).toEqual([made.arn]);
      expect(log).toHaveBeenCalledWith(`CloudFormation did not take the answer ${made.arn} `
        + `(it shows ${CREATE.LogicalResourceId} ${status} with ${MADE_UP_ID}); deleted ${made.arn}, which this create made`);
    },
  );

  test('the stack or its resource is gone: what the create made is deleted', async () => {
    // GIVEN
    const things = new Things();
    const made = answered(things);
    cloudFormation.on(DescribeStackResourceCommand).rejects(new CloudFormationServiceException({
      name: 'ValidationError', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: `Stack with id ${CREATE.StackId} does not exist`,
    }));
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});

    // WHEN
    await checkAnswerTaken(CREATE, things, made.arn);

    // THEN
    expect(things.removed).toEqual([made.arn]);
    expect(log).toHaveBeenCalledWith(`CloudFormation did not take the answer ${made.arn} `
      + `(${CREATE.LogicalResourceId} or its stack is gone); deleted ${made.arn}, which this create made`);
  });

  test('CloudFormation refused the answer it holds (CREATE_FAILED with its ARN): what the create made is deleted', async () => {
    // GIVEN e.g. an answer CloudFormation found too long: it shows the create failed, with the ID answered
    const things = new Things();
    const made = answered(things);
    cloudFormationShowsInTurn({ ResourceStatus: 'CREATE_FAILED', PhysicalResourceId: made.arn });

    // WHEN
    await checkAnswerTaken(CREATE, things, made.arn);

    // THEN
    expect(things.removed).toEqual([made.arn]);
  });

  test('CloudFormation is past the create without a physical ID: what the create made is deleted, and the log says so', async () => {
    // GIVEN
    const things = new Things();
    const made = answered(things);
    cloudFormationShowsInTurn({ ResourceStatus: 'DELETE_COMPLETE' });
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});

    // WHEN
    await checkAnswerTaken(CREATE, things, made.arn);

    // THEN
    expect(things.removed).toEqual([made.arn]);
    expect(log).toHaveBeenCalledWith(`CloudFormation did not take the answer ${made.arn} `
      + `(it shows ${CREATE.LogicalResourceId} DELETE_COMPLETE with no physical ID); deleted ${made.arn}, which this create made`);
  });

  test('a description without a status is no decision: it asks again, and deletes nothing once CloudFormation took the answer', async () => {
    // GIVEN a first description without status or physical ID
    const things = new Things();
    const made = answered(things);
    cloudFormationShowsInTurn({}, { ResourceStatus: 'CREATE_COMPLETE', PhysicalResourceId: made.arn });
    recordWaits();

    // WHEN
    await checkAnswerTaken(CREATE, things, made.arn);

    // THEN
    expect(cloudFormation).toHaveReceivedCommandTimes(DescribeStackResourceCommand, 2);
    expect(things.removed).toEqual([]);
  });

  test('CloudFormation holds another physical ID (another delivery\'s answer): what this create made is deleted, the other is not', async () => {
    // GIVEN
    const things = new Things();
    const made = answered(things);
    cloudFormationShowsInTurn({ ResourceStatus: 'CREATE_COMPLETE', PhysicalResourceId: OTHER_ARN });

    // WHEN
    await checkAnswerTaken(CREATE, things, made.arn);

    // THEN
    expect(things.removed).toEqual([made.arn]);
  });

  test('a resource marked after a lost answer is this request\'s too, and is deleted', async () => {
    // GIVEN
    const things = new Things();
    const made = things.add('town-hall', { [CREATOR_TAG_KEY]: `${CREATE_CREATOR_TAGS[CREATOR_TAG_KEY]}/answer-lost` });
    cloudFormationShowsInTurn({ ResourceStatus: 'CREATE_FAILED', PhysicalResourceId: MADE_UP_ID });

    // WHEN
    await checkAnswerTaken(CREATE, things, made.arn);

    // THEN
    expect(things.removed).toEqual([made.arn]);
  });

  test('a resource whose creator tag is no longer this request\'s is left, and the log says why', async () => {
    // GIVEN
    const things = new Things();
    const made = answered(things);
    made.tags = creatorTag({ ...CREATE, LogicalResourceId: 'OtherStage' });
    cloudFormationShowsInTurn({ ResourceStatus: 'CREATE_FAILED', PhysicalResourceId: MADE_UP_ID });
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});

    // WHEN
    await checkAnswerTaken(CREATE, things, made.arn);

    // THEN
    expect(things.removed).toEqual([]);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/, but its cdk-ivs-realtime:creator tag is no longer this request's \([0-9a-f]{32}\/.*\): left as it is$/));
  });

  test('a resource that has lost its tags is left, and the log says it has no creator tag', async () => {
    // GIVEN IVS answering the resource without tags
    const things = new Things();
    const made = answered(things);
    (made as { tags?: Record<string, string> }).tags = undefined;
    cloudFormationShowsInTurn({ ResourceStatus: 'CREATE_FAILED', PhysicalResourceId: MADE_UP_ID });
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});

    // WHEN
    await checkAnswerTaken(CREATE, things, made.arn);

    // THEN
    expect(things.removed).toEqual([]);
    expect(log).toHaveBeenCalledWith(`CloudFormation did not take the answer ${made.arn} (it shows ${CREATE.LogicalResourceId} CREATE_FAILED with ${MADE_UP_ID}), `
      + `but its ${CREATOR_TAG_KEY} tag is no longer this request's (none): left as it is`);
  });

  test('a resource already deleted counts as deleted', async () => {
    // GIVEN
    const things = new Things();
    const arn = 'arn:aws:ivs:us-east-1:111111111111:stage/Gone00000000';
    cloudFormationShowsInTurn({ ResourceStatus: 'CREATE_FAILED', PhysicalResourceId: MADE_UP_ID });
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});

    // WHEN / THEN
    await expect(checkAnswerTaken(CREATE, things, arn)).resolves.toBeUndefined();
    expect(things.removed).toEqual([]);
    expect(log).toHaveBeenCalledWith(`CloudFormation did not take the answer ${arn} `
      + `(it shows ${CREATE.LogicalResourceId} CREATE_FAILED with ${MADE_UP_ID}); it is already deleted`);
  });

  test('CloudFormation still shows the create in progress, then takes the answer: it asks again, waiting longer each time, and deletes nothing', async () => {
    // GIVEN two looks before CloudFormation took the answer
    const things = new Things();
    const made = answered(things);
    cloudFormationShowsInTurn(
      { ResourceStatus: 'CREATE_IN_PROGRESS' },
      { ResourceStatus: 'CREATE_IN_PROGRESS' },
      { ResourceStatus: 'CREATE_COMPLETE', PhysicalResourceId: made.arn },
    );
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const waits = recordWaits();

    // WHEN
    await checkAnswerTaken(CREATE, things, made.arn);

    // THEN half of the exponential bound: the base wait, doubled per look
    expect(waits).toEqual([ANSWER_CHECK_BASE_DELAY_MS / 2, ANSWER_CHECK_BASE_DELAY_MS]);
    expect(cloudFormation).toHaveReceivedCommandTimes(DescribeStackResourceCommand, 3);
    expect(things.removed).toEqual([]);
  });

  test('CloudFormation still shows the create in progress when the deadline comes: the resource is left, and the log says so', async () => {
    // GIVEN less time than one more look could take
    const things = new Things();
    const made = answered(things);
    cloudFormationShowsInTurn({ ResourceStatus: 'CREATE_IN_PROGRESS' });
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});

    // WHEN
    await withInvocationDeadline(Date.now() + 10_000, () => checkAnswerTaken(CREATE, things, made.arn));

    // THEN
    expect(cloudFormation).toHaveReceivedCommandTimes(DescribeStackResourceCommand, 1);
    expect(things.removed).toEqual([]);
    expect(log).toHaveBeenCalledWith(`CloudFormation still showed ${CREATE.LogicalResourceId} CREATE_IN_PROGRESS when this invocation's time ran out: `
      + `whether it took the answer ${made.arn} is unknown, and ${made.arn} is left as it is (if the create was cancelled, delete it by hand)`);
  });

  test('a check that cannot ask CloudFormation leaves the resource, says so, and does not fail', async () => {
    // GIVEN
    const things = new Things();
    const made = answered(things);
    cloudFormation.on(DescribeStackResourceCommand).rejects(new CloudFormationServiceException({
      name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'not authorized',
    }));
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});

    // WHEN / THEN
    await expect(checkAnswerTaken(CREATE, things, made.arn)).resolves.toBeUndefined();
    expect(things.removed).toEqual([]);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(new RegExp(`^the check whether CloudFormation took the answer ${made.arn} failed \\(.*not authorized.*\\): `
      + `${made.arn} is left as it is \\(if the create was cancelled, delete it by hand\\)$`)));
  });
});

describe('which answers are checked', () => {
  test('a Create that answered SUCCESS with what it made is checked: cancelled after its own look, what it made is deleted', async () => {
    // GIVEN a create whose look found it still wanted, and that answered
    const things = new Things();
    const check = await answering(async () => {
      const made = await createOwned(CREATE, things, 'town-hall', things.create('town-hall'));
      recordAnswer(made.arn);
    });

    // WHEN CloudFormation cancelled it before it took the answer, and the check runs
    cloudFormationShows('CREATE_FAILED');
    await check!();

    // THEN
    expect(things.items.size).toBe(0);
  });

  test('an adoption is never checked', async () => {
    // GIVEN a create that adopted what it answered
    const things = new Things();
    const existing = things.add('from-the-console', {});
    ivs.on(TagResourceCommand).resolves({});

    // WHEN
    const check = await answering(async () => {
      const adopted = await adoptOwned(CREATE, things, existing.arn, { tags: undefined, differences: () => [] });
      recordAnswer(adopted.arn);
    });

    // THEN
    expect(check).toBeUndefined();
  });

  test('a Create that did not answer SUCCESS (it failed after it made something) is not checked', async () => {
    // WHEN
    const things = new Things();
    const check = await answering(async () => {
      await createOwned(CREATE, things, 'town-hall', things.create('town-hall'));
    });

    // THEN
    expect(check).toBeUndefined();
  });

  test('a replacing Update is not checked: CloudFormation cancels creates only', async () => {
    // GIVEN
    const things = new Things();
    const update = updateEvent(STAGE_RESOURCE_TYPE, 'arn:aws:ivs:us-east-1:111111111111:stage/Old000000000', { Name: 'new' }, { Name: 'old' });

    // WHEN
    const check = await answering(async () => {
      const made = await createOwned(update, things, 'new', things.create('new'));
      recordAnswer(made.arn);
    });

    // THEN
    expect(check).toBeUndefined();
  });

  test('two invocations at once each check their own create', async () => {
    // GIVEN two creates of two logical resources answering in the same process, interleaved
    const things = new Things();
    const other = { ...CREATE, LogicalResourceId: 'OtherStage', RequestId: 'other-request' };
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const first = answering(async () => {
      const made = await createOwned(CREATE, things, 'town-hall', things.create('town-hall'));
      await held;
      recordAnswer(made.arn);
    });
    const second = answering(async () => {
      const made = await createOwned(other, things, 'other', things.create('other'));
      recordAnswer(made.arn);
      release();
    });
    const [firstCheck, secondCheck] = await Promise.all([first, second]);

    // WHEN CloudFormation cancelled the first only
    cloudFormation.on(DescribeStackResourceCommand).callsFake(({ LogicalResourceId }: { LogicalResourceId: string }) => ({
      StackResourceDetail: LogicalResourceId === CREATE.LogicalResourceId
        ? { LogicalResourceId, ResourceStatus: 'CREATE_FAILED', PhysicalResourceId: MADE_UP_ID }
        : { LogicalResourceId, ResourceStatus: 'CREATE_COMPLETE', PhysicalResourceId: [...things.items.values()].find((t) => t.name === 'other')!.arn },
    }));
    await firstCheck!();
    await secondCheck!();

    // THEN
    expect([...things.items.values()].map((thing) => thing.name)).toEqual(['other']);
  });
});

describe('whose a resource is', () => {
  const ARN = 'arn:aws:ivs:us-east-1:111111111111:stage/Thing0xxxxxx';

  test('a resource without tags (a summary that has none) is no one\'s', () => {
    // WHEN / THEN
    expect(ownerOf(CREATE, undefined)).toBe('none');
  });

  test('acting on a resource without a creator tag is refused, and the error names the resource and why', () => {
    // WHEN / THEN
    expect(() => requireOwned(CREATE, ARN, { team: 'video' })).toThrow(expect.objectContaining({
      name: 'NotOwnedError',
      message: `refusing to act on ${ARN}, which ${CREATE.LogicalResourceId} of this stack did not create: it has no ${CREATOR_TAG_KEY} tag`,
    }));
  });

  test('acting on a resource this logical resource made is let through', () => {
    // WHEN / THEN
    expect(() => requireOwned(CREATE, ARN, CREATE_CREATOR_TAGS)).not.toThrow();
  });
});

describe('the physical ID CloudFormation holds', () => {
  const ARN = 'arn:aws:ivs:us-east-1:111111111111:stage/Thing0xxxxxx';
  const UPDATE = updateEvent(STAGE_RESOURCE_TYPE, ARN, { Name: 'new' }, { Name: 'old' });

  test('an update whose stack no longer exists is let through: a stack that is gone holds no other ID', async () => {
    // GIVEN
    cloudFormation.on(DescribeStackResourceCommand).rejects(new CloudFormationServiceException({
      name: 'ValidationError', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: `Stack with id ${UPDATE.StackId} does not exist`,
    }));

    // WHEN / THEN
    await expect(requireTrackedByCloudFormation(UPDATE)).resolves.toBeUndefined();
  });
});

describe('the rollback of a replacing update', () => {
  const KEPT = 'arn:aws:ivs:us-east-1:111111111111:stage/Kept00000000';
  /** The Update whose rollback runs: its physical ID is the resource CloudFormation keeps. */
  const ROLLBACK = updateEvent(STAGE_RESOURCE_TYPE, KEPT, { Name: 'town-hall' }, { Name: 'new-hall' });

  test('deletes what the update made, of the name it gave and with this logical resource\'s creator tag, and returns it', async () => {
    // GIVEN
    const things = new Things();
    const made = things.add('new-hall', creatorTag({ ...ROLLBACK, RequestId: 'the-update' }));

    // WHEN
    const removed = await removeRolledBackReplacements(ROLLBACK, things, 'new-hall', KEPT);

    // THEN
    expect(removed).toEqual([made.arn]);
    expect(things.removed).toEqual([made.arn]);
  });

  test('leaves resources of the name that another logical resource made, or that carry no creator tag', async () => {
    // GIVEN
    const things = new Things();
    things.add('new-hall', creatorTag({ ...ROLLBACK, LogicalResourceId: 'OtherStage' }));
    things.add('new-hall', { team: 'video' });

    // WHEN
    const removed = await removeRolledBackReplacements(ROLLBACK, things, 'new-hall', KEPT);

    // THEN
    expect(removed).toEqual([]);
    expect(things.removed).toEqual([]);
  });

  test('keeps the resource CloudFormation keeps, even with the same name and this logical resource\'s creator tag (a new key of the same name)', async () => {
    // GIVEN the kept resource, which the update's replacement had the same name as, and the replacement
    const things = new Things();
    const kept = things.add('town-hall', creatorTag({ ...ROLLBACK, RequestId: 'the-create' }));
    const made = things.add('town-hall', creatorTag({ ...ROLLBACK, RequestId: 'the-update' }));

    // WHEN
    const removed = await removeRolledBackReplacements(ROLLBACK, things, 'town-hall', kept.arn);

    // THEN
    expect(removed).toEqual([made.arn]);
    expect([...things.items.keys()]).toEqual([kept.arn]);
  });

  test('logs what it deletes and what it keeps', async () => {
    // GIVEN two that the update made (a create of it carried out after its answer was lost, and the one it made after)
    const things = new Things();
    const first = things.add('new-hall', creatorTag({ ...ROLLBACK, RequestId: 'the-update' }));
    const second = things.add('new-hall', { [CREATOR_TAG_KEY]: `${creatorTag({ ...ROLLBACK, RequestId: 'the-update' })[CREATOR_TAG_KEY]}${ANSWER_LOST_SUFFIX}` });
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});

    // WHEN
    await removeRolledBackReplacements(ROLLBACK, things, 'new-hall', KEPT);

    // THEN
    expect(log).toHaveBeenCalledWith(`the update being rolled back made ${first.arn}, ${second.arn}; deleting it, keeping ${KEPT}`);
  });

  test('logs nothing when the update made nothing', async () => {
    // GIVEN only the kept resource
    const things = new Things();
    const kept = things.add('town-hall', creatorTag({ ...ROLLBACK, RequestId: 'the-create' }));
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});

    // WHEN
    await removeRolledBackReplacements(ROLLBACK, things, 'town-hall', kept.arn);

    // THEN
    expect(log).not.toHaveBeenCalled();
  });
});

describe('the delete of a resource whose create lost an answer', () => {
  const MARKED_TAGS = { [CREATOR_TAG_KEY]: `${CREATE_CREATOR_TAGS[CREATOR_TAG_KEY]}${ANSWER_LOST_SUFFIX}` };

  test('deletes it and every other resource of the name that request made, marked or not, and nothing else', async () => {
    // GIVEN the resource kept (marked), a call of its create carried out later (marked too), one carried
    // out after the create's last look (unmarked), and resources of the name that only look like them
    const things = new Things();
    const kept = things.add('town-hall', MARKED_TAGS);
    const later = things.add('town-hall', MARKED_TAGS);
    const first = things.add('town-hall', CREATE_CREATOR_TAGS);
    const another = things.add('town-hall', creatorTag({ ...CREATE, LogicalResourceId: 'OtherStage' }));
    const anotherRequest = things.add('town-hall', creatorTag({ ...CREATE, RequestId: 'another-request' }));
    const untagged = things.add('town-hall', {});

    // WHEN
    await deleteOwned(deleteEvent(STAGE_RESOURCE_TYPE, kept.arn, { Name: 'town-hall' }), things, 'town-hall');

    // THEN
    expect(things.removed.sort()).toEqual([kept.arn, later.arn, first.arn].sort());
    expect([...things.items.keys()].sort()).toEqual([another.arn, anotherRequest.arn, untagged.arn].sort());
  });
});

describe('a delete whose request carries no properties', () => {
  test('is no adoption\'s: the ID of a failed create deletes what the create made', async () => {
    // GIVEN
    const things = new Things();
    const made = things.add('town-hall', CREATE_CREATOR_TAGS);
    const request = { ...deleteEvent(STAGE_RESOURCE_TYPE, FAILED_CREATE_ID, { Name: 'town-hall' }), ResourceProperties: undefined };

    // WHEN
    await deleteOwned(request, things, 'town-hall');

    // THEN
    expect(things.removed).toEqual([made.arn]);
  });
});

describe('a delete that cannot read the resource', () => {
  test('fails with the error of the read, other than one that says it is gone, and deletes nothing', async () => {
    // GIVEN
    const things = new Things();
    const thing = things.add('town-hall', CREATE_CREATOR_TAGS);
    const denied = new Error('not authorized to perform ivs:GetStage');
    const type = things.with({
      get: async () => {
        throw denied;
      },
    });

    // WHEN / THEN
    await expect(deleteOwned(deleteEvent(STAGE_RESOURCE_TYPE, thing.arn, { Name: 'town-hall' }), type, 'town-hall')).rejects.toBe(denied);
    expect(things.removed).toEqual([]);
  });
});

describe('whether CloudFormation is rolling back', () => {
  const UPDATE = updateEvent(STAGE_RESOURCE_TYPE, 'arn:aws:ivs:us-east-1:111111111111:stage/Old000000000', { Name: 'new' }, { Name: 'old' });

  /** The statuses of a stack operation that ignores the answers of its requests: a rollback, or the stack's delete. */
  const ignoring = Object.values(StackStatus).filter((status) => status.includes('ROLLBACK') || status.startsWith('DELETE_'));

  test.each(ignoring)('a stack in %s is rolling back (or being deleted)', async (status) => {
    // GIVEN
    cloudFormationShows('CREATE_IN_PROGRESS', status);

    // WHEN / THEN
    await expect(rolledBack(UPDATE)).resolves.toBe(true);
  });

  test.each(Object.values(StackStatus).filter((status) => !ignoring.includes(status)))('a stack in %s is not rolling back', async (status) => {
    // GIVEN
    cloudFormationShows('CREATE_IN_PROGRESS', status);

    // WHEN / THEN
    await expect(rolledBack(UPDATE)).resolves.toBe(false);
  });

  test.each([
    ['no list of stacks', {}],
    ['an empty list of stacks', { Stacks: [] }],
    ['a stack without a status', { Stacks: [{ StackName: 'TestStack', CreationTime: new Date(0) }] }],
  ])('an answer with %s says nothing of a rollback', async (_, answer) => {
    // GIVEN
    cloudFormation.on(DescribeStacksCommand).resolves(answer as never);

    // WHEN / THEN
    await expect(rolledBack(UPDATE)).resolves.toBe(false);
  });

  test('a stack that no longer exists is rolled back: CloudFormation ignores the answer', async () => {
    // GIVEN
    cloudFormation.on(DescribeStacksCommand).rejects(new CloudFormationServiceException({
      name: 'ValidationError', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: `Stack with id ${UPDATE.StackId} does not exist`,
    }));

    // WHEN / THEN
    await expect(rolledBack(UPDATE)).resolves.toBe(true);
  });

  test.each([
    ['access denied', 'AccessDenied', 403, 'not authorized'],
    ['a validation error other than a stack that does not exist', 'ValidationError', 400, 'Stack name is invalid'],
    ['an error other than a validation error that says something does not exist', 'AccessDenied', 403, 'the role does not exist'],
  ])('a look that fails otherwise (%s) fails with that error', async (_, name, status, message) => {
    // GIVEN
    const error = new CloudFormationServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message });
    cloudFormation.on(DescribeStacksCommand).rejects(error);

    // WHEN / THEN
    await expect(rolledBack(UPDATE)).rejects.toBe(error);
  });
});
