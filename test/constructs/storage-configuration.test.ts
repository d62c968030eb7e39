import { App, CfnParameter, NestedStack, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ownStatements } from './handler-statements';
import { Stage, StorageConfiguration, StorageConfigurationProps } from '../../src';
import { latestNodeRuntimeIn } from '../node-runtime';

const ARN = 'arn:aws:ivs:us-east-1:111111111111:storage-configuration/AbCdEfGh1234';
const TYPE = 'Custom::IvsStorageConfiguration';
const BUCKET_POLICY_ACTIONS = ['s3:GetBucketLocation', 's3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy'];

function newStack(app = new App(), id = 'TestStack'): Stack {
  return new Stack(app, id, { env: { account: '111111111111', region: 'us-east-1' } });
}

function importedBucket(stack: Stack, name = 'recordings-bucket', id = 'Bucket'): s3.IBucket {
  return s3.Bucket.fromBucketName(stack, id, name);
}

const getAtt = (stack: Stack, construct: { node: { defaultChild?: unknown } }, attribute: string) =>
  ({ 'Fn::GetAtt': [stack.getLogicalId(construct.node.defaultChild as any), attribute] });

describe('rendering', () => {
  test('a storage configuration gets a generated valid name and its bucket name, and nothing else', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new StorageConfiguration(stack, 'Recordings', { bucket: importedBucket(stack) });

    // THEN
    Template.fromStack(stack).hasResourceProperties(TYPE, {
      Name: 'TestStack-Recordings-6A0BC8A6',
      S3: { BucketName: 'recordings-bucket' },
      Tags: Match.absent(),
    });
  });

  test('the generated name matches the service pattern and length for a deep construct path', () => {
    // GIVEN
    const stack = newStack(new App(), 'A'.repeat(100));

    // WHEN
    const storage = new StorageConfiguration(stack, 'B'.repeat(100), { bucket: importedBucket(stack) });

    // THEN
    expect(storage.storageConfigurationName).toMatch(/^[a-zA-Z0-9-_]{1,128}$/);
  });

  test('storageConfigurationName is passed as Name', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new StorageConfiguration(stack, 'Recordings', { bucket: importedBucket(stack), storageConfigurationName: 'recordings_1' });

    // THEN
    Template.fromStack(stack).hasResourceProperties(TYPE, { Name: 'recordings_1' });
  });

  test('a bucket of the stack is referenced by name', () => {
    // GIVEN
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket');

    // WHEN
    new StorageConfiguration(stack, 'Recordings', { bucket });

    // THEN
    Template.fromStack(stack).hasResourceProperties(TYPE, { S3: { BucketName: { Ref: stack.getLogicalId(bucket.node.defaultChild as any) } } });
  });

  test('the custom resource sets ServiceTimeout above the handler timeout', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new StorageConfiguration(stack, 'Recordings', { bucket: importedBucket(stack) });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties(TYPE, { ServiceTimeout: '660' });
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 600, Runtime: latestNodeRuntimeIn('us-east-1') });
  });

  test('the storage configuration is deleted with the stack and on replacement by default', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new StorageConfiguration(stack, 'Recordings', { bucket: importedBucket(stack) });

    // THEN
    Template.fromStack(stack).hasResource(TYPE, { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  test('removalPolicy RETAIN keeps the storage configuration', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new StorageConfiguration(stack, 'Recordings', { bucket: importedBucket(stack), removalPolicy: RemovalPolicy.RETAIN });

    // THEN
    Template.fromStack(stack).hasResource(TYPE, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('attributes read the handler response', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const storage = new StorageConfiguration(stack, 'Recordings', { bucket: importedBucket(stack) });

    // THEN
    expect(stack.resolve(storage.storageConfigurationArn)).toEqual(getAtt(stack, storage, 'Arn'));
    expect(stack.resolve(storage.storageConfigurationId)).toEqual(getAtt(stack, storage, 'StorageConfigurationId'));
  });

  test('a stage records into a storage configuration of the stack', () => {
    // GIVEN
    const stack = newStack();
    const storage = new StorageConfiguration(stack, 'Recordings', { bucket: importedBucket(stack) });

    // WHEN
    new Stage(stack, 'Stage', { autoParticipantRecording: { storageConfiguration: storage } });

    // THEN
    Template.fromStack(stack).hasResourceProperties('Custom::IvsStage', {
      AutoParticipantRecordingConfiguration: Match.objectLike({ StorageConfigurationArn: getAtt(stack, storage, 'Arn') }),
    });
  });
});

describe('tags', () => {
  test('tags given as a prop reach the resource', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new StorageConfiguration(stack, 'Recordings', { bucket: importedBucket(stack), tags: { team: 'video' } });

    // THEN
    Template.fromStack(stack).hasResourceProperties(TYPE, { Tags: { team: 'video' } });
  });

  test('Tags.of() reaches the storage configuration as it reaches an L1', () => {
    // GIVEN
    const stack = newStack();
    new StorageConfiguration(stack, 'Recordings', { bucket: importedBucket(stack), tags: { team: 'video' } });

    // WHEN
    Tags.of(stack).add('cost-center', '42');

    // THEN
    Template.fromStack(stack).hasResourceProperties(TYPE, { Tags: { 'team': 'video', 'cost-center': '42' } });
  });

  test('tags added with Tags.of() are checked at synth', () => {
    // GIVEN
    const stack = newStack();
    new StorageConfiguration(stack, 'Recordings', { bucket: importedBucket(stack) });

    // WHEN
    Tags.of(stack).add('aws:team', 'video');

    // THEN
    expect(() => Template.fromStack(stack)).toThrow("tags: keys must not start with 'aws:' (reserved for AWS), got 'aws:team'");
  });
});

describe('one provider per stack', () => {
  test('many storage configurations share one handler function and one role', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    for (let i = 0; i < 5; i++) {
      new StorageConfiguration(stack, `Recordings${i}`, { bucket: importedBucket(stack, `bucket-${i}`, `Bucket${i}`) });
    }

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs(TYPE, 5);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::IAM::Role', 1);
  });

  test('storage configurations and stages each have their own handler function and role', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const storage = new StorageConfiguration(stack, 'Recordings', { bucket: importedBucket(stack) });
    new Stage(stack, 'Stage', { autoParticipantRecording: { storageConfiguration: storage } });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 2);
    template.resourceCountIs('AWS::IAM::Role', 2);
  });

  test('CloudFormation invokes the handler function directly', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new StorageConfiguration(stack, 'Recordings', { bucket: importedBucket(stack) });

    // THEN
    const template = Template.fromStack(stack);
    const [functionId] = Object.keys(template.findResources('AWS::Lambda::Function'));
    template.hasResourceProperties(TYPE, { ServiceToken: { 'Fn::GetAtt': [functionId, 'Arn'] } });
  });
});

