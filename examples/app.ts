/*
 * The example application: a video app's stack with all five constructs wired together. A stage
 * records every participant into an S3 bucket through a storage configuration; an RTMPS encoder
 * (OBS, a camera) publishes into the stage through an ingest configuration; an encoder
 * configuration sets the video of server-side compositions; a public key whose private half lives
 * in AWS KMS lets the token issuer sign participant tokens for the stage. The backend function
 * may ask the issuer for tokens. A stage composition records the whole stage as one video per
 * session, and a catalog function gets each recording's location when it is complete.
 */
import * as path from 'path';
import { App, CfnResource, Duration, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as cloudwatch_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  CompositionDestination,
  CompositionLayout,
  EncoderConfiguration,
  EncoderVideo,
  IngestConfiguration,
  IngestProtocol,
  ParticipantTokenIssuer,
  IvsRealtimeDashboard,
  IvsRealtimeHandlers,
  PublicKey,
  PublicKeyMaterial,
  RecordingMediaType,
  Stage,
  StageComposition,
  StorageConfiguration,
  ThumbnailRecordingMode,
} from '../src';

export interface ExampleStackProps extends StackProps {
  /** The stage's name; the demo renames it to show an in-place update. */
  readonly stageName?: string;
  /** The value of the stage's `tier` tag; the demo changes it to show a tag update. */
  readonly tier?: string;
  /**
   * Runs the handlers as an account with strict organisation policies would: in the network
   * team's VPC, with reserved concurrency, and with the security team's KMS key for the log groups
   * and the owned secrets (both imported, as such accounts have them).
   */
  readonly lockedDown?: boolean;
  /**
   * A stage made before the stack (in the console, say), which the stack adopts as its lobby and
   * keeps, with its ARN, when the stack is destroyed (adopted resources are retained by default).
   */
  readonly lobbyStageArn?: string;
}

export class ExampleStack extends Stack {
  public readonly stage: Stage;
  public readonly ingest: IngestConfiguration;
  public readonly signingKey: PublicKey;
  public readonly tokenIssuer: ParticipantTokenIssuer;
  public readonly dashboard: IvsRealtimeDashboard;
  public readonly composition: StageComposition;
  /** The stage adopted with `lobbyStageArn`, if one was given. */
  public readonly lobby?: Stage;

  constructor(scope: Construct, id: string, props: ExampleStackProps = {}) {
    super(scope, id, props);
    const encryptionKey = props.lockedDown ? this.lockDownHandlers() : undefined;

    const bucket = new s3.Bucket(this, 'RecordingsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
    });
    explainFindings(bucket.node.defaultChild as CfnResource, {
      checkov: {
        CKV_AWS_18: 'example app: a production app would send access logs to its log-archive bucket (the library creates no bucket)',
        CKV_AWS_21: 'IVS writes each recording object once and never overwrites it; versions would only keep deleted recordings',
      },
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
      encryptionKey,
    });

    const composition = new EncoderConfiguration(this, 'CompositionVideo', { video: EncoderVideo.HD_720 });

    this.signingKey = new PublicKey(this, 'TokenSigningKey', { publicKeyMaterial: PublicKeyMaterial.generateInKms() });
    this.tokenIssuer = new ParticipantTokenIssuer(this, 'TokenIssuer', { stages: [this.stage], signingKey: this.signingKey });

