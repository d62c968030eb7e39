import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BUNDLE_BUDGET_BYTES, COMPOSER_BUDGET_BYTES, handlerBundles, ROOMS_BUDGET_BYTES, runtimeBundles, TOKEN_ISSUER_BUDGET_BYTES } from './handler-bundles';
import { defineAllConstructs } from '../security/all-constructs';
import { TEST_ENV } from '../simulator';

/*
 * The handler code the package ships and every stack deploys. These read the bundle that
 * `npx projen bundle` (run by `npm test`) has just built.
 */

test('all handler bundles together are at most 600 KB minified', () => {
  // WHEN
  const bundles = handlerBundles();

  // THEN
  expect(bundles.map((bundle) => bundle.path)).toEqual(['assets/lambda/handler/index.js']);
  expect(bundles.reduce((sum, bundle) => sum + bundle.bytes, 0)).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
});

test('the run-time functions are bundles of their own, which no handler stack deploys', () => {
  // WHEN
  const bundles = runtimeBundles();

  // THEN
  expect(bundles.map((bundle) => bundle.path).sort()).toEqual([
    'assets/lambda/runtime/composer/index.js',
    'assets/lambda/runtime/room-janitor/index.js',
    'assets/lambda/runtime/room-join/index.js',
    'assets/lambda/runtime/token-issuer/index.js',
  ]);
});

test('the token issuer is at most 450 KB minified', () => {
  // WHEN
  const issuer = runtimeBundles().find((bundle) => bundle.path.includes('/token-issuer/'))!;

  // THEN
  expect(issuer.bytes).toBeLessThanOrEqual(TOKEN_ISSUER_BUDGET_BYTES);
});

test('the stage composer is at most 600 KiB minified', () => {
  // WHEN
  const composer = runtimeBundles().find((bundle) => bundle.path.includes('/composer/'))!;

  // THEN
  expect(composer.bytes).toBeLessThanOrEqual(COMPOSER_BUDGET_BYTES);
});

test.each(['room-join', 'room-janitor'])('the rooms\' %s function is at most 500 KB minified', (name) => {
  // WHEN
  const bundle = runtimeBundles().find((b) => b.path.includes(`/${name}/`))!;

  // THEN
  expect(bundle.bytes).toBeLessThanOrEqual(ROOMS_BUDGET_BYTES);
});

test('the five handler functions of a stack deploy one and the same bundle', () => {
  // GIVEN
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: TEST_ENV });
  defineAllConstructs(stack);

  // WHEN
  const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'));

  // THEN: one asset to upload, whichever types a stack uses
  expect(functions).toHaveLength(5);
  expect(new Set(functions.map((fn) => JSON.stringify(fn.Properties.Code))).size).toBe(1);
});
