import * as path from 'path';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { cloudFormationReceives } from './cloudformation-stub';
import { entryPoint } from '../../lambda/invocation';

/**
 * Runs the handler inside aws-cdk-lib's own response wrapper, behind the library's entry point
 * (lambda/entrypoint.ts), the code that CloudFormation's Lambda actually invokes, and captures what
 * it would send to CloudFormation and what it logs. CloudFormation (the stub of
 * cloudformation-stub.ts) receives each answer as it is sent, as it does, while the invocation
 * may still run (a create checks after its answer that CloudFormation took it).
 */

const ENTRYPOINT = path.join(
  path.dirname(require.resolve('aws-cdk-lib/package.json')),
  'custom-resource-handlers', 'dist', 'core', 'nodejs-entrypoint-handler', 'index.js',
);

/** The body the wrapper PUTs to the ResponseURL. */
export interface CfnResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason: string;
  readonly PhysicalResourceId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Record<string, string>;
  readonly [key: string]: unknown;
}

export interface WrappedInvocation {
  /** Every response body sent, in order. */
  readonly responses: CfnResponse[];
  /** The raw bytes of each response body. */
  readonly responseBodies: string[];
  /** Every line logged, by the wrapper and by the handler. */
  readonly logs: string[];
  /** The lines the handler logged itself, without the wrapper's. */
  readonly handlerLogs: string[];
}

export interface WrapperOptions {
  /**
   * Runs when the wrapper has sent an answer and before CloudFormation receives it: what the test
   * makes CloudFormation do first (cancel the create, send the Delete of a cancelled create). An
   * invocation of its own may run in it; this one's hooks are put back after it.
   */
  readonly beforeReceived?: (response: CfnResponse) => Promise<void>;
}

export async function invokeThroughWrapper(
  event: CloudFormationCustomResourceEvent, context?: Partial<Context>, options: WrapperOptions = {},
): Promise<WrappedInvocation> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const entrypoint = require(ENTRYPOINT);
  const responseBodies: string[] = [];
  const logs: string[] = [];
  const handlerLogs: string[] = [];
  const line = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  const hooks = {
    sendHttpRequest: async (_options: unknown, body: string) => {
      responseBodies.push(body);
      const response = JSON.parse(body) as CfnResponse;
      if (options.beforeReceived) {
        await options.beforeReceived(response);
        install();
      }
      cloudFormationReceives(event.RequestType, response);
    },
    // The wrapper logs through external.log, the handler through console.log.
    log: (...args: unknown[]) => logs.push(line(args)),
    console: (...args: unknown[]) => {
      logs.push(line(args));
      handlerLogs.push(line(args));
    },
  };
  const previous = { sendHttpRequest: entrypoint.external.sendHttpRequest, log: entrypoint.external.log, console: console.log };
  function install() {
    entrypoint.external.sendHttpRequest = hooks.sendHttpRequest;
    entrypoint.external.log = hooks.log;
    console.log = hooks.console;
  }
  entrypoint.external.userHandlerIndex = require.resolve('../../lambda/handler');
  install();
  try {
    await entryPoint(entrypoint)(event, context as Context | undefined);
  } finally {
    entrypoint.external.sendHttpRequest = previous.sendHttpRequest;
    entrypoint.external.log = previous.log;
    console.log = previous.console;
  }
  return { responses: responseBodies.map((body) => JSON.parse(body)), responseBodies, logs, handlerLogs };
}
