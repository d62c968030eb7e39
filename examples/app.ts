/*
 * The example application: a video app's stack with a stage that records every participant into
 * S3, and a backend function allowed to mint participant tokens for it.
 */
import { App, Duration, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
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
  /**
   * The ARN of the existing storage configuration the stage records into; the demo passes one it
   * created in the emulator.
   *
   * @default - storage configuration ExampleRec01 of the stack's account and region
   */
  readonly storageConfigurationArn?: string;
}

export class ExampleStack extends Stack {
  public readonly stage: Stage;

  constructor(scope: Construct, id: string, props: ExampleStackProps = {}) {
    super(scope, id, props);

    const recordings = StorageConfiguration.fromStorageConfigurationArn(this, 'Recordings',
      props.storageConfigurationArn ?? `arn:aws:ivs:${this.region}:${this.account}:storage-configuration/ExampleRec01`);

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

    const tokenService = new lambda.Function(this, 'TokenService', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 501 });'),
      environment: { STAGE_ARN: this.stage.stageArn },
    });
    this.stage.grantCreateParticipantToken(tokenService);

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
