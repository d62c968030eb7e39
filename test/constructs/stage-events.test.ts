import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  CompositionEventName,
  ParticipantRecordingEventName,
  Stage,
  StageEvents,
  StageUpdateEventName,
} from '../../src';

const STAGE_ARN = 'arn:aws:ivs:us-east-1:111111111111:stage/AbCdEfGh1234';

function newStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'us-east-1' } });
}

function importedStage(stack: Stack) {
  return Stage.fromStageArn(stack, 'Stage', STAGE_ARN);
}

/** The event pattern of the only rule in the stack. */
function rulePattern(stack: Stack): unknown {
  const rules = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule')) as Array<{ Properties: { EventPattern: unknown; EventBusName?: string } }>;
  expect(rules).toHaveLength(1);
  // No EventBusName: the rule is on the default bus, where AWS service events arrive.
  expect(rules[0].Properties.EventBusName).toBeUndefined();
  return rules[0].Properties.EventPattern;
}

describe('rules on the default bus, filtered to the stage', () => {
  test('onEvent matches every IVS event naming the stage in resources', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    importedStage(stack).onEvent('Any');

    // THEN
    expect(rulePattern(stack)).toEqual({ source: ['aws.ivs'], resources: [STAGE_ARN] });
  });

  test.each([
    ['onParticipantPublished', 'Participant Published'],
    ['onParticipantUnpublished', 'Participant Unpublished'],
    ['onParticipantPublishError', 'Participant Publish Error'],
  ] as const)('%s matches that Stage Update event of the stage', (method, eventName) => {
    // GIVEN
    const stack = newStack();

    // WHEN
    importedStage(stack)[method]('Rule');

    // THEN
    expect(rulePattern(stack)).toEqual({
      'source': ['aws.ivs'],
      'detail-type': ['IVS Stage Update'],
      'resources': [STAGE_ARN],
      'detail': { event_name: [eventName] },
    });
  });

  test('onStageUpdate without event names matches every Stage Update event of the stage', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    importedStage(stack).onStageUpdate('Rule');

    // THEN
    expect(rulePattern(stack)).toEqual({ 'source': ['aws.ivs'], 'detail-type': ['IVS Stage Update'], 'resources': [STAGE_ARN] });
  });

  test('onStageUpdate takes names this library has no constant for', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    importedStage(stack).onStageUpdate('Rule', { eventNames: [StageUpdateEventName.of('Some Future Event')] });

    // THEN
    expect(rulePattern(stack)).toEqual(expect.objectContaining({ detail: { event_name: ['Some Future Event'] } }));
  });

  test('onParticipantRecordingStateChange filters by resources and the event names given', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    importedStage(stack).onParticipantRecordingStateChange('Rule', {
      eventNames: [ParticipantRecordingEventName.RECORDING_END, ParticipantRecordingEventName.RECORDING_END_FAILURE],
    });

    // THEN
    expect(rulePattern(stack)).toEqual({
      'source': ['aws.ivs'],
      'detail-type': ['IVS Participant Recording State Change'],
      'resources': [STAGE_ARN],
      'detail': { event_name: ['Recording End', 'Recording End Failure'] },
    });
  });

  test('onCompositionStateChange filters by detail.stage_arn, not resources', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    importedStage(stack).onCompositionStateChange('Rule', { eventNames: [CompositionEventName.SESSION_END] });

    // THEN
    expect(rulePattern(stack)).toEqual({
      'source': ['aws.ivs'],
      'detail-type': ['IVS Composition State Change'],
      'detail': { stage_arn: [STAGE_ARN], event_name: ['Session End'] },
    });
  });

  test('an extra eventPattern merges by union: a list the helper sets widens, a field it does not set narrows', () => {
    // GIVEN
    const stack = newStack();

    // WHEN a rule for Participant Published events is given an extra detail-type, event name and account
    importedStage(stack).onParticipantPublished('Rule', {
      eventPattern: {
        detailType: ['IVS Participant Recording State Change'],
        detail: { event_name: ['Recording Start'] },
        account: ['111111111111'],
      },
    });

    // THEN (aws-cdk-lib's Rule.addEventPattern) the lists take both sets of values, so the rule also
    // matches events the helper alone would not; the account, which the helper does not set, is added
    expect(rulePattern(stack)).toEqual({
      'source': ['aws.ivs'],
      'detail-type': ['IVS Participant Recording State Change', 'IVS Stage Update'],
      'resources': [STAGE_ARN],
      'detail': { event_name: ['Recording Start', 'Participant Published'] },
      'account': ['111111111111'],
    });
  });

  test('the rule gets the target, name and description given, and is a child of the stage', () => {
    // GIVEN
    const stack = newStack();
    const queue = new sqs.Queue(stack, 'Queue');
    const stage = new Stage(stack, 'Live');

    // WHEN
    const rule = stage.onParticipantPublished('Published', {
      target: new targets.SqsQueue(queue),
      ruleName: 'published',
      description: 'participants publishing',
    });

    // THEN
    expect(rule.node.scope).toBe(stage);
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      Name: 'published',
      Description: 'participants publishing',
      EventPattern: { resources: [{ 'Fn::GetAtt': [stack.getLogicalId(stage.node.defaultChild as CfnResource), 'Arn'] }] },
      Targets: [{ Arn: { 'Fn::GetAtt': [stack.getLogicalId(queue.node.defaultChild as sqs.CfnQueue), 'Arn'] } }],
    });
  });

  test('an empty list of event names is an error, not a rule that matches nothing', () => {
    // GIVEN
    const stack = newStack();

    // WHEN / THEN
    expect(() => importedStage(stack).onStageUpdate('Rule', { eventNames: [] })).toThrow(
      'TestStack/Stage: eventNames must hold at least one event name (leave it out to match every event), got none',
    );
  });
});

