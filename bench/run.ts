/*
 * `npm run bench`: what the library costs a stack and a deployment, measured on this machine.
 * Prints Markdown tables and PASS/FAIL per target, and writes bench/results.json.
 *
 * - Synth time of one stack with N stages, this library against the aws-ivs L1 `CfnStage`, each
 *   run in a process of its own (bench/synth-once.ts), runs interleaved, median of SYNTH_RUNS.
 * - Synth time of 50 stages with an IvsRealtimeDashboard of them (alarms on), against the same
 *   stack written with aws-cdk-lib alone, under the synth ratio target.
 * - Template bytes per stage, and the resources the library adds per instance and per stack.
 * - Handler bundle size (minified, gzipped) and npm tarball size.
 * - API calls per lifecycle operation and resource type, through the real handler bundle against
 *   the IVS Real-Time emulator and its Secrets Manager stub (test/structure/lifecycle-calls.ts).
 * - Handler cold module-load time: a fresh node process requiring the bundle, median of LOAD_RUNS.
 * - Throttled burst: N stages created at once, then the stack destroyed, through the real handler
 *   bundle as CloudFormation and Lambda run it (test/simulator/burst.ts: an instance per concurrent
 *   invocation, the function timeout as the constructs set it, CloudFormation's rollback of a
 *   failed create), against the emulator at the service's real 5 requests per second, unscaled.
 *
 * - Rooms on demand (bench/rooms.ts): join latency p50/p99 to a room that has a stage (and its IVS
 *   calls: none) and to new rooms, and the cost of 1,000 first joins over 200 new rooms at once
 *   against the N / 5 s minimum of IVS's 5 CreateStage per second.
 *
 * BENCH_ONLY=<section>[,<section>] runs only those sections (synth, dashboard, resources, sizes,
 * calls, load, burst, rooms) and prints them without writing bench/results.json.
 *
 * The projen task bundles the handler first. A bench is not a test: it never fails on a target.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { kib, markdownTable, median, ms, sec, verdict } from './format';
import { benchRooms } from './rooms';
import type { SynthMeasurement, SynthVariant } from './synth-once';
import { HANDLER_TIMEOUT } from '../src/custom-resources/ivs-handler-provider';
import { STAGE_RESOURCE_TYPE } from '../src/custom-resources/stage-contract';
import { ratePerSecond, startEmulator } from '../test/emulator';
import { removeSynthesized } from '../test/simulator';
import { BurstDriver, BurstEvent, BurstReport } from '../test/simulator/burst';
import { BUNDLE_BUDGET_BYTES, handlerBundles, runtimeBundles } from '../test/structure/handler-bundles';
import { LifecycleCalls, LIFECYCLE_OPERATIONS, measureLifecycle, OperationCalls, SCENARIOS } from '../test/structure/lifecycle-calls';
import { measureResources, RESOURCE_CASES, ResourceCounts, total } from '../test/structure/resource-counts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ROOT = path.join(__dirname, '..');
const RESULTS = path.join(__dirname, 'results.json');
const SYNTH_STAGES = [50, 250, 490];
const SYNTH_RUNS = 15;
const LOAD_RUNS = 20;
const RATIO_STAGES = 250;
const RATIO_LIMIT = 1.25;
const DASHBOARD_STAGES = 50;
/** Per resource type used: its handler function, role and log group (the log group since issue 13). */
const FIXED_LIMIT = 3;
const BURST_SIZES = [50, 250, 500];

/** One target, for one subject (a construct, a resource type) where it applies to each. */
interface Target {
  readonly target: string;
  readonly subject?: string;
  readonly measured: string;
  readonly pass: boolean;
}

const targets: Target[] = [];
const results: Record<string, unknown> = {};

function section(title: string, body: string): void {
  console.log(`\n### ${title}\n\n${body}`);
}

