import { App, CfnResource, ITaggableV2, NestedStack, RemovalPolicy, Stack, TagManager, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { IvsHandlerProvider } from '../../src/custom-resources/ivs-handler-provider';
import { instancesInStack, IvsCustomResource, ivsResourceName, ivsTagManager, warnAboveQuota } from '../../src/private/ivs-resource';

/*
 * What every construct of the library does the same way around its custom resource: the name, the
 * tags and the quota warning.
 */

function scope(): Stack {
  return new Stack(new App(), 'TestStack');
}

class Widget extends Construct {}

class TaggedWidget extends Construct implements ITaggableV2 {
  public readonly cdkTagManager: TagManager;

  constructor(parent: Construct, id: string, tags: Record<string, string>) {
    super(parent, id);
    this.cdkTagManager = ivsTagManager(this, 'Custom::Widget', tags);
  }
}

describe('resource name', () => {
  test('a name given is kept', () => {
    expect(ivsResourceName(scope(), 'stageName', 'town-hall_2')).toBe('town-hall_2');
  });

  test.each([
    ['a space', 'town hall'],
    ['a dot', 'town.hall'],
  ])('a name with %s is refused, naming the characters allowed', (_, name) => {
    expect(() => ivsResourceName(scope(), 'stageName', name)).toThrow(
      `TestStack: stageName must match ^[a-zA-Z0-9-_]*$ (letters, digits, hyphens and underscores), got '${name}'`,
    );
  });

  test('a name of 128 characters is accepted and one of 129 refused', () => {
    // THEN
    expect(ivsResourceName(scope(), 'stageName', 'a'.repeat(128))).toHaveLength(128);
    expect(() => ivsResourceName(scope(), 'stageName', 'a'.repeat(129))).toThrow(/stageName must be between 0 and 128 characters long, got 129/);
  });

  test('without a name, one is made from the construct path, of the characters IVS allows and at most 128 long', () => {
    // GIVEN a path of characters IVS does not allow, and longer than 128
    const stack = scope();
    const deep = new Widget(new Widget(stack, `Very.Long Name_${'x'.repeat(100)}`), `Stage_${'y'.repeat(100)}`);

    // WHEN
    const name = ivsResourceName(deep, 'stageName', undefined);

    // THEN
    expect(name).toMatch(/^[a-zA-Z0-9-_]+$/);
    expect(name.length).toBeLessThanOrEqual(128);
    expect(name).toContain('-');
    expect(name).toContain('_');
    expect(name).toMatch(/^TestStack-VeryLongName_x/);
  });
});

describe('tags', () => {
  test('tags added with Tags.of() after construction are checked when the tree is complete', () => {
    // GIVEN
    const stack = scope();
    const widget = new TaggedWidget(stack, 'Widget', { team: 'video' });

    // WHEN
    Tags.of(widget).add('aws:reserved', 'x');

    // THEN
    expect(() => (stack.node.root as App).synth())
      .toThrow("tags: keys must not start with 'aws:' (reserved for AWS), got 'aws:reserved'");
  });

  test('tags that keep the rules pass the check', () => {
    // GIVEN
    const widget = new TaggedWidget(scope(), 'Widget', { team: 'video' });

    // THEN
    expect(widget.node.validate()).toEqual([]);
  });
});

describe('instances in a stack', () => {
  test('counts the constructs of a type in the stack, not those of another type or of a nested stack', () => {
    // GIVEN
    const stack = scope();
    const first = new Widget(stack, 'First');
    const second = new Widget(new Construct(stack, 'Group'), 'Second');
    new Construct(stack, 'Other');
    new Widget(new NestedStack(stack, 'Nested'), 'InNested');

    // WHEN
    const found = instancesInStack(first, Widget);

    // THEN
    expect(found).toEqual([first, second]);
  });
});

describe('quota warning', () => {
  const warn = (stack: Stack, count: number, adjustable: boolean) => warnAboveQuota(new Widget(stack, 'Widget'), {
    count, quota: 20, adjustable, what: 'widgets', id: 'widgetQuota',
  });

  test('a stack with as many resources as the quota allows gets no warning', () => {
    // GIVEN
    const stack = scope();

    // WHEN
    warn(stack, 20, true);

    // THEN
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('a stack with more resources than an adjustable quota is warned, and told where to raise it', () => {
    // GIVEN
    const stack = scope();

    // WHEN
    warn(stack, 21, true);

    // THEN
    Annotations.fromStack(stack).hasWarning('/TestStack/Widget',
      'this stack defines 21 widgets; the quota is 20 per account and region (adjustable in Service Quotas) [ack: cdk-ivs-realtime:widgetQuota]');
  });

  test('a stack with more resources than a fixed quota is warned that it cannot be raised', () => {
    // GIVEN
    const stack = scope();

    // WHEN
    warn(stack, 21, false);

    // THEN
    Annotations.fromStack(stack).hasWarning('/TestStack/Widget',
      'this stack defines 21 widgets; the quota is 20 per account and region, and it cannot be raised [ack: cdk-ivs-realtime:widgetQuota]');
  });
});

describe('custom resource', () => {
  const make = (removalPolicy?: RemovalPolicy) => {
    const stack = scope();
    const widget = new Widget(stack, 'Widget');
    const provider = IvsHandlerProvider.getOrCreate(widget, {
      resourceType: 'Custom::IvsWidget', arnResource: 'widget', actions: ['ivs:GetWidget'],
    });
    const resource = new IvsCustomResource<{ Arn: string }>(widget, {
      provider,
      resourceType: 'Custom::IvsWidget',
      properties: { Name: 'w' },
      tags: ivsTagManager(widget, 'Custom::IvsWidget', { team: 'video' }),
      removalPolicy,
    });
    return { stack, provider, resource };
  };

  test('renders the properties with the shared service token, the service timeout and the tags, and is counted by its provider', () => {
    // WHEN
    const { stack, provider } = make();

    // THEN
    Template.fromStack(stack).hasResource('Custom::IvsWidget', {
      Properties: { ServiceToken: Match.anyValue(), ServiceTimeout: '660', Name: 'w', Tags: { team: 'video' } },
      DeletionPolicy: 'Delete',
    });
    expect(provider.resourceCount).toBe(1);
  });

  test('keeps the IVS resource when its removal policy says so', () => {
    // WHEN
    const { stack } = make(RemovalPolicy.RETAIN);

    // THEN
    Template.fromStack(stack).hasResource('Custom::IvsWidget', { DeletionPolicy: 'Retain' });
  });

  test('an attribute is the handler\'s Data field of that name', () => {
    // GIVEN
    const { stack, resource } = make();

    // WHEN
    const arn = resource.getAttString('Arn');

    // THEN
    expect(stack.resolve(arn)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(resource as CfnResource), 'Arn'] });
  });
});