describe('StageEvents patterns', () => {
  test('work on a CfnStage, by its Ref', () => {
    // GIVEN
    const stack = newStack();
    const stage = new ivs.CfnStage(stack, 'CfnStage', {});

    // WHEN
    const pattern = StageEvents.fromStage(stage).stageUpdatePattern();

    // THEN
    expect(stack.resolve(pattern)).toEqual({ source: ['aws.ivs'], detailType: ['IVS Stage Update'], resources: [{ Ref: 'CfnStage' }] });
  });

  test('are the patterns of the rules', () => {
    // GIVEN
    const stack = newStack();
    const stage = importedStage(stack);

    // WHEN
    const pattern = StageEvents.fromStage(stage).compositionStateChangePattern();
    new events.Rule(stack, 'Own', { eventPattern: pattern });

    // THEN
    expect(rulePattern(stack)).toEqual({
      'source': ['aws.ivs'],
      'detail-type': ['IVS Composition State Change'],
      'detail': { stage_arn: [STAGE_ARN] },
    });
  });

  test.each([
    ['StageUpdateEventName', StageUpdateEventName.of('A'), StageUpdateEventName.PARTICIPANT_PUBLISHED, 'Participant Published'],
    ['ParticipantRecordingEventName', ParticipantRecordingEventName.of('A'), ParticipantRecordingEventName.RECORDING_START, 'Recording Start'],
    ['CompositionEventName', CompositionEventName.of('A'), CompositionEventName.DESTINATION_RECONNECTING, 'Destination Reconnecting'],
  ])('%s.of() gives any name; the constants give the documented ones', (_name, custom, constant, documented) => {
    expect([custom.eventName, constant.eventName]).toEqual(['A', documented]);
  });

  test('event name constants carry their detail-type', () => {
    expect([StageUpdateEventName.DETAIL_TYPE, ParticipantRecordingEventName.DETAIL_TYPE, CompositionEventName.DETAIL_TYPE]).toEqual([
      'IVS Stage Update', 'IVS Participant Recording State Change', 'IVS Composition State Change',
    ]);
  });
});
