import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';

/** A Lambda function of the stack, as far as invoking it goes. */
export interface LambdaFunction {
  readonly name: string;
  readonly arn: string;
  /** The asset directory of its code; undefined for inline code, which the simulator cannot run. */
  readonly codeDirectory?: string;
  /** `<file>.<export>`, e.g. `__entrypoint__.handler`. */
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  /** The function's own environment variables. */
  readonly environment: Readonly<Record<string, string>>;
}

/** What one invocation did. */
export interface InvocationOutcome {
  /** Every body PUT to the request's ResponseURL, in order. */
  readonly responseBodies: readonly string[];
  /** The response wrapper's log lines and the handler's console output, in order. */
  readonly logs: readonly string[];
  /** Whether the wait ended before the invocation did. */
  readonly timedOut: boolean;
}

/** What invoking a plain function (not a custom resource handler) gave. */
export interface FunctionOutcome {
  /** What the handler returned, if it returned. */
  readonly result?: unknown;
  /** What it threw, as Lambda reports a function error: the error's name and message. */
  readonly error?: { readonly errorType: string; readonly errorMessage: string };
  /** The handler's console output, in order. */
  readonly logs: readonly string[];
}

/** aws-cdk-lib's response wrapper (`__entrypoint__.js`): the hooks the simulator replaces. */
interface ResponseWrapper {
  external: {
    sendHttpRequest: (options: { hostname?: string; path?: string; method?: string }, body: string) => Promise<void>;
    log: (...args: unknown[]) => void;
  };
  [exported: string]: unknown;
}

export type Environment = Record<string, string | undefined>;

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/**
 * Invocations take turns across every simulator in the process: each one sets process-wide
 * environment variables (the endpoints the handler's SDK clients use) and captures the console.
 */
let turn: Promise<unknown> = Promise.resolve();

function exclusively<T>(work: () => Promise<T>): Promise<T> {
  const run = turn.then(work, work);
  turn = run.catch(() => undefined);
  return run;
}

/**
 * Runs the real handler code of a stack's functions, each inside the response wrapper that
 * aws-cdk-lib bundled with it, and captures the response the wrapper PUTs and everything logged.
 *
 * Each runner loads its own copy of every code directory, so module-scope state (the handler's
 * SDK client, which reads its endpoint once) belongs to one simulator and one emulator.
 */
export class HandlerRunner {
  private readonly copies = new Map<string, string>();

  /**
   * @param workDirectory a directory the runner owns, for its copies of the code
   * @param environment variables every invocation sees (region, credentials, endpoints); undefined unsets one
   */
  constructor(private readonly workDirectory: string, private readonly environment: Environment) {}

  /**
   * Invokes `fn` with `event` and waits at most `waitSeconds` for it to finish. `onResponse` hears
   * each body PUT to the ResponseURL when it is PUT, while the invocation may still run, as
   * CloudFormation takes an answer when it arrives.
   */
  public invoke(
    fn: LambdaFunction, event: CloudFormationCustomResourceEvent, waitSeconds: number, onResponse?: (body: string) => void,
  ): Promise<InvocationOutcome> {
    return exclusively(() => this.run(fn, event, waitSeconds, onResponse));
  }

  /**
   * Invokes a function that is not a custom resource handler (its module exports the handler
   * itself) with `payload`, as a direct invocation would, and waits at most its timeout.
   */
  public invokeFunction(fn: LambdaFunction, payload: unknown): Promise<FunctionOutcome> {
    return exclusively(() => this.runFunction(fn, payload));
  }

