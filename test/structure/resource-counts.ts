import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  EncoderConfiguration,
  IngestConfiguration,
  IngestProtocol,
  PublicKey,
  PublicKeyMaterial,
  Stage,
  StorageConfiguration,
} from '../../src';
import { publicKeyPem } from '../emulator/helpers';
import { TEST_ENV } from '../simulator';

/*
 * How many CloudFormation resources the library adds to a stack: per construct instance, and once
 * per stack for each resource type it uses (the type's handler). Shared by test/structure (which
 * pins the numbers) and bench/ (which prints them).
 */

/** Resource type to how many of them a template has. */
export type ResourceCounts = Record<string, number>;

/** How to add instances of one construct to a stack. */
export interface ResourceCase {
  readonly name: string;
  /**
   * Adds instance `index` (0, 1, ...). `context` holds what every instance of the case shares, made
   * by `prerequisites`.
   */
  readonly add: (stack: Stack, index: number, context: CaseContext) => void;
  /** What the instances need that is not theirs, defined in every stack of the case, even an empty one. */
  readonly prerequisites?: (stack: Stack) => CaseContext;
}

export interface CaseContext {
  readonly buckets?: s3.IBucket[];
}

/** At most how many instances a case adds, for prerequisites that are one per instance. */
const MAX_INSTANCES = 2;

export const RESOURCE_CASES: readonly ResourceCase[] = [
  { name: 'Stage', add: (stack, i) => new Stage(stack, `Stage${i}`) },
  {
    name: 'StorageConfiguration',
    // Buckets that already have a policy (enforceSSL), one per storage configuration: what the
    // construct itself adds, not what a bucket's first policy statement costs.
    prerequisites: (stack) => ({
      buckets: Array.from({ length: MAX_INSTANCES }, (_, i) =>
        new s3.Bucket(stack, `Bucket${i}`, { enforceSSL: true, removalPolicy: RemovalPolicy.DESTROY })),
    }),
    add: (stack, i, { buckets }) => new StorageConfiguration(stack, `Storage${i}`, { bucket: buckets![i] }),
  },
  { name: 'EncoderConfiguration', add: (stack, i) => new EncoderConfiguration(stack, `Encoder${i}`) },
  {
    name: 'IngestConfiguration',
    add: (stack, i) => new IngestConfiguration(stack, `Ingest${i}`, { ingestProtocol: IngestProtocol.RTMPS }),
  },
  { name: 'PublicKey (generated)', add: (stack, i) => new PublicKey(stack, `Key${i}`) },
  {
    name: 'PublicKey (PEM)',
    add: (stack, i) => new PublicKey(stack, `Key${i}`, { publicKeyMaterial: PublicKeyMaterial.fromPem(publicKeyPem()) }),
  },
];

/** The resources of a stack in `TEST_ENV`, counted by type. */
export function countResources(define: (stack: Stack) => void): ResourceCounts {
  const app = new App();
  const stack = new Stack(app, 'Counted', { env: TEST_ENV });
  define(stack);
  const counts: ResourceCounts = {};
  for (const resource of Object.values(Template.fromStack(stack).toJSON().Resources ?? {}) as Array<{ Type: string }>) {
    counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
  }
  return counts;
}

/** The counts of `case` with `instances` instances. */
export function countCase(resourceCase: ResourceCase, instances: number): ResourceCounts {
  return countResources((stack) => {
    const context = resourceCase.prerequisites?.(stack) ?? {};
    for (let i = 0; i < instances; i++) {
      resourceCase.add(stack, i, context);
    }
  });
}

/** `after` minus `before`, by type, leaving out types whose count did not change. */
export function difference(after: ResourceCounts, before: ResourceCounts): ResourceCounts {
  const types = new Set([...Object.keys(after), ...Object.keys(before)]);
  return Object.fromEntries([...types].sort()
    .map((type) => [type, (after[type] ?? 0) - (before[type] ?? 0)] as const)
    .filter(([, count]) => count !== 0));
}

/**
 * What one more instance of a case adds (the second instance), and what the first instance adds
 * beyond that: the resources a stack gets once for the type.
 */
export function measureResources(resourceCase: ResourceCase): { perInstance: ResourceCounts; fixed: ResourceCounts } {
  const [none, one, two] = [0, 1, 2].map((instances) => countCase(resourceCase, instances));
  const perInstance = difference(two, one);
  const first = difference(one, none);
  return { perInstance, fixed: difference(first, perInstance) };
}

/** The number of resources in `counts`. */
export function total(counts: ResourceCounts): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}
