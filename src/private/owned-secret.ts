import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/**
 * Grants reading a secret the library owns, and decrypting it with its customer-managed key.
 * `Secret.grantRead` alone grants kms:Decrypt only where it can edit the key policy (a key defined
 * in the app); for an imported key it grants nothing, and the reader would get AccessDenied. So
 * the reader's own policy always gets kms:Decrypt on the key, through Secrets Manager only.
 */
export function grantReadOwnedSecret(secret: secretsmanager.ISecret, encryptionKey: kms.IKey | undefined, grantee: iam.IGrantable): iam.Grant {
  const grant = secret.grantRead(grantee);
  if (!encryptionKey) {
    return grant;
  }
  return grant.combine(iam.Grant.addToPrincipal({
    grantee,
    actions: ['kms:Decrypt'],
    resourceArns: [encryptionKey.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(secret).region}.amazonaws.com` } },
  }));
}
