import * as path from 'path';
import { CreateStageCommand } from '@aws-sdk/client-ivs-realtime';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CompositionDestination, EncoderConfiguration, Stage, StorageConfiguration } from '../../../src';
import { useSimulator } from '../../simulator/harness';
import { synthesize } from '../../simulator/index';

/*
 * A stage composition deployed through the lifecycle simulator: IVS events put on the simulated
 * default bus reach the real composer bundle through the deployed rules, and the recording-complete
 * event it puts on the bus reaches a user's function. Events come in the order each test builds.
 */

// A deploy, or fifty invocations, on a machine shared with other work: more than Jest's 5 seconds.
jest.setTimeout(30_000);

const t = useSimulator();

const TARGET_CODE = path.join(__dirname, '..', '..', 'simulator', 'fixtures', 'event-target');

function compositionStack() {
  return synthesize((stack: Stack) => {
    const bucket = new s3.Bucket(stack, 'Recordings', { removalPolicy: RemovalPolicy.DESTROY });
    const storageConfiguration = new StorageConfiguration(stack, 'Storage', { bucket });
    const encoderConfiguration = new EncoderConfiguration(stack, 'Encoder');
    const stage = new Stage(stack, 'Stage', { stageName: 'town-hall' });
    const composition = stage.addComposition('Composition', {
      destinations: [CompositionDestination.s3({ storageConfiguration, encoderConfiguration })],
    });
    const catalog = new lambda.Function(stack, 'Catalog', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromAsset(TARGET_CODE) });
    composition.onRecordingComplete('RecordingComplete', { target: new targets.LambdaFunction(catalog) });
  });
}

const logicalId = (prefix: string, type: string) => Object.keys(t.sim.resources)
  .find((id) => id.startsWith(prefix) && t.sim.resources[id].type === type)!;
const stageArn = () => t.sim.resources[logicalId('Stage', 'Custom::IvsStage')].physicalId;

function published(sessionId: string, participantId = 'alice') {
  return {
    'source': 'aws.ivs',
    'detail-type': 'IVS Stage Update',
    'resources': [stageArn()],
    'detail': { session_id: sessionId, event_name: 'Participant Published', user_id: participantId, participant_id: participantId },
  };
}

function sessionEnd(compositionArn: string) {
  return {
    'source': 'aws.ivs',
    'detail-type': 'IVS Composition State Change',
    'resources': [compositionArn],
    'detail': { event_name: 'Session End', stage_arn: stageArn() },
  };
}

async function deployed() {
  const result = await t.sim.deploy(compositionStack());
  expect(result.success).toBe(true);
  return t.emu.startStageSession(stageArn());
}

test('a participant publishes: the rule runs the composer, which starts one composition for the session', async () => {
  // GIVEN
  const sessionId = await deployed();

  // WHEN
  const deliveries = await t.sim.putEvent(published(sessionId));

  // THEN
  expect(deliveries).toHaveLength(1);
  expect(deliveries[0].result).toMatchObject({ outcome: 'started', stageArn: stageArn(), sessionId });
  expect(t.emu.compositions(stageArn())).toHaveLength(1);
  expect(deliveries[0].logs.join('\n')).toContain(sessionId);
});

test('a second publisher and a duplicated event start no further composition', async () => {
  // GIVEN
  const sessionId = await deployed();
  const [first] = await t.sim.putEvent(published(sessionId));

  // WHEN
  const again = [...await t.sim.putEvent(published(sessionId, 'bob')), ...await t.sim.putEvent(published(sessionId))];

  // THEN
  expect(again.map((d) => d.result)).toEqual([first.result, first.result]);
  expect(t.emu.compositions(stageArn())).toHaveLength(1);
});

test('the composition\'s session ends: the recording-complete target gets the stage, the session, the bucket and the prefix', async () => {
  // GIVEN
  const sessionId = await deployed();
  const [started] = await t.sim.putEvent(published(sessionId));
  const [ended] = t.emu.endStageSession(stageArn());

  // WHEN
  const deliveries = await t.sim.putEvent(sessionEnd(ended.arn));

  // THEN
  expect(deliveries.map((d) => d.ruleLogicalId)).toEqual([expect.stringMatching(/^StageCompositionCompositionSessionEnd/), expect.stringMatching(/^StageCompositionRecordingComplete/)]);
  const bucket = t.sim.resources[logicalId('Recordings', 'AWS::S3::Bucket')].physicalId;
  expect((deliveries[1].result as { detail: object }).detail).toEqual({
    stageArn: stageArn(),
    sessionId,
    compositionArn: (started.result as { compositionArn: string }).compositionArn,
    bucket,
    recordingPrefix: ended.destinations[0].detail!.s3!.recordingPrefix,
    compositionKey: expect.any(String),
  });
});

test('a composition of another stage ending reaches no target', async () => {
  // GIVEN
  await deployed();
  const { stage } = await t.client.send(new CreateStageCommand({ name: 'elsewhere' }));

  // WHEN
  const deliveries = await t.sim.putEvent({ ...sessionEnd(`arn:aws:ivs:${t.emu.region}:${t.emu.accountId}:composition/abcdEFGH1234`), detail: { event_name: 'Session End', stage_arn: stage!.arn } });

  // THEN
  expect(deliveries).toEqual([]);
});

test('a composition that cannot start (the stage\'s quota) lands in the dead-letter queue with the event and the error', async () => {
  // GIVEN
  const sessionId = await deployed();
  t.emu.setQuotas({ compositionsPerStage: 0 });

  // WHEN
  const [delivery] = await t.sim.putEvent(published(sessionId));

  // THEN: Lambda's two retries, then the on-failure destination
  expect(delivery).toMatchObject({ attempts: 3, error: { errorType: 'ServiceQuotaExceededException' } });
  const queueArn = t.sim.resources[logicalId('StageCompositionDeadLetterQueue', 'AWS::SQS::Queue')].attributes.Arn;
  expect(t.sim.bus.deadLetters).toEqual([{
    destinationArn: queueArn,
    record: {
      requestContext: expect.objectContaining({ condition: 'RetriesExhausted', approximateInvokeCount: 3 }),
      requestPayload: expect.objectContaining({ detail: expect.objectContaining({ session_id: sessionId }) }),
      responsePayload: expect.objectContaining({ errorType: 'ServiceQuotaExceededException' }),
    },
  }]);
});

test('the destroy leaves no IVS resource and no composition in progress', async () => {
  // GIVEN
  const sessionId = await deployed();
  await t.sim.putEvent(published(sessionId));
  t.emu.endStageSession(stageArn());

  // WHEN
  const destroyed = await t.sim.destroy();

  // THEN
  expect(destroyed.success).toBe(true);
  expect(Object.values(t.emu.listResources()).flat()).toEqual([]);
  expect(t.emu.compositions()).toEqual([]);
});
