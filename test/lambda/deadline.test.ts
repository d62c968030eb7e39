import { CreateStageCommand, GetStageCommand, IVSRealTimeClient } from '@aws-sdk/client-ivs-realtime';
import {
  attemptFits,
  BASE_DELAY_MS,
  DeadlineRetryStrategy,
  MAX_DELAY_MS,
  REQUEST_HANDLER,
  THROTTLING_BASE_DELAY_MS,
  THROTTLING_MAX_DELAY_MS,
  timeLeftMs,
  withInvocationDeadline,
} from '../../lambda/deadline';
import { emulatorClient } from '../emulator';
import { useEmulator } from '../emulator/helpers';

/*
 * Retries bounded by the invocation's deadline rather than by a number of attempts, and calls
 * that stall cut at the request timeout.
 */

type ErrorType = 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR';

const A_MINUTE = 60_000;
/** The time one attempt may take at most: connecting, then waiting for the answer. */
const ATTEMPT_MS = REQUEST_HANDLER.connectionTimeout + REQUEST_HANDLER.requestTimeout;

async function retryAfter(strategy: DeadlineRetryStrategy, retries: number, errorType: ErrorType) {
  const token = { getRetryCount: () => retries, getRetryDelay: () => 0 };
  return strategy.refreshRetryTokenForRetry(token, { errorType });
}

describe('the retry strategy', () => {
  test('retries a throttled call however many times it was retried before, while the deadline allows', async () => {
    // GIVEN
    const strategy = new DeadlineRetryStrategy(false);

    // WHEN
    const token = await withInvocationDeadline(Date.now() + A_MINUTE, () => retryAfter(strategy, 100, 'THROTTLING'));

    // THEN
    expect(token.getRetryCount()).toBe(101);
    expect(token.getRetryDelay()).toBeGreaterThanOrEqual(0);
    expect(token.getRetryDelay()).toBeLessThanOrEqual(THROTTLING_MAX_DELAY_MS);
  });

  test('waits a random time below the exponential bound: the base doubled per retry, longer and capped lower for a throttled call', async () => {
    // GIVEN
    const strategy = new DeadlineRetryStrategy(true);
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.999999);

    // WHEN
    const delays = (errorType: ErrorType) => withInvocationDeadline(Date.now() + 2 * A_MINUTE, () => Promise.all(
      [0, 1, 2, 10].map(async (retries) => Math.round((await retryAfter(strategy, retries, errorType)).getRetryDelay())),
    ));
    const throttled = await delays('THROTTLING');
    const lost = await delays('TRANSIENT');
    random.mockRestore();

    // THEN
    expect(throttled).toEqual([THROTTLING_BASE_DELAY_MS, 2 * THROTTLING_BASE_DELAY_MS, 4 * THROTTLING_BASE_DELAY_MS, THROTTLING_MAX_DELAY_MS]);
    expect(lost).toEqual([BASE_DELAY_MS, 2 * BASE_DELAY_MS, 4 * BASE_DELAY_MS, MAX_DELAY_MS]);
  });

  test('stops once an attempt after the wait could outlast the deadline, so that the handler still answers in time', async () => {
    // GIVEN a deadline that leaves less than one attempt's time
    const strategy = new DeadlineRetryStrategy(true);

    // WHEN / THEN
    await withInvocationDeadline(Date.now() + ATTEMPT_MS - 1, async () => {
      await expect(retryAfter(strategy, 0, 'THROTTLING')).rejects.toThrow('no retry');
    });
  });

  test.each([
    ['TRANSIENT', true],
    ['SERVER_ERROR', true],
    ['TRANSIENT', false],
    ['SERVER_ERROR', false],
  ] as const)('a call whose answer was lost (%s) is retried only by a client whose calls can be made twice (%s)', async (errorType, twice) => {
    // GIVEN
    const strategy = new DeadlineRetryStrategy(twice);

    // WHEN
    const retried = withInvocationDeadline(Date.now() + A_MINUTE, () => retryAfter(strategy, 0, errorType));

    // THEN
    if (twice) {
      await expect(retried).resolves.toBeDefined();
    } else {
      await expect(retried).rejects.toThrow('no retry');
    }
  });

  test('an attempt that would end exactly at the deadline is still made', async () => {
    // GIVEN a clock that stands still, and a deadline one wait and one attempt away
    const strategy = new DeadlineRetryStrategy(true);
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    const wait = THROTTLING_BASE_DELAY_MS / 2;

    try {
      // WHEN
      const token = await withInvocationDeadline(1_000_000 + wait + ATTEMPT_MS, () => retryAfter(strategy, 0, 'THROTTLING'));

      // THEN
      expect(token.getRetryDelay()).toBe(wait);
    } finally {
      now.mockRestore();
      jest.restoreAllMocks();
    }
  });

  test('a call IVS refused is never retried', async () => {
    // GIVEN
    const strategy = new DeadlineRetryStrategy(true);

    // WHEN / THEN
    await withInvocationDeadline(Date.now() + A_MINUTE, async () => {
      await expect(retryAfter(strategy, 0, 'CLIENT_ERROR')).rejects.toThrow('no retry');
    });
  });

  test('a client with it reports the SDK\'s standard retry mode in its user agent, as with the SDK\'s own strategy', async () => {
    // GIVEN a client whose requests stop before they are sent, once their headers are set
    const client = new IVSRealTimeClient({
      region: 'us-east-1', credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' }, retryStrategy: new DeadlineRetryStrategy(true),
    });
    const userAgents: string[] = [];
    client.middlewareStack.add((_next) => async (args) => {
      userAgents.push((args.request as { headers: Record<string, string> }).headers['user-agent']);
      throw new Error('not sent');
    }, { step: 'finalizeRequest', priority: 'low' });

    // WHEN
    await expect(client.send(new GetStageCommand({ arn: 'arn:aws:ivs:us-east-1:111111111111:stage/AbCdEfGh1234' }))).rejects.toThrow('not sent');

    // THEN the feature list after m/ has E, the SDK's code for the standard retry mode
    expect(userAgents[0]).toMatch(/ m\/([A-Za-z0-9+/=]+,)*E(,|\s|$)/);
  });

  test('outside an invocation there is no deadline', () => {
    expect(timeLeftMs()).toBe(Infinity);
    expect(attemptFits(MAX_DELAY_MS)).toBe(true);
  });

  test('each invocation has its own deadline, even when two run in one process', async () => {
    // WHEN
    const [soon, later] = await Promise.all([
      withInvocationDeadline(Date.now() + 1_000, async () => timeLeftMs()),
      withInvocationDeadline(Date.now() + A_MINUTE, async () => timeLeftMs()),
    ]);

    // THEN
    expect(soon).toBeLessThanOrEqual(1_000);
    expect(later).toBeGreaterThan(A_MINUTE - 1_000);
  });
});

