import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { cfnLintIgnores, checkovSkips, ownedSecretSkips } from '../../src/private/scanner-suppressions';

function resource(): CfnResource {
  return new CfnResource(new Stack(new App(), 'TestStack'), 'Secret', { type: 'AWS::SecretsManager::Secret' });
}

test('a secret without a customer-managed key skips CKV_AWS_149, saying why and what to pass instead', () => {
  // GIVEN
  const secret = resource();

  // WHEN
  ownedSecretSkips(secret, false, 'PublicKey');

  // THEN
  expect(secret.cfnOptions.metadata).toEqual({
    checkov: {
      skip: [{
        id: 'CKV_AWS_149',
        comment: "Encrypted with Secrets Manager's AWS managed key (aws/secretsmanager), which only this account's principals "
          + 'allowed by IAM can use. Pass encryptionKey to the PublicKey to use a customer-managed key.',
      }],
    },
  });
});

test('a secret with a customer-managed key skips nothing, and a skip set before is taken back', () => {
  // GIVEN
  const secret = resource();
  ownedSecretSkips(secret, false, 'PublicKey');

  // WHEN
  ownedSecretSkips(secret, true, 'PublicKey');

  // THEN
  expect(secret.cfnOptions.metadata).toEqual({});
});

test('setting the skips keeps the resource\'s other metadata', () => {
  // GIVEN
  const secret = resource();
  secret.cfnOptions.metadata = { 'cfn-lint': { config: { ignore_checks: ['W3005'] } } };

  // WHEN
  checkovSkips(secret, [{ id: 'CKV_AWS_1', comment: 'why' }]);

  // THEN
  expect(secret.cfnOptions.metadata).toEqual({
    'cfn-lint': { config: { ignore_checks: ['W3005'] } },
    'checkov': { skip: [{ id: 'CKV_AWS_1', comment: 'why' }] },
  });
});

test('cfn-lint rules to ignore are written with their reasons, beside the metadata already there', () => {
  // GIVEN
  const secret = resource();
  ownedSecretSkips(secret, false, 'PublicKey');

  // WHEN
  cfnLintIgnores(secret, { W3011: 'the secret is replaced with its construct', W1011: 'no dynamic reference here' });

  // THEN
  expect(secret.cfnOptions.metadata?.['cfn-lint']).toEqual({
    config: { ignore_checks: ['W3011', 'W1011'] },
    comments: { W3011: 'the secret is replaced with its construct', W1011: 'no dynamic reference here' },
  });
  expect(secret.cfnOptions.metadata?.checkov).toBeDefined();
});
