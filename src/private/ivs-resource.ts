import { Annotations, CfnResource, ITaggableV2, Names, RemovalPolicy, Stack, TagManager, TagType, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { checkSameEnvironment, stackEnvironment } from './environment';
import { parseIvsArn } from './ivs-arn';
import { tagErrors, validateString } from './validation';
import { IvsHandlerProvider, SERVICE_TIMEOUT } from '../custom-resources/ivs-handler-provider';

/*
 * What every construct of this library does the same way around its custom resource.
 */

const NAME_PATTERN = /^[a-zA-Z0-9-_]*$/;

/**
 * The name of an IVS resource: the one given, checked against the service's rule for every
 * resource name, or one generated from the construct path.
 */
export function ivsResourceName(scope: Construct, prop: string, name: string | undefined): string {
  validateString(scope, prop, name, {
    maxLength: 128,
    pattern: NAME_PATTERN,
    patternDescription: 'letters, digits, hyphens and underscores',
  });
  return name ?? Names.uniqueResourceName(scope, { maxLength: 128, separator: '-', allowedSpecialCharacters: '-_' });
}

/** What a construct that may adopt an existing resource renders differently. */
export interface IvsAdoption {
  /** The name to send: undefined for an adopted resource given no name, which keeps its own. */
  readonly name: string | undefined;
  /** The removal policy: the one given, or RETAIN for an adopted resource (it was there before the stack). */
  readonly removalPolicy: RemovalPolicy | undefined;
}

/**
 * Checks `adoptArn` (an ARN of `resource`, e.g. `stage`, in the stack's account and region, where
 * known) and says what adopting changes in the construct's name and removal policy.
 *
 * @param noun what the resource is, for messages, e.g. `storage configuration`
 * @param nameProp the name prop, e.g. `stageName`
 */
export function ivsAdoption(scope: Construct, options: {
  readonly resource: string;
  readonly noun: string;
  readonly nameProp: string;
  readonly name: string | undefined;
  readonly adoptArn: string | undefined;
  readonly removalPolicy: RemovalPolicy | undefined;
}): IvsAdoption {
  if (options.adoptArn === undefined) {
    return { name: ivsResourceName(scope, options.nameProp, options.name), removalPolicy: options.removalPolicy };
  }
  const parsed = parseIvsArn(scope, options.adoptArn, options.resource, 'adoptArn');
  checkSameEnvironment(scope, 'adoptArn', options.noun, stackEnvironment(scope), options.noun, {
    account: parsed.account ?? '',
    region: parsed.region ?? '',
  });
  return {
    name: options.name === undefined ? undefined : ivsResourceName(scope, options.nameProp, options.name),
    removalPolicy: options.removalPolicy ?? RemovalPolicy.RETAIN,
  };
}

/**
 * The tags of an IVS resource, reachable by `Tags.of()`; the `IvsCustomResource` given them renders
 * them as the contract's `Tags` property. They are checked against the service's tag rules when the
 * tree is complete, because `Tags.of()` adds tags after construction.
 */
export function ivsTagManager(scope: Construct, resourceType: string, tags: { [key: string]: string } | undefined): TagManager {
  const manager = new TagManager(TagType.MAP, resourceType, tags, { tagPropertyName: 'Tags' });
  scope.node.addValidation({ validate: () => tagErrors(manager.tagValues()) });
  return manager;
}

/** `ServiceTimeout`, the same for every resource. */
const SERVICE_TIMEOUT_SECONDS = String(SERVICE_TIMEOUT.toSeconds());

/**
 * The custom resource behind a construct, its `Resource` child, for a contract whose handler
 * returns `TData`. A plain CfnResource rather than the CustomResource L2, whose extra construct
 * level costs synth time per instance and adds nothing here. It renders its tags the way an L1
 * does, when the template is written, rather than through a token per resource.
 */
export class IvsCustomResource<TData> extends CfnResource implements ITaggableV2 {
  public readonly cdkTagManager: TagManager;

  constructor(scope: Construct, options: {
    readonly provider: IvsHandlerProvider;
    readonly resourceType: string;
    /** The contract's properties but `ServiceToken`, `ServiceTimeout` and `Tags`. */
    readonly properties: Record<string, unknown>;
    readonly tags: TagManager;
    readonly removalPolicy?: RemovalPolicy;
  }) {
    super(scope, 'Resource', {
      type: options.resourceType,
      properties: {
        ServiceToken: options.provider.sharedServiceToken,
        ServiceTimeout: SERVICE_TIMEOUT_SECONDS,
        ...options.properties,
      },
    });
    this.cdkTagManager = options.tags;
    this.applyRemovalPolicy(options.removalPolicy, { default: RemovalPolicy.DESTROY });
    options.provider.countResource();
  }

  /**
   * An attribute that the handler returns in `Data`. Constructs read theirs on first use: a
   * token made for every attribute of every instance is synth time spent on attributes that most
   * stacks never reference.
   */
  public getAttString(name: keyof TData & string): string {
    return Token.asString(this.getAtt(name));
  }
}

/** The constructs of `type` in `scope`'s stack, not counting nested stacks. */
export function instancesInStack<T extends IConstruct>(scope: IConstruct, type: abstract new (...args: any[]) => T): T[] {
  const stack = Stack.of(scope);
  return stack.node.findAll().filter((c): c is T => c instanceof type && Stack.of(c) === stack);
}

/**
 * Warns when a stack defines more resources of a type than an account may have in a region:
 * CloudFormation would fail the deploy part way through.
 */
export function warnAboveQuota(scope: Construct, options: {
  readonly count: number;
  readonly quota: number;
  readonly adjustable: boolean;
  /** Plural, e.g. `storage configurations`. */
  readonly what: string;
  readonly id: string;
}): void {
  if (options.count <= options.quota) {
    return;
  }
  const raise = options.adjustable ? ' (adjustable in Service Quotas)' : ', and it cannot be raised';
  Annotations.of(scope).addWarningV2(
    `cdk-ivs-realtime:${options.id}`,
    `this stack defines ${options.count} ${options.what}; the quota is ${options.quota} per account and region${raise}`,
  );
}
