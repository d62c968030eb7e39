import { CreateStageCommand } from '@aws-sdk/client-ivs-realtime';
import { useEmulator } from './helpers';
import { emulatorClient } from './index';

const t = useEmulator();

describe('gates', () => {
  test('a held create reaches IVS only when its gate opens, and a create the gate does not name passes', async () => {
    // GIVEN a gate holding CreateStage named "held"
    const gate = t.emu.hold({ operation: 'CreateStage', holds: (body) => (body as { name?: string }).name === 'held' });

    // WHEN both are created, and the gate holds one
    const held = t.client.send(new CreateStageCommand({ name: 'held' }));
    await gate.whenHeld(1);
    await t.client.send(new CreateStageCommand({ name: 'free' }));

    // THEN only the other exists until the gate opens
    expect(t.emu.listResources().stages.map((stage) => (stage as { name?: string }).name)).toEqual(['free']);
    gate.release();
    await held;
    expect(t.emu.listResources().stages.map((stage) => (stage as { name?: string }).name).sort()).toEqual(['free', 'held']);
  });

  test('the first passFirst requests pass, the later ones are held', async () => {
    // GIVEN a gate that lets two CreateStage through
    const gate = t.emu.hold({ operation: 'CreateStage', passFirst: 2 });

    // WHEN three are created
    await t.client.send(new CreateStageCommand({ name: 'one' }));
    await t.client.send(new CreateStageCommand({ name: 'two' }));
    const third = t.client.send(new CreateStageCommand({ name: 'three' }));
    await gate.whenHeld(1);

    // THEN the third waits for the gate
    expect(t.emu.listResources().stages).toHaveLength(2);
    gate.release();
    await third;
    expect(t.emu.listResources().stages).toHaveLength(3);
  });

  test('a held request whose client gave up is dropped unprocessed when the gate opens', async () => {
    // GIVEN a client that does not retry, and a gate holding every CreateStage
    const client = emulatorClient(t.emu, { maxAttempts: 1 });
    const gate = t.emu.hold({ operation: 'CreateStage' });
    const aborter = new AbortController();
    const attempt = client.send(new CreateStageCommand({ name: 'abandoned' }), { abortSignal: aborter.signal });
    await gate.whenHeld(1);

    // WHEN the client gives up, then the gate opens
    aborter.abort();
    await expect(attempt).rejects.toThrow();
    await gate.whenDropped(1);
    gate.release();
    await t.client.send(new CreateStageCommand({ name: 'after' }));
    client.destroy();

    // THEN IVS never made the abandoned stage
    expect(t.emu.listResources().stages.map((stage) => (stage as { name?: string }).name)).toEqual(['after']);
    expect(t.emu.requests.find((request) => request.body && (request.body as { name?: string }).name === 'abandoned')?.errorType).toBe('DroppedWhileHeld');
  });

  test('reset opens every gate', async () => {
    // GIVEN a held create
    const gate = t.emu.hold({ operation: 'CreateStage' });
    const held = t.client.send(new CreateStageCommand({ name: 'held' }));
    await gate.whenHeld(1);

    // WHEN the emulator is reset
    t.emu.reset();

    // THEN the create goes on
    await expect(held).resolves.toHaveProperty('stage');
  });
});
