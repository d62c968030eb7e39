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
 */
export function entryPoint(wrapper: ResponseWrapper): (event: CloudFormationCustomResourceEvent, context?: Context) => Promise<void> {
  const answer = inFrontOf(wrapper);
  return (event, context) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundle = require(wrapper.external.userHandlerIndex) as HandlerBundle;
    return bundle.answerThenCheck(() => answer(event, context), context);
  };
}
