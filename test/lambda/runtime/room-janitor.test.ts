import { GetItemCommand, PutItemCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateStageCommand, DeleteStageCommand } from '@aws-sdk/client-ivs-realtime';
import { ROOMS_ID, stagesOf, useRooms } from './rooms-harness';
import { CREATOR_TAG_KEY } from '../../../src/custom-resources/creator-tag-contract';
import { ROOMS_TAG_KEY, RoomJoinResponse } from '../../../src/runtime/stage-rooms-contract';

/*
 * The janitor of StageRooms against real parts: the IVS emulator and dynalite. Time is the `now`
 * a sweep is given, never a wait: the idle timeout is an hour.
 */

const t = useRooms();

const HOUR = 3_600_000;
const join = (roomKey: string, userId = 'alice') => t.join.handler({ roomKey, userId }) as Promise<RoomJoinResponse>;
const config = () => t.janitor.readJanitorConfig(process.env);
/** A sweep as it would run `ms` from now. */
const sweepIn = (ms: number) => t.janitor.sweep(config(), Date.now() + ms);
const stageArns = () => stagesOf(t).map((s) => s.arn).sort();

async function itemsOf() {
  return (await t.db.client.send(new ScanCommand({ TableName: t.tableName, ConsistentRead: true }))).Items ?? [];
}

async function stageTagged(tags: Record<string, string>): Promise<string> {
  return (await t.client.send(new CreateStageCommand({ name: 'other', tags }))).stage!.arn!;
}

describe('a room idle longer than the idle timeout', () => {
  test('loses its stage and its item', async () => {
    // GIVEN
    await join('maths-101');

    // WHEN
    const report = await sweepIn(HOUR + 60_000);

    // THEN
    expect(report.deleted).toEqual(['maths-101']);
    expect(stagesOf(t)).toEqual([]);
    expect(await itemsOf()).toEqual([]);
  });

  test('gets a new stage at its next join', async () => {
    // GIVEN
    const first = await join('maths-101');
    await sweepIn(HOUR + 60_000);

    // WHEN
    const again = await join('maths-101');

    // THEN
    expect(again.created).toBe(true);
    expect(again.stageArn).not.toBe(first.stageArn);
    expect(stageArns()).toEqual([again.stageArn]);
  });
});

describe('a room is kept', () => {
  test('when someone joined within the idle timeout', async () => {
    // GIVEN
    const { stageArn } = await join('maths-101');

    // WHEN
    const report = await sweepIn(HOUR - 60_000);

    // THEN
    expect(report.kept).toEqual(['maths-101']);
    expect(stageArns()).toEqual([stageArn]);
  });

  test('when its stage has an active session, however long ago the last join was', async () => {
    // GIVEN
    const { token, stageArn } = await join('maths-101');
    t.emu.joinStage(token);

    // WHEN
    const report = await sweepIn(5 * HOUR);

    // THEN
    expect(report.kept).toEqual(['maths-101']);
    expect(stageArns()).toEqual([stageArn]);
  });

  test('when its item has the keep marker', async () => {
    // GIVEN
    const { stageArn } = await join('maths-101');
    await t.db.client.send(new UpdateItemCommand({
      TableName: t.tableName, Key: { roomKey: { S: 'maths-101' } }, UpdateExpression: 'SET keep = :t', ExpressionAttributeValues: { ':t': { BOOL: true } },
    }));

    // WHEN
    const report = await sweepIn(5 * HOUR);

    // THEN
    expect(report.kept).toEqual(['maths-101']);
    expect(stageArns()).toEqual([stageArn]);
  });

  test('once its session ends, the next sweep deletes it', async () => {
    // GIVEN
    const { token, stageArn } = await join('maths-101');
    t.emu.joinStage(token);
    await sweepIn(5 * HOUR);
    t.emu.endStageSession(stageArn);

    // WHEN
    const report = await sweepIn(5 * HOUR);

    // THEN
    expect(report.deleted).toEqual(['maths-101']);
    expect(stagesOf(t)).toEqual([]);
  });
});

describe('stages the construct did not create are never touched', () => {
  test.each([
    ['no tag', {}],
    ['the rooms tag of another StageRooms', { [ROOMS_TAG_KEY]: 'ffffffffffffffff/maths-101' }],
    ['the creator tag of a Stage in a stack', { [CREATOR_TAG_KEY]: 'abc/def' }],
  ])('a stage with %s', async (_label, tags) => {
    // GIVEN
    const other = await stageTagged(tags);

    // WHEN
    const report = await sweepIn(48 * HOUR);

    // THEN
    expect(stageArns()).toEqual([other]);
    expect(report.orphanStagesDeleted).toEqual([]);
  });
});

