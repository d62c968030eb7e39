import { CreateStageCommand, GetStageCommand, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-ivs-realtime';
import { missingArn, rawRequest, useEmulator } from './helpers';

const t = useEmulator();

describe('request log', () => {
  test('records successful and rejected requests in order', async () => {
    // GIVEN an empty log
    // WHEN one valid and one invalid request are sent
    await t.client.send(new CreateStageCommand({ name: 'a' }));
    await t.client.send(new CreateStageCommand({ name: 'bad name' })).catch(() => undefined);
    // THEN both are logged with body, status and error type
    expect(t.emu.requests).toEqual([
      { operation: 'CreateStage', method: 'POST', path: '/CreateStage', body: { name: 'a' }, query: {}, status: 200 },
      { operation: 'CreateStage', method: 'POST', path: '/CreateStage', body: { name: 'bad name' }, query: {}, status: 400, errorType: 'ValidationException' },
    ]);
  });

  test('resolves tag operations from the route and keeps the query', async () => {
    // GIVEN a stage
    const { stage } = await t.client.send(new CreateStageCommand({}));
    t.emu.clearRequests();
    // WHEN it is tagged and untagged
    await t.client.send(new TagResourceCommand({ resourceArn: stage!.arn, tags: { a: '1' } }));
    await t.client.send(new UntagResourceCommand({ resourceArn: stage!.arn, tagKeys: ['a', 'b'] }));
    // THEN the operations, URL-encoded paths and tagKeys are logged
    const encoded = `/tags/${encodeURIComponent(stage!.arn!)}`;
    expect(t.emu.requests.map(({ operation, method, path }) => ({ operation, method, path }))).toEqual([
      { operation: 'TagResource', method: 'POST', path: encoded },
      { operation: 'UntagResource', method: 'DELETE', path: encoded },
    ]);
    expect(t.emu.requests[1].query).toEqual({ tagKeys: ['a', 'b'] });
  });

  test('records unknown routes as operation Unknown', async () => {
    // GIVEN an empty log
    // WHEN an unknown route is called
    await rawRequest(t.emu, 'POST', '/Nope', '{}');
    // THEN it is logged
    expect(t.emu.requests).toEqual([{ operation: 'Unknown', method: 'POST', path: '/Nope', body: {}, query: {}, status: 404, errorType: 'UnknownOperationException' }]);
  });

  test('clearRequests empties the log in place', async () => {
    // GIVEN a logged request and a reference to the log
    await t.client.send(new GetStageCommand({ arn: missingArn('stage') })).catch(() => undefined);
    const log = t.emu.requests;
    // WHEN the log is cleared
    t.emu.clearRequests();
    // THEN the same array is empty
    expect(log).toHaveLength(0);
  });

  test('reset drops resources, buckets, faults and the log', async () => {
    // GIVEN a stage, a bucket, a fault and logged requests
    await t.client.send(new CreateStageCommand({}));
    t.emu.registerBucket('b-1');
    t.emu.injectFault({ kind: 'internal' });
    // WHEN the emulator is reset
    t.emu.reset();
    // THEN everything is gone and calls succeed again
    expect(t.emu.requests).toHaveLength(0);
    expect(t.emu.listResources()).toEqual({
      stages: [], storageConfigurations: [], encoderConfigurations: [], ingestConfigurations: [], publicKeys: [],
    });
    await t.client.send(new CreateStageCommand({}));
  });

  test('listResources returns deep copies', async () => {
    // GIVEN a tagged stage
    await t.client.send(new CreateStageCommand({ tags: { a: '1' } }));
    // WHEN the snapshot is mutated
    (t.emu.listResources().stages[0] as { tags: Record<string, string> }).tags.a = 'changed';
    // THEN the stored stage is unchanged
    expect(t.emu.listResources().stages[0]).toMatchObject({ tags: { a: '1' } });
  });
});
