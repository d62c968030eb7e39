import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { defineAllConstructs } from './all-constructs';
import { awsSolutionsFindings } from './aws-solutions';
import { IvsRealtimeHandlers, PublicKey, PublicKeyMaterial, Stage, StageRooms } from '../../src';
import { IvsHandlerProvider } from '../../src/custom-resources/ivs-handler-provider';
import { TEST_ENV } from '../simulator';

/*
 * cdk-nag's AwsSolutions pack (v3) over stacks that use the library, run with `validateScope` on the
 * synthesized app: that works on every aws-cdk-lib the library supports, whereas the documented
 * `Validations.of(app).addPlugins(...)` setup needs 2.258.0 or later (cdk-nag-plugin.test.ts). Its
 * report lists errors and warnings alike.
 */

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

test('rooms on demand with a function URL and a browser endpoint, and a backend granted joining and closing rooms, have no AwsSolutions finding', () => {
  // WHEN
  const findings = awsSolutionsFindings((stack) => {
    const signingKey = new PublicKey(stack, 'RoomsKey', { publicKeyMaterial: PublicKeyMaterial.generateInKms() });
    const rooms = new StageRooms(stack, 'Rooms', {
      signingKey,
      idleTimeout: Duration.minutes(30),
      functionUrl: true,
      browserEndpoint: { jwtIssuer: 'https://issuer.example.com', jwtAudience: ['app'] },
    });
    const backend = new iam.Role(stack, 'Backend', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    rooms.grantJoin(backend);
    rooms.grantClose(backend);
  });

  // THEN: the grants name the functions' unqualified ARNs, with no :* for IAM5
  expect(findings).toEqual([]);
});

test('the library acknowledges SMG4 on each secret it owns and IAM5 on each handler role\'s IVS ARNs, unscoped List action and tag-scoped secrets, each with its reason', () => {
  // GIVEN
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: TEST_ENV });
  defineAllConstructs(stack);

  // WHEN: all but the fixture's own acknowledgment on its access-log bucket, and the runtime one,
  // which depends on the aws-cdk-lib installed (test/private/lambda-runtime.test.ts checks it)
  const library = acknowledgments(app)
    .filter((ack) => !ack.path.startsWith('Stack/AccessLogs') && ack.id !== 'AwsSolutions-L1');

  // THEN
  const ivsArns = (resourceType: string, arnResource: string, actions: number) => ({
    path: `Stack/Ivs${resourceType}HandlerProvider/Role`,
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ivs:${TEST_ENV.region}:${TEST_ENV.account}:${arnResource}/*]`,
    reason: `IVS assigns the ID in a ${arnResource} ARN when it creates the resource, so no ARN can be named before; the statement `
      + `allows only the ${actions} actions the Custom::Ivs${resourceType} handler calls, on ${arnResource} ARNs of this account and region`,
  });
  const unscopedList = (resourceType: string, action: string) => ({
    path: `Stack/Ivs${resourceType}HandlerProvider/Role`,
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: `${action} supports no resource-level permissions; it only lists, and the handler lists to find what a create `
      + 'made whose ARN it never learned (an answer lost, or the create failed after IVS made it)',
  });
  const taggedSecrets = (resourceType: string) => ({
    path: `Stack/Ivs${resourceType}HandlerProvider/Role`,
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:${TEST_ENV.region}:${TEST_ENV.account}:secret:*]`,
    reason: 'Secrets Manager adds a random suffix to a secret\'s ARN when it creates it; the statement allows only secretsmanager:PutSecretValue, '
      + 'and only on the secrets tagged cdk-ivs-realtime:written-by with this handler\'s resource type and this stack\'s ID, the secrets its '
      + 'constructs own (a list of their ARNs would outgrow the role\'s 10,240-character inline policy limit)',
  });
  expect(library).toEqual([
    ivsArns('StorageConfiguration', 'storage-configuration', 5),
    unscopedList('StorageConfiguration', 'ivs:ListStorageConfigurations'),
    ivsArns('Stage', 'stage', 7),
    ivsArns('EncoderConfiguration', 'encoder-configuration', 5),
    unscopedList('EncoderConfiguration', 'ivs:ListEncoderConfigurations'),
    {
      path: 'Stack/Ingest/StreamKeySecret',
      id: 'AwsSolutions-SMG4',
      reason: 'IVS cannot rotate a stream key in place: a new stream key comes only with a new ingest configuration, '
        + 'and when a change replaces it the handler writes the new key into this secret',
    },
    ivsArns('IngestConfiguration', 'ingest-configuration', 7),
    unscopedList('IngestConfiguration', 'ivs:ListIngestConfigurations'),
    taggedSecrets('IngestConfiguration'),
    {
      path: 'Stack/Key/PrivateKeySecret',
      id: 'AwsSolutions-SMG4',
      reason: 'IVS cannot rotate a key pair in place: a new key pair means importing a new public key, '
        + 'that is replacing this resource, and the handler then writes the new private key into this secret',
    },
    ivsArns('PublicKey', 'public-key', 5),
    unscopedList('PublicKey', 'ivs:ListPublicKeys'),
    taggedSecrets('PublicKey'),
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

test('cdk-nag sees the handler roles: a wildcard added to one beyond its IVS ARNs is reported', () => {
  // WHEN
  const findings = awsSolutionsFindings((stack) => {
    new Stage(stack, 'Stage');
    const provider = stack.node.findAll().find((c): c is IvsHandlerProvider => c instanceof IvsHandlerProvider)!;
    provider.addToRolePolicy(new iam.PolicyStatement({ actions: ['ivs:GetStage'], resources: ['*'] }));
  });

  // THEN
  expect(findings).toEqual(['AwsSolutions-IAM5[Resource::*] (error) at Stack/IvsStageHandlerProvider/Role']);
});

test('an environment-agnostic stack is clean too: the acknowledgments name the ARNs as cdk-nag writes them', () => {
  // GIVEN
  const app = new App();
  const stack = new Stack(app, 'Stack');
  new Stage(stack, 'Stage');
  app.synth();

  // WHEN
  const report = new AwsSolutionsChecks(app).validateScope(app);

  // THEN
  expect(report.violations).toEqual([]);
});

test('handlers in a VPC: the network-interface statement is acknowledged with its reason, and nothing else is reported', () => {
  // WHEN
  const findings = awsSolutionsFindings((stack) => {
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 1 });
    Validations.of(vpc).acknowledge({ id: 'AwsSolutions-VPC7', reason: 'test fixture: flow logs are not what this test is about' });
    IvsRealtimeHandlers.of(stack).configure({ vpc, reservedConcurrentExecutions: 2 });
    new Stage(stack, 'Stage');
  });

  // THEN
  expect(findings).toEqual([]);
});
