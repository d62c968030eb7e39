import { readFileSync } from 'fs';
import * as path from 'path';

/*
 * The handler bundle that the build writes and the npm package ships (see .projenrc.ts). These
 * tests read the bundle that `npm test` has just built.
 */

const BUNDLE = path.join(__dirname, '..', '..', 'assets', 'lambda', 'handler', 'index.js');

test('the bundle carries its own AWS SDK instead of loading the one in the Lambda runtime', () => {
  // GIVEN
  const bundle = readFileSync(BUNDLE, 'utf-8');

  // THEN: the only package it may load at run time is the optional CRT signer, which the SDK
  // tries inside a try/catch and IVS does not need
  const required = new Set([...bundle.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]));
  expect([...required].filter((name) => !name.startsWith('node:'))).toEqual(['@aws-sdk/signature-v4-crt']);
});

test('the bundled SDK knows the newest stage recording fields, which older runtime SDKs drop', () => {
  // GIVEN
  const bundle = readFileSync(BUNDLE, 'utf-8');

  // THEN: recordParticipantReplicas arrived in the 2025-05 model, hlsConfiguration in 2025-03
  expect(bundle).toContain('recordParticipantReplicas');
  expect(bundle).toContain('hlsConfiguration');
});

test('the bundle is minified', () => {
  // GIVEN
  const bundle = readFileSync(BUNDLE, 'utf-8');

  // THEN: esbuild's minified output is a few very long lines
  const lines = bundle.split('\n');
  expect(lines.length).toBeLessThan(100);
  expect(bundle.length / lines.length).toBeGreaterThan(2_000);
});
