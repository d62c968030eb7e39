/*
 * CloudFormation's intrinsic functions and pseudo parameters, as far as this library's stacks use
 * them. Anything else is refused with a clear message rather than passed through unresolved.
 */

/** What resolving a template value needs to know about the stack and its resources. */
export interface ResolveContext {
  readonly stackName: string;
  readonly stackId: string;
  readonly region: string;
  readonly accountId: string;
  /** Parameter values by name. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** The value of `Ref` to a resource; throws a ResolveError when it has none. */
  ref(logicalId: string): unknown;
  /** The value of `Fn::GetAtt`; throws a ResolveError when it has none. */
  getAtt(logicalId: string, attribute: string): unknown;
}

/** A template value that cannot be resolved; CloudFormation would fail the resource with this message. */
export class ResolveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResolveError';
  }
}

/** `Ref: AWS::NoValue`: the property is removed. */
const NO_VALUE = Symbol('AWS::NoValue');

const PSEUDO_PARAMETERS: Record<string, (ctx: ResolveContext) => unknown> = {
  'AWS::Partition': () => 'aws',
  'AWS::Region': (ctx) => ctx.region,
  'AWS::AccountId': (ctx) => ctx.accountId,
  'AWS::StackName': (ctx) => ctx.stackName,
  'AWS::StackId': (ctx) => ctx.stackId,
  'AWS::URLSuffix': () => 'amazonaws.com',
  'AWS::NotificationARNs': () => [],
  'AWS::NoValue': () => NO_VALUE,
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The single key of an intrinsic function object, e.g. `Fn::Join`, or undefined for a plain object. */
function intrinsicName(value: Record<string, unknown>): string | undefined {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::')) ? keys[0] : undefined;
}

/** Resolves every intrinsic in `value`. `path` names the value in error messages. */
export function resolve(value: unknown, ctx: ResolveContext, path = ''): unknown {
  const resolved = resolveValue(value, ctx, path);
  return resolved === NO_VALUE ? undefined : resolved;
}

function resolveValue(value: unknown, ctx: ResolveContext, path: string): unknown {
  if (Array.isArray(value)) {
    return value.map((item, i) => resolveValue(item, ctx, `${path}[${i}]`)).filter((item) => item !== NO_VALUE);
  }
  if (!isObject(value)) {
    return value;
  }
  const name = intrinsicName(value);
  if (name === undefined) {
    const entries = Object.entries(value).map(([key, member]) => [key, resolveValue(member, ctx, path ? `${path}.${key}` : key)]);
    return Object.fromEntries(entries.filter(([, member]) => member !== NO_VALUE));
  }
  const args = value[name];
  const at = `${name} at ${path || 'the top level'}`;
  switch (name) {
    case 'Ref':
      return resolveRef(expectString(args, at), ctx);
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = getAttArguments(args, at);
      return ctx.getAtt(logicalId, attribute);
    }
    case 'Fn::Join': {
      const [delimiter, list] = expectArray(args, 2, at);
      return expectStrings(resolveValue(list, ctx, path), at).join(expectString(delimiter, at));
    }
    case 'Fn::Select': {
      const [index, list] = expectArray(args, 2, at);
      const items = expectArray(resolveValue(list, ctx, path), undefined, at);
      const i = Number(resolveValue(index, ctx, path));
      if (!Number.isInteger(i) || i < 0 || i >= items.length) {
        throw new ResolveError(`Template error: ${at}: index ${i} is outside a list of ${items.length}`);
      }
      return items[i];
    }
    case 'Fn::Split': {
      const [delimiter, source] = expectArray(args, 2, at);
      return expectString(resolveValue(source, ctx, path), at).split(expectString(delimiter, at));
    }
    case 'Fn::Sub':
      return resolveSub(args, ctx, path, at);
    default:
      throw new ResolveError(`the simulator does not support ${at}`);
  }
}

