import * as s3 from 'aws-cdk-lib/aws-s3';
import { countCase, countResources, difference, measureResources, RESOURCE_CASES } from './resource-counts';
import { StorageConfiguration } from '../../src';
import { defineAllConstructs } from '../security/all-constructs';

/*
 * How many CloudFormation resources the library adds to a stack. Targets: one resource per
 * construct instance, plus the secret it owns; at most three resources per stack for each resource
 * type used (its handler function, role and log group), however many instances there are.
 */

const HANDLER = { 'AWS::IAM::Role': 1, 'AWS::Lambda::Function': 1, 'AWS::Logs::LogGroup': 1 };
const measured = Object.fromEntries(RESOURCE_CASES.map((resourceCase) => [resourceCase.name, measureResources(resourceCase)]));

test.each([
  ['Stage', { 'Custom::IvsStage': 1 }],
  ['StorageConfiguration', { 'Custom::IvsStorageConfiguration': 1 }],
  ['EncoderConfiguration', { 'Custom::IvsEncoderConfiguration': 1 }],
  ['IngestConfiguration', { 'AWS::SecretsManager::Secret': 1, 'Custom::IvsIngestConfiguration': 1 }],
  ['PublicKey (generated)', { 'AWS::SecretsManager::Secret': 1, 'Custom::IvsPublicKey': 1 }],
  ['PublicKey (PEM)', { 'Custom::IvsPublicKey': 1 }],
])('%s: each instance adds one resource, and the secret it owns if it has one', (name, perInstance) => {
  // THEN
  expect(measured[name].perInstance).toEqual(perInstance);
});

test.each(RESOURCE_CASES.map((resourceCase) => resourceCase.name))('%s: the first instance also adds its type\'s handler: one function, one role, one log group', (name) => {
  // THEN
  expect(measured[name].fixed).toEqual(HANDLER);
});

test('a stack with 490 stages has 493 resources: one handler serves them all', () => {
  // WHEN
  const counts = countCase(RESOURCE_CASES.find((resourceCase) => resourceCase.name === 'Stage')!, 490);

  // THEN: within CloudFormation's 500 resources per stack
  expect(counts).toEqual({ 'Custom::IvsStage': 490, ...HANDLER });
});

test('a stack with all five constructs has one handler per type: five functions, five roles and five log groups', () => {
  // WHEN
  const counts = countResources((stack) => defineAllConstructs(stack));

  // THEN
  expect(counts['AWS::Lambda::Function']).toBe(5);
  expect(counts['AWS::IAM::Role']).toBe(5 + 1); // and the fixture's backend role
  expect(counts['AWS::Logs::LogGroup']).toBe(5);
});

test('a storage configuration on a bucket without a policy adds the bucket\'s policy, once per bucket', () => {
  // GIVEN
  const define = (configurations: number) => countResources((stack) => {
    const bucket = new s3.Bucket(stack, 'Bucket');
    for (let i = 0; i < configurations; i++) {
      new StorageConfiguration(stack, `Storage${i}`, { bucket });
    }
  });

  // WHEN
  const [none, one, two] = [0, 1, 2].map(define);

  // THEN: IVS needs a statement in the bucket policy, so a bucket without one gets one
  expect(difference(one, none)).toEqual({ ...HANDLER, 'AWS::S3::BucketPolicy': 1, 'Custom::IvsStorageConfiguration': 1 });
  expect(difference(two, one)).toEqual({ 'Custom::IvsStorageConfiguration': 1 });
});
