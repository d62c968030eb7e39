import { Template } from 'aws-cdk-lib/assertions';
import { exampleApp } from '../../examples/app';
import { latestNodeRuntimeIn } from '../node-runtime';

/** Asset hashes change with every build of the handler bundle; the snapshot is about the rest. */
expect.addSnapshotSerializer({
  test: (value) => typeof value === 'string' && /[0-9a-f]{64}/.test(value),
  print: (value) => `"${(value as string).replace(/[0-9a-f]{64}/g, '[ASSET HASH]')}"`,
});

/**
 * The functions run the newest Node.js runtime the installed aws-cdk-lib lists for the region,
 * which differs between the floor and the newest aws-cdk-lib; the snapshot holds a placeholder.
 */
const NODE_RUNTIME = latestNodeRuntimeIn('us-east-1');
expect.addSnapshotSerializer({
  test: (value) => value === NODE_RUNTIME,
  print: () => '"[NEWEST NODE RUNTIME OF THE REGION]"',
});

test('the example stack matches its snapshot', () => {
  // GIVEN
  const { stack } = exampleApp();

  // WHEN
  const template = Template.fromStack(stack).toJSON();

  // THEN
  expect(template).toMatchSnapshot();
});

test('the example app\'s tag reaches every resource in its template that takes tags, the library\'s handlers, roles, log groups and secrets included', () => {
  // GIVEN
  const { stack } = exampleApp();

  // WHEN
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties?: { Tags?: unknown } }>;

  // THEN: every resource but the kinds that CloudFormation cannot tag: the app's bucket policy, the
  // IAM policies of its backend's role and of the token issuer's role, the on-call topic's policy,
  // the dashboard's metric filters and event log resource policy, and the composition's function
  // permissions, invoke configuration and dead-letter queue policy
  const untagged = Object.entries(resources).filter(([, resource]) => {
    const tags = resource.Properties?.Tags;
    const value = Array.isArray(tags) ? tags.find((tag) => tag.Key === 'app')?.Value : (tags as Record<string, string> | undefined)?.app;
    return value !== 'cdk-ivs-realtime-example';
  });
  expect(untagged.map(([, resource]) => resource.Type).sort()).toEqual([
    'AWS::IAM::Policy', 'AWS::IAM::Policy', 'AWS::IAM::Policy', 'AWS::Lambda::EventInvokeConfig',
    'AWS::Lambda::Permission', 'AWS::Lambda::Permission', 'AWS::Lambda::Permission',
    'AWS::Logs::MetricFilter', 'AWS::Logs::MetricFilter', 'AWS::Logs::MetricFilter', 'AWS::Logs::MetricFilter', 'AWS::Logs::ResourcePolicy',
    'AWS::S3::BucketPolicy', 'AWS::SNS::TopicPolicy', 'AWS::SQS::QueuePolicy',
  ]);
});

test('the locked-down stack runs the handlers in the imported VPC with reserved concurrency, and encrypts log groups and secrets with the imported key', () => {
  // GIVEN
  const { lockedDownStack } = exampleApp();
  const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

  // WHEN
  const resources = Template.fromStack(lockedDownStack).toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
  const handlers = Object.entries(resources).filter(([id, resource]) => resource.Type === 'AWS::Lambda::Function' && id.startsWith('Ivs'));

  // THEN
  expect(handlers).toHaveLength(5);
  for (const [, fn] of handlers) {
    expect(fn.Properties.VpcConfig.SubnetIds).toEqual(['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788']);
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(5);
  }
  // The five handlers' log groups and the stream key's secret (the token issuer is no handler: its
  // log group is its own prop, and its KMS-backed key has no secret)
  const keyIds = Object.entries(resources)
    .filter(([id, resource]) => (resource.Type === 'AWS::Logs::LogGroup' && id.startsWith('Ivs')) || resource.Type === 'AWS::SecretsManager::Secret')
    .map(([, resource]) => resource.Properties.KmsKeyId);
  expect(keyIds).toEqual(Array(6).fill(keyArn));
});