function resolveRef(name: string, ctx: ResolveContext): unknown {
  const pseudo = PSEUDO_PARAMETERS[name];
  if (pseudo) {
    return pseudo(ctx);
  }
  if (name.startsWith('AWS::')) {
    throw new ResolveError(`the simulator does not support the pseudo parameter ${name}`);
  }
  if (name in ctx.parameters) {
    return ctx.parameters[name];
  }
  return ctx.ref(name);
}

function getAttArguments(args: unknown, at: string): [string, string] {
  if (typeof args === 'string') {
    const dot = args.indexOf('.');
    if (dot > 0) {
      return [args.slice(0, dot), args.slice(dot + 1)];
    }
  } else if (Array.isArray(args) && args.length === 2 && typeof args[0] === 'string' && typeof args[1] === 'string') {
    return [args[0], args[1]];
  }
  throw new ResolveError(`Template error: ${at} takes [logicalId, attribute], got ${JSON.stringify(args)}`);
}

/** `Fn::Sub` with a string, or with [string, variables]; `${!Literal}` stays a literal `${Literal}`. */
function resolveSub(args: unknown, ctx: ResolveContext, path: string, at: string): string {
  const [template, variables] = typeof args === 'string' ? [args, {}] : expectArray(args, 2, at);
  const resolvedVariables = resolveValue(variables, ctx, path);
  if (!isObject(resolvedVariables)) {
    throw new ResolveError(`Template error: ${at}: the variables must be an object`);
  }
  return expectString(template, at).replace(/\$\{([^}]*)\}/g, (_match, expression: string) => {
    if (expression.startsWith('!')) {
      return `\${${expression.slice(1)}}`;
    }
    if (expression in resolvedVariables) {
      return String(resolvedVariables[expression]);
    }
    const dot = expression.indexOf('.');
    const resolved = dot > 0 && !expression.startsWith('AWS::')
      ? ctx.getAtt(expression.slice(0, dot), expression.slice(dot + 1))
      : resolveRef(expression, ctx);
    return String(resolved);
  });
}

function expectString(value: unknown, at: string): string {
  if (typeof value !== 'string') {
    throw new ResolveError(`Template error: ${at} expects a string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function expectStrings(value: unknown, at: string): string[] {
  return expectArray(value, undefined, at).map((item) => (typeof item === 'number' ? String(item) : expectString(item, at)));
}

function expectArray(value: unknown, length: number | undefined, at: string): unknown[] {
  if (!Array.isArray(value) || (length !== undefined && value.length !== length)) {
    throw new ResolveError(`Template error: ${at} expects a list${length ? ` of ${length}` : ''}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * The logical IDs that `value` refers to through `Ref`, `Fn::GetAtt` and `Fn::Sub`: the
 * resources it depends on, together with parameters and pseudo parameters, which callers filter out.
 */
export function references(value: unknown): Set<string> {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!isObject(node)) {
      return;
    }
    const name = intrinsicName(node);
    const args = node[name ?? ''];
    if (name === 'Ref' && typeof args === 'string') {
      found.add(args);
    } else if (name === 'Fn::GetAtt') {
      found.add(typeof args === 'string' ? args.split('.')[0] : String((args as unknown[])[0]));
    } else if (name === 'Fn::Sub') {
      const [template, variables] = typeof args === 'string' ? [args, {}] : (args as [string, Record<string, unknown>]);
      for (const [, expression] of String(template).matchAll(/\$\{([^}!][^}]*)\}/g)) {
        if (!(isObject(variables) && expression in variables)) {
          found.add(expression.split('.')[0]);
        }
      }
      visit(variables);
      return;
    }
    Object.values(node).forEach(visit);
  };
  visit(value);
  return found;
}

/**
 * The properties as CloudFormation hands them to a custom resource's handler: every number and
 * boolean turned into a string, however deep; arrays and objects keep their shape.
 */
export function stringifyProperties<T>(value: T): T {
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value) as T;
  }
  if (Array.isArray(value)) {
    return value.map(stringifyProperties) as T;
  }
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, stringifyProperties(member)])) as T;
  }
  return value;
}
