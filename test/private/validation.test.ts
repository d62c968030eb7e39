import { App, Stack } from 'aws-cdk-lib';
import { codePointLength, tagErrors, validateString } from '../../src/private/validation';

/*
 * Lengths are counted as IVS counts them: the API model's length limits count Unicode code points.
 * An emoji outside the Basic Multilingual Plane is one code point but two UTF-16 units, so a limit
 * checked with `string.length` would refuse, at synth, values that IVS accepts.
 */

const EMOJI = '\u{1F3A5}'; // 🎥, U+1F3A5: one code point, two UTF-16 units

function scope(): Stack {
  return new Stack(new App(), 'TestStack');
}

test('a character outside the BMP counts as one', () => {
  // WHEN
  const length = codePointLength(EMOJI.repeat(3));

  // THEN
  expect(EMOJI.repeat(3).length).toBe(6);
  expect(length).toBe(3);
});

test('a string of exactly the maximum in emoji is accepted', () => {
  // GIVEN 128 code points, 256 UTF-16 units
  const value = EMOJI.repeat(128);

  // THEN
  expect(() => validateString(scope(), 'userId', value, { maxLength: 128 })).not.toThrow();
});

test('a string of one emoji over the maximum is refused, with its length in code points', () => {
  // GIVEN
  const value = EMOJI.repeat(129);

  // THEN
  expect(() => validateString(scope(), 'userId', value, { maxLength: 128 })).toThrow(
    `TestStack: userId must be between 0 and 128 characters long, got 129 characters: '${value}'`,
  );
});

test('a string below the minimum in code points is refused although its UTF-16 length reaches it', () => {
  // THEN: one code point, two units, against a minimum of 2
  expect(() => validateString(scope(), 'name', EMOJI, { minLength: 2, maxLength: 10 })).toThrow(
    `TestStack: name must be between 2 and 10 characters long, got 1 characters: '${EMOJI}'`,
  );
});

test('a tag key of 128 emoji and a value of 256 emoji are accepted', () => {
  // WHEN
  const errors = tagErrors({ [EMOJI.repeat(128)]: EMOJI.repeat(256) });

  // THEN
  expect(errors).toEqual([]);
});

test('a tag key of 129 emoji and a value of 257 emoji are refused, counted in code points', () => {
  // GIVEN
  const key = EMOJI.repeat(129);

  // WHEN
  const errors = tagErrors({ [key]: EMOJI.repeat(257) });

  // THEN
  expect(errors).toEqual([
    `tags: keys must be between 1 and 128 characters long, got 129 characters: '${key}'`,
    `tags: values must be at most 256 characters long, got 257 characters for key '${key}'`,
  ]);
});
