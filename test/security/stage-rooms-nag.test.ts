import { awsSolutionsFindings } from './aws-solutions';
import { PublicKey, PublicKeyMaterial, RoomCapabilityPolicy, StageRooms } from '../../src';

/*
 * cdk-nag's AwsSolutions pack over StageRooms in each signing mode, with the function URL and the
 * browser endpoint, as cdk-nag.test.ts runs it over the other constructs.
 */

test.each([
  ['a KMS-backed key', () => PublicKeyMaterial.generateInKms()],
  ['a generated key', () => PublicKeyMaterial.generate()],
])('rooms signing with %s, with a function URL and a browser endpoint, have no AwsSolutions finding', (_, material) => {
  // WHEN
  const findings = awsSolutionsFindings((stack) => {
    const signingKey = new PublicKey(stack, 'Key', { publicKeyMaterial: material() });
    new StageRooms(stack, 'Rooms', {
      signingKey,
      functionUrl: true,
      browserEndpoint: {
        jwtIssuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123',
        jwtAudience: ['app-client'],
        capabilityPolicy: RoomCapabilityPolicy.byClaim({ claim: 'cognito:groups', values: ['host'] }),
      },
    });
  });

  // THEN
  expect(findings).toEqual([]);
});
