/*
 * A process of Lambda instances for the burst driver (burst.ts). The driver spreads the instances
 * of a burst over several of these, so that hundreds of copies of the handler bundle do not share
 * one event loop and one heap with each other and with the emulator: in Lambda each has a CPU of
 * its own. The driver bundles this file with esbuild and forks it with the function's environment;
 * the two talk over the IPC channel (the message types below).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { lambdaContext, LambdaFunction } from './handler-runner';

/** The driver to a host. */
export type ToHost =
  /** Load a copy of the code as instance `instance`: its response wrapper and the handler module the wrapper loads. */
  | { readonly kind: 'load'; readonly instance: number; readonly wrapper: string; readonly code: string }
  /** Run `event` in instance `instance`, with the context of `fn` and an absolute deadline (epoch ms). */
  | {
    readonly kind: 'invoke';
    readonly instance: number;
    readonly invocation: number;
    readonly event: CloudFormationCustomResourceEvent;
    readonly fn: LambdaFunction;
    readonly deadline: number;
  };

/** A host to the driver. */
export type FromHost =
  | { readonly kind: 'loaded'; readonly instance: number; readonly error?: string }
  /** A line the wrapper or the handler logged; no invocation: console output outside any. */
  | { readonly kind: 'log'; readonly invocation?: number; readonly line: string }
  /** A body the wrapper PUT to the event's ResponseURL. */
  | { readonly kind: 'response'; readonly invocation: number; readonly body: string }
  | { readonly kind: 'ended'; readonly invocation: number };

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

interface ResponseWrapper {
  external: {
    sendHttpRequest: (options: { hostname?: string; path?: string; method?: string }, body: string) => Promise<void>;
    log: (...args: unknown[]) => void;
  };
  handler: (event: unknown, context: unknown) => Promise<void>;
}

const send = (message: FromHost) => process.send!(message);

const wrappers = new Map<number, ResponseWrapper>();
const invocationOf = new AsyncLocalStorage<number>();

// Each invocation's console output goes to its own log, by async context.
for (const method of CONSOLE_METHODS) {
  console[method] = (...args: unknown[]) => send({ kind: 'log', invocation: invocationOf.getStore(), line: format(...args) });
}

function load({ instance, wrapper, code }: Extract<ToHost, { kind: 'load' }>): void {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    wrappers.set(instance, require(wrapper) as ResponseWrapper);
    // The wrapper loads the code on its first invocation; loading it now keeps that out of the invocation's time.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(code);
    send({ kind: 'loaded', instance });
  } catch (error) {
    send({ kind: 'loaded', instance, error: error instanceof Error ? error.stack ?? error.message : String(error) });
  }
}

function invoke({ instance, invocation, event, fn, deadline }: Extract<ToHost, { kind: 'invoke' }>): void {
  const wrapper = wrappers.get(instance)!;
  const log = (...args: unknown[]) => send({ kind: 'log', invocation, line: format(...args) });
  const responseUrl = new URL(event.ResponseURL);
  wrapper.external.log = log;
  wrapper.external.sendHttpRequest = async (options, body) => {
    if (options.method === 'PUT' && options.hostname === responseUrl.hostname && options.path === `${responseUrl.pathname}${responseUrl.search}`) {
      send({ kind: 'response', invocation, body });
    } else {
      log(`[burst] ignored a request that is not a PUT to the ResponseURL: ${options.method} ${options.hostname}`);
    }
  };
  void invocationOf.run(invocation, () => Promise.resolve()
    .then(() => wrapper.handler(event, lambdaContext(fn, deadline)))
    .catch((error: unknown) => {
      // The wrapper itself failed: Lambda reports a function error and CloudFormation never hears back.
      log(error instanceof Error ? error.stack ?? error.message : String(error));
    })
    .then(() => send({ kind: 'ended', invocation })));
}

process.on('message', (message: ToHost) => {
  if (message.kind === 'load') {
    load(message);
  } else {
    invoke(message);
  }
});
// The driver's end (or its death) ends the host, with whatever its invocations were still doing.
process.on('disconnect', () => process.exit(0));
