/**
 * In-process emulator of the Amazon IVS Real-Time control-plane API (restJson1) for tests.
 *
 *   const emu = await startEmulator();
 *   const client = emulatorClient(emu);   // the real @aws-sdk/client-ivs-realtime, pointed at emu.endpoint
 *   ...
 *   client.destroy(); await emu.stop();
 *
 * It routes like the service, validates every modelled constraint plus the documented cross-field and
 * cross-resource rules, keeps resources in memory, records every request, and can inject faults
 * (before the operation, without side effect; or `afterCommit`: the operation commits, then its
 * answer is lost to a 500, a reset connection or a stall; or `hold`: the request waits, unprocessed,
 * until the test releases it, so that IVS can carry out a call after its client gave up on it).
 *
 * Rate-limit mode, off by default: `emu.setRateLimit({ scale })` gives every operation a token
 * bucket at the service's rate (5 per second; PublicKey operations 3, tag operations 10,
 * CreateParticipantToken 50) times `scale`, holding one second's worth; a request over it gets
 * 429 ThrottlingException "Rate exceeded" and has no side effect. `emu.setQuotas({...})` raises
 * resource quotas for tests that make hundreds. `reset()` turns both back to the defaults.
 * Test tooling only: not exported from src/ and not shipped.
 */
import { IVSRealTimeClient, IVSRealTimeClientConfig } from '@aws-sdk/client-ivs-realtime';
import { EmulatorServer } from './server';
import type { EmulatorOptions, IvsEmulator } from './types';

export type { EmulatorOptions, Fault, HeldRequest, IvsEmulator, LostAnswer, RateLimitOptions, RecordedRequest, ResourceSnapshot } from './types';
export type { Quotas } from './store';
export type { EndedComposition } from './sessions';
export type { Gate, GateOptions } from './gates';
export { ratePerSecond } from './rate-limit';
export { JoinRefusedError } from './participants';
export type { JoinedParticipant, JoinRefusal } from './participants';

export async function startEmulator(options: EmulatorOptions = {}): Promise<IvsEmulator> {
  const server = new EmulatorServer(options.accountId ?? '123456789012', options.region ?? 'us-east-1');
  await server.listen(options.port ?? 0);
  return server;
}

/** A real SDK client bound to the emulator (static fake credentials, the emulator's region and endpoint). */
export function emulatorClient(emu: IvsEmulator, config: Partial<IVSRealTimeClientConfig> = {}): IVSRealTimeClient {
  return new IVSRealTimeClient({
    region: emu.region,
    endpoint: emu.endpoint,
    credentials: { accessKeyId: 'AKIAEMULATOREXAMPLE', secretAccessKey: 'emulator-secret-access-key' },
    ...config,
  });
}
