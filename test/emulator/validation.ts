import { validationError } from './errors';
import { INPUT_SHAPES, ListShape, MapShape, OperationName, Shape, StringShape, StructureShape } from './shapes';

/** One failed constraint: `path` names the member (e.g. `autoParticipantRecordingConfiguration.mediaTypes[0]`). */
export interface Violation {
  readonly path: string;
  readonly message: string;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
/** restJson1 sends non-finite floats as these strings. */
const NON_FINITE_FLOATS: Readonly<Record<string, number>> = { 'NaN': NaN, 'Infinity': Infinity, '-Infinity': -Infinity };

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(parent: string, member: string): string {
  return parent === '' ? member : `${parent}.${member}`;
}

function mapEntryPath(parent: string, key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

function describeRange(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${min}..${max}`;
  if (min !== undefined) return `>= ${min}`;
  return `<= ${max}`;
}

function outside(value: number, min: number | undefined, max: number | undefined): boolean {
  return (min !== undefined && !(value >= min)) || (max !== undefined && !(value <= max));
}

/** Canonical JSON (sorted object keys) so uniqueItems compares structures by value. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function preview(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
}

function validateString(shape: StringShape, value: unknown, path: string, out: Violation[]): void {
  if (typeof value !== 'string') {
    out.push({ path, message: `expected string, got ${jsonType(value)}` });
    return;
  }
  if (shape.enum && !shape.enum.includes(value)) {
    out.push({ path, message: `value ${preview(value)} is not one of ${shape.enum.join(', ')}` });
    return;
  }
  const length = [...value].length; // Smithy @length counts Unicode code points
  if (outside(length, shape.min, shape.max)) {
    out.push({ path, message: `length ${length} is outside the allowed range ${describeRange(shape.min, shape.max)}` });
    return;
  }
  if (shape.pattern && !shape.pattern.test(value)) {
    out.push({ path, message: `value ${preview(value)} does not match pattern ${shape.pattern.source}` });
  }
}

function validateNumber(shape: Shape & { kind: 'integer' | 'float' }, value: unknown, path: string, out: Violation[]): void {
  let number: number;
  if (shape.kind === 'float' && typeof value === 'string' && Object.prototype.hasOwnProperty.call(NON_FINITE_FLOATS, value)) {
    number = NON_FINITE_FLOATS[value];
  } else if (typeof value !== 'number') {
    out.push({ path, message: `expected ${shape.kind}, got ${jsonType(value)}` });
    return;
  } else {
    number = value;
  }
  if (shape.kind === 'integer' && !Number.isInteger(number)) {
    out.push({ path, message: `expected integer, got non-integer number ${number}` });
    return;
  }
  const min = shape.min ?? (shape.kind === 'integer' ? INT32_MIN : undefined);
  const max = shape.max ?? (shape.kind === 'integer' ? INT32_MAX : undefined);
  if (outside(number, min, max)) {
    out.push({ path, message: `value ${number} is outside the allowed range ${describeRange(min, max)}` });
  }
}

function validateList(shape: ListShape, value: unknown, path: string, out: Violation[]): void {
  if (!Array.isArray(value)) {
    out.push({ path, message: `expected list, got ${jsonType(value)}` });
    return;
  }
  if (outside(value.length, shape.min, shape.max)) {
    out.push({ path, message: `has ${value.length} items, allowed ${describeRange(shape.min, shape.max)}` });
  }
  value.forEach((item, i) => {
    if (item === null) {
      out.push({ path: `${path}[${i}]`, message: 'null is not allowed in this list' });
    } else {
      validateValue(shape.member, item, `${path}[${i}]`, out);
    }
  });
  if (shape.uniqueItems) {
    const seen = new Set<string>();
    for (const item of value) {
      const key = canonical(item);
      if (seen.has(key)) {
        out.push({ path, message: `items must be unique, duplicate ${key}` });
        break;
      }
      seen.add(key);
    }
  }
}

function validateMap(shape: MapShape, value: unknown, path: string, out: Violation[]): void {
  if (!isPlainObject(value)) {
    out.push({ path, message: `expected map, got ${jsonType(value)}` });
    return;
  }
  const entries = Object.entries(value);
  if (outside(entries.length, shape.min, shape.max)) {
    out.push({ path, message: `has ${entries.length} entries, allowed ${describeRange(shape.min, shape.max)}` });
  }
  for (const [key, entry] of entries) {
    const keyViolations: Violation[] = [];
    validateString(shape.key, key, '', keyViolations);
    for (const violation of keyViolations) {
      out.push({ path, message: `key ${preview(key)}: ${violation.message}` });
    }
    validateValue(shape.value, entry, mapEntryPath(path, key), out);
  }
}

function validateStructure(shape: StructureShape, value: unknown, path: string, out: Violation[]): void {
  if (!isPlainObject(value)) {
    out.push({ path: path === '' ? 'request body' : path, message: `expected object, got ${jsonType(value)}` });
    return;
  }
  for (const member of shape.required ?? []) {
    if (value[member] === undefined || value[member] === null) {
      out.push({ path: join(path, member), message: 'required member is missing' });
    }
  }
  for (const [member, memberShape] of Object.entries(shape.members)) {
    const memberValue = value[member];
    // Unknown members are ignored; null is treated like an absent member.
    if (memberValue !== undefined && memberValue !== null) {
      validateValue(memberShape, memberValue, join(path, member), out);
    }
  }
}

/** Checks `value` against `shape`, appending every violation found to `out`. */
export function validateValue(shape: Shape, value: unknown, path: string, out: Violation[]): void {
  switch (shape.kind) {
    case 'string': return validateString(shape, value, path, out);
    case 'integer':
    case 'float': return validateNumber(shape, value, path, out);
    case 'boolean':
      if (typeof value !== 'boolean') out.push({ path, message: `expected boolean, got ${jsonType(value)}` });
      return;
    case 'list': return validateList(shape, value, path, out);
    case 'map': return validateMap(shape, value, path, out);
    case 'structure': return validateStructure(shape, value, path, out);
  }
}

/**
 * A copy of a validated input without null object members, so handlers see JSON null exactly like an absent
 * structure member, as the validator does. (Validation has already rejected nulls in lists and map values.)
 */
export function withoutNullMembers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullMembers);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNullMembers(v)]));
}

/** Throws a ValidationException whose message lists every violation as `path: message`, joined by '; '. */
export function throwIfViolations(violations: readonly Violation[]): void {
  if (violations.length > 0) {
    throw validationError(violations.map((v) => `${v.path}: ${v.message}`).join('; '));
  }
}

/** Validates an operation input against its modelled shape (types, required, lengths, patterns, ranges, enums, sizes). */
export function validateInput(operation: OperationName, input: unknown): void {
  const violations: Violation[] = [];
  validateValue(INPUT_SHAPES[operation], input, '', violations);
  throwIfViolations(violations);
}
