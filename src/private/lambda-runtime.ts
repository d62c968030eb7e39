import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { IvsValidationError } from './validation';

/*
 * Which Node.js runtime the functions the library ships run on: the lifecycle handlers and every
 * run-time function (the token issuer, and those to come). One choice for all of them, so that
 * a stack's functions move together when aws-cdk-lib learns of a newer runtime.
 */

/**
 * The oldest Node.js major version the bundles run on. Their esbuild target (`BUNDLE_OPTIONS` in
 * `.projenrc.ts`) is `node22`, and a test checks that the two agree: every runtime this module can
 * give, chosen or pinned, is this one or newer.
 */
export const OLDEST_NODE_MAJOR = 22;

/** The oldest runtime the bundles run on. */
const FALLBACK_RUNTIME = `nodejs${OLDEST_NODE_MAJOR}.x`;

const NODE_RUNTIME_NAME = /^nodejs(\d+)\.x$/;

/** The cdk-nag rule that a function runs the newest runtime of its family that aws-cdk-lib knows. */
const NAG_LATEST_RUNTIME = 'AwsSolutions-L1';

/** A function's runtime, and whether the user pinned it. */
export interface NodeRuntimeChoice {
  readonly runtime: lambda.Runtime;
  /** True when the user pinned it; false when it follows aws-cdk-lib. */
  readonly pinned: boolean;
}

/** The Node.js major version of a runtime name such as `nodejs24.x`; undefined for any other name or a token. */
function nodeMajor(name: string): number | undefined {
  const match = Token.isUnresolved(name) ? null : NODE_RUNTIME_NAME.exec(name);
  return match ? Number(match[1]) : undefined;
}

/**
 * The runtime of a function the library ships in `scope`'s stack: `pinned` when given, which must be
 * a Node.js runtime the bundles run on; otherwise the newest Node.js runtime that the installed
 * aws-cdk-lib lists as available in the stack's region (its `latestNodeRuntime` region fact, which
 * its own custom resources use; a mapping over every region when the region is a token).
 *
 * @param prop the name of the prop `pinned` came from, for the error message
 */
export function chooseNodeRuntime(scope: IConstruct, prop: string, pinned: lambda.Runtime | undefined): NodeRuntimeChoice {
  if (pinned) {
    const major = nodeMajor(pinned.name);
    if (pinned.family !== lambda.RuntimeFamily.NODEJS || major === undefined || major < OLDEST_NODE_MAJOR) {
      throw new IvsValidationError(scope,
        `${prop} must be a Node.js runtime of nodejs${OLDEST_NODE_MAJOR}.x or later (the bundles are built for Node.js ${OLDEST_NODE_MAJOR}), `
        + `such as lambda.Runtime.NODEJS_${OLDEST_NODE_MAJOR}_X, got '${pinned.name}'`);
    }
    return { runtime: pinned, pinned: true };
  }
  const name = lambda.determineLatestNodeRuntime(scope).name;
  const major = nodeMajor(name);
  // A fact older than the bundles' target would be an aws-cdk-lib bug; the bundles cannot run there.
  const chosen = major !== undefined && major < OLDEST_NODE_MAJOR ? FALLBACK_RUNTIME : name;
  return { runtime: new lambda.Runtime(chosen, lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true }), pinned: false };
}

/**
 * The newest Node.js runtime the installed aws-cdk-lib knows of (`lambda.Runtime.ALL`), available in
 * the stack's region or not: what cdk-nag's AwsSolutions-L1 asks for.
 */
export function newestKnownNodeRuntime(): string | undefined {
  return lambda.Runtime.ALL
    .map((runtime) => ({ name: runtime.name, major: nodeMajor(runtime.name) }))
    .filter((runtime): runtime is { name: string; major: number } => runtime.major !== undefined)
    .sort((a, b) => a.major - b.major)
    .pop()?.name;
}

/** The acknowledgments this module recorded on each function, kept so that a later choice can take one back. */
const acknowledgments = new WeakMap<lambda.CfnFunction, Record<string, string>>();

/**
 * Sets `fn`'s runtime to `choice` and keeps its cdk-nag acknowledgment in step: when the runtime
 * follows aws-cdk-lib and aws-cdk-lib knows a newer Node.js runtime than it lists for the region,
 * AwsSolutions-L1 is acknowledged on the function with that reason. A pinned runtime is the user's
 * choice and stays reported. Call it again with a new choice (a later `configure()`) and the
 * acknowledgment follows.
 */
export function applyNodeRuntime(fn: lambda.CfnFunction, choice: NodeRuntimeChoice): void {
  fn.runtime = choice.runtime.name;
  let acknowledged = acknowledgments.get(fn);
  if (!acknowledged) {
    // Recorded as Validations.of(fn).acknowledge() records it, in one entry this module can change.
    acknowledged = {};
    fn.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, acknowledged);
    acknowledgments.set(fn, acknowledged);
  }
  delete acknowledged[NAG_LATEST_RUNTIME];
  const newest = newestKnownNodeRuntime();
  if (!choice.pinned && newest !== undefined && newest !== choice.runtime.name) {
    acknowledged[NAG_LATEST_RUNTIME] = laggingRuntimeReason(fn, choice.runtime.name, newest);
  }
}

/** Why a function that follows aws-cdk-lib runs an older runtime than the newest aws-cdk-lib knows. */
export function laggingRuntimeReason(scope: IConstruct, runtime: string, newest: string): string {
  const region = Stack.of(scope).region;
  const where = Token.isUnresolved(region) ? "the stack's region" : region;
  return `runs ${Token.isUnresolved(runtime) ? "the runtime aws-cdk-lib lists for the stack's region" : runtime}, the newest Node.js runtime `
    + `that aws-cdk-lib lists as available in ${where} (its latestNodeRuntime region fact, which its own custom resources `
    + `use); aws-cdk-lib also knows ${newest}, but not as available there. Pin a runtime to choose another`;
}
