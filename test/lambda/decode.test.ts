import { decodeBoolean, decodeInteger, InvalidPropertyError } from '../../lambda/decode';

/*
 * CloudFormation delivers every property as a string. A number is a whole number written in
 * decimal, as the constructs write it; anything else that JavaScript's Number() would also read
 * (an exponent, hexadecimal, surrounding spaces) comes from a hand-written template or a construct
 * out of step with its handler, and is refused rather than guessed at.
 */

test.each<[string, number]>([
  ['30', 30],
  ['0', 0],
  ['-5', -5],
  ['86400', 86400],
])('the integer %p decodes to %p', (encoded, expected) => {
  // WHEN
  const decoded = decodeInteger('RecordingReconnectWindowSeconds', encoded);

  // THEN
  expect(decoded).toBe(expected);
});

test('an integer already decoded passes as it is', () => {
  // THEN
  expect(decodeInteger('RecordingReconnectWindowSeconds', 12)).toBe(12);
});

test.each([
  ['an exponent', '1e3'],
  ['hexadecimal', '0x10'],
  ['a trailing space', '12 '],
  ['a leading space', ' 12'],
  ['a fraction', '1.5'],
  ['a plus sign', '+12'],
  ['nothing', ''],
  ['a word', 'twelve'],
  ['a number past the safe integers', '9007199254740993'],
])('an integer written with %s is refused, naming the property and the value', (_, encoded) => {
  // WHEN / THEN
  expect(() => decodeInteger('HlsTargetSegmentDurationSeconds', encoded)).toThrow(new InvalidPropertyError(
    'HlsTargetSegmentDurationSeconds', 'a whole number', encoded,
  ));
  expect(() => decodeInteger('HlsTargetSegmentDurationSeconds', encoded)).toThrow(
    `property HlsTargetSegmentDurationSeconds must be a whole number, got ${JSON.stringify(encoded)}`,
  );
});

test('a number that is not whole is refused even when already decoded', () => {
  // WHEN / THEN
  expect(() => decodeInteger('RecordingReconnectWindowSeconds', 1.5)).toThrow('property RecordingReconnectWindowSeconds must be a whole number, got 1.5');
});

test.each<[string | boolean, boolean]>([
  ['true', true],
  ['false', false],
  [true, true],
  [false, false],
])('the boolean %p decodes to %p', (encoded, expected) => {
  // THEN
  expect(decodeBoolean('InsecureIngest', encoded)).toBe(expected);
});

test.each(['TRUE', 'False', '1', '', 'yes'])('the boolean %p is refused, naming the property and the values it takes', (encoded) => {
  // WHEN / THEN
  let thrown: unknown;
  try {
    decodeBoolean('InsecureIngest', encoded);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InvalidPropertyError);
  expect(thrown).toMatchObject({
    name: 'InvalidPropertyError',
    message: `property InsecureIngest must be "true" or "false", got ${JSON.stringify(encoded)}`,
  });
});
