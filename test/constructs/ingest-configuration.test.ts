import { App, CfnParameter, NestedStack, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ownedSecretsStatement, ownedSecretTagValue, ownStatements } from './handler-statements';
import { IngestConfiguration, IngestConfigurationProps, IngestProtocol, Stage } from '../../src';
import { latestNodeRuntimeIn } from '../node-runtime';

const INGEST_ARN = 'arn:aws:ivs:us-east-1:111111111111:ingest-configuration/AbCdEfGh1234';
const STAGE_ARN = 'arn:aws:ivs:us-east-1:111111111111:stage/AbCdEfGh1234';
const TYPE = 'Custom::IvsIngestConfiguration';

function newStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'us-east-1' } });
}

const rtmps: IngestConfigurationProps = { ingestProtocol: IngestProtocol.RTMPS };

const logicalIdOf = (stack: Stack, construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as any);
const secretRefOf = (stack: Stack, ingest: IngestConfiguration) => ({ Ref: stack.getLogicalId(ingest.streamKeySecret.node.defaultChild as any) });

describe('rendering', () => {
  test('an RTMPS ingest configuration with no other props renders every scalar as a string, nothing else', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const ingest = new IngestConfiguration(stack, 'Ingest', rtmps);

    // THEN
    const resources = Template.fromStack(stack).findResources(TYPE);
    expect(Object.values(resources)[0].Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^IvsIngestConfigurationHandlerProviderHandler/), 'Arn'] },
      ServiceTimeout: '660',
      Name: 'TestStack-Ingest-8E20C486',
      IngestProtocol: 'RTMPS',
      InsecureIngest: 'false',
      RedundantIngest: 'false',
      StreamKeySecretArn: secretRefOf(stack, ingest),
    });
  });

  test('RTMP turns insecure ingest on, as the service requires', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new IngestConfiguration(stack, 'Ingest', { ingestProtocol: IngestProtocol.RTMP });

    // THEN
    Template.fromStack(stack).hasResourceProperties(TYPE, { IngestProtocol: 'RTMP', InsecureIngest: 'true' });
  });

  test('every prop given is rendered, booleans as strings', () => {
    // GIVEN
    const stack = newStack();
    const stage = new Stage(stack, 'Stage');

    // WHEN
    new IngestConfiguration(stack, 'Ingest', {
      ingestProtocol: IngestProtocol.RTMPS,
      stage,
      ingestConfigurationName: 'studio-encoder_1',
      userId: 'studio-a',
      attributes: { role: 'host', seat: '1' },
      insecureIngest: true,
      redundantIngest: true,
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties(TYPE, {
      Name: 'studio-encoder_1',
      IngestProtocol: 'RTMPS',
      StageArn: { 'Fn::GetAtt': [logicalIdOf(stack, stage), 'Arn'] },
      UserId: 'studio-a',
      Attributes: { role: 'host', seat: '1' },
      InsecureIngest: 'true',
      RedundantIngest: 'true',
    });
  });

  test('the construct owns a described secret that receives the stream key, and nothing secret is in the template', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const ingest = new IngestConfiguration(stack, 'Ingest', { ...rtmps, redundantIngest: true });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Description: 'Stream key of the IVS ingest configuration TestStack/Ingest (written by cdk-ivs-realtime at deploy time)',
      SecretString: Match.absent(),
    });
    template.hasResourceProperties(TYPE, { StreamKeySecretArn: secretRefOf(stack, ingest) });
    const json = JSON.stringify(template.toJSON());
    expect(json).not.toMatch(/"StreamKey"|streamKey|RedundantIngestCredentials/);
    expect(template.toJSON().Outputs).toBeUndefined();
  });

  test('the ingest configuration and its secret are deleted with the stack by default', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new IngestConfiguration(stack, 'Ingest', rtmps);

    // THEN
    const template = Template.fromStack(stack);
    template.hasResource(TYPE, { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  test('removalPolicy RETAIN keeps the ingest configuration and the secret with its stream key', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new IngestConfiguration(stack, 'Ingest', { ...rtmps, removalPolicy: RemovalPolicy.RETAIN });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResource(TYPE, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('the custom resource sets ServiceTimeout above the handler timeout', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new IngestConfiguration(stack, 'Ingest', rtmps);

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties(TYPE, { ServiceTimeout: '660' });
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 600, Runtime: latestNodeRuntimeIn('us-east-1') });
  });

  test('attributes read the handler response', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const ingest = new IngestConfiguration(stack, 'Ingest', rtmps);

    // THEN
    const logicalId = logicalIdOf(stack, ingest);
    expect(stack.resolve(ingest.ingestConfigurationArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'Arn'] });
    expect(stack.resolve(ingest.ingestConfigurationId)).toEqual({ 'Fn::GetAtt': [logicalId, 'IngestConfigurationId'] });
    expect(stack.resolve(ingest.participantId)).toEqual({ 'Fn::GetAtt': [logicalId, 'ParticipantId'] });
    expect(stack.resolve(ingest.state)).toEqual({ 'Fn::GetAtt': [logicalId, 'State'] });
  });

  test.each([
    [IngestProtocol.RTMPS, 'RtmpsEndpoint'],
    [IngestProtocol.RTMP, 'RtmpEndpoint'],
  ])('the ingest endpoint of %s is the stage endpoint of that protocol', (ingestProtocol, attribute) => {
    // GIVEN
    const stack = newStack();
    const stage = new Stage(stack, 'Stage');

    // WHEN
    const ingest = new IngestConfiguration(stack, 'Ingest', { ingestProtocol, stage });

    // THEN
    expect(stack.resolve(ingest.ingestEndpoint)).toEqual({ 'Fn::GetAtt': [logicalIdOf(stack, stage), attribute] });
  });

  test('the ingest endpoint without a stage is an error', () => {
    // GIVEN
    const stack = newStack();
    const ingest = new IngestConfiguration(stack, 'Ingest', rtmps);

    // WHEN / THEN
    expect(() => ingest.ingestEndpoint).toThrow(
      'TestStack/Ingest: ingestEndpoint is only known with a stage: pass stage to the IngestConfiguration',
    );
  });
});

