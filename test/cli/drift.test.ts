import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  CreateStageCommand,
  DeleteStageCommand,
  GetIngestConfigurationCommand,
  IVSRealTimeClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateIngestConfigurationCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-ivs-realtime';
import { App, CfnParameter, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { DriftClients, DriftReport, findDrift } from '../../cli/drift';
import { formatReport } from '../../cli/report';
import { exampleApp } from '../../examples/app';
import { Stage } from '../../src';
import { emulatorClient, IvsEmulator, startEmulator } from '../emulator';
import { LifecycleSimulator } from '../simulator';
import { stubClientConfig } from '../simulator/aws-json-server';

/*
 * The drift report against the example app, deployed by the lifecycle simulator with the real
 * handler bundle into the IVS Real-Time emulator; CloudFormation is the simulator's stand-in,
 * which serves the stack's template and resources as the real API does. Each test changes IVS
 * behind the stack's back with the real SDK, and puts it back afterwards.
 */

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const STACK = 'IvsRealtimeExample';

let emu: IvsEmulator;
let sim: LifecycleSimulator;
let ivs: IVSRealTimeClient;
let clients: DriftClients;
let outdir: string;

beforeAll(async () => {
  emu = await startEmulator();
  sim = await LifecycleSimulator.start({ emulator: emu });
  ivs = emulatorClient(emu);
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out.drift-'));
  const { app, stack } = exampleApp({}, outdir);
  const result = await sim.deploy(app.synth().getStackArtifact(stack.artifactId));
  if (!result.success) {
    throw new Error(`${result.status}: ${result.reason}`);
  }
  clients = { cloudFormation: new CloudFormationClient(stubClientConfig(sim.cloudFormation.endpoint)), ivs };
}, 120_000);

afterAll(async () => {
  clients?.cloudFormation.destroy();
  ivs?.destroy();
  await sim?.stop();
  await emu?.stop();
  fs.rmSync(outdir, { recursive: true, force: true });
});

/** The ARN of the stack's only resource of `type`, and its logical ID. */
function resourceOf(type: string): { logicalId: string; arn: string } {
  const [logicalId, resource] = Object.entries(sim.resources).find(([, r]) => r.type === type)!;
  return { logicalId, arn: resource.physicalId };
}

const stage = () => resourceOf('Custom::IvsStage');

describe('a stack as deployed', () => {
  test('has no drift: each of its five IVS resources is in sync', async () => {
    // WHEN
    const report = await findDrift(clients, STACK);

    // THEN
    expect(report.drifted).toBe(false);
    expect(report.differences).toEqual([]);
    expect(report.resources.map((r) => [r.resourceType, r.status]).sort()).toEqual([
      ['Custom::IvsEncoderConfiguration', 'IN_SYNC'],
      ['Custom::IvsIngestConfiguration', 'IN_SYNC'],
      ['Custom::IvsPublicKey', 'IN_SYNC'],
      ['Custom::IvsStage', 'IN_SYNC'],
      ['Custom::IvsStorageConfiguration', 'IN_SYNC'],
    ]);
    expect(report.resources.find((r) => r.resourceType === 'Custom::IvsStage')).toMatchObject({ arn: stage().arn });
  });

  test('resolves the intrinsic-valued properties: the stage\'s storage configuration, the ingest\'s stage, the bucket', async () => {
    // WHEN
    const report = await findDrift(clients, STACK);

    // THEN every property was compared: each Fn::GetAtt and Ref of the example app resolves from the physical IDs
    expect(report.notCompared).toEqual([]);
  });

  test('is named by its stack ID too, and reads CloudFormation and IVS only with read actions', async () => {
    // GIVEN
    const ivsBefore = emu.requests.length;
    const cfnBefore = sim.cloudFormation.requests.length;

    // WHEN
    await findDrift(clients, sim.stackId!);

    // THEN
    const ivsOperations = new Set(emu.requests.slice(ivsBefore).map((r) => r.operation));
    expect([...ivsOperations].sort()).toEqual([
      'GetEncoderConfiguration', 'GetIngestConfiguration', 'GetPublicKey', 'GetStage', 'GetStorageConfiguration', 'ListTagsForResource',
    ]);
    expect([...new Set(sim.cloudFormation.requests.slice(cfnBefore).map((r) => r.action))].sort())
      .toEqual(['DescribeStacks', 'GetTemplate', 'ListStackResources']);
  });
});

describe('drift behind the stack\'s back', () => {
  test('a stage renamed in the console is one difference, deployed and live name', async () => {
    // GIVEN
    await ivs.send(new UpdateStageCommand({ arn: stage().arn, name: 'renamed-in-console' }));
    try {
      // WHEN
      const report = await findDrift(clients, STACK);

      // THEN
      expect(report.drifted).toBe(true);
      expect(report.differences).toEqual([{ logicalId: stage().logicalId, property: 'Name', deployed: 'town-hall', live: 'renamed-in-console' }]);
      expect(report.resources.find((r) => r.logicalId === stage().logicalId)?.status).toBe('DRIFTED');
    } finally {
      await ivs.send(new UpdateStageCommand({ arn: stage().arn, name: 'town-hall' }));
    }
  });

  test('recording switched off by a script shows the storage configuration the stage no longer records to', async () => {
    // GIVEN
    const storageArn = resourceOf('Custom::IvsStorageConfiguration').arn;
    await ivs.send(new UpdateStageCommand({ arn: stage().arn, autoParticipantRecordingConfiguration: { storageConfigurationArn: '' } }));
    try {
      // WHEN
      const report = await findDrift(clients, STACK);

      // THEN the storage configuration is gone; the rest IVS reset to its defaults, which differ where the app set its own
      expect(report.differences).toContainEqual({
        logicalId: stage().logicalId, property: 'AutoParticipantRecordingConfiguration.StorageConfigurationArn', deployed: storageArn, live: '(none)',
      });
    } finally {
      await ivs.send(new UpdateStageCommand({
        arn: stage().arn,
        autoParticipantRecordingConfiguration: {
          storageConfigurationArn: storageArn,
          mediaTypes: ['AUDIO_VIDEO'],
          thumbnailConfiguration: { recordingMode: 'INTERVAL', targetIntervalSeconds: 30, storage: ['SEQUENTIAL'] },
          recordingReconnectWindowSeconds: 60,
          hlsConfiguration: { targetSegmentDurationSeconds: 6 },
          recordParticipantReplicas: true,
        },
      }));
    }
  });

  test('a tag removed and one added are each a difference; the library\'s creator tag, removed too, is not', async () => {
    // GIVEN
    const { logicalId, arn } = stage();
    await ivs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['tier', 'cdk-ivs-realtime:creator'] }));
    await ivs.send(new TagResourceCommand({ resourceArn: arn, tags: { owner: 'someone' } }));
    try {
      // WHEN
      const report = await findDrift(clients, STACK);

      // THEN
      expect(report.differences).toEqual([
        { logicalId, property: 'Tags.owner', deployed: '(none)', live: 'someone' },
        { logicalId, property: 'Tags.tier', deployed: 'standard', live: '(none)' },
      ]);
    } finally {
      await ivs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['owner'] }));
      await ivs.send(new TagResourceCommand({ resourceArn: arn, tags: { tier: 'standard' } }));
    }
  });

  test('an ingest configuration detached from its stage is a difference, and its stream key is nowhere in the report', async () => {
    // GIVEN
    const { logicalId, arn } = resourceOf('Custom::IvsIngestConfiguration');
    const { ingestConfiguration } = await ivs.send(new GetIngestConfigurationCommand({ arn }));
    await ivs.send(new UpdateIngestConfigurationCommand({ arn, stageArn: '' }));
    try {
      // WHEN
      const report = await findDrift(clients, STACK);

      // THEN
      expect(report.differences).toEqual([{ logicalId, property: 'StageArn', deployed: stage().arn, live: '(none)' }]);
      const printed = JSON.stringify(report) + formatReport(report);
      expect(ingestConfiguration?.streamKey).toBeTruthy();
      expect(printed).not.toContain(ingestConfiguration!.streamKey);
    } finally {
      await ivs.send(new UpdateIngestConfigurationCommand({ arn, stageArn: stage().arn }));
    }
  });
});

