import { IVSRealTimeClient } from '@aws-sdk/client-ivs-realtime';
import { LifecycleSimulator, removeSynthesized } from './index';
import { emulatorClient, IvsEmulator, startEmulator } from '../emulator';

// The SDK warns once per process on Node < 22; keep test output quiet.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export interface SimulatorHarness {
  emu: IvsEmulator;
  /** A real SDK client on the emulator, for reading back what the handlers did. */
  client: IVSRealTimeClient;
  sim: LifecycleSimulator;
}

/**
 * One emulator per test file, reset before each test, and a fresh simulator (no stack, a fresh
 * copy of every handler) for each test. The cloud assemblies synthesized in the file are removed
 * at its end.
 */
export function useSimulator(): SimulatorHarness {
  const harness = {} as SimulatorHarness;
  beforeAll(async () => {
    harness.emu = await startEmulator();
    harness.client = emulatorClient(harness.emu);
  });
  beforeEach(async () => {
    harness.emu.reset();
    harness.sim = await LifecycleSimulator.start({ emulator: harness.emu });
  });
  afterEach(async () => {
    await harness.sim.stop();
  });
  afterAll(async () => {
    harness.client.destroy();
    await harness.emu.stop();
    removeSynthesized();
  });
  return harness;
}
