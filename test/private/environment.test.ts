import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import {
  EncoderConfiguration,
  IngestConfiguration,
  IngestProtocol,
  PublicKey,
  Stage,
  StageMetrics,
  StorageConfiguration,
} from '../../src';
import { IVS_REALTIME_REGIONS } from '../../src/private/environment';

/*
 * Where IVS Real-Time resources may be, checked at synth: a stack in a region without IVS
 * Real-Time, an import from one, and a stage, storage configuration or encoder configuration of
 * another account or region given to something that cannot use it.
 */

const ACCOUNT = '111111111111';
const REGION_LIST = 'us-east-1, us-west-2, ap-south-1, ap-northeast-1, ap-northeast-2, eu-central-1, eu-west-1';

function newStack(region = 'us-east-1', account = ACCOUNT): Stack {
  return new Stack(new App(), 'TestStack', { env: { account, region } });
}

describe('regions', () => {
  test('the README\'s Regions table lists the regions of the constant, in its order, with their names', () => {
    // GIVEN
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf-8');
    const section = readme.slice(readme.indexOf('\n## Regions\n'), readme.indexOf('\n## ', readme.indexOf('\n## Regions\n') + 1));

    // WHEN
    const rows = [...section.matchAll(/^\| `([a-z0-9-]+)` \| (.+?) \|$/gm)].map((match) => ({ region: match[1], name: match[2] }));

    // THEN
    expect(rows).toEqual(IVS_REALTIME_REGIONS);
  });

  test.each([
    ['Stage', (stack: Stack) => new Stage(stack, 'Resource')],
    ['EncoderConfiguration', (stack: Stack) => new EncoderConfiguration(stack, 'Resource')],
    ['PublicKey', (stack: Stack) => new PublicKey(stack, 'Resource')],
  ])('a %s in a stack in eu-north-1, which has no IVS Real-Time endpoint, fails at synth listing the regions that have one', (_, define) => {
    // GIVEN
    const stack = newStack('eu-north-1');

    // WHEN / THEN
    expect(() => define(stack)).toThrow(
      `TestStack/Resource: the region of stack TestStack must be one of the AWS Regions with an IVS Real-Time endpoint (${REGION_LIST}), got 'eu-north-1'`,
    );
  });

  test.each(IVS_REALTIME_REGIONS.map((entry) => entry.region))('a stage in a stack in %s synthesizes', (region) => {
    // GIVEN
    const stack = newStack(region);

    // WHEN / THEN
    expect(() => new Stage(stack, 'Stage')).not.toThrow();
  });

  test('a stage in an environment-agnostic stack synthesizes: its region is known only at deploy time', () => {
    // GIVEN
    const stack = new Stack(new App(), 'TestStack');

    // WHEN / THEN
    expect(() => new Stage(stack, 'Stage')).not.toThrow();
  });

  test('an import whose ARN is in a region without IVS Real-Time is an error naming the prop', () => {
    // GIVEN
    const stack = newStack();

    // WHEN / THEN
    expect(() => Stage.fromStageArn(stack, 'Imported', `arn:aws:ivs:eu-north-1:${ACCOUNT}:stage/AbCdEfGh1234`)).toThrow(
      `TestStack: the region of stageArn must be one of the AWS Regions with an IVS Real-Time endpoint (${REGION_LIST}), got 'eu-north-1'`,
    );
  });
});

describe('a stage\'s recording', () => {
  test.each([
    ['region', `arn:aws:ivs:eu-west-1:${ACCOUNT}:storage-configuration/St0rage12345`,
      "autoParticipantRecording.storageConfiguration must be in the stage's region (us-east-1), got a storage configuration in eu-west-1"],
    ['account', 'arn:aws:ivs:us-east-1:222222222222:storage-configuration/St0rage12345',
      "autoParticipantRecording.storageConfiguration must be in the stage's account (111111111111), got a storage configuration in 222222222222"],
  ])('a storage configuration in another %s is an error', (_, arn, message) => {
    // GIVEN
    const stack = newStack();
    const storageConfiguration = StorageConfiguration.fromStorageConfigurationArn(stack, 'Storage', arn);

    // WHEN / THEN
    expect(() => new Stage(stack, 'Stage', { autoParticipantRecording: { storageConfiguration } })).toThrow(`TestStack/Stage: ${message}`);
  });
});

describe('a stage\'s event rules', () => {
  test('a rule for a stage imported from another region is an error: its events never reach this region\'s bus', () => {
    // GIVEN
    const stack = newStack();
    const stage = Stage.fromStageArn(stack, 'Imported', `arn:aws:ivs:eu-west-1:${ACCOUNT}:stage/AbCdEfGh1234`);

    // WHEN / THEN
    expect(() => stage.onParticipantPublished('Published')).toThrow(
      "TestStack/Imported: stage must be in the event rule's region (us-east-1), got a stage in eu-west-1",
    );
  });
});

describe('a stage\'s metrics', () => {
  test('the metrics of a stage imported from another region are that region\'s, and an alarm on one here fails at synth', () => {
    // GIVEN
    const stack = newStack();
    const stage = Stage.fromStageArn(stack, 'Imported', `arn:aws:ivs:eu-west-1:${ACCOUNT}:stage/AbCdEfGh1234`);

    // WHEN
    const metric = StageMetrics.fromStage(stage).downloadPacketLoss();

    // THEN
    expect(metric.region).toBe('eu-west-1');
    expect(() => metric.createAlarm(stack, 'PacketLoss', { threshold: 5, evaluationPeriods: 1 })).toThrow(
      /Cannot create an Alarm in region 'us-east-1' based on metric 'DownloadPacketLoss' in 'eu-west-1'/,
    );
  });

  test('the metrics of a stage of the stack are the stack\'s region\'s, and an alarm on one synthesizes', () => {
    // GIVEN
    const stack = newStack();
    const stage = new Stage(stack, 'Stage');

    // WHEN
    const alarm = () => stage.metricDownloadPacketLoss().createAlarm(stack, 'PacketLoss', { threshold: 5, evaluationPeriods: 1 });

    // THEN
    expect(stage.metricDownloadPacketLoss().region).toBe('us-east-1');
    expect(alarm).not.toThrow();
  });

  test('the metrics of a stage imported from another account are that account\'s: a cross-account alarm, not one that never sees data', () => {
    // GIVEN
    const stack = newStack();
    const stage = Stage.fromStageArn(stack, 'Imported', 'arn:aws:ivs:us-east-1:222222222222:stage/AbCdEfGh1234');

    // WHEN
    const metric = stage.metricPublishers();

    // THEN
    expect(metric.account).toBe('222222222222');
    expect(metric).toBeInstanceOf(cloudwatch.Metric);
  });
});

describe('an ingest configuration', () => {
  test('a stage in another region is still an error, through the shared check', () => {
    // GIVEN
    const stack = newStack();
    const stage = Stage.fromStageArn(stack, 'Imported', `arn:aws:ivs:eu-west-1:${ACCOUNT}:stage/AbCdEfGh1234`);

    // WHEN / THEN
    expect(() => new IngestConfiguration(stack, 'Ingest', { ingestProtocol: IngestProtocol.RTMPS, stage })).toThrow(
      "TestStack/Ingest: stage must be in the ingest configuration's region (us-east-1), got a stage in eu-west-1",
    );
  });
});
