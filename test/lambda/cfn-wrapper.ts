import * as path from 'path';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { inFrontOf } from '../../lambda/failed-create';

/**
 * Runs the handler inside aws-cdk-lib's own response wrapper, behind the library's entry point
 * (lambda/entrypoint.ts), the code that CloudFormation's Lambda actually invokes, and captures what
 * it would send to CloudFormation and what it logs.
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

export async function invokeThroughWrapper(event: CloudFormationCustomResourceEvent, context?: Partial<Context>): Promise<WrappedInvocation> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const entrypoint = require(ENTRYPOINT);
  const responseBodies: string[] = [];
  const logs: string[] = [];
  const handlerLogs: string[] = [];
  const line = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  entrypoint.external.sendHttpRequest = async (_options: unknown, body: string) => { responseBodies.push(body); };
  // The wrapper logs through external.log, the handler through console.log.
  entrypoint.external.log = (...args: unknown[]) => logs.push(line(args));
  entrypoint.external.userHandlerIndex = require.resolve('../../lambda/handler');
  const consoleLog = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    logs.push(line(args));
    handlerLogs.push(line(args));
  });
  try {
    await inFrontOf(entrypoint)(event, context as Context | undefined);
  } finally {
    consoleLog.mockRestore();
  }
  return { responses: responseBodies.map((body) => JSON.parse(body)), responseBodies, logs, handlerLogs };
}
