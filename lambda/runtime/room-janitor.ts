/*
 * The janitor of StageRooms. On its schedule it deletes the stages of rooms that have been idle
 * longer than the construct's idle timeout (no active session on the stage, and no join since) and
 * reaps what a crash left half-done; invoked with `{"action": "close", "roomKey": "..."}` it ends a
 * room now. It touches only stages that carry its own rooms tag (its role can delete no other), and
 * never one whose room has the keep marker.
 *
 * A run lists the stages first and reads the table second, strongly consistent: a join puts its
 * claim before it creates the stage, so a tagged stage in the listing whose room has no item (or an
 * item naming another stage) is an orphan, never a stage in the making. An item whose stage is not
 * in the listing may be newer than the listing: GetStage decides.
 *
 * Each IVS call that IVS throttles is retried with backoff; a run that still fails somewhere
 * carries on with the other rooms and then fails, naming them, so that the failure shows in the
 * function's Errors metric and its schedule's retries rather than in a log line alone.
 */
import { DeleteItemCommand, DynamoDBClient, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteStageCommand, GetStageCommand, IVSRealTimeClient, ListStagesCommand, StageSummary } from '@aws-sdk/client-ivs-realtime';
import { Attributes, isConditionFailed, num, retryThrottled as retryUntil, str, toRoom } from './rooms-table';
import { JanitorReport, RoomItem, ROOMS_ENV, ROOMS_TAG_KEY } from '../../src/runtime/stage-rooms-contract';

export interface JanitorConfig {
  readonly tableName: string;
  readonly roomsId: string;
  readonly idleMs: number;
  readonly claimStaleMs: number;
}

/** A request to close a room that the janitor refuses. */
export class RoomCloseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RoomCloseError';
  }
}

const CLIENT_OPTIONS = { requestHandler: { connectionTimeout: 2_000, requestTimeout: 10_000, throwOnRequestTimeout: true } };
const dynamodb = new DynamoDBClient({ ...CLIENT_OPTIONS, maxAttempts: 5 });
// Throttling is retried below, with a patience of its own; other errors get the SDK's few attempts.
const ivs = new IVSRealTimeClient({ ...CLIENT_OPTIONS, maxAttempts: 3 });

/** How long the janitor keeps retrying one throttled IVS call (its timeout is 5 minutes). */
const THROTTLE_PATIENCE_MS = 60_000;

const retryThrottled = <T>(call: () => Promise<T>) => retryUntil(call, Date.now() + THROTTLE_PATIENCE_MS);

export function readJanitorConfig(env: Record<string, string | undefined>): JanitorConfig {
  const missing = [ROOMS_ENV.TABLE_NAME, ROOMS_ENV.ROOMS_ID, ROOMS_ENV.IDLE_SECONDS].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(`the janitor's environment lacks ${missing.join(', ')}`);
  }
  return {
    tableName: env[ROOMS_ENV.TABLE_NAME]!,
    roomsId: env[ROOMS_ENV.ROOMS_ID]!,
    idleMs: Number(env[ROOMS_ENV.IDLE_SECONDS]) * 1000,
    claimStaleMs: Number(env[ROOMS_ENV.CLAIM_STALE_SECONDS] ?? '120') * 1000,
  };
}

/** The entry point: a close request, or (any other event, such as the schedule's) a sweep. */
export async function handler(event: unknown): Promise<JanitorReport | { closed: string; stageArn?: string }> {
  const config = readJanitorConfig(process.env);
  if (typeof event === 'object' && event !== null && (event as { action?: unknown }).action !== undefined) {
    const { action, roomKey } = event as { action: unknown; roomKey: unknown };
    if (action !== 'close' || typeof roomKey !== 'string' || roomKey.length === 0) {
      throw new RoomCloseError(`a request to the janitor must be {"action": "close", "roomKey": "..."}, got action ${JSON.stringify(action)} and roomKey ${JSON.stringify(roomKey)}`);
    }
    return close(config, roomKey);
  }
  return sweep(config);
}

/** Ends a room now: its stage is deleted (which disconnects everyone on it), then its item. */
export async function close(config: JanitorConfig, roomKey: string): Promise<{ closed: string; stageArn?: string }> {
  let room: RoomItem | undefined;
  try {
    room = toRoom((await dynamodb.send(new UpdateItemCommand({
      TableName: config.tableName,
      Key: { roomKey: str(roomKey) },
      UpdateExpression: 'SET #state = :closing',
      ConditionExpression: 'attribute_exists(roomKey)',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':closing': str('CLOSING') },
      ReturnValues: 'ALL_NEW',
    }))).Attributes);
  } catch (error) {
    if (isConditionFailed(error)) {
      return { closed: roomKey };
    }
    throw error;
  }
  await deleteRoom(config, room!);
  console.log(JSON.stringify({ event: 'room-closed', roomKey, stageArn: room!.stageArn }));
  return { closed: roomKey, ...(room!.stageArn ? { stageArn: room!.stageArn } : {}) };
}

