import { CfnResource } from 'aws-cdk-lib';

/*
 * Suppressions of template scanners' findings, written into the resource's own template metadata
 * where the scanners read them, each with the rule and the reason a reviewer reads. The README's
 * "Running in a locked-down account" lists them all.
 */

/** A checkov finding that does not apply, and why. */
export interface ScannerSuppression {
  /** The checkov check, e.g. `CKV_AWS_116`. */
  readonly id: string;
  /** Why it does not apply to this resource. */
  readonly comment: string;
}

/**
 * Sets the checkov checks that `resource` skips (`Metadata.checkov.skip`), replacing any set
 * before: the settings that decide them can change after the resource is made.
 */
export function checkovSkips(resource: CfnResource, skips: ScannerSuppression[]): void {
  const metadata: Record<string, unknown> = { ...resource.cfnOptions.metadata };
  if (skips.length > 0) {
    metadata.checkov = { skip: skips.map(({ id, comment }) => ({ id, comment })) };
  } else {
    delete metadata.checkov;
  }
  resource.cfnOptions.metadata = metadata;
}

/**
 * Marks a secret the library owns as using Secrets Manager's AWS managed key when its construct
 * was given no `encryptionKey` (checkov CKV_AWS_149).
 */
export function ownedSecretSkips(secret: CfnResource, encryptionKeyGiven: boolean, construct: string): void {
  checkovSkips(secret, encryptionKeyGiven ? [] : [{
    id: 'CKV_AWS_149',
    comment: "Encrypted with Secrets Manager's AWS managed key (aws/secretsmanager), which only this account's principals "
      + `allowed by IAM can use. Pass encryptionKey to the ${construct} to use a customer-managed key.`,
  }]);
}

/**
 * Sets the cfn-lint rules that `resource` ignores (`Metadata.cfn-lint.config.ignore_checks`), each
 * with its reason in `Metadata.cfn-lint.comments`.
 */
export function cfnLintIgnores(resource: CfnResource, reasons: Record<string, string>): void {
  resource.addMetadata('cfn-lint', { config: { ignore_checks: Object.keys(reasons) }, comments: reasons });
}

/**
 * What cfn-lint's W3005 finds on every `lambda.Function` the library defines, and why it is ignored:
 * the function depends on its role and references it too.
 */
export const LAMBDA_FUNCTION_W3005_REASON = "aws-cdk-lib's lambda.Function both references its role and depends on it, so that the "
  + "role's policy exists before the function; the second dependency is redundant, not wrong";
