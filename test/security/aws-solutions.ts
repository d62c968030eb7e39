import { App, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { TEST_ENV } from '../simulator';

/**
 * The findings of cdk-nag's AwsSolutions pack on an app defined by `define`, after synthesis, as
 * `rule (severity) at path`. The pack runs with `validateScope`, which works on every aws-cdk-lib
 * the library supports (cdk-nag-plugin.test.ts shows the plugin setup's floor).
 */
export function awsSolutionsFindings(define: (stack: Stack) => void): string[] {
  const app = new App();
  define(new Stack(app, 'Stack', { env: TEST_ENV }));
  app.synth();
  const report = new AwsSolutionsChecks(app).validateScope(app);
  return report.violations.flatMap((violation) => violation.violatingResources.map(
    (resource) => `${violation.ruleName} (${violation.severity}) at ${resource.constructPath}`,
  ));
}
