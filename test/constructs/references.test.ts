/*
 * Interop with aws-cdk-lib's reference interfaces: every construct is an IXxxRef like the L1s,
 * and props that need only an ARN take an L1 as readily as one of ours.
 */
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  EncoderConfiguration,
  IngestConfiguration,
  IngestProtocol,
  PublicKey,
  PublicKeyMaterial,
  Stage,
  StorageConfiguration,
} from '../../src';

function newStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'us-east-1' } });
}

describe('each construct is its aws-cdk-lib reference', () => {
  test('a Stage gives its ARN as stageRef, which CfnStage.arnForStage reads', () => {
    // GIVEN
    const stack = newStack();
    const stage = new Stage(stack, 'Stage');

    // WHEN
    const arn = ivs.CfnStage.arnForStage(stage);

    // THEN
    expect(stack.resolve(arn)).toEqual(stack.resolve(stage.stageArn));
    expect(stack.resolve(arn)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(stage.node.defaultChild as CfnResource), 'Arn'] });
  });

  test.each([
    ['StorageConfiguration', (stack: Stack) => {
      const c = StorageConfiguration.fromStorageConfigurationArn(stack, 'I', 'arn:aws:ivs:us-east-1:111111111111:storage-configuration/Abc');
      return [ivs.CfnStorageConfiguration.arnForStorageConfiguration(c), c.storageConfigurationArn];
    }],
    ['EncoderConfiguration', (stack: Stack) => {
      const c = EncoderConfiguration.fromEncoderConfigurationArn(stack, 'I', 'arn:aws:ivs:us-east-1:111111111111:encoder-configuration/Abc');
      return [ivs.CfnEncoderConfiguration.arnForEncoderConfiguration(c), c.encoderConfigurationArn];
    }],
    ['IngestConfiguration', (stack: Stack) => {
      const c = IngestConfiguration.fromIngestConfigurationArn(stack, 'I', 'arn:aws:ivs:us-east-1:111111111111:ingest-configuration/Abc');
      return [ivs.CfnIngestConfiguration.arnForIngestConfiguration(c), c.ingestConfigurationArn];
    }],
    ['PublicKey', (stack: Stack) => {
      const c = PublicKey.fromPublicKeyArn(stack, 'I', 'arn:aws:ivs:us-east-1:111111111111:public-key/Abc');
      return [ivs.CfnPublicKey.arnForPublicKey(c), c.publicKeyArn];
    }],
    ['Stage', (stack: Stack) => {
      const c = Stage.fromStageArn(stack, 'I', 'arn:aws:ivs:us-east-1:111111111111:stage/Abc');
      return [ivs.CfnStage.arnForStage(c), c.stageArn];
    }],
  ])('an imported %s gives its ARN through its reference', (_name, refAndArn) => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const [fromRef, arn] = refAndArn(stack);

    // THEN
    expect(fromRef).toEqual(arn);
    expect(fromRef).toMatch(/^arn:aws:ivs:us-east-1:111111111111:[a-z-]+\/Abc$/);
  });

  test('the defined constructs other than Stage give their ARN attributes too', () => {
    // GIVEN
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket');

    // WHEN
    const storage = new StorageConfiguration(stack, 'Storage', { bucket });
    const encoder = new EncoderConfiguration(stack, 'Encoder');
    const ingest = new IngestConfiguration(stack, 'Ingest', { ingestProtocol: IngestProtocol.RTMPS });
    const key = new PublicKey(stack, 'Key', { publicKeyMaterial: PublicKeyMaterial.generate() });

    // THEN
    expect(stack.resolve(storage.storageConfigurationRef.storageConfigurationArn)).toEqual(stack.resolve(storage.storageConfigurationArn));
    expect(stack.resolve(encoder.encoderConfigurationRef.encoderConfigurationArn)).toEqual(stack.resolve(encoder.encoderConfigurationArn));
    expect(stack.resolve(ingest.ingestConfigurationRef.ingestConfigurationArn)).toEqual(stack.resolve(ingest.ingestConfigurationArn));
    expect(stack.resolve(key.publicKeyRef.publicKeyArn)).toEqual(stack.resolve(key.publicKeyArn));
  });
});

describe('L1s where a reference is taken', () => {
  test('a CfnStorageConfiguration records a Stage, by its Ref', () => {
    // GIVEN
    const stack = newStack();
    const storage = new ivs.CfnStorageConfiguration(stack, 'CfnStorage', { s3: { bucketName: 'recordings' } });

    // WHEN
    new Stage(stack, 'Stage', { autoParticipantRecording: { storageConfiguration: storage } });

    // THEN
    Template.fromStack(stack).hasResourceProperties('Custom::IvsStage', {
      AutoParticipantRecordingConfiguration: Match.objectLike({
        StorageConfigurationArn: { Ref: stack.getLogicalId(storage) },
      }),
    });
  });

  test('a CfnStage takes an IngestConfiguration, by its Ref', () => {
    // GIVEN
    const stack = newStack();
    const stage = new ivs.CfnStage(stack, 'CfnStage', {});

    // WHEN
    new IngestConfiguration(stack, 'Ingest', { ingestProtocol: IngestProtocol.RTMPS, stage });

    // THEN
    Template.fromStack(stack).hasResourceProperties('Custom::IvsIngestConfiguration', {
      StageArn: { Ref: stack.getLogicalId(stage) },
    });
  });

  test('ingestEndpoint with a CfnStage says that an L1 stage has no endpoints', () => {
    // GIVEN
    const stack = newStack();
    const stage = new ivs.CfnStage(stack, 'CfnStage', {});

    // WHEN
    const ingest = new IngestConfiguration(stack, 'Ingest', { ingestProtocol: IngestProtocol.RTMPS, stage });

    // THEN
    expect(() => ingest.ingestEndpoint).toThrow(
      'TestStack/Ingest: ingestEndpoint needs a stage that knows its RTMP(S) endpoints (a Stage, or Stage.fromStageAttributes() with them), got a stage reference without endpoints',
    );
  });

  test('a CfnStage in another region is rejected for an ingest configuration', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'TestStack', { env: { account: '111111111111', region: 'us-east-1' } });
    const other = new Stack(app, 'Other', { env: { account: '111111111111', region: 'eu-west-1' } });
    const stage = new ivs.CfnStage(other, 'CfnStage', {});

    // WHEN / THEN
    expect(() => new IngestConfiguration(stack, 'Ingest', { ingestProtocol: IngestProtocol.RTMPS, stage })).toThrow(
      "TestStack/Ingest: stage must be in the ingest configuration's region (us-east-1), got a stage in eu-west-1",
    );
  });
});
