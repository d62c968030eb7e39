import { CreateStageCommand, GetStageCommand, ListStagesCommand } from '@aws-sdk/client-ivs-realtime';
import { expectServiceError, missingArn, useEmulator } from './helpers';
import { emulatorClient } from './index';

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
    // GIVEN 150 ms of latency on ListStages, once
    t.emu.injectFault({ kind: 'latency', operation: 'ListStages', ms: 150, times: 1 });
    // WHEN stages are listed twice
    const start = Date.now();
    await t.client.send(new ListStagesCommand({}));
    const slow = Date.now() - start;
    const secondStart = Date.now();
    await t.client.send(new ListStagesCommand({}));
    const fast = Date.now() - secondStart;
    // THEN only the first call is slow
    expect(slow).toBeGreaterThanOrEqual(140);
    expect(fast).toBeLessThan(100);
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
