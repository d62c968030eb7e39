import {
  CreateStageCommand,
  ImportPublicKeyCommand,
  ListPublicKeysCommand,
  ListStagesCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-ivs-realtime';
import { expectServiceError, publicKeyPem, rawRequest, useEmulator } from './helpers';
import { emulatorClient } from './index';
import { RateLimiter } from './rate-limit';

const t = useEmulator();

/** `count` calls at once, each tried once; the status of each, in order. */
async function burst(count: number, call: () => Promise<unknown>): Promise<number[]> {
  return Promise.all(Array.from({ length: count }, () => call().then(
    () => 200,
    (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode ?? -1,
  )));
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

describe('rate-limit mode', () => {
  let client: ReturnType<typeof emulatorClient>;
  beforeEach(() => {
    client = emulatorClient(t.emu, { maxAttempts: 1 });
  });
  afterEach(() => client.destroy());

  test('is off by default: 40 creates at once all succeed', async () => {
    // GIVEN a fresh emulator
    // WHEN 40 stages are created at once, each tried once
    const statuses = await burst(40, () => client.send(new CreateStageCommand({})));
    // THEN none is throttled
    expect(count(statuses, 200)).toBe(40);
    expect(t.emu.listResources().stages).toHaveLength(40);
  });

  test('answers requests over 5 per second with 429 ThrottlingException, without side effect', async () => {
    // GIVEN the service's rates
    t.emu.setRateLimit({});
    // WHEN 8 stages are created at once, each tried once
    const statuses = await burst(8, () => client.send(new CreateStageCommand({})));
    // THEN a second's worth (5) pass, the other 3 are throttled and create nothing
    expect(count(statuses, 200)).toBe(5);
    expect(count(statuses, 429)).toBe(3);
    expect(t.emu.listResources().stages).toHaveLength(5);
    const throttled = t.emu.requests.filter((r) => r.status === 429);
    expect(throttled).toHaveLength(3);
    expect(throttled.every((r) => r.operation === 'CreateStage' && r.errorType === 'ThrottlingException')).toBe(true);
  });

  test('a throttled request gets the x-amzn-ErrorType header and "Rate exceeded"', async () => {
    // GIVEN the service's rates, CreateStage's bucket emptied
    t.emu.setRateLimit({});
    await burst(5, () => client.send(new CreateStageCommand({})));
    // WHEN one more CreateStage is sent
    const response = await rawRequest(t.emu, 'POST', '/CreateStage', '{}');
    // THEN it is a ThrottlingException with the front end's message
    expect(response.status).toBe(429);
    expect(response.headers['x-amzn-errortype']).toBe('ThrottlingException');
    expect(response.body).toMatchObject({ message: 'Rate exceeded' });
  });

  test('the SDK sees a ThrottlingException', async () => {
    // GIVEN CreateStage's bucket emptied
    t.emu.setRateLimit({});
    await burst(5, () => client.send(new CreateStageCommand({})));
    // WHEN one more stage is created
    // THEN the SDK reports a ThrottlingException with status 429
    const error = await expectServiceError(client.send(new CreateStageCommand({})), 'ThrottlingException', 429);
    expect(error.message).toBe('Rate exceeded');
  });

  test('each operation has its own bucket', async () => {
    // GIVEN CreateStage's bucket emptied
    t.emu.setRateLimit({});
    await burst(6, () => client.send(new CreateStageCommand({})));
    // WHEN stages are listed 5 times at once
    const statuses = await burst(5, () => client.send(new ListStagesCommand({})));
    // THEN ListStages is not throttled
    expect(count(statuses, 200)).toBe(5);
  });

  test('PublicKey operations allow 3 per second', async () => {
    // GIVEN the service's rates
    t.emu.setRateLimit({});
    // WHEN public keys are listed 5 times at once
    const statuses = await burst(5, () => client.send(new ListPublicKeysCommand({})));
    // THEN 3 pass
    expect(count(statuses, 200)).toBe(3);
  });

  test('tag operations allow 10 per second', async () => {
    // GIVEN a stage, then the service's rates
    const { stage } = await client.send(new CreateStageCommand({}));
    t.emu.setRateLimit({});
    // WHEN its tags are listed 14 times at once
    const statuses = await burst(14, () => client.send(new ListTagsForResourceCommand({ resourceArn: stage!.arn })));
    // THEN 10 pass
    expect(count(statuses, 200)).toBe(10);
  });

  test('scale multiplies every rate', async () => {
    // GIVEN rates 4 times the service's, and room for the keys
    t.emu.setRateLimit({ scale: 4 });
    t.emu.setQuotas({ publicKeys: 20 });
    // WHEN 25 stages and 15 public keys are made at once
    const stages = await burst(25, () => client.send(new CreateStageCommand({})));
    const keys = await burst(15, () => client.send(new ImportPublicKeyCommand({ publicKeyMaterial: publicKeyPem() })));
    // THEN 20 stages (4 × 5) and 12 keys (4 × 3) pass
    expect(count(stages, 200)).toBe(20);
    expect(count(keys, 200)).toBe(12);
  });

  test('the bucket refills at the rate', async () => {
    // GIVEN 5 CreateStage per second, the bucket emptied
    t.emu.setRateLimit({});
    await burst(5, () => client.send(new CreateStageCommand({})));
    await expectServiceError(client.send(new CreateStageCommand({})), 'ThrottlingException', 429);
    // WHEN 450 ms pass (2 and a bit tokens' worth)
    await new Promise((resolve) => setTimeout(resolve, 450));
    // THEN 2 requests pass again (3 on a slow machine), not a full second's worth
    const statuses = await burst(5, () => client.send(new CreateStageCommand({})));
    expect(count(statuses, 200)).toBeGreaterThanOrEqual(2);
    expect(count(statuses, 200)).toBeLessThanOrEqual(3);
  });

  test('setRateLimit(undefined) and reset() turn the mode off', async () => {
    // GIVEN the rate limit on, then off; and on again, then a reset
    t.emu.setRateLimit({});
    t.emu.setRateLimit(undefined);
    const afterOff = await burst(10, () => client.send(new ListStagesCommand({})));
    t.emu.setRateLimit({});
    t.emu.reset();
    const afterReset = await burst(10, () => client.send(new ListStagesCommand({})));
    // THEN nothing is throttled
    expect(count(afterOff, 200)).toBe(10);
    expect(count(afterReset, 200)).toBe(10);
  });

  test('a scale that is not a positive number is refused', () => {
    // WHEN a scale of 0 is asked for
    // THEN a TypeError names it
    expect(() => t.emu.setRateLimit({ scale: 0 })).toThrow(/scale must be a positive number, got 0/);
  });
});

describe('RateLimiter', () => {
  test('refills continuously, up to one second\'s worth', () => {
    // GIVEN a limiter on a clock the test moves, CreateStage's 5 tokens taken
    let now = 0;
    const limiter = new RateLimiter({}, () => now);
    for (let i = 0; i < 5; i++) expect(limiter.take('CreateStage')).toBe(true);
    expect(limiter.take('CreateStage')).toBe(false);
    // WHEN 200 ms pass, THEN one token is back
    now = 200;
    expect(limiter.take('CreateStage')).toBe(true);
    expect(limiter.take('CreateStage')).toBe(false);
    // WHEN 10 s pass, THEN the bucket holds 5, not 50
    now = 10_200;
    const passed = Array.from({ length: 10 }, () => limiter.take('CreateStage')).filter(Boolean).length;
    expect(passed).toBe(5);
  });

  test('a rate under one per second still lets one request through', () => {
    // GIVEN PublicKey operations at 3 × 0.1 = 0.3 per second
    let now = 0;
    const limiter = new RateLimiter({ scale: 0.1 }, () => now);
    // THEN one passes now, the next only after 1 / 0.3 s
    expect(limiter.take('GetPublicKey')).toBe(true);
    now = 3_000;
    expect(limiter.take('GetPublicKey')).toBe(false);
    now = 3_400;
    expect(limiter.take('GetPublicKey')).toBe(true);
  });
});
