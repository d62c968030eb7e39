import { Worker } from 'node:worker_threads';
import * as path from 'path';
import type { RoomJoinResponse } from '../../../src/runtime/stage-rooms-contract';

/*
 * Joins run as Lambda runs a burst of them: spread over instances of the join function's shipped
 * bundle, each a worker thread of its own that loads the bundle as Lambda's runtime does (its own
 * SDK clients, created from the environment as it is when the instance starts). In one thread,
 * 1,000 joins' SDK work held its event loop for seconds at a time, and requests timed out there,
 * not at the endpoints. For the rooms burst test and the bench; test tooling only.
 */

export interface InstanceJoin {
  readonly roomKey: string;
  readonly userId: string;
}

export interface JoinOutcome {
  readonly roomKey: string;
  /** From the join's start to its answer. */
  readonly ms: number;
  readonly response?: RoomJoinResponse;
  readonly error?: string;
}

/** Joins arrive over this long, as a class's users do: all are in flight together while IVS makes the stages. */
export const ARRIVAL_MS = 4_000;

const BUNDLE = path.join(__dirname, '..', '..', '..', 'assets', 'lambda', 'runtime', 'room-join', 'index.js');

/*
 * An instance: loads the bundle, says it is ready, and on 'go' starts join i of n after
 * i × arrivalMs / n, with a Lambda context that leaves room to wait. The function's logs are
 * dropped: it logs every join.
 */
const INSTANCE = `
  const { parentPort, workerData } = require('node:worker_threads');
  for (const method of ['log', 'warn', 'error']) console[method] = () => {};
  const { handler } = require(workerData.bundle);
  const context = { getRemainingTimeInMillis: () => 240000 };
  const { joins, arrivalMs } = workerData;
  const arrive = (i) => new Promise((resolve) => setTimeout(resolve, (i * arrivalMs) / joins.length));
  parentPort.once('message', async () => {
    parentPort.postMessage(await Promise.all(joins.map(async ({ roomKey, userId }, i) => {
      await arrive(i);
      const started = performance.now();
      try {
        const response = await handler({ roomKey, userId }, context);
        return { roomKey, ms: performance.now() - started, response };
      } catch (error) {
        return { roomKey, ms: performance.now() - started, error: String(error) };
      }
    })));
  });
  parentPort.postMessage('ready');
`;

/**
 * A burst of `joinsPerRoom` joins to each of `rooms` new rooms (`<prefix><n>`), 50 to an instance,
 * as Lambda spreads a burst: join i is for room i mod `rooms`, so that, with `rooms` a multiple of
 * 50, each room's joins are at the same place in as many instances, start together and race.
 */
export function roomBurst(rooms: number, joinsPerRoom: number, prefix: string): InstanceJoin[][] {
  const perInstance = 50;
  return Array.from({ length: Math.ceil((rooms * joinsPerRoom) / perInstance) }, (_, instance) =>
    Array.from({ length: Math.min(perInstance, rooms * joinsPerRoom - instance * perInstance) }, (__, j) => {
      const i = instance * perInstance + j;
      return { roomKey: `${prefix}${i % rooms}`, userId: `user-${i}` };
    }));
}

/**
 * Loads one instance per list of joins and, once all have loaded, runs each instance's joins, the
 * i-th of each list arriving at the same time in every instance, spread over `arrivalMs`. The
 * outcomes, instance by instance. (A thousand joins arriving in one instant overloaded this
 * two-core machine rather than the join function: each Lambda instance has a CPU of its own.)
 */
export async function runJoinInstances(joinsPerInstance: InstanceJoin[][], arrivalMs = ARRIVAL_MS): Promise<JoinOutcome[]> {
  const workers = joinsPerInstance.map((joins) => new Worker(INSTANCE, {
    eval: true,
    env: { ...process.env },
    workerData: { bundle: BUNDLE, joins, arrivalMs },
  }));
  const message = (worker: Worker) => new Promise<unknown>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (value) => {
      worker.off('error', reject);
      resolve(value);
    });
  });
  try {
    await Promise.all(workers.map(message));
    const outcomes = workers.map((worker) => message(worker) as Promise<JoinOutcome[]>);
    workers.forEach((worker) => worker.postMessage('go'));
    return (await Promise.all(outcomes)).flat();
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