describe('with the real SDK client against the emulator', () => {
  const t = useEmulator();

  test('a create throttled 12 times in a row still succeeds, where a fixed count of attempts would have given up', async () => {
    // GIVEN (the shortest wait between attempts, to keep the test short)
    const client = emulatorClient(t.emu, { retryStrategy: new DeadlineRetryStrategy(false), requestHandler: REQUEST_HANDLER });
    t.emu.injectFault({ kind: 'throttle', operation: 'CreateStage', times: 12 });
    const random = jest.spyOn(Math, 'random').mockReturnValue(0);

    // WHEN
    const { stage } = await withInvocationDeadline(Date.now() + A_MINUTE, () => client.send(new CreateStageCommand({ name: 'busy' })));
    random.mockRestore();

    // THEN
    expect(stage?.arn).toBeDefined();
    expect(t.emu.requests.filter((request) => request.operation === 'CreateStage').map((request) => request.status))
      .toEqual([...Array(12).fill(429), 200]);
    expect(t.emu.listResources().stages).toHaveLength(1);
  }, A_MINUTE);

  test('a call that stalls is cut at the request timeout and tried again', async () => {
    // GIVEN a stage, and a read that stalls once for longer than the request timeout
    const client = emulatorClient(t.emu, { retryStrategy: new DeadlineRetryStrategy(true), requestHandler: REQUEST_HANDLER });
    const { stage } = await client.send(new CreateStageCommand({ name: 'slow' }));
    t.emu.injectFault({ kind: 'latency', operation: 'GetStage', ms: 3 * REQUEST_HANDLER.requestTimeout, times: 1 });

    // WHEN
    const read = await withInvocationDeadline(Date.now() + A_MINUTE, () => client.send(new GetStageCommand({ arn: stage!.arn })));

    // THEN
    expect(read.stage?.arn).toBe(stage!.arn);
    // two attempts: the first was cut (uncut, it would have answered after its latency, in one attempt)
    expect(read.$metadata.attempts).toBe(2);
  }, A_MINUTE);
});
