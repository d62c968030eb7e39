import { generateKeyPairSync } from 'node:crypto';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ParticipantTokenIssuer, ParticipantTokenSigning, PublicKey, PublicKeyMaterial, Stage } from '../../src';
import { latestNodeRuntimeIn } from '../node-runtime';

const STAGE_ARN = 'arn:aws:ivs:us-east-1:111111111111:stage/abcdEFGH1234';

function newStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'us-east-1' } });
}

const idOf = (stack: Stack, construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as any);

/** Every statement of the issuer's role, across its policies. */
function roleStatements(stack: Stack, issuer: ParticipantTokenIssuer): any[] {
  const roleId = idOf(stack, issuer.node.findChild('ServiceRole') as iam.Role);
  const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(roleId));
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

const actionsOf = (statements: any[]) => statements.flatMap((s) => [s.Action].flat()).sort();

function issuerEnvironment(stack: Stack): Record<string, unknown> {
  const fns = Template.fromStack(stack).findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('mints participant tokens') } });
  expect(Object.keys(fns)).toHaveLength(1);
  return Object.values(fns)[0].Properties.Environment.Variables;
}

describe('signing with a KMS-backed key', () => {
  test('the function gets the signing mode, the KMS key, the public key ARN and the stages with their endpoints', () => {
    // GIVEN
    const stack = newStack();
    const stage = new Stage(stack, 'Stage');
    const key = new PublicKey(stack, 'Key', { publicKeyMaterial: PublicKeyMaterial.generateInKms() });

    // WHEN
    new ParticipantTokenIssuer(stack, 'Tokens', { stages: [stage], signingKey: key });

    // THEN
    const env = issuerEnvironment(stack);
    expect(env.TOKEN_SIGNING).toBe('KMS');
    expect(env.KMS_KEY_ARN).toEqual({ 'Fn::GetAtt': [idOf(stack, key.kmsKey!), 'Arn'] });
    expect(env.PUBLIC_KEY_ARN).toEqual({ 'Fn::GetAtt': [idOf(stack, key), 'Arn'] });
    expect(env.PRIVATE_KEY_SECRET_ARN).toBeUndefined();
    const stages = JSON.stringify(env.STAGES);
    for (const attribute of ['Arn', 'EventsEndpoint', 'WhipEndpoint']) {
      expect(stages).toContain(JSON.stringify([idOf(stack, stage), attribute]).slice(1, -1));
    }
  });

  test('the role may sign with that KMS key and write its own log group, and nothing else', () => {
    // GIVEN
    const stack = newStack();
    const stage = new Stage(stack, 'Stage');
    const key = new PublicKey(stack, 'Key', { publicKeyMaterial: PublicKeyMaterial.generateInKms() });

    // WHEN
    const issuer = new ParticipantTokenIssuer(stack, 'Tokens', { stages: [stage], signingKey: key });

    // THEN
    const statements = roleStatements(stack, issuer);
    expect(actionsOf(statements)).toEqual(['kms:Sign', 'logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(statements.find((s) => s.Action === 'kms:Sign').Resource).toEqual({ 'Fn::GetAtt': [idOf(stack, key.kmsKey!), 'Arn'] });
    const logGroupId = idOf(stack, issuer.node.findChild('LogGroup') as logs.LogGroup);
    expect(statements.find((s) => JSON.stringify(s.Action).includes('logs:')).Resource).toEqual({ 'Fn::GetAtt': [logGroupId, 'Arn'] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] }),
      ManagedPolicyArns: Match.absent(),
      Description: Match.stringLikeRegexp('participant token issuer'),
    });
  });
});

describe('signing with a generated key', () => {
  test('the function reads the key\'s secret, and may read only that secret', () => {
    // GIVEN
    const stack = newStack();
    const stage = new Stage(stack, 'Stage');
    const key = new PublicKey(stack, 'Key');

    // WHEN
    const issuer = new ParticipantTokenIssuer(stack, 'Tokens', { stages: [stage], signingKey: key });

    // THEN
    const env = issuerEnvironment(stack);
    expect(env.TOKEN_SIGNING).toBe('SECRET');
    expect(env.PRIVATE_KEY_SECRET_ARN).toEqual({ Ref: idOf(stack, key.privateKeySecret!) });
    expect(env.KMS_KEY_ARN).toBeUndefined();
    const statements = roleStatements(stack, issuer);
    expect(actionsOf(statements)).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(statements.find((s) => JSON.stringify(s.Action).includes('secretsmanager')).Resource).toEqual({ Ref: idOf(stack, key.privateKeySecret!) });
  });

  test('a key given as a PEM cannot sign, and the error says what can', () => {
    // GIVEN
    const stack = newStack();
    const stage = new Stage(stack, 'Stage');
    const pem = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const key = new PublicKey(stack, 'Key', { publicKeyMaterial: PublicKeyMaterial.fromPem(pem) });

    // WHEN / THEN
    expect(() => new ParticipantTokenIssuer(stack, 'Tokens', { stages: [stage], signingKey: key }))
      .toThrow(/TestStack\/Tokens: signingKey must be backed by KMS .* or generated .*, got a key whose private key is not in AWS/);
  });
});

