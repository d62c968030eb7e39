import { Aws, CfnOutput, CfnParameter, Fn } from 'aws-cdk-lib';
import { echoResource } from './fixtures/echo';
import { useSimulator } from './harness';
import { synthesize } from './index';
import { references, resolve, ResolveContext, ResolveError, stringifyProperties } from './intrinsics';

const ctx: ResolveContext = {
  stackName: 'Stack',
  stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Stack/guid',
  region: 'us-east-1',
  accountId: '123456789012',
  parameters: { Env: 'prod' },
  ref: (logicalId) => {
    if (logicalId !== 'Bucket') throw new ResolveError(`no ${logicalId}`);
    return 'my-bucket';
  },
  getAtt: (logicalId, attribute) => `${logicalId}.${attribute}-value`,
};

describe('resolve', () => {
  test.each([
    ['AWS::Partition', 'aws'],
    ['AWS::Region', 'us-east-1'],
    ['AWS::AccountId', '123456789012'],
    ['AWS::StackName', 'Stack'],
    ['AWS::StackId', 'arn:aws:cloudformation:us-east-1:123456789012:stack/Stack/guid'],
    ['AWS::URLSuffix', 'amazonaws.com'],
  ])('Ref %s is %s', (name, value) => {
    expect(resolve({ Ref: name }, ctx)).toBe(value);
  });

  test('Ref reads a parameter, then a resource', () => {
    expect(resolve([{ Ref: 'Env' }, { Ref: 'Bucket' }], ctx)).toEqual(['prod', 'my-bucket']);
  });

  test('Fn::GetAtt takes the list and the dotted form', () => {
    expect(resolve([{ 'Fn::GetAtt': ['Stage', 'Arn'] }, { 'Fn::GetAtt': 'Stage.Endpoints.Whip' }], ctx))
      .toEqual(['Stage.Arn-value', 'Stage.Endpoints.Whip-value']);
  });

  test('Fn::Join joins resolved values', () => {
    expect(resolve({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'Bucket' }]] }, ctx)).toBe('arn:aws:s3:::my-bucket');
  });

  test('Fn::Select picks from a resolved list, with a string or number index', () => {
    expect(resolve({ 'Fn::Select': ['1', { 'Fn::Split': ['/', 'a/b/c'] }] }, ctx)).toBe('b');
    expect(resolve({ 'Fn::Select': [2, ['a', 'b', 'c']] }, ctx)).toBe('c');
  });

  test('Fn::Select refuses an index outside the list', () => {
    expect(() => resolve({ 'Fn::Select': [3, ['a']] }, ctx, 'P')).toThrow('Template error: Fn::Select at P: index 3 is outside a list of 1');
  });

  test('Fn::Split splits a resolved string', () => {
    expect(resolve({ 'Fn::Split': [':', { 'Fn::GetAtt': ['Stage', 'Arn'] }] }, ctx)).toEqual(['Stage.Arn-value']);
    expect(resolve({ 'Fn::Split': [':', 'a:b'] }, ctx)).toEqual(['a', 'b']);
  });

  test('Fn::Sub fills pseudo parameters, resources, attributes and variables, and keeps ${!literals}', () => {
    expect(resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}/${Stage.Arn}/${!Keep}' }, ctx))
      .toBe('arn:aws:s3:::my-bucket/Stage.Arn-value/${Keep}');
    expect(resolve({ 'Fn::Sub': ['${Name}-${AWS::Region}', { Name: { Ref: 'Env' } }] }, ctx)).toBe('prod-us-east-1');
  });

  test('Ref AWS::NoValue removes the property or list item', () => {
    expect(resolve({ A: 'a', B: { Ref: 'AWS::NoValue' }, C: ['x', { Ref: 'AWS::NoValue' }] }, ctx)).toEqual({ A: 'a', C: ['x'] });
  });

  test('an unsupported function is refused with its place', () => {
    expect(() => resolve({ Outer: { 'Fn::ImportValue': 'X' } }, ctx, 'R.Properties'))
      .toThrow('the simulator does not support Fn::ImportValue at R.Properties.Outer');
  });

  test('an unknown resource fails the way the context says', () => {
    expect(() => resolve({ Ref: 'Nope' }, ctx)).toThrow('no Nope');
  });
});

