import * as ivs from 'aws-cdk-lib/aws-ivs';
import { awsSolutionsFindings } from './aws-solutions';
import { CompositionDestination, EncoderConfiguration, Stage, StorageConfiguration } from '../../src';

/*
 * cdk-nag's AwsSolutions pack over a stage composition, as cdk-nag.test.ts runs it over the other
 * constructs: its function, role, log group, rules and dead-letter queue.
 */

test('a composition recording into S3 and broadcasting to a channel, with its failure alarm and recording-complete rule, has no AwsSolutions finding', () => {
  // WHEN
  const findings = awsSolutionsFindings((stack) => {
    const stage = new Stage(stack, 'Stage');
    const encoderConfiguration = new EncoderConfiguration(stack, 'Encoder');
    const storageConfiguration = StorageConfiguration.fromStorageConfigurationArn(stack, 'Storage',
      `arn:aws:ivs:${stack.region}:${stack.account}:storage-configuration/abcdEFGH1234`);
    const composition = stage.addComposition('Composition', {
      destinations: [
        CompositionDestination.s3({ storageConfiguration, encoderConfiguration }),
        CompositionDestination.channel({ channel: new ivs.CfnChannel(stack, 'Channel', {}), encoderConfiguration }),
      ],
    });
    composition.alarmOnFailures('Failures');
    composition.onRecordingComplete('Done');
  });

  // THEN
  expect(findings).toEqual([]);
});
