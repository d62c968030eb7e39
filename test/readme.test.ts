import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IngestConfiguration, IngestProtocol, ParticipantTokenIssuer, PublicKey, PublicKeyMaterial, Stage } from '../src';
import { stageEndpoints } from './emulator/ids';
import { MAX_USER_TAGS } from '../src/custom-resources/creator-tag-contract';
import { StreamKeySecretValue } from '../src/custom-resources/ingest-configuration-contract';

/*
 * What the README and API.md say, checked against the code: the tag limit, the alarm example, the
 * OBS settings for an RTMPS ingest, and the endpoints an imported stage needs.
 */

const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
const API = fs.readFileSync(path.join(ROOT, 'API.md'), 'utf-8');

/** The README section under `heading` (a `## ` or `### ` line), up to the next heading. */
function section(heading: string): string {
  const start = README.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no '${heading}'`);
  const end = README.slice(start + heading.length + 2).search(/\n##+ /);
  return README.slice(start, end < 0 ? undefined : start + heading.length + 2 + end);
}

/** The first ```ts block of `text`. */
function firstTsBlock(text: string): string {
  const match = /```ts\n([\s\S]*?)```/.exec(text);
  if (!match) throw new Error('no ts block');
  return match[1];
}

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
}

describe('the tag limit', () => {
  test(`every tag limit in the README and in API.md's tags props is MAX_USER_TAGS (${MAX_USER_TAGS})`, () => {
    // WHEN
    const readme = [...README.matchAll(/at most (\d+) tags|so you have (\d+)/gi)].map((match) => Number(match[1] ?? match[2]));
    const api = [...API.matchAll(/Tags for the [a-z ]+: at most (\d+)/g)].map((match) => Number(match[1]));

    // THEN: the stage's and the ingest's README mentions, and each construct's tags prop in API.md
    expect(readme.length).toBeGreaterThanOrEqual(2);
    expect(api.length).toBeGreaterThanOrEqual(5);
    expect([...readme, ...api]).toEqual(Array(readme.length + api.length).fill(MAX_USER_TAGS));
  });
});

describe('the alarm example of "Metrics"', () => {
  const example = firstTsBlock(section('## Metrics'));

  test('states the threshold, the comparison and the period, and its description says the same', () => {
    // THEN
    expect(example).toMatch(/threshold: 5,/);
    expect(example).toMatch(/comparisonOperator: cloudwatch\.ComparisonOperator\.GREATER_THAN_OR_EQUAL_TO_THRESHOLD/);
    expect(example).toMatch(/metricDownloadPacketLoss\(\{ period: Duration\.minutes\(1\) \}\)/);
    expect(example).toMatch(/evaluationPeriods: 3,/);
    expect(example).toMatch(/alarmDescription: 'Subscribers lose 5% of packets or more, on average, for 3 minutes in a row'/);
  });

  test('what the README says of the defaults holds: a 5-minute period, and "greater than or equal to"', () => {
    // GIVEN
    const stack = newStack();
    const stage = new Stage(stack, 'Stage');

    // WHEN
    stage.metricDownloadPacketLoss().createAlarm(stack, 'Defaults', { threshold: 5, evaluationPeriods: 3 });

    // THEN
    expect(section('## Metrics')).toMatch(/A metric's period is 5 minutes unless you give one, and an alarm\s+compares with "greater than or equal to" \(`GREATER_THAN_OR_EQUAL_TO_THRESHOLD`\)/);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Period: 300,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  test('the example, built as written, alarms at 5% or more averaged over each of 3 one-minute periods', () => {
    // GIVEN
    const stack = newStack();
    const stage = new Stage(stack, 'Stage');

    // WHEN
    stage.metricDownloadPacketLoss({ period: Duration.minutes(1) }).createAlarm(stack, 'PacketLoss', {
      threshold: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 3,
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DownloadPacketLoss',
      Statistic: 'Average',
      Period: 60,
      EvaluationPeriods: 3,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });
});

describe('the OBS settings of "IngestConfiguration"', () => {
  const text = section('## IngestConfiguration');
  const row = (field: string) => new RegExp(`^\\| ${field} \\| (.+) \\|$`, 'm').exec(text)?.[1];

  test('the Server is the ingestEndpoint value as it is, a full URL of the form the stage\'s RTMPS endpoint has', () => {
    // GIVEN
    const example = /`(rtmps:\/\/[^`]+)`/.exec(row('Server') ?? '')?.[1];

    // THEN
    expect(row('Service')).toBe('`Custom...`');
    expect(row('Server')).toMatch(/^the `ingestEndpoint` value as it is/);
    expect(text).toMatch(/`ingestEndpoint` is a full URL, not a host/);
    const form = /^rtmps:\/\/[a-z0-9]+\.global-contribute\.live-video\.net:443\/app\/$/;
    expect(example).toMatch(form);
    expect(stageEndpoints().rtmps).toMatch(form);
  });

  test('an RTMPS ingest configuration\'s ingestEndpoint is its stage\'s rtmpsEndpoint, unchanged', () => {
    // GIVEN
    const stack = newStack();
    const stage = new Stage(stack, 'Stage');

    // WHEN
    const ingest = new IngestConfiguration(stack, 'Studio', { ingestProtocol: IngestProtocol.RTMPS, stage });

    // THEN
    expect(stack.resolve(ingest.ingestEndpoint)).toEqual(stack.resolve(stage.rtmpsEndpoint));
  });

  test('the Stream Key is the streamKey field of the secret, as the handler writes it', () => {
    // GIVEN
    const field: keyof StreamKeySecretValue = 'streamKey';

    // THEN
    expect(row('Stream Key')).toMatch(new RegExp(`^the \`${field}\` field of the stream key secret`));
  });
});

describe('the fromStageAttributes example of "Importing a stage"', () => {
  const example = firstTsBlock(section('### Importing a stage'));

  test('gives every endpoint', () => {
    // THEN
    for (const endpoint of ['whipEndpoint', 'rtmpEndpoint', 'rtmpsEndpoint', 'eventsEndpoint']) {
      expect(example).toMatch(new RegExp(`^  ${endpoint}: '[a-z]+://`, 'm'));
    }
  });

  test('an import made as the example makes it serves a self-signed token issuer and an RTMPS ingest endpoint', () => {
    // GIVEN
    const stack = newStack();
    const attributes = Object.fromEntries([...example.slice(example.indexOf('fromStageAttributes'))
      .matchAll(/^  (\w+): '([^']+)',/gm)].map((match) => [match[1], match[2]]));
    const stage = Stage.fromStageAttributes(stack, 'Imported', {
      ...attributes,
      stageArn: 'arn:aws:ivs:us-east-1:111111111111:stage/AbCdEfGh1234',
    });
    const signingKey = new PublicKey(stack, 'Key', { publicKeyMaterial: PublicKeyMaterial.generateInKms() });

    // WHEN
    const ingest = new IngestConfiguration(stack, 'Studio', { ingestProtocol: IngestProtocol.RTMPS, stage });
    const issuer = () => new ParticipantTokenIssuer(stack, 'Tokens', { stages: [stage], signingKey });

    // THEN
    expect(ingest.ingestEndpoint).toBe(attributes.rtmpsEndpoint);
    expect(issuer).not.toThrow();
    expect(stage.whipEndpoint).toBe(attributes.whipEndpoint);
    expect(stage.eventsEndpoint).toBe(attributes.eventsEndpoint);
  });
});
