import * as cloudwatch_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { awsSolutionsFindings } from './aws-solutions';
import { IvsRealtimeDashboard, ParticipantTokenIssuer, Stage } from '../../src';

/*
 * cdk-nag's AwsSolutions pack over the dashboard with everything on it, as cdk-nag.test.ts runs it
 * over the other constructs: its event log, the log's resource policy, the rules and the alarms.
 */

test('a dashboard with stages, an issuer, a function with a dead-letter queue and alarms has no AwsSolutions finding', () => {
  // WHEN
  const findings = awsSolutionsFindings((stack) => {
    const stage = new Stage(stack, 'Stage');
    const issuer = new ParticipantTokenIssuer(stack, 'Tokens', { stages: [stage] });
    const dashboard = new IvsRealtimeDashboard(stack, 'Dashboard', {
      stages: [stage, new ivs.CfnStage(stack, 'CfnStage', {})],
      tokenIssuers: [issuer],
      alarmActions: [new cloudwatch_actions.SnsAction(sns.Topic.fromTopicArn(stack, 'OnCall', 'arn:aws:sns:us-east-1:123456789012:on-call'))],
    });
    dashboard.addFunction('Composer', issuer.issuerFunction, { deadLetterQueue: sqs.Queue.fromQueueArn(stack, 'Dlq', 'arn:aws:sqs:us-east-1:123456789012:dlq') });
  });

  // THEN
  expect(findings).toEqual([]);
});
