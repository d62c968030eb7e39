import type { EncodedDecimal } from '../src/custom-resources/encoder-configuration-contract';
import type { EncodedBoolean, EncodedInteger } from '../src/custom-resources/encoding';

/** A property that does not decode: a construct and handler out of step, or a hand-written template. */
export class InvalidPropertyError extends Error {
  constructor(property: string, expected: string, received: unknown) {
    super(`property ${property} must be ${expected}, got ${JSON.stringify(received)}`);
    this.name = 'InvalidPropertyError';
  }
}

/** Decodes an integer property; CloudFormation delivers it as a string. */
export function decodeInteger(property: string, value: EncodedInteger | number): number {
  const decoded = typeof value === 'number' ? value : /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(decoded)) {
    throw new InvalidPropertyError(property, 'a whole number', value);
  }
  return decoded;
}

/** Decodes a number that may have a fractional part; CloudFormation delivers it as a string. */
export function decodeDecimal(property: string, value: EncodedDecimal | number): number {
  const decoded = typeof value === 'number' ? value : /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(decoded)) {
    throw new InvalidPropertyError(property, 'a decimal number', value);
  }
  return decoded;
}

/** Decodes a boolean property; CloudFormation delivers it as `"true"` or `"false"`. */
export function decodeBoolean(property: string, value: EncodedBoolean | boolean): boolean {
  if (value === true || value === 'true') {
    return true;
  }
  if (value === false || value === 'false') {
    return false;
  }
  throw new InvalidPropertyError(property, '"true" or "false"', value);
}
