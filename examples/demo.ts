/*
 * Deploys the example app the way CloudFormation would, with the real handler bundle, against the
 * local IVS Real-Time emulator; then mints a participant token with the token issuer (signed in
 * the KMS stand-in), lets a participant join the emulated stage with it and shows a forged token
 * refused; then lets the stage's own events start its composition (one per session, whatever
 * EventBridge repeats) and announce the recording once the session ends; then shows rooms on
 * demand (StageRooms' functions, see rooms-demo.ts); then renames the stage behind the stack's back
 * and shows the drift report (`npx cdk-ivs-realtime drift`, the bundle the package ships) catching
 * it; then renames the stage and changes a tag through the stack, which the report finds in sync
 * again; and destroys it all, showing that nothing is left: no IVS resource, no composition in
 * progress, no secret, no log group; but for a stage made before the deploy, which the stack adopted
 * (`adoptArn`) and keeps, with its ARN, when it is destroyed.
 * Run with `npm run demo` (the projen task bundles the handler first). Exits non-zero on any failure.
 */
import { generateKeyPairSync } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  CreateStageCommand,
  GetPublicKeyCommand,
  GetStageCommand,
  IVSRealTimeClient,
  UpdateStageCommand,
} from '@aws-sdk/client-ivs-realtime';
import { decodeProtectedHeader, importSPKI, jwtVerify, SignJWT } from 'jose';
import { exampleApp, ExampleStackProps } from './app';
import { roomsDemo } from './rooms-demo';
import { runCli } from '../test/cli/run-cli';
import { emulatorClient, IvsEmulator, JoinRefusedError, startEmulator } from '../test/emulator';
import { Delivery, DeployResult, LifecycleSimulator, SimulatedResource } from '../test/simulator';

// The SDK warns about Node versions older than 22; the demo runs on whatever Node the developer has.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