/** One synth in a fresh process; see bench/synth-once.ts. */
function synthOnce(variant: SynthVariant, stages: number, env: Record<string, string> = {}): SynthMeasurement {
  const child = spawnSync(process.execPath, ['-r', 'ts-node/register', path.join(__dirname, 'synth-once.ts'), variant, String(stages)], {
    cwd: ROOT,
    encoding: 'utf-8',
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_PROJECT: path.join(__dirname, 'tsconfig.json'), ...env },
  });
  if (child.status !== 0) {
    throw new Error(`synth of ${stages} ${variant} stages failed:\n${child.stderr}`);
  }
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

/**
 * Median synth time and the template of each variant and stage count. Runs are interleaved, and
 * the ratio is the median of each round's library time over the L1 time measured right after it:
 * the machine's speed drifts by several percent between rounds, which a ratio of the two medians
 * would take for a difference between the variants.
 */
function synthMedians(stageCounts: number[], env: Record<string, string> = {}) {
  const runs: SynthMeasurement[] = [];
  for (let run = 0; run < SYNTH_RUNS; run++) {
    for (const stages of stageCounts) {
      for (const variant of ['library', 'l1'] as const) {
        runs.push(synthOnce(variant, stages, env));
      }
    }
  }
  const of = (variant: SynthVariant, stages: number) => runs.filter((r) => r.variant === variant && r.stages === stages);
  const medians = stageCounts.map((stages) => {
    const [library, l1] = (['library', 'l1'] as const).map((variant) => of(variant, stages));
    return {
      stages,
      libraryMs: median(library.map((r) => r.synthMs)),
      l1Ms: median(l1.map((r) => r.synthMs)),
      libraryTemplateBytes: library[0].templateBytes,
      l1TemplateBytes: l1[0].templateBytes,
      libraryResources: library[0].resources,
      l1Resources: l1[0].resources,
      ratio: median(library.map((r, round) => r.synthMs / l1[round].synthMs)),
    };
  });
  return { runs, medians };
}

function benchSynth(): void {
  const { runs, medians } = synthMedians(SYNTH_STAGES);
  // Analysis only: the same at RATIO_STAGES with CDK's creation stack traces (one per CfnElement) off.
  const untraced = synthMedians([RATIO_STAGES], { BENCH_NO_TRACES: '1' }).medians[0];
  results.synth = { runsPerPoint: SYNTH_RUNS, medians, untracedAtRatioStages: untraced, runs };

  const rows = medians.map((m) => [m.stages, ms(m.libraryMs), ms(m.l1Ms), m.ratio.toFixed(2), m.libraryResources, m.l1Resources]);
  rows.push([`${RATIO_STAGES}, creation stack traces off`, ms(untraced.libraryMs), ms(untraced.l1Ms), untraced.ratio.toFixed(2), '', '']);
  section(`Synth time, one stack of N stages (median of ${SYNTH_RUNS}, a fresh process each; ratio: median of the rounds' ratios)`, markdownTable(
    ['N', 'library', 'aws-ivs CfnStage', 'ratio', 'resources (library)', 'resources (L1)'], rows));

  const [first, last] = [medians[0], medians[medians.length - 1]];
  const perStage = (bytes: (m: typeof first) => number) => (bytes(last) - bytes(first)) / (last.stages - first.stages);
  const libraryPerStage = perStage((m) => m.libraryTemplateBytes);
  const l1PerStage = perStage((m) => m.l1TemplateBytes);
  results.templateBytesPerStage = { library: libraryPerStage, l1: l1PerStage };
  section('Template bytes per stage (synthesized template file, N = 50 to 490)', markdownTable(
    ['library', 'aws-ivs CfnStage', `template at N = ${last.stages} (library / L1)`],
    [[libraryPerStage.toFixed(0), l1PerStage.toFixed(0), `${kib(last.libraryTemplateBytes)} / ${kib(last.l1TemplateBytes)}`]]));

  const atRatio = medians.find((m) => m.stages === RATIO_STAGES)!;
  targets.push({
    target: `synth time ratio at N = ${RATIO_STAGES} <= ${RATIO_LIMIT}`,
    measured: atRatio.ratio.toFixed(2),
    pass: atRatio.ratio <= RATIO_LIMIT,
  });
}

