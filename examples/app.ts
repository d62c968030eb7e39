/*
 * The example application: a video app's stack with all five constructs wired together. A stage
 * records every participant into an S3 bucket through a storage configuration; an RTMPS encoder
 * (OBS, a camera) publishes into the stage through an ingest configuration; an encoder
 * configuration sets the video of server-side compositions; a public key whose private half lives
 * in AWS KMS lets the token issuer sign participant tokens for the stage. The backend function
 * may ask the issuer for tokens and start compositions.
 */
import { App, Duration, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  EncoderConfiguration,
  EncoderVideo,
  IngestConfiguration,
  IngestProtocol,
  ParticipantTokenIssuer,
  PublicKey,
  PublicKeyMaterial,
  RecordingMediaType,
  Stage,
  StorageConfiguration,
  ThumbnailRecordingMode,
} from '../src';

export interface ExampleStackProps extends StackProps {
  /** The stage's name; the demo renames it to show an in-place update. */
  readonly stageName?: string;
  /** The value of the stage's `tier` tag; the demo changes it to show a tag update. */
  readonly tier?: string;
}

export class ExampleStack extends Stack {
  public readonly stage: Stage;
  public readonly ingest: IngestConfiguration;
  public readonly signingKey: PublicKey;
  public readonly tokenIssuer: ParticipantTokenIssuer;

  constructor(scope: Construct, id: string, props: ExampleStackProps = {}) {
    super(scope, id, props);

    const bucket = new s3.Bucket(this, 'RecordingsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
    });
    const recordings = new StorageConfiguration(this, 'Recordings', { bucket });

    this.stage = new Stage(this, 'TownHall', {
      stageName: props.stageName ?? 'town-hall',
      autoParticipantRecording: {
        storageConfiguration: recordings,
        mediaTypes: [RecordingMediaType.AUDIO_VIDEO],
        thumbnails: { recordingMode: ThumbnailRecordingMode.INTERVAL, targetInterval: Duration.seconds(30) },
        recordingReconnectWindow: Duration.seconds(60),
      },
      tags: { tier: props.tier ?? 'standard' },
    });

    this.ingest = new IngestConfiguration(this, 'StudioEncoder', {
      ingestProtocol: IngestProtocol.RTMPS,
      stage: this.stage,
      userId: 'studio-a',
    });

    const composition = new EncoderConfiguration(this, 'CompositionVideo', { video: EncoderVideo.HD_720 });

    this.signingKey = new PublicKey(this, 'TokenSigningKey', { publicKeyMaterial: PublicKeyMaterial.generateInKms() });
    this.tokenIssuer = new ParticipantTokenIssuer(this, 'TokenIssuer', { stages: [this.stage], signingKey: this.signingKey });

    const backend = new lambda.Function(this, 'Backend', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 501 });'),
      environment: {
        STAGE_ARN: this.stage.stageArn,
        ENCODER_CONFIGURATION_ARN: composition.encoderConfigurationArn,
        TOKEN_ISSUER_FUNCTION: this.tokenIssuer.issuerFunction.functionName,
      },
    });
    this.tokenIssuer.grantInvoke(backend);
    this.stage.grants.startComposition(backend, { encoderConfigurations: [composition], storageConfiguration: recordings });

    Tags.of(this).add('app', 'cdk-ivs-realtime-example');
  }
}

export function exampleApp(props: ExampleStackProps = {}, outdir?: string): { app: App; stack: ExampleStack } {
  const app = new App({ outdir });
  const stack = new ExampleStack(app, 'IvsRealtimeExample', {
    env: { account: '123456789012', region: 'us-east-1' },
    ...props,
  });
  return { app, stack };
}
