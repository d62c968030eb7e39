import { CreateStageCommand, IVSRealTimeClient, ListStagesCommand } from '@aws-sdk/client-ivs-realtime';
import './helpers'; // for its quiet-SDK setting only
import { emulatorClient, IvsEmulator, startEmulator } from './index';

// These tests start and stop their own emulators, since starting and stopping is what they check.

describe('emulator lifecycle', () => {
  let emu: IvsEmulator | undefined;
  let client: IVSRealTimeClient | undefined;

  afterEach(async () => {
    client?.destroy();
    await emu?.stop();
    client = undefined;
    emu = undefined;
  });

  test('listens on 127.0.0.1 and uses the given account and region in ARNs', async () => {
    // GIVEN an emulator for another account and region
    emu = await startEmulator({ accountId: '210987654321', region: 'eu-west-1' });
    client = emulatorClient(emu);
    // WHEN a stage is created
    const { stage } = await client.send(new CreateStageCommand({}));
    // THEN the endpoint is local and the ARN names that account and region
    expect(emu.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stage!.arn).toMatch(/^arn:aws:ivs:eu-west-1:210987654321:stage\//);
  });

  test('the SDK reaches it through AWS_ENDPOINT_URL_IVS_REALTIME', async () => {
    // GIVEN the service-specific endpoint variable pointing at the emulator
    emu = await startEmulator();
    const previous = process.env.AWS_ENDPOINT_URL_IVS_REALTIME;
    process.env.AWS_ENDPOINT_URL_IVS_REALTIME = emu.endpoint;
    try {
      // WHEN a client without an explicit endpoint lists stages
      client = new IVSRealTimeClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' } });
      await client.send(new ListStagesCommand({}));
    } finally {
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_IVS_REALTIME;
      else process.env.AWS_ENDPOINT_URL_IVS_REALTIME = previous;
    }
    // THEN the emulator received the call
    expect(emu.requests.map((r) => r.operation)).toEqual(['ListStages']);
  });

  test('stop() returns promptly while a delayed request is in flight', async () => {
    // GIVEN a request held by an hour of latency: a stop that waited for it would outlast the test's timeout
    emu = await startEmulator();
    client = emulatorClient(emu, { maxAttempts: 1 });
    emu.injectFault({ kind: 'latency', ms: 3_600_000 });
    const pending = client.send(new ListStagesCommand({})).catch((e: Error) => e);
    while (emu.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // WHEN the emulator stops
    await emu.stop();
    // THEN it did not wait for the delay and the client saw a connection error
    expect(await pending).toBeInstanceOf(Error);
  });

  test('two emulators keep separate state', async () => {
    // GIVEN two emulators
    emu = await startEmulator();
    const other = await startEmulator();
    client = emulatorClient(emu);
    // WHEN a stage is created in the first
    await client.send(new CreateStageCommand({}));
    // THEN the second has none
    expect(other.listResources().stages).toHaveLength(0);
    expect(other.endpoint).not.toBe(emu.endpoint);
    await other.stop();
  });
});
