import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { defineAllConstructs } from './all-constructs';
import { Stage } from '../../src';
import { TEST_ENV } from '../simulator';

/*
 * cdk-nag's AwsSolutions pack (v3) over stacks that use the library, run with `validateScope` on the
 * synthesized app: that works on every aws-cdk-lib the library supports, whereas the documented
 * `Validations.of(app).addPlugins(...)` setup needs 2.258.0 or later (cdk-nag-plugin.test.ts). Its
 * report lists errors and warnings alike.
 */

/** The AwsSolutions findings of an app defined by `define`, after synthesis, as `rule at path`. */
function awsSolutionsFindings(define: (stack: Stack) => void): string[] {
  const app = new App();
  define(new Stack(app, 'Stack', { env: TEST_ENV }));
  app.synth();
  const report = new AwsSolutionsChecks(app).validateScope(app);
  return report.violations.flatMap((violation) => violation.violatingResources.map(
    (resource) => `${violation.ruleName} (${violation.severity}) at ${resource.constructPath}`,
  ));
}

/**
 * Every acknowledgment recorded with `Validations.of(...).acknowledge()` in the tree, with where it
 * was made. aws-cdk-lib records the id in its annotation namespace, spelt `annotation::` by the
 * floor release and `Annotation::` by later ones; the id is given here without it.
 */
function acknowledgments(root: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return root.node.findAll().flatMap((construct) => construct.node.metadata
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.entries(entry.data as Record<string, string>)
      .map(([id, reason]) => ({ path: construct.node.path, id: id.replace(/^annotation::/i, ''), reason }))));
}

test('a stack with every construct has no unacknowledged AwsSolutions finding, error or warning', () => {
  // WHEN
  const findings = awsSolutionsFindings((stack) => defineAllConstructs(stack));

  // THEN
  expect(findings).toEqual([]);
});

test('the library acknowledges one finding per secret it owns, SMG4, each with its reason', () => {
  // GIVEN
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: TEST_ENV });
  defineAllConstructs(stack);

  // WHEN: all but the fixture's own acknowledgment on its access-log bucket
  const library = acknowledgments(app).filter((ack) => !ack.path.startsWith('Stack/AccessLogs'));

  // THEN
  expect(library).toEqual([
    {
      path: 'Stack/Ingest/StreamKeySecret',
      id: 'AwsSolutions-SMG4',
      reason: 'IVS cannot rotate a stream key in place: a new stream key comes only with a new ingest configuration, '
        + 'and when a change replaces it the handler writes the new key into this secret',
    },
    {
      path: 'Stack/Key/PrivateKeySecret',
      id: 'AwsSolutions-SMG4',
      reason: 'IVS cannot rotate a key pair in place: a new key pair means importing a new public key, '
        + 'that is replacing this resource, and the handler then writes the new private key into this secret',
    },
  ]);
});

test("the library's acknowledgment covers only its own secrets: the application's secret beside them is still reported", () => {
  // WHEN
  const findings = awsSolutionsFindings((stack) => {
    defineAllConstructs(stack);
    new secretsmanager.Secret(stack, 'ApplicationSecret');
  });

  // THEN
  expect(findings).toEqual(['AwsSolutions-SMG4 (error) at Stack/ApplicationSecret/Resource']);
});

test('the pack reports what it finds: a bucket without access logs or TLS enforcement is two findings', () => {
  // WHEN
  const findings = awsSolutionsFindings((stack) => {
    new s3.Bucket(stack, 'Plain');
  });

  // THEN
  expect(findings).toEqual([
    'AwsSolutions-S1 (error) at Stack/Plain/Resource',
    'AwsSolutions-S10 (error) at Stack/Plain/Resource',
  ]);
});

test('cdk-nag does not see the handler roles, so handler-permissions.test.ts pins them instead', () => {
  // GIVEN the handler role of a stage and an application role, both with the managed
  // AWSLambdaBasicExecutionRole policy that AwsSolutions-IAM4 reports
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: TEST_ENV });
  new Stage(stack, 'Stage');
  new iam.Role(stack, 'Application', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
  });
  const managed = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']] };
  const handlerManaged = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' };
  const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
  expect(Object.values(roles).map((role) => role.Properties.ManagedPolicyArns)).toEqual([[handlerManaged], [managed]]);

  // WHEN
  const report = new AwsSolutionsChecks(app).validateScope(app);

  // THEN only the application role is reported: the core CustomResourceProvider writes raw
  // CfnResources, which the pack skips
  expect(report.violations.flatMap((violation) => violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`)))
    .toEqual(['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole] at Stack/Application/Resource']);
});
