/*
 * Issue 12, item 5: a burst of the resources of one type as CloudFormation starts them for a big
 * stack, against a control plane that allows 5 requests per second per operation (3 for public
 * keys), for every resource type. The real handler bundle runs as Lambda would run it (an instance
 * of its own per concurrent invocation, inside aws-cdk-lib's response wrapper) and is driven as
 * CloudFormation would drive it (test/simulator/burst.ts), against the emulator in rate-limit mode.
 *
 * Run by `npx projen test:burst` (in .ci/run), alone, not by `npm test`: a burst runs up to 2N
 * copies of the bundle, spread over the driver's processes, and other suites beside it would take
 * the CPU they need to answer within the handler's request timeout.
 *
 * N, the resources per burst, is BURST_N: 500 by default, the most a stack may hold. Public keys
 * burst 3 at most: IVS holds at most 3 per account and region, a quota that cannot be raised, so no
 * stack holds more (every other type's quota can be raised to 500).
 *
 * The account is not the stack's alone (issue 20, item 3): the stage bursts run in a region that
 * already holds OTHER_STAGES stages of other owners, seeded into the emulator's store, so that the
 * cost of a rollback is seen to depend on the stack and not on the account.
 *
 * Time scale. The emulator's rates are multiplied by k and the function's timeout (HANDLER_TIMEOUT)
 * and ServiceTimeout divided by k, so that N / rate, the least time N calls of one operation can
 * take, keeps its ratio to the time a handler has, and the file runs in minutes instead of the
 * hour it would take unscaled. What the handler counts in seconds of its own (the deadline margin
 * before the Lambda timeout, the SDK's backoff, request and connection timeouts) is not scaled,
 * which leaves the handler less time than it would have unscaled, never more: the scaled test is
 * the stricter one. The bench runs the same burst unscaled, at the real 5 per second.
 * - Bursts (N creates and deletes; a rollback): k = 5, so 500 calls at 5 × 5 = 25 per second take
 *   at least 20 s, within the 120 s (HANDLER_TIMEOUT / 5) a handler has.
 * - A lost answer (one resource at a time, no pressure on the rate): k such that the handler has
 *   30 s (HANDLER_TIMEOUT / k = 30 s), room for a stalled call cut at the 10 s request timeout and
 *   a look for what it made.
 */
import { generateKeyPairSync } from 'node:crypto';
import { ANSWER_LOST_SUFFIX } from '../../lambda/ownership';
import { CREATOR_TAG_KEY } from '../../src/custom-resources/creator-tag-contract';
import { ENCODER_CONFIGURATION_RESOURCE_TYPE } from '../../src/custom-resources/encoder-configuration-contract';
import { INGEST_CONFIGURATION_RESOURCE_TYPE } from '../../src/custom-resources/ingest-configuration-contract';
import { HANDLER_TIMEOUT } from '../../src/custom-resources/ivs-handler-provider';
import { PUBLIC_KEY_RESOURCE_TYPE } from '../../src/custom-resources/public-key-contract';
import { STAGE_RESOURCE_TYPE } from '../../src/custom-resources/stage-contract';
import { STORAGE_CONFIGURATION_RESOURCE_TYPE } from '../../src/custom-resources/storage-configuration-contract';
import { IvsEmulator, LostAnswer, RecordedRequest, ResourceSnapshot, startEmulator } from '../emulator';
import { BurstDriver, BurstReport, BurstResource } from '../simulator/burst';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** Resources per burst: the most a stack may hold. */
const N = Number(process.env.BURST_N ?? 500);
/** The create that fails in the rollback test of `n` resources: the 200th of 500, the 100th of 250, the 1st of 3. */
const failingIndex = (n: number) => Math.max(0, Math.floor((n * 2) / 5) - 1);
/** The time scale of the bursts (see the header). */
const BURST_SCALE = 5;
/** The time scale of the lost-answer tests: the handler gets 30 s. */
const LOST_ANSWER_SCALE = Math.max(1, HANDLER_TIMEOUT.toSeconds() / 30);
const SCALED_TIMEOUT_MS = (HANDLER_TIMEOUT.toSeconds() * 1000) / BURST_SCALE;
/** A burst test: loading up to 2N copies of the bundle, then two operations that each end within the timeout, and their settling. */
const BURST_TEST_TIMEOUT_MS = 4 * SCALED_TIMEOUT_MS + 120_000;
const LOST_ANSWER_TEST_TIMEOUT_MS = 4 * 30_000 + 60_000;

