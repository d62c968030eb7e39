/*
 * Writes the EventBridge patterns of the library's stage rules, as a synthesized template
 * gives them to EventBridge, for the event-ruler check (run.sh). Two stages, A and B, each with
 * every rule the library offers; the output maps "<stage>/<rule>" to the rule's EventPattern, and
 * each stage to the key of its StageComposition whose recording-complete events the fixtures hold.
 *
 * Usage: ts-node --project test/tsconfig.json test/event-patterns/patterns.ts <out.json>
 */
import { writeFileSync } from 'fs';
import { App, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import {
  CompositionDestination,
  CompositionEventName as C,
  EncoderConfiguration,
  IStage,
  IvsRealtimeDashboard,
  ParticipantRecordingEventName as R,
  Stage,
  StageComposition,
  StorageConfiguration,
} from '../../src';

/** The stages of the fixtures: A is the stage every sample event names, B is another. */
const STAGES = {
  A: 'arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij',
  B: 'arn:aws:ivs:us-west-2:123456789012:stage/ZzYyXx9W8vut',
};

/** A StageComposition of `stage` recording into S3, named `id` under the stage (the recording-complete fixture names its key). */
function composition(stage: IStage, id: string): StageComposition {
  const account = stage.stageArn.split(':')[4];
  return stage.addComposition(id, {
    destinations: [CompositionDestination.s3({
      storageConfiguration: StorageConfiguration.fromStorageConfigurationArn(stage, `${id}Storage`, `arn:aws:ivs:us-west-2:${account}:storage-configuration/St0rAge12345`),
      encoderConfiguration: EncoderConfiguration.fromEncoderConfigurationArn(stage, `${id}Encoder`, `arn:aws:ivs:us-west-2:${account}:encoder-configuration/Enc0der12345`),
    })],
  });
}

/** Every rule the library offers for a stage, by the name the fixtures use for it. */
const RULES: Record<string, (stage: IStage, id: string) => events.Rule> = {
  any: (stage, id) => stage.onEvent(id),
  stageUpdate: (stage, id) => stage.onStageUpdate(id),
  participantPublished: (stage, id) => stage.onParticipantPublished(id),
  participantUnpublished: (stage, id) => stage.onParticipantUnpublished(id),
  participantPublishError: (stage, id) => stage.onParticipantPublishError(id),
  recording: (stage, id) => stage.onParticipantRecordingStateChange(id),
  recordingStart: (stage, id) => stage.onParticipantRecordingStateChange(id, { eventNames: [R.RECORDING_START] }),
  recordingEnd: (stage, id) => stage.onParticipantRecordingStateChange(id, { eventNames: [R.RECORDING_END] }),
  recordingStartFailure: (stage, id) => stage.onParticipantRecordingStateChange(id, { eventNames: [R.RECORDING_START_FAILURE] }),
  recordingEndFailure: (stage, id) => stage.onParticipantRecordingStateChange(id, { eventNames: [R.RECORDING_END_FAILURE] }),
  composition: (stage, id) => stage.onCompositionStateChange(id),
  compositionSessionStart: (stage, id) => stage.onCompositionStateChange(id, { eventNames: [C.SESSION_START] }),
  compositionSessionEnd: (stage, id) => stage.onCompositionStateChange(id, { eventNames: [C.SESSION_END] }),
  compositionSessionFailure: (stage, id) => stage.onCompositionStateChange(id, { eventNames: [C.SESSION_FAILURE] }),
  compositionDestinationStart: (stage, id) => stage.onCompositionStateChange(id, { eventNames: [C.DESTINATION_START] }),
  compositionDestinationEnd: (stage, id) => stage.onCompositionStateChange(id, { eventNames: [C.DESTINATION_END] }),
  compositionDestinationFailure: (stage, id) => stage.onCompositionStateChange(id, { eventNames: [C.DESTINATION_FAILURE] }),
  compositionDestinationReconnecting: (stage, id) => stage.onCompositionStateChange(id, { eventNames: [C.DESTINATION_RECONNECTING] }),
  // The rules that feed an IvsRealtimeDashboard's event log, of a dashboard of this stage alone.
  dashboardStageFailures: (stage, id) => dashboardRule(stage, id, 'StageFailureEvents1'),
  dashboardCompositionFailures: (stage, id) => dashboardRule(stage, id, 'CompositionFailureEvents1'),
  // A StageComposition's rules: what starts its composer, the composition Session End it announces
  // recordings on (the stage in resources or detail.stage_arn), and its recording-complete event.
  composerStart: (stage, id) => composition(stage, id).node.findChild('ParticipantPublished') as events.Rule,
  composerSessionEnd: (stage, id) => composition(stage, id).node.findChild('CompositionSessionEnd') as events.Rule,
  recordingComplete: (stage, id) => composition(stage, id).onRecordingComplete('Rule'),
};

/** The rule `ruleId` of a dashboard that watches `stage` only. */
function dashboardRule(stage: IStage, id: string, ruleId: string): events.Rule {
  const dashboard = new IvsRealtimeDashboard(stage.stack, `${stage.node.id}${id}`, { stages: [stage], lifecycleHandlers: false });
  return dashboard.node.findChild(ruleId) as events.Rule;
}

/** The key of each stage's recordingComplete composition, which its recording-complete events carry. */
const compositionKeys: Record<string, string> = {};

function synthesizePatterns(): Record<string, unknown> {
  const app = new App();
  const stack = new Stack(app, 'EventPatterns', { env: { account: '123456789012', region: 'us-west-2' } });
  const logicalIds: Record<string, string> = {};
  for (const [label, arn] of Object.entries(STAGES)) {
    const stage = Stage.fromStageArn(stack, `Stage${label}`, arn);
    for (const [name, define] of Object.entries(RULES)) {
      const rule = define(stage, name);
      logicalIds[`${label}/${name}`] = stack.getLogicalId(rule.node.defaultChild as events.CfnRule);
      if (rule.node.scope instanceof StageComposition) {
        compositionKeys[label] = rule.node.scope.node.addr;
      }
    }
  }
  const template = app.synth().getStackByName(stack.stackName).template;
  return Object.fromEntries(Object.entries(logicalIds).map(([name, logicalId]) => [name, template.Resources[logicalId].Properties.EventPattern]));
}

const out = process.argv[2];
if (!out) {
  throw new Error('usage: patterns.ts <out.json>');
}
const patterns = synthesizePatterns();
writeFileSync(out, JSON.stringify({ stages: STAGES, compositionKeys, patterns }, undefined, 2));
