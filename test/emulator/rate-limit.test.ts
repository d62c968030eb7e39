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

/** `count` calls at once, each tried once; the status of each, in order, and how long the burst took. */
async function timedBurst(count: number, call: () => Promise<unknown>): Promise<{ statuses: number[]; seconds: number }> {
  const started = performance.now();
  const statuses = await Promise.all(Array.from({ length: count }, () => call().then(
    () => 200,
    (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode ?? -1,
  )));
  return { statuses, seconds: (performance.now() - started) / 1000 };
}

async function burst(count: number, call: () => Promise<unknown>): Promise<number[]> {
  return (await timedBurst(count, call)).statuses;
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

/**
 * A burst at `rate` per second passes a second's worth at once, plus what the bucket refilled while
 * the burst lasted: on a busy machine a burst of a few dozen requests takes long enough to matter.
 * The exact arithmetic is RateLimiter's own test, on a clock the test moves.
 */
function expectWithinRate(passed: number, rate: number, seconds: number): void {
  expect(passed).toBeGreaterThanOrEqual(rate);
  expect(passed).toBeLessThanOrEqual(rate + Math.ceil(rate * seconds));
}

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
    // WHEN 20 stages are created at once, each tried once
    const { statuses, seconds } = await timedBurst(20, () => client.send(new CreateStageCommand({})));
    // THEN a second's worth (5, and what refilled meanwhile) pass, the others are throttled and create nothing
    expectWithinRate(count(statuses, 200), 5, seconds);
    expect(count(statuses, 429)).toBe(20 - count(statuses, 200));
    expect(t.emu.listResources().stages).toHaveLength(count(statuses, 200));
    const throttled = t.emu.requests.filter((r) => r.status === 429);
    expect(throttled).toHaveLength(count(statuses, 429));
    expect(throttled.every((r) => r.operation === 'CreateStage' && r.errorType === 'ThrottlingException')).toBe(true);
  });

  test('a throttled request gets the x-amzn-ErrorType header and "Rate exceeded"', async () => {
    // GIVEN one CreateStage every 2 s (a tenth of the service's rate), and that one taken
    t.emu.setRateLimit({ scale: 0.1 });
    await client.send(new CreateStageCommand({}));
    // WHEN one more CreateStage is sent
    const response = await rawRequest(t.emu, 'POST', '/CreateStage', '{}');
    // THEN it is a ThrottlingException with the front end's message
    expect(response.status).toBe(429);
    expect(response.headers['x-amzn-errortype']).toBe('ThrottlingException');
    expect(response.body).toMatchObject({ message: 'Rate exceeded' });
  });

  test('the SDK sees a ThrottlingException', async () => {
    // GIVEN one CreateStage every 2 s, and that one taken
    t.emu.setRateLimit({ scale: 0.1 });
    await client.send(new CreateStageCommand({}));
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
    // WHEN public keys are listed 12 times at once
    const { statuses, seconds } = await timedBurst(12, () => client.send(new ListPublicKeysCommand({})));
    // THEN 3 pass (and what refilled meanwhile)
    expectWithinRate(count(statuses, 200), 3, seconds);
  });

  test('tag operations allow 10 per second', async () => {
    // GIVEN a stage, then the service's rates
    const { stage } = await client.send(new CreateStageCommand({}));
    t.emu.setRateLimit({});
    // WHEN its tags are listed 30 times at once
    const { statuses, seconds } = await timedBurst(30, () => client.send(new ListTagsForResourceCommand({ resourceArn: stage!.arn })));
    // THEN 10 pass (and what refilled meanwhile)
    expectWithinRate(count(statuses, 200), 10, seconds);
  });

  test('scale multiplies every rate', async () => {
    // GIVEN rates 4 times the service's, and room for the keys
    t.emu.setRateLimit({ scale: 4 });
    t.emu.setQuotas({ publicKeys: 20 });
    // WHEN 50 stages and 30 public keys are made at once
    const materials = Array.from({ length: 30 }, () => publicKeyPem());
    const stages = await timedBurst(50, () => client.send(new CreateStageCommand({})));
    const keys = await timedBurst(30, () => client.send(new ImportPublicKeyCommand({ publicKeyMaterial: materials.pop() })));
    // THEN 20 stages (4 × 5) and 12 keys (4 × 3) pass (and what refilled meanwhile)
    expectWithinRate(count(stages.statuses, 200), 20, stages.seconds);
    expectWithinRate(count(keys.statuses, 200), 12, keys.seconds);
  });

  test('the bucket refills at the rate', async () => {
    // GIVEN 5 CreateStage per second, the bucket emptied
    t.emu.setRateLimit({});
    await burst(10, () => client.send(new CreateStageCommand({})));
    await expectServiceError(client.send(new CreateStageCommand({})), 'ThrottlingException', 429);
    const emptied = performance.now();
    // WHEN 450 ms pass (2 and a bit tokens' worth)
    await new Promise((resolve) => setTimeout(resolve, 450));
    // THEN about 2 requests pass again: what refilled since, not a full second's worth
    const statuses = await burst(5, () => client.send(new CreateStageCommand({})));
    const refilled = ((performance.now() - emptied) / 1000) * 5;
    expect(count(statuses, 200)).toBeGreaterThanOrEqual(2);
    expect(count(statuses, 200)).toBeLessThanOrEqual(Math.min(5, Math.ceil(refilled)));
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
