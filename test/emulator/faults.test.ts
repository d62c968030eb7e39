import { CreateStageCommand, GetStageCommand, ListStagesCommand } from '@aws-sdk/client-ivs-realtime';
import { expectServiceError, missingArn, useEmulator } from './helpers';
import { emulatorClient, startEmulator } from './index';

const t = useEmulator();

const statuses = (operation: string) => t.emu.requests.filter((r) => r.operation === operation).map((r) => r.status);

describe('fault injection', () => {
  test('throttling is retried by the SDK until it succeeds', async () => {
    // GIVEN two throttled responses for CreateStage
    t.emu.injectFault({ kind: 'throttle', operation: 'CreateStage', times: 2 });
    // WHEN a client with default retries creates a stage
    const out = await t.client.send(new CreateStageCommand({}));
    // THEN it succeeds on the third attempt and the log shows 429, 429, 200
    expect(out.$metadata.attempts).toBe(3);
    expect(statuses('CreateStage')).toEqual([429, 429, 200]);
    expect(t.emu.requests[0].errorType).toBe('ThrottlingException');
  });

  test('a persistent internal error fails after the SDK has used its attempts', async () => {
    // GIVEN every GetStage failing with 500
    t.emu.injectFault({ kind: 'internal', operation: 'GetStage' });
    // WHEN a stage is read
    const error = await expectServiceError(t.client.send(new GetStageCommand({ arn: missingArn('stage') })), 'InternalServerException', 500);
    // THEN the SDK tried three times (its default) and gave up
    expect(error.$metadata.attempts).toBe(3);
    expect(statuses('GetStage')).toEqual([500, 500, 500]);
  });

  test('a faulted request has no side effect', async () => {
    // GIVEN CreateStage answering 500 once and a client that does not retry
    const client = emulatorClient(t.emu, { maxAttempts: 1 });
    t.emu.injectFault({ kind: 'internal', operation: 'CreateStage', times: 1 });
    // WHEN a stage is created
    await expectServiceError(client.send(new CreateStageCommand({ name: 'x' })), 'InternalServerException', 500);
    client.destroy();
    // THEN no stage exists
    expect(t.emu.listResources().stages).toEqual([]);
  });

  test('failNth fails only the Nth call of the operation', async () => {
    // GIVEN the second CreateStage call failing with a conflict
    t.emu.injectFault({ kind: 'failNth', operation: 'CreateStage', n: 2, errorType: 'ConflictException' });
    // WHEN three stages are created (other operations in between do not count)
    await t.client.send(new CreateStageCommand({}));
    await t.client.send(new ListStagesCommand({}));
    await expectServiceError(t.client.send(new CreateStageCommand({})), 'ConflictException', 409);
    await t.client.send(new CreateStageCommand({}));
    // THEN exactly two stages exist
    expect(statuses('CreateStage')).toEqual([200, 409, 200]);
    expect(t.emu.listResources().stages).toHaveLength(2);
  });

  test('failNth honours an explicit status', async () => {
    // GIVEN the first ListStages answering 503 with a custom error type
    t.emu.injectFault({ kind: 'failNth', operation: 'ListStages', n: 1, errorType: 'ServiceUnavailableException', status: 503 });
    const client = emulatorClient(t.emu, { maxAttempts: 1 });
    // WHEN stages are listed once
    // THEN the SDK sees that status and name
    await expectServiceError(client.send(new ListStagesCommand({})), 'ServiceUnavailableException', 503);
    client.destroy();
  });

  test('latency delays the response', async () => {
    // GIVEN 1.5 s of latency on ListStages, once
    t.emu.injectFault({ kind: 'latency', operation: 'ListStages', ms: 1_500, times: 1 });
    // WHEN stages are listed twice
    const start = Date.now();
    await t.client.send(new ListStagesCommand({}));
    const slow = Date.now() - start;
    const secondStart = Date.now();
    await t.client.send(new ListStagesCommand({}));
    const fast = Date.now() - secondStart;
    // THEN only the first call is slow: at least the latency; the second, without it, faster than the first
    // (compared with each other rather than with a fixed bound, which a loaded machine passes)
    expect(slow).toBeGreaterThanOrEqual(1_490);
    expect(fast).toBeLessThan(slow);
  });

  test('a fault without operation applies to every operation', async () => {
    // GIVEN one throttle for any operation and a client that does not retry
    t.emu.injectFault({ kind: 'throttle', times: 1 });
    const client = emulatorClient(t.emu, { maxAttempts: 1 });
    // WHEN two different operations are called
    await expectServiceError(client.send(new ListStagesCommand({})), 'ThrottlingException', 429);
    await client.send(new CreateStageCommand({}));
    client.destroy();
    // THEN only the first one was throttled
    expect(t.emu.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  test('clearFaults removes persistent faults', async () => {
    // GIVEN a persistent internal error
    t.emu.injectFault({ kind: 'internal' });
    // WHEN faults are cleared
    t.emu.clearFaults();
    // THEN calls succeed again
    await expect(t.client.send(new ListStagesCommand({}))).resolves.toMatchObject({ stages: [] });
  });

  test('an invalid fault is refused', () => {
    // GIVEN failNth with n = 0
    // WHEN it is injected
    // THEN a TypeError is thrown
    expect(() => t.emu.injectFault({ kind: 'failNth', operation: 'CreateStage', n: 0 })).toThrow(TypeError);
  });
});

describe('afterCommit faults: the operation commits, its answer is lost', () => {
  test('internal: a 500 after the stage was created, and the SDK retry makes a second one', async () => {
    // GIVEN the first CreateStage that succeeds answering 500 after committing
    t.emu.injectFault({ kind: 'afterCommit', lose: 'internal', operation: 'CreateStage', times: 1 });
    // WHEN a client with default retries creates a stage
    const out = await t.client.send(new CreateStageCommand({ name: 'once' }));
    // THEN it got an answer on its second attempt, and both attempts created a stage
    expect(out.$metadata.attempts).toBe(2);
    expect(statuses('CreateStage')).toEqual([500, 200]);
    expect(t.emu.requests[0]).toMatchObject({ lostAnswer: 'internal', errorType: 'InternalServerException' });
    expect(t.emu.listResources().stages).toHaveLength(2);
  });

  test('reset: the connection is cut after the stage was created', async () => {
    // GIVEN the first CreateStage resetting its connection after committing, and a client that does not retry
    t.emu.injectFault({ kind: 'afterCommit', lose: 'reset', operation: 'CreateStage', times: 1 });
    const client = emulatorClient(t.emu, { maxAttempts: 1 });
    // WHEN a stage is created
    const error = await client.send(new CreateStageCommand({})).then(() => undefined, (e: Error) => e);
    client.destroy();
    // THEN the client saw a reset connection, and the stage exists
    expect(error?.message).toMatch(/socket hang up/);
    expect(t.emu.requests[0]).toMatchObject({ operation: 'CreateStage', lostAnswer: 'reset', status: 0 });
    expect(t.emu.listResources().stages).toHaveLength(1);
  });

  test('stall: no answer until the client gives up, and the stage exists', async () => {
    // GIVEN every CreateStage stalling after committing, and a client that gives up after 300 ms
    t.emu.injectFault({ kind: 'afterCommit', lose: 'stall', operation: 'CreateStage' });
    const client = emulatorClient(t.emu, { maxAttempts: 1 });
    // WHEN a stage is created
    const started = Date.now();
    const error = await client.send(new CreateStageCommand({}), { abortSignal: AbortSignal.timeout(300) }).then(() => undefined, (e: Error) => e);
    client.destroy();
    // THEN the call was cut by the client, not answered, and the stage exists
    expect(error?.name).toMatch(/Abort|Timeout/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(t.emu.requests[0]).toMatchObject({ lostAnswer: 'stall', status: 0 });
    expect(t.emu.listResources().stages).toHaveLength(1);
  });

  test('a request that fails does not use the fault up', async () => {
    // GIVEN one afterCommit fault on CreateStage and a client that does not retry
    t.emu.injectFault({ kind: 'afterCommit', lose: 'internal', operation: 'CreateStage', times: 1 });
    const client = emulatorClient(t.emu, { maxAttempts: 1 });
    // WHEN an invalid create is refused, then two valid ones are sent
    await expectServiceError(client.send(new CreateStageCommand({ name: 'not valid!' })), 'ValidationException', 400);
    await expectServiceError(client.send(new CreateStageCommand({ name: 'first' })), 'InternalServerException', 500);
    await client.send(new CreateStageCommand({ name: 'second' }));
    client.destroy();
    // THEN the fault took the answer of the first valid create only
    expect(statuses('CreateStage')).toEqual([400, 500, 200]);
    expect(t.emu.listResources().stages.map((s) => (s as { name: string }).name)).toEqual(['first', 'second']);
  });

  test('other operations are not affected', async () => {
    // GIVEN a persistent afterCommit fault on CreateStage
    t.emu.injectFault({ kind: 'afterCommit', lose: 'reset', operation: 'CreateStage' });
    // WHEN stages are listed
    // THEN the answer comes
    await expect(t.client.send(new ListStagesCommand({}))).resolves.toMatchObject({ stages: [] });
  });

  test('stop() does not wait for a stalled answer', async () => {
    // GIVEN an emulator of its own whose CreateStage stalls, and a call waiting on it
    const emu = await startEmulator();
    emu.injectFault({ kind: 'afterCommit', lose: 'stall' });
    const client = emulatorClient(emu, { maxAttempts: 1 });
    const call = client.send(new CreateStageCommand({})).then(() => 'answered', () => 'cut');
    while (emu.listResources().stages.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    // WHEN the emulator stops (a stop that waited for a stalled answer would never return: the test's timeout would end it)
    await emu.stop();
    // THEN the waiting call was cut
    await expect(call).resolves.toBe('cut');
    client.destroy();
  });

  test('an unknown way of losing the answer is refused', () => {
    // WHEN an afterCommit fault with lose 'drop' is injected
    // THEN a TypeError is thrown
    expect(() => t.emu.injectFault({ kind: 'afterCommit', lose: 'drop' as never })).toThrow(/fault.lose must be/);
  });
});

describe('hold', () => {
  test('a held create is carried out when released, after its client gave up on it', async () => {
    // GIVEN CreateStage held once, and a client that gives up after 200 ms
    t.emu.injectFault({ kind: 'hold', operation: 'CreateStage', times: 1 });
    const client = emulatorClient(t.emu, { maxAttempts: 1, requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true } });
    const call = client.send(new CreateStageCommand({ name: 'late' }));
    const held = await t.emu.nextHeld();

    // WHEN the client has given up, and then the request is released
    await expect(call).rejects.toThrow(/requestTimeout/);
    expect(t.emu.listResources().stages).toEqual([]);
    await held.release();
    client.destroy();

    // THEN the stage exists all the same, and the next create is not held
    expect(held.operation).toBe('CreateStage');
    expect(held.body).toEqual({ name: 'late' });
    expect(t.emu.listResources().stages).toEqual([expect.objectContaining({ name: 'late' })]);
    await t.client.send(new CreateStageCommand({ name: 'next' }));
    expect(t.emu.listResources().stages).toHaveLength(2);
  });

  test('held requests are handed out in arrival order, to callers that waited before they arrived', async () => {
    // GIVEN two held creates, the first asked for before either arrived
    t.emu.injectFault({ kind: 'hold', operation: 'CreateStage', times: 2 });
    const first = t.emu.nextHeld();
    const a = t.client.send(new CreateStageCommand({ name: 'a' }));
    const heldA = await first;
    const b = t.client.send(new CreateStageCommand({ name: 'b' }));
    const heldB = await t.emu.nextHeld();

    // WHEN the second is released before the first
    await heldB.release();
    await heldA.release();

    // THEN each answers its own stage
    expect([heldA.body, heldB.body]).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect((await a).stage?.name).toBe('a');
    expect((await b).stage?.name).toBe('b');
    expect(t.emu.requests.map((r) => r.body)).toEqual([{ name: 'a' }, { name: 'b' }]);
  });
});
