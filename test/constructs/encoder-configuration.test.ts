import { App, CfnParameter, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ownStatements } from './handler-statements';
import { EncoderConfiguration, EncoderVideo, EncoderVideoProps } from '../../src';
import { latestNodeRuntimeIn } from '../node-runtime';

const ARN = 'arn:aws:ivs:us-east-1:111111111111:encoder-configuration/AbCdEfGh1234';
const TYPE = 'Custom::IvsEncoderConfiguration';

function newStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'us-east-1' } });
}

const getAtt = (stack: Stack, construct: { node: { defaultChild?: unknown } }, attribute: string) =>
  ({ 'Fn::GetAtt': [stack.getLogicalId(construct.node.defaultChild as any), attribute] });

describe('rendering', () => {
  test('an encoder configuration with no props gets a generated valid name and the default video, as strings', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new EncoderConfiguration(stack, 'Encoder');

    // THEN
    Template.fromStack(stack).hasResourceProperties(TYPE, {
      Name: 'TestStack-Encoder-749B0E2C',
      Video: { Width: '1280', Height: '720', Framerate: '30', Bitrate: '2500000' },
      Tags: Match.absent(),
    });
  });

  test('the generated name matches the service pattern and length for a deep construct path', () => {
    // GIVEN
    const stack = new Stack(new App(), 'A'.repeat(100));

    // WHEN
    const encoder = new EncoderConfiguration(stack, 'B'.repeat(100));

    // THEN
    expect(encoder.encoderConfigurationName).toMatch(/^[a-zA-Z0-9-_]{1,128}$/);
  });

  test('encoderConfigurationName is passed as Name', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new EncoderConfiguration(stack, 'Encoder', { encoderConfigurationName: 'full-hd_1' });

    // THEN
    Template.fromStack(stack).hasResourceProperties(TYPE, { Name: 'full-hd_1' });
  });

  test.each([
    ['HD_720', EncoderVideo.HD_720, { Width: '1280', Height: '720', Framerate: '30', Bitrate: '2500000' }],
    ['HD_720_PORTRAIT', EncoderVideo.HD_720_PORTRAIT, { Width: '720', Height: '1280', Framerate: '30', Bitrate: '2500000' }],
    ['FULL_HD_1080', EncoderVideo.FULL_HD_1080, { Width: '1920', Height: '1080', Framerate: '30', Bitrate: '6000000' }],
    ['FULL_HD_1080_PORTRAIT', EncoderVideo.FULL_HD_1080_PORTRAIT, { Width: '1080', Height: '1920', Framerate: '30', Bitrate: '6000000' }],
  ])('the %s preset renders its settings', (_, video, rendered) => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new EncoderConfiguration(stack, 'Encoder', { video });

    // THEN
    Template.fromStack(stack).hasResourceProperties(TYPE, { Video: rendered });
  });

  test('custom video renders every setting given, a fractional frame rate as a decimal', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new EncoderConfiguration(stack, 'Encoder', {
      video: EncoderVideo.custom({ width: 1080, height: 1080, framerate: 29.97, bitrate: 4_500_000 }),
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties(TYPE, {
      Video: { Width: '1080', Height: '1080', Framerate: '29.97', Bitrate: '4500000' },
    });
  });

  test('custom video fills the settings left out with the service defaults', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const encoder = new EncoderConfiguration(stack, 'Encoder', { video: EncoderVideo.custom({ framerate: 60 }) });

    // THEN
    Template.fromStack(stack).hasResourceProperties(TYPE, {
      Video: { Width: '1280', Height: '720', Framerate: '60', Bitrate: '2500000' },
    });
    expect([encoder.video.width, encoder.video.height, encoder.video.framerate, encoder.video.bitrate]).toEqual([1280, 720, 60, 2_500_000]);
  });

  test('a number token is rendered as a reference, not validated', () => {
    // GIVEN
    const stack = newStack();
    const bitrate = new CfnParameter(stack, 'Bitrate', { type: 'Number' });

    // WHEN
    new EncoderConfiguration(stack, 'Encoder', { video: EncoderVideo.custom({ bitrate: bitrate.valueAsNumber }) });

    // THEN
    Template.fromStack(stack).hasResourceProperties(TYPE, { Video: Match.objectLike({ Bitrate: { Ref: 'Bitrate' } }) });
  });

  test('the custom resource sets ServiceTimeout above the handler timeout', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new EncoderConfiguration(stack, 'Encoder');

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties(TYPE, { ServiceTimeout: '660' });
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 600, Runtime: latestNodeRuntimeIn('us-east-1') });
  });

  test('the encoder configuration is deleted with the stack and on replacement by default', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new EncoderConfiguration(stack, 'Encoder');

    // THEN
    Template.fromStack(stack).hasResource(TYPE, { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  test('removalPolicy RETAIN keeps the encoder configuration', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new EncoderConfiguration(stack, 'Encoder', { removalPolicy: RemovalPolicy.RETAIN });

    // THEN
    Template.fromStack(stack).hasResource(TYPE, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('attributes read the handler response', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const encoder = new EncoderConfiguration(stack, 'Encoder');

    // THEN
    expect(stack.resolve(encoder.encoderConfigurationArn)).toEqual(getAtt(stack, encoder, 'Arn'));
    expect(stack.resolve(encoder.encoderConfigurationId)).toEqual(getAtt(stack, encoder, 'EncoderConfigurationId'));
  });
});

describe('tags', () => {
  test('tags given as a prop reach the resource', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new EncoderConfiguration(stack, 'Encoder', { tags: { team: 'video' } });

    // THEN
    Template.fromStack(stack).hasResourceProperties(TYPE, { Tags: { team: 'video' } });
  });

  test('Tags.of() reaches the encoder configuration as it reaches an L1', () => {
    // GIVEN
    const stack = newStack();
    new EncoderConfiguration(stack, 'Encoder', { tags: { team: 'video' } });

    // WHEN
    Tags.of(stack).add('cost-center', '42');

    // THEN
    Template.fromStack(stack).hasResourceProperties(TYPE, { Tags: { 'team': 'video', 'cost-center': '42' } });
  });

  test('tags added with Tags.of() are checked at synth', () => {
    // GIVEN
    const stack = newStack();
    new EncoderConfiguration(stack, 'Encoder');

    // WHEN
    Tags.of(stack).add('team', 'v'.repeat(257));

    // THEN
    expect(() => Template.fromStack(stack)).toThrow("tags: values must be at most 256 characters long, got 257 characters for key 'team'");
  });
});

describe('one provider per stack', () => {
  test('many encoder configurations share one handler function and one role', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    for (let i = 0; i < 20; i++) {
      new EncoderConfiguration(stack, `Encoder${i}`);
    }

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs(TYPE, 20);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::IAM::Role', 1);
  });

  test('CloudFormation invokes the handler function directly', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new EncoderConfiguration(stack, 'Encoder');

    // THEN
    const template = Template.fromStack(stack);
    const [functionId] = Object.keys(template.findResources('AWS::Lambda::Function'));
    template.hasResourceProperties(TYPE, { ServiceToken: { 'Fn::GetAtt': [functionId, 'Arn'] } });
  });
});

