import * as path from 'node:path';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { createEvent } from './events';
import { FAILED_CREATE_ID, ResponseWrapper } from '../../lambda/failed-create';
import { entryPoint } from '../../lambda/invocation';
import { STAGE_RESOURCE_TYPE } from '../../src/custom-resources/stage-contract';

/*
 * The entry point's part around the response wrapper (lambda/invocation.ts), with a wrapper that
 * records how it is called and handler modules of its own: which module runs the wrapper.
 */

const CREATE = createEvent(STAGE_RESOURCE_TYPE, { Name: 'town-hall' });
const CONTEXT = { getRemainingTimeInMillis: () => 60_000 } as never;

/** A wrapper that loads the handler from `index` and records the events it is given. */
function recordingWrapper(index: string): ResponseWrapper & { readonly events: CloudFormationCustomResourceEvent[] } {
  const events: CloudFormationCustomResourceEvent[] = [];
  return { external: { userHandlerIndex: index }, events, handler: async (event) => { events.push(event); } };
}

test('the handler bundle runs the wrapper, given a create with the failed-create ID, through its answerThenCheck', async () => {
  // GIVEN a handler module with answerThenCheck
  const ran: string[] = [];
  jest.doMock('/virtual/bundle-index', () => ({
    answerThenCheck: async (answer: () => Promise<void>, context: unknown) => {
      ran.push(`before (${context === CONTEXT ? 'the context' : 'another context'})`);
      await answer();
      ran.push('after');
    },
  }), { virtual: true });
  const wrapper = recordingWrapper('/virtual/bundle-index');

  // WHEN
  await entryPoint(wrapper)(CREATE, CONTEXT);

  // THEN
  expect(ran).toEqual(['before (the context)', 'after']);
  expect(wrapper.events).toEqual([{ ...CREATE, PhysicalResourceId: FAILED_CREATE_ID }]);
});

test('a handler module without answerThenCheck (not this library\'s bundle) is left to the wrapper alone, which answers', async () => {
  // GIVEN
  jest.doMock('/virtual/other-index', () => ({ handler: async () => ({}) }), { virtual: true });
  const wrapper = recordingWrapper('/virtual/other-index');

  // WHEN
  await entryPoint(wrapper)(CREATE, CONTEXT);

  // THEN
  expect(wrapper.events).toHaveLength(1);
});

test('a handler module that cannot be loaded is left to aws-cdk-lib\'s wrapper, which answers FAILED with the error', async () => {
  // GIVEN aws-cdk-lib's own wrapper, loading a handler module that does not exist
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wrapper = require(path.join(
    path.dirname(require.resolve('aws-cdk-lib/package.json')),
    'custom-resource-handlers', 'dist', 'core', 'nodejs-entrypoint-handler', 'index.js',
  ));
  const bodies: string[] = [];
  wrapper.external.sendHttpRequest = async (_options: unknown, body: string) => { bodies.push(body); };
  wrapper.external.log = () => {};
  wrapper.external.userHandlerIndex = '/no/such/handler/index';

  // WHEN
  await entryPoint(wrapper)(CREATE, CONTEXT);

  // THEN
  expect(bodies.map((body) => JSON.parse(body))).toEqual([expect.objectContaining({
    Status: 'FAILED', PhysicalResourceId: FAILED_CREATE_ID, Reason: expect.stringContaining('/no/such/handler/index'),
  })]);
});
