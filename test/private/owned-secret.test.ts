import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { grantReadOwnedSecret } from '../../src/private/owned-secret';

/*
 * Reading a secret the library owns: the secret, and its customer-managed key through Secrets
 * Manager only, whether the key is defined in the app or imported.
 */

function givenAReaderAndSecret(encryptionKey?: (stack: Stack) => kms.IKey) {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const key = encryptionKey?.(stack);
  const secret = new secretsmanager.Secret(stack, 'Secret', { encryptionKey: key });
  const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
  return { stack, key, secret, reader };
}

const statementsOf = (stack: Stack) => Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
  .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>);

test('without a customer-managed key, the reader may read the secret and nothing is granted on a key', () => {
  // GIVEN
  const { stack, secret, reader } = givenAReaderAndSecret();

  // WHEN
  grantReadOwnedSecret(secret, undefined, reader);

  // THEN
  const statements = statementsOf(stack);
  expect(statements.map((statement) => statement.Action)).toEqual([['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']]);
});

test('with an imported key, the reader\'s own policy may decrypt with it, through Secrets Manager in the stack\'s region only', () => {
  // GIVEN
  const keyArn = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const { stack, secret, reader } = givenAReaderAndSecret((s) => kms.Key.fromKeyArn(s, 'Key', keyArn));

  // WHEN
  grantReadOwnedSecret(secret, kms.Key.fromKeyArn(stack, 'SameKey', keyArn), reader);

  // THEN
  expect(statementsOf(stack)).toContainEqual({
    Action: 'kms:Decrypt',
    Effect: 'Allow',
    Resource: keyArn,
    Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
  });
});
