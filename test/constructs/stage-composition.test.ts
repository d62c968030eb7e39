import { App, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import {
  CompositionDestination,
  CompositionLayout,
  EncoderConfiguration,
  PipBehavior,
  PipPosition,
  Stage,
  StageComposition,
  StorageConfiguration,
  ThumbnailStorage,
  VideoAspectRatio,
  VideoFillMode,
} from '../../src';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';

function newStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: ACCOUNT, region: REGION } });
}

/** A stack with an L1 stage, encoder, storage configuration and channel. */
function l1Resources(stack = newStack()) {
  return {
    stack,
    stage: new ivs.CfnStage(stack, 'Stage', { name: 'town-hall' }),
    encoder: new ivs.CfnEncoderConfiguration(stack, 'Encoder', {}),
    storage: new ivs.CfnStorageConfiguration(stack, 'Storage', { s3: { bucketName: 'recordings' } }),
    channel: new ivs.CfnChannel(stack, 'Channel', {}),
  };
}

const idOf = (stack: Stack, construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as any);

function composerFunction(stack: Stack): any {
  const fns = Template.fromStack(stack).findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('composition') } });
  expect(Object.keys(fns)).toHaveLength(1);
  return Object.values(fns)[0];
}

/** The function's COMPOSITION_REQUEST, parsed, with each CloudFormation reference as 'REF'. */
function requestOf(stack: Stack): any {
  const value = stack.resolve(composerFunction(stack).Properties.Environment.Variables.COMPOSITION_REQUEST);
  const parts: unknown[] = typeof value === 'string' ? [value] : value['Fn::Join'][1];
  return JSON.parse(parts.map((part) => (typeof part === 'string' ? part : 'REF')).join(''));
}