describe('tokens from the API', () => {
  test('without a key the function calls CreateParticipantToken, allowed on its stages only, and gets no endpoints', () => {
    // GIVEN
    const stack = newStack();
    const one = new Stage(stack, 'One');
    const two = Stage.fromStageArn(stack, 'Two', STAGE_ARN);

    // WHEN
    const issuer = new ParticipantTokenIssuer(stack, 'Tokens', { stages: [one, two] });

    // THEN
    const env = issuerEnvironment(stack);
    expect(env.TOKEN_SIGNING).toBe('API');
    expect(JSON.stringify(env.STAGES)).not.toMatch(/Endpoint/);
    const statements = roleStatements(stack, issuer).filter((s) => s.Action === 'ivs:CreateParticipantToken');
    expect(statements.map((s) => s.Resource)).toEqual([{ 'Fn::GetAtt': [idOf(stack, one), 'Arn'] }, STAGE_ARN]);
    expect(actionsOf(roleStatements(stack, issuer))).toEqual([
      'ivs:CreateParticipantToken', 'ivs:CreateParticipantToken', 'logs:CreateLogStream', 'logs:PutLogEvents',
    ]);
  });
});

describe('stages', () => {
  test('an imported stage without endpoints cannot get self-signed tokens', () => {
    // GIVEN
    const stack = newStack();
    const key = new PublicKey(stack, 'Key', { publicKeyMaterial: PublicKeyMaterial.generateInKms() });
    const stage = Stage.fromStageArn(stack, 'Imported', STAGE_ARN);

    // WHEN / THEN
    expect(() => new ParticipantTokenIssuer(stack, 'Tokens', { stages: [stage], signingKey: key })).toThrow(/eventsEndpoint of an imported stage is not known/);
  });

  test('an imported stage with its endpoints gets them into the environment', () => {
    // GIVEN
    const stack = newStack();
    const key = new PublicKey(stack, 'Key', { publicKeyMaterial: PublicKeyMaterial.generateInKms() });
    const stage = Stage.fromStageAttributes(stack, 'Imported', {
      stageArn: STAGE_ARN,
      eventsEndpoint: 'wss://global.events.live-video.net',
      whipEndpoint: 'https://1a2b3c4d5e6f.global-bm.whip.live-video.net',
    });

    // WHEN
    new ParticipantTokenIssuer(stack, 'Tokens', { stages: [stage], signingKey: key });

    // THEN
    expect(issuerEnvironment(stack).STAGES).toBe(JSON.stringify([{
      arn: STAGE_ARN, events: 'wss://global.events.live-video.net', whip: 'https://1a2b3c4d5e6f.global-bm.whip.live-video.net',
    }]));
  });

  test.each([
    ['no stages', 0, undefined, 'stages must hold 1 to 40 stages for API tokens, got 0'],
    ['more stages than the environment holds for self-signed tokens', 17, 'kms', 'stages must hold 1 to 16 stages for self-signed tokens, got 17'],
    ['more stages than the environment holds for API tokens', 41, undefined, 'stages must hold 1 to 40 stages for API tokens, got 41'],
  ])('%s is an error', (_, count, signing, message) => {
    // GIVEN
    const stack = newStack();
    const stages = Array.from({ length: count }, (__, i) => Stage.fromStageArn(stack, `Stage${i}`, `${STAGE_ARN.slice(0, -2)}${String(i).padStart(2, '0')}`));
    const signingKey = signing ? new PublicKey(stack, 'Key', { publicKeyMaterial: PublicKeyMaterial.generateInKms() }) : undefined;

    // WHEN / THEN
    expect(() => new ParticipantTokenIssuer(stack, 'Tokens', { stages, signingKey })).toThrow(`TestStack/Tokens: ${message}`);
  });
});