async function main(): Promise<void> {
  const started = Date.now();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ivs-demo-'));
  const emu = await startEmulator();
  const client = emulatorClient(emu);
  const sim = await LifecycleSimulator.start({ emulator: emu });
  try {
    console.log('The example app in examples/, deployed with its real handler bundle against a local IVS Real-Time');
    console.log(`emulator (${emu.endpoint}), the way CloudFormation would run it.\n`);

    const synth = (props: ExampleStackProps, name: string) => {
      const { app, stack } = exampleApp(props, path.join(outdir, name));
      return app.synth().getStackArtifact(stack.artifactId);
    };

    // A stage that exists before the stack, as one made in the console would.
    const { stage: existing } = await client.send(new CreateStageCommand({ name: 'made-in-console', tags: { 'made-by': 'console' } }));
    const lobbyStageArn = existing!.arn!;
    console.log(`0. A stage made before the deploy (CreateStage, as the console would): ${lobbyStageArn}\n`);

    const created = succeeded(await sim.deploy(synth({ lobbyStageArn }, 'create')));
    heading(`1. Deploy: ${created.status}`, created);
    printResources(sim);
    await printStage(client, sim);
    await printLobby(client, sim, lobbyStageArn);
    printSecrets(sim);

    console.log('2. Let a participant join with a token from the issuer\n');
    await joinWithIssuedToken(emu, client, sim);

    console.log('3. Record the whole stage as one video: the stage\'s events, through the deployed rules\n');
    await composeOneSession(emu, sim);

    console.log('4. Rooms on demand (StageRooms): stages made as users join, one per room, removed when idle\n');
    await roomsDemo(emu);

    console.log('5. Rename the stage behind the stack\'s back (UpdateStage, as the console would); the drift report catches it\n');
    const stageArn = townHall(sim).physicalId;
    await client.send(new UpdateStageCommand({ arn: stageArn, name: 'renamed-in-console' }));
    await drift(emu, sim, 1);

    const updated = succeeded(await sim.deploy(synth({ stageName: 'town-hall-live', tier: 'premium', lobbyStageArn }, 'update')));
    heading(`6. Update (rename the stage to town-hall-live, tag tier=premium): ${updated.status}`, updated);
    for (const event of updated.events.filter((e) => e.request)) {
      const before = (event.request as { PhysicalResourceId?: string }).PhysicalResourceId;
      console.log(`   ${event.requestType} ${event.logicalId}: ${event.physicalId === before ? 'same physical ID, changed in place' : `new physical ID ${event.physicalId}`}`);
    }
    await printStage(client, sim);
    console.log('   The update set the stage\'s name, so the stack and IVS agree again:\n');
    await drift(emu, sim, 0);

    const destroyed = succeeded(await sim.destroy());
    heading(`7. Destroy: ${destroyed.status}`, destroyed);
    const { stages: leftStages, ...leftOthers } = emu.listResources();
    const counts = Object.entries(leftOthers).map(([kind, items]) => `${items.length} ${kind}`);
    const keptArns = leftStages.map((stage) => (stage as { arn: string }).arn);
    console.log(`   Left in the emulator: ${keptArns.length} stages (the adopted lobby, kept: ${keptArns.join(', ')}), ${counts.join(', ')}`);
    console.log(`   Compositions in progress: ${emu.compositions().length}`);
    if (keptArns.join() !== lobbyStageArn || Object.values(leftOthers).some((items) => items.length > 0) || emu.compositions().length > 0) {
      throw new Error('resources are left in the emulator after the destroy, or the adopted lobby is not');
    }
    // The log groups of the handlers and of the token issuer belong to the stack (Lambda creates
    // none of its own), so the destroy deletes them with everything else; so too the secrets the
    // constructs own.
    const deleted = (type: string) => destroyed.events.filter((e) => e.resourceType === type && e.requestType === 'Delete' && !e.retained).length;
    const retained = destroyed.events.filter((e) => e.retained);
    console.log(`   Deleted with the stack: ${deleted('AWS::Logs::LogGroup')} log groups (5 handlers', the token issuer's, the composer's, the dashboard's event log), `
      + `${deleted('AWS::Lambda::Function')} functions, ${deleted('AWS::SQS::Queue')} dead-letter queue, `
      + `${deleted('AWS::IAM::Role')} roles, ${deleted('AWS::SecretsManager::Secret')} secrets; secrets left: ${sim.secrets.list().length}`);
    // The app's own recordings bucket keeps its recordings (s3.Bucket's default RemovalPolicy.RETAIN):
    // the app's choice, not something the library left behind.
    console.log(`   Retained by the app's choice (the bucket's default, the adopted lobby's): ${retained.map((e) => `${e.logicalId} (${e.resourceType})`).join(', ') || 'nothing'}`);
    const leftBehind = retained.filter((e) => e.resourceType !== 'AWS::S3::Bucket' && !e.logicalId.startsWith('Lobby')).map((e) => e.logicalId);
    if (leftBehind.length > 0 || sim.secrets.list().length > 0 || deleted('AWS::Logs::LogGroup') !== 8) {
      throw new Error(`the destroy left resources behind: ${leftBehind.join(', ')}`);
    }
    console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    client.destroy();
    await sim.stop();
    await emu.stop();
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Runs the drift report as a user would, against the emulator and the CloudFormation stand-in, and prints it. */
async function drift(emu: IvsEmulator, sim: LifecycleSimulator, expectedStatus: number): Promise<void> {
  const stack = 'IvsRealtimeExample';
  const result = await runCli(['drift', '--stack', stack], { ivs: emu.endpoint, cloudFormation: sim.cloudFormation.endpoint });
  console.log(`   $ npx cdk-ivs-realtime drift --stack ${stack}`);
  console.log(`${(result.stdout + result.stderr).trimEnd().split('\n').map((line) => `   ${line}`.trimEnd()).join('\n')}`);
  console.log(`   (exit status ${result.status})\n`);
  if (result.status !== expectedStatus) {
    throw new Error(`the drift report exited ${result.status}, expected ${expectedStatus}`);
  }
}

/** The example's own stage, the town hall (not the adopted lobby). */
function townHall(sim: LifecycleSimulator): SimulatedResource {
  return Object.entries(sim.resources).find(([id, r]) => r.type === 'Custom::IvsStage' && id.startsWith('TownHall'))![1];
}

/** The adopted lobby: the same ARN as the stage made before the deploy, its name and tags now the stack's. */
async function printLobby(client: IVSRealTimeClient, sim: LifecycleSimulator, lobbyStageArn: string): Promise<void> {
  const held = Object.entries(sim.resources).find(([id]) => id.startsWith('Lobby'))![1].physicalId;
  if (held !== lobbyStageArn) {
    throw new Error(`the stack holds ${held} for the lobby, not the adopted ${lobbyStageArn}`);
  }
  const { stage } = await client.send(new GetStageCommand({ arn: lobbyStageArn }));
  const tags = Object.keys(stage!.tags ?? {}).join(', ');
  console.log(`   Lobby, adopted: same ARN ${held}, renamed ${stage!.name}, tags ${tags} (the console's made-by tag removed, the creator tag added)\n`);
}

/** The result, or an error with the reason and what the handlers logged. */
function succeeded(result: DeployResult): DeployResult {
  if (!result.success) {
    throw new Error(`${result.status}: ${result.reason}\n\nHandler logs:\n${result.logs.join('\n')}`);
  }
  return result;
}

function heading(title: string, result: DeployResult): void {
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  const invocations = result.events.filter((e) => e.request).length;
  console.log(`${title} (${count(result.events.length, 'resource operation')}, ${count(invocations, 'handler invocation')})\n`);
}

function printResources(sim: LifecycleSimulator): void {
  const rows = Object.entries(sim.resources).map(([logicalId, r]) => [logicalId, r.type, String(r.attributes.Arn ?? r.physicalId)]);
  const widths = [0, 1].map((i) => Math.max(...rows.map((row) => row[i].length), 10));
  const line = (cells: string[]) => `   ${cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell)).join('  ')}`;
  console.log(line(['Logical ID', 'Type', 'ARN or physical ID']));
  console.log(line([...widths.map((w) => '-'.repeat(w)), '-'.repeat(18)]));
  rows.forEach((row) => console.log(line(row)));
  console.log();
}

/** The stage as the emulator has it, read back with the SDK, and its endpoints from the stack. */
async function printStage(client: IVSRealTimeClient, sim: LifecycleSimulator): Promise<void> {
  const resource = townHall(sim);
  const { stage } = await client.send(new GetStageCommand({ arn: resource.physicalId }));
  const tags = Object.entries(stage!.tags ?? {}).map(([key, value]) => `${key}=${value}`).join(', ');
  console.log(`   Stage ${stage!.name} (${stage!.arn}), tags ${tags}`);
  for (const [label, attribute] of [['WHIP', 'WhipEndpoint'], ['RTMP', 'RtmpEndpoint'], ['RTMPS', 'RtmpsEndpoint'], ['Events', 'EventsEndpoint']]) {
    console.log(`     ${label.padEnd(7)}${String(resource.attributes[attribute])}`);
  }
  console.log();
}

/**
 * Invokes the deployed token issuer as a backend would, checks the token with jose against the
 * public key IVS holds, joins the emulated stage with it, and then tries a forged one. The token
 * itself is a credential: its claims are shown, never the token.
 */
async function joinWithIssuedToken(emu: IvsEmulator, client: IVSRealTimeClient, sim: LifecycleSimulator): Promise<void> {
  const issuerId = Object.keys(sim.resources).find((id) => id.startsWith('TokenIssuerFunction') && sim.resources[id].type === 'AWS::Lambda::Function')!;
  const stageArn = townHall(sim).physicalId;
  const invoked = await sim.invokeFunction(issuerId, { stageArn, userId: 'alice', capabilities: ['PUBLISH', 'SUBSCRIBE'], duration: 60 });
  if (invoked.error) {
    throw new Error(`the token issuer failed: ${invoked.error.errorType}: ${invoked.error.errorMessage}`);
  }
  const { token, participantId, expirationTime } = invoked.result as { token: string; participantId: string; expirationTime: string };
  const signs = sim.kms.requests.filter((r) => r.operation === 'Sign').length;
  console.log(`   Issuer ${issuerId}: token for participant ${participantId}, valid until ${expirationTime} (${signs} KMS Sign call)`);

  const { kid } = decodeProtectedHeader(token);
  const { publicKey } = await client.send(new GetPublicKeyCommand({ arn: kid! }));
  const { payload } = await jwtVerify(token, await importSPKI(publicKey!.publicKeyMaterial!, 'ES384'), { algorithms: ['ES384'] });
  console.log(`   jose verifies it (ES384) against the public key IVS holds, ${kid}`);
  console.log(`   Claims: ${Object.keys(payload).join(', ')}`);

  const participant = emu.joinStage(token, stageArn);
  console.log(`   Joined: participant ${participant.participantId} (user ${participant.userId}) may ${participant.capabilities.join(' and ')}`);

  const forger = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey;
  const forged = await new SignJWT({ ...payload, user_id: 'mallory' }).setProtectedHeader(decodeProtectedHeader(token) as { alg: string }).sign(forger);
  try {
    emu.joinStage(forged, stageArn);
    throw new Error('the emulated stage let a participant join with a forged token');
  } catch (error) {
    if (!(error instanceof JoinRefusedError)) {
      throw error;
    }
    console.log(`   Forged (same claims and kid, signed with another P-384 key): refused, ${error.message}`);
  }

  const other = await sim.invokeFunction(issuerId, { stageArn: stageArn.replace(/\/\w+$/, '/NotGivenStage') });
  console.log(`   A stage the issuer was not given: ${other.error?.errorType}: ${other.error?.errorMessage}\n`);
}

/**
 * The stage composition at work, driven by the events IVS would send, put on the simulated default
 * bus: the deployed rules deliver them to the real composer bundle. A participant publishes (one
 * composition starts); a second publisher and a duplicated event start none; the session ends and
 * the recording-complete target gets the recording's location.
 */
async function composeOneSession(emu: IvsEmulator, sim: LifecycleSimulator): Promise<void> {
  const stageArn = townHall(sim).physicalId;
  const sessionId = emu.startStageSession(stageArn);
  const published = (participantId: string) => ({
    'source': 'aws.ivs',
    'detail-type': 'IVS Stage Update',
    'resources': [stageArn],
    'detail': { session_id: sessionId, event_name: 'Participant Published', user_id: participantId, participant_id: participantId },
  });
  const starts = () => emu.requests.filter((r) => r.operation === 'StartComposition').length;
  const show = (what: string, deliveries: Delivery[]) => {
    for (const d of deliveries) {
      const result = (d.result ?? d.error) as Record<string, unknown>;
      console.log(`   ${what}: rule ${d.ruleLogicalId} -> ${JSON.stringify(result)}`);
    }
  };

  console.log(`   Session ${sessionId} starts on the stage`);
  show('alice publishes', await sim.putEvent(published('alice')));
  console.log(`     compositions in progress: ${emu.compositions(stageArn).length}`);
  show('bob publishes', await sim.putEvent(published('bob')));
  show('alice\'s event again (EventBridge repeats)', await sim.putEvent(published('alice')));
  const compositions = emu.compositions(stageArn);
  console.log(`     StartComposition calls: ${starts()}, all with one idempotency token; compositions in progress: ${compositions.length}`);
  if (compositions.length !== 1) {
    throw new Error(`expected one composition for the session, found ${compositions.length}`);
  }

  const [ended] = emu.endStageSession(stageArn);
  console.log('   Everyone leaves: the session ends, and IVS ends its composition (Session End)');
  const deliveries = await sim.putEvent({
    'source': 'aws.ivs',
    'detail-type': 'IVS Composition State Change',
    'resources': [ended.arn],
    'detail': { event_name: 'Session End', stage_arn: stageArn },
  });
  show('Session End', deliveries);
  const catalog = deliveries.find((d) => d.ruleLogicalId.includes('RecordingComplete'));
  if (!catalog || catalog.error) {
    throw new Error(`the recording-complete target did not run: ${JSON.stringify(catalog?.error)}`);
  }
  console.log('   Late: alice\'s event arrives again after the session ended');
  show('late event', await sim.putEvent(published('alice')));
  console.log(`     compositions in progress: ${emu.compositions(stageArn).length}; dead letters: ${sim.bus.deadLetters.length}\n`);
}

/** What the handlers wrote into the secrets the constructs own: the JSON keys, never the values. */
function printSecrets(sim: LifecycleSimulator): void {
  for (const secret of sim.secrets.list()) {
    const keys = secret.value === undefined ? 'nothing written' : `JSON keys ${Object.keys(JSON.parse(secret.value)).join(', ')}`;
    console.log(`   Secret ${secret.logicalId}: ${keys} (values not shown)`);
  }
  console.log();
}

function fail(error: unknown): void {
  console.error(`\nThe demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}

main().catch(fail);