function roleStatements(stack: Stack, composition: StageComposition): any[] {
  const roleId = idOf(stack, composition.node.findChild('ServiceRole') as iam.Role);
  return Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

describe('what it deploys', () => {
  test('a rule on the stage\'s Participant Published events invokes the function, with the dead-letter queue for delivery failures', () => {
    // GIVEN
    const { stack, stage, encoder, storage } = l1Resources();

    // WHEN
    const composition = new StageComposition(stack, 'Composition', {
      stage, destinations: [CompositionDestination.s3({ storageConfiguration: storage, encoderConfiguration: encoder })],
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.ivs'],
        'detail-type': ['IVS Stage Update'],
        'resources': [{ Ref: stack.getLogicalId(stage) }],
        'detail': { event_name: ['Participant Published'] },
      },
      Targets: [Match.objectLike({
        Arn: { 'Fn::GetAtt': [idOf(stack, composition.composerFunction), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [idOf(stack, composition.deadLetterQueue), 'Arn'] } },
      })],
    });
  });

  test('the function gets the stage, the layout and the destinations, and its failed invocations go to the queue with the error', () => {
    // GIVEN
    const { stack, stage, encoder, storage } = l1Resources();

    // WHEN
    const composition = new StageComposition(stack, 'Composition', {
      stage,
      destinations: [CompositionDestination.s3({
        storageConfiguration: storage,
        encoderConfiguration: encoder,
        hlsTargetSegmentDuration: Duration.seconds(4),
        thumbnails: { interval: Duration.seconds(30), storage: [ThumbnailStorage.LATEST] },
      })],
    });

    // THEN
    const env = composerFunction(stack).Properties.Environment.Variables;
    expect(env.STAGE_ARN).toEqual({ Ref: stack.getLogicalId(stage) });
    expect(env.COMPOSITION_KEY).toBe(composition.node.addr);
    expect(requestOf(stack)).toEqual({
      layout: { grid: {} },
      destinations: [{
        s3: {
          storageConfigurationArn: 'REF',
          encoderConfigurationArns: ['REF'],
          recordingConfiguration: { format: 'HLS', hlsConfiguration: { targetSegmentDurationSeconds: 4 } },
          thumbnailConfigurations: [{ targetIntervalSeconds: 30, storage: ['LATEST'] }],
        },
      }],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [idOf(stack, composition.deadLetterQueue), 'Arn'] } } },
    });
  });

  test('the dead-letter queue is encrypted and refuses requests without TLS', () => {
    // GIVEN
    const { stack, stage, encoder, storage } = l1Resources();

    // WHEN
    new StageComposition(stack, 'Composition', {
      stage, destinations: [CompositionDestination.s3({ storageConfiguration: storage, encoderConfiguration: encoder })],
    });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('the role holds the composition grant on exactly these resources, GetStage, its logs and the queue, and nothing else', () => {
    // GIVEN
    const { stack, stage, encoder, storage, channel } = l1Resources();
    const channelEncoder = new ivs.CfnEncoderConfiguration(stack, 'ChannelEncoder', {});

    // WHEN
    const composition = new StageComposition(stack, 'Composition', {
      stage,
      destinations: [
        CompositionDestination.s3({ storageConfiguration: storage, encoderConfiguration: encoder }),
        CompositionDestination.channel({ channel, encoderConfiguration: channelEncoder }),
      ],
    });

    // THEN
    const statements = roleStatements(stack, composition);
    const arn = (construct: CfnResource) => ({ Ref: stack.getLogicalId(construct) });
    expect(statements).toContainEqual(expect.objectContaining({
      Action: 'ivs:StartComposition', Resource: [arn(stage), arn(encoder), arn(channelEncoder), arn(storage), arn(channel)],
    }));
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'ivs:GetStage', Resource: arn(stage) }));
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'ivs:ListCompositions', Resource: [arn(stage), arn(encoder), arn(channelEncoder)] }));
    expect(statements).toContainEqual(expect.objectContaining({
      Action: ['ivs:GetComposition', 'ivs:StopComposition'],
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ivs:${REGION}:${ACCOUNT}:composition/*`]] },
    }));
    expect(statements).toContainEqual(expect.objectContaining({
      Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: { 'Fn::GetAtt': [idOf(stack, composition.deadLetterQueue), 'Arn'] },
    }));
    expect(statements).toContainEqual(expect.objectContaining({
      Action: 'ivs:TagResource',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ivs:${REGION}:${ACCOUNT}:composition/*`]] },
    }));
    expect(statements).toContainEqual(expect.objectContaining({
      Action: 'events:PutEvents',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:events:${REGION}:${ACCOUNT}:event-bus/default`]] },
    }));
    expect(statements.flatMap((s) => [s.Action].flat()).sort()).toEqual([
      'events:PutEvents', 'ivs:GetComposition', 'ivs:GetStage', 'ivs:ListCompositions', 'ivs:StartComposition', 'ivs:StopComposition', 'ivs:TagResource',
      'logs:CreateLogStream', 'logs:PutLogEvents', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage',
    ]);
  });

  test('metricFailures counts the messages in the dead-letter queue, and alarmOnFailures goes off at the first', () => {
    // GIVEN
    const { stack, stage, encoder, storage } = l1Resources();
    const composition = new StageComposition(stack, 'Composition', {
      stage, destinations: [CompositionDestination.s3({ storageConfiguration: storage, encoderConfiguration: encoder })],
    });

    // WHEN
    const metric = composition.metricFailures();
    composition.alarmOnFailures('Failures');

    // THEN
    expect(metric.metricName).toBe('ApproximateNumberOfMessagesVisible');
    expect(metric.namespace).toBe('AWS/SQS');
    expect(stack.resolve(metric.dimensions)).toEqual({ QueueName: { 'Fn::GetAtt': [idOf(stack, composition.deadLetterQueue), 'QueueName'] } });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
    });
  });

  test('a picture-in-picture layout renders every option the API has', () => {
    // GIVEN
    const { stack, stage, encoder, storage } = l1Resources();

    // WHEN
    new StageComposition(stack, 'Composition', {
      stage,
      destinations: [CompositionDestination.s3({ storageConfiguration: storage, encoderConfiguration: encoder })],
      layout: CompositionLayout.pip({
        featuredParticipantAttribute: 'featured',
        participantOrderAttribute: 'order',
        pipParticipantAttribute: 'host',
        omitStoppedVideo: true,
        videoFillMode: VideoFillMode.CONTAIN,
        gridGap: 4,
        pipBehavior: PipBehavior.DYNAMIC,
        pipPosition: PipPosition.TOP_LEFT,
        pipOffset: 8,
        pipWidth: 320,
        pipHeight: 180,
      }),
    });

    // THEN
    expect(requestOf(stack).layout).toEqual({
      pip: {
        featuredParticipantAttribute: 'featured',
        participantOrderAttribute: 'order',
        pipParticipantAttribute: 'host',
        omitStoppedVideo: true,
        videoFillMode: 'CONTAIN',
        gridGap: 4,
        pipBehavior: 'DYNAMIC',
        pipPosition: 'TOP_LEFT',
        pipOffset: 8,
        pipWidth: 320,
        pipHeight: 180,
      },
    });
  });

  test('a grid layout renders its aspect ratio', () => {
    // WHEN
    const layout = CompositionLayout.grid({ videoAspectRatio: VideoAspectRatio.PORTRAIT, gridGap: 0 }).bind(newStack());

    // THEN
    expect(layout).toEqual({ grid: { videoAspectRatio: 'PORTRAIT', gridGap: 0 } });
  });

  test('Stage.addComposition composes that stage, with the L2 encoder and storage configurations', () => {
    // GIVEN
    const stack = newStack();
    const stage = new Stage(stack, 'Stage');
    const storageConfiguration = StorageConfiguration.fromStorageConfigurationArn(stack, 'Storage', `arn:aws:ivs:${REGION}:${ACCOUNT}:storage-configuration/abcdEFGH1234`);
    const encoderConfiguration = new EncoderConfiguration(stack, 'Encoder');

    // WHEN
    const composition = stage.addComposition('Recording', {
      destinations: [CompositionDestination.s3({ storageConfiguration, encoderConfiguration })],
    });

    // THEN
    expect(composition.node.scope).toBe(stage);
    expect(composerFunction(stack).Properties.Environment.Variables.STAGE_ARN).toEqual({ 'Fn::GetAtt': [idOf(stack, stage), 'Arn'] });
  });
});

describe('recording complete', () => {
  test('a rule on the stage\'s composition Session End events, matching the stage in resources or detail.stage_arn, invokes the function', () => {
    // GIVEN
    const { stack, stage, encoder, storage } = l1Resources();

    // WHEN
    const composition = new StageComposition(stack, 'Composition', {
      stage, destinations: [CompositionDestination.s3({ storageConfiguration: storage, encoderConfiguration: encoder })],
    });

    // THEN
    const stageRef = { Ref: stack.getLogicalId(stage) };
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.ivs'],
        'detail-type': ['IVS Composition State Change'],
        'detail': { event_name: ['Session End'] },
        '$or': [{ resources: [stageRef] }, { detail: { stage_arn: [stageRef] } }],
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [idOf(stack, composition.composerFunction), 'Arn'] } })],
    });
  });

  test('the function knows the bucket of an L1 storage configuration at deploy time', () => {
    // GIVEN
    const { stack, stage, encoder, storage } = l1Resources();

    // WHEN
    new StageComposition(stack, 'Composition', {
      stage, destinations: [CompositionDestination.s3({ storageConfiguration: storage, encoderConfiguration: encoder })],
    });

    // THEN
    expect(composerFunction(stack).Properties.Environment.Variables.RECORDING_BUCKET).toBe('recordings');
  });

  test('for an imported storage configuration the function may read it, to learn its bucket', () => {
    // GIVEN
    const { stack, stage, encoder } = l1Resources();
    const storageConfiguration = StorageConfiguration.fromStorageConfigurationArn(stack, 'Imported', `arn:aws:ivs:${REGION}:${ACCOUNT}:storage-configuration/abcdEFGH1234`);

    // WHEN
    const composition = new StageComposition(stack, 'Composition', {
      stage, destinations: [CompositionDestination.s3({ storageConfiguration, encoderConfiguration: encoder })],
    });

    // THEN
    expect(composerFunction(stack).Properties.Environment.Variables.RECORDING_BUCKET).toBeUndefined();
    expect(roleStatements(stack, composition)).toContainEqual(expect.objectContaining({
      Action: 'ivs:GetStorageConfiguration', Resource: `arn:aws:ivs:${REGION}:${ACCOUNT}:storage-configuration/abcdEFGH1234`,
    }));
  });

  test('onRecordingComplete targets the recording-complete events of this composition of the stage', () => {
    // GIVEN
    const { stack, stage, encoder, storage } = l1Resources();
    const composition = new StageComposition(stack, 'Composition', {
      stage, destinations: [CompositionDestination.s3({ storageConfiguration: storage, encoderConfiguration: encoder })],
    });

    // WHEN
    composition.onRecordingComplete('Done', { ruleName: 'recording-done' });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      Name: 'recording-done',
      EventPattern: {
        'source': ['cdk-ivs-realtime'],
        'detail-type': ['IVS Composite Recording Complete'],
        'detail': { compositionKey: [composition.node.addr] },
      },
    });
  });

  test('a composition with only a channel destination has no recording-complete rule, and onRecordingComplete is refused', () => {
    // GIVEN
    const { stack, stage, encoder, channel } = l1Resources();

    // WHEN
    const composition = new StageComposition(stack, 'Composition', {
      stage, destinations: [CompositionDestination.channel({ channel, encoderConfiguration: encoder })],
    });

    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::Events::Rule', 1);
    expect(() => composition.onRecordingComplete('Done')).toThrow(/onRecordingComplete needs an S3 destination \(CompositionDestination.s3\), got a channel destination only/);
  });
});

describe('synth-time validation', () => {
  type Case = [string, (r: ReturnType<typeof l1Resources>) => ConstructorParameters<typeof StageComposition>[2], RegExp];
  const s3 = (r: ReturnType<typeof l1Resources>, extra: object = {}) =>
    CompositionDestination.s3({ storageConfiguration: r.storage, encoderConfiguration: r.encoder, ...extra });
  const channel = (r: ReturnType<typeof l1Resources>) => CompositionDestination.channel({ channel: r.channel, encoderConfiguration: r.encoder });

  test.each<Case>([
    ['no destination', (r) => ({ stage: r.stage, destinations: [] }), /destinations must hold 1 or 2 destinations \(at most one S3 and one channel\), got 0/],
    ['three destinations', (r) => ({ stage: r.stage, destinations: [s3(r), channel(r), s3(r)] }), /destinations must hold 1 or 2 destinations .*got 3/],
    ['two S3 destinations', (r) => ({ stage: r.stage, destinations: [s3(r), s3(r)] }), /destinations must hold at most one S3 destination, got 2/],
    ['two channel destinations', (r) => ({ stage: r.stage, destinations: [channel(r), channel(r)] }), /at most one channel destination, got 2/],
    ['a channel without an encoder configuration alone', (r) => ({ stage: r.stage, destinations: [CompositionDestination.channel({ channel: r.channel })] }),
      /destinations must name at least one encoder configuration .*got a channel without one/],
    ['an HLS segment of 1 second', (r) => ({ stage: r.stage, destinations: [s3(r, { hlsTargetSegmentDuration: Duration.seconds(1) })] }),
      /s3 hlsTargetSegmentDuration must be whole seconds from 2 to 10, got 1 seconds/],
    ['an HLS segment of 11 seconds', (r) => ({ stage: r.stage, destinations: [s3(r, { hlsTargetSegmentDuration: Duration.seconds(11) })] }),
      /from 2 to 10, got 11 seconds/],
    ['an HLS segment of 2.5 seconds', (r) => ({ stage: r.stage, destinations: [s3(r, { hlsTargetSegmentDuration: Duration.millis(2500) })] }),
      /from 2 to 10, got 2.5 seconds/],
    ['a thumbnail interval over a day', (r) => ({ stage: r.stage, destinations: [s3(r, { thumbnails: { interval: Duration.seconds(86_401) } })] }),
      /s3 thumbnails.interval must be whole seconds from 1 to 86400, got 86401 seconds/],
    ['no thumbnail storage', (r) => ({ stage: r.stage, destinations: [s3(r, { thumbnails: { storage: [] } })] }),
      /s3 thumbnails.storage must hold one or both of SEQUENTIAL and LATEST, each once, got \[\]/],
    ['a thumbnail storage twice', (r) => ({ stage: r.stage, destinations: [s3(r, { thumbnails: { storage: [ThumbnailStorage.LATEST, ThumbnailStorage.LATEST] } })] }),
      /got \[LATEST, LATEST\]/],
    ['a featured attribute with a dot', (r) => ({ stage: r.stage, destinations: [s3(r)], layout: CompositionLayout.grid({ featuredParticipantAttribute: 'is.featured' }) }),
      /layout \(grid\) featuredParticipantAttribute must be up to 128 letters, digits, '-' and '_', got "is.featured"/],
    ['an order attribute of 129 characters', (r) => ({ stage: r.stage, destinations: [s3(r)], layout: CompositionLayout.pip({ participantOrderAttribute: 'a'.repeat(129) }) }),
      /layout \(pip\) participantOrderAttribute must be up to 128/],
    ['a negative grid gap', (r) => ({ stage: r.stage, destinations: [s3(r)], layout: CompositionLayout.grid({ gridGap: -1 }) }),
      /layout \(grid\) gridGap must be a whole number of pixels, 0 or more, got -1/],
    ['a PiP width of 0', (r) => ({ stage: r.stage, destinations: [s3(r)], layout: CompositionLayout.pip({ pipWidth: 0 }) }),
      /layout \(pip\) pipWidth must be a whole number of pixels, 1 or more, got 0/],
    ['a fractional PiP offset', (r) => ({ stage: r.stage, destinations: [s3(r)], layout: CompositionLayout.pip({ pipOffset: 1.5 }) }),
      /layout \(pip\) pipOffset must be a whole number of pixels, 0 or more, got 1.5/],
    ['a destination name with a space', (r) => ({ stage: r.stage, destinations: [s3(r, { destinationName: 'my recording' })] }),
      /s3 destinationName must be up to 128 letters, digits, '-' and '_', got "my recording"/],
    ['a channel of another region', (r) => ({
      stage: r.stage,
      destinations: [s3(r), CompositionDestination.channel({
        channel: new ivs.CfnChannel(new Stack(r.stack.node.root as App, 'Far', { env: { account: ACCOUNT, region: 'eu-west-1' } }), 'Channel', {}),
      })],
    }), /channel must be in the stage's region us-east-1 \(a composition reaches no other region\), got one in eu-west-1/],
    ['a storage configuration of another account', (r) => ({
      stage: r.stage,
      destinations: [CompositionDestination.s3({
        storageConfiguration: StorageConfiguration.fromStorageConfigurationArn(r.stack, 'Other', 'arn:aws:ivs:us-east-1:222222222222:storage-configuration/abcdEFGH1234'),
        encoderConfiguration: r.encoder,
      })],
    }), /s3 storageConfiguration must be in the stage's account 111111111111 .*got one in 222222222222/],
  ])('%s is refused, naming the prop, the allowed values and what was given', (_name, props, message) => {
    // GIVEN
    const resources = l1Resources();

    // WHEN / THEN
    expect(() => new StageComposition(resources.stack, 'Composition', props(resources))).toThrow(message);
  });
});
