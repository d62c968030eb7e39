import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CREATOR_TAG_KEY, MAX_USER_TAGS } from '../custom-resources/creator-tag-contract';
import { characterCount } from '../runtime/token-issuer-contract';

/**
 * A prop that the service would reject, found at synth time.
 *
 * The message names the prop, the allowed values and the value received; the construct path
 * tells the user which of their resources it is.
 */
export class IvsValidationError extends Error {
  constructor(scope: IConstruct, message: string) {
    super(`${scope.node.path}: ${message}`);
    this.name = 'IvsValidationError';
  }
}

/**
 * A string's length as IVS counts it: the API model's length limits count Unicode code points, so
 * a character outside the Basic Multilingual Plane (an emoji) is one, not the two UTF-16 units of
 * `string.length`. The same rule as the token issuer's (`characterCount` in its contract).
 */
export const codePointLength = characterCount;

/** A whole number of seconds from `duration`, or `undefined` while it is a token. */
function wholeSeconds(scope: IConstruct, prop: string, duration: Duration): number | undefined {
  if (duration.isUnresolved()) {
    return undefined;
  }
  const seconds = duration.toSeconds({ integral: false });
  if (!Number.isInteger(seconds)) {
    throw new IvsValidationError(scope, `${prop} must be a whole number of seconds, got ${seconds} seconds`);
  }
  return seconds;
}

/** Checks that a Duration is a whole number of seconds within [min, max]; tokens pass. */
export function validateSeconds(scope: IConstruct, prop: string, duration: Duration | undefined, min: number, max: number): void {
  if (duration === undefined) {
    return;
  }
  const seconds = wholeSeconds(scope, prop, duration);
  if (seconds !== undefined && (seconds < min || seconds > max)) {
    throw new IvsValidationError(scope, `${prop} must be between ${min} and ${max} seconds, got ${seconds} seconds`);
  }
}

/** Checks a string's length and, when given, that it matches `pattern`; tokens pass. */
export function validateString(
  scope: IConstruct,
  prop: string,
  value: string | undefined,
  rule: { minLength?: number; maxLength: number; pattern?: RegExp; patternDescription?: string },
): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  const min = rule.minLength ?? 0;
  const length = codePointLength(value);
  if (length < min || length > rule.maxLength) {
    throw new IvsValidationError(
      scope,
      `${prop} must be between ${min} and ${rule.maxLength} characters long, got ${length} characters: '${value}'`,
    );
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    throw new IvsValidationError(
      scope,
      `${prop} must match ${rule.pattern.source} (${rule.patternDescription}), got '${value}'`,
    );
  }
}

/** Checks that every value is one of `allowed`; tokens pass. */
export function validateEnumValues(
  scope: IConstruct,
  prop: string,
  values: readonly string[] | undefined,
  allowed: readonly string[],
  options: { maxItems: number; unique?: boolean },
): void {
  if (values === undefined) {
    return;
  }
  const received = `[${values.join(', ')}]`;
  if (values.length > options.maxItems) {
    throw new IvsValidationError(
      scope,
      `${prop} takes at most ${options.maxItems} of ${allowed.join(', ')}, got ${values.length}: ${received}`,
    );
  }
  for (const value of values) {
    if (!Token.isUnresolved(value) && !allowed.includes(value)) {
      throw new IvsValidationError(scope, `${prop} values must be one of ${allowed.join(', ')}, got '${value}'`);
    }
  }
  if (options.unique && new Set(values).size !== values.length) {
    throw new IvsValidationError(scope, `${prop} must not repeat a value, got ${received}`);
  }
}

/**
 * The service's tag rules (at most 50 tags, keys 1-128 characters, values 0-256, no `aws:` keys),
 * less the creator tag that the handler adds to every resource it creates.
 */
export function tagErrors(tags: Record<string, string>): string[] {
  const errors: string[] = [];
  const keys = Object.keys(tags);
  if (keys.length > MAX_USER_TAGS) {
    errors.push(`tags: at most ${MAX_USER_TAGS} tags are allowed (IVS allows 50, and the library adds its '${CREATOR_TAG_KEY}' tag), got ${keys.length}`);
  }
  for (const key of keys) {
    if (Token.isUnresolved(key)) {
      continue;
    }
    const keyLength = codePointLength(key);
    if (keyLength < 1 || keyLength > 128) {
      errors.push(`tags: keys must be between 1 and 128 characters long, got ${keyLength} characters: '${key}'`);
    } else if (key.toLowerCase().startsWith('aws:')) {
      errors.push(`tags: keys must not start with 'aws:' (reserved for AWS), got '${key}'`);
    } else if (key === CREATOR_TAG_KEY) {
      errors.push(`tags: the key '${CREATOR_TAG_KEY}' is the library's own, which marks what its handlers create`);
    }
    const value = tags[key];
    if (!Token.isUnresolved(value) && codePointLength(value) > 256) {
      errors.push(`tags: values must be at most 256 characters long, got ${codePointLength(value)} characters for key '${key}'`);
    }
  }
  return errors;
}
