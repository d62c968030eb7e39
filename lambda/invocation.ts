import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { inFrontOf, ResponseWrapper } from './failed-create';

/*
 * What the function's entry point (entrypoint.ts) does with aws-cdk-lib's response wrapper, apart
 * from the copy of the wrapper it is bundled against, so that tests run it with aws-cdk-lib's own.
 */

/** What the entry point calls in the handler bundle (handler.ts). */
interface HandlerBundle {
  answerThenCheck(answer: () => Promise<void>, context?: Context): Promise<void>;
}

/**
 * The function's handler: the wrapper, in front of which a Create is given FAILED_CREATE_ID
 * (`inFrontOf`), run by the handler bundle's `answerThenCheck`, which checks after a Create's answer
 * that CloudFormation took it. The bundle is the module the wrapper loads (its
 * `external.userHandlerIndex`), resolved when the event comes as the wrapper resolves it: the same
 * file, so Node's module cache gives the same instance, in whose async context the handler records
 * what it answered.
 *
 * A module that cannot be loaded, or that has no `answerThenCheck` (not this library's bundle), is
 * left to the wrapper alone: it loads the module itself and answers FAILED with the error if that
 * fails, where a throw here would leave CloudFormation without an answer until its timeout.
 */
export function entryPoint(wrapper: ResponseWrapper): (event: CloudFormationCustomResourceEvent, context?: Context) => Promise<void> {
  const answer = inFrontOf(wrapper);
  return (event, context) => {
    const bundle = handlerBundle(wrapper.external.userHandlerIndex);
    return bundle === undefined ? answer(event, context) : bundle.answerThenCheck(() => answer(event, context), context);
  };
}

function handlerBundle(index: string): HandlerBundle | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(index) as Partial<HandlerBundle>;
    return typeof loaded.answerThenCheck === 'function' ? loaded as HandlerBundle : undefined;
  } catch {
    return undefined;
  }
}
