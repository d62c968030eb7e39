import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IVSRealTimeClient, UntagResourceCommand, TagResourceCommand, UpdateStageCommand } from '@aws-sdk/client-ivs-realtime';
import { runCli } from './run-cli';
import { exampleApp } from '../../examples/app';
import { emulatorClient, IvsEmulator, startEmulator } from '../emulator';
import { LifecycleSimulator } from '../simulator';

/*
 * The command as a user runs it: the bundle the package's `bin` names, in a child process, with
 * credentials from the environment, against the example app deployed by the lifecycle simulator
 * into the IVS Real-Time emulator. Exit status, table, JSON and errors; and the README's sample
 * output, which must be what the command prints.
 */

const README = path.join(__dirname, '..', '..', 'README.md');
const STACK = 'IvsRealtimeExample';

let emu: IvsEmulator;
let sim: LifecycleSimulator;
let ivs: IVSRealTimeClient;
let outdir: string;
let stageArn: string;
const run = (...args: string[]) => runCli(args, { ivs: emu.endpoint, cloudFormation: sim.cloudFormation.endpoint });

beforeAll(async () => {
  emu = await startEmulator();
  sim = await LifecycleSimulator.start({ emulator: emu });
  ivs = emulatorClient(emu);
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out.cli-'));
  const { app, stack } = exampleApp({}, outdir);
  const result = await sim.deploy(app.synth().getStackArtifact(stack.artifactId));
  if (!result.success) {
    throw new Error(`${result.status}: ${result.reason}`);
  }
  stageArn = Object.values(sim.resources).find((r) => r.type === 'Custom::IvsStage')!.physicalId;
}, 120_000);

afterAll(async () => {
  ivs?.destroy();
  await sim?.stop();
  await emu?.stop();
  fs.rmSync(outdir, { recursive: true, force: true });
});

/** The stage renamed and its tier tag removed behind the stack's back, for the duration of `body`. */
async function withStageDrift(body: () => Promise<void>): Promise<void> {
  await ivs.send(new UpdateStageCommand({ arn: stageArn, name: 'renamed-in-console' }));
  await ivs.send(new UntagResourceCommand({ resourceArn: stageArn, tagKeys: ['tier'] }));
  try {
    await body();
  } finally {
    await ivs.send(new UpdateStageCommand({ arn: stageArn, name: 'town-hall' }));
    await ivs.send(new TagResourceCommand({ resourceArn: stageArn, tags: { tier: 'standard' } }));
  }
}

test('no drift: exit status 0 and one line saying so', async () => {
  // WHEN
  const result = await run('drift', '--stack', STACK);

  // THEN
  expect(result).toEqual({ status: 0, stdout: 'Stack IvsRealtimeExample: 5 IVS resources checked, no drift.\n', stderr: '' });
});

test('drift: exit status 1 and the table the README shows', async () => {
  await withStageDrift(async () => {
    // WHEN
    const result = await run('drift', '--stack', STACK);

    // THEN
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(readmeSample());
  });
});

test('--json: the same report for machines, with the exit status of the drift', async () => {
  await withStageDrift(async () => {
    // WHEN
    const result = await run('drift', '--stack', STACK, '--json', '--region', 'us-east-1');

    // THEN
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ stackName: STACK, stackStatus: 'CREATE_COMPLETE', drifted: true, notCompared: [] });
    expect(report.differences).toEqual([
      { logicalId: 'TownHall9DA43205', property: 'Name', deployed: 'town-hall', live: 'renamed-in-console' },
      { logicalId: 'TownHall9DA43205', property: 'Tags.tier', deployed: 'standard', live: '(none)' },
    ]);
  });
});

test('a stack that does not exist: exit status 2 and a message naming it', async () => {
  // WHEN
  const result = await run('drift', '--stack', 'NoSuchStack');

  // THEN
  expect(result).toEqual({ status: 2, stdout: '', stderr: 'cdk-ivs-realtime drift: stack NoSuchStack not found in us-east-1\n' });
});

test.each([
  ['no command', []],
  ['no stack', ['drift']],
  ['another command', ['import', '--stack', STACK]],
  ['an unknown option', ['drift', '--stack', STACK, '--fix']],
])('%s: exit status 2 and the usage', async (_, args) => {
  // WHEN
  const result = await run(...args);

  // THEN
  expect(result.status).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain('Usage: cdk-ivs-realtime drift --stack NAME');
});

test('--help: the usage on stdout, exit status 0', async () => {
  // WHEN
  const result = await run('--help');

  // THEN
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('Exit status: 0 no drift, 1 drift, 2 error.');
});

/**
 * The sample in the README's "Finding drift": the block after the marker comment, without its
 * first line (the command).
 */
function readmeSample(): string {
  const readme = fs.readFileSync(README, 'utf-8');
  const match = /<!-- drift sample: checked by test\/cli\/cdk-ivs-realtime\.test\.ts -->\n```text\n\$ npx cdk-ivs-realtime drift --stack IvsRealtimeExample\n([\s\S]*?)```/.exec(readme);
  if (!match) {
    throw new Error('the README has no drift sample after its marker comment');
  }
  return match[1];
}
