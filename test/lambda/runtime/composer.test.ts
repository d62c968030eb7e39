import { idempotencyToken, readConfig } from '../../../lambda/runtime/composer';
import { COMPOSER_ENV } from '../../../src/runtime/composer-contract';

/*
 * The composer's pure parts: its idempotency token and its configuration.
 */

const STAGE = 'arn:aws:ivs:us-east-1:111111111111:stage/abcdEFGH1234';

describe('idempotencyToken', () => {
  test('is 64 hex digits, within StartComposition\'s length and pattern', () => {
    // WHEN
    const token = idempotencyToken('key', STAGE, 'st-abcdefghijklm');

    // THEN
    expect(token).toMatch(/^[0-9a-f]{64}$/);
  });

  test('is the same for every event of one session of one composition', () => {
    // WHEN / THEN
    expect(idempotencyToken('key', STAGE, 'st-abcdefghijklm')).toBe(idempotencyToken('key', STAGE, 'st-abcdefghijklm'));
  });

  test.each([
    ['another session', ['key', STAGE, 'st-nopqrstuvwxyz']],
    ['another composition of the stage', ['other-key', STAGE, 'st-abcdefghijklm']],
    ['another stage', ['key', STAGE.replace('abcdEFGH1234', 'zyxwVUTS9876'), 'st-abcdefghijklm']],
  ])('differs for %s', (_name, [key, stage, session]) => {
    // WHEN / THEN
    expect(idempotencyToken(key, stage, session)).not.toBe(idempotencyToken('key', STAGE, 'st-abcdefghijklm'));
  });
});

describe('readConfig', () => {
  test('names every variable the environment lacks', () => {
    // WHEN / THEN
    expect(() => readConfig({})).toThrow(`the composer's environment lacks ${COMPOSER_ENV.STAGE_ARN}, ${COMPOSER_ENV.REQUEST}, ${COMPOSER_ENV.COMPOSITION_KEY}`);
  });

  test('refuses a request without a destination', () => {
    // WHEN / THEN
    expect(() => readConfig({
      [COMPOSER_ENV.STAGE_ARN]: STAGE, [COMPOSER_ENV.COMPOSITION_KEY]: 'key', [COMPOSER_ENV.REQUEST]: JSON.stringify({ layout: {}, destinations: [] }),
    })).toThrow(`${COMPOSER_ENV.REQUEST} must hold at least one destination`);
  });
});