describe('handler role', () => {
  test('allows only the encoder configuration lifecycle and tag actions, on encoder configuration ARNs of this account and region', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new EncoderConfiguration(stack, 'Encoder');

    // THEN
    const [role] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'));
    expect(role.Properties.Policies).toEqual([{
      PolicyName: 'Inline',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Action: ['ivs:CreateEncoderConfiguration', 'ivs:GetEncoderConfiguration', 'ivs:DeleteEncoderConfiguration', 'ivs:TagResource', 'ivs:UntagResource'],
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ivs:us-east-1:111111111111:encoder-configuration/*']] },
        }, ...ownStatements('ivs:ListEncoderConfigurations')],
      },
    }]);
  });
});

describe('warnings', () => {
  test('more encoder configurations than the default quota', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    for (let i = 0; i < 21; i++) {
      new EncoderConfiguration(stack, `Encoder${i}`);
    }

    // THEN
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.anyValue());
    expect(warnings.map((warning) => [warning.id, warning.entry.data])).toEqual([[
      '/TestStack/Encoder20',
      'this stack defines 21 encoder configurations; the quota is 20 per account and region (adjustable in Service Quotas) '
      + '[ack: cdk-ivs-realtime:encoder-configuration-quota]',
    ]]);
  });

  test('as many encoder configurations as the default quota draw no warning', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    for (let i = 0; i < 20; i++) {
      new EncoderConfiguration(stack, `Encoder${i}`);
    }

    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('validation', () => {
  function encoderWith(video: EncoderVideoProps) {
    const stack = newStack();
    return () => new EncoderConfiguration(stack, 'Encoder', { video: EncoderVideo.custom(video) });
  }

  test('a name with a character outside the pattern', () => {
    const stack = newStack();
    expect(() => new EncoderConfiguration(stack, 'Encoder', { encoderConfigurationName: 'full.hd' })).toThrow(
      "TestStack/Encoder: encoderConfigurationName must match ^[a-zA-Z0-9-_]*$ (letters, digits, hyphens and underscores), got 'full.hd'",
    );
  });

  test('a name longer than 128 characters', () => {
    const stack = newStack();
    const name = 'a'.repeat(129);
    expect(() => new EncoderConfiguration(stack, 'Encoder', { encoderConfigurationName: name })).toThrow(
      `TestStack/Encoder: encoderConfigurationName must be between 0 and 128 characters long, got 129 characters: '${name}'`,
    );
  });

  test.each([
    [{ width: 0 }, 'video.width must be between 2 and 1920 pixels, got 0'],
    [{ width: 1922 }, 'video.width must be between 2 and 1920 pixels, got 1922'],
    [{ width: 1279.5 }, 'video.width must be a whole number of pixels, got 1279.5'],
    [{ width: 1279 }, 'video.width must be even, got 1279'],
    [{ height: 1 }, 'video.height must be between 2 and 1920 pixels, got 1'],
    [{ height: 2000 }, 'video.height must be between 2 and 1920 pixels, got 2000'],
    [{ height: 719 }, 'video.height must be even, got 719'],
    [{ framerate: 0.5 }, 'video.framerate must be between 1 and 60 frames per second, got 0.5'],
    [{ framerate: 60.5 }, 'video.framerate must be between 1 and 60 frames per second, got 60.5'],
    [{ framerate: NaN }, 'video.framerate must be between 1 and 60 frames per second, got NaN'],
    [{ bitrate: 0 }, 'video.bitrate must be between 1 and 8500000 bits per second, got 0'],
    [{ bitrate: 8_500_001 }, 'video.bitrate must be between 1 and 8500000 bits per second, got 8500001'],
    [{ bitrate: 2_500_000.5 }, 'video.bitrate must be a whole number of bits per second, got 2500000.5'],
    [
      { width: 1920, height: 1920 },
      'video.width times video.height must be at most 2073600 pixels (1920x1080 or 1080x1920), got 1920x1920 = 3686400 pixels',
    ],
  ])('video %j', (video, message) => {
    expect(encoderWith(video)).toThrow(`TestStack/Encoder: ${message}`);
  });

  test.each([
    [{ width: 2, height: 2, framerate: 1, bitrate: 1 }],
    [{ width: 1920, height: 1080, framerate: 60, bitrate: 8_500_000 }],
    [{ width: 1080, height: 1920, framerate: 23.976 }],
  ])('video %j at the limits is accepted', (video) => {
    expect(encoderWith(video)).not.toThrow();
  });

  test('a token width skips the area check', () => {
    const stack = newStack();
    const width = new CfnParameter(stack, 'Width', { type: 'Number' }).valueAsNumber;
    expect(() => new EncoderConfiguration(stack, 'Encoder', { video: EncoderVideo.custom({ width, height: 1920 }) })).not.toThrow();
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

  test('grantRead grants the read actions on the encoder configuration only', () => {
    // GIVEN
    const stack = newStack();
    const encoder = new EncoderConfiguration(stack, 'Encoder');

    // WHEN
    encoder.grantRead(grantee(stack));

    // THEN
    expect(statementsOf(stack)).toEqual([{
      Effect: 'Allow',
      Action: ['ivs:GetEncoderConfiguration', 'ivs:ListTagsForResource'],
      Resource: getAtt(stack, encoder, 'Arn'),
    }]);
  });

  test('grant grants any actions on the encoder configuration only', () => {
    // GIVEN
    const stack = newStack();
    const encoder = new EncoderConfiguration(stack, 'Encoder');

    // WHEN
    encoder.grant(grantee(stack), 'ivs:StartComposition');

    // THEN
    expect(statementsOf(stack)).toEqual([{ Effect: 'Allow', Action: 'ivs:StartComposition', Resource: getAtt(stack, encoder, 'Arn') }]);
  });

  test('grantRead on an import is scoped to its ARN', () => {
    // GIVEN
    const stack = newStack();
    const encoder = EncoderConfiguration.fromEncoderConfigurationArn(stack, 'Imported', ARN);

    // WHEN
    encoder.grantRead(grantee(stack));

    // THEN
    expect(statementsOf(stack)).toEqual([{ Effect: 'Allow', Action: ['ivs:GetEncoderConfiguration', 'ivs:ListTagsForResource'], Resource: ARN }]);
  });
});

describe('imports', () => {
  test('fromEncoderConfigurationArn resolves the ARN, ID and environment', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const encoder = EncoderConfiguration.fromEncoderConfigurationArn(stack, 'Imported',
      'arn:aws:ivs:eu-west-1:222222222222:encoder-configuration/XyZ987abc654');

    // THEN
    expect(encoder.encoderConfigurationArn).toBe('arn:aws:ivs:eu-west-1:222222222222:encoder-configuration/XyZ987abc654');
    expect(encoder.encoderConfigurationId).toBe('XyZ987abc654');
    expect(encoder.env).toEqual({ account: '222222222222', region: 'eu-west-1' });
  });

  test('a token ARN is accepted and its ID is taken apart at deploy time', () => {
    // GIVEN
    const stack = newStack();
    const arn = new CfnParameter(stack, 'EncoderArn').valueAsString;

    // WHEN
    const encoder = EncoderConfiguration.fromEncoderConfigurationArn(stack, 'Imported', arn);

    // THEN
    expect(stack.resolve(encoder.encoderConfigurationId)).toEqual(
      { 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::Select': [5, { 'Fn::Split': [':', { Ref: 'EncoderArn' }] }] }] }] },
    );
  });

  test.each([
    ['a storage configuration ARN', 'arn:aws:ivs:us-east-1:111111111111:storage-configuration/AbCdEfGh1234'],
    ['another service', 'arn:aws:mediaconvert:us-east-1:111111111111:presets/AbCdEfGh1234'],
    ['no resource ID', 'arn:aws:ivs:us-east-1:111111111111:encoder-configuration'],
    ['not an ARN', 'full-hd'],
  ])('%s is rejected', (_, arn) => {
    // GIVEN
    const stack = newStack();

    // WHEN / THEN
    expect(() => EncoderConfiguration.fromEncoderConfigurationArn(stack, 'Imported', arn)).toThrow(
      'TestStack: encoderConfigurationArn must be an IVS encoder-configuration ARN '
      + `(arn:<partition>:ivs:<region>:<account>:encoder-configuration/<id>), got '${arn}'`,
    );
  });
});

describe('adopting an existing encoder configuration (adoptArn)', () => {
  test('sends AdoptArn with the name given, and retains it by default', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new EncoderConfiguration(stack, 'Encoder', { adoptArn: ARN, encoderConfigurationName: 'hd' });

    // THEN
    Template.fromStack(stack).hasResource(TYPE, {
      Properties: Match.objectLike({ AdoptArn: ARN, Name: 'hd' }),
      DeletionPolicy: 'Retain',
    });
  });

  test('a stage ARN is refused, naming the prop and the value', () => {
    // WHEN / THEN
    expect(() => new EncoderConfiguration(newStack(), 'Encoder', { adoptArn: 'arn:aws:ivs:us-east-1:111111111111:stage/AbCdEfGh1234' }))
      .toThrow('adoptArn must be an IVS encoder-configuration ARN');
  });
});