const BUCKET = 'burst-recordings';
/** Room for every resource of a burst, and for the duplicates a broken handler would make. */
const QUOTA = 4 * N;
/** The stages of other owners the region holds before a stage burst. */
const OTHER_STAGES = 1_000;
/** ListStages pages 100 stages at a time. */
const LIST_PAGE_SIZE = 100;

/** IVS refuses this name (it allows letters, digits, - and _) with a 400 ValidationException, which is not retried. */
const INVALID_NAME = 'not a valid name!';

interface ResourceKind {
  readonly name: string;
  readonly resourceType: string;
  /** The IVS operation that makes one. */
  readonly createOperation: string;
  readonly snapshot: keyof ResourceSnapshot;
  /** A quota that cannot be raised: no account and region, so no stack, holds more. */
  readonly mostPerRegion?: number;
  /** Its List operation, as the emulator's request log names it. */
  readonly listOperation: string;
  /** Puts resources of other owners into the emulator before a burst (none if undefined); returns their ARNs. */
  readonly seedOthers?: (emu: IvsEmulator) => string[];
  /** The properties of resource `logicalId`, string-typed as CloudFormation delivers them. */
  properties(logicalId: string, index: number, driver: BurstDriver): Record<string, unknown>;
}

/** Distinct P-384 public keys, imported as PEM so that no secret is needed. */
const pems: string[] = [];
const pem = (index: number) => {
  while (pems.length <= index) {
    pems.push(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString());
  }
  return pems[index];
};

const KINDS: readonly ResourceKind[] = [
  {
    name: 'Stage',
    resourceType: STAGE_RESOURCE_TYPE,
    createOperation: 'CreateStage',
    listOperation: 'ListStages',
    snapshot: 'stages',
    properties: (logicalId) => ({ Name: logicalId }),
    seedOthers: seedOtherStages,
  },
  {
    name: 'StorageConfiguration',
    listOperation: 'ListStorageConfigurations',
    resourceType: STORAGE_CONFIGURATION_RESOURCE_TYPE,
    createOperation: 'CreateStorageConfiguration',
    snapshot: 'storageConfigurations',
    properties: (logicalId) => ({ Name: logicalId, S3: { BucketName: BUCKET } }),
  },
  {
    name: 'EncoderConfiguration',
    listOperation: 'ListEncoderConfigurations',
    resourceType: ENCODER_CONFIGURATION_RESOURCE_TYPE,
    createOperation: 'CreateEncoderConfiguration',
    snapshot: 'encoderConfigurations',
    properties: (logicalId) => ({ Name: logicalId, Video: { Width: '1280', Height: '720', Framerate: '30', Bitrate: '2500000' } }),
  },
  {
    // Attached to no stage. Its stream key goes into a secret of its own, as the construct makes one.
    name: 'IngestConfiguration',
    listOperation: 'ListIngestConfigurations',
    resourceType: INGEST_CONFIGURATION_RESOURCE_TYPE,
    createOperation: 'CreateIngestConfiguration',
    snapshot: 'ingestConfigurations',
    properties: (logicalId, _index, driver) => ({
      Name: logicalId,
      IngestProtocol: 'RTMPS',
      InsecureIngest: 'false',
      RedundantIngest: 'false',
      StreamKeySecretArn: driver.secrets.create(`${logicalId}StreamKey`, `${logicalId}-stream-key`),
    }),
  },
  {
    name: 'PublicKey',
    listOperation: 'ListPublicKeys',
    resourceType: PUBLIC_KEY_RESOURCE_TYPE,
    createOperation: 'ImportPublicKey',
    snapshot: 'publicKeys',
    mostPerRegion: 3,
    properties: (logicalId, index) => ({ Name: logicalId, PublicKeyMaterial: pem(index) }),
  },
];

