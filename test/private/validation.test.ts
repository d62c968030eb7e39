import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { codePointLength, IvsValidationError, tagErrors, validateEnumValues, validateSeconds, validateString } from '../../src/private/validation';

/*
 * Lengths are counted as IVS counts them: the API model's length limits count Unicode code points.
 * An emoji outside the Basic Multilingual Plane is one code point but two UTF-16 units, so a limit
 * checked with `string.length` would refuse, at synth, values that IVS accepts.
 */

const EMOJI = '\u{1F3A5}'; // 🎥, U+1F3A5: one code point, two UTF-16 units

function scope(): Stack {
  return new Stack(new App(), 'TestStack');
}

test('a validation error names its type and the construct path', () => {
  // WHEN
  const error = new IvsValidationError(scope(), 'userId must be short');

  // THEN
  expect(error).toBeInstanceOf(Error);
  expect(error.name).toBe('IvsValidationError');
  expect(error.message).toBe('TestStack: userId must be short');
});

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

describe('limits are inclusive: a value exactly at a limit is accepted, one past it refused', () => {
  test.each([0, 1, 299, 300])('%p seconds within [0, 300] are accepted', (seconds) => {
    expect(() => validateSeconds(scope(), 'window', Duration.seconds(seconds), 0, 300)).not.toThrow();
  });

  test.each([
    [Duration.seconds(1), 1],
    [Duration.seconds(11), 11],
  ])('%s, one second outside [2, 10], is refused with the range and the value', (duration, seconds) => {
    expect(() => validateSeconds(scope(), 'segment', duration, 2, 10)).toThrow(new IvsValidationError(
      scope(), `segment must be between 2 and 10 seconds, got ${seconds} seconds`,
    ));
  });

  test('a duration that is not a whole number of seconds is refused', () => {
    expect(() => validateSeconds(scope(), 'window', Duration.millis(2500), 0, 300)).toThrow(
      'TestStack: window must be a whole number of seconds, got 2.5 seconds',
    );
  });

  test('a duration in a unit other than seconds is counted in seconds', () => {
    expect(() => validateSeconds(scope(), 'interval', Duration.days(1), 1, 86400)).not.toThrow();
    expect(() => validateSeconds(scope(), 'window', Duration.minutes(6), 0, 300)).toThrow('got 360 seconds');
  });

  test('a duration given as a token, or none, is not checked', () => {
    const stack = scope();
    const token = Duration.seconds(new CfnParameter(stack, 'Seconds', { type: 'Number' }).valueAsNumber);
    expect(() => validateSeconds(stack, 'window', token, 0, 300)).not.toThrow();
    expect(() => validateSeconds(stack, 'window', undefined, 0, 300)).not.toThrow();
  });

  test.each(['abc', 'a'.repeat(63)])('a string of %p, at the minimum or the maximum length, is accepted', (value) => {
    expect(() => validateString(scope(), 'bucketName', value, { minLength: 3, maxLength: 63 })).not.toThrow();
  });

  test.each([
    ['ab', 2],
    ['a'.repeat(64), 64],
  ])('a string of %p, one character outside [3, 63], is refused', (value, length) => {
    expect(() => validateString(scope(), 'bucketName', value, { minLength: 3, maxLength: 63 })).toThrow(
      `TestStack: bucketName must be between 3 and 63 characters long, got ${length} characters: '${value}'`,
    );
  });

  test('a string that does not match the pattern is refused with the pattern and its description', () => {
    expect(() => validateString(scope(), 'name', 'town hall', { maxLength: 128, pattern: /^[a-z-]*$/, patternDescription: 'lowercase and hyphens' }))
      .toThrow("TestStack: name must match ^[a-z-]*$ (lowercase and hyphens), got 'town hall'");
  });

  test('a string that matches the pattern, or a token, or none, is accepted', () => {
    const stack = scope();
    const rule = { minLength: 3, maxLength: 5, pattern: /^[a-z-]*$/, patternDescription: 'lowercase and hyphens' };
    expect(() => validateString(stack, 'name', 'town', rule)).not.toThrow();
    expect(() => validateString(stack, 'name', new CfnParameter(stack, 'Name').valueAsString, rule)).not.toThrow();
    expect(() => validateString(stack, 'name', undefined, rule)).not.toThrow();
  });

  test('no values, for a prop not given, is accepted', () => {
    expect(() => validateEnumValues(scope(), 'storage', undefined, ['SEQUENTIAL', 'LATEST'], { maxItems: 2 })).not.toThrow();
  });

  test('exactly the maximum number of values is accepted', () => {
    expect(() => validateEnumValues(scope(), 'storage', ['SEQUENTIAL', 'LATEST'], ['SEQUENTIAL', 'LATEST'], { maxItems: 2, unique: true })).not.toThrow();
  });

  test('one value more than the maximum is refused with the allowed values and what was given', () => {
    expect(() => validateEnumValues(scope(), 'mediaTypes', ['AUDIO_ONLY', 'NONE'], ['AUDIO_VIDEO', 'AUDIO_ONLY', 'NONE'], { maxItems: 1 })).toThrow(
      'TestStack: mediaTypes takes at most 1 of AUDIO_VIDEO, AUDIO_ONLY, NONE, got 2: [AUDIO_ONLY, NONE]',
    );
  });

  test('a value that is not allowed is refused; a token is not checked', () => {
    const stack = scope();
    expect(() => validateEnumValues(stack, 'mode', ['SOMETIMES'], ['INTERVAL', 'DISABLED'], { maxItems: 1 })).toThrow(
      "TestStack: mode values must be one of INTERVAL, DISABLED, got 'SOMETIMES'",
    );
    expect(() => validateEnumValues(stack, 'mode', [new CfnParameter(stack, 'Mode').valueAsString], ['INTERVAL', 'DISABLED'], { maxItems: 1 }))
      .not.toThrow();
  });

  test('a repeated value is refused where values must be unique, and accepted where they need not be', () => {
    expect(() => validateEnumValues(scope(), 'storage', ['LATEST', 'LATEST'], ['SEQUENTIAL', 'LATEST'], { maxItems: 2, unique: true })).toThrow(
      'TestStack: storage must not repeat a value, got [LATEST, LATEST]',
    );
    expect(() => validateEnumValues(scope(), 'storage', ['LATEST', 'LATEST'], ['SEQUENTIAL', 'LATEST'], { maxItems: 2 })).not.toThrow();
  });

  test('exactly 49 tags are accepted, and 50 refused: the creator tag is the fiftieth', () => {
    const fortyNine = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`key-${i}`, 'v']));
    expect(tagErrors(fortyNine)).toEqual([]);
    expect(tagErrors({ ...fortyNine, 'one-more': 'v' })).toEqual([
      "tags: at most 49 tags are allowed (IVS allows 50, and the library adds its 'cdk-ivs-realtime:creator' tag), got 50",
    ]);
  });

  test('the creator tag\'s key is refused', () => {
    expect(tagErrors({ 'cdk-ivs-realtime:creator': 'v' })).toEqual([
      "tags: the key 'cdk-ivs-realtime:creator' is the library's own, which marks what its handlers create",
    ]);
  });

  test('a tag key of one character and an empty value are accepted; an empty key is refused', () => {
    expect(tagErrors({ k: '' })).toEqual([]);
    expect(tagErrors({ '': 'v' })).toEqual(["tags: keys must be between 1 and 128 characters long, got 0 characters: ''"]);
  });

  test('a tag key that starts with aws: in any case is refused; one that only contains it is accepted', () => {
    expect(tagErrors({ 'AWS:team': 'v', 'team-aws:': 'v' })).toEqual(["tags: keys must not start with 'aws:' (reserved for AWS), got 'AWS:team'"]);
  });

  test('a tag whose key or value is a token is not checked', () => {
    const stack = scope();
    const token = new CfnParameter(stack, 'Value').valueAsString;
    expect(tagErrors({ [token]: 'v'.repeat(300), team: token })).toEqual([]);
  });
});
