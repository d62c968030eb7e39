/*
 * Rooms on demand (StageRooms) in the bench: join latencies through the shipped bundles against the
 * IVS emulator at the service's 5 requests per second, dynalite and the KMS stand-in. Latencies are
 * this machine's, with local stand-ins for every service: they compare joins with each other (no
 * IVS call against a CreateStage), not with AWS.
 */
import { RoomJoinResponse } from '../src/runtime/stage-rooms-contract';
import { ratePerSecond, startEmulator } from '../test/emulator';
import { ARRIVAL_MS, roomBurst, runJoinInstances } from '../test/lambda/runtime/join-instances';
import { startRoomsRig } from '../test/lambda/runtime/rooms-rig';

export interface RoomsBenchResult {
  readonly existing: { joins: number; p50: number; p99: number; ivsCalls: number };
  readonly newRooms: { joins: number; p50: number; p99: number; ivsCallsPerJoin: number };
  readonly burst: {
    rooms: number;
    joins: number;
    /** The joins arrive over this long (see join-instances.ts). */
    arrivalSeconds: number;
    wallSeconds: number;
    minimumSeconds: number;
    p50: number;
    p99: number;
    stages: number;
    errors: number;
    throttled: number;
  };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

async function timed<T>(call: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await call();
  return { ms: performance.now() - started, value };
}

export interface RoomsBenchOptions {
  readonly existingJoins?: number;
  readonly newRooms?: number;
  readonly burstRooms?: number;
  readonly joinsPerRoom?: number;
}

export async function benchRooms(options: RoomsBenchOptions = {}): Promise<RoomsBenchResult> {
  const existingJoins = options.existingJoins ?? 200;
  const newRooms = options.newRooms ?? 50;
  const burstRooms = options.burstRooms ?? 200;
  const joinsPerRoom = options.joinsPerRoom ?? 5;
  const emu = await startEmulator();
  emu.setRateLimit({ scale: 1 });
  const rig = await startRoomsRig(emu);
  try {
    const join = rig.join();
    const call = (request: object) => join.handler(request, { getRemainingTimeInMillis: () => 240_000 }) as Promise<RoomJoinResponse>;

    // Joins to a room that has a stage, one after another.
    await call({ roomKey: 'warm', userId: 'first' });
    emu.clearRequests();
    const existing: number[] = [];
    for (let i = 0; i < existingJoins; i++) {
      existing.push((await timed(() => call({ roomKey: 'warm', userId: `u${i}` }))).ms);
    }
    const existingIvsCalls = emu.requests.length;

    // First joins of new rooms, one after another (paced by IVS's 5 CreateStage per second).
    emu.clearRequests();
    const first: number[] = [];
    for (let i = 0; i < newRooms; i++) {
      first.push((await timed(() => call({ roomKey: `new-${i}`, userId: 'host' }))).ms);
    }
    const newIvsCalls = emu.requests.filter((r) => r.status === 200).length;

    // A burst: joinsPerRoom joins to each of burstRooms new rooms, as the rooms burst test runs it:
    // in instances of 50 joins (worker threads), arriving over ARRIVAL_MS.
    emu.clearRequests();
    const stagesBefore = emu.listResources().stages.length;
    const started = performance.now();
    const outcomes = await runJoinInstances(roomBurst(burstRooms, joinsPerRoom, 'burst-'));
    const wallSeconds = (performance.now() - started) / 1000;
    const latencies = outcomes.filter((o) => o.response).map((o) => o.ms);
    return {
      existing: { joins: existingJoins, p50: percentile(existing, 50), p99: percentile(existing, 99), ivsCalls: existingIvsCalls },
      newRooms: { joins: newRooms, p50: percentile(first, 50), p99: percentile(first, 99), ivsCallsPerJoin: newIvsCalls / newRooms },
      burst: {
        rooms: burstRooms,
        joins: burstRooms * joinsPerRoom,
        arrivalSeconds: ARRIVAL_MS / 1000,
        wallSeconds,
        minimumSeconds: burstRooms / ratePerSecond('CreateStage'),
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        stages: emu.listResources().stages.length - stagesBefore,
        errors: outcomes.length - latencies.length,
        throttled: emu.requests.filter((r) => r.status === 429).length,
      },
    };
  } finally {
    await rig.stop();
    await emu.stop();
  }
}
