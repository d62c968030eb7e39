import * as events from 'aws-cdk-lib/aws-events';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import { aws_ivs as ivsRefs } from 'aws-cdk-lib/interfaces';
import { CompositionEventName } from '../constructs/stage-events';

/**
 * `IVS Composition State Change` `Session End` events of the stage's compositions. Whether these
 * events name the stage in `resources` or only in `detail.stage_arn` is not confirmed by an AWS
 * reference page, so the pattern matches either (`$or`).
 */
export function compositionSessionEndPattern(stage: ivsRefs.IStageRef): events.EventPattern {
  const stageArn = ivs.CfnStage.arnForStage(stage);
  return {
    source: ['aws.ivs'],
    detailType: [CompositionEventName.DETAIL_TYPE],
    detail: { event_name: [CompositionEventName.SESSION_END.eventName] },
    $or: [{ resources: [stageArn] }, { detail: { stage_arn: [stageArn] } }],
  } as events.EventPattern;
}

