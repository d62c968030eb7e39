import { CfnResource, Fn } from 'aws-cdk-lib';
import { ECHO_TYPE, echoResource } from './fixtures/echo';
import { useSimulator } from './harness';
import { synthesize } from './index';

const t = useSimulator();

describe('the requests a handler receives', () => {
  test('a Create carries stringified properties and the fields CloudFormation sends, and no physical ID', async () => {
    // GIVEN a custom resource with a number, a boolean and nested values
    const artifact = synthesize((stack) => {
      echoResource(stack, 'Echo', { Count: 30, Enabled: true, Nested: { List: [1, false, 'x'], Deep: { N: 2.5 } } });
    });

    // WHEN it is deployed
    const result = await t.sim.deploy(artifact);

    // THEN the handler got every scalar as a string, shapes kept
    expect(result.success).toBe(true);
    const request = result.events.find((e) => e.resourceType === ECHO_TYPE)!.request!;
    expect(request.ResourceProperties).toEqual({
      ServiceToken: expect.stringMatching(/^arn:aws:lambda:us-east-1:123456789012:function:/),
      Count: '30',
      Enabled: 'true',
      Nested: { List: ['1', 'false', 'x'], Deep: { N: '2.5' } },
    });
    expect(request).toEqual(expect.objectContaining({
      RequestType: 'Create',
      ServiceToken: request.ResourceProperties.ServiceToken,
      StackId: expect.stringMatching(/^arn:aws:cloudformation:us-east-1:123456789012:stack\/SimulatedStack\/[0-9a-f-]{36}$/),
      RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      LogicalResourceId: 'Echo',
      ResourceType: ECHO_TYPE,
      ResponseURL: expect.stringMatching(/^https:\/\/cloudformation-custom-resource-response-useast1\.s3\.amazonaws\.com\/.+X-Amz-Signature=[0-9a-f]{64}$/),
    }));
    expect(request).not.toHaveProperty('PhysicalResourceId');
    expect(request).not.toHaveProperty('OldResourceProperties');
  });

  test('the service token names a function whose code is the asset the template points to', async () => {
    // GIVEN
    const artifact = synthesize((stack) => {
      echoResource(stack, 'Echo', { Data: { Answer: 'from the fixture' } });
    });

    // WHEN
    const result = await t.sim.deploy(artifact);

    // THEN the fixture handler answered, through the response wrapper
    expect(result.events.find((e) => e.logicalId === 'Echo')!.response).toEqual(expect.objectContaining({
      Status: 'SUCCESS',
      LogicalResourceId: 'Echo',
      Data: { Answer: 'from the fixture' },
    }));
    expect(t.sim.resources.Echo.attributes).toEqual({ Answer: 'from the fixture' });
  });

  test('an Update carries the old properties and the physical ID', async () => {
    // GIVEN a deployed resource
    await t.sim.deploy(synthesize((stack) => { echoResource(stack, 'Echo', { Size: 1 }); }));
    const physicalId = t.sim.resources.Echo.physicalId;

    // WHEN a property changes
    const result = await t.sim.deploy(synthesize((stack) => { echoResource(stack, 'Echo', { Size: 2 }); }));

    // THEN
    const request = result.events.find((e) => e.logicalId === 'Echo')!.request!;
    expect(request).toEqual(expect.objectContaining({
      RequestType: 'Update',
      PhysicalResourceId: physicalId,
      ResourceProperties: expect.objectContaining({ Size: '2' }),
      OldResourceProperties: expect.objectContaining({ Size: '1' }),
    }));
  });

  test('a Delete carries the physical ID and the last properties', async () => {
    // GIVEN
    await t.sim.deploy(synthesize((stack) => { echoResource(stack, 'Echo', { Size: 1 }); }));
    const physicalId = t.sim.resources.Echo.physicalId;

    // WHEN
    const result = await t.sim.destroy();

    // THEN
    const request = result.events.find((e) => e.logicalId === 'Echo')!.request!;
    expect(request).toEqual(expect.objectContaining({
      RequestType: 'Delete',
      PhysicalResourceId: physicalId,
      ResourceProperties: expect.objectContaining({ Size: '1' }),
    }));
    expect(request).not.toHaveProperty('OldResourceProperties');
  });

  test('an unchanged resource gets no request', async () => {
    // GIVEN
    const define = () => synthesize((stack) => { echoResource(stack, 'Echo', { Size: 1 }); });
    await t.sim.deploy(define());

    // WHEN the same stack is deployed again
    const result = await t.sim.deploy(define());

    // THEN
    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(result.events.filter((e) => e.request)).toEqual([]);
  });

  test('a changed attribute of a dependency updates the resource that reads it', async () => {
    // GIVEN B reads A's Data
    const define = (value: string) => synthesize((stack) => {
      const a = echoResource(stack, 'A', { Data: { Value: value } });
      echoResource(stack, 'B', { FromA: a.getAttString('Value') });
    });
    await t.sim.deploy(define('one'));

    // WHEN A answers with another value
    const result = await t.sim.deploy(define('two'));

    // THEN B is updated with it
    const requests = result.events.filter((e) => e.request).map((e) => [e.logicalId, e.requestType, e.request!.ResourceProperties.FromA]);
    expect(requests).toEqual([['A', 'Update', undefined], ['B', 'Update', 'two']]);
  });

  test('the console output and the wrapper lines of each invocation are captured, the ResponseURL masked', async () => {
    // GIVEN a handler that logs
    const artifact = synthesize((stack) => { echoResource(stack, 'Echo', { Log: 'hello from the handler' }); });

    // WHEN
    const result = await t.sim.deploy(artifact);

    // THEN
    const logs = result.events.find((e) => e.logicalId === 'Echo')!.logs;
    expect(logs).toContain('hello from the handler');
    expect(logs.some((line) => line.startsWith('submit response to cloudformation'))).toBe(true);
    const secrets = t.sim.sensitiveValues();
    expect(secrets.length).toBeGreaterThan(0);
    expect(t.sim.logs.filter((line) => secrets.some((secret) => line.includes(secret)))).toEqual([]);
  });

  test('a stub resource gets no request and answers Ref and GetAtt', async () => {
    // GIVEN a bucket whose name and ARN a custom resource reads
    const artifact = synthesize((stack) => {
      const bucket = new CfnResource(stack, 'Bucket', { type: 'AWS::S3::Bucket' });
      echoResource(stack, 'Echo', { Name: bucket.ref, Arn: Fn.getAtt('Bucket', 'Arn').toString() });
    });

    // WHEN
    const result = await t.sim.deploy(artifact);

    // THEN
    const bucketName = t.sim.resources.Bucket.physicalId;
    expect(bucketName).toMatch(/^simulatedstack-bucket-[0-9a-f]{12}$/);
    expect(result.events.find((e) => e.logicalId === 'Bucket')!.request).toBeUndefined();
    expect(t.sim.resources.Echo.properties).toEqual(expect.objectContaining({ Name: bucketName, Arn: `arn:aws:s3:::${bucketName}` }));
  });
});