/**
 * OTHER_STAGES stages of other owners: made by the logical resources of other stacks (some named as
 * the burst's own stages are, `StageB<i>`), managed by CloudFormation itself, or carrying no tag.
 */
function seedOtherStages(emu: IvsEmulator): string[] {
  return emu.seedStages(Array.from({ length: OTHER_STAGES }, (_, index): { name: string; tags?: Record<string, string> } => {
    switch (index % 3) {
      case 0: return { name: `StageB${index % N}`, tags: { [CREATOR_TAG_KEY]: `${index.toString(16).padStart(32, 'f')}/other-request` } };
      case 1: return { name: `legacy-${index}`, tags: { 'aws:cloudformation:stack-name': 'LegacyStack', 'aws:cloudformation:logical-id': `Stage${index}` } };
      default: return { name: `console-${index}` };
    }
  }));
}

/** Each kind with the size of its bursts: N, or fewer where the kind's quota cannot be raised to N. */
const SIZED_KINDS = KINDS.map((kind) => {
  const n = Math.min(N, kind.mostPerRegion ?? N);
  return { ...kind, n, failingNumber: failingIndex(n) + 1 };
});

function burst(kind: ResourceKind, driver: BurstDriver, prefix: string, count: number): BurstResource[] {
  return Array.from({ length: count }, (_, index) => {
    const logicalId = `${kind.name}${prefix}${index}`;
    return { logicalId, properties: kind.properties(logicalId, index, driver) };
  });
}

/** The ARNs of the resources of a kind in the emulator, sorted, but `others`. */
function arnsOf(emu: IvsEmulator, kind: ResourceKind, others: readonly string[] = []): string[] {
  const excluded = new Set(others);
  return (emu.listResources()[kind.snapshot] as { arn: string }[]).map((resource) => resource.arn).filter((arn) => !excluded.has(arn)).sort();
}

/** The resources `arns` of a kind as the emulator holds them (name, tags, ...), in the order of `arns`. */
function snapshotOf(emu: IvsEmulator, kind: ResourceKind, arns: readonly string[]): object[] {
  const held = new Map((emu.listResources()[kind.snapshot] as { arn: string }[]).map((resource) => [resource.arn, resource]));
  return arns.map((arn) => held.get(arn) ?? { arn, gone: true });
}

/**
 * The List pages IVS answered, and how many walks of the whole type they belong to: a walk starts
 * with a page asked for without a nextToken.
 */
function listWalks(requests: readonly RecordedRequest[], operation: string): { readonly walks: number; readonly pages: number } {
  const answered = requests.filter((request) => request.operation === operation && request.status === 200);
  const first = answered.filter((request) => (request.body as { nextToken?: string } | undefined)?.nextToken === undefined);
  return { walks: first.length, pages: answered.length };
}

/** What a report says, short enough for a failure message: status, outcomes counted, the first reasons. */
function summary(report: BurstReport) {
  const outcomes: Record<string, number> = {};
  for (const event of report.events) {
    const key = `${event.phase} ${event.requestType} ${event.outcome}`;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }
  const reasons = [...new Set(report.events.filter((e) => e.outcome === 'FAILED').map((e) => e.reason?.slice(0, 200)))].slice(0, 3);
  return { status: report.status, outcomes, reasons, settled: report.settledMs !== undefined };
}

