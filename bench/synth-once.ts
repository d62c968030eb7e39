/*
 * One synth, in a process of its own (bench/run.ts starts one per measurement, so that no run
 * warms up another): a stack of N stages, defined with this library or with the aws-ivs L1, and
 * synthesized into a fresh cloud assembly. Prints what it measured as one line of JSON.
 *
 *   ts-node bench/synth-once.ts <library|l1|library-dashboard> <stages>
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import { IvsRealtimeDashboard, Stage } from '../src';

/**
 * `library-dashboard`: the library's stages and an IvsRealtimeDashboard of all of them, alarms on
 * (two alarms per stage, the event rules and metric filters, the stage handler on the dashboard).
 */
export type SynthVariant = 'library' | 'l1' | 'library-dashboard';

/** What one synth measured. */
export interface SynthMeasurement {
  readonly variant: SynthVariant;
  readonly stages: number;
  /** From `new App()` to the cloud assembly on disk, modules already loaded. */
  readonly synthMs: number;
  /** The template file as `cdk deploy` would upload it. */
  readonly templateBytes: number;
  readonly resources: number;
}

function main(): void {
  const [variant, count] = process.argv.slice(2) as [SynthVariant, string];
  const stages = Number(count);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ivs-bench-'));
  try {
    const started = process.hrtime.bigint();
    const app = new App({ outdir, context: process.env.BENCH_NO_TRACES ? { 'aws:cdk:disable-creation-stack-traces': true } : {} });
    const stack = new Stack(app, 'Bench', { env: { account: '123456789012', region: 'us-east-1' } });
    const defined: Stage[] = [];
    for (let i = 0; i < stages; i++) {
      if (variant === 'l1') {
        new ivs.CfnStage(stack, `Stage${i}`, {});
      } else {
        defined.push(new Stage(stack, `Stage${i}`));
      }
    }
    if (variant === 'library-dashboard') {
      new IvsRealtimeDashboard(stack, 'Dashboard', { stages: defined, alarms: true });
    }
    const assembly = app.synth();
    const synthMs = Number(process.hrtime.bigint() - started) / 1e6;
    const artifact = assembly.getStackArtifact(stack.artifactId);
    const measurement: SynthMeasurement = {
      variant,
      stages,
      synthMs,
      templateBytes: fs.statSync(path.join(assembly.directory, artifact.templateFile)).size,
      resources: Object.keys(artifact.template.Resources).length,
    };
    console.log(JSON.stringify(measurement));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main();
}