describe('what a crash left half-done', () => {
  test('a stage with the rooms tag and no item is deleted', async () => {
    // GIVEN
    await stageTagged({ [ROOMS_TAG_KEY]: `${ROOMS_ID}/lost-room` });

    // WHEN
    const report = await sweepIn(0);

    // THEN
    expect(report.orphanStagesDeleted).toEqual(['lost-room']);
    expect(stagesOf(t)).toEqual([]);
  });

  test('an item whose stage is gone (deleted outside the construct) is deleted', async () => {
    // GIVEN
    const { stageArn } = await join('maths-101');
    await t.client.send(new DeleteStageCommand({ arn: stageArn })); // deleted outside the construct

    // WHEN
    const report = await sweepIn(0);

    // THEN
    expect(report.staleItemsDeleted).toEqual(['maths-101']);
    expect(await itemsOf()).toEqual([]);
  });

  test('a join that crashed after CreateStage (a stale claim and its tagged stage): both are reaped', async () => {
    // GIVEN a claim two hours old, and the stage its join made before it crashed
    const claimedAt = Date.now() - 2 * HOUR;
    await t.db.client.send(new PutItemCommand({
      TableName: t.tableName,
      Item: { roomKey: { S: 'crashed' }, state: { S: 'CREATING' }, claimId: { S: 'c-1' }, claimedAt: { N: String(claimedAt) }, lastJoinAt: { N: String(claimedAt) } },
    }));
    await stageTagged({ [ROOMS_TAG_KEY]: `${ROOMS_ID}/crashed` });

    // WHEN
    const report = await sweepIn(0);

    // THEN
    expect(report).toMatchObject({ orphanStagesDeleted: ['crashed'], staleItemsDeleted: ['crashed'] });
    expect(stagesOf(t)).toEqual([]);
    expect(await itemsOf()).toEqual([]);
  });

  test('a claim still within its time is left to its join', async () => {
    // GIVEN a claim made just now, and its stage, not yet recorded
    const now = Date.now();
    await t.db.client.send(new PutItemCommand({
      TableName: t.tableName,
      Item: { roomKey: { S: 'busy' }, state: { S: 'CREATING' }, claimId: { S: 'c-1' }, claimedAt: { N: String(now) }, lastJoinAt: { N: String(now) } },
    }));
    const stage = await stageTagged({ [ROOMS_TAG_KEY]: `${ROOMS_ID}/busy` });

    // WHEN
    await sweepIn(0);

    // THEN
    expect(stageArns()).toEqual([stage]);
    expect(await itemsOf()).toHaveLength(1);
  });

  test('a join that finds a stale claim takes it over and makes the stage; the crashed join\'s stage goes at the next sweep', async () => {
    // GIVEN
    const claimedAt = Date.now() - 2 * HOUR;
    await t.db.client.send(new PutItemCommand({
      TableName: t.tableName,
      Item: { roomKey: { S: 'crashed' }, state: { S: 'CREATING' }, claimId: { S: 'c-1' }, claimedAt: { N: String(claimedAt) }, lastJoinAt: { N: String(claimedAt) } },
    }));
    const orphan = await stageTagged({ [ROOMS_TAG_KEY]: `${ROOMS_ID}/crashed` });

    // WHEN
    const response = await join('crashed');
    const report = await sweepIn(0);

    // THEN
    expect(response.created).toBe(true);
    expect(report.orphanStagesDeleted).toEqual(['crashed']);
    expect(stageArns()).toEqual([response.stageArn]);
    expect(stageArns()).not.toContain(orphan);
  });
});

describe('throttling and failures', () => {
  test('a DeleteStage that IVS throttles is tried again', async () => {
    // GIVEN
    await join('maths-101');
    t.emu.injectFault({ kind: 'throttle', operation: 'DeleteStage', times: 3 });

    // WHEN
    const report = await sweepIn(2 * HOUR);

    // THEN
    expect(report.deleted).toEqual(['maths-101']);
    expect(t.emu.requests.filter((r) => r.operation === 'DeleteStage').map((r) => r.status)).toEqual([429, 429, 429, 200]);
  });

  test('a room that cannot be deleted fails the run, naming it, after the other rooms are done', async () => {
    // GIVEN
    await join('maths-101');
    await join('physics-1');
    t.emu.injectFault({ kind: 'failNth', operation: 'DeleteStage', n: 1, errorType: 'AccessDeniedException', status: 403 });

    // WHEN
    const error = await sweepIn(2 * HOUR).catch((e: Error) => e);

    // THEN
    expect((error as Error).message).toMatch(/^the janitor could not finish 1 room\(s\); the next run tries again: room (maths-101|physics-1): AccessDeniedException/);
    expect(stagesOf(t)).toHaveLength(1);
    const again = await sweepIn(2 * HOUR);
    expect(again.deleted).toHaveLength(1);
    expect(stagesOf(t)).toEqual([]);
  });
});

describe('close', () => {
  test('ends a room now: its stage (and everyone on it) and its item are gone', async () => {
    // GIVEN
    const { token, stageArn } = await join('maths-101');
    t.emu.joinStage(token);

    // WHEN
    const result = await t.janitor.handler({ action: 'close', roomKey: 'maths-101' });

    // THEN
    expect(result).toEqual({ closed: 'maths-101', stageArn });
    expect(stagesOf(t)).toEqual([]);
    expect(await itemsOf()).toEqual([]);
  });

  test('a room that does not exist is closed already', async () => {
    // WHEN / THEN
    await expect(t.janitor.handler({ action: 'close', roomKey: 'nothing' })).resolves.toEqual({ closed: 'nothing' });
  });

  test('an unknown action is refused, naming what it takes', async () => {
    // WHEN / THEN
    await expect(t.janitor.handler({ action: 'delete-all' })).rejects.toThrow(/a request to the janitor must be \{"action": "close", "roomKey": "..."\}/);
  });

  test('a join after a close makes a new stage', async () => {
    // GIVEN
    const first = await join('maths-101');
    await t.janitor.handler({ action: 'close', roomKey: 'maths-101' });

    // WHEN
    const second = await join('maths-101');

    // THEN
    expect(second.stageArn).not.toBe(first.stageArn);
    const { Item } = await t.db.client.send(new GetItemCommand({ TableName: t.tableName, Key: { roomKey: { S: 'maths-101' } }, ConsistentRead: true }));
    expect(Item?.stageArn?.S).toBe(second.stageArn);
  });
});
