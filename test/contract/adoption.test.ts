/*
 * Adopting an existing resource by ARN (`adoptArn`), for each of the five resource types: the real
 * constructs and handler bundle, deployed, updated and deleted the way CloudFormation would
 * (test/simulator), against the IVS Real-Time emulator, on resources made with the SDK first.
 */
import { generateKeyPairSync } from 'crypto';
import {
  CreateEncoderConfigurationCommand,
  CreateIngestConfigurationCommand,
  CreateStageCommand,
  CreateStorageConfigurationCommand,
  GetEncoderConfigurationCommand,
  GetIngestConfigurationCommand,
  GetPublicKeyCommand,
  GetStageCommand,
  GetStorageConfigurationCommand,
  ImportPublicKeyCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-ivs-realtime';
import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  deployOk,
  destroyOk,
  expectNoLeaks,
  onlyResource,
  operations,
  secretValueOf,
  stackWith,
  withCreatorTag,
  withoutRetryDelays,
  writtenCredentials,
} from './helpers';
import {
  EncoderConfiguration,
  EncoderVideo,
  IngestConfiguration,
  IngestProtocol,
  PublicKey,
  PublicKeyMaterial,
  Stage,
  StageProps,
  StorageConfiguration,
} from '../../src';
import { CREATOR_TAG_KEY } from '../../src/custom-resources/creator-tag-contract';
import type { StreamKeySecretValue } from '../../src/custom-resources/ingest-configuration-contract';
import { synthesize } from '../simulator';
import { useSimulator } from '../simulator/harness';

const t = useSimulator();

const STAGE = 'Custom::IvsStage';
const INGEST = 'Custom::IvsIngestConfiguration';
const PUBLIC_KEY = 'Custom::IvsPublicKey';
/** The physical ID a failed create answers (lambda/failed-create.ts), whose Delete reaches the handler. */
const CREATE_FAILED_MARKER = 'cdk-ivs-realtime::CREATE_FAILED';

