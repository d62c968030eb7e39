import { resolve, StackContext, Unresolved } from '../../cli/resolve';

/*
 * The deployed value of a template fragment, resolved as CloudFormation resolved it where the
 * stack says how, and an Unresolved where it does not.
 */

const STACK_ID = 'arn:aws:cloudformation:eu-west-1:111111111111:stack/Video/0f9e8d7c-0000-0000-0000-000000000000';
const STAGE_ARN = 'arn:aws:ivs:eu-west-1:111111111111:stage/AbCdEfGh1234';

const ctx: StackContext = {
  stackId: STACK_ID,
  parameters: { Env: 'prod', Secret: new Unresolved('Ref Secret (NoEcho)') },
  resources: {
    Stage: { type: 'Custom::IvsStage', physicalId: STAGE_ARN },
    Key: { type: 'AWS::KMS::Key', physicalId: '1234abcd-12ab-34cd-56ef-1234567890ab' },
    Bucket: { type: 'AWS::S3::Bucket', physicalId: 'recordings-bucket' },
    Queue: { type: 'AWS::SQS::Queue', physicalId: 'https://sqs.eu-west-1.amazonaws.com/111111111111/q' },
    Creating: { type: 'Custom::IvsStage' },
  },
  mappings: { Sizes: { prod: { Width: '1280' } } },
};

test.each<[string, unknown, unknown]>([
  ['a literal', 'town-hall', 'town-hall'],
  ['Ref to a resource: its physical ID', { Ref: 'Bucket' }, 'recordings-bucket'],
  ['Ref to a parameter: its value', { Ref: 'Env' }, 'prod'],
  ['Ref to pseudo parameters: from the stack ID', { 'Fn::Join': ['/', [{ Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }, { Ref: 'AWS::StackName' }, { Ref: 'AWS::Partition' }]] }, 'eu-west-1/111111111111/Video/aws'],
  ['Fn::GetAtt Arn of a library resource: its physical ID', { 'Fn::GetAtt': ['Stage', 'Arn'] }, STAGE_ARN],
  ['Fn::GetAtt Arn of a KMS key', { 'Fn::GetAtt': ['Key', 'Arn'] }, 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
  ['Fn::GetAtt Arn of a bucket, in the dotted form', { 'Fn::GetAtt': 'Bucket.Arn' }, 'arn:aws:s3:::recordings-bucket'],
  ['Fn::Sub with pseudo parameters, attributes, variables and a literal', {
    'Fn::Sub': ['${AWS::StackName}-${Stage.Arn}-${Size}-${!Keep}', { Size: { 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Width'] } }],
  }, `Video-${STAGE_ARN}-1280-\${Keep}`],
  ['Fn::Select of Fn::Split', { 'Fn::Select': [1, { 'Fn::Split': ['/', STAGE_ARN] }] }, 'AbCdEfGh1234'],
  ['Fn::Base64', { 'Fn::Base64': 'hi' }, 'aGk='],
  ['Ref AWS::NoValue: the member is left out', { Name: 'x', UserId: { Ref: 'AWS::NoValue' } }, { Name: 'x' }],
  ['nested objects and lists', { Tags: { env: { Ref: 'Env' } }, MediaTypes: ['AUDIO_VIDEO'] }, { Tags: { env: 'prod' }, MediaTypes: ['AUDIO_VIDEO'] }],
])('%s', (_, fragment, expected) => {
  expect(resolve(fragment, ctx)).toEqual(expected);
});

test.each<[string, unknown, string]>([
  ['another attribute of a resource', { 'Fn::GetAtt': ['Queue', 'Arn'] }, 'Fn::GetAtt Queue.Arn'],
  ['a resource with no physical ID yet', { Ref: 'Creating' }, 'Ref Creating'],
  ['an export of another stack', { 'Fn::ImportValue': 'shared-stage-arn' }, 'Fn::ImportValue "shared-stage-arn"'],
  ['a condition', { 'Fn::If': ['IsProd', 'a', 'b'] }, 'Fn::If ["IsProd","a","b"]'],
  ['a NoEcho parameter', { Ref: 'Secret' }, 'Ref Secret (NoEcho)'],
  ['a join with an unknown part, which names that part', { 'Fn::Join': ['-', ['a', { 'Fn::GetAtt': ['Queue', 'QueueName'] }]] }, 'Fn::GetAtt Queue.QueueName'],
  ['a Sub with an unknown part', { 'Fn::Sub': '${Queue.QueueName}-x' }, 'Fn::GetAtt Queue.QueueName'],
])('%s is unresolved, saying which expression', (_, fragment, expression) => {
  expect(resolve(fragment, ctx)).toEqual(new Unresolved(expression));
});