/** One scheduled run. */
export async function sweep(config: JanitorConfig, now = Date.now()): Promise<JanitorReport> {
  const stages = await listOwnStages(config);
  const rooms = await scanRooms(config);
  const report = { deleted: [] as string[], orphanStagesDeleted: [] as string[], staleItemsDeleted: [] as string[], kept: [] as string[] };
  const failures: string[] = [];
  const attempt = async (what: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      failures.push(`${what}: ${(error as Error).name}: ${(error as Error).message}`);
    }
  };

  const byRoom = new Map(rooms.map((room) => [room.roomKey, room]));
  const listed = new Map(stages.map((stage) => [stage.arn!, stage]));

  // Tagged stages that no item points at: a crashed join's, a join's that lost to a close, an unfinished close's.
  for (const stage of stages) {
    const roomKey = stage.tags![ROOMS_TAG_KEY].slice(config.roomsId.length + 1);
    const room = byRoom.get(roomKey);
    if (room?.stageArn === stage.arn) {
      continue;
    }
    if (room?.state === 'CREATING' && now - room.claimedAt <= config.claimStaleMs) {
      continue; // its join may still be recording it
    }
    await attempt(`orphan stage ${stage.arn} of room ${roomKey}`, async () => {
      if (stage.activeSessionId) {
        return; // someone is on it: it goes once they leave
      }
      await deleteStage(stage.arn!);
      report.orphanStagesDeleted.push(roomKey);
    });
  }

  for (const room of rooms) {
    await attempt(`room ${room.roomKey}`, async () => {
      if (room.state === 'CREATING') {
        if (now - room.claimedAt > config.claimStaleMs && await deleteItem(config, room)) {
          report.staleItemsDeleted.push(room.roomKey);
        }
        return;
      }
      if (room.state === 'CLOSING') {
        // A close or an earlier run that stopped halfway: finish it.
        await deleteRoom(config, room);
        report.deleted.push(room.roomKey);
        return;
      }
      const stage = listed.get(room.stageArn!);
      if (!stage) {
        if (!await stageExists(room.stageArn!)) {
          if (await deleteItem(config, room)) {
            report.staleItemsDeleted.push(room.roomKey);
          }
        }
        return;
      }
      if (room.keep || stage.activeSessionId || now - room.lastJoinAt <= config.idleMs) {
        report.kept.push(room.roomKey);
        return;
      }
      // Idle: marked CLOSING only if no join came since the scan, so that a join now waits for a new stage.
      if (await markClosing(config, room)) {
        await deleteRoom(config, { ...room, state: 'CLOSING' });
        report.deleted.push(room.roomKey);
      } else {
        report.kept.push(room.roomKey);
      }
    });
  }

  console.log(JSON.stringify({ event: 'rooms-swept', ...countsOf(report), failures: failures.length }));
  if (failures.length > 0) {
    throw new Error(`the janitor could not finish ${failures.length} room(s); the next run tries again: ${failures.join('; ')}`);
  }
  return report;
}

/** The stages this construct created: those whose rooms tag starts with its rooms ID. */
async function listOwnStages(config: JanitorConfig): Promise<StageSummary[]> {
  const own: StageSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await retryThrottled(() => ivs.send(new ListStagesCommand({ maxResults: 100, nextToken })));
    for (const stage of page.stages ?? []) {
      if (stage.arn && stage.tags?.[ROOMS_TAG_KEY]?.startsWith(`${config.roomsId}/`)) {
        own.push(stage);
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return own;
}

async function scanRooms(config: JanitorConfig): Promise<RoomItem[]> {
  const rooms: RoomItem[] = [];
  let start: Attributes | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({ TableName: config.tableName, ConsistentRead: true, ExclusiveStartKey: start }));
    rooms.push(...(page.Items ?? []).map((item) => toRoom(item)!).filter((room) => room !== undefined));
    start = page.LastEvaluatedKey;
  } while (start);
  return rooms;
}

/** Marks an idle room CLOSING, unless a join came since it was read. */
async function markClosing(config: JanitorConfig, room: RoomItem): Promise<boolean> {
  try {
    await dynamodb.send(new UpdateItemCommand({
      TableName: config.tableName,
      Key: { roomKey: str(room.roomKey) },
      UpdateExpression: 'SET #state = :closing',
      ConditionExpression: '#state = :active AND lastJoinAt = :seen AND stageArn = :arn AND (attribute_not_exists(keep) OR keep = :false)',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':closing': str('CLOSING'), ':active': str('ACTIVE'), ':seen': num(room.lastJoinAt), ':arn': str(room.stageArn!), ':false': { BOOL: false },
      },
    }));
    return true;
  } catch (error) {
    if (isConditionFailed(error)) {
      return false;
    }
    throw error;
  }
}

/** Deletes a CLOSING room's stage (gone already is fine), then its item. */
async function deleteRoom(config: JanitorConfig, room: RoomItem): Promise<void> {
  if (room.stageArn) {
    await deleteStage(room.stageArn);
  }
  await dynamodb.send(new DeleteItemCommand({
    TableName: config.tableName,
    Key: { roomKey: str(room.roomKey) },
    ConditionExpression: '#state = :closing',
    ExpressionAttributeNames: { '#state': 'state' },
    ExpressionAttributeValues: { ':closing': str('CLOSING') },
  })).catch((error: unknown) => {
    if (!isConditionFailed(error)) {
      throw error;
    }
  });
}

/** Deletes the item as it was read (its claim and stage), and only so; whether it did. */
async function deleteItem(config: JanitorConfig, room: RoomItem): Promise<boolean> {
  try {
    await dynamodb.send(new DeleteItemCommand({
      TableName: config.tableName,
      Key: { roomKey: str(room.roomKey) },
      ConditionExpression: 'claimId = :claim AND #state = :state',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':claim': str(room.claimId), ':state': str(room.state) },
    }));
    return true;
  } catch (error) {
    if (isConditionFailed(error)) {
      return false;
    }
    throw error;
  }
}

async function deleteStage(arn: string): Promise<void> {
  try {
    await retryThrottled(() => ivs.send(new DeleteStageCommand({ arn })));
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') {
      throw error;
    }
  }
}

async function stageExists(arn: string): Promise<boolean> {
  try {
    await retryThrottled(() => ivs.send(new GetStageCommand({ arn })));
    return true;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') {
      return false;
    }
    throw error;
  }
}

function countsOf(report: JanitorReport) {
  return Object.fromEntries(Object.entries(report).map(([key, value]) => [key, (value as string[]).length]));
}