describe('invoking', () => {
  test('grantInvoke grants invoking the function only', () => {
    // GIVEN
    const stack = newStack();
    const issuer = new ParticipantTokenIssuer(stack, 'Tokens', { stages: [new Stage(stack, 'Stage')] });
    const backend = new iam.Role(stack, 'Backend', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

    // WHEN
    issuer.grantInvoke(backend);

    // THEN: the unqualified ARN alone; the issuer publishes no version or alias
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: idOf(stack, backend) }],
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [idOf(stack, issuer.issuerFunction), 'Arn'] } }] },
    });
  });

  test('grantInvoke to a service principal adds a permission to the function, as lambda.Function does', () => {
    // GIVEN
    const stack = newStack();
    const issuer = new ParticipantTokenIssuer(stack, 'Tokens', { stages: [new Stage(stack, 'Stage')] });

    // WHEN
    issuer.grantInvoke(new iam.ServicePrincipal('apigateway.amazonaws.com'));

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
    });
  });

  test('functionUrl adds a URL with IAM authorization, and grantInvokeUrl grants calling it', () => {
    // GIVEN
    const stack = newStack();
    const issuer = new ParticipantTokenIssuer(stack, 'Tokens', { stages: [new Stage(stack, 'Stage')], functionUrl: true });
    const backend = new iam.Role(stack, 'Backend', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

    // WHEN
    issuer.grantInvokeUrl(backend);

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM' });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: idOf(stack, backend) }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'lambda:InvokeFunctionUrl' })]) },
    });
    expect(issuer.functionUrl).toBeDefined();
  });

  test('no function URL by default, and grantInvokeUrl is then an error', () => {
    // GIVEN
    const stack = newStack();
    const issuer = new ParticipantTokenIssuer(stack, 'Tokens', { stages: [new Stage(stack, 'Stage')] });

    // WHEN / THEN
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Url', 0);
    expect(() => issuer.grantInvokeUrl(new iam.AccountRootPrincipal())).toThrow('grantInvokeUrl needs a function URL: set functionUrl: true');
  });

  test('the function deploys the pre-bundled issuer, not the handler bundle, on a current Node.js runtime', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const issuer = new ParticipantTokenIssuer(stack, 'Tokens', { stages: [new Stage(stack, 'Stage')] });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: latestNodeRuntimeIn('us-east-1'),
      Description: 'cdk-ivs-realtime: mints participant tokens (API)',
    });
    expect(issuer.signingMode).toBe(ParticipantTokenSigning.API);
    const fns = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));
    expect(new Set(fns.map((fn) => JSON.stringify(fn.Properties.Code))).size).toBe(2);
  });
});

describe('the template', () => {
  test('holds no secret value: the KMS mode has no secret at all, and the other modes name theirs by ARN only', () => {
    // GIVEN
    const stack = newStack();
    const stage = new Stage(stack, 'Stage');
    const key = new PublicKey(stack, 'Key', { publicKeyMaterial: PublicKeyMaterial.generateInKms() });

    // WHEN
    new ParticipantTokenIssuer(stack, 'Tokens', { stages: [stage], signingKey: key });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/PRIVATE KEY/);
  });
});

test('its own log group keeps events for a year and is deleted with the stack', () => {
  // GIVEN
  const stack = newStack();

  // WHEN
  new ParticipantTokenIssuer(stack, 'Tokens', { stages: [new Stage(stack, 'Stage')] });

  // THEN
  const groups = Object.entries(Template.fromStack(stack).findResources('AWS::Logs::LogGroup')).filter(([id]) => id.startsWith('Tokens'));
  expect(groups.map(([, group]) => [group.DeletionPolicy, group.Properties.RetentionInDays])).toEqual([['Delete', 365]]);
});