/**
 * A stack of 50 stages with an IvsRealtimeDashboard of them all, alarms on, against the same stack
 * written with aws-cdk-lib alone (CfnStages and the same dashboard, alarms, rules and metric
 * filters, `l1-dashboard`), under the synth ratio target: the library may take RATIO_LIMIT times
 * what a team writing it by hand gets. The ratio is the median of the rounds' own ratios, as in
 * `synthMedians`. Also shown: the envelope an earlier bench used (RATIO_LIMIT x the L1 stack of
 * RATIO_STAGES stages), which 50 library stages alone come close to.
 */
function benchDashboardSynth(): void {
  const runs: SynthMeasurement[] = [];
  for (let round = 0; round < SYNTH_RUNS; round++) {
    runs.push(
      synthOnce('library-dashboard', DASHBOARD_STAGES),
      synthOnce('l1-dashboard', DASHBOARD_STAGES),
      synthOnce('library', DASHBOARD_STAGES),
      synthOnce('l1', RATIO_STAGES),
    );
  }
  const of = (variant: SynthVariant) => runs.filter((r) => r.variant === variant);
  const medianOf = (variant: SynthVariant) => median(of(variant).map((r) => r.synthMs));
  const [dashboardMs, handBuiltMs, libraryMs, l1Ms] = [medianOf('library-dashboard'), medianOf('l1-dashboard'), medianOf('library'), medianOf('l1')];
  const handBuilt = of('l1-dashboard');
  const ratio = median(of('library-dashboard').map((r, round) => r.synthMs / handBuilt[round].synthMs));
  const dashboardRun = of('library-dashboard')[0];
  results.dashboardSynth = {
    stages: DASHBOARD_STAGES,
    dashboardMs,
    handBuiltMs,
    ratio,
    libraryMs,
    l1AtRatioStagesMs: l1Ms,
    resources: dashboardRun.resources,
    templateBytes: dashboardRun.templateBytes,
  };
  section(`Synth time, ${DASHBOARD_STAGES} stages with an IvsRealtimeDashboard, alarms on (median of ${SYNTH_RUNS})`, markdownTable(
    ['stages only', 'stages and dashboard', 'the same with aws-cdk-lib alone', 'ratio', `aws-ivs CfnStage x ${RATIO_STAGES}`, 'resources', 'template'],
    [[ms(libraryMs), ms(dashboardMs), ms(handBuiltMs), ratio.toFixed(2), ms(l1Ms), dashboardRun.resources, kib(dashboardRun.templateBytes)]]));
  targets.push({
    target: `${DASHBOARD_STAGES} stages with the dashboard: synth time ratio to the same stack written with aws-cdk-lib alone <= ${RATIO_LIMIT}`,
    measured: ratio.toFixed(2),
    pass: ratio <= RATIO_LIMIT,
  });
}

function describeCounts(counts: ResourceCounts): string {
  return Object.entries(counts).map(([type, count]) => `${count} ${type}`).join(', ') || 'none';
}

function benchResources(): void {
  const measured = RESOURCE_CASES.map((resourceCase) => ({ name: resourceCase.name, ...measureResources(resourceCase) }));
  results.resources = measured;
  section('CloudFormation resources the library adds', markdownTable(
    ['construct', 'per instance', 'once per stack (its type\'s handler)'],
    measured.map((m) => [m.name, describeCounts(m.perInstance), describeCounts(m.fixed)])));

  for (const m of measured) {
    const custom = Object.entries(m.perInstance).filter(([type]) => type.startsWith('Custom::'));
    const others = Object.entries(m.perInstance).filter(([type]) => !type.startsWith('Custom::'));
    const ownsOneSecretAtMost = others.every(([type, count]) => type === 'AWS::SecretsManager::Secret' && count === 1);
    targets.push({
      target: 'one resource per construct instance (plus the secret it owns)',
      subject: m.name,
      measured: describeCounts(m.perInstance),
      pass: custom.length === 1 && custom[0][1] === 1 && ownsOneSecretAtMost,
    });
    targets.push({
      target: `at most ${FIXED_LIMIT} fixed resources per stack for each resource type used`,
      subject: m.name,
      measured: String(total(m.fixed)),
      pass: total(m.fixed) <= FIXED_LIMIT,
    });
  }
}

