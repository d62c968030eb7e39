import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { roomBurst, runJoinInstances } from './join-instances';
import { ROOMS_ID, stagesOf, useRooms } from './rooms-harness';
import { ROOMS_TAG_KEY } from '../../../src/runtime/stage-rooms-contract';

/*
 * Exactly one stage per room under load: 1,000 concurrent joins over 200 new rooms, five to a room,
 * against the emulator throttling CreateStage at IVS's 5 per second, dynalite and the KMS stand-in.
 * 200 stages at 5 per second take 40 seconds at the least.
 *
 * The joins run in 20 instances of the shipped bundle (join-instances.ts), as Lambda scales a burst
 * out over instances. Each room's five joins are in five instances, at the same place in each
 * one's order: they start together and race for the room. They arrive over 4 seconds, as a
 * class's users do, and all are in flight together (the last stage comes after 40).
 */

const t = useRooms();

// ROOMS_BURST_ROOMS scales it down for a quick run (a multiple of 50 keeps each room's joins racing across instances).
const ROOMS = Number(process.env.ROOMS_BURST_ROOMS ?? 200);
const JOINS = 5 * ROOMS;

test(`${JOINS} concurrent joins over ${ROOMS} new rooms at 5 CreateStage per second: exactly ${ROOMS} stages, ${JOINS} tokens, each for its room's stage`, async () => {
  // GIVEN IVS's rate limits
  t.emu.setRateLimit({ scale: 1 });

  // WHEN the joins run, each room's five in five of the 20 instances
  const started = Date.now();
  const outcomes = await runJoinInstances(roomBurst(ROOMS, 5, 'room-'));
  const seconds = (Date.now() - started) / 1000;

  // THEN no error
  expect(outcomes.filter((o) => o.error).map((o) => o.error)).toEqual([]);
  const joins = outcomes.map(({ roomKey, response }) => ({ roomKey, response: response! }));

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
