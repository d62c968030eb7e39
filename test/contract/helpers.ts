/*
 * Helpers for contract tests: a resource type's construct, synthesized with its real handler
 * bundle, deployed through the lifecycle simulator against the emulator, and read back with the SDK.
 * A contract test file for another resource type needs only `useSimulator()` and these.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CreateStorageConfigurationCommand, IVSRealTimeClient } from '@aws-sdk/client-ivs-realtime';
import { Stack } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { buildSync } from 'esbuild';
import { CREATOR_TAG_KEY } from '../../src/custom-resources/creator-tag-contract';
import type { IvsEmulator } from '../emulator';
import { deployableStack, DeployResult, LifecycleSimulator, SimulatedResource, SimulatedSecret, synthesize } from '../simulator';

/** Synthesizes a stack (in the emulator's account and region) defined by `define`. */
export function stackWith(define: (stack: Stack) => void): cxapi.CloudFormationStackArtifact {
  return synthesize(define, { stackName: 'ContractStack' });
}

/** Deploys and fails the test with the reason and the handler logs if the deploy fails. */
export async function deployOk(sim: LifecycleSimulator, artifact: cxapi.CloudFormationStackArtifact): Promise<DeployResult> {
  return expectSuccess(await sim.deploy(artifact));
}

/** Destroys and fails the test with the reason and the handler logs if that fails. */
export async function destroyOk(sim: LifecycleSimulator): Promise<DeployResult> {
  return expectSuccess(await sim.destroy());
}

function expectSuccess(result: DeployResult): DeployResult {
  if (!result.success) {
    throw new Error(`${result.status}: ${result.reason}\n${result.logs.join('\n')}`);
  }
  return result;
}

/** The one deployed resource of `type`, with its logical ID. */
export function onlyResource(sim: LifecycleSimulator, type: string): SimulatedResource & { logicalId: string } {
  const found = Object.entries(sim.resources).filter(([, resource]) => resource.type === type);
  if (found.length !== 1) {
    throw new Error(`expected one ${type}, found ${found.length}`);
  }
  return { logicalId: found[0][0], ...found[0][1] };
}

/** The operations the emulator received, in order, e.g. ['CreateStage', 'TagResource']. */
export function operations(emu: IvsEmulator): string[] {
  return emu.requests.map((request) => request.operation);
}

/** The HTTP statuses of every call to `operation`, in order. */
export function statuses(emu: IvsEmulator, operation: string): number[] {
  return emu.requests.filter((request) => request.operation === operation).map((request) => request.status);
}

/**
 * Makes every call to `operation` after the first `succeeding` ones fail with a 500, as far as any
 * handler's retries reach: an outage that starts mid-deploy and does not end.
 */
export function failFrom(emu: IvsEmulator, operation: string, succeeding: number): void {
  for (let n = succeeding + 1; n <= succeeding + PERSISTENT_FAILURES; n++) {
    emu.injectFault({ kind: 'failNth', operation, n, errorType: 'ServiceQuotaExceededException', status: 402 });
  }
}

/**
 * More refusals than a create needs to fail: IVS refuses (a full quota) before it does anything,
 * so the handler never tries again. A server error, which may come after IVS made the resource,
 * is retried until the handler's deadline instead (test/lambda/ownership.test.ts).
 */
const PERSISTENT_FAILURES = 20;

/** The tags of a resource the handler created: `tags` and its creator tag. */
export function withCreatorTag(tags: Record<string, string>): Record<string, unknown> {
  return { ...tags, [CREATOR_TAG_KEY]: expect.stringMatching(/^[0-9a-f]{32}\/[0-9a-f-]{36}$/) };
}

/**
 * Pins the SDK's retry jitter to nothing for the duration of `work`, so that a test of a handler
 * exhausting its retries takes milliseconds instead of the seconds its backoff would sleep. The
 * number of attempts, which the test asserts, does not depend on it.
 */
export async function withoutRetryDelays<T>(work: () => Promise<T>): Promise<T> {
  const random = jest.spyOn(Math, 'random').mockReturnValue(0);
  try {
    return await work();
  } finally {
    random.mockRestore();
  }
}

/**
 * Asserts that nothing secret (ResponseURLs, secret values, and `extra`, e.g. a stream key the
 * emulator issued) appears in any log line, response body or failure reason the simulator saw.
 */
export function expectNoLeaks(sim: LifecycleSimulator, extra: string[] = []): void {
  const secrets = [...sim.sensitiveValues(), ...extra];
  expect(secrets.length).toBeGreaterThan(0);
  const seen = [
    ...sim.logs.map((line) => ['log line', line]),
    ...sim.events.filter((e) => e.responseBody).map((e) => ['response', e.responseBody!]),
    ...sim.events.filter((e) => e.reason).map((e) => ['reason', e.reason!]),
  ];
  const leaks = seen.filter(([, text]) => secrets.some((secret) => text.includes(secret)));
  expect(leaks).toEqual([]);
}