describe('a value the template does not give', () => {
  test('is listed as not compared, with the expression, and is no difference', async () => {
    // GIVEN a stack whose stage is named by a NoEcho parameter, which CloudFormation shows as asterisks
    const other = await LifecycleSimulator.start({ emulator: emu });
    const app = new App({ outdir: path.join(outdir, 'noecho') });
    const stack = new Stack(app, 'QuietStack', { env: { account: emu.accountId, region: emu.region } });
    const name = new CfnParameter(stack, 'StageName', { type: 'String', noEcho: true, default: 'quiet-stage' });
    new Stage(stack, 'Quiet', { stageName: name.valueAsString });
    try {
      const deployed = await other.deploy(app.synth().getStackArtifact(stack.artifactId));
      expect(deployed.success).toBe(true);
      const logicalId = Object.keys(other.resources).find((id) => other.resources[id].type === 'Custom::IvsStage')!;
      const cloudFormation = new CloudFormationClient(stubClientConfig(other.cloudFormation.endpoint));

      // WHEN
      const report = await findDrift({ cloudFormation, ivs }, 'QuietStack');
      cloudFormation.destroy();

      // THEN
      expect(report.drifted).toBe(false);
      expect(report.notCompared).toEqual([{ logicalId, property: 'Name', reason: 'the template gives Ref StageName (NoEcho)' }]);
      expect(formatReport(report)).toContain(`Not compared, the deployed value is not known from the template:\n  ${logicalId} Name: the template gives Ref StageName (NoEcho)`);
    } finally {
      await other.destroy();
      await other.stop();
    }
  });
});

