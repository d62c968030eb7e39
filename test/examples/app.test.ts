import { Template } from 'aws-cdk-lib/assertions';
import { exampleApp } from '../../examples/app';

/** Asset hashes change with every build of the handler bundle; the snapshot is about the rest. */
expect.addSnapshotSerializer({
  test: (value) => typeof value === 'string' && /[0-9a-f]{64}/.test(value),
  print: (value) => `"${(value as string).replace(/[0-9a-f]{64}/g, '[ASSET HASH]')}"`,
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

  // THEN: every resource but the two kinds that CloudFormation cannot tag, both the app's: its
  // bucket policy and its backend's IAM policy
  const untagged = Object.entries(resources).filter(([, resource]) => {
    const tags = resource.Properties?.Tags;
    const value = Array.isArray(tags) ? tags.find((tag) => tag.Key === 'app')?.Value : (tags as Record<string, string> | undefined)?.app;
    return value !== 'cdk-ivs-realtime-example';
  });
  expect(untagged.map(([, resource]) => resource.Type)).toEqual(['AWS::S3::BucketPolicy', 'AWS::IAM::Policy']);
});
