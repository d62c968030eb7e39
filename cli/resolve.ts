/*
 * The deployed properties of a resource, from the template CloudFormation holds (GetTemplate).
 *
 * GetTemplate answers the template as it was submitted, intrinsic functions and all; the values
 * CloudFormation gave the handler are nowhere to be read. So the report resolves what it can the
 * way CloudFormation did: `Ref` to a resource is its physical ID, to a parameter its value
 * (DescribeStacks), to a pseudo parameter what the stack ID says; `Fn::GetAtt` of an ARN whose
 * form is known from the physical ID (this library's resources, whose physical ID is the ARN; a
 * KMS key; an S3 bucket); `Fn::Join`, `Fn::Sub`, `Fn::Select`, `Fn::Split`, `Fn::FindInMap` and
 * `Fn::Base64` of resolved values. Anything else (another attribute, `Fn::ImportValue`, a
 * condition, a NoEcho parameter) becomes an `Unresolved`, which the report lists as not compared
 * instead of guessing.
 */

/** A value the report cannot know; `expression` says which, e.g. `Fn::GetAtt Queue.Arn`. */
export class Unresolved {
  constructor(public readonly expression: string) {}
}

/** What the template's intrinsic functions are resolved against. */
export interface StackContext {
  /** The stack ID: `arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/UUID`. */
  readonly stackId: string;
  /** Parameter values, as DescribeStacks shows them. */
  readonly parameters: Readonly<Record<string, string | Unresolved>>;
  /** The stack's resources by logical ID. */
  readonly resources: Readonly<Record<string, { readonly type: string; readonly physicalId?: string }>>;
  /** The template's `Mappings`. */
  readonly mappings?: Readonly<Record<string, Record<string, Record<string, unknown>>>>;
}

/** `Ref: AWS::NoValue`: the member is left out, as CloudFormation leaves it out. */
const NO_VALUE = Symbol('AWS::NoValue');

/** Resolves `value`, a template fragment; whatever cannot be known becomes an `Unresolved`. */
export function resolve(value: unknown, ctx: StackContext): unknown {
  const resolved = resolveValue(value, ctx);
  return resolved === NO_VALUE ? undefined : resolved;
}

function resolveValue(value: unknown, ctx: StackContext): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => resolveValue(item, ctx)).filter((item) => item !== NO_VALUE);
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
    return intrinsic(keys[0], (value as Record<string, unknown>)[keys[0]], ctx);
  }
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    const resolved = resolveValue(member, ctx);
    if (resolved !== NO_VALUE) {
      out[key] = resolved;
    }
  }
  return out;
}

function intrinsic(name: string, arg: unknown, ctx: StackContext): unknown {
  const unresolved = () => new Unresolved(`${name} ${JSON.stringify(arg)}`.slice(0, 120));
  switch (name) {
    case 'Ref':
      return typeof arg === 'string' ? ref(arg, ctx) : unresolved();
    case 'Fn::GetAtt': {
      const [id, attribute] = typeof arg === 'string' ? splitOnce(arg, '.') : (arg as unknown[]);
      return typeof id === 'string' && typeof attribute === 'string' ? getAtt(id, attribute, ctx) : unresolved();
    }
    case 'Fn::Join': {
      const [separator, list] = arg as [unknown, unknown];
      const items = resolveValue(list, ctx);
      return typeof separator === 'string' && isStrings(items) ? items.join(separator) : firstUnresolved(items) ?? unresolved();
    }
    case 'Fn::Sub':
      return sub(arg, ctx) ?? unresolved();
    case 'Fn::Select': {
      const [index, list] = arg as [unknown, unknown];
      const i = Number(resolveValue(index, ctx));
      const items = resolveValue(list, ctx);
      return Array.isArray(items) && Number.isInteger(i) && i >= 0 && i < items.length ? items[i] : unresolved();
    }
    case 'Fn::Split': {
      const [separator, text] = arg as [unknown, unknown];
      const resolved = resolveValue(text, ctx);
      return typeof separator === 'string' && typeof resolved === 'string' ? resolved.split(separator) : firstUnresolved(resolved) ?? unresolved();
    }
    case 'Fn::FindInMap': {
      const [map, top, second] = (resolveValue(arg, ctx) as unknown[]) ?? [];
      const found = ctx.mappings?.[String(map)]?.[String(top)]?.[String(second)];
      return found === undefined ? unresolved() : found;
    }
    case 'Fn::Base64': {
      const text = resolveValue(arg, ctx);
      return typeof text === 'string' ? Buffer.from(text).toString('base64') : unresolved();
    }
    default:
      return unresolved();
  }
}

function ref(name: string, ctx: StackContext): unknown {
  if (name === 'AWS::NoValue') {
    return NO_VALUE;
  }
  const pseudo = pseudoParameters(ctx.stackId)[name];
  if (pseudo !== undefined) {
    return pseudo;
  }
  if (name in ctx.parameters) {
    return ctx.parameters[name];
  }
  return ctx.resources[name]?.physicalId ?? new Unresolved(`Ref ${name}`);
}

/** The attributes whose value follows from the physical ID alone. */
function getAtt(id: string, attribute: string, ctx: StackContext): unknown {
  const resource = ctx.resources[id];
  const physicalId = resource?.physicalId;
  const { partition, region, account } = stackParts(ctx.stackId);
  if (physicalId !== undefined && attribute === 'Arn') {
    if (resource.type.startsWith('Custom::Ivs')) {
      return physicalId;
    }
    if (resource.type === 'AWS::KMS::Key') {
      return `arn:${partition}:kms:${region}:${account}:key/${physicalId}`;
    }
    if (resource.type === 'AWS::S3::Bucket') {
      return `arn:${partition}:s3:::${physicalId}`;
    }
  }
  return new Unresolved(`Fn::GetAtt ${id}.${attribute}`);
}

function sub(arg: unknown, ctx: StackContext): string | Unresolved | undefined {
  const [template, variables] = typeof arg === 'string' ? [arg, {}] : (arg as [unknown, Record<string, unknown>]);
  if (typeof template !== 'string') {
    return undefined;
  }
  const values = Object.fromEntries(Object.entries(variables ?? {}).map(([key, value]) => [key, resolveValue(value, ctx)]));
  let missing: Unresolved | undefined;
  const text = template.replace(/\$\{(!?)([^}]*)\}/g, (whole, literal: string, name: string) => {
    if (literal) {
      return `\${${name}}`;
    }
    const value = name in values ? values[name] : name.includes('.') ? getAtt(...splitOnce(name, '.'), ctx) : ref(name, ctx);
    if (typeof value !== 'string') {
      missing ??= value instanceof Unresolved ? value : new Unresolved(`Fn::Sub ${whole}`);
      return whole;
    }
    return value;
  });
  return missing ?? text;
}

function pseudoParameters(stackId: string): Record<string, string> {
  const { partition, region, account, stackName } = stackParts(stackId);
  return {
    'AWS::Partition': partition,
    'AWS::Region': region,
    'AWS::AccountId': account,
    'AWS::StackName': stackName,
    'AWS::StackId': stackId,
    'AWS::URLSuffix': partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
  };
}

function stackParts(stackId: string) {
  const [, partition, , region, account, resource] = stackId.split(':');
  return { partition, region, account, stackName: (resource ?? '').split('/')[1] };
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function firstUnresolved(value: unknown): Unresolved | undefined {
  if (value instanceof Unresolved) {
    return value;
  }
  return Array.isArray(value) ? value.find((item): item is Unresolved => item instanceof Unresolved) : undefined;
}