function benchSizes(): void {
  const bundles = handlerBundles();
  const pack = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf-8' }))[0] as {
    size: number; unpackedSize: number; entryCount: number; files: Array<{ path: string; size: number }>;
  };
  const compiled = pack.files.some((file) => file.path === 'lib/index.js') && pack.files.some((file) => file.path === '.jsii');
  const largest = [...pack.files].sort((a, b) => b.size - a.size).slice(0, 4).map((file) => `${file.path} ${kib(file.size)}`);
  results.sizes = {
    bundles,
    npmPack: { size: pack.size, unpackedSize: pack.unpackedSize, entryCount: pack.entryCount, compiled, largest },
  };
  const rows: Array<Array<string | number>> = bundles.map((bundle) => [bundle.path, kib(bundle.bytes), kib(bundle.gzipBytes)]);
  rows.push([
    `npm tarball (${pack.entryCount} files${compiled ? '' : '; lib/ or .jsii missing: run npx projen compile first'})`,
    `${kib(pack.unpackedSize)} unpacked`,
    `${kib(pack.size)} packed`,
  ]);
  section('Handler bundle and package size', `${markdownTable(['what', 'minified', 'gzipped'], rows)}\n\nLargest files in the tarball: ${largest.join(', ')}.`);

  const bundleBytes = bundles.reduce((sum, bundle) => sum + bundle.bytes, 0);
  targets.push({
    target: `all handler bundles <= ${BUNDLE_BUDGET_BYTES / 1000} KB minified`,
    measured: `${bundleBytes} bytes (${bundles.length} bundle${bundles.length === 1 ? '' : 's'})`,
    pass: bundleBytes <= BUNDLE_BUDGET_BYTES,
  });
}

const callCount = (calls: OperationCalls) => calls.ivs.length + calls.secretsManager.length;

/** `1`, or `2 (1 + 1 SM)` when some of the calls went to Secrets Manager. */
function describeCalls(calls: OperationCalls | undefined): string {
  if (!calls) {
    return 'n/a';
  }
  return calls.secretsManager.length === 0
    ? String(calls.ivs.length)
    : `${callCount(calls)} (${calls.ivs.length} + ${calls.secretsManager.length} SM)`;
}

async function benchCalls(): Promise<void> {
  const emu = await startEmulator();
  const measured: Record<string, LifecycleCalls> = {};
  try {
    for (const scenario of SCENARIOS) {
      measured[scenario.name] = await measureLifecycle(scenario, emu);
    }
  } finally {
    await emu.stop();
    removeSynthesized();
  }
  results.apiCalls = measured;
  section('API calls per lifecycle operation (IVS + Secrets Manager, through the real handler bundle against the emulator)', `${markdownTable(
    ['resource type', ...LIFECYCLE_OPERATIONS],
    SCENARIOS.map((scenario) => [scenario.name, ...LIFECYCLE_OPERATIONS.map((operation) => describeCalls(measured[scenario.name][operation]))]),
  )}\n\n${SCENARIOS.map((scenario) => `- ${scenario.name}: ${LIFECYCLE_OPERATIONS
    .filter((operation) => measured[scenario.name][operation])
    .map((operation) => {
      const calls = measured[scenario.name][operation]!;
      return `${operation} [${[...calls.ivs, ...calls.secretsManager.map((name) => `SM:${name}`)].join(', ')}]`;
    }).join('; ')}`).join('\n')}`);

  for (const scenario of SCENARIOS) {
    const calls = measured[scenario.name];
    const expectedCreate = scenario.ownsSecret ? 2 : 1;
    targets.push(
      {
        target: 'create: 1 call (+1 secret write where there is a secret)',
        subject: scenario.name,
        measured: describeCalls(calls.create),
        pass: callCount(calls.create!) === expectedCreate && calls.create!.ivs.length === 1,
      },
      {
        target: 'no-op update (the same stack deployed again): 0 calls',
        subject: scenario.name,
        measured: describeCalls(calls['no-op update']),
        pass: callCount(calls['no-op update']!) === 0,
      },
      {
        target: 'delete: 1 call',
        subject: scenario.name,
        measured: describeCalls(calls.delete),
        pass: callCount(calls.delete!) === 1,
      },
    );
  }
}

