import * as path from 'path';
import { ListStagesCommand } from '@aws-sdk/client-ivs-realtime';
import { CustomResource } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { useSimulator } from './harness';
import { LifecycleSimulator, synthesize } from './index';
import { Stage } from '../../src';
import { emulatorClient, startEmulator } from '../emulator';

const t = useSimulator();

const stageStack = () => synthesize((stack) => { new Stage(stack, 'Stage', { stageName: 'isolated' }); });

describe('running the real handler bundle', () => {
  test('each simulator runs its own copy of the handler, so its SDK client talks to that simulator\'s emulator', async () => {
    // GIVEN a second emulator and simulator, in the same process
    const other = await startEmulator();
    const otherSim = await LifecycleSimulator.start({ emulator: other });
    const otherClient = emulatorClient(other);
    try {
      // WHEN each deploys the same cloud assembly, the first one before and after the second
      const artifact = stageStack();
      await t.sim.deploy(artifact);
      await otherSim.deploy(artifact);
      await t.sim.destroy();

      // THEN each emulator saw only its own simulator's calls
      expect(t.emu.requests.map((r) => r.operation)).toEqual(['CreateStage', 'GetStage', 'DeleteStage']);
      expect(other.requests.map((r) => r.operation)).toEqual(['CreateStage']);
      expect((await t.client.send(new ListStagesCommand({}))).stages).toEqual([]);
      expect((await otherClient.send(new ListStagesCommand({}))).stages).toEqual([expect.objectContaining({ name: 'isolated' })]);
    } finally {
      otherClient.destroy();
      await otherSim.stop();
      await other.stop();
    }
  });

  test('the handler\'s environment and the console are put back after each invocation', async () => {
    // GIVEN
    const endpointBefore = process.env.AWS_ENDPOINT_URL_IVS_REALTIME;
    const logBefore = console.log;

    // WHEN
    const result = await t.sim.deploy(stageStack());

    // THEN
    expect(result.success).toBe(true);
    expect(process.env.AWS_ENDPOINT_URL_IVS_REALTIME).toBe(endpointBefore);
    expect(console.log).toBe(logBefore);
  });

  test('the handler\'s console output is captured, not printed', async () => {
    // WHEN
    const result = await t.sim.deploy(stageStack());

    // THEN the handler's one line per request is in the event's logs
    const create = result.events.find((e) => e.resourceType === 'Custom::IvsStage')!;
    expect(create.logs).toContain(JSON.stringify({ requestType: 'Create', resourceType: 'Custom::IvsStage', logicalResourceId: create.logicalId }));
  });

  test('a function that is not wrapped by aws-cdk-lib\'s response wrapper is refused with a clear message', async () => {
    // GIVEN a plain Lambda function as a service token
    const artifact = synthesize((stack) => {
      const fn = new lambda.Function(stack, 'Plain', {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromAsset(path.join(__dirname, 'fixtures', 'echo')),
      });
      new CustomResource(stack, 'Custom', { serviceToken: fn.functionArn });
    });

    // WHEN
    const result = await t.sim.deploy(artifact);

    // THEN
    expect(result.reason).toMatch(/^Custom \(AWS::CloudFormation::CustomResource\): CloudFormation did not receive a response/);
    expect(result.logs.join('\n')).toContain('is not aws-cdk-lib\'s custom resource response wrapper (it exports no `external`)');
  });
});
