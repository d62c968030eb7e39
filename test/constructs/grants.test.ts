/*
 * The grant facades of the storage, encoder and ingest configurations and the public key: on
 * L1s as on our constructs, each scoped to the one ARN.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import {
  EncoderConfiguration,
  EncoderConfigurationGrants,
  IngestConfiguration,
  IngestConfigurationGrants,
  PublicKey,
  PublicKeyGrants,
  StorageConfiguration,
  StorageConfigurationGrants,
} from '../../src';

function newStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'us-east-1' } });
}

function grantee(stack: Stack): iam.Role {
  return new iam.Role(stack, 'Grantee', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
}

function statements(stack: Stack): unknown[] {
  const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')) as Array<{
    Properties: { PolicyDocument: { Statement: unknown[] } };
  }>;
  return policy.Properties.PolicyDocument.Statement;
}

const cases = [
  {
    name: 'StorageConfigurationGrants',
    l1: (stack: Stack) => StorageConfigurationGrants.fromStorageConfiguration(new ivs.CfnStorageConfiguration(stack, 'L1', { s3: { bucketName: 'b' } })),
    imported: (stack: Stack, arn: string) => StorageConfiguration.fromStorageConfigurationArn(stack, 'Imported', arn),
    arn: 'arn:aws:ivs:us-east-1:111111111111:storage-configuration/Abc',
    read: ['ivs:GetStorageConfiguration', 'ivs:ListTagsForResource'],
  },
  {
    name: 'EncoderConfigurationGrants',
    l1: (stack: Stack) => EncoderConfigurationGrants.fromEncoderConfiguration(new ivs.CfnEncoderConfiguration(stack, 'L1', {})),
    imported: (stack: Stack, arn: string) => EncoderConfiguration.fromEncoderConfigurationArn(stack, 'Imported', arn),
    arn: 'arn:aws:ivs:us-east-1:111111111111:encoder-configuration/Abc',
    read: ['ivs:GetEncoderConfiguration', 'ivs:ListTagsForResource'],
  },
  {
    name: 'IngestConfigurationGrants',
    l1: (stack: Stack) => IngestConfigurationGrants.fromIngestConfiguration(new ivs.CfnIngestConfiguration(stack, 'L1', {})),
    imported: (stack: Stack, arn: string) => IngestConfiguration.fromIngestConfigurationArn(stack, 'Imported', arn),
    arn: 'arn:aws:ivs:us-east-1:111111111111:ingest-configuration/Abc',
    read: ['ivs:GetIngestConfiguration', 'ivs:ListTagsForResource'],
  },
  {
    name: 'PublicKeyGrants',
    l1: (stack: Stack) => PublicKeyGrants.fromPublicKey(new ivs.CfnPublicKey(stack, 'L1', {})),
    imported: (stack: Stack, arn: string) => PublicKey.fromPublicKeyArn(stack, 'Imported', arn),
    arn: 'arn:aws:ivs:us-east-1:111111111111:public-key/Abc',
    read: ['ivs:GetPublicKey', 'ivs:ListTagsForResource'],
  },
];

describe.each(cases)('$name', ({ l1, imported, arn, read }) => {
  test('read on an L1 grants the read actions on its Ref only', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    l1(stack).read(grantee(stack));

    // THEN
    expect(statements(stack)).toEqual([{ Effect: 'Allow', Action: read, Resource: { Ref: 'L1' } }]);
  });

  test('grants.actions on an import grants on its ARN, and grant() makes the same statement', () => {
    // GIVEN
    const stack = newStack();
    const resource = imported(stack, arn);
    const role = grantee(stack);

    // WHEN
    resource.grants.actions(role, ['ivs:TagResource']);
    resource.grant(role, 'ivs:UntagResource');

    // THEN
    expect(statements(stack)).toEqual([
      { Effect: 'Allow', Action: 'ivs:TagResource', Resource: arn },
      { Effect: 'Allow', Action: 'ivs:UntagResource', Resource: arn },
    ]);
  });

  test('grantRead makes the statement of grants.read', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    imported(stack, arn).grantRead(grantee(stack));

    // THEN
    expect(statements(stack)).toEqual([{ Effect: 'Allow', Action: read, Resource: arn }]);
  });
});
