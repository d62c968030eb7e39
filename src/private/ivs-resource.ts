import { Annotations, CfnResource, Lazy, Names, RemovalPolicy, Stack, TagManager, TagType, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
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

/**
 * The tags of an IVS resource, reachable by `Tags.of()`. They are checked against the service's
 * tag rules when the tree is complete, because `Tags.of()` adds tags after construction.
 */
export function ivsTagManager(scope: Construct, resourceType: string, tags: { [key: string]: string } | undefined): TagManager {
  const manager = new TagManager(TagType.MAP, resourceType, tags);
  scope.node.addValidation({ validate: () => tagErrors(manager.tagValues()) });
  return manager;
}

/** The `Tags` property of a contract: the tags as they are once the tree is complete. */
export function renderTags(tags: TagManager): Record<string, string> {
  return Lazy.any({ produce: () => tags.renderTags() }) as unknown as Record<string, string>;
}

/**
 * The custom resource behind a construct, its `Resource` child. A plain CfnResource rather than the
 * CustomResource L2, whose extra construct level costs synth time per instance and adds nothing here.
 */
export class IvsCustomResource extends CfnResource {
  constructor(scope: Construct, options: {
    readonly provider: IvsHandlerProvider;
    readonly resourceType: string;
    readonly properties: Record<string, unknown>;
    readonly removalPolicy?: RemovalPolicy;
  }) {
    super(scope, 'Resource', {
      type: options.resourceType,
      properties: {
        ServiceToken: options.provider.serviceToken,
        ServiceTimeout: String(SERVICE_TIMEOUT.toSeconds()),
        ...options.properties,
      },
    });
    this.applyRemovalPolicy(options.removalPolicy, { default: RemovalPolicy.DESTROY });
  }

  /** An attribute that the handler returns in `Data`. */
  public getAttString(name: string): string {
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