/** The emulator as every test starts: empty, rate-limited at the driver's scale, quotas raised, the bucket registered. */
function resetEmulator(emu: IvsEmulator, driver: BurstDriver): void {
  emu.reset();
  emu.setRateLimit({ scale: driver.timeScale });
  emu.setQuotas({
    stages: QUOTA + OTHER_STAGES, storageConfigurations: QUOTA, encoderConfigurations: QUOTA, ingestConfigurations: QUOTA, publicKeys: QUOTA,
  });
  emu.registerBucket(BUCKET);
  driver.newStack();
}

let emu: IvsEmulator;

beforeAll(async () => {
  emu = await startEmulator();
});

afterAll(async () => {
  await emu.stop();
});

describe(`a burst of ${N} (time scale ${BURST_SCALE})`, () => {
  let driver: BurstDriver;

  beforeAll(async () => {
    driver = await BurstDriver.start({ emulator: emu, timeScale: BURST_SCALE });
    // Every test needs up to 2N instances (N creates, and N rollback Deletes while they run): load them once.
    await driver.warm(2 * N);
  }, 240_000);

  beforeEach(() => resetEmulator(emu, driver));

  afterAll(async () => {
    await driver.stop();
  });

  test.each(SIZED_KINDS)('$name: $n creates at once, then $n deletes, all succeed, with no duplicate and nothing left', async (kind) => {
    // GIVEN n resources of the kind
    const { n } = kind;
    const resources = burst(kind, driver, 'A', n);

    // WHEN they are created at once, then deleted at once
    const created = await driver.createStack(kind.resourceType, resources);
    const afterCreates = arnsOf(emu, kind);
    const deleted = await driver.deleteStack(kind.resourceType, created.deployed);

    // THEN every create succeeded and made exactly one resource, the one CloudFormation knows
    expect(summary(created)).toEqual({ status: 'CREATE_COMPLETE', outcomes: { 'deploy Create SUCCESS': n }, reasons: [], settled: true });
    expect(afterCreates).toHaveLength(n);
    expect(afterCreates).toEqual(created.deployed.map((resource) => resource.physicalId).sort());
    // AND every delete succeeded, and nothing is left
    expect(summary(deleted)).toEqual({ status: 'DELETE_COMPLETE', outcomes: { 'destroy Delete SUCCESS': n }, reasons: [], settled: true });
    expect(arnsOf(emu, kind)).toEqual([]);
  }, BURST_TEST_TIMEOUT_MS);

  test.each(SIZED_KINDS)('$name: a burst of $n whose create number $failingNumber fails rolls back, leaving nothing once every invocation has ended', async (kind) => {
    // GIVEN the resources of other owners the region holds (1,000 stages), which no one may touch
    const others = kind.seedOthers?.(emu) ?? [];
    const othersBefore = snapshotOf(emu, kind, others);
    // AND n resources, one with a name IVS refuses
    const failing = failingIndex(kind.n);
    const resources = burst(kind, driver, 'B', kind.n).map((resource, index) => (index === failing
      ? { ...resource, properties: { ...resource.properties, Name: INVALID_NAME } }
      : resource));
    // AND IVS holding every valid create after the first `failing` until CloudFormation has
    // begun the rollback: the refusal comes while they still run, whatever the machine's load
    const gate = emu.hold({
      operation: kind.createOperation,
      holds: (body) => (body as { name?: string } | undefined)?.name !== INVALID_NAME,
      passFirst: failing,
    });

    // WHEN they are created at once
    const report = await driver.createStack(kind.resourceType, resources, { onRollback: () => gate.release() });

    // THEN that one failed on IVS's refusal, CloudFormation cancelled the creates still running
    const refused = report.events.find((event) => event.phase === 'deploy' && event.logicalId === resources[failing].logicalId)!;
    expect(refused.outcome).toBe('FAILED');
    expect(refused.reason).toMatch(/ValidationException/);
    expect(report.events.some((event) => event.outcome === 'CANCELLED')).toBe(true);
    // AND the rollback deleted everything, even what the cancelled creates made after it began,
    // within its deadline
    expect(summary(report)).toMatchObject({ status: 'ROLLBACK_COMPLETE', settled: true });
    expect(report.deployed).toEqual([]);
    expect(arnsOf(emu, kind, others)).toEqual([]);
    // AND the resources of other owners are as they were
    expect(snapshotOf(emu, kind, others)).toEqual(othersBefore);
    // AND the type was walked by the Delete of the failed create, once, and otherwise only by
    // creates that lost the answer of their create call (a connection that failed under the
    // burst's load) and called again, marking the creator tag of the retry: the look before the
    // retry, the last look after it, and the look of the Delete of a resource kept so marked. No
    // Delete with an ID CloudFormation made up sent a List request.
    const retried = emu.requests.filter((request) => request.operation === kind.createOperation && request.status === 200
      && (request.body as { tags?: Record<string, string> } | undefined)?.tags?.[CREATOR_TAG_KEY]?.endsWith(ANSWER_LOST_SUFFIX)).length;
    const { walks, pages } = listWalks(emu.requests, kind.listOperation);
    expect(walks).toBeLessThanOrEqual(1 + 3 * retried);
    expect(pages).toBeLessThanOrEqual(walks * (Math.ceil((others.length + 2 * kind.n) / LIST_PAGE_SIZE) + 1));
    const madeUpIdDeletes = report.events.filter((event) => event.phase === 'rollback'
      && !(event.request as { PhysicalResourceId: string }).PhysicalResourceId.startsWith('arn:')
      && (event.request as { PhysicalResourceId: string }).PhysicalResourceId !== refused.response?.PhysicalResourceId);
    expect(madeUpIdDeletes.length).toBeGreaterThan(0);
    expect(madeUpIdDeletes.filter((event) => !event.logs.some((line) => line.includes('made no IVS call'))).map((event) => event.logicalId)).toEqual([]);
  }, BURST_TEST_TIMEOUT_MS);
});

