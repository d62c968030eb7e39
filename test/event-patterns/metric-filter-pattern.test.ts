import { matchesFilterPattern } from './metric-filter-pattern';

const EVENT = JSON.stringify({ 'detail-type': 'IVS Stage Update', 'resources': ['arn:a'], 'detail': { event_name: 'Participant Publish Error', code: 3 } });

describe('metric filter pattern evaluator', () => {
  test.each([
    ['an exact string', '{ $.detail.event_name = "Participant Publish Error" }', true],
    ['another string', '{ $.detail.event_name = "Participant Published" }', false],
    ['a string of another case', '{ $.detail.event_name = "participant publish error" }', false],
    ['a field the event lacks', '{ $.detail.reason = "x" }', false],
    ['a non-string field', '{ $.detail.code = "3" }', false],
    ['an array element', '{ $.resources[0] = "arn:a" }', true],
    ['either of two', '{ ($.detail.event_name = "A") || ($.detail.event_name = "Participant Publish Error") }', true],
    ['neither of two', '{ ($.detail.event_name = "A") || ($.detail.event_name = "B") }', false],
    ['both of two', '{ ($.detail.event_name = "Participant Publish Error") && ($.resources[0] = "arn:a") }', true],
  ])('%s', (_, pattern, expected) => {
    // WHEN
    const matched = matchesFilterPattern(pattern, EVENT);

    // THEN
    expect(matched).toBe(expected);
  });

  test.each(['not json', '[1]', '"text"'])('a log line that is no JSON object (%s) matches nothing', (line) => {
    // WHEN / THEN
    expect(matchesFilterPattern('{ $.a = "b" }', line)).toBe(false);
  });

  test.each([
    ['a wildcard', '{ $.a = "b*" }'],
    ['!=', '{ $.a != "b" }'],
    ['a number', '{ $.a = 1 }'],
    ['&& and || mixed without parentheses', '{ $.a = "b" && $.c = "d" || $.e = "f" }'],
    ['a term pattern', 'ERROR'],
    ['an unclosed brace', '{ $.a = "b"'],
  ])('%s is refused, not guessed', (_, pattern) => {
    // WHEN / THEN
    expect(() => matchesFilterPattern(pattern, EVENT)).toThrow();
  });
});
