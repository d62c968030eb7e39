import {
  CreateIngestConfigurationCommand,
  CreateStageCommand,
  DeleteIngestConfigurationCommand,
  GetIngestConfigurationCommand,
  ListIngestConfigurationsCommand,
  UpdateIngestConfigurationCommand,
} from '@aws-sdk/client-ivs-realtime';
import { expectServiceError, expectValidationError, missingArn, useEmulator } from './helpers';

const t = useEmulator();

const createRtmps = (extra: { stageArn?: string; name?: string; redundantIngest?: boolean } = {}) =>
  t.client.send(new CreateIngestConfigurationCommand({ ingestProtocol: 'RTMPS', ...extra }));

describe('IngestConfiguration CRUD', () => {
  test('returns empty strings for unset stageArn and userId, INACTIVE state and a stream key', async () => {
    // GIVEN a minimal RTMPS ingest configuration request
    // WHEN it is created
    const { ingestConfiguration: ic } = await createRtmps({ name: 'cam' });
    // THEN it is shaped like the aws-cli example
    expect(ic).toMatchObject({ name: 'cam', ingestProtocol: 'RTMPS', stageArn: '', userId: '', state: 'INACTIVE', tags: {}, attributes: {} });
    expect(ic!.arn).toMatch(/^arn:aws:ivs:us-east-1:123456789012:ingest-configuration\/[a-zA-Z0-9]{12}$/);
    const id = ic!.arn!.split('/')[1];
    expect(ic!.streamKey).toMatch(new RegExp(`^rt_123456789012_us-east-1_${id}_.+$`));
    expect(ic!.participantId).toMatch(/^[a-zA-Z0-9-]+$/);
    expect(ic!.redundantIngestCredentials).toBeUndefined();
  });

  test('accepts RTMP when insecureIngest is true', async () => {
    // GIVEN an RTMP request with insecureIngest
    // WHEN it is created
    const out = await t.client.send(new CreateIngestConfigurationCommand({ ingestProtocol: 'RTMP', insecureIngest: true }));
    // THEN it succeeds
    expect(out.ingestConfiguration!.ingestProtocol).toBe('RTMP');
  });

  test('issues redundant ingest credentials when redundantIngest is true', async () => {
    // GIVEN a request with redundantIngest
    // WHEN it is created
    const { ingestConfiguration } = await createRtmps({ redundantIngest: true });
    // THEN one extra participant/stream key pair is returned
    expect(ingestConfiguration!.redundantIngest).toBe(true);
    expect(ingestConfiguration!.redundantIngestCredentials).toEqual([{ participantId: expect.any(String), streamKey: expect.stringMatching(/^rt_/) }]);
  });

  test('UpdateIngestConfiguration attaches to a stage and keeps omitted members', async () => {
    // GIVEN a detached ingest configuration and a stage
    const { ingestConfiguration } = await createRtmps({ name: 'cam' });
    const { stage } = await t.client.send(new CreateStageCommand({}));
    // WHEN it is attached
    const out = await t.client.send(new UpdateIngestConfigurationCommand({ arn: ingestConfiguration!.arn, stageArn: stage!.arn }));
    // THEN stageArn changes and the rest stays
    expect(out.ingestConfiguration).toEqual({ ...ingestConfiguration, stageArn: stage!.arn });
  });

  test('UpdateIngestConfiguration with stageArn "" detaches', async () => {
    // GIVEN an attached ingest configuration
    const { stage } = await t.client.send(new CreateStageCommand({}));
    const { ingestConfiguration } = await createRtmps({ stageArn: stage!.arn });
    // WHEN stageArn "" is sent
    const out = await t.client.send(new UpdateIngestConfigurationCommand({ arn: ingestConfiguration!.arn, stageArn: '' }));
    // THEN it is detached
    expect(out.ingestConfiguration!.stageArn).toBe('');
  });

  test('UpdateIngestConfiguration toggles redundantIngest and its credentials', async () => {
    // GIVEN an ingest configuration without redundant ingest
    const { ingestConfiguration } = await createRtmps();
    // WHEN redundantIngest is switched on, then off
    const on = await t.client.send(new UpdateIngestConfigurationCommand({ arn: ingestConfiguration!.arn, redundantIngest: true }));
    const off = await t.client.send(new UpdateIngestConfigurationCommand({ arn: ingestConfiguration!.arn, redundantIngest: false }));
    // THEN credentials appear and disappear with it, and the primary stream key never changes
    expect(on.ingestConfiguration!.redundantIngestCredentials).toHaveLength(1);
    expect(off.ingestConfiguration!.redundantIngestCredentials).toBeUndefined();
    expect(off.ingestConfiguration!.streamKey).toBe(ingestConfiguration!.streamKey);
  });

  test('rejects a stageArn that does not exist with ValidationException', async () => {
    // GIVEN no stage
    // WHEN an ingest configuration refers to a missing stage
    // THEN stageArn is named
    expect(await expectValidationError(createRtmps({ stageArn: missingArn('stage') }))).toContain('stageArn: stage');
  });

  test('Get and Update answer 404 after Delete', async () => {
    // GIVEN a deleted ingest configuration
    const { ingestConfiguration } = await createRtmps();
    const arn = ingestConfiguration!.arn;
    await t.client.send(new DeleteIngestConfigurationCommand({ arn }));
    // WHEN it is read or updated
    // THEN both fail with 404
    await expectServiceError(t.client.send(new GetIngestConfigurationCommand({ arn })), 'ResourceNotFoundException', 404);
    await expectServiceError(t.client.send(new UpdateIngestConfigurationCommand({ arn, stageArn: '' })), 'ResourceNotFoundException', 404);
  });
});

describe('ListIngestConfigurations', () => {
  test('pages through summaries without stream keys', async () => {
    // GIVEN three ingest configurations
    for (let i = 0; i < 3; i++) await createRtmps({ name: `i${i}` });
    // WHEN listed two at a time
    const first = await t.client.send(new ListIngestConfigurationsCommand({ maxResults: 2 }));
    const second = await t.client.send(new ListIngestConfigurationsCommand({ maxResults: 2, nextToken: first.nextToken }));
    // THEN all three come back in order and the summary has no streamKey, attributes or tags
    expect([...first.ingestConfigurations!, ...second.ingestConfigurations!].map((c) => c.name)).toEqual(['i0', 'i1', 'i2']);
    expect(Object.keys(first.ingestConfigurations![0]).sort()).toEqual(
      ['arn', 'ingestProtocol', 'name', 'participantId', 'redundantIngest', 'stageArn', 'state', 'userId']);
  });

  test('filterByStageArn returns only configurations attached to that stage', async () => {
    // GIVEN one attached and one detached configuration
    const { stage } = await t.client.send(new CreateStageCommand({}));
    await createRtmps({ name: 'attached', stageArn: stage!.arn });
    await createRtmps({ name: 'detached' });
    // WHEN filtered by the stage
    const out = await t.client.send(new ListIngestConfigurationsCommand({ filterByStageArn: stage!.arn }));
    // THEN only the attached one is listed
    expect(out.ingestConfigurations!.map((c) => c.name)).toEqual(['attached']);
  });

  test('rejects filterByStageArn together with filterByState', async () => {
    // GIVEN both filters
    // WHEN listing
    const call = t.client.send(new ListIngestConfigurationsCommand({ filterByStageArn: missingArn('stage'), filterByState: 'ACTIVE' }));
    // THEN ValidationException names the filter
    expect(await expectValidationError(call)).toContain('filterByStageArn: only one of filterByStageArn and filterByState');
  });
});
