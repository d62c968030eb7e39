import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  ParticipantCapability, PublicKey, PublicKeyMaterial, RecordingMediaType, RoomCapabilityPolicy, StageRooms, StageRoomsProps, StorageConfiguration,
} from '../../src';

function newStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'us-east-1' } });
}

function kmsKey(stack: Stack): PublicKey {
  return new PublicKey(stack, 'Key', { publicKeyMaterial: PublicKeyMaterial.generateInKms() });
}

function rooms(stack: Stack, props: Partial<StageRoomsProps> = {}): StageRooms {
  return new StageRooms(stack, 'Rooms', { signingKey: kmsKey(stack), ...props });
}

const idOf = (stack: Stack, construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as any);

function functionProps(stack: Stack, description: RegExp | string): any {
  const fns = Template.fromStack(stack).findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp(String(description)) } });
  expect(Object.keys(fns)).toHaveLength(1);
  return Object.values(fns)[0].Properties;
}

/** Every statement of a role, across its policies. */
function roleStatements(stack: Stack, roleId: string): any[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}
const roleIdOf = (stack: Stack, r: StageRooms, id: string) => idOf(stack, r.node.findChild(`${id}ServiceRole`) as iam.Role);

describe('the table', () => {
  test('is on-demand, with point-in-time recovery and encryption, keyed by roomKey, and kept when the stack goes by default', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    rooms(stack);

    // THEN
    const template = Template.fromStack(stack);
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        KeySchema: [{ AttributeName: 'roomKey', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'roomKey', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('takes the removal policy and the customer-managed key the user gives', () => {
    // GIVEN
    const stack = newStack();
    const key = new kms.Key(stack, 'TableKey');

    // WHEN
    rooms(stack, { tableRemovalPolicy: RemovalPolicy.DESTROY, tableEncryptionKey: key });

    // THEN
    Template.fromStack(stack).hasResource('AWS::DynamoDB::Table', {
      Properties: { SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [idOf(stack, key), 'Arn'] } } },
      DeletionPolicy: 'Delete',
    });
  });

  test('an imported table is used instead of a new one', () => {
    // GIVEN
    const stack = newStack();
    const table = dynamodb.Table.fromTableName(stack, 'Existing', 'my-rooms');

    // WHEN
    const r = rooms(stack, { table });

    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::DynamoDB::Table', 0);
    expect(r.table).toBe(table);
    expect(functionProps(stack, 'joins rooms on demand').Environment.Variables.ROOMS_TABLE).toBe('my-rooms');
  });
});

describe('the join function', () => {
  test('gets the table, the rooms ID, the stage settings and the signing key in its environment', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const r = rooms(stack, { stageTags: { app: 'classes' }, stageNamePrefix: 'class-' });

    // THEN
    const env = functionProps(stack, 'joins rooms on demand').Environment.Variables;
    expect(env).toMatchObject({
      ROOMS_TABLE: { Ref: idOf(stack, r.table as dynamodb.Table) },
      ROOMS_ID: r.roomsId,
      ROOMS_STAGE_NAME_PREFIX: 'class-',
      ROOMS_STAGE_TAGS: '{"app":"classes"}',
      TOKEN_SIGNING: 'KMS',
      ROOMS_CLAIM_STALE_SECONDS: '120',
    });
    expect(r.roomsId).toMatch(/^[0-9a-f]{16}$/);
  });

  test('may create stages only with its rooms tag, and use the table and the KMS key; no DeleteStage', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const r = rooms(stack);

    // THEN
    const statements = roleStatements(stack, roleIdOf(stack, r, 'Join'));
    expect(statements).toContainEqual(expect.objectContaining({
      Action: ['ivs:CreateStage', 'ivs:TagResource'],
      Condition: { StringLike: { 'aws:RequestTag/cdk-ivs-realtime:rooms': `${r.roomsId}/*` } },
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ivs:us-east-1:111111111111:stage/*']] },
    }));
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['kms:Sign', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']));
    expect(actions.filter((a) => a.startsWith('ivs:'))).toEqual(['ivs:CreateStage', 'ivs:TagResource']);
  });

  test('records participants on every stage into the storage configuration given', () => {
    // GIVEN
    const stack = newStack();
    const storage = new StorageConfiguration(stack, 'Storage', { bucket: new s3.Bucket(stack, 'Bucket') });

    // WHEN
    rooms(stack, { autoParticipantRecording: { storageConfiguration: storage, mediaTypes: [RecordingMediaType.AUDIO_ONLY] } });

    // THEN
    const recording = JSON.stringify(functionProps(stack, 'joins rooms on demand').Environment.Variables.ROOMS_STAGE_RECORDING);
    expect(recording).toContain('AUDIO_ONLY');
    expect(recording).toContain(idOf(stack, storage));
  });

  test('grantJoin lets a backend invoke the function, and its URL when there is one', () => {
    // GIVEN
    const stack = newStack();
    const r = rooms(stack, { functionUrl: true });
    const backend = new iam.Role(stack, 'Backend', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

    // WHEN
    r.grantJoin(backend);

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM' });
    const actions = roleStatements(stack, idOf(stack, backend)).flatMap((s) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl']));
  });

  test('grantJoin names the join function\'s unqualified ARN alone: no :* of versions and aliases for cdk-nag to report', () => {
    // GIVEN
    const stack = newStack();
    const r = rooms(stack);
    const backend = new iam.Role(stack, 'Backend', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

    // WHEN
    r.grantJoin(backend);

    // THEN
    expect(roleStatements(stack, idOf(stack, backend))).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [idOf(stack, r.joinFunction as any), 'Arn'] } },
    ]);
  });
});

describe('the janitor', () => {
  test('runs on the schedule given, with the idle timeout in seconds', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    rooms(stack, { idleTimeout: Duration.hours(24), janitorInterval: Duration.minutes(30) });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(30 minutes)' });
    expect(functionProps(stack, 'deletes the stages of idle rooms').Environment.Variables.ROOMS_IDLE_SECONDS).toBe('86400');
  });

  test('may delete only stages with its rooms tag, and sends failed runs to a dead-letter queue', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const r = rooms(stack);

    // THEN
    const statements = roleStatements(stack, roleIdOf(stack, r, 'Janitor'));
    expect(statements).toContainEqual(expect.objectContaining({
      Action: 'ivs:DeleteStage',
      Condition: { StringLike: { 'aws:ResourceTag/cdk-ivs-realtime:rooms': `${r.roomsId}/*` } },
    }));
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('ivs:')).sort())
      .toEqual(['ivs:DeleteStage', 'ivs:GetStage', 'ivs:ListStages']);
    expect(functionProps(stack, 'deletes the stages of idle rooms').DeadLetterConfig).toEqual({ TargetArn: expect.anything() });
  });

  test('grantClose lets a backend invoke the janitor', () => {
    // GIVEN
    const stack = newStack();
    const r = rooms(stack);
    const backend = new iam.Role(stack, 'Backend', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

    // WHEN
    r.grantClose(backend);

    // THEN: its unqualified ARN alone
    expect(roleStatements(stack, idOf(stack, backend))).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [idOf(stack, r.janitorFunction as any), 'Arn'] } },
    ]);
  });

  test('two StageRooms, or one app deployed as two stacks, have different rooms IDs', () => {
    // GIVEN
    const app = new App();
    const dev = new Stack(app, 'Dev', { stackName: 'classes-dev' });
    const prod = new Stack(app, 'Prod', { stackName: 'classes-prod' });

    // WHEN
    const ids = [rooms(dev).roomsId, rooms(prod).roomsId, new StageRooms(prod, 'Other', {
      signingKey: PublicKey.fromPublicKeyAttributes(prod, 'K', {
        publicKeyArn: 'arn:aws:ivs:us-east-1:111111111111:public-key/abc', kmsKey: kms.Key.fromKeyArn(prod, 'KK', 'arn:aws:kms:us-east-1:111111111111:key/abc'),
      }),
    }).roomsId];

    // THEN
    expect(new Set(ids).size).toBe(3);
  });
});

describe('the browser endpoint', () => {
  test('is an HTTP API whose JWT authorizer names the issuer and audience given, in front of POST /join', () => {
    // GIVEN
    const stack = newStack();
    const issuer = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123';

    // WHEN
    const r = rooms(stack, { browserEndpoint: { jwtIssuer: issuer, jwtAudience: ['app-client-1'] } });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: issuer, Audience: ['app-client-1'] },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /join', AuthorizationType: 'JWT' });
    expect(r.joinUrl).toBeDefined();
  });

  test('gives the join function the capability policy', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    rooms(stack, {
      browserEndpoint: {
        jwtIssuer: 'https://issuer.example.com',
        jwtAudience: ['a'],
        capabilityPolicy: RoomCapabilityPolicy.byClaim({ claim: 'cognito:groups', values: ['host'] }),
      },
    });

    // THEN
    expect(JSON.parse(functionProps(stack, 'joins rooms on demand').Environment.Variables.ROOMS_CAPABILITY_POLICY)).toEqual({
      capabilities: [ParticipantCapability.SUBSCRIBE], claim: 'cognito:groups', values: ['host'], granted: ['PUBLISH', 'SUBSCRIBE'],
    });
  });

  test('without it, browsers get subscribe only and there is no API', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    rooms(stack);

    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::ApiGatewayV2::Api', 0);
    expect(JSON.parse(functionProps(stack, 'joins rooms on demand').Environment.Variables.ROOMS_CAPABILITY_POLICY)).toEqual({ capabilities: ['SUBSCRIBE'] });
  });
});

describe('bad props fail at synth, naming the prop', () => {
  test.each<[string, Partial<StageRoomsProps>, RegExp]>([
    ['an idle timeout under 5 minutes', { idleTimeout: Duration.minutes(4) }, /idleTimeout must be a whole number of minutes from 5 to 43200 \(30 days\), got 4 minutes/],
    ['an idle timeout over 30 days', { idleTimeout: Duration.days(31) }, /idleTimeout must be a whole number of minutes from 5 to 43200/],
    ['an idle timeout of seconds', { idleTimeout: Duration.seconds(330) }, /idleTimeout must be a whole number of minutes/],
    ['a janitor interval over a day', { janitorInterval: Duration.hours(25) }, /janitorInterval must be a whole number of minutes from 1 to 1440 \(1 day\)/],
    ['a prefix with a dot', { stageNamePrefix: 'room.' }, /stageNamePrefix must match/],
    ['a prefix too long', { stageNamePrefix: 'x'.repeat(29) }, /stageNamePrefix must be between 0 and 28 characters long/],
    ['the rooms tag among the stage tags', { stageTags: { 'cdk-ivs-realtime:rooms': 'x' } }, /stageTags: the key 'cdk-ivs-realtime:rooms' is the construct's own/],
    ['an aws: tag', { stageTags: { 'aws:x': 'y' } }, /tags: keys must not start with 'aws:'/],
    ['a browser endpoint without an audience', { browserEndpoint: { jwtIssuer: 'https://issuer.example.com', jwtAudience: [] } }, /browserEndpoint.jwtAudience must name at least one audience/],
  ])('%s', (_label, props, message) => {
    // GIVEN
    const stack = newStack();

    // WHEN / THEN
    expect(() => rooms(stack, props)).toThrow(message);
  });

  test('a key whose private half is not in AWS cannot sign', () => {
    // GIVEN
    const stack = newStack();
    const key = PublicKey.fromPublicKeyArn(stack, 'Imported', 'arn:aws:ivs:us-east-1:111111111111:public-key/abc');

    // WHEN / THEN
    expect(() => new StageRooms(stack, 'Rooms', { signingKey: key })).toThrow(/signingKey must be backed by KMS/);
  });
});