    const backend = new lambda.Function(this, 'Backend', {
      // The newest Node.js runtime aws-cdk-lib lists for the region, as the library's own functions run.
      runtime: lambda.determineLatestNodeRuntime(this),
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 501 });'),
      environment: {
        STAGE_ARN: this.stage.stageArn,
        ENCODER_CONFIGURATION_ARN: composition.encoderConfigurationArn,
        TOKEN_ISSUER_FUNCTION: this.tokenIssuer.issuerFunction.functionName,
      },
    });
    explainFindings(backend.node.defaultChild as CfnResource, {
      checkov: {
        CKV_AWS_115: 'example app: a stub backend; a production app sizes its own concurrency',
        CKV_AWS_116: 'example app: a stub backend invoked synchronously, where a dead-letter queue does not apply',
        CKV_AWS_117: 'example app: a stub backend that reaches only public AWS endpoints',
        CKV_AWS_173: 'the environment holds ARNs only, no secret; Lambda encrypts it at rest with its AWS managed key',
      },
      cfnLint: {
        W3005: "aws-cdk-lib's lambda.Function both references its role and depends on it; the duplicate dependency is harmless",
      },
    });
    this.tokenIssuer.grantInvoke(backend);
    this.stage.grants.startComposition(backend, { encoderConfigurations: [composition], storageConfiguration: recordings });

    // One video of the whole stage per session, started when a participant publishes; a function
    // catalogues each recording once its composition has ended.
    this.composition = this.stage.addComposition('Composite', {
      layout: CompositionLayout.grid({ featuredParticipantAttribute: 'featured' }),
      destinations: [CompositionDestination.s3({ storageConfiguration: recordings, encoderConfiguration: composition })],
    });
    const catalog = new lambda.Function(this, 'RecordingCatalog', {
      runtime: lambda.determineLatestNodeRuntime(this),
      handler: 'index.handler',
      code: lambda.Code.fromAsset(path.join(__dirname, 'recording-catalog')),
    });
    explainFindings(catalog.node.defaultChild as CfnResource, {
      checkov: {
        CKV_AWS_115: 'example app: a stub target; a production app sizes its own concurrency',
        CKV_AWS_116: 'example app: a stub target of an EventBridge rule; a production app gives it a dead-letter queue',
        CKV_AWS_117: 'example app: a stub target that reaches no resource in a VPC',
        CKV_AWS_173: 'the function has no environment variables',
      },
      cfnLint: {
        W3005: "aws-cdk-lib's lambda.Function both references its role and depends on it; the duplicate dependency is harmless",
      },
    });
    this.composition.onRecordingComplete('RecordingComplete', { target: new targets.LambdaFunction(catalog) });

    // One page for the team on call, and the recommended alarms, which page them through a topic.
    const onCall = new sns.Topic(this, 'OnCall', { enforceSSL: true });
    explainFindings(onCall.node.defaultChild as CfnResource, {
      checkov: {
        CKV_AWS_26: 'example app: CloudWatch alarms cannot publish to a topic encrypted with the AWS managed key; a production app '
          + 'gives the topic a customer-managed key whose policy lets cloudwatch.amazonaws.com use it',
      },
    });
    this.dashboard = new IvsRealtimeDashboard(this, 'Dashboard', {
      dashboardName: `${this.stackName}-ivs-realtime`,
      stages: [this.stage],
      tokenIssuers: [this.tokenIssuer],
      compositions: [this.composition],
      alarmActions: [new cloudwatch_actions.SnsAction(onCall)],
    });

    if (props.lobbyStageArn !== undefined) {
      this.lobby = new Stage(this, 'Lobby', { adoptArn: props.lobbyStageArn, stageName: 'lobby' });
    }

    Tags.of(this).add('app', 'cdk-ivs-realtime-example');
  }

  /** The handler settings of a locked-down account; returns the key for the owned secrets. */
  private lockDownHandlers(): kms.IKey {
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'NetworkTeamVpc', {
      vpcId: 'vpc-0a1b2c3d4e5f60718',
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      privateSubnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'],
    });
    const key = kms.Key.fromKeyArn(this, 'SecurityTeamKey', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    IvsRealtimeHandlers.of(this).configure({ vpc, reservedConcurrentExecutions: 5, logEncryptionKey: key });
    return key;
  }
}

/**
 * Records, in the resource's own template metadata where checkov and cfn-lint read them, the
 * findings on this example's own resources that do not apply, each with its reason (the library
 * does the same for its resources).
 */
function explainFindings(resource: CfnResource, findings: { checkov?: Record<string, string>; cfnLint?: Record<string, string> }): void {
  if (findings.checkov) {
    resource.addMetadata('checkov', { skip: Object.entries(findings.checkov).map(([id, comment]) => ({ id, comment })) });
  }
  if (findings.cfnLint) {
    resource.addMetadata('cfn-lint', { config: { ignore_checks: Object.keys(findings.cfnLint) }, comments: findings.cfnLint });
  }
}

/**
 * The example app: the example stack, and the same stack as a locked-down account would deploy it
 * (the template scanners in .ci/scan-templates check both).
 */
export function exampleApp(props: ExampleStackProps = {}, outdir?: string): { app: App; stack: ExampleStack; lockedDownStack: ExampleStack } {
  const app = new App({ outdir });
  const env = { account: '123456789012', region: 'us-east-1' };
  const stack = new ExampleStack(app, 'IvsRealtimeExample', { env, ...props });
  const lockedDownStack = new ExampleStack(app, 'IvsRealtimeLockedDownExample', { env, ...props, lockedDown: true });
  return { app, stack, lockedDownStack };
}