describe('tags', () => {
  test('tags given as a prop reach the resource', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new IngestConfiguration(stack, 'Ingest', { ...rtmps, tags: { team: 'video' } });

    // THEN
    Template.fromStack(stack).hasResourceProperties(TYPE, { Tags: { team: 'video' } });
  });

  test('Tags.of() reaches the ingest configuration as it reaches an L1', () => {
    // GIVEN
    const stack = newStack();
    new IngestConfiguration(stack, 'Ingest', { ...rtmps, tags: { team: 'video' } });

    // WHEN
    Tags.of(stack).add('cost-center', '42');

    // THEN
    Template.fromStack(stack).hasResourceProperties(TYPE, { Tags: { 'team': 'video', 'cost-center': '42' } });
  });

  test('Tags.of().remove() takes a tag off', () => {
    // GIVEN
    const stack = newStack();
    const ingest = new IngestConfiguration(stack, 'Ingest', { ...rtmps, tags: { team: 'video', temp: 'x' } });

    // WHEN
    Tags.of(ingest).remove('temp');

    // THEN
    Template.fromStack(stack).hasResourceProperties(TYPE, { Tags: { team: 'video' } });
  });
});

describe('handler role and provider', () => {
  test('the role allows the ingest configuration actions on ingest configuration ARNs, and writing the secrets tagged as its own', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const one = new IngestConfiguration(stack, 'One', rtmps);
    const two = new IngestConfiguration(stack, 'Two', rtmps);

    // THEN
    const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
    expect(Object.values(roles)).toHaveLength(1);
    expect(Object.values(roles)[0].Properties.Policies).toEqual([{
      PolicyName: 'Inline',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: [
              'ivs:CreateIngestConfiguration',
              'ivs:GetIngestConfiguration',
              'ivs:UpdateIngestConfiguration',
              'ivs:DeleteIngestConfiguration',
              'ivs:TagResource',
              'ivs:UntagResource',
              'ivs:ListTagsForResource',
            ],
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ivs:us-east-1:111111111111:ingest-configuration/*']] },
          },
          ...ownStatements('ivs:ListIngestConfigurations'),
          ownedSecretsStatement(TYPE),
        ],
      },
    }]);
    const secrets = Template.fromStack(stack).findResources('AWS::SecretsManager::Secret');
    for (const ingest of [one, two]) {
      expect(secrets[secretRefOf(stack, ingest).Ref].Properties.Tags)
        .toContainEqual({ Key: 'cdk-ivs-realtime:written-by', Value: ownedSecretTagValue(TYPE) });
    }
  });

  test('many ingest configurations share one handler and one role, whose policy is the same as for one', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    for (let i = 0; i < 60; i++) {
      new IngestConfiguration(stack, `Ingest${i}`, rtmps);
    }

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs(TYPE, 60);
    template.resourceCountIs('AWS::SecretsManager::Secret', 60);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    const [role] = Object.values(template.findResources('AWS::IAM::Role'));
    const single = newStack();
    new IngestConfiguration(single, 'Ingest0', rtmps);
    const [roleOfOne] = Object.values(Template.fromStack(single).findResources('AWS::IAM::Role'));
    expect(role.Properties.Policies).toEqual(roleOfOne.Properties.Policies);
  });

  test('an ingest configuration in a nested stack gets the nested stack\'s own handler, its secret tagged with the nested stack\'s ID', () => {
    // GIVEN
    const stack = newStack();
    const outer = new IngestConfiguration(stack, 'Outer', rtmps);
    const nested = new NestedStack(stack, 'Nested');

    // WHEN
    new IngestConfiguration(nested, 'Inner', rtmps);

    // THEN
    const [role] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'));
    expect(role.Properties.Policies[0].PolicyDocument.Statement[4]).toEqual(ownedSecretsStatement(TYPE));
    Template.fromStack(stack).hasResourceProperties('AWS::SecretsManager::Secret', {
      Tags: Match.arrayWith([{ Key: 'cdk-ivs-realtime:written-by', Value: ownedSecretTagValue(TYPE) }]),
    });
    expect(secretRefOf(stack, outer).Ref).toBeDefined();
    const inner = Template.fromStack(nested);
    inner.resourceCountIs('AWS::Lambda::Function', 1);
    // In the nested stack's template, AWS::StackId is the nested stack's ID: the outer handler's condition does not match it.
    inner.hasResourceProperties('AWS::SecretsManager::Secret', {
      Tags: Match.arrayWith([{ Key: 'cdk-ivs-realtime:written-by', Value: ownedSecretTagValue(TYPE) }]),
    });
  });

  test('a stage and an ingest configuration have separate handlers', () => {
    // GIVEN
    const stack = newStack();
    const stage = new Stage(stack, 'Stage');

    // WHEN
    new IngestConfiguration(stack, 'Ingest', { ...rtmps, stage });

    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 2);
  });

  test('more ingest configurations in one stack than the default quota warns', () => {
    // GIVEN
    const stack = newStack();
    for (let i = 0; i < 100; i++) {
      new IngestConfiguration(stack, `Ingest${i}`, rtmps);
    }

    // WHEN
    new IngestConfiguration(stack, 'OneTooMany', rtmps);

    // THEN
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/TestStack/OneTooMany', Match.stringLikeRegexp(
      'this stack defines 101 ingest configurations; the quota is 100 per account and region \\(adjustable in Service Quotas\\)',
    ));
    annotations.hasNoWarning('/TestStack/Ingest99', Match.anyValue());
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

  const arnOf = (stack: Stack, ingest: IngestConfiguration) => ({ 'Fn::GetAtt': [logicalIdOf(stack, ingest), 'Arn'] });

  test('grantRead grants reading the ingest configuration only', () => {
    // GIVEN
    const stack = newStack();
    const ingest = new IngestConfiguration(stack, 'Ingest', rtmps);

    // WHEN
    ingest.grantRead(grantee(stack));

    // THEN
    expect(statementsOf(stack)).toEqual([{
      Effect: 'Allow',
      Action: ['ivs:GetIngestConfiguration', 'ivs:ListTagsForResource'],
      Resource: arnOf(stack, ingest),
    }]);
  });

  test('grant grants any actions on the ingest configuration only', () => {
    // GIVEN
    const stack = newStack();
    const ingest = new IngestConfiguration(stack, 'Ingest', rtmps);

    // WHEN
    ingest.grant(grantee(stack), 'ivs:UpdateIngestConfiguration');

    // THEN
    expect(statementsOf(stack)).toEqual([{ Effect: 'Allow', Action: 'ivs:UpdateIngestConfiguration', Resource: arnOf(stack, ingest) }]);
  });

  test('grantReadStreamKey grants reading the stream key secret only', () => {
    // GIVEN
    const stack = newStack();
    const ingest = new IngestConfiguration(stack, 'Ingest', rtmps);

    // WHEN
    ingest.grantReadStreamKey(grantee(stack));

    // THEN
    expect(statementsOf(stack)).toEqual([{
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Resource: secretRefOf(stack, ingest),
    }]);
  });

  test('grants on an imported ingest configuration are scoped to its ARN and its secret', () => {
    // GIVEN
    const stack = newStack();
    const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Secret',
      'arn:aws:secretsmanager:us-east-1:111111111111:secret:stream-key-AbCdEf');
    const ingest = IngestConfiguration.fromIngestConfigurationAttributes(stack, 'Imported', {
      ingestConfigurationArn: INGEST_ARN,
      streamKeySecret: secret,
    });
    const backend = grantee(stack);

    // WHEN
    ingest.grantRead(backend);
    ingest.grantReadStreamKey(backend);

    // THEN
    expect(statementsOf(stack)).toEqual([
      { Effect: 'Allow', Action: ['ivs:GetIngestConfiguration', 'ivs:ListTagsForResource'], Resource: INGEST_ARN },
      {
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:stream-key-AbCdEf',
      },
    ]);
  });

  test('grantReadStreamKey on an import without its secret is an error', () => {
    // GIVEN
    const stack = newStack();
    const ingest = IngestConfiguration.fromIngestConfigurationArn(stack, 'Imported', INGEST_ARN);

    // WHEN / THEN
    expect(() => ingest.grantReadStreamKey(grantee(stack))).toThrow(
      'TestStack/Imported: streamKeySecret of an imported ingest configuration is not known: pass it to IngestConfiguration.fromIngestConfigurationAttributes()',
    );
  });
});

describe('imports', () => {
  test('fromIngestConfigurationArn resolves the ARN, ID and environment', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const ingest = IngestConfiguration.fromIngestConfigurationArn(stack, 'Imported',
      'arn:aws:ivs:eu-west-1:222222222222:ingest-configuration/XyZ987abc654');

    // THEN
    expect(ingest.ingestConfigurationArn).toBe('arn:aws:ivs:eu-west-1:222222222222:ingest-configuration/XyZ987abc654');
    expect(ingest.ingestConfigurationId).toBe('XyZ987abc654');
    expect(ingest.env).toEqual({ account: '222222222222', region: 'eu-west-1' });
  });

  test('a token ARN is accepted and its ID is taken apart at deploy time', () => {
    // GIVEN
    const stack = newStack();
    const arn = new CfnParameter(stack, 'IngestArn').valueAsString;

    // WHEN
    const ingest = IngestConfiguration.fromIngestConfigurationArn(stack, 'Imported', arn);

    // THEN
    expect(stack.resolve(ingest.ingestConfigurationId)).toEqual({
      'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::Select': [5, { 'Fn::Split': [':', { Ref: 'IngestArn' }] }] }] }],
    });
  });

  test.each([
    ['another service', 'arn:aws:s3:::my-bucket'],
    ['another IVS resource type', STAGE_ARN],
    ['no resource ID', 'arn:aws:ivs:us-east-1:111111111111:ingest-configuration'],
    ['not an ARN', 'my-ingest'],
  ])('an ARN of %s is rejected', (_, arn) => {
    // GIVEN
    const stack = newStack();

    // WHEN / THEN
    expect(() => IngestConfiguration.fromIngestConfigurationArn(stack, 'Imported', arn)).toThrow(
      `TestStack: ingestConfigurationArn must be an IVS ingest-configuration ARN (arn:<partition>:ivs:<region>:<account>:ingest-configuration/<id>), got '${arn}'`,
    );
  });
});

describe('validation', () => {
  function ingestWith(props: Record<string, unknown>) {
    const stack = newStack();
    return () => new IngestConfiguration(stack, 'Ingest', { ...rtmps, ...props } as IngestConfigurationProps);
  }

  test('a name with a character outside the pattern', () => {
    expect(ingestWith({ ingestConfigurationName: 'studio encoder' })).toThrow(
      "TestStack/Ingest: ingestConfigurationName must match ^[a-zA-Z0-9-_]*$ (letters, digits, hyphens and underscores), got 'studio encoder'",
    );
  });

  test('a name longer than 128 characters', () => {
    const name = 'a'.repeat(129);
    expect(ingestWith({ ingestConfigurationName: name })).toThrow(
      `TestStack/Ingest: ingestConfigurationName must be between 0 and 128 characters long, got 129 characters: '${name}'`,
    );
  });

  test('a token name is not validated', () => {
    const stack = newStack();
    const name = new CfnParameter(stack, 'Name').valueAsString;
    expect(() => new IngestConfiguration(stack, 'Ingest', { ...rtmps, ingestConfigurationName: name })).not.toThrow();
  });

  test('a user ID longer than 128 characters', () => {
    const userId = 'u'.repeat(129);
    expect(ingestWith({ userId })).toThrow(
      `TestStack/Ingest: userId must be between 0 and 128 characters long, got 129 characters: '${userId}'`,
    );
  });

  test('a user ID of 128 emoji is accepted: IVS counts code points, not UTF-16 units', () => {
    // GIVEN 128 code points outside the BMP, 256 UTF-16 units
    const userId = '\u{1F3A5}'.repeat(128);

    // THEN
    expect(ingestWith({ userId })).not.toThrow();
  });

  test('attributes over 1 KB, counted in UTF-8 bytes', () => {
    // 'é' is two bytes: 2 + 1020 + 2 + 4 = 1028 bytes in 1025 characters
    expect(ingestWith({ attributes: { ab: 'x'.repeat(1020), é: 'éé' } })).toThrow(
      'TestStack/Ingest: attributes must be at most 1024 bytes of UTF-8 keys and values together, got 1028 bytes',
    );
  });

  test('attributes of exactly 1 KB are accepted', () => {
    expect(ingestWith({ attributes: { ab: 'x'.repeat(1022) } })).not.toThrow();
  });

  test('attributes with a token are not measured', () => {
    const stack = newStack();
    const value = new CfnParameter(stack, 'Value').valueAsString;
    expect(() => new IngestConfiguration(stack, 'Ingest', { ...rtmps, attributes: { a: 'x'.repeat(2000), b: value } })).not.toThrow();
  });

  test('a protocol outside the enum', () => {
    expect(ingestWith({ ingestProtocol: 'SRT' })).toThrow(
      "TestStack/Ingest: ingestProtocol values must be one of RTMP, RTMPS, got 'SRT'",
    );
  });

  test('RTMP with insecure ingest turned off', () => {
    expect(ingestWith({ ingestProtocol: IngestProtocol.RTMP, insecureIngest: false })).toThrow(
      'TestStack/Ingest: insecureIngest must be true with ingestProtocol RTMP (RTMP is unencrypted), got false',
    );
  });

  test.each([
    ['region', 'arn:aws:ivs:eu-west-1:111111111111:stage/AbCdEfGh1234', "stage must be in the ingest configuration's region (us-east-1), got a stage in eu-west-1"],
    ['account', 'arn:aws:ivs:us-east-1:222222222222:stage/AbCdEfGh1234', "stage must be in the ingest configuration's account (111111111111), got a stage in 222222222222"],
  ])('a stage in another %s', (_, stageArn, message) => {
    const stack = newStack();
    const stage = Stage.fromStageArn(stack, 'Stage', stageArn);
    expect(() => new IngestConfiguration(stack, 'Ingest', { ...rtmps, stage })).toThrow(`TestStack/Ingest: ${message}`);
  });

  test('a stage of an environment-agnostic stack is not compared', () => {
    const stack = new Stack(new App(), 'Agnostic');
    const stage = Stage.fromStageArn(stack, 'Stage', 'arn:aws:ivs:eu-west-1:222222222222:stage/AbCdEfGh1234');
    expect(() => new IngestConfiguration(stack, 'Ingest', { ...rtmps, stage })).not.toThrow();
  });

  describe('tags, checked at synth so that Tags.of() counts too', () => {
    function synthWithTags(tags: Record<string, string>, extra?: (stack: Stack) => void) {
      const stack = newStack();
      new IngestConfiguration(stack, 'Ingest', { ...rtmps, tags });
      extra?.(stack);
      return () => Template.fromStack(stack);
    }

    test('more than 49 tags, one of the 50 IVS allows being the creator tag', () => {
      const tags = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`key${i}`, 'v']));
      expect(synthWithTags(tags, (stack) => Tags.of(stack).add('one-more', 'v'))).toThrow("tags: at most 49 tags are allowed (IVS allows 50, and the library adds its 'cdk-ivs-realtime:creator' tag), got 50");
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

describe('adopting an existing ingest configuration (adoptArn)', () => {
  test('sends AdoptArn and no name, and retains the ingest configuration and its secret by default', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new IngestConfiguration(stack, 'Ingest', { adoptArn: INGEST_ARN, ingestProtocol: IngestProtocol.RTMPS });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResource(TYPE, { Properties: Match.objectLike({ AdoptArn: INGEST_ARN, Name: Match.absent() }), DeletionPolicy: 'Retain' });
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
  });

  test('an ingest configuration ARN of another region is refused at synth', () => {
    // WHEN / THEN
    expect(() => new IngestConfiguration(newStack(), 'Ingest', {
      adoptArn: 'arn:aws:ivs:eu-west-1:111111111111:ingest-configuration/AbCdEfGh1234', ingestProtocol: IngestProtocol.RTMPS,
    })).toThrow("adoptArn must be in the ingest configuration's region (us-east-1), got an ingest configuration in eu-west-1");
  });
});
