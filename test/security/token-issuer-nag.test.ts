import { awsSolutionsFindings } from './aws-solutions';
import { ParticipantTokenIssuer, PublicKey, PublicKeyMaterial, Stage } from '../../src';

/*
 * cdk-nag's AwsSolutions pack over the token issuer in each signing mode, as cdk-nag.test.ts runs
 * it over the other constructs.
 */

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
