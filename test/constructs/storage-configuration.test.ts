import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { StorageConfiguration } from '../../src';

const ARN = 'arn:aws:ivs:us-east-1:111111111111:storage-configuration/AbCdEfGh1234';

function newStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'us-east-1' } });
}

test('fromStorageConfigurationArn resolves the ARN, ID and environment', () => {
  // GIVEN
  const stack = newStack();

  // WHEN
  const storage = StorageConfiguration.fromStorageConfigurationArn(stack, 'Imported', ARN);

  // THEN
  expect(storage.storageConfigurationArn).toBe(ARN);
  expect(storage.storageConfigurationId).toBe('AbCdEfGh1234');
  expect(storage.env).toEqual({ account: '111111111111', region: 'us-east-1' });
});

test('fromStorageConfigurationArn rejects a stage ARN', () => {
  // GIVEN
  const stack = newStack();
  const stageArn = 'arn:aws:ivs:us-east-1:111111111111:stage/AbCdEfGh1234';

  // WHEN / THEN
  expect(() => StorageConfiguration.fromStorageConfigurationArn(stack, 'Imported', stageArn)).toThrow(
    'TestStack: storageConfigurationArn must be an IVS storage-configuration ARN '
    + `(arn:<partition>:ivs:<region>:<account>:storage-configuration/<id>), got '${stageArn}'`,
  );
});

test('grantRead on an import is scoped to its ARN', () => {
  // GIVEN
  const stack = newStack();
  const storage = StorageConfiguration.fromStorageConfigurationArn(stack, 'Imported', ARN);
  const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });

  // WHEN
  storage.grantRead(role);

  // THEN
  Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: [{ Effect: 'Allow', Action: ['ivs:GetStorageConfiguration', 'ivs:ListTagsForResource'], Resource: ARN }],
    },
  });
});