const newPem = () => generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const tagsOf = async (arn: string) => (await t.client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags;
const getStage = async (arn: string) => (await t.client.send(new GetStageCommand({ arn }))).stage!;

/** A stage made before the stack, with a tag the stack does not give. */
async function existingStage(tags: Record<string, string> = { console: 'made-by-hand' }): Promise<string> {
  const { stage } = await t.client.send(new CreateStageCommand({ name: 'from-the-console', tags }));
  t.emu.clearRequests();
  return stage!.arn!;
}

const stageStack = (props: StageProps) => stackWith((stack) => { new Stage(stack, 'Stage', props); });

/** Deploys, expecting a failed create; returns the failure reason. */
async function deployFails(artifact: ReturnType<typeof stackWith>): Promise<string> {
  const result = await t.sim.deploy(artifact);
  expect(result.success).toBe(false);
  return result.reason ?? '';
}

describe('Stage', () => {
  test('an existing stage is adopted: same ARN, name, recording and tags brought to the props, creator tag added', async () => {
    // GIVEN a stage made with the SDK, with a tag the props do not give
    const arn = await existingStage();

    // WHEN a stack adopts it
    await deployOk(t.sim, stageStack({ adoptArn: arn, stageName: 'town-hall', tags: { team: 'video' } }));

    // THEN the stack holds that stage, renamed and retagged: its own tag removed, the creator tag added
    const resource = onlyResource(t.sim, STAGE);
    expect(resource.physicalId).toBe(arn);
    const stage = await getStage(arn);
    expect(stage.name).toBe('town-hall');
    expect(stage.tags).toEqual(withCreatorTag({ team: 'video' }));
    expect(resource.attributes).toEqual(expect.objectContaining({ Arn: arn, Name: 'town-hall', WhipEndpoint: stage.endpoints!.whip }));
    expect(operations(t.emu)).not.toContain('CreateStage');
  });

  test('the creator tag is added after every other change', async () => {
    // GIVEN
    const arn = await existingStage();

    // WHEN
    await deployOk(t.sim, stageStack({ adoptArn: arn, stageName: 'town-hall', tags: { team: 'video' } }));

    // THEN the last write is the TagResource of the creator tag alone
    const writes = t.emu.requests.filter((r) => !['GetStage', 'ListStages', 'ListTagsForResource'].includes(r.operation));
    expect(writes.map((r) => r.operation)).toEqual(['UpdateStage', 'TagResource', 'UntagResource', 'TagResource']);
    expect(Object.keys((writes[3].body as { tags: object }).tags)).toEqual([CREATOR_TAG_KEY]);
  });

  test('with no stageName, the adopted stage keeps its own name, and the construct reads it', async () => {
    // GIVEN
    const arn = await existingStage();

    // WHEN
    await deployOk(t.sim, stageStack({ adoptArn: arn }));

    // THEN
    expect((await getStage(arn)).name).toBe('from-the-console');
    expect(onlyResource(t.sim, STAGE).properties.Name).toBeUndefined();
    expect(onlyResource(t.sim, STAGE).attributes.Name).toBe('from-the-console');
  });

  test('the stack is deleted, and the adopted stage, retained by default, stays', async () => {
    // GIVEN an adopted stage
    const arn = await existingStage();
    await deployOk(t.sim, stageStack({ adoptArn: arn, stageName: 'town-hall' }));

    // WHEN
    await destroyOk(t.sim);

    // THEN
    expect(operations(t.emu)).not.toContain('DeleteStage');
    expect((await getStage(arn)).arn).toBe(arn);
  });

  test('a stage in another account is refused by the handler, naming both accounts', async () => {
    // GIVEN a stack whose account and region are known only at deploy time
    const foreign = 'arn:aws:ivs:us-east-1:999999999999:stage/AbCdEfGh1234';
    const artifact = synthesize((stack) => { new Stage(stack, 'Stage', { adoptArn: foreign }); },
      { stackName: 'EnvAgnostic', env: { account: Aws.ACCOUNT_ID, region: Aws.REGION } });

    // WHEN
    const result = await t.sim.deploy(artifact);

    // THEN
    expect(result.success).toBe(false);
    expect(result.reason).toContain(`refusing to adopt ${foreign}: it is in account 999999999999, region us-east-1; `
      + `the stack is in account ${t.emu.accountId}, region ${t.emu.region}`);
    expect(operations(t.emu)).toEqual([]);
  });

  test('a stage that does not exist is refused clearly', async () => {
    // GIVEN
    const missing = `arn:aws:ivs:${t.emu.region}:${t.emu.accountId}:stage/AbCdEfGh1234`;

    // WHEN
    const reason = await deployFails(stageStack({ adoptArn: missing }));

    // THEN
    expect(reason).toContain(`refusing to adopt ${missing}: no such stage in account ${t.emu.accountId}, region ${t.emu.region}`);
  });

  test('a stage another logical resource owns is refused, naming its creator tag, and left as it was', async () => {
    // GIVEN a stage that a construct of another stack made
    const owner = `${'0'.repeat(32)}/11111111-2222-3333-4444-555555555555`;
    const arn = await existingStage({ [CREATOR_TAG_KEY]: owner });

    // WHEN
    const reason = await deployFails(stageStack({ adoptArn: arn, stageName: 'taken' }));

    // THEN
    expect(reason).toContain(`refusing to adopt ${arn}: another logical resource owns it: its ${CREATOR_TAG_KEY} tag is ${owner}`);
    expect(await getStage(arn)).toEqual(expect.objectContaining({ name: 'from-the-console', tags: { [CREATOR_TAG_KEY]: owner } }));
  });

  test('a stage CloudFormation manages is refused, naming its stack and logical ID', async () => {
    // GIVEN a stage an AWS::IVS::Stage made
    const arn = await existingStage({});
    t.emu.seedTags(arn, { 'aws:cloudformation:stack-name': 'LegacyStack', 'aws:cloudformation:logical-id': 'TownHall' });

    // WHEN
    const reason = await deployFails(stageStack({ adoptArn: arn }));

    // THEN
    expect(reason).toContain(`refusing to adopt ${arn}: CloudFormation manages it as TownHall of stack LegacyStack`);
    expect(operations(t.emu).filter((op) => !op.startsWith('Get') && !op.startsWith('List'))).toEqual([]);
  });

  test('the adoption is retried through throttling, and succeeds', async () => {
    // GIVEN IVS holding every operation to a tenth of its rate
    const arn = await existingStage();
    t.emu.setRateLimit({ scale: 0.1 });

    // WHEN
    await withoutRetryDelays(() => deployOk(t.sim, stageStack({ adoptArn: arn, stageName: 'patient', tags: { team: 'video' } })));

    // THEN some calls were throttled, and the stage was adopted all the same (read with the limit
    // lifted: the test's own reads are not what is under test)
    expect(t.emu.requests.some((r) => r.status === 429)).toBe(true);
    t.emu.setRateLimit(undefined);
    expect(await getStage(arn)).toEqual(expect.objectContaining({ name: 'patient', tags: withCreatorTag({ team: 'video' }) }));
  });

  test('removing adoptArn in a later deploy changes nothing: no IVS write, same ARN', async () => {
    // GIVEN an adopted stage
    const arn = await existingStage();
    await deployOk(t.sim, stageStack({ adoptArn: arn, stageName: 'town-hall', removalPolicy: RemovalPolicy.RETAIN }));
    t.emu.clearRequests();

    // WHEN the prop is removed, the removal policy kept as it was
    await deployOk(t.sim, stageStack({ stageName: 'town-hall', removalPolicy: RemovalPolicy.RETAIN }));

    // THEN
    expect(onlyResource(t.sim, STAGE).physicalId).toBe(arn);
    expect(operations(t.emu).filter((op) => !op.startsWith('Get') && !op.startsWith('List'))).toEqual([]);
  });

  test('adding adoptArn to a deployed stage is refused: adoption happens only on create', async () => {
    // GIVEN a stage the stack created, and another one made by hand
    await deployOk(t.sim, stageStack({ stageName: 'town-hall' }));
    const created = onlyResource(t.sim, STAGE).physicalId;
    const other = await existingStage();

    // WHEN the deployed stage is told to adopt the other
    const result = await t.sim.deploy(stageStack({ stageName: 'town-hall', adoptArn: other }));

    // THEN the update fails, naming both, and both stages are as they were
    expect(result.success).toBe(false);
    expect(result.reason).toContain(`refusing to adopt ${other} in an update: `);
    expect(result.reason).toContain(`already holds ${created}`);
    expect(onlyResource(t.sim, STAGE).physicalId).toBe(created);
    expect((await getStage(other)).tags).toEqual({ console: 'made-by-hand' });
  });

  test('an adoption that fails part way puts the stage back as it was found, and its rollback deletes nothing, even with DESTROY', async () => {
    // GIVEN the adoption failing at its last step, the creator tag, after it renamed and retagged the stage
    const arn = await existingStage();
    const before = await getStage(arn);
    t.emu.clearRequests();
    t.emu.injectFault({ kind: 'failNth', operation: 'TagResource', n: 2, errorType: 'ValidationException' });

    // WHEN
    const result = await t.sim.deploy(stageStack({ adoptArn: arn, stageName: 'town-hall', tags: { team: 'video' }, removalPolicy: RemovalPolicy.DESTROY }));

    // THEN the rollback's Delete carried the failed-create ID and deleted nothing
    expect(result.status).toBe('ROLLBACK_COMPLETE');
    const rollbackDelete = result.events.find((e) => e.phase === 'rollback' && e.resourceType === STAGE)!;
    expect(rollbackDelete.request).toEqual(expect.objectContaining({ RequestType: 'Delete', PhysicalResourceId: CREATE_FAILED_MARKER }));
    expect(operations(t.emu)).not.toContain('DeleteStage');
    // AND the stage is as it was: name, tags, no creator tag
    expect(operations(t.emu)).toContain('UpdateStage');
    expect(await getStage(arn)).toEqual(before);
  });

  test('a rollback after the adoption answered keeps the stage, retained by default', async () => {
    // GIVEN the adoption succeeding, and a sibling failing after it
    const arn = await existingStage();
    t.emu.injectFault({ kind: 'failNth', operation: 'CreateStage', n: 1, errorType: 'ValidationException' });
    const artifact = stackWith((stack) => {
      const adopted = new Stage(stack, 'Stage', { adoptArn: arn });
      new Stage(stack, 'Sibling', { stageName: 'sibling' }).node.addDependency(adopted);
    });

    // WHEN
    const result = await t.sim.deploy(artifact);

    // THEN
    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(operations(t.emu)).not.toContain('DeleteStage');
    expect((await getStage(arn)).arn).toBe(arn);
  });
});

describe('StorageConfiguration', () => {
  const BUCKET = 'adopted-recordings';

  async function existingStorageConfiguration(bucketName = BUCKET): Promise<string> {
    t.emu.registerBucket(bucketName);
    const { storageConfiguration } = await t.client.send(new CreateStorageConfigurationCommand({
      name: 'recordings', s3: { bucketName }, tags: { console: 'made-by-hand' },
    }));
    t.emu.clearRequests();
    return storageConfiguration!.arn!;
  }

  const storageStack = (adoptArn: string, bucketName = BUCKET, name?: string) => stackWith((stack) => {
    new StorageConfiguration(stack, 'Recordings', {
      bucket: s3.Bucket.fromBucketName(stack, 'Bucket', bucketName), storageConfigurationName: name, adoptArn, tags: { team: 'video' },
    });
  });

  test('an existing storage configuration is adopted with its tags brought to the props, and retained on delete', async () => {
    // GIVEN
    const arn = await existingStorageConfiguration();

    // WHEN
    await deployOk(t.sim, storageStack(arn, BUCKET, 'recordings'));
    await destroyOk(t.sim);

    // THEN
    const { storageConfiguration } = await t.client.send(new GetStorageConfigurationCommand({ arn }));
    expect(storageConfiguration!.tags).toEqual(withCreatorTag({ team: 'video' }));
    expect(operations(t.emu)).not.toContain('CreateStorageConfiguration');
    expect(operations(t.emu)).not.toContain('DeleteStorageConfiguration');
  });

  test('another bucket is refused, listing the live and the wanted bucket, and nothing is changed', async () => {
    // GIVEN
    const arn = await existingStorageConfiguration();

    // WHEN
    const reason = await deployFails(storageStack(arn, 'another-bucket', 'renamed'));

    // THEN each difference is listed, and the tags and name are as before
    expect(reason).toContain(`refusing to adopt ${arn}: what a storage configuration cannot change in place differs: `
      + 'name is "recordings", wanted "renamed"; bucket is "adopted-recordings", wanted "another-bucket"');
    expect(await tagsOf(arn)).toEqual({ console: 'made-by-hand' });
    expect(operations(t.emu).filter((op) => !op.startsWith('Get') && !op.startsWith('List'))).toEqual([]);
  });
});

describe('EncoderConfiguration', () => {
  async function existingEncoderConfiguration(): Promise<string> {
    const { encoderConfiguration } = await t.client.send(new CreateEncoderConfigurationCommand({
      name: 'hd', video: { width: 1280, height: 720, framerate: 30, bitrate: 2_500_000 }, tags: { console: 'made-by-hand' },
    }));
    t.emu.clearRequests();
    return encoderConfiguration!.arn!;
  }

  const encoderStack = (adoptArn: string, video: EncoderVideo) => stackWith((stack) => {
    new EncoderConfiguration(stack, 'Encoder', { adoptArn, video, tags: { team: 'video' } });
  });

  test('an existing encoder configuration is adopted, keeping its name, and retained on delete', async () => {
    // GIVEN
    const arn = await existingEncoderConfiguration();

    // WHEN
    await deployOk(t.sim, encoderStack(arn, EncoderVideo.custom({ width: 1280, height: 720, framerate: 30, bitrate: 2_500_000 })));
    const attributes = onlyResource(t.sim, 'Custom::IvsEncoderConfiguration').attributes;
    await destroyOk(t.sim);

    // THEN
    const { encoderConfiguration } = await t.client.send(new GetEncoderConfigurationCommand({ arn }));
    expect(encoderConfiguration!.tags).toEqual(withCreatorTag({ team: 'video' }));
    expect(attributes).toEqual(expect.objectContaining({ Arn: arn, Name: 'hd' }));
    expect(operations(t.emu)).not.toContain('DeleteEncoderConfiguration');
  });

  test('other video settings are refused, listing each difference, and nothing is changed', async () => {
    // GIVEN
    const arn = await existingEncoderConfiguration();

    // WHEN
    const reason = await deployFails(encoderStack(arn, EncoderVideo.custom({ width: 1920, height: 1080, framerate: 30, bitrate: 2_500_000 })));

    // THEN
    expect(reason).toContain('video width is 1280, wanted 1920; video height is 720, wanted 1080');
    expect(reason).not.toContain('framerate');
    expect(await tagsOf(arn)).toEqual({ console: 'made-by-hand' });
  });
});

describe('IngestConfiguration', () => {
  async function existingIngestConfiguration(): Promise<{ arn: string; streamKey: string }> {
    const { ingestConfiguration } = await t.client.send(new CreateIngestConfigurationCommand({
      name: 'obs', ingestProtocol: 'RTMPS', tags: { console: 'made-by-hand' },
    }));
    t.emu.clearRequests();
    return { arn: ingestConfiguration!.arn!, streamKey: ingestConfiguration!.streamKey! };
  }

  test('an existing ingest configuration is adopted: attached to the stage, its stream key in the secret and nowhere else', async () => {
    // GIVEN
    const existing = await existingIngestConfiguration();

    // WHEN
    await deployOk(t.sim, stackWith((stack) => {
      const stage = new Stage(stack, 'Stage', { stageName: 'live' });
      new IngestConfiguration(stack, 'Ingest', { adoptArn: existing.arn, ingestProtocol: IngestProtocol.RTMPS, stage, tags: { team: 'video' } });
    }));

    // THEN
    const { ingestConfiguration } = await t.client.send(new GetIngestConfigurationCommand({ arn: existing.arn }));
    expect(onlyResource(t.sim, INGEST).physicalId).toBe(existing.arn);
    expect(ingestConfiguration!.stageArn).toBe(onlyResource(t.sim, STAGE).physicalId);
    expect(ingestConfiguration!.tags).toEqual(withCreatorTag({ team: 'video' }));
    expect(secretValueOf<StreamKeySecretValue>(t.sim, 'Ingest')).toEqual(expect.objectContaining({
      ingestConfigurationArn: existing.arn, streamKey: existing.streamKey,
    }));
    expectNoLeaks(t.sim, [existing.streamKey, ...writtenCredentials(t.sim)]);
  });

  test('the stack is deleted, and the adopted ingest configuration, retained by default, stays', async () => {
    // GIVEN
    const existing = await existingIngestConfiguration();
    await deployOk(t.sim, stackWith((stack) => {
      new IngestConfiguration(stack, 'Ingest', { adoptArn: existing.arn, ingestProtocol: IngestProtocol.RTMPS });
    }));

    // WHEN
    await destroyOk(t.sim);

    // THEN
    expect(operations(t.emu)).not.toContain('DeleteIngestConfiguration');
    expect(t.emu.listResources().ingestConfigurations).toHaveLength(1);
  });

  test('an adoption that fails part way detaches it from the stage again, as it was found', async () => {
    // GIVEN the adoption failing at the creator tag, after it attached the ingest configuration and retagged it
    const existing = await existingIngestConfiguration();
    const before = (await t.client.send(new GetIngestConfigurationCommand({ arn: existing.arn }))).ingestConfiguration;
    t.emu.injectFault({ kind: 'failNth', operation: 'TagResource', n: 2, errorType: 'ValidationException' });

    // WHEN
    const result = await t.sim.deploy(stackWith((stack) => {
      const stage = new Stage(stack, 'Stage', { stageName: 'live' });
      new IngestConfiguration(stack, 'Ingest', { adoptArn: existing.arn, ingestProtocol: IngestProtocol.RTMPS, stage, tags: { team: 'video' } });
    }));

    // THEN
    expect(result.success).toBe(false);
    expect(operations(t.emu)).toContain('UpdateIngestConfiguration');
    expect((await t.client.send(new GetIngestConfigurationCommand({ arn: existing.arn }))).ingestConfiguration).toEqual(before);
  });

  test('another protocol and user ID are refused, listing each live and wanted value, and nothing is changed', async () => {
    // GIVEN
    const existing = await existingIngestConfiguration();

    // WHEN
    const reason = await deployFails(stackWith((stack) => {
      new IngestConfiguration(stack, 'Ingest', { adoptArn: existing.arn, ingestProtocol: IngestProtocol.RTMP, userId: 'camera-1' });
    }));

    // THEN
    expect(reason).toContain('ingestProtocol is "RTMPS", wanted "RTMP"; userId is "", wanted "camera-1"');
    expect(await tagsOf(existing.arn)).toEqual({ console: 'made-by-hand' });
    expect(operations(t.emu).filter((op) => !op.startsWith('Get') && !op.startsWith('List'))).toEqual([]);
  });
});

describe('PublicKey', () => {
  async function existingKey(pem: string): Promise<string> {
    const { publicKey } = await t.client.send(new ImportPublicKeyCommand({ name: 'signing', publicKeyMaterial: pem, tags: { console: 'made-by-hand' } }));
    t.emu.clearRequests();
    return publicKey!.arn!;
  }

  const keyStack = (adoptArn: string, pem: string) => stackWith((stack: Stack) => {
    new PublicKey(stack, 'Key', { adoptArn, publicKeyMaterial: PublicKeyMaterial.fromPem(pem), tags: { team: 'video' } });
  });

  test('a key with the same PEM is adopted, with other line breaks, and retained on delete', async () => {
    // GIVEN a key imported by a script
    const pem = newPem();
    const arn = await existingKey(pem);

    // WHEN the stack adopts it with the same key, wrapped differently
    await deployOk(t.sim, keyStack(arn, pem.replace(/\n/g, '\r\n')));
    const resource = onlyResource(t.sim, PUBLIC_KEY);
    await destroyOk(t.sim);

    // THEN
    expect(resource.physicalId).toBe(arn);
    expect(resource.attributes).toEqual(expect.objectContaining({ Arn: arn, Name: 'signing' }));
    const { publicKey } = await t.client.send(new GetPublicKeyCommand({ arn }));
    expect(publicKey!.tags).toEqual(withCreatorTag({ team: 'video' }));
    expect(operations(t.emu)).not.toContain('ImportPublicKey');
    expect(operations(t.emu)).not.toContain('DeletePublicKey');
  });

  test('a key imported from a KMS key is adopted with that KMS key, its public half compared', async () => {
    // GIVEN a KMS signing key, and its public half imported into IVS by a script
    const keyId = t.sim.kms.create('ExistingSigningKey', 'ECC_NIST_P384', 'SIGN_VERIFY');
    const kmsKey = t.sim.kms.get(keyId)!;
    const arn = await existingKey(kmsKey.publicKey!.export({ type: 'spki', format: 'pem' }).toString());

    // WHEN
    await deployOk(t.sim, stackWith((stack) => {
      new PublicKey(stack, 'Key', { adoptArn: arn, publicKeyMaterial: PublicKeyMaterial.fromKmsKey(kms.Key.fromKeyArn(stack, 'Kms', kmsKey.arn)) });
    }));

    // THEN
    expect(onlyResource(t.sim, PUBLIC_KEY).physicalId).toBe(arn);
    expect(await tagsOf(arn)).toEqual(withCreatorTag({}));
  });

  test('a key with another PEM is refused, listing the live and the wanted material, and nothing is changed', async () => {
    // GIVEN
    const arn = await existingKey(newPem());

    // WHEN
    const reason = await deployFails(keyStack(arn, newPem()));

    // THEN
    expect(reason).toMatch(/what a public key cannot change in place differs: publicKeyMaterial is "[A-Za-z0-9+/=]+", wanted "[A-Za-z0-9+/=]+"/);
    expect(await tagsOf(arn)).toEqual({ console: 'made-by-hand' });
  });
});
