import { Worker } from 'node:worker_threads';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { ROOMS_ID, stagesOf, useRooms } from './rooms-harness';
import { ROOMS_TAG_KEY, RoomJoinResponse } from '../../../src/runtime/stage-rooms-contract';

/*
 * Exactly one stage per room under load: 1,000 concurrent joins over 200 new rooms, five to a room,
 * against the emulator throttling CreateStage at IVS's 5 per second, dynalite and the KMS stand-in.
 * 200 stages at 5 per second take 40 seconds at the least.
 *
 * The joins run in 20 instances of the shipped bundle, as Lambda scales a burst out over instances:
 * each a worker thread of its own, which loads the bundle as Lambda's runtime does (its own SDK
 * clients, created from the environment), so that one instance's work does not stall another's
 * requests. Each room's five joins are in five instances, at the same place in each one's order:
 * they start together and race for the room.
 *
 * The joins arrive over 4 seconds, as a class's users do, and all are in flight together (the
 * last stage comes after 40). A thousand arriving in one instant overloaded this machine rather
 * than the join function: 20 instances' SDK work on two shared cores (each Lambda instance has a
 * CPU of its own) held requests past the function's 5-second request timeout.
 */

const t = useRooms();

// ROOMS_BURST_ROOMS scales it down for a quick run: five joins per room, 50 per instance (a multiple of 10).
const ROOMS = Number(process.env.ROOMS_BURST_ROOMS ?? 200);
const JOINS = 5 * ROOMS;
const PER_INSTANCE = 50;
const ARRIVAL_MS = 4_000;
const INSTANCES = JOINS / PER_INSTANCE;

interface JoinOutcome {
  readonly roomKey: string;
  readonly response?: RoomJoinResponse;
  readonly error?: string;
}

/*
 * An instance: loads the bundle, says it is ready, and on 'go' runs its joins as they arrive, with a Lambda
 * context that leaves room to wait (the function's timeout is 60 seconds; here the last of 200
 * stages comes after 40 at the least). The functions' logs are dropped: they log every join.
 */
const INSTANCE = `
  const { parentPort, workerData } = require('node:worker_threads');
  for (const method of ['log', 'warn', 'error']) console[method] = () => {};
  const { handler } = require(workerData.bundle);
  const context = { getRemainingTimeInMillis: () => 240000 };
  parentPort.once('message', async () => {
    const outcomes = await Promise.all(workerData.joins.map(({ roomKey, userId }, i) => new Promise((arrive) => setTimeout(arrive, i * workerData.arrivalMs / workerData.joins.length))
      .then(() => handler({ roomKey, userId }, context)).then(
      (response) => ({ roomKey, response }),
      (error) => ({ roomKey, error: String(error) }))));
    parentPort.postMessage(outcomes);
  });
  parentPort.postMessage('ready');
`;

function startInstance(joins: Array<{ roomKey: string; userId: string }>): { ready: Promise<void>; run(): Promise<JoinOutcome[]> } {
  const worker = new Worker(INSTANCE, {
    eval: true,
    // The environment as it is now: the endpoints, the table and the keys the harness set.
    env: { ...process.env },
    workerData: { bundle: require.resolve('../../../assets/lambda/runtime/room-join/index.js'), joins, arrivalMs: ARRIVAL_MS },
  });
  const message = () => new Promise<unknown>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    ready: message().then(() => undefined),
    run: async () => {
      const outcomes = message() as Promise<JoinOutcome[]>;
      worker.postMessage('go');
      const done = await outcomes;
      await worker.terminate();
      return done;
    },
  };
}

test(`${JOINS} concurrent joins over ${ROOMS} new rooms at 5 CreateStage per second: exactly ${ROOMS} stages, ${JOINS} tokens, each for its room's stage`, async () => {
  // GIVEN IVS's rate limits, and 20 loaded instances, each room's five joins in five of them
  t.emu.setRateLimit({ scale: 1 });
  const instances = Array.from({ length: INSTANCES }, (_, instance) => startInstance(
    Array.from({ length: PER_INSTANCE }, (__, j) => {
      const i = instance * PER_INSTANCE + j;
      return { roomKey: `room-${i % ROOMS}`, userId: `user-${i}` };
    })));
  await Promise.all(instances.map((instance) => instance.ready));

  // WHEN every instance runs its joins
  const started = Date.now();
  const outcomes = (await Promise.all(instances.map((instance) => instance.run()))).flat();
  const seconds = (Date.now() - started) / 1000;

  // THEN no error
  expect(outcomes.filter((o) => o.error).map((o) => o.error)).toEqual([]);
  const joins = outcomes as Array<Required<Pick<JoinOutcome, 'roomKey' | 'response'>>>;

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