describe('an adopted resource', () => {
  test('given no name, keeps its own, which is no difference', async () => {
    // GIVEN a stack that adopted a stage made before it, giving it no name
    const { stage: existing } = await ivs.send(new CreateStageCommand({ name: 'from-the-console' }));
    const other = await LifecycleSimulator.start({ emulator: emu });
    const app = new App({ outdir: path.join(outdir, 'adopted') });
    const stack = new Stack(app, 'AdoptingStack', { env: { account: emu.accountId, region: emu.region } });
    new Stage(stack, 'Lobby', { adoptArn: existing!.arn, removalPolicy: RemovalPolicy.DESTROY });
    try {
      const deployed = await other.deploy(app.synth().getStackArtifact(stack.artifactId));
      expect(deployed.success).toBe(true);
      const cloudFormation = new CloudFormationClient(stubClientConfig(other.cloudFormation.endpoint));

      // WHEN
      const report = await findDrift({ cloudFormation, ivs }, 'AdoptingStack');
      cloudFormation.destroy();

      // THEN
      expect(report.drifted).toBe(false);
      expect(report.differences).toEqual([]);
      expect(report.notCompared).toEqual([]);
    } finally {
      await other.destroy();
      await other.stop();
    }
  });
});

describe('errors', () => {
  test('a stack that does not exist is an error naming it', async () => {
    await expect(findDrift(clients, 'NoSuchStack')).rejects.toThrow('stack NoSuchStack not found in us-east-1');
  });
});

// Last: the stage does not come back.
describe('a deleted resource', () => {
  test('is a difference of its own, and the resource is DELETED', async () => {
    // GIVEN the stage is deleted behind the stack's back (its ingest configuration is detached first, as IVS does)
    const { logicalId, arn } = stage();
    await ivs.send(new DeleteStageCommand({ arn }));

    // WHEN
    const report: DriftReport = await findDrift(clients, STACK);

    // THEN
    expect(report.drifted).toBe(true);
    expect(report.resources.find((r) => r.logicalId === logicalId)?.status).toBe('DELETED');
    expect(report.differences).toContainEqual({ logicalId, property: '(resource)', deployed: arn, live: 'deleted' });
  });
});
