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
