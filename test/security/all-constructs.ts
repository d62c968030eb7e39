import { CfnOutput, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  EncoderConfiguration,
  IngestConfiguration,
  IngestProtocol,
  PublicKey,
  Stage,
  StorageConfiguration,
} from '../../src';

/*
 * The stack the security tests check: every construct of the library, wired as an application
 * would wire them, with every grant and every attribute as an output.
 */

/** What `defineAllConstructs` adds, for tests that look at one of them. */
export interface AllConstructs {
  readonly recordings: s3.Bucket;
  readonly storageConfiguration: StorageConfiguration;
  readonly stage: Stage;
  readonly encoderConfiguration: EncoderConfiguration;
  readonly ingestConfiguration: IngestConfiguration;
  readonly publicKey: PublicKey;
  readonly backend: iam.Role;
}

/** Names that a second deploy can change, to replace the resources that own a secret. */
export interface AllConstructsOptions {
  /** @default 'encoder' */
  readonly ingestConfigurationName?: string;
  /** @default 'signer' */
  readonly publicKeyName?: string;
}

/**
 * Defines all five constructs in `stack`: a stage that records into a storage configuration on a
 * bucket of the stack, an ingest configuration attached to the stage (with redundant ingest, so
 * that it has two stream keys), an encoder configuration, a generated public key, a backend role
 * holding every grant, and an output for every attribute.
 */
export function defineAllConstructs(stack: Stack, options: AllConstructsOptions = {}): AllConstructs {
  // The fixture buckets follow AwsSolutions themselves, so that the nag test has nothing of its own to excuse
  // except the one finding a log bucket cannot avoid.
  const accessLogs = new s3.Bucket(stack, 'AccessLogs', { enforceSSL: true, removalPolicy: RemovalPolicy.DESTROY });
  Validations.of(accessLogs).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'this bucket receives the access logs of the recordings bucket; logging it too would log the log deliveries',
  });
  const recordings = new s3.Bucket(stack, 'Recordings', {
    enforceSSL: true,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: 'recordings/',
    removalPolicy: RemovalPolicy.DESTROY,
  });

  const storageConfiguration = new StorageConfiguration(stack, 'Storage', { bucket: recordings });
  const stage = new Stage(stack, 'Stage', {
    autoParticipantRecording: { storageConfiguration },
    tags: { team: 'video' },
  });
  const encoderConfiguration = new EncoderConfiguration(stack, 'Encoder');
  const ingestConfiguration = new IngestConfiguration(stack, 'Ingest', {
    ingestProtocol: IngestProtocol.RTMPS,
    ingestConfigurationName: options.ingestConfigurationName ?? 'encoder',
    stage,
    redundantIngest: true,
  });
  const publicKey = new PublicKey(stack, 'Key', { publicKeyName: options.publicKeyName ?? 'signer' });

  const backend = new iam.Role(stack, 'Backend', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  stage.grantRead(backend);
  stage.grantCreateParticipantToken(backend);
  stage.grantDisconnectParticipant(backend);
  storageConfiguration.grantRead(backend);
  encoderConfiguration.grantRead(backend);
  ingestConfiguration.grantRead(backend);
  ingestConfiguration.grantReadStreamKey(backend);
  publicKey.grantRead(backend);
  publicKey.grantReadPrivateKey(backend);

  const outputs: Record<string, string> = {
    StageArn: stage.stageArn,
    StageId: stage.stageId,
    WhipEndpoint: stage.whipEndpoint,
    RtmpEndpoint: stage.rtmpEndpoint,
    RtmpsEndpoint: stage.rtmpsEndpoint,
    EventsEndpoint: stage.eventsEndpoint,
    StorageConfigurationArn: storageConfiguration.storageConfigurationArn,
    EncoderConfigurationArn: encoderConfiguration.encoderConfigurationArn,
    IngestConfigurationArn: ingestConfiguration.ingestConfigurationArn,
    IngestParticipantId: ingestConfiguration.participantId,
    IngestState: ingestConfiguration.state,
    IngestEndpoint: ingestConfiguration.ingestEndpoint,
    StreamKeySecretArn: ingestConfiguration.streamKeySecret.secretArn,
    PublicKeyArn: publicKey.publicKeyArn,
    PublicKeyFingerprint: publicKey.fingerprint,
    PrivateKeySecretArn: publicKey.privateKeySecret!.secretArn,
  };
  for (const [id, value] of Object.entries(outputs)) {
    new CfnOutput(stack, id, { value });
  }

  return { recordings, storageConfiguration, stage, encoderConfiguration, ingestConfiguration, publicKey, backend };
}
