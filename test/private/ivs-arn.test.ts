import { App, Lazy, Stack, Token } from 'aws-cdk-lib';
import { parseIvsArn } from '../../src/private/ivs-arn';

/*
 * The check every `fromXxxArn` makes of the ARN it is given.
 */

const STAGE_ARN = 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdEf-123';
const EXPECTED = 'stageArn must be an IVS stage ARN (arn:<partition>:ivs:<region>:<account>:stage/<id>)';

function scope(): Stack {
  return new Stack(new App(), 'TestStack');
}

test('an ARN of the resource type splits into its components', () => {
  // WHEN
  const components = parseIvsArn(scope(), STAGE_ARN, 'stage', 'stageArn');

  // THEN
  expect(components).toMatchObject({
    partition: 'aws', service: 'ivs', region: 'us-east-1', account: '123456789012', resource: 'stage', resourceName: 'AbCdEf-123',
  });
});

test.each([
  ['of another service', 'arn:aws:ivschat:us-east-1:123456789012:stage/AbCdEf123'],
  ['of another resource type', 'arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEf123'],
  ['without a resource ID', 'arn:aws:ivs:us-east-1:123456789012:stage'],
  ['with an empty resource ID', 'arn:aws:ivs:us-east-1:123456789012:stage/'],
  ['whose resource ID has other characters', 'arn:aws:ivs:us-east-1:123456789012:stage/AbC_def'],
  ['whose resource ID has other characters after valid ones', 'arn:aws:ivs:us-east-1:123456789012:stage/AbC def'],
  ['whose resource ID has other characters before valid ones', 'arn:aws:ivs:us-east-1:123456789012:stage/.AbC'],
  ['that is no ARN at all', 'stage/AbCdEf123'],
])('an ARN %s is refused, naming the prop, the form expected and the value received', (_, arn) => {
  // THEN
  expect(() => parseIvsArn(scope(), arn, 'stage', 'stageArn')).toThrow(`TestStack: ${EXPECTED}, got '${arn}'`);
});

test('an ARN that is a token is taken as it is: it is known only at deploy time', () => {
  // GIVEN
  const arn = Lazy.string({ produce: () => 'not-an-arn' });

  // WHEN
  const components = parseIvsArn(scope(), arn, 'stage', 'stageArn');

  // THEN its parts are resolved at deploy time too
  expect(Token.isUnresolved(components.service)).toBe(true);
  expect(Token.isUnresolved(components.resourceName)).toBe(true);
});