  private async runFunction(fn: LambdaFunction, payload: unknown): Promise<FunctionOutcome> {
    const logs: string[] = [];
    const record = (...args: unknown[]) => logs.push(format(...args));
    const restoreEnvironment = setEnvironment({ ...this.environment, ...lambdaEnvironment(fn), ...fn.environment });
    const restoreConsole = captureConsole(record);
    let timer: NodeJS.Timeout | undefined;
    try {
      const [file, exportName] = splitHandler(fn.handler);
      const handler = this.require(fn, file)[exportName];
      if (typeof handler !== 'function') {
        throw new Error(`${fn.handler} does not export a function`);
      }
      const deadline = Date.now() + fn.timeoutSeconds * 1000;
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`)), fn.timeoutSeconds * 1000);
      });
      // A JSON round trip, as the payload and the result cross Lambda's API.
      const event = JSON.parse(JSON.stringify(payload ?? null));
      const result = await Promise.race([Promise.resolve(handler(event, lambdaContext(fn, deadline))), expired]);
      return { result: result === undefined ? undefined : JSON.parse(JSON.stringify(result)), logs };
    } catch (error) {
      const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
      return { error: { errorType: name, errorMessage: message }, logs };
    } finally {
      clearTimeout(timer);
      restoreConsole();
      restoreEnvironment();
    }
  }

  private async run(
    fn: LambdaFunction, event: CloudFormationCustomResourceEvent, waitSeconds: number, onResponse?: (body: string) => void,
  ): Promise<InvocationOutcome> {
    const logs: string[] = [];
    const responseBodies: string[] = [];
    const record = (...args: unknown[]) => logs.push(format(...args));
    const responseUrl = new URL(event.ResponseURL);

    const restoreEnvironment = setEnvironment({ ...this.environment, ...lambdaEnvironment(fn), ...fn.environment });
    const restoreConsole = captureConsole(record);
    let timer: NodeJS.Timeout | undefined;
    try {
      const [file, exportName] = splitHandler(fn.handler);
      const wrapper = this.load(fn, file);
      const handler = wrapper[exportName];
      if (typeof handler !== 'function') {
        throw new Error(`${fn.handler} does not export a function`);
      }
      wrapper.external.log = record;
      wrapper.external.sendHttpRequest = async (options, body) => {
        // Only a PUT to the request's own URL reaches CloudFormation.
        if (options.method === 'PUT' && options.hostname === responseUrl.hostname && options.path === `${responseUrl.pathname}${responseUrl.search}`) {
          responseBodies.push(body);
          onResponse?.(body);
        } else {
          record(`[simulator] ignored a request that is not a PUT to the ResponseURL: ${options.method} ${options.hostname}`);
        }
      };
      const deadline = Date.now() + fn.timeoutSeconds * 1000;
      const finished = Promise.resolve(handler(event, lambdaContext(fn, deadline))).then(() => false);
      const expired = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), waitSeconds * 1000);
      });
      const timedOut = await Promise.race([finished, expired]);
      if (timedOut && waitSeconds >= fn.timeoutSeconds) {
        record(`Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`);
      }
      return { responseBodies, logs, timedOut };
    } catch (error) {
      // The wrapper itself failed (or could not be loaded): Lambda reports a function error and
      // CloudFormation never hears back.
      record(error instanceof Error ? error.stack ?? error.message : String(error));
      return { responseBodies, logs, timedOut: false };
    } finally {
      clearTimeout(timer);
      restoreConsole();
      restoreEnvironment();
    }
  }

  /** The runner's own copy of the function's code, loaded fresh the first time. */
  private load(fn: LambdaFunction, file: string): ResponseWrapper {
    const loaded = this.require(fn, file) as ResponseWrapper;
    if (typeof loaded.external !== 'object') {
      throw new Error(`${fn.handler} of function ${fn.name} is not aws-cdk-lib's custom resource response wrapper `
        + '(it exports no `external`): the simulator can only capture responses sent through that wrapper');
    }
    return loaded;
  }

  /** Loads `file` of the runner's own copy of the function's code, copied the first time. */
  private require(fn: LambdaFunction, file: string): Record<string, unknown> {
    if (fn.codeDirectory === undefined) {
      throw new Error(`function ${fn.name} has no code asset (inline code?): the simulator can only run asset code`);
    }
    let copy = this.copies.get(fn.codeDirectory);
    if (copy === undefined) {
      copy = path.join(this.workDirectory, `code-${this.copies.size + 1}`);
      fs.cpSync(fn.codeDirectory, copy, { recursive: true });
      this.copies.set(fn.codeDirectory, copy);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.join(copy, file)) as Record<string, unknown>;
  }
}

export function splitHandler(handler: string): [string, string] {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) {
    throw new Error(`malformed Lambda handler ${JSON.stringify(handler)}: expected <file>.<export>`);
  }
  return [handler.slice(0, dot), handler.slice(dot + 1)];
}

/** The endpoints of the stand-ins a handler's SDK clients call. */
export interface StandInEndpoints {
  readonly ivsRealtime: string;
  readonly secretsManager: string;
  readonly kms: string;
  readonly cloudFormation: string;
  /** The default event bus (PutEvents); none for a runner that needs no bus. */
  readonly eventBridge?: string;
}

/**
 * What every handler invocation sees of its environment: the region, fake credentials, the SDK's
 * standard endpoint variables pointing at the stand-ins, and nothing of the developer's own AWS setup.
 *
 * @param noFile a path that does not exist, for the SDK's config and credentials files
 */
export function handlerEnvironment(region: string, endpoints: StandInEndpoints, noFile: string): Environment {
  return {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: 'ASIASIMULATOREXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'simulator-secret-access-key',
    AWS_SESSION_TOKEN: 'simulator-session-token',
    AWS_ENDPOINT_URL_IVS_REALTIME: endpoints.ivsRealtime,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsManager,
    AWS_ENDPOINT_URL_KMS: endpoints.kms,
    AWS_ENDPOINT_URL_CLOUDFORMATION: endpoints.cloudFormation,
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.eventBridge,
    // Nothing from the developer's own AWS setup may leak in.
    AWS_ENDPOINT_URL: undefined,
    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: undefined,
    AWS_PROFILE: undefined,
    AWS_CONFIG_FILE: noFile,
    AWS_SHARED_CREDENTIALS_FILE: noFile,
    // The Lambda runtime is Node 22 or later; the SDK would warn about the Node running the tests.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** The variables the Lambda runtime sets. */
export function lambdaEnvironment(fn: LambdaFunction): Environment {
  return {
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
  };
}

/** A Lambda context whose `getRemainingTimeInMillis()` counts down to `deadline` (epoch milliseconds). */
export function lambdaContext(fn: LambdaFunction, deadline: number): Context {
  const unsupported = () => {
    throw new Error('the simulator does not support callback-style handlers');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: fn.arn,
    memoryLimitInMB: String(fn.memorySize),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${fn.name}`,
    logStreamName: `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/** Sets `variables` (undefined unsets); returns what puts the previous values back. */
export function setEnvironment(variables: Environment): () => void {
  const previous: Environment = {};
  for (const [name, value] of Object.entries(variables)) {
    previous[name] = process.env[name];
    if (value === undefined) {
      delete process.env[name];
    } else {
      process.env[name] = value;
    }
  }
  return () => setEnvironment(previous);
}

/** Sends console output to `record` instead of the terminal; returns what undoes it. */
function captureConsole(record: (...args: unknown[]) => void): () => void {
  const originals = CONSOLE_METHODS.map((method) => [method, console[method]] as const);
  for (const method of CONSOLE_METHODS) {
    console[method] = record;
  }
  return () => {
    for (const [method, original] of originals) {
      console[method] = original;
    }
  };
}
