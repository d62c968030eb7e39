import { CreateStorageConfigurationCommand } from '@aws-sdk/client-ivs-realtime';
import { CfnOutput, Fn } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { useSimulator } from './harness';
import { synthesize } from './index';

const t = useSimulator();

describe('stub resources', () => {
  test('a bucket is registered with the emulator, so a storage configuration can use it', async () => {
    // GIVEN
    await t.sim.deploy(synthesize((stack) => { new s3.Bucket(stack, 'Recordings', { bucketName: 'my-recordings' }); }));

    // WHEN
    const created = await t.client.send(new CreateStorageConfigurationCommand({ s3: { bucketName: 'my-recordings' } }));

    // THEN
    expect(created.storageConfiguration?.s3?.bucketName).toBe('my-recordings');
  });

  test('roles, keys, functions and buckets answer Ref and GetAtt with names and ARNs of the stack\'s account and region', async () => {
    // GIVEN
    const artifact = synthesize((stack) => {
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), roleName: 'my-role' });
      const key = new kms.Key(stack, 'Key');
      const bucket = new s3.Bucket(stack, 'Bucket');
      new CfnOutput(stack, 'RoleArn', { value: role.roleArn });
      new CfnOutput(stack, 'RoleName', { value: role.roleName });
      new CfnOutput(stack, 'KeyArn', { value: key.keyArn });
      new CfnOutput(stack, 'BucketArn', { value: bucket.bucketArn });
      new CfnOutput(stack, 'BucketDomain', { value: bucket.bucketRegionalDomainName });
      new CfnOutput(stack, 'KeyIdFromArn', { value: Fn.select(1, Fn.split('/', key.keyArn)) });
    });

    // WHEN
    const result = await t.sim.deploy(artifact);

    // THEN
    const bucketName = Object.values(t.sim.resources).find((r) => r.type === 'AWS::S3::Bucket')!.physicalId;
    expect(result.outputs).toEqual({
      RoleArn: 'arn:aws:iam::123456789012:role/my-role',
      RoleName: 'my-role',
      KeyArn: expect.stringMatching(/^arn:aws:kms:us-east-1:123456789012:key\/[0-9a-f-]{36}$/),
      BucketArn: `arn:aws:s3:::${bucketName}`,
      BucketDomain: `${bucketName}.s3.us-east-1.amazonaws.com`,
      KeyIdFromArn: Object.values(t.sim.resources).find((r) => r.type === 'AWS::KMS::Key')!.physicalId,
    });
  });

  test('an attribute a stub does not have fails the resource that reads it', async () => {
    // GIVEN
    const artifact = synthesize((stack) => {
      const bucket = new s3.Bucket(stack, 'Bucket');
      new CfnOutput(stack, 'Nope', { value: (bucket.node.defaultChild as s3.CfnBucket).getAtt('NoSuchAttribute').toString() });
    });

    // WHEN
    const result = await t.sim.deploy(artifact);

    // THEN
    expect(result.success).toBe(false);
    expect(result.reason).toMatch(/^Outputs \(AWS::CloudFormation::Stack\): Template error: resource Bucket[0-9A-F]+ does not support attribute type NoSuchAttribute in Fn::GetAtt$/);
  });

  test('a new name replaces a stub resource: it gets a new physical ID', async () => {
    // GIVEN
    await t.sim.deploy(synthesize((stack) => { new s3.Bucket(stack, 'Bucket', { bucketName: 'first-name' }); }));

    // WHEN
    await t.sim.deploy(synthesize((stack) => { new s3.Bucket(stack, 'Bucket', { bucketName: 'second-name' }); }));

    // THEN
    expect(Object.values(t.sim.resources).map((r) => r.physicalId)).toEqual(['second-name']);
  });
});