/**
 * A storage configuration that exists before the stack does, on a registered bucket, for a stack
 * that records into an imported one. Returns its ARN.
 */
export async function existingStorageConfiguration(emu: IvsEmulator, client: IVSRealTimeClient, bucketName = 'contract-recordings'): Promise<string> {
  emu.registerBucket(bucketName);
  const { storageConfiguration } = await client.send(new CreateStorageConfigurationCommand({ name: 'existing', s3: { bucketName } }));
  emu.clearRequests();
  return storageConfiguration!.arn!;
}

/**
 * Replaces, in a synthesized cloud assembly, the handler bundle that serves `resourceType` with a
 * bundle of `entry` (a fixture handler in TypeScript), keeping aws-cdk-lib's response wrapper: a
 * deliberately broken handler, deployed exactly as the real one is.
 */
export function withHandler(artifact: cxapi.CloudFormationStackArtifact, resourceType: string, entry: string): cxapi.CloudFormationStackArtifact {
  const stack = deployableStack(artifact);
  const resources = stack.template.Resources;
  const user = Object.values(resources).find((resource) => resource.Type === resourceType);
  const serviceToken = user?.Properties?.ServiceToken as { 'Fn::GetAtt'?: [string, string] } | undefined;
  const functionId = serviceToken?.['Fn::GetAtt']?.[0];
  const s3Key = (resources[functionId ?? '']?.Properties?.Code as { S3Key?: string } | undefined)?.S3Key;
  const directory = s3Key === undefined ? undefined : stack.codeDirectory(s3Key);
  if (directory === undefined) {
    throw new Error(`no handler asset serves ${resourceType} in ${artifact.stackName}`);
  }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ivs-fixture-handler-'));
  buildSync({ entryPoints: [entry], bundle: true, platform: 'node', target: 'node22', outfile: path.join(outdir, 'index.js'), logLevel: 'silent' });
  fs.copyFileSync(path.join(outdir, 'index.js'), path.join(directory, 'index.js'));
  fs.rmSync(outdir, { recursive: true, force: true });
  return artifact;
}

/**
 * `<phase> <RequestType> <physical ID>` of every operation on resources of `type` in `result`, in
 * order: what CloudFormation's stack events would show of them.
 */
export function lifecycleOf(result: DeployResult, type: string): string[] {
  return result.events.filter((e) => e.resourceType === type).map((e) => `${e.phase} ${e.requestType} ${e.physicalId}`);
}

/** The secret owned by the construct `constructId`: the one secret whose logical ID starts with it. */
export function secretOf(sim: LifecycleSimulator, constructId: string): SimulatedSecret {
  const found = sim.secrets.list().filter((secret) => secret.logicalId.startsWith(constructId));
  if (found.length !== 1) {
    throw new Error(`expected one secret of ${constructId}, found ${found.length}`);
  }
  return found[0];
}

/**
 * The value of the secret owned by `constructId` that has the staging label `stage`, parsed from
 * the JSON a handler wrote.
 */
export function secretValueOf<T>(sim: LifecycleSimulator, constructId: string, stage = 'AWSCURRENT'): T {
  const version = secretOf(sim, constructId).versions.find((v) => v.stages.includes(stage));
  if (version === undefined) {
    throw new Error(`the secret of ${constructId} has no ${stage} value`);
  }
  return JSON.parse(version.value) as T;
}

/** The JSON keys under which handlers write a credential into a secret. */
const CREDENTIAL_KEYS = ['streamKey', 'privateKeyPem'];

/**
 * Every credential the handlers wrote into the stack's secrets so far, each on its own: stream keys
 * (redundant ones too) and private keys, whole and line by line, since a PEM quoted in JSON or in a
 * log line keeps its base64 lines but not its line breaks. For `expectNoLeaks`, which looks for each
 * of them. Collect them before a destroy: a deleted secret is gone from the stub.
 */
export function writtenCredentials(sim: LifecycleSimulator): string[] {
  const credentials = new Set<string>();
  const collect = (value: unknown, key?: string): void => {
    if (typeof value === 'string' && key !== undefined && CREDENTIAL_KEYS.includes(key)) {
      credentials.add(value);
      value.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----')).forEach((line) => credentials.add(line));
    } else if (Array.isArray(value)) {
      value.forEach((item) => collect(item));
    } else if (value !== null && typeof value === 'object') {
      Object.entries(value).forEach(([name, item]) => collect(item, name));
    }
  };
  for (const secret of sim.secrets.list()) {
    secret.writes.forEach((written) => collect(JSON.parse(written)));
  }
  return [...credentials];
}