function benchModuleLoad(): void {
  // The lifecycle handlers' bundle, and the stage composer's, which must load in under 50 ms cold.
  const measure = (relative: string) => {
    const bundle = path.join(ROOT, relative);
    const script = `const t=process.hrtime.bigint();require(${JSON.stringify(bundle)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
    return Array.from({ length: LOAD_RUNS }, () => Number(execFileSync(process.execPath, ['-e', script], {
      encoding: 'utf-8',
      env: { ...process.env, AWS_REGION: 'us-east-1' },
    })));
  };
  const times = measure(handlerBundles()[0].path);
  const composer = runtimeBundles().find((bundle) => bundle.path.includes('/runtime/composer/'))!;
  const composerTimes = measure(composer.path);
  results.moduleLoadMs = { median: median(times), runs: times };
  results.composerLoadMs = { median: median(composerTimes), runs: composerTimes };
  section(`Handler cold module load (a fresh node ${process.version} process requiring the bundle, median of ${LOAD_RUNS})`,
    markdownTable(['bundle', 'median', 'min', 'max', 'target'], [
      ['lifecycle handlers', ms(median(times)), ms(Math.min(...times)), ms(Math.max(...times)), ''],
      ['stage composer', ms(median(composerTimes)), ms(Math.min(...composerTimes)), ms(Math.max(...composerTimes)),
        `< 50 ms: ${median(composerTimes) < 50 ? 'pass' : 'FAIL'}`],
    ]));
}

/** What one burst of N stages did: its create (and rollback), then the destroy of what it left. */
interface BurstMeasurement {
  readonly n: number;
  readonly minimumSeconds: number;
  readonly create: BurstSummary;
  /** Stages in the emulator once the create burst had settled (every invocation ended). */
  readonly stagesAfterCreate: number;
  readonly destroy?: BurstSummary;
  /** Stages in the emulator once everything had settled: orphans. */
  readonly stagesLeft: number;
}

interface BurstSummary {
  readonly status: string;
  readonly wallSeconds: number;
  readonly settledSeconds?: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly reasons: Record<string, number>;
  readonly callsPerResource: number;
  readonly throttledCalls: number;
  readonly byOperation: BurstReport['calls']['byOperation'];
}

function summarizeBurst(report: BurstReport, own: (event: BurstEvent) => boolean): BurstSummary {
  const events = report.events.filter(own);
  const reasons: Record<string, number> = {};
  for (const event of events.filter((e) => e.outcome === 'FAILED')) {
    // The reason up to the request ID, which differs per event.
    const reason = (event.reason ?? '').replace(/Received response status \[FAILED\] from custom resource\. Message returned: /, '').replace(/ \(RequestId: .*$/, '');
    reasons[reason] = (reasons[reason] ?? 0) + 1;
  }
  return {
    status: report.status,
    wallSeconds: report.wallTimeMs / 1000,
    settledSeconds: report.settledMs === undefined ? undefined : report.settledMs / 1000,
    succeeded: events.filter((e) => e.outcome === 'SUCCESS').length,
    failed: events.filter((e) => e.outcome === 'FAILED').length,
    cancelled: events.filter((e) => e.outcome === 'CANCELLED').length,
    reasons,
    callsPerResource: report.calls.perResource,
    throttledCalls: report.calls.throttled,
    byOperation: report.calls.byOperation,
  };
}

/**
 * One burst per N, each with an emulator and a driver of its own, so that calls a handler still
 * makes after its invocation ended cannot reach the next burst.
 */
async function benchThrottledBurst(): Promise<void> {
  const measured: BurstMeasurement[] = [];
  const rate = ratePerSecond('CreateStage');
  for (const n of BURST_SIZES) {
    const emu = await startEmulator();
    const driver = await BurstDriver.start({ emulator: emu });
    try {
      const resources = Array.from({ length: n }, (_, index) => ({ logicalId: `Stage${index}`, properties: { Name: `burst-stage-${index}` } }));
      const created = await driver.createStack(STAGE_RESOURCE_TYPE, resources);
      const stagesAfterCreate = emu.listResources().stages.length;
      const destroyed = created.deployed.length > 0 ? await driver.deleteStack(STAGE_RESOURCE_TYPE, created.deployed) : undefined;
      measured.push({
        n,
        minimumSeconds: n / rate,
        create: summarizeBurst(created, (event) => event.phase === 'deploy'),
        stagesAfterCreate,
        destroy: destroyed && summarizeBurst(destroyed, () => true),
        stagesLeft: emu.listResources().stages.length,
      });
    } finally {
      await driver.stop();
      await emu.stop();
    }
  }
  results.throttledBurst = { ratePerSecond: rate, functionTimeoutSeconds: HANDLER_TIMEOUT.toSeconds(), bursts: measured };

  const failures = (summary: BurstSummary | undefined) => (summary ? `${summary.failed}${summary.cancelled ? ` + ${summary.cancelled} cancelled` : ''}` : '-');
  const reasons = measured.flatMap((m) => [...Object.entries(m.create.reasons), ...Object.entries(m.destroy?.reasons ?? {})]
    .map(([reason, count]) => `- N = ${m.n}: ${count} × ${reason}`));
  section(`Throttled burst: N stages created at once, then the stack destroyed, against ${rate} requests per second per operation `
    + `(unscaled; function timeout ${HANDLER_TIMEOUT.toSeconds()} s; an instance per concurrent invocation)`, `${markdownTable(
    ['N', 'minimum (N / 5)', 'create: stack', 'wall time', 'failed', 'calls per stage (429s)', 'destroy: wall time', 'failed', 'calls per stage (429s)', 'stages left'],
    measured.map((m) => [
      m.n, sec(m.minimumSeconds), m.create.status, sec(m.create.wallSeconds), failures(m.create),
      `${m.create.callsPerResource.toFixed(1)} (${m.create.throttledCalls})`,
      m.destroy ? sec(m.destroy.wallSeconds) : '-', failures(m.destroy),
      m.destroy ? `${m.destroy.callsPerResource.toFixed(1)} (${m.destroy.throttledCalls})` : '-',
      m.stagesLeft,
    ]))}\n\nWall time: from the first request to CloudFormation's verdict on the last (a rollback included). `
    + 'Cancelled: creates that CloudFormation cancelled when another failed (their answers ignored). '
    + `Stages left: in the emulator once every invocation had ended, after the rollback or the destroy.${reasons.length ? `\n\nFailure reasons:\n${reasons.join('\n')}` : ''}`);

  const largest = measured[measured.length - 1];
  targets.push({
    target: `throttled burst of ${largest.n} stages: every create and delete succeeds, nothing left`,
    measured: `${largest.create.succeeded} created, ${largest.create.failed + largest.create.cancelled} failed; ${largest.stagesLeft} left; `
      + `${sec(largest.create.wallSeconds)} against ${sec(largest.minimumSeconds)}`,
    pass: largest.create.status === 'CREATE_COMPLETE' && largest.destroy?.status === 'DELETE_COMPLETE' && largest.stagesLeft === 0,
  });
}