describe('handler role', () => {
  function inlineStatements(stack: Stack) {
    const [role] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role'));
    return role.Properties.Policies;
  }

  const IVS_STATEMENT = {
    Effect: 'Allow',
    Action: ['ivs:CreateStorageConfiguration', 'ivs:GetStorageConfiguration', 'ivs:DeleteStorageConfiguration', 'ivs:TagResource', 'ivs:UntagResource'],
    Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ivs:us-east-1:111111111111:storage-configuration/*']] },
  };
  const bucketStatement = (bucketName: string) => ({
    Effect: 'Allow',
    Action: BUCKET_POLICY_ACTIONS,
    Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${bucketName}`]] },
  });

  test('allows the storage configuration actions on storage configuration ARNs, and bucket policy edits on its bucket only', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new StorageConfiguration(stack, 'Recordings', { bucket: importedBucket(stack) });

    // THEN
    expect(inlineStatements(stack)).toEqual([{
      PolicyName: 'Inline',
      PolicyDocument: { Version: '2012-10-17', Statement: [IVS_STATEMENT, ...ownStatements('ivs:ListStorageConfigurations'), bucketStatement('recordings-bucket')] },
    }]);
  });

  test('each bucket gets one statement, however many storage configurations use it', () => {
    // GIVEN
    const stack = newStack();
    const shared = importedBucket(stack, 'shared-bucket', 'Shared');

    // WHEN
    new StorageConfiguration(stack, 'One', { bucket: shared });
    new StorageConfiguration(stack, 'Two', { bucket: shared });
    new StorageConfiguration(stack, 'Three', { bucket: importedBucket(stack, 'other-bucket', 'Other') });

    // THEN
    expect(inlineStatements(stack)[0].PolicyDocument.Statement).toEqual([
      IVS_STATEMENT,
      ...ownStatements('ivs:ListStorageConfigurations'),
      bucketStatement('shared-bucket'),
      bucketStatement('other-bucket'),
    ]);
  });

  test('a nested stack has its own handler role, which gets its own statement for a bucket the parent also uses', () => {
    // GIVEN
    const stack = newStack();
    const nested = new NestedStack(stack, 'Nested');
    new StorageConfiguration(nested, 'InNested', { bucket: importedBucket(nested) });

    // WHEN
    new StorageConfiguration(stack, 'InParent', { bucket: importedBucket(stack) });

    // THEN
    expect(inlineStatements(stack)[0].PolicyDocument.Statement).toEqual([IVS_STATEMENT, ...ownStatements('ivs:ListStorageConfigurations'), bucketStatement('recordings-bucket')]);
  });

  test('no other resource is added per storage configuration', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new StorageConfiguration(stack, 'One', { bucket: importedBucket(stack, 'bucket-one', 'BucketOne') });
    new StorageConfiguration(stack, 'Two', { bucket: importedBucket(stack, 'bucket-two', 'BucketTwo') });

    // THEN
    const types = Object.values(Template.fromStack(stack).toJSON().Resources).map((resource: any) => resource.Type).sort();
    expect(types).toEqual(['AWS::IAM::Role', 'AWS::Lambda::Function', 'AWS::Logs::LogGroup', TYPE, TYPE]);
  });
});

describe('bucket policy of a bucket defined in the app', () => {
  const ivsWriteStatement = (stack: Stack, bucket: s3.Bucket) => ({
    Effect: 'Allow',
    Principal: { Service: 'ivs.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: { 'Fn::Join': ['', [getAtt(stack, bucket, 'Arn'), '/*']] },
    Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
  });

  test('holds the permission that IVS adds, so a redeploy of the policy does not take it away', () => {
    // GIVEN
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket', { enforceSSL: true });

    // WHEN
    new StorageConfiguration(stack, 'Recordings', { bucket });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([ivsWriteStatement(stack, bucket)]) },
    });
  });

  test('is created before the storage configuration, so that IVS edits it after CloudFormation wrote it', () => {
    // GIVEN
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket');

    // WHEN
    new StorageConfiguration(stack, 'Recordings', { bucket });

    // THEN
    Template.fromStack(stack).hasResource(TYPE, { DependsOn: [stack.getLogicalId(bucket.policy!.node.defaultChild as any)] });
  });

  test('gets one statement however many storage configurations use the bucket', () => {
    // GIVEN
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket');

    // WHEN
    new StorageConfiguration(stack, 'One', { bucket });
    new StorageConfiguration(stack, 'Two', { bucket });

    // THEN
    const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::S3::BucketPolicy'));
    expect(policy.Properties.PolicyDocument.Statement).toEqual([ivsWriteStatement(stack, bucket)]);
  });

  test('in another stack is extended in that stack', () => {
    // GIVEN
    const app = new App();
    const storageStack = newStack(app, 'Storage');
    const videoStack = newStack(app, 'Video');
    const bucket = new s3.Bucket(storageStack, 'Bucket');

    // WHEN
    new StorageConfiguration(videoStack, 'Recordings', { bucket });

    // THEN
    Template.fromStack(storageStack).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: [ivsWriteStatement(storageStack, bucket)] },
    });
    Template.fromStack(videoStack).resourceCountIs('AWS::S3::BucketPolicy', 0);
  });

  test('an imported bucket gets no policy: IVS edits the one it has', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new StorageConfiguration(stack, 'Recordings', { bucket: importedBucket(stack) });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::BucketPolicy', 0);
    template.hasResource(TYPE, { DependsOn: Match.absent() });
  });
});

describe('warnings', () => {
  test('object ownership ObjectWriter, which IVS rejects', () => {
    // GIVEN
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket', { objectOwnership: s3.ObjectOwnership.OBJECT_WRITER });

    // WHEN
    new StorageConfiguration(stack, 'Recordings', { bucket });

    // THEN
    Annotations.fromStack(stack).hasWarning(
      '/TestStack/Recordings',
      'bucket has object ownership ObjectWriter; IVS requires BucketOwnerEnforced or BucketOwnerPreferred [ack: cdk-ivs-realtime:storage-configuration-object-ownership]',
    );
  });

  test.each([
    ['a KMS key of the stack', (stack: Stack) => ({ encryptionKey: new kms.Key(stack, 'Key') })],
    ['the AWS managed KMS key', () => ({ encryption: s3.BucketEncryption.KMS_MANAGED })],
  ])('default encryption with %s, which participant recording rejects', (_, encryption) => {
    // GIVEN
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket', encryption(stack));

    // WHEN
    new StorageConfiguration(stack, 'Recordings', { bucket });

    // THEN
    Annotations.fromStack(stack).hasWarning(
      '/TestStack/Recordings',
      "bucket's default encryption is aws:kms; IVS participant recording requires SSE-S3 (BucketEncryption.S3_MANAGED) [ack: cdk-ivs-realtime:storage-configuration-encryption]",
    );
  });

  test('a bucket with the settings IVS requires draws no warning', () => {
    // GIVEN
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });

    // WHEN
    new StorageConfiguration(stack, 'Recordings', { bucket });

    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('more storage configurations than the default quota', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    for (let i = 0; i < 6; i++) {
      new StorageConfiguration(stack, `Recordings${i}`, { bucket: importedBucket(stack, `bucket-${i}`, `Bucket${i}`) });
    }

    // THEN
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('quota'));
    expect(warnings.map((warning) => [warning.id, warning.entry.data])).toEqual([[
      '/TestStack/Recordings5',
      'this stack defines 6 storage configurations; the quota is 5 per account and region (adjustable in Service Quotas) '
      + '[ack: cdk-ivs-realtime:storage-configuration-quota]',
    ]]);
  });

  test('as many storage configurations as the default quota draw no warning', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    for (let i = 0; i < 5; i++) {
      new StorageConfiguration(stack, `Recordings${i}`, { bucket: importedBucket(stack, `bucket-${i}`, `Bucket${i}`) });
    }

    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('validation', () => {
  function storageWith(props: Partial<StorageConfigurationProps>) {
    const stack = newStack();
    return () => new StorageConfiguration(stack, 'Recordings', { bucket: importedBucket(stack), ...props });
  }

  test('a name with a character outside the pattern', () => {
    expect(storageWith({ storageConfigurationName: 'my recordings' })).toThrow(
      "TestStack/Recordings: storageConfigurationName must match ^[a-zA-Z0-9-_]*$ (letters, digits, hyphens and underscores), got 'my recordings'",
    );
  });

  test('a name longer than 128 characters', () => {
    const name = 'a'.repeat(129);
    expect(storageWith({ storageConfigurationName: name })).toThrow(
      `TestStack/Recordings: storageConfigurationName must be between 0 and 128 characters long, got 129 characters: '${name}'`,
    );
  });

  test('a token name is not validated', () => {
    const stack = newStack();
    const name = new CfnParameter(stack, 'Name').valueAsString;
    expect(() => new StorageConfiguration(stack, 'Recordings', { bucket: importedBucket(stack), storageConfigurationName: name })).not.toThrow();
  });

  test('a legacy bucket name, which S3 still accepts, with a character outside the pattern', () => {
    const stack = newStack();
    expect(() => new StorageConfiguration(stack, 'Recordings', { bucket: importedBucket(stack, 'My_Bucket') })).toThrow(
      "TestStack/Recordings: bucket.bucketName must match ^[a-z0-9-.]+$ (lowercase letters, digits, hyphens and dots), got 'My_Bucket'",
    );
  });

  test.each([
    ['ab', 2],
    ['a'.repeat(64), 64],
  ])('a bucket name of %s, from a bucket implementation that does not check names', (name, length) => {
    const stack = newStack();
    const bucket: s3.IBucket = Object.create(importedBucket(stack), { bucketName: { value: name } });
    expect(() => new StorageConfiguration(stack, 'Recordings', { bucket })).toThrow(
      `TestStack/Recordings: bucket.bucketName must be between 3 and 63 characters long, got ${length} characters: '${name}'`,
    );
  });

  test.each([
    ['abc', 'the shortest'],
    ['a'.repeat(63), 'the longest'],
  ])('a bucket name of %s, %s the API takes, is accepted', (name) => {
    const stack = newStack();
    const bucket: s3.IBucket = Object.create(importedBucket(stack), { bucketName: { value: name } });
    expect(() => new StorageConfiguration(stack, 'Recordings', { bucket })).not.toThrow();
  });

  test('a token bucket name is not validated', () => {
    const stack = newStack();
    const name = new CfnParameter(stack, 'BucketName').valueAsString;
    expect(() => new StorageConfiguration(stack, 'Recordings', { bucket: importedBucket(stack, name) })).not.toThrow();
  });

  test('a bucket in another region', () => {
    const stack = newStack();
    const bucket = s3.Bucket.fromBucketAttributes(stack, 'Bucket', { bucketName: 'recordings-bucket', region: 'eu-west-1' });
    expect(() => new StorageConfiguration(stack, 'Recordings', { bucket })).toThrow(
      "TestStack/Recordings: bucket must be in the storage configuration's region (us-east-1), got a bucket in eu-west-1",
    );
  });

  test('a bucket in another account', () => {
    const stack = newStack();
    const bucket = s3.Bucket.fromBucketAttributes(stack, 'Bucket', { bucketName: 'recordings-bucket', account: '222222222222' });
    expect(() => new StorageConfiguration(stack, 'Recordings', { bucket })).toThrow(
      "TestStack/Recordings: bucket must be in the storage configuration's account (111111111111), got a bucket in 222222222222",
    );
  });

  test('a bucket in a stack of another region', () => {
    const app = new App();
    const bucketStack = new Stack(app, 'Buckets', { env: { account: '111111111111', region: 'eu-west-1' } });
    const stack = newStack(app);
    const bucket = new s3.Bucket(bucketStack, 'Bucket');
    expect(() => new StorageConfiguration(stack, 'Recordings', { bucket })).toThrow(
      "TestStack/Recordings: bucket must be in the storage configuration's region (us-east-1), got a bucket in eu-west-1",
    );
  });

  test('an environment-agnostic stack, whose region is a token, is not checked', () => {
    const stack = new Stack(new App(), 'TestStack');
    const bucket = s3.Bucket.fromBucketAttributes(stack, 'Bucket', { bucketName: 'recordings-bucket', region: 'eu-west-1' });
    expect(() => new StorageConfiguration(stack, 'Recordings', { bucket })).not.toThrow();
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

  test('grantRead grants the read actions on the storage configuration only', () => {
    // GIVEN
    const stack = newStack();
    const storage = new StorageConfiguration(stack, 'Recordings', { bucket: importedBucket(stack) });

    // WHEN
    storage.grantRead(grantee(stack));

    // THEN
    expect(statementsOf(stack)).toEqual([{
      Effect: 'Allow',
      Action: ['ivs:GetStorageConfiguration', 'ivs:ListTagsForResource'],
      Resource: getAtt(stack, storage, 'Arn'),
    }]);
  });

  test('grant grants any actions on the storage configuration only', () => {
    // GIVEN
    const stack = newStack();
    const storage = new StorageConfiguration(stack, 'Recordings', { bucket: importedBucket(stack) });

    // WHEN
    storage.grant(grantee(stack), 'ivs:StartComposition');

    // THEN
    expect(statementsOf(stack)).toEqual([{ Effect: 'Allow', Action: 'ivs:StartComposition', Resource: getAtt(stack, storage, 'Arn') }]);
  });

  test('grantRead on an import is scoped to its ARN', () => {
    // GIVEN
    const stack = newStack();
    const storage = StorageConfiguration.fromStorageConfigurationArn(stack, 'Imported', ARN);

    // WHEN
    storage.grantRead(grantee(stack));

    // THEN
    expect(statementsOf(stack)).toEqual([{ Effect: 'Allow', Action: ['ivs:GetStorageConfiguration', 'ivs:ListTagsForResource'], Resource: ARN }]);
  });
});

describe('imports', () => {
  test('fromStorageConfigurationArn resolves the ARN, ID and environment', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const storage = StorageConfiguration.fromStorageConfigurationArn(stack, 'Imported',
      'arn:aws:ivs:eu-west-1:222222222222:storage-configuration/XyZ987abc654');

    // THEN
    expect(storage.storageConfigurationArn).toBe('arn:aws:ivs:eu-west-1:222222222222:storage-configuration/XyZ987abc654');
    expect(storage.storageConfigurationId).toBe('XyZ987abc654');
    expect(storage.env).toEqual({ account: '222222222222', region: 'eu-west-1' });
  });

  test('a token ARN is accepted and its ID is taken apart at deploy time', () => {
    // GIVEN
    const stack = newStack();
    const arn = new CfnParameter(stack, 'StorageArn').valueAsString;

    // WHEN
    const storage = StorageConfiguration.fromStorageConfigurationArn(stack, 'Imported', arn);

    // THEN
    expect(stack.resolve(storage.storageConfigurationId)).toEqual(
      { 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::Select': [5, { 'Fn::Split': [':', { Ref: 'StorageArn' }] }] }] }] },
    );
  });

  test.each([
    ['a stage ARN', 'arn:aws:ivs:us-east-1:111111111111:stage/AbCdEfGh1234'],
    ['an encoder configuration ARN', 'arn:aws:ivs:us-east-1:111111111111:encoder-configuration/AbCdEfGh1234'],
    ['another service', 'arn:aws:s3:::recordings-bucket'],
    ['not an ARN', 'recordings'],
  ])('%s is rejected', (_, arn) => {
    // GIVEN
    const stack = newStack();

    // WHEN / THEN
    expect(() => StorageConfiguration.fromStorageConfigurationArn(stack, 'Imported', arn)).toThrow(
      'TestStack: storageConfigurationArn must be an IVS storage-configuration ARN '
      + `(arn:<partition>:ivs:<region>:<account>:storage-configuration/<id>), got '${arn}'`,
    );
  });
});

describe('adopting an existing storage configuration (adoptArn)', () => {
  test('sends AdoptArn and no name, and retains it by default', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const adopted = new StorageConfiguration(stack, 'Storage', { bucket: importedBucket(stack), adoptArn: ARN });

    // THEN
    Template.fromStack(stack).hasResource(TYPE, {
      Properties: Match.objectLike({ AdoptArn: ARN, Name: Match.absent(), S3: { BucketName: 'recordings-bucket' } }),
      DeletionPolicy: 'Retain',
    });
    expect(stack.resolve(adopted.storageConfigurationName)).toEqual(getAtt(stack, adopted, 'Name'));
  });

  test('a storage configuration ARN of another account is refused at synth', () => {
    // GIVEN
    const stack = newStack();

    // WHEN / THEN
    expect(() => new StorageConfiguration(stack, 'Storage', {
      bucket: importedBucket(stack), adoptArn: 'arn:aws:ivs:us-east-1:222222222222:storage-configuration/AbCdEfGh1234',
    })).toThrow("adoptArn must be in the storage configuration's account (111111111111), got a storage configuration in 222222222222");
  });
});
