import * as path from 'path';
import {
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { CustomResource, CustomResourceProvider, CustomResourceProviderRuntime, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { stubClientConfig } from './aws-json-server';
import { useSimulator } from './harness';
import { LifecycleSimulator, synthesize } from './index';

const t = useSimulator();

/** A custom resource whose handler writes `value` into `secretId` (fixtures/secret-writer). */
function secretWriter(stack: Stack, id: string, secretId: string, value: string): void {
  const serviceToken = CustomResourceProvider.getOrCreate(stack, 'Custom::SecretWriter', {
    codeDirectory: path.join(__dirname, 'fixtures', 'secret-writer'),
    runtime: CustomResourceProviderRuntime.NODEJS_22_X,
  });
  new CustomResource(stack, id, { serviceToken, resourceType: 'Custom::SecretWriter', properties: { SecretId: secretId, Value: value } });
}

/** The real SDK client, pointed at the stub the way a handler's is (the endpoint variable's value). */
function secretsClient(sim: LifecycleSimulator): SecretsManagerClient {
  return new SecretsManagerClient(stubClientConfig(sim.secrets.endpoint));
}

/** Deploys a stack with one secret named `name` and returns its ARN. */
async function deploySecret(sim: LifecycleSimulator, name: string): Promise<string> {
  await sim.deploy(synthesize((stack) => { new secretsmanager.Secret(stack, 'Secret', { secretName: name }); }));
  return sim.secrets.get(name)!.arn;
}

describe('the Secrets Manager stub', () => {
  test('an AWS::SecretsManager::Secret of the stack exists in the stub, its ARN as Ref', async () => {
    // GIVEN
    const artifact = synthesize((stack) => { new secretsmanager.Secret(stack, 'StreamKey', { secretName: 'stream-key' }); });

    // WHEN
    await t.sim.deploy(artifact);

    // THEN it is found by the resource's logical ID, and generated a value as asked
    const [logicalId, resource] = Object.entries(t.sim.resources).find(([, r]) => r.type === 'AWS::SecretsManager::Secret')!;
    const secret = t.sim.secrets.get(logicalId)!;
    expect(secret.arn).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:stream-key-[0-9a-f]{6}$/);
    expect(secret.name).toBe('stream-key');
    expect(resource.physicalId).toBe(secret.arn);
    expect(secret.value).toMatch(/^[\w-]{32}$/);
  });

  test('a handler writes into a secret of the stack through AWS_ENDPOINT_URL_SECRETS_MANAGER, and the test sees the value', async () => {
    // GIVEN
    const artifact = synthesize((stack) => {
      const secret = new secretsmanager.Secret(stack, 'StreamKey');
      secretWriter(stack, 'Writer', secret.secretArn, 'rt_123456789012_us-east-1_AbCd_secret');
    });

    // WHEN
    const result = await t.sim.deploy(artifact);

    // THEN
    expect(result.success).toBe(true);
    const secret = t.sim.secrets.list()[0];
    expect(secret.writes).toEqual(['rt_123456789012_us-east-1_AbCd_secret']);
    expect(secret.value).toBe('rt_123456789012_us-east-1_AbCd_secret');
    expect(t.sim.secrets.requests).toEqual([{ operation: 'PutSecretValue', secretId: secret.arn, status: 200, errorType: undefined }]);
    expect(t.sim.sensitiveValues()).toContain('rt_123456789012_us-east-1_AbCd_secret');
  });

  test('a write to a secret the stack did not create fails, and the handler\'s deploy with it', async () => {
    // GIVEN a handler writing to a secret that does not exist
    const artifact = synthesize((stack) => {
      secretWriter(stack, 'Writer', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:someone-elses-AbCdEf', 'value');
    });

    // WHEN
    const result = await t.sim.deploy(artifact);

    // THEN
    expect(result.success).toBe(false);
    expect(result.reason).toContain("Message returned: Error: ResourceNotFoundException: Secrets Manager can't find the specified secret.");
    expect(t.sim.secrets.requests).toEqual([expect.objectContaining({ operation: 'PutSecretValue', status: 400, errorType: 'ResourceNotFoundException' })]);
  });

  test('GetSecretValue answers by ARN or name, through the SDK', async () => {
    // GIVEN a secret with a value written through the SDK
    const arn = await deploySecret(t.sim, 'private-key');
    const client = secretsClient(t.sim);
    const put = await client.send(new PutSecretValueCommand({ SecretId: 'private-key', SecretString: 'pem' }));

    // WHEN
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    const byName = await client.send(new GetSecretValueCommand({ SecretId: 'private-key' }));
    client.destroy();

    // THEN
    expect(byArn).toEqual(expect.objectContaining({ ARN: arn, Name: 'private-key', SecretString: 'pem', VersionId: put.VersionId, VersionStages: ['AWSCURRENT'] }));
    expect(byName).toEqual(expect.objectContaining({ ARN: arn, SecretString: 'pem' }));
  });

  test('a new value becomes AWSCURRENT and the one before AWSPREVIOUS; a retried write with the same token adds nothing', async () => {
    // GIVEN
    const arn = await deploySecret(t.sim, 'stream-key');
    const client = secretsClient(t.sim);

    // WHEN
    await client.send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'one', ClientRequestToken: 'version-one-0000000000000000000000' }));
    await client.send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'two', ClientRequestToken: 'version-two-0000000000000000000000' }));
    await client.send(new PutSecretValueCommand({ SecretId: arn, SecretString: 'two', ClientRequestToken: 'version-two-0000000000000000000000' }));
    const previous = await client.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: 'AWSPREVIOUS' }));
    client.destroy();

    // THEN
    expect(t.sim.secrets.get(arn)!.versions.filter((v) => v.stages.length > 0).map((v) => [v.versionId, v.stages])).toEqual([
      ['version-one-0000000000000000000000', ['AWSPREVIOUS']],
      ['version-two-0000000000000000000000', ['AWSCURRENT']],
    ]);
    expect(previous.SecretString).toBe('one');
    expect(t.sim.secrets.get(arn)!.writes).toEqual(['one', 'two']);
  });

  test('a write to a secret the stack did not create is refused, through the SDK', async () => {
    // GIVEN
    const client = secretsClient(t.sim);

    // WHEN
    const error = await client.send(new PutSecretValueCommand({ SecretId: 'someone-elses', SecretString: 'x' })).catch((e: Error) => e);
    client.destroy();

    // THEN
    expect(error).toEqual(expect.objectContaining({ name: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." }));
  });

  test('an operation the stub does not implement is refused', async () => {
    // GIVEN
    const client = secretsClient(t.sim);

    // WHEN
    const error = await client.send(new DeleteSecretCommand({ SecretId: 'x' })).catch((e: Error) => e);
    client.destroy();

    // THEN
    expect(error).toEqual(expect.objectContaining({ name: 'UnknownOperationException', message: 'The stub does not implement DeleteSecret.' }));
  });

  test('the secret is gone once the stack is destroyed', async () => {
    // GIVEN
    await t.sim.deploy(synthesize((stack) => { new secretsmanager.Secret(stack, 'Key'); }));

    // WHEN
    await t.sim.destroy();

    // THEN
    expect(t.sim.secrets.list()).toEqual([]);
  });
});
