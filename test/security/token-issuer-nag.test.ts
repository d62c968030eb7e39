import { App, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ParticipantTokenIssuer, PublicKey, PublicKeyMaterial, Stage } from '../../src';
import { TEST_ENV } from '../simulator';

/*
 * cdk-nag's AwsSolutions pack over the token issuer in each signing mode, as cdk-nag.test.ts runs
 * it over the other constructs.
 */

function awsSolutionsFindings(define: (stack: Stack) => void): string[] {
  const app = new App();
  define(new Stack(app, 'Stack', { env: TEST_ENV }));
  app.synth();
  const report = new AwsSolutionsChecks(app).validateScope(app);
  return report.violations.flatMap((violation) => violation.violatingResources.map(
    (resource) => `${violation.ruleName} (${violation.severity}) at ${resource.constructPath}`,
  ));
}

test.each([
  ['a KMS-backed key', () => PublicKeyMaterial.generateInKms()],
  ['a generated key', () => PublicKeyMaterial.generate()],
  ['no key (API tokens)', undefined],
])('an issuer signing with %s, with a function URL, has no AwsSolutions finding', (_, material) => {
  // WHEN
  const findings = awsSolutionsFindings((stack) => {
    const stage = new Stage(stack, 'Stage');
    const signingKey = material ? new PublicKey(stack, 'Key', { publicKeyMaterial: material() }) : undefined;
    new ParticipantTokenIssuer(stack, 'Tokens', { stages: [stage], signingKey, functionUrl: true });
  });

  // THEN
  expect(findings).toEqual([]);
});
