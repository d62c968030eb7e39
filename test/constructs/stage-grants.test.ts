import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import { EncoderConfiguration, Stage, StageGrants, StorageConfiguration } from '../../src';

const ACCOUNT = '111111111111';
const STAGE_ARN = `arn:aws:ivs:us-east-1:${ACCOUNT}:stage/AbCdEfGh1234`;
const OTHER_STAGE_ARN = `arn:aws:ivs:us-east-1:${ACCOUNT}:stage/ZyXwVuTs9876`;
const ENCODER_ARN = `arn:aws:ivs:us-east-1:${ACCOUNT}:encoder-configuration/EnC0der12345`;
const STORAGE_ARN = `arn:aws:ivs:us-east-1:${ACCOUNT}:storage-configuration/St0rage12345`;

function newStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: ACCOUNT, region: 'us-east-1' } });
}

function grantee(stack: Stack): iam.Role {
  return new iam.Role(stack, 'Grantee', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
}

/** The statements of the grantee's default policy. */
function statements(stack: Stack): unknown[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  const [policy] = Object.values(policies) as Array<{ Properties: { PolicyDocument: { Statement: unknown[] } } }>;
  return policy.Properties.PolicyDocument.Statement;
}

describe('StageGrants on an imported stage', () => {
  test.each([
    ['createParticipantToken', (g: StageGrants, p: iam.IGrantable) => g.createParticipantToken(p), ['ivs:CreateParticipantToken']],
    ['disconnectParticipant', (g: StageGrants, p: iam.IGrantable) => g.disconnectParticipant(p), ['ivs:DisconnectParticipant']],
    ['read', (g: StageGrants, p: iam.IGrantable) => g.read(p), [
      'ivs:GetStage', 'ivs:GetStageSession', 'ivs:ListStageSessions', 'ivs:ListParticipants', 'ivs:GetParticipant', 'ivs:ListParticipantEvents',
    ]],
  ])('%s grants exactly its actions on the stage ARN', (_name, grant, actions) => {
    // GIVEN
    const stack = newStack();
    const stage = Stage.fromStageArn(stack, 'Stage', STAGE_ARN);

    // WHEN
    grant(StageGrants.fromStage(stage), grantee(stack));

    // THEN
    expect(statements(stack)).toEqual([
      { Effect: 'Allow', Action: actions.length === 1 ? actions[0] : actions, Resource: STAGE_ARN },
    ]);
  });

  test('actions with resourceArns grants on those ARNs instead of the stage', () => {
    // GIVEN
    const stack = newStack();
    const stage = Stage.fromStageArn(stack, 'Stage', STAGE_ARN);

    // WHEN
    StageGrants.fromStage(stage).actions(grantee(stack), ['ivs:GetStage'], { resourceArns: [OTHER_STAGE_ARN] });

    // THEN
    expect(statements(stack)).toEqual([{ Effect: 'Allow', Action: 'ivs:GetStage', Resource: OTHER_STAGE_ARN }]);
  });

  test('replicateParticipants grants start and stop on the source and the destination stage only', () => {
    // GIVEN
    const stack = newStack();
    const source = Stage.fromStageArn(stack, 'Source', STAGE_ARN);
    const destination = Stage.fromStageArn(stack, 'Destination', OTHER_STAGE_ARN);

    // WHEN
    source.grants.replicateParticipants(grantee(stack), destination);

    // THEN
    expect(statements(stack)).toEqual([{
      Effect: 'Allow',
      Action: ['ivs:StartParticipantReplication', 'ivs:StopParticipantReplication'],
      Resource: [STAGE_ARN, OTHER_STAGE_ARN],
    }]);
  });
});

describe('startComposition', () => {
  test('with an encoder configuration and a storage configuration grants exactly what StartComposition checks, and managing compositions', () => {
    // GIVEN
    const stack = newStack();
    const stage = Stage.fromStageArn(stack, 'Stage', STAGE_ARN);
    const encoder = EncoderConfiguration.fromEncoderConfigurationArn(stack, 'Encoder', ENCODER_ARN);
    const storage = StorageConfiguration.fromStorageConfigurationArn(stack, 'Storage', STORAGE_ARN);

    // WHEN
    stage.grants.startComposition(grantee(stack), { encoderConfigurations: [encoder], storageConfiguration: storage });

    // THEN
    expect(statements(stack)).toEqual([
      { Effect: 'Allow', Action: 'ivs:StartComposition', Resource: [STAGE_ARN, ENCODER_ARN, STORAGE_ARN] },
      {
        Effect: 'Allow',
        Action: ['ivs:GetComposition', 'ivs:StopComposition'],
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ivs:us-east-1:${ACCOUNT}:composition/*`]] },
      },
      { Effect: 'Allow', Action: 'ivs:ListCompositions', Resource: [STAGE_ARN, ENCODER_ARN] },
    ]);
  });

  test('with a channel adds the channel, and L1s work for every resource', () => {
    // GIVEN
    const stack = newStack();
    const stage = new ivs.CfnStage(stack, 'Stage', {});
    const encoder = new ivs.CfnEncoderConfiguration(stack, 'Encoder', {});
    const channel = new ivs.CfnChannel(stack, 'Channel', {});

    // WHEN
    StageGrants.fromStage(stage).startComposition(grantee(stack), { encoderConfigurations: [encoder], channel });

    // THEN
    expect(statements(stack)[0]).toEqual({
      Effect: 'Allow',
      Action: 'ivs:StartComposition',
      Resource: [{ Ref: 'Stage' }, { Ref: 'Encoder' }, { Ref: 'Channel' }],
    });
  });

  test('compositions are those of the stage\'s account and region, for a stage imported from elsewhere', () => {
    // GIVEN
    const stack = newStack();
    const stage = Stage.fromStageArn(stack, 'Stage', 'arn:aws:ivs:eu-west-1:222222222222:stage/AbCdEfGh1234');
    const encoder = EncoderConfiguration.fromEncoderConfigurationArn(stack, 'Encoder',
      'arn:aws:ivs:eu-west-1:222222222222:encoder-configuration/EnC0der12345');

    // WHEN
    stage.grants.startComposition(grantee(stack), { encoderConfigurations: [encoder] });

    // THEN
    expect(statements(stack)[1]).toEqual(expect.objectContaining({
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ivs:eu-west-1:222222222222:composition/*']] },
    }));
  });

  test.each([
    ['region', 'arn:aws:ivs:eu-west-1:111111111111:encoder-configuration/EnC0der12345',
      "encoderConfigurations[0] must be in the stage's region (us-east-1), got an encoder configuration in eu-west-1"],
    ['account', 'arn:aws:ivs:us-east-1:222222222222:encoder-configuration/EnC0der12345',
      "encoderConfigurations[0] must be in the stage's account (111111111111), got an encoder configuration in 222222222222"],
  ])('an encoder configuration in another %s is an error', (_, encoderArn, message) => {
    // GIVEN
    const stack = newStack();
    const stage = Stage.fromStageArn(stack, 'Stage', STAGE_ARN);
    const encoder = EncoderConfiguration.fromEncoderConfigurationArn(stack, 'Encoder', encoderArn);

    // WHEN / THEN
    expect(() => stage.grants.startComposition(grantee(stack), { encoderConfigurations: [encoder] })).toThrow(`TestStack/Stage: ${message}`);
  });

  test('a storage configuration in another region is an error', () => {
    // GIVEN
    const stack = newStack();
    const stage = Stage.fromStageArn(stack, 'Stage', STAGE_ARN);
    const encoder = EncoderConfiguration.fromEncoderConfigurationArn(stack, 'Encoder', ENCODER_ARN);
    const storageConfiguration = StorageConfiguration.fromStorageConfigurationArn(stack, 'Storage',
      `arn:aws:ivs:eu-west-1:${ACCOUNT}:storage-configuration/St0rage12345`);

    // WHEN / THEN
    expect(() => stage.grants.startComposition(grantee(stack), { encoderConfigurations: [encoder], storageConfiguration })).toThrow(
      "TestStack/Stage: storageConfiguration must be in the stage's region (us-east-1), got a storage configuration in eu-west-1",
    );
  });

  test('without an encoder configuration is an error', () => {
    // GIVEN
    const stack = newStack();
    const stage = Stage.fromStageArn(stack, 'Stage', STAGE_ARN);

    // WHEN / THEN
    expect(() => stage.grants.startComposition(grantee(stack), { encoderConfigurations: [] })).toThrow(
      'TestStack/Stage: encoderConfigurations must hold at least one encoder configuration (IAM checks StartComposition against one), got none',
    );
  });
});

describe('the grant methods of a Stage delegate to its grants', () => {
  test('grantCreateParticipantToken and grants.createParticipantToken make the same statement', () => {
    // GIVEN
    const viaMethod = newStack();
    const viaFacade = newStack();

    // WHEN
    new Stage(viaMethod, 'Stage').grantCreateParticipantToken(grantee(viaMethod));
    new Stage(viaFacade, 'Stage').grants.createParticipantToken(grantee(viaFacade));

    // THEN
    expect(statements(viaMethod)).toEqual(statements(viaFacade));
    expect(statements(viaMethod)).toEqual([
      { Effect: 'Allow', Action: 'ivs:CreateParticipantToken', Resource: { 'Fn::GetAtt': ['Stage0E8C2AF5', 'Arn'] } },
    ]);
  });
});
