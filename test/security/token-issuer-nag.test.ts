import * as iam from 'aws-cdk-lib/aws-iam';
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

test('a backend granted invoking the issuer (grantInvoke) has no AwsSolutions finding: its policy names the function, no wildcard', () => {
  // WHEN
  const findings = awsSolutionsFindings((stack) => {
    const issuer = new ParticipantTokenIssuer(stack, 'Tokens', { stages: [new Stage(stack, 'Stage')] });
    const backend = new iam.Role(stack, 'Backend', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    issuer.grantInvoke(backend);
  });

  // THEN
  expect(findings).toEqual([]);
});

test('what a grant to the issuer reports is the grantee\'s own: a wildcard the application adds beside it is still reported', () => {
  // WHEN
  const findings = awsSolutionsFindings((stack) => {
    const issuer = new ParticipantTokenIssuer(stack, 'Tokens', { stages: [new Stage(stack, 'Stage')] });
    const backend = new iam.Role(stack, 'Backend', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    issuer.grantInvoke(backend);
    backend.addToPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [`${issuer.issuerFunction.functionArn}:*`] }));
  });

  // THEN
  expect(findings).toEqual([expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<TokensFunction[0-9A-F]+\.Arn>:\*\] \(error\) at Stack\/Backend\/DefaultPolicy\/Resource$/)]);
});
