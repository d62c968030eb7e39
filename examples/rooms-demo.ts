/*
 * Rooms on demand (StageRooms), as the demo shows them: the join function's and the janitor's
 * shipped bundles, run against the local IVS emulator, dynalite (a real DynamoDB implementation,
 * started and stopped here) and the KMS stand-in, which signs with a real P-384 key whose public
 * half IVS holds. Two rooms get their stages as users join, a burst of joins gets one stage per
 * room, one room goes idle and the janitor deletes its stage, the other is closed, and nothing is
 * left.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { importSPKI, jwtVerify } from 'jose';
import { ROOMS_TAG_KEY, RoomJoinResponse } from '../src/runtime/stage-rooms-contract';
import { IvsEmulator } from '../test/emulator';
import { startRoomsRig } from '../test/lambda/runtime/rooms-rig';

const HOUR = 3_600_000;

export async function roomsDemo(emu: IvsEmulator): Promise<void> {
  const rig = await startRoomsRig(emu);
  // The functions log each join and deletion as JSON lines (never a token); the demo says what happened instead.
  const log = console.log;
  const say = (line: string) => log(line);
  console.log = () => {};
  try {
    const join = rig.join();
    const janitor = rig.janitor();
    const { db, kms } = rig;
    const key = await importSPKI(rig.publicKeyPem, 'ES384');
    // The rooms' stages: the example stack's own stage is beside them in the emulator.
    const stages = () => (emu.listResources().stages as Array<{ arn: string; name: string; tags: Record<string, string> }>)
      .filter((stage) => stage.tags[ROOMS_TAG_KEY] !== undefined);

    say(`   Join function and janitor (their bundles), dynalite at ${db.endpoint}, KMS stand-in at ${kms.endpoint}`);
    const first = await join.handler({ roomKey: 'maths-101', userId: 'teacher', capabilities: ['PUBLISH', 'SUBSCRIBE'] }) as RoomJoinResponse;
    say(`   teacher joins maths-101: stage ${first.stageArn} created (${first.created}), token for participant ${first.participantId}`);
    emu.clearRequests();
    const second = await join.handler({ roomKey: 'maths-101', userId: 'student-1', capabilities: ['SUBSCRIBE'] }) as RoomJoinResponse;
    say(`   student-1 joins maths-101: same stage (${second.stageArn === first.stageArn}), ${emu.requests.length} IVS calls`);

    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) =>
      join.handler({ roomKey: i % 2 === 0 ? 'maths-101' : 'physics-7', userId: `student-${i + 2}`, capabilities: ['SUBSCRIBE'] }) as Promise<RoomJoinResponse>));
    const byRoom = new Map<string, Set<string>>();
    for (const r of burst) {
      byRoom.set(r.roomKey, (byRoom.get(r.roomKey) ?? new Set()).add(r.stageArn));
      const { payload } = await jwtVerify(r.token, key, { algorithms: ['ES384'] });
      if (payload.resource !== r.stageArn) throw new Error('a token is not for its room\'s stage');
      emu.joinStage(r.token, r.stageArn);
    }
    say(`   A burst of 30 joins at once over maths-101 and the new room physics-7: ${[...byRoom].map(([room, arns]) => `${room} ${arns.size} stage`).join(', ')}; `
      + `${stages().length} stages in IVS, every token verified with jose and accepted by its stage`);
    if ([...byRoom.values()].some((arns) => arns.size !== 1) || stages().length !== 2) {
      throw new Error('a room got more than one stage');
    }
    for (const stage of stages()) {
      say(`     ${stage.name}  ${stage.arn}  ${ROOMS_TAG_KEY}=${stage.tags[ROOMS_TAG_KEY]}`);
    }

    // Everyone leaves physics-7; maths-101's session goes on. The janitor runs as it would two hours later.
    const physics = burst.find((r) => r.roomKey === 'physics-7')!.stageArn;
    emu.endStageSession(physics);
    const report = await janitor.sweep(janitor.readJanitorConfig(process.env), Date.now() + 2 * HOUR);
    say(`   Two hours later, physics-7 empty, maths-101 still in session: the janitor deletes ${report.deleted.join(', ') || 'nothing'}, keeps ${report.kept.join(', ')}`);
    if (report.deleted.join() !== 'physics-7' || stages().length !== 1) {
      throw new Error('the janitor did not delete exactly the idle room');
    }

    const closed = await janitor.handler({ action: 'close', roomKey: 'maths-101' });
    const items = (await db.client.send(new ScanCommand({ TableName: rig.tableName }))).Items ?? [];
    say(`   Close maths-101: ${JSON.stringify(closed)}; stages left ${stages().length}, rooms in the table ${items.length}\n`);
    if (stages().length !== 0 || items.length !== 0) {
      throw new Error('rooms are left after the close');
    }
  } finally {
    console.log = log;
    await rig.stop();
  }
}
