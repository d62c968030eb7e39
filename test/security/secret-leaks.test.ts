import * as cxapi from 'aws-cdk-lib/cx-api';
import { defineAllConstructs } from './all-constructs';
import { deployOk, destroyOk, expectNoLeaks, writtenCredentials } from '../contract/helpers';
import { IvsEmulator, startEmulator } from '../emulator';
import { DeployResult, LifecycleSimulator, removeSynthesized, synthesize } from '../simulator';

/*
 * The stack with every construct, deployed through the lifecycle simulator (the real handler
 * bundle inside aws-cdk-lib's response wrapper) against the IVS Real-Time emulator, then updated
 * so that the ingest configuration and the generated key are replaced (new credentials), then
 * destroyed. The credentials are read where they really are, in the emulator and in the Secrets
 * Manager stub, and looked for everywhere else.
 */

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let emu: IvsEmulator;
let sim: LifecycleSimulator;
const templates: cxapi.CloudFormationStackArtifact[] = [];
const results: DeployResult[] = [];
/** Stream keys (redundant ones too) as the emulator issued them. */
const issuedStreamKeys = new Set<string>();
/** Every credential the handlers wrote into the secrets: stream keys, private keys whole and line by line. */
let credentials: string[] = [];

interface IssuedIngestConfiguration {
  readonly streamKey: string;
  readonly redundantIngestCredentials?: Array<{ readonly streamKey: string }>;
}

function recordIssuedStreamKeys(): void {
  for (const ingest of emu.listResources().ingestConfigurations as IssuedIngestConfiguration[]) {
    issuedStreamKeys.add(ingest.streamKey);
    (ingest.redundantIngestCredentials ?? []).forEach((credential) => issuedStreamKeys.add(credential.streamKey));
  }
}

// Two synths and three deploys of every construct: a few seconds, more on a busy machine or on an
// aws-cdk-lib that validates each template as it synthesizes (test:cdk-latest).
beforeAll(async () => {
  emu = await startEmulator();
  sim = await LifecycleSimulator.start({ emulator: emu });
  templates.push(synthesize((stack) => defineAllConstructs(stack), { stackName: 'Secrets' }));
  templates.push(synthesize((stack) => defineAllConstructs(stack, { ingestConfigurationName: 'encoder-2', publicKeyName: 'signer-2' }), {
    stackName: 'Secrets',
  }));

  results.push(await deployOk(sim, templates[0]));
  recordIssuedStreamKeys();
  results.push(await deployOk(sim, templates[1]));
  recordIssuedStreamKeys();
  // A destroyed stack's secrets are gone from the stub: read them first.
  credentials = writtenCredentials(sim);
  results.push(await destroyOk(sim));
}, 60_000);

afterAll(async () => {
  await sim.stop();
  await emu.stop();
  removeSynthesized();
});

/** The credentials that appear in `text`, shortened so that a failure does not print them whole. */
function leaked(text: string): string[] {
  return [...new Set([...credentials, ...issuedStreamKeys])]
    .filter((secret) => text.includes(secret))
    .map((secret) => `${secret.slice(0, 12)}...`);
}

test('the handlers wrote every credential IVS issued into the secrets: two stream keys, two redundant ones and two private keys', () => {
  // GIVEN
  const writes = sim.secrets.requests.filter((request) => request.operation === 'PutSecretValue');

  // THEN: what the scans below look for is the real thing
  expect(issuedStreamKeys.size).toBe(4);
  expect(credentials.filter((credential) => issuedStreamKeys.has(credential)).sort()).toEqual([...issuedStreamKeys].sort());
  expect(credentials.filter((credential) => credential.startsWith('-----BEGIN PRIVATE KEY-----'))).toHaveLength(2);
  expect(writes).toHaveLength(4);
});

test('no credential is in either template, its outputs or a Lambda environment', () => {
  // GIVEN
  const functions = templates.flatMap((artifact) => Object.values(artifact.template.Resources as Record<string, { Type: string; Properties: any }>)
    .filter((resource) => resource.Type === 'AWS::Lambda::Function'));

  // THEN
  expect(functions).toHaveLength(10);
  // Each handler holds its stack's ID (which stack's events it acts on), and nothing else.
  expect(functions.map((fn) => fn.Properties.Environment)).toEqual(Array(10).fill({ Variables: { CDK_IVS_REALTIME_STACK_ID: { Ref: 'AWS::StackId' } } }));
  expect(templates.flatMap((artifact) => leaked(JSON.stringify(artifact.template)))).toEqual([]);
});

test('no credential is in an output value the deploys resolved', () => {
  // GIVEN
  const outputs = results.map((result) => result.outputs);

  // THEN: the outputs are there (every attribute of every construct), and hold no credential
  expect(Object.keys(outputs[0])).toHaveLength(16);
  expect(outputs.flatMap((values) => leaked(JSON.stringify(values)))).toEqual([]);
});

test('no credential is in a request CloudFormation sent to a handler', () => {
  // GIVEN
  const requests = sim.events.filter((event) => event.request).map((event) => JSON.stringify(event.request));

  // THEN: create, update and cleanup of the stack, and its destroy, of all five types
  expect(requests.length).toBeGreaterThanOrEqual(5 * 2);
  expect(requests.flatMap(leaked)).toEqual([]);
});

test('no credential or ResponseURL is in a response body, a failure reason or a log line', () => {
  // GIVEN
  const custom = sim.events.filter((event) => event.request);

  // THEN: every request was answered, and logged
  expect(custom.every((event) => event.responseBody !== undefined)).toBe(true);
  expect(sim.logs.length).toBeGreaterThan(custom.length);
  expectNoLeaks(sim, [...credentials, ...issuedStreamKeys]);
});

test('the attributes CloudFormation keeps are identifiers and endpoints, never a credential', () => {
  // GIVEN the response Data of the ingest configuration's create, which GetAtt reads
  const create = sim.events.find((event) => event.resourceType === 'Custom::IvsIngestConfiguration' && event.requestType === 'Create')!;

  // THEN
  expect(Object.keys(create.response!.Data!).sort()).toEqual(['Arn', 'IngestConfigurationId', 'Name', 'ParticipantId', 'State']);
  expect(leaked(create.responseBody!)).toEqual([]);
});
