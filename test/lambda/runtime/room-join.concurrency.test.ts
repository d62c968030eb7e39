import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { Join, ROOMS_ID, stagesOf, useRooms } from './rooms-harness';
import { ROOMS_TAG_KEY, RoomJoinResponse } from '../../../src/runtime/stage-rooms-contract';

/*
 * Exactly one stage per room under load: 1,000 joins at once over 200 new rooms, five to a room,
 * against the emulator throttling CreateStage at IVS's 5 per second, dynalite and the KMS stand-in.
 * All joins start together (one Promise.all), so every room's five joins race for it by
 * construction. 200 stages at 5 per second take 40 seconds at the least.
 *
 * The joins run in 20 instances of the shipped bundle, as Lambda scales a burst out over instances,
 * each with its own SDK clients (and their 50 sockets, one per join in flight); one instance taking all 1,000 would queue
 * them on its sockets, which no Lambda instance, serving one invocation at a time, ever does.
 */

const t = useRooms();

// ROOMS_BURST_ROOMS scales it down for a quick run on a busy machine (five joins per room, 50 per instance).
const ROOMS = Number(process.env.ROOMS_BURST_ROOMS ?? 200);
const JOINS = 5 * ROOMS;
const INSTANCES = JOINS / 50;

/** A fresh instance of the bundle: its own module, and SDK clients created now from the environment. */
function instanceOfBundle(): Join {
  let loaded: Join | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require('../../../assets/lambda/runtime/room-join/index.js') as Join;
  });
  return loaded!;
}

test(`${JOINS} concurrent joins over ${ROOMS} new rooms at 5 CreateStage per second: exactly ${ROOMS} stages, ${JOINS} tokens, each for its room's stage`, async () => {
  // GIVEN IVS's rate limits
  t.emu.setRateLimit({ scale: 1 });
  const started = Date.now();
  // A Lambda context with room to wait: the join function's timeout is 60 seconds; here the
  // last of 200 stages comes after 40 at the least.
  const context = { getRemainingTimeInMillis: () => 240_000 };
  const instances = Array.from({ length: INSTANCES }, instanceOfBundle);

  // WHEN
  const results = await Promise.allSettled(Array.from({ length: JOINS }, (_, i) => {
    const roomKey = `room-${i % ROOMS}`;
    return (instances[i % INSTANCES].handler({ roomKey, userId: `user-${i}` }, context) as Promise<RoomJoinResponse>).then((response) => ({ roomKey, response }));
  }));
  const seconds = (Date.now() - started) / 1000;

  // THEN no error
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => String(r.reason));
  expect(failures).toEqual([]);
  const joins = results.map((r) => (r as PromiseFulfilledResult<{ roomKey: string; response: RoomJoinResponse }>).value);

  // AND exactly one stage per room, each tagged with its room
  const stages = stagesOf(t);
  expect(stages).toHaveLength(ROOMS);
  const stageOfRoom = new Map(stages.map((stage) => [stage.tags[ROOMS_TAG_KEY].slice(ROOMS_ID.length + 1), stage.arn]));
  expect(stageOfRoom.size).toBe(ROOMS);
  expect(t.emu.requests.filter((r) => r.operation === 'CreateStage' && r.status === 200)).toHaveLength(ROOMS);

  // AND 1,000 tokens, each verified against the public key IVS holds and for its room's stage
  expect(new Set(joins.map((j) => j.response.participantId)).size).toBe(JOINS);
  for (const { roomKey, response } of joins) {
    expect(response.stageArn).toBe(stageOfRoom.get(roomKey));
    expect((await t.verify(response.token)).resource).toBe(stageOfRoom.get(roomKey));
  }
  expect(joins.filter((j) => j.response.created)).toHaveLength(ROOMS);

  // AND the table holds the 200 rooms, each with its stage
  const { Items } = await t.db.client.send(new ScanCommand({ TableName: t.tableName, ConsistentRead: true }));
  expect(new Map(Items!.map((item) => [item.roomKey.S, item.stageArn?.S]))).toEqual(stageOfRoom);

  process.stdout.write(`rooms concurrency: ${JOINS} joins over ${ROOMS} new rooms in ${seconds.toFixed(1)} s `
    + `(minimum ${ROOMS / 5} s at 5 CreateStage per second); ${t.emu.requests.filter((r) => r.status === 429).length} throttled IVS requests\n`);
}, 300_000);
