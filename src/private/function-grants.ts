import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * Grants invoking a function the library ships, which publishes no version or alias: a principal
 * with a policy gets `lambda:InvokeFunction` on the unqualified ARN alone, so the grant has no
 * `:*` for cdk-nag's AwsSolutions-IAM5 to report (`lambda.Function.grantInvoke` adds one for
 * versions and aliases); any other principal (a service principal) gets a statement in the
 * function's resource policy, as `grantInvoke` gives it.
 */
export function grantInvokeUnqualified(fn: lambda.IFunction, grantee: iam.IGrantable): iam.Grant {
  const grant = iam.Grant.addToPrincipal({
    grantee,
    actions: ['lambda:InvokeFunction'],
    resourceArns: [fn.functionArn],
  });
  return grant.success ? grant : fn.grantInvoke(grantee);
}
