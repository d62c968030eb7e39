import { App, CfnParameter, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ownStatements } from './handler-statements';
import {
  RecordingMediaType,
  Stage,
  StorageConfiguration,
  ThumbnailRecordingMode,
  ThumbnailStorage,
} from '../../src';
import { latestNodeRuntimeIn } from '../node-runtime';

const STORAGE_CONFIGURATION_ARN = 'arn:aws:ivs:us-east-1:111111111111:storage-configuration/AbCdEfGh1234';
const STAGE_ARN = 'arn:aws:ivs:us-east-1:111111111111:stage/AbCdEfGh1234';

function newStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'us-east-1' } });
}

function storageConfiguration(stack: Stack) {
  return StorageConfiguration.fromStorageConfigurationArn(stack, 'Storage', STORAGE_CONFIGURATION_ARN);
}

describe('rendering', () => {
  test('a stage with no props gets a generated valid name and nothing else', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new Stage(stack, 'Stage');

    // THEN
    Template.fromStack(stack).hasResourceProperties('Custom::IvsStage', {
      Name: 'TestStack-Stage-03827377',
      AutoParticipantRecordingConfiguration: Match.absent(),
      Tags: Match.absent(),
    });
  });

  test('the generated name matches the service pattern and length for a deep construct path', () => {
    // GIVEN
    const stack = newStack();
    const deep = new Stack(stack.node.scope as App, 'A'.repeat(100), { env: stack.environment as any });

    // WHEN
    const stage = new Stage(deep, 'B'.repeat(100));

    // THEN
    expect(stage.stageName).toMatch(/^[a-zA-Z0-9-_]{1,128}$/);
  });

  test('stageName is passed as Name', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new Stage(stack, 'Stage', { stageName: 'town-hall_1' });

    // THEN
    Template.fromStack(stack).hasResourceProperties('Custom::IvsStage', { Name: 'town-hall_1' });
  });

  test('auto participant recording renders every member with its default, as strings', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new Stage(stack, 'Stage', {
      autoParticipantRecording: { storageConfiguration: storageConfiguration(stack) },
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties('Custom::IvsStage', {
      AutoParticipantRecordingConfiguration: {
        StorageConfigurationArn: STORAGE_CONFIGURATION_ARN,
        MediaTypes: ['AUDIO_VIDEO'],
        ThumbnailConfiguration: { RecordingMode: 'DISABLED' },
        RecordingReconnectWindowSeconds: '0',
        HlsTargetSegmentDurationSeconds: '6',
        RecordParticipantReplicas: 'true',
      },
    });
  });

  test('auto participant recording renders every option given', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new Stage(stack, 'Stage', {
      autoParticipantRecording: {
        storageConfiguration: storageConfiguration(stack),
        mediaTypes: [RecordingMediaType.AUDIO_ONLY],
        thumbnails: {
          recordingMode: ThumbnailRecordingMode.INTERVAL,
          storage: [ThumbnailStorage.SEQUENTIAL, ThumbnailStorage.LATEST],
          targetInterval: Duration.minutes(2),
        },
        recordingReconnectWindow: Duration.minutes(1),
        hlsTargetSegmentDuration: Duration.seconds(10),
        recordParticipantReplicas: false,
      },
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties('Custom::IvsStage', {
      AutoParticipantRecordingConfiguration: {
        StorageConfigurationArn: STORAGE_CONFIGURATION_ARN,
        MediaTypes: ['AUDIO_ONLY'],
        ThumbnailConfiguration: { RecordingMode: 'INTERVAL', Storage: ['SEQUENTIAL', 'LATEST'], TargetIntervalSeconds: '120' },
        RecordingReconnectWindowSeconds: '60',
        HlsTargetSegmentDurationSeconds: '10',
        RecordParticipantReplicas: 'false',
      },
    });
  });

  test('interval thumbnails default to sequential storage every 60 seconds', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new Stage(stack, 'Stage', {
      autoParticipantRecording: {
        storageConfiguration: storageConfiguration(stack),
        thumbnails: { recordingMode: ThumbnailRecordingMode.INTERVAL },
      },
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties('Custom::IvsStage', {
      AutoParticipantRecordingConfiguration: Match.objectLike({
        ThumbnailConfiguration: { RecordingMode: 'INTERVAL', Storage: ['SEQUENTIAL'], TargetIntervalSeconds: '60' },
      }),
    });
  });

  test('a Duration token is rendered as a reference, not validated', () => {
    // GIVEN
    const stack = newStack();
    const window = new CfnParameter(stack, 'Window', { type: 'Number' });

    // WHEN
    new Stage(stack, 'Stage', {
      autoParticipantRecording: {
        storageConfiguration: storageConfiguration(stack),
        recordingReconnectWindow: Duration.seconds(window.valueAsNumber),
      },
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties('Custom::IvsStage', {
      AutoParticipantRecordingConfiguration: Match.objectLike({ RecordingReconnectWindowSeconds: { Ref: 'Window' } }),
    });
  });

  test('media types NONE with thumbnails disabled warns that nothing is recorded', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new Stage(stack, 'Stage', {
      autoParticipantRecording: { storageConfiguration: storageConfiguration(stack), mediaTypes: [RecordingMediaType.NONE] },
    });

    // THEN the warning carries its ID, with which a user who means it acknowledges it
    Annotations.fromStack(stack).hasWarning('/TestStack/Stage',
      'autoParticipantRecording records neither media (mediaTypes is [NONE]) nor thumbnails (thumbnails are disabled) '
      + '[ack: cdk-ivs-realtime:stage-records-nothing]');
  });

  test.each<[string, { mediaTypes?: RecordingMediaType[]; thumbnails?: { recordingMode: ThumbnailRecordingMode } }]>([
    ['the default media', {}],
    ['audio only and thumbnails disabled', { mediaTypes: [RecordingMediaType.AUDIO_ONLY] }],
    ['media types NONE and thumbnails at an interval', {
      mediaTypes: [RecordingMediaType.NONE], thumbnails: { recordingMode: ThumbnailRecordingMode.INTERVAL },
    }],
  ])('a stage that records %s gets no warning', (_, options) => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new Stage(stack, 'Stage', { autoParticipantRecording: { storageConfiguration: storageConfiguration(stack), ...options } });

    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('the custom resource sets ServiceTimeout above the handler timeout', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new Stage(stack, 'Stage');

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::IvsStage', { ServiceTimeout: '660' });
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 600, Runtime: latestNodeRuntimeIn('us-east-1') });
  });

  test('the stage is deleted with the stack by default', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new Stage(stack, 'Stage');

    // THEN
    Template.fromStack(stack).hasResource('Custom::IvsStage', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  test('removalPolicy RETAIN keeps the stage', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new Stage(stack, 'Stage', { removalPolicy: RemovalPolicy.RETAIN });

    // THEN
    Template.fromStack(stack).hasResource('Custom::IvsStage', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('attributes read the handler response', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const stage = new Stage(stack, 'Stage');

    // THEN
    const logicalId = stack.getLogicalId(stage.node.defaultChild as any);
    expect(stack.resolve(stage.stageArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'Arn'] });
    expect(stack.resolve(stage.stageId)).toEqual({ 'Fn::GetAtt': [logicalId, 'StageId'] });
    expect(stack.resolve(stage.whipEndpoint)).toEqual({ 'Fn::GetAtt': [logicalId, 'WhipEndpoint'] });
    expect(stack.resolve(stage.rtmpEndpoint)).toEqual({ 'Fn::GetAtt': [logicalId, 'RtmpEndpoint'] });
    expect(stack.resolve(stage.rtmpsEndpoint)).toEqual({ 'Fn::GetAtt': [logicalId, 'RtmpsEndpoint'] });
    expect(stack.resolve(stage.eventsEndpoint)).toEqual({ 'Fn::GetAtt': [logicalId, 'EventsEndpoint'] });
  });
});

describe('tags', () => {
  test('tags given as a prop reach the resource', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new Stage(stack, 'Stage', { tags: { team: 'video', env: 'prod' } });

    // THEN
    Template.fromStack(stack).hasResourceProperties('Custom::IvsStage', { Tags: { team: 'video', env: 'prod' } });
  });

  test('Tags.of() reaches the stage as it reaches an L1', () => {
    // GIVEN
    const stack = newStack();
    new Stage(stack, 'Stage', { tags: { team: 'video' } });

    // WHEN
    Tags.of(stack).add('cost-center', '42');

    // THEN
    Template.fromStack(stack).hasResourceProperties('Custom::IvsStage', { Tags: { 'team': 'video', 'cost-center': '42' } });
  });

  test('Tags.of().remove() takes a tag off', () => {
    // GIVEN
    const stack = newStack();
    const stage = new Stage(stack, 'Stage', { tags: { team: 'video', temp: 'x' } });

    // WHEN
    Tags.of(stage).remove('temp');

    // THEN
    Template.fromStack(stack).hasResourceProperties('Custom::IvsStage', { Tags: { team: 'video' } });
  });
});

describe('one provider per stack', () => {
  test('many stages share one handler function and one role', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    for (let i = 0; i < 25; i++) {
      new Stage(stack, `Stage${i}`);
    }

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::IvsStage', 25);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::IAM::Role', 1);
  });

  test('CloudFormation invokes the handler function directly, with no Provider-framework function in between', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new Stage(stack, 'Stage');

    // THEN
    const template = Template.fromStack(stack);
    const [functionId] = Object.keys(template.findResources('AWS::Lambda::Function'));
    template.hasResourceProperties('Custom::IvsStage', { ServiceToken: { 'Fn::GetAtt': [functionId, 'Arn'] } });
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
  });

  test('each stack gets its own provider', () => {
    // GIVEN
    const app = new App();
    const one = new Stack(app, 'One');
    const two = new Stack(app, 'Two');

    // WHEN
    new Stage(one, 'Stage');
    new Stage(two, 'Stage');

    // THEN
    Template.fromStack(one).resourceCountIs('AWS::Lambda::Function', 1);
    Template.fromStack(two).resourceCountIs('AWS::Lambda::Function', 1);
  });
});