async function benchRoomsOnDemand(): Promise<void> {
  // ROOMS_BURST_ROOMS scales the burst down on a busy machine, as for test:rooms-burst.
  const r = await benchRooms({ burstRooms: Number(process.env.ROOMS_BURST_ROOMS ?? 200) });
  results.rooms = r;
  section('Rooms on demand: joins through the StageRooms bundles (emulator at 5 requests per second, dynalite, KMS stand-in)', `${markdownTable(
    ['joins', 'count', 'p50', 'p99', 'IVS calls'],
    [
      ['to a room that has a stage, one at a time', r.existing.joins, ms(r.existing.p50), ms(r.existing.p99), `${r.existing.ivsCalls} in all`],
      ['first joins of new rooms, one at a time', r.newRooms.joins, ms(r.newRooms.p50), ms(r.newRooms.p99), `${r.newRooms.ivsCallsPerJoin.toFixed(1)} per join`],
      [`${r.burst.joins} over ${r.burst.rooms} new rooms, arriving within ${r.burst.arrivalSeconds} s`, r.burst.joins, ms(r.burst.p50), ms(r.burst.p99), `${r.burst.throttled} throttled`],
    ])}\n\nThe burst: ${sec(r.burst.wallSeconds)} wall time against the ${sec(r.burst.minimumSeconds)} minimum (${r.burst.rooms} stages at 5 CreateStage per second); `
    + `${r.burst.stages} stages made, ${r.burst.errors} errors.`);
  targets.push({
    target: 'a join to a room that has a stage makes no IVS call',
    measured: `${r.existing.ivsCalls} IVS calls in ${r.existing.joins} joins`,
    pass: r.existing.ivsCalls === 0,
  });
  targets.push({
    target: `${r.burst.joins} concurrent joins over ${r.burst.rooms} new rooms: one stage per room, no error`,
    measured: `${r.burst.stages} stages, ${r.burst.errors} errors, ${sec(r.burst.wallSeconds)} against ${sec(r.burst.minimumSeconds)}`,
    pass: r.burst.stages === r.burst.rooms && r.burst.errors === 0,
  });
}