describe('scanner suppressions', () => {
  test('the function explains, in its own metadata, each checkov and cfn-lint finding that does not apply', () => {
    // GIVEN
    const stack = newStack();
    new ParticipantTokenIssuer(stack, 'Tokens', { stages: [new Stage(stack, 'Stage')] });

    // WHEN
    const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } }));

    // THEN
    expect(fn.Metadata.checkov.skip.map((skip: { id: string }) => skip.id)).toEqual(['CKV_AWS_116', 'CKV_AWS_115', 'CKV_AWS_117', 'CKV_AWS_173']);
    expect(fn.Metadata.checkov.skip.every((skip: { comment: string }) => skip.comment.length > 40)).toBe(true);
    expect(Object.keys(fn.Metadata['cfn-lint'].comments)).toEqual(fn.Metadata['cfn-lint'].config.ignore_checks);
    expect(fn.Metadata['cfn-lint'].config.ignore_checks).toEqual(['W3005']);
  });

  test('its own log group explains CKV_AWS_158; a log group the user gives is left as it is', () => {
    // GIVEN
    const stack = newStack();
    const stage = new Stage(stack, 'Stage');
    new ParticipantTokenIssuer(stack, 'Own', { stages: [stage] });
    const given = new logs.LogGroup(stack, 'Given');
    new ParticipantTokenIssuer(stack, 'WithGiven', { stages: [stage], logGroup: given });

    // WHEN
    const groups = Template.fromStack(stack).findResources('AWS::Logs::LogGroup');

    // THEN
    expect(groups[stack.getLogicalId(given.node.defaultChild as logs.CfnLogGroup)].Metadata?.checkov).toBeUndefined();
    const own = Object.entries(groups).filter(([id]) => id.startsWith('OwnLogGroup'));
    expect(own).toHaveLength(1);
    expect(own[0][1].Metadata.checkov.skip.map((skip: { id: string }) => skip.id)).toEqual(['CKV_AWS_158']);
  });
});

describe('environment', () => {
  const OTHER_REGION_STAGE = 'arn:aws:ivs:eu-west-1:111111111111:stage/AbCdEfGh1234';
  const OTHER_ACCOUNT_STAGE = 'arn:aws:ivs:us-east-1:222222222222:stage/AbCdEfGh1234';

  test.each([
    ['region', OTHER_REGION_STAGE, "stages[1] must be in the token issuer's region (us-east-1), got a stage in eu-west-1"],
    ['account', OTHER_ACCOUNT_STAGE, "stages[1] must be in the token issuer's account (111111111111), got a stage in 222222222222"],
  ])('a stage in another %s is an error: its participants could not join with the tokens', (_, arn, message) => {
    // GIVEN
    const stack = newStack();
    const stages = [new Stage(stack, 'Stage'), Stage.fromStageArn(stack, 'Other', arn)];

    // WHEN / THEN
    expect(() => new ParticipantTokenIssuer(stack, 'Tokens', { stages })).toThrow(`TestStack/Tokens: ${message}`);
  });

  test('a signing key in another region is an error: IVS checks a token against the keys of the stage\'s region', () => {
    // GIVEN
    const stack = newStack();
    const signingKey = PublicKey.fromPublicKeyAttributes(stack, 'Key', {
      publicKeyArn: 'arn:aws:ivs:eu-west-1:111111111111:public-key/AbCdEfGh1234',
      kmsKey: new kms.Key(stack, 'Kms', { keySpec: kms.KeySpec.ECC_NIST_P384, keyUsage: kms.KeyUsage.SIGN_VERIFY }),
    });

    // WHEN / THEN
    expect(() => new ParticipantTokenIssuer(stack, 'Tokens', { stages: [new Stage(stack, 'Stage')], signingKey })).toThrow(
      "TestStack/Tokens: signingKey must be in the token issuer's region (us-east-1), got a key in eu-west-1",
    );
  });

  test('in an environment-agnostic stack nothing is checked: the stage\'s region is known, the stack\'s is not', () => {
    // GIVEN
    const stack = new Stack(new App(), 'TestStack');
    const stages = [Stage.fromStageAttributes(stack, 'Other', { stageArn: OTHER_REGION_STAGE })];

    // WHEN / THEN
    expect(() => new ParticipantTokenIssuer(stack, 'Tokens', { stages })).not.toThrow();
  });

  test('a stack in a region without IVS Real-Time is an error listing the regions that have it', () => {
    // GIVEN
    const stack = new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'eu-north-1' } });
    const stages = [Stage.fromStageArn(stack, 'Stage', 'arn:aws:ivs:us-east-1:111111111111:stage/AbCdEfGh1234')];

    // WHEN / THEN
    expect(() => new ParticipantTokenIssuer(stack, 'Tokens', { stages })).toThrow(
      "TestStack/Tokens: the region of stack TestStack must be one of the AWS Regions with an IVS Real-Time endpoint (us-east-1, us-west-2, ap-south-1, ap-northeast-1, ap-northeast-2, eu-central-1, eu-west-1), got 'eu-north-1'",
    );
  });
});