describe('handler role', () => {
  test('allows only the stage lifecycle and tag actions, on stage ARNs of this account and region', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new Stage(stack, 'Stage');

    // THEN
    const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
    const [role] = Object.values(roles);
    expect(role.Properties.Policies).toEqual([{
      PolicyName: 'Inline',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Action: [
            'ivs:CreateStage',
            'ivs:GetStage',
            'ivs:UpdateStage',
            'ivs:DeleteStage',
            'ivs:ListStages',
            'ivs:TagResource',
            'ivs:UntagResource',
          ],
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ivs:us-east-1:111111111111:stage/*']] },
        }, ...ownStatements()],
      },
    }]);
  });
});

describe('grants', () => {
  function grantee(stack: Stack) {
    return new iam.Role(stack, 'Backend', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  }

  function statementsOf(stack: Stack) {
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    return Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
  }

  const stageArnOf = (stack: Stack, stage: Stage) => ({ 'Fn::GetAtt': [stack.getLogicalId(stage.node.defaultChild as any), 'Arn'] });

  test.each([
    ['grantCreateParticipantToken', 'ivs:CreateParticipantToken'],
    ['grantDisconnectParticipant', 'ivs:DisconnectParticipant'],
  ] as const)('%s grants %s on the stage only', (method, action) => {
    // GIVEN
    const stack = newStack();
    const stage = new Stage(stack, 'Stage');

    // WHEN
    stage[method](grantee(stack));

    // THEN
    expect(statementsOf(stack)).toEqual([{ Effect: 'Allow', Action: action, Resource: stageArnOf(stack, stage) }]);
  });

  test('grantRead grants the read actions on the stage only', () => {
    // GIVEN
    const stack = newStack();
    const stage = new Stage(stack, 'Stage');

    // WHEN
    stage.grantRead(grantee(stack));

    // THEN
    expect(statementsOf(stack)).toEqual([{
      Effect: 'Allow',
      Action: [
        'ivs:GetStage',
        'ivs:GetStageSession',
        'ivs:ListStageSessions',
        'ivs:ListParticipants',
        'ivs:GetParticipant',
        'ivs:ListParticipantEvents',
      ],
      Resource: stageArnOf(stack, stage),
    }]);
  });

  test('grant grants any actions on the stage only', () => {
    // GIVEN
    const stack = newStack();
    const stage = new Stage(stack, 'Stage');

    // WHEN
    stage.grant(grantee(stack), 'ivs:StartParticipantReplication', 'ivs:StopParticipantReplication');

    // THEN
    expect(statementsOf(stack)).toEqual([{
      Effect: 'Allow',
      Action: ['ivs:StartParticipantReplication', 'ivs:StopParticipantReplication'],
      Resource: stageArnOf(stack, stage),
    }]);
  });

  test('grants on an imported stage are scoped to its ARN', () => {
    // GIVEN
    const stack = newStack();
    const stage = Stage.fromStageArn(stack, 'Imported', STAGE_ARN);

    // WHEN
    stage.grantCreateParticipantToken(grantee(stack));

    // THEN
    expect(statementsOf(stack)).toEqual([{ Effect: 'Allow', Action: 'ivs:CreateParticipantToken', Resource: STAGE_ARN }]);
  });
});

describe('imports', () => {
  test('fromStageArn resolves the ARN, ID and environment', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const stage = Stage.fromStageArn(stack, 'Imported', 'arn:aws:ivs:eu-west-1:222222222222:stage/XyZ987abc654');

    // THEN
    expect(stage.stageArn).toBe('arn:aws:ivs:eu-west-1:222222222222:stage/XyZ987abc654');
    expect(stage.stageId).toBe('XyZ987abc654');
    expect(stage.env).toEqual({ account: '222222222222', region: 'eu-west-1' });
  });

  test('fromStageAttributes carries the endpoints', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const stage = Stage.fromStageAttributes(stack, 'Imported', {
      stageArn: STAGE_ARN,
      whipEndpoint: 'https://1a2b3c4d5e6f.global-bm.whip.live-video.net',
      rtmpEndpoint: 'rtmp://9x0y8z7s6t5u.global-contribute.live-video.net/app/',
      rtmpsEndpoint: 'rtmps://9x0y8z7s6t5u.global-contribute.live-video.net:443/app/',
      eventsEndpoint: 'wss://global.events.live-video.net',
    });

    // THEN
    expect(stage.whipEndpoint).toBe('https://1a2b3c4d5e6f.global-bm.whip.live-video.net');
    expect(stage.rtmpEndpoint).toBe('rtmp://9x0y8z7s6t5u.global-contribute.live-video.net/app/');
    expect(stage.rtmpsEndpoint).toBe('rtmps://9x0y8z7s6t5u.global-contribute.live-video.net:443/app/');
    expect(stage.eventsEndpoint).toBe('wss://global.events.live-video.net');
  });

  test('an endpoint not given on import is an error when read', () => {
    // GIVEN
    const stack = newStack();
    const stage = Stage.fromStageArn(stack, 'Imported', STAGE_ARN);

    // WHEN / THEN
    expect(() => stage.whipEndpoint).toThrow(
      'TestStack: whipEndpoint of an imported stage is not known: pass it to Stage.fromStageAttributes()',
    );
  });

  test('a token ARN is accepted and its ID is taken apart at deploy time', () => {
    // GIVEN
    const stack = newStack();
    const arn = new CfnParameter(stack, 'StageArn').valueAsString;

    // WHEN
    const stage = Stage.fromStageArn(stack, 'Imported', arn);

    // THEN
    expect(stack.resolve(stage.stageId)).toEqual({ 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::Select': [5, { 'Fn::Split': [':', { Ref: 'StageArn' }] }] }] }] });
  });

  test.each([
    ['another service', 'arn:aws:s3:::my-bucket'],
    ['another IVS resource type', 'arn:aws:ivs:us-east-1:111111111111:channel/AbCdEfGh1234'],
    ['no resource ID', 'arn:aws:ivs:us-east-1:111111111111:stage'],
    ['not an ARN', 'my-stage'],
  ])('an ARN of %s is rejected', (_, arn) => {
    // GIVEN
    const stack = newStack();

    // WHEN / THEN
    expect(() => Stage.fromStageArn(stack, 'Imported', arn)).toThrow(
      `TestStack: stageArn must be an IVS stage ARN (arn:<partition>:ivs:<region>:<account>:stage/<id>), got '${arn}'`,
    );
  });
});

describe('validation', () => {
  function stageWith(props: ConstructorParameters<typeof Stage>[2]) {
    const stack = newStack();
    return () => new Stage(stack, 'Stage', props);
  }

  function recordingWith(options: Record<string, unknown>) {
    const stack = newStack();
    return () => new Stage(stack, 'Stage', {
      autoParticipantRecording: { storageConfiguration: storageConfiguration(stack), ...options },
    });
  }

  test('a name with a character outside the pattern', () => {
    expect(stageWith({ stageName: 'town hall' })).toThrow(
      "TestStack/Stage: stageName must match ^[a-zA-Z0-9-_]*$ (letters, digits, hyphens and underscores), got 'town hall'",
    );
  });

  test('a name longer than 128 characters', () => {
    const name = 'a'.repeat(129);
    expect(stageWith({ stageName: name })).toThrow(
      `TestStack/Stage: stageName must be between 0 and 128 characters long, got 129 characters: '${name}'`,
    );
  });

  test('a token name is not validated', () => {
    const stack = newStack();
    const name = new CfnParameter(stack, 'Name').valueAsString;
    expect(() => new Stage(stack, 'Stage', { stageName: name })).not.toThrow();
  });

  test.each<[string, Parameters<typeof recordingWith>[0]]>([
    ['recordingReconnectWindow of 0 seconds', { recordingReconnectWindow: Duration.seconds(0) }],
    ['recordingReconnectWindow of 300 seconds', { recordingReconnectWindow: Duration.minutes(5) }],
    ['hlsTargetSegmentDuration of 2 seconds', { hlsTargetSegmentDuration: Duration.seconds(2) }],
    ['hlsTargetSegmentDuration of 10 seconds', { hlsTargetSegmentDuration: Duration.seconds(10) }],
    ['thumbnails.targetInterval of 1 second', { thumbnails: { recordingMode: ThumbnailRecordingMode.INTERVAL, targetInterval: Duration.seconds(1) } }],
    ['thumbnails.targetInterval of 86400 seconds', { thumbnails: { recordingMode: ThumbnailRecordingMode.INTERVAL, targetInterval: Duration.days(1) } }],
    ['one media type', { mediaTypes: [RecordingMediaType.AUDIO_ONLY] }],
    ['both thumbnail storages', {
      thumbnails: { recordingMode: ThumbnailRecordingMode.INTERVAL, storage: [ThumbnailStorage.SEQUENTIAL, ThumbnailStorage.LATEST] },
    }],
  ])('%s, exactly at the limit, is accepted', (_, options) => {
    expect(recordingWith(options)).not.toThrow();
  });

  test('a name of exactly 128 characters is accepted', () => {
    expect(stageWith({ stageName: 'a'.repeat(128) })).not.toThrow();
  });

  test.each([
    [Duration.seconds(301), 'between 0 and 300 seconds, got 301 seconds'],
    [Duration.millis(1500), 'a whole number of seconds, got 1.5 seconds'],
  ])('recordingReconnectWindow %s', (window, message) => {
    expect(recordingWith({ recordingReconnectWindow: window })).toThrow(
      `TestStack/Stage: autoParticipantRecording.recordingReconnectWindow must be ${message}`,
    );
  });

  test.each([
    [Duration.seconds(1), 'between 2 and 10 seconds, got 1 seconds'],
    [Duration.seconds(11), 'between 2 and 10 seconds, got 11 seconds'],
  ])('hlsTargetSegmentDuration %s', (duration, message) => {
    expect(recordingWith({ hlsTargetSegmentDuration: duration })).toThrow(
      `TestStack/Stage: autoParticipantRecording.hlsTargetSegmentDuration must be ${message}`,
    );
  });

  test.each([
    [Duration.seconds(0), 'between 1 and 86400 seconds, got 0 seconds'],
    [Duration.days(2), 'between 1 and 86400 seconds, got 172800 seconds'],
  ])('thumbnails.targetInterval %s', (interval, message) => {
    expect(recordingWith({ thumbnails: { recordingMode: ThumbnailRecordingMode.INTERVAL, targetInterval: interval } })).toThrow(
      `TestStack/Stage: autoParticipantRecording.thumbnails.targetInterval must be ${message}`,
    );
  });

  test('thumbnails.targetInterval without INTERVAL mode', () => {
    expect(recordingWith({ thumbnails: { targetInterval: Duration.seconds(30) } })).toThrow(
      'TestStack/Stage: autoParticipantRecording.thumbnails.targetInterval can only be set with recordingMode INTERVAL, got recordingMode DISABLED',
    );
  });

  test('thumbnails.storage with thumbnails disabled warns and is left out, as IVS accepts it and takes no thumbnails', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new Stage(stack, 'Stage', {
      autoParticipantRecording: {
        storageConfiguration: storageConfiguration(stack),
        thumbnails: { recordingMode: ThumbnailRecordingMode.DISABLED, storage: [ThumbnailStorage.LATEST] },
      },
    });

    // THEN the stage synthesizes, with a warning a user can acknowledge by its ID
    Annotations.fromStack(stack).hasWarning('/TestStack/Stage',
      'autoParticipantRecording.thumbnails.storage takes effect only with recordingMode INTERVAL, got recordingMode DISABLED: '
      + 'no thumbnails are taken, and the storage is left out [ack: cdk-ivs-realtime:thumbnail-storage-unused]');
    Template.fromStack(stack).hasResourceProperties('Custom::IvsStage', {
      AutoParticipantRecordingConfiguration: Match.objectLike({ ThumbnailConfiguration: { RecordingMode: 'DISABLED' } }),
    });
  });

  test('thumbnails.storage with a repeated value', () => {
    expect(recordingWith({
      thumbnails: { recordingMode: ThumbnailRecordingMode.INTERVAL, storage: [ThumbnailStorage.LATEST, ThumbnailStorage.LATEST] },
    })).toThrow('TestStack/Stage: autoParticipantRecording.thumbnails.storage must not repeat a value, got [LATEST, LATEST]');
  });

  test('thumbnails.recordingMode outside the enum', () => {
    expect(recordingWith({ thumbnails: { recordingMode: 'SOMETIMES' } })).toThrow(
      "TestStack/Stage: autoParticipantRecording.thumbnails.recordingMode values must be one of INTERVAL, DISABLED, got 'SOMETIMES'",
    );
  });

  test('more than one media type', () => {
    expect(recordingWith({ mediaTypes: [RecordingMediaType.AUDIO_ONLY, RecordingMediaType.AUDIO_VIDEO] })).toThrow(
      'TestStack/Stage: autoParticipantRecording.mediaTypes takes at most 1 of AUDIO_VIDEO, AUDIO_ONLY, NONE, got 2: [AUDIO_ONLY, AUDIO_VIDEO]',
    );
  });

  test('a media type outside the enum', () => {
    expect(recordingWith({ mediaTypes: ['VIDEO_ONLY'] })).toThrow(
      "TestStack/Stage: autoParticipantRecording.mediaTypes values must be one of AUDIO_VIDEO, AUDIO_ONLY, NONE, got 'VIDEO_ONLY'",
    );
  });

  describe('tags, checked at synth so that Tags.of() counts too', () => {
    function synthWithTags(tags: Record<string, string>, extra?: (stack: Stack) => void) {
      const stack = newStack();
      new Stage(stack, 'Stage', { tags });
      extra?.(stack);
      return () => Template.fromStack(stack);
    }

    test('more than 49 tags, one of the 50 IVS allows being the creator tag', () => {
      const tags = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`key${i}`, 'v']));
      expect(synthWithTags(tags, (stack) => Tags.of(stack).add('one-more', 'v'))).toThrow(
        "tags: at most 49 tags are allowed (IVS allows 50, and the library adds its 'cdk-ivs-realtime:creator' tag), got 50",
      );
    });

    test('exactly 49 tags synthesize', () => {
      const tags = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`key${i}`, 'v']));
      expect(synthWithTags(tags)).not.toThrow();
    });

    test('the creator tag, which is the library\'s own', () => {
      expect(synthWithTags({ 'cdk-ivs-realtime:creator': 'mine' })).toThrow(
        "tags: the key 'cdk-ivs-realtime:creator' is the library's own, which marks what its handlers create",
      );
    });

    test('a key longer than 128 characters', () => {
      const key = 'k'.repeat(129);
      expect(synthWithTags({ [key]: 'v' })).toThrow(`tags: keys must be between 1 and 128 characters long, got 129 characters: '${key}'`);
    });

    test('a value longer than 256 characters', () => {
      expect(synthWithTags({ team: 'v'.repeat(257) })).toThrow(
        "tags: values must be at most 256 characters long, got 257 characters for key 'team'",
      );
    });

    test('a key in the aws: namespace', () => {
      expect(synthWithTags({ 'aws:team': 'v' })).toThrow("tags: keys must not start with 'aws:' (reserved for AWS), got 'aws:team'");
    });
  });
});

describe('adopting an existing stage (adoptArn)', () => {
  test('sends AdoptArn, the name given, and retains the stage by default', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new Stage(stack, 'Stage', { adoptArn: STAGE_ARN, stageName: 'town-hall' });

    // THEN
    Template.fromStack(stack).hasResource('Custom::IvsStage', {
      Properties: Match.objectLike({ AdoptArn: STAGE_ARN, Name: 'town-hall' }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('with no stageName, sends no name, and stageName reads the live name', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const stage = new Stage(stack, 'Stage', { adoptArn: STAGE_ARN });

    // THEN
    Template.fromStack(stack).hasResourceProperties('Custom::IvsStage', { AdoptArn: STAGE_ARN, Name: Match.absent() });
    expect(stack.resolve(stage.stageName)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Stage/), 'Name'] });
  });

  test('a removal policy given wins over the RETAIN default', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new Stage(stack, 'Stage', { adoptArn: STAGE_ARN, removalPolicy: RemovalPolicy.DESTROY });

    // THEN
    Template.fromStack(stack).hasResource('Custom::IvsStage', { DeletionPolicy: 'Delete' });
  });

  test('without adoptArn, nothing changes: a generated name, no AdoptArn, DESTROY', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new Stage(stack, 'Stage');

    // THEN
    Template.fromStack(stack).hasResource('Custom::IvsStage', {
      Properties: Match.objectLike({ AdoptArn: Match.absent(), Name: 'TestStack-Stage-03827377' }),
      DeletionPolicy: 'Delete',
    });
  });

  test.each([
    ['another resource type', 'arn:aws:ivs:us-east-1:111111111111:storage-configuration/AbCdEfGh1234'],
    ['another service', 'arn:aws:s3:::bucket'],
  ])('an ARN of %s is refused, naming the prop and the value', (_, arn) => {
    // WHEN / THEN
    expect(() => new Stage(newStack(), 'Stage', { adoptArn: arn }))
      .toThrow(`adoptArn must be an IVS stage ARN (arn:<partition>:ivs:<region>:<account>:stage/<id>), got '${arn}'`);
  });

  test('a stage in another account is refused at synth, naming both accounts', () => {
    // WHEN / THEN
    expect(() => new Stage(newStack(), 'Stage', { adoptArn: 'arn:aws:ivs:us-east-1:222222222222:stage/AbCdEfGh1234' }))
      .toThrow("adoptArn must be in the stage's account (111111111111), got a stage in 222222222222");
  });

  test('a stage in another region is refused at synth, naming both regions', () => {
    // WHEN / THEN
    expect(() => new Stage(newStack(), 'Stage', { adoptArn: 'arn:aws:ivs:eu-west-1:111111111111:stage/AbCdEfGh1234' }))
      .toThrow("adoptArn must be in the stage's region (us-east-1), got a stage in eu-west-1");
  });

  test('an ARN given as a token is passed through unchecked', () => {
    // GIVEN
    const stack = newStack();
    const arn = new CfnParameter(stack, 'StageArn').valueAsString;

    // WHEN
    new Stage(stack, 'Stage', { adoptArn: arn });

    // THEN
    Template.fromStack(stack).hasResourceProperties('Custom::IvsStage', { AdoptArn: { Ref: 'StageArn' } });
  });
});