/** One row per target: its measurement or, for a target that applies to each subject, the subjects that miss it. */
function summarizeTargets(): string[][] {
  const names = [...new Set(targets.map((t) => t.target))];
  return names.map((name) => {
    const each = targets.filter((t) => t.target === name);
    const pass = each.every((t) => t.pass);
    if (each.length === 1 && each[0].subject === undefined) {
      return [name, each[0].measured, verdict(pass)];
    }
    const missing = each.filter((t) => !t.pass).map((t) => `${t.subject}: ${t.measured}`).join('; ');
    return [name, pass ? `all ${each.length} (see above)` : missing, verdict(pass)];
  });
}

async function main(): Promise<void> {
  const started = Date.now();
  const cdkVersion = JSON.parse(fs.readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf-8')).version;
  results.environment = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown'}`,
    awsCdkLib: cdkVersion,
  };
  console.log(`cdk-ivs-realtime bench: node ${process.version}, aws-cdk-lib ${cdkVersion}, ${results.environment && (results.environment as { cpus: string }).cpus}`);

  const only = process.env.BENCH_ONLY?.split(',');
  const runs = (name: string) => only === undefined || only.includes(name);
  if (runs('synth')) benchSynth();
  if (runs('dashboard')) benchDashboardSynth();
  if (runs('resources')) benchResources();
  if (runs('sizes')) benchSizes();
  if (runs('calls')) await benchCalls();
  if (runs('load')) benchModuleLoad();
  if (runs('burst')) await benchThrottledBurst();
  if (runs('rooms')) await benchRoomsOnDemand();

  if (only !== undefined) {
    section('Targets', markdownTable(['target', 'measured', 'result'], summarizeTargets()));
    console.log(`\nBENCH_ONLY=${only.join(',')}: bench/results.json not written`);
    return;
  }
  results.targets = targets;
  section('Targets', markdownTable(['target', 'measured', 'result'], summarizeTargets()));
  const seconds = (Date.now() - started) / 1000;
  results.durationSeconds = seconds;
  fs.writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n${targets.filter((t) => t.pass).length} of ${targets.length} measurements meet their target; ${seconds.toFixed(0)} s; results in ${path.relative(ROOT, RESULTS)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