describe(`a create whose answer is lost after IVS made the resource (time scale ${LOST_ANSWER_SCALE})`, () => {
  let driver: BurstDriver;

  beforeAll(async () => {
    driver = await BurstDriver.start({ emulator: emu, timeScale: LOST_ANSWER_SCALE });
  });

  beforeEach(() => resetEmulator(emu, driver));

  afterAll(async () => {
    await driver.stop();
  });

  // The five kinds at once: their create operations differ, so each fault hits its own kind only.
  test.each<LostAnswer>(['internal', 'reset', 'stall'])('%s: leaves exactly one resource, the one CloudFormation knows, for every kind', async (lose) => {
    // GIVEN the first create of every kind committing, then losing its answer
    for (const kind of KINDS) {
      emu.injectFault({ kind: 'afterCommit', lose, operation: kind.createOperation, times: 1 });
    }

    // WHEN one resource of each kind is created
    const reports = await Promise.all(KINDS.map((kind) => driver.createStack(kind.resourceType, burst(kind, driver, 'C', 1))));

    // THEN the fault took each first answer, and each create succeeded with exactly one resource
    const lostAnswers = emu.requests.filter((request) => request.lostAnswer === lose).map((request) => request.operation).sort();
    expect(lostAnswers).toEqual(KINDS.map((kind) => kind.createOperation).sort());
    const outcome = (kind: ResourceKind, index: number) => ({
      status: reports[index].status,
      reasons: summary(reports[index]).reasons,
      resources: arnsOf(emu, kind),
    });
    const expected = (index: number) => ({ status: 'CREATE_COMPLETE', reasons: [], resources: reports[index].deployed.map((resource) => resource.physicalId) });
    expect(Object.fromEntries(KINDS.map((kind, index) => [kind.name, outcome(kind, index)])))
      .toEqual(Object.fromEntries(KINDS.map((kind, index) => [kind.name, expected(index)])));
    for (const report of reports) {
      expect(report.deployed).toHaveLength(1);
    }
  }, LOST_ANSWER_TEST_TIMEOUT_MS);
});