describe('references', () => {
  test('finds Ref, GetAtt and Sub references, but not Sub variables or literals', () => {
    const found = references({
      A: { Ref: 'Bucket' },
      B: [{ 'Fn::GetAtt': ['Stage', 'Arn'] }, { 'Fn::GetAtt': 'Key.Arn' }],
      C: { 'Fn::Sub': ['${Role.Arn}-${Var}-${!Literal}-${AWS::Region}', { Var: { Ref: 'Topic' } }] },
    });
    expect([...found].sort()).toEqual(['AWS::Region', 'Bucket', 'Key', 'Role', 'Stage', 'Topic']);
  });
});

describe('stringifyProperties', () => {
  test('turns numbers and booleans into strings at any depth and keeps the shape', () => {
    expect(stringifyProperties({ N: 0, B: false, S: 's', L: [1, [true]], O: { X: 1.5, Y: null } }))
      .toEqual({ N: '0', B: 'false', S: 's', L: ['1', ['true']], O: { X: '1.5', Y: null } });
  });
});

describe('through a deployed stack', () => {
  const t = useSimulator();

  test('outputs resolve custom resource attributes, pseudo parameters and parameters', async () => {
    // GIVEN
    const artifact = synthesize((stack) => {
      const env = new CfnParameter(stack, 'Env', { default: 'dev' });
      const echo = echoResource(stack, 'Echo', { Data: { Arn: 'arn:aws:ivs:us-east-1:123456789012:stage/AbCd' } });
      new CfnOutput(stack, 'Id', { value: Fn.select(1, Fn.split('/', echo.getAttString('Arn'))) });
      new CfnOutput(stack, 'Where', { value: `${Aws.PARTITION}/${Aws.REGION}/${Aws.ACCOUNT_ID}/${Aws.STACK_NAME}/${env.valueAsString}` });
      new CfnOutput(stack, 'Sub', { value: Fn.sub('${AWS::URLSuffix}-${Echo.Arn}') });
    });

    // WHEN
    const result = await t.sim.deploy(artifact);

    // THEN
    expect(result.outputs).toEqual({
      Id: 'AbCd',
      Where: 'aws/us-east-1/123456789012/SimulatedStack/dev',
      Sub: 'amazonaws.com-arn:aws:ivs:us-east-1:123456789012:stage/AbCd',
    });
  });

  test('a parameter value given to deploy wins over the default', async () => {
    // GIVEN
    const artifact = synthesize((stack) => {
      new CfnOutput(stack, 'Value', { value: new CfnParameter(stack, 'Env', { default: 'dev' }).valueAsString });
      echoResource(stack, 'Echo');
    });

    // WHEN
    const result = await t.sim.deploy(artifact, { Env: 'prod' });

    // THEN
    expect(result.outputs.Value).toBe('prod');
  });

  test('a custom resource attribute missing from the response fails the resource that reads it, and the stack rolls back', async () => {
    // GIVEN B reads an attribute A's handler never returns
    const artifact = synthesize((stack) => {
      const a = echoResource(stack, 'A', { Data: { Present: 'yes' } });
      echoResource(stack, 'B', { FromA: a.getAttString('Absent') });
    });

    // WHEN
    const result = await t.sim.deploy(artifact);

    // THEN B was never sent a request, A is deleted again
    const createA = result.events.find((e) => e.logicalId === 'A' && e.requestType === 'Create')!.request!;
    expect(result.success).toBe(false);
    expect(result.status).toBe('ROLLBACK_COMPLETE');
    expect(result.reason).toBe("B (Custom::Echo): CustomResource attribute error: Vendor response doesn't contain Absent key in object "
      + `${createA.StackId}|A|${createA.RequestId} in S3 bucket cloudformation-custom-resource-storage-useast1`);
    expect(result.events.filter((e) => e.request).map((e) => `${e.requestType} ${e.logicalId}`)).toEqual(['Create A', 'Delete A']);
    expect(t.sim.resources).toEqual({});
  });
});
