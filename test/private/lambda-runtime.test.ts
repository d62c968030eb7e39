import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Fact, FactName } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { CompositionDestination, IvsRealtimeHandlers, ParticipantTokenIssuer, PublicKey, PublicKeyMaterial, Stage, StageRooms } from '../../src';
import { chooseNodeRuntime, newestKnownNodeRuntime, OLDEST_NODE_MAJOR } from '../../src/private/lambda-runtime';
import { latestNodeRuntimeIn } from '../node-runtime';

/*
 * Which Node.js runtime the library's functions run: the newest aws-cdk-lib lists for the stack's
 * region unless one is pinned, never one older than the bundles' build target.
 */

const ENV = { account: '111111111111', region: 'us-east-1' };

function newStack(env: { account: string; region: string } | undefined = ENV): Stack {
  return new Stack(new App(), 'Stack', { env });
}

/** The runtimes of the stack's functions, by the first words of their descriptions. */
function runtimes(stack: Stack): Record<string, unknown> {
  const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  return Object.fromEntries(Object.values(functions)
    .map((fn) => [String(fn.Properties.Description).split(':')[1].trim().split(' ').slice(0, 2).join(' '), fn.Properties.Runtime]));
}

/** The AwsSolutions-L1 acknowledgments recorded on `scope` and below, with their reasons. */
function latestRuntimeAcknowledgments(scope: IConstruct): Array<{ path: string; reason: string }> {
  return scope.node.findAll().flatMap((construct) => construct.node.metadata
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.entries(entry.data as Record<string, string>)
      .filter(([id]) => id.replace(/^annotation::/i, '') === 'AwsSolutions-L1')
      .map(([, reason]) => ({ path: construct.node.path, reason }))));
}

/** Runs `body` while aws-cdk-lib's region facts list `runtime` for us-east-1. */
function withLatestNodeRuntime(runtime: string, body: () => void): void {
  const original = Fact.find('us-east-1', FactName.LATEST_NODE_RUNTIME);
  Fact.register({ region: 'us-east-1', name: FactName.LATEST_NODE_RUNTIME, value: runtime }, true);
  try {
    body();
  } finally {
    if (original === undefined) {
      Fact.unregister('us-east-1', FactName.LATEST_NODE_RUNTIME);
    } else {
      Fact.register({ region: 'us-east-1', name: FactName.LATEST_NODE_RUNTIME, value: original }, true);
    }
  }
}

describe('the runtime that follows aws-cdk-lib', () => {
  test('the handlers and the token issuer run the Node.js runtime aws-cdk-lib lists for the stack\'s region', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const stage = new Stage(stack, 'Stage');
    new ParticipantTokenIssuer(stack, 'Tokens', { stages: [stage] });

    // THEN
    const expected = latestNodeRuntimeIn('us-east-1');
    expect(runtimes(stack)).toEqual({ 'lifecycle handler': expected, 'mints participant': expected });
  });

  test('when aws-cdk-lib lists a newer runtime for the region, the functions move to it', () => {
    withLatestNodeRuntime('nodejs98.x', () => {
      // GIVEN
      const stack = newStack();

      // WHEN
      const stage = new Stage(stack, 'Stage');
      new ParticipantTokenIssuer(stack, 'Tokens', { stages: [stage] });

      // THEN
      expect(runtimes(stack)).toEqual({ 'lifecycle handler': 'nodejs98.x', 'mints participant': 'nodejs98.x' });
    });
  });

  test('a runtime aws-cdk-lib lists that is older than the bundles\' target gives way to the oldest the bundles run on', () => {
    withLatestNodeRuntime('nodejs20.x', () => {
      // GIVEN
      const stack = newStack();

      // WHEN
      const choice = chooseNodeRuntime(stack, 'runtime', undefined);

      // THEN
      expect(choice.runtime.name).toBe(`nodejs${OLDEST_NODE_MAJOR}.x`);
    });
  });

  test('a region aws-cdk-lib has no fact for gets the oldest runtime the bundles run on, as aws-cdk-lib falls back to', () => {
    // GIVEN
    const stack = newStack({ account: '111111111111', region: 'xx-nowhere-1' });

    // WHEN
    const choice = chooseNodeRuntime(stack, 'runtime', undefined);

    // THEN
    expect(choice).toEqual({ runtime: expect.objectContaining({ name: 'nodejs22.x' }), pinned: false });
  });

  test('when aws-cdk-lib knows a newer runtime than it lists for the region, AwsSolutions-L1 is acknowledged on each function with both names', () => {
    withLatestNodeRuntime('nodejs22.x', () => {
      // GIVEN
      const stack = newStack();

      // WHEN
      const stage = new Stage(stack, 'Stage');
      new ParticipantTokenIssuer(stack, 'Tokens', { stages: [stage] });

      // THEN
      const newest = newestKnownNodeRuntime();
      expect(newest).not.toBe('nodejs22.x');
      const reason = expect.stringMatching(new RegExp(`^runs nodejs22\\.x, the newest Node\\.js runtime that aws-cdk-lib lists as available in us-east-1 .*; aws-cdk-lib also knows ${newest!.replace('.', '\\.')}, but not as available there`));
      expect(latestRuntimeAcknowledgments(stack)).toEqual([
        { path: 'Stack/IvsStageHandlerProvider/Handler', reason },
        { path: 'Stack/Tokens/Function/Resource', reason },
      ]);
    });
  });

  test('when the runtime aws-cdk-lib lists for the region is the newest it knows, nothing is acknowledged', () => {
    withLatestNodeRuntime(newestKnownNodeRuntime()!, () => {
      // GIVEN
      const stack = newStack();

      // WHEN
      const stage = new Stage(stack, 'Stage');
      new ParticipantTokenIssuer(stack, 'Tokens', { stages: [stage] });

      // THEN
      expect(latestRuntimeAcknowledgments(stack)).toEqual([]);
    });
  });
});

/** Every function of a stage composition and of rooms on demand, pinned to `runtime` or not, with their runtimes. */
function compositionAndRoomsRuntimes(runtime?: lambda.Runtime): string[] {
  const stack = newStack();
  const encoderConfiguration = new ivs.CfnEncoderConfiguration(stack, 'Encoder', {});
  const storageConfiguration = new ivs.CfnStorageConfiguration(stack, 'Storage', { s3: { bucketName: 'recordings' } });
  const signingKey = new PublicKey(stack, 'Key', { publicKeyMaterial: PublicKeyMaterial.generateInKms() });
  Stage.fromStageArn(stack, 'Imported', 'arn:aws:ivs:us-east-1:111111111111:stage/AbCdEfGh1234').addComposition('Composition', {
    destinations: [CompositionDestination.s3({ storageConfiguration, encoderConfiguration })],
    runtime,
  });
  new StageRooms(stack, 'Rooms', { signingKey, runtime });
  const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function', {
    Properties: { Description: Match.stringLikeRegexp('composition per stage session|rooms') },
  });
  return Object.values(functions).map((fn) => fn.Properties.Runtime);
}

test('the stage composer and the rooms\' functions run the newest runtime aws-cdk-lib lists for the region', () => {
  // WHEN
  const found = compositionAndRoomsRuntimes();

  // THEN: the composer, the join function and the janitor
  expect(found).toEqual([latestNodeRuntimeIn('us-east-1'), latestNodeRuntimeIn('us-east-1'), latestNodeRuntimeIn('us-east-1')]);
});

test('the stage composer and the rooms\' functions take a pinned runtime', () => {
  // WHEN
  const found = compositionAndRoomsRuntimes(lambda.Runtime.NODEJS_24_X);

  // THEN
  expect(found).toEqual(['nodejs24.x', 'nodejs24.x', 'nodejs24.x']);
});

describe('a pinned runtime', () => {
  test('configure({ runtime }) pins the handlers\' runtime, and the issuer\'s runtime prop its own', () => {
    // GIVEN
    const stack = newStack();
    IvsRealtimeHandlers.of(stack).configure({ runtime: lambda.Runtime.NODEJS_22_X });

    // WHEN
    const stage = new Stage(stack, 'Stage');
    new ParticipantTokenIssuer(stack, 'Tokens', { stages: [stage], runtime: lambda.Runtime.NODEJS_24_X });

    // THEN
    expect(runtimes(stack)).toEqual({ 'lifecycle handler': 'nodejs22.x', 'mints participant': 'nodejs24.x' });
  });

  test('configure({ runtime }) after the constructs repins the handlers and takes back the acknowledgment: a pinned runtime is the user\'s to answer for', () => {
    withLatestNodeRuntime('nodejs22.x', () => {
      // GIVEN
      const stack = newStack();
      new Stage(stack, 'Stage');
      expect(latestRuntimeAcknowledgments(stack)).toHaveLength(1);

      // WHEN
      IvsRealtimeHandlers.of(stack).configure({ runtime: lambda.Runtime.NODEJS_22_X });

      // THEN
      expect(runtimes(stack)).toEqual({ 'lifecycle handler': 'nodejs22.x' });
      expect(latestRuntimeAcknowledgments(stack)).toEqual([]);
    });
  });

  test.each([
    ['an older Node.js runtime', lambda.Runtime.NODEJS_20_X, 'nodejs20.x'],
    ['another family', lambda.Runtime.PYTHON_3_13, 'python3.13'],
    ['the variable nodejs name', new lambda.Runtime('nodejs', lambda.RuntimeFamily.NODEJS), 'nodejs'],
  ])('%s is an error naming the prop, what it takes and what it got', (_, runtime, name) => {
    // GIVEN
    const stack = newStack();

    // WHEN / THEN
    expect(() => IvsRealtimeHandlers.of(stack).configure({ runtime })).toThrow(
      `Stack/IvsRealtimeHandlers: runtime must be a Node.js runtime of nodejs22.x or later (the bundles are built for Node.js 22), such as lambda.Runtime.NODEJS_22_X, got '${name}'`,
    );
  });

  test('the issuer\'s runtime prop is checked the same way', () => {
    // GIVEN
    const stack = newStack();
    const stage = new Stage(stack, 'Stage');

    // WHEN / THEN
    expect(() => new ParticipantTokenIssuer(stack, 'Tokens', { stages: [stage], runtime: lambda.Runtime.NODEJS_18_X })).toThrow(
      "Stack/Tokens: runtime must be a Node.js runtime of nodejs22.x or later (the bundles are built for Node.js 22), such as lambda.Runtime.NODEJS_22_X, got 'nodejs18.x'",
    );
  });
});

test('the bundles\' esbuild target is the oldest Node.js runtime the choice can give', () => {
  // GIVEN
  const tasks = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '.projen', 'tasks.json'), 'utf-8'));

  // WHEN
  const bundleTargets = Object.entries(tasks.tasks as Record<string, { steps?: Array<{ exec?: string; execArgs?: string[] }> }>)
    .filter(([name]) => name.startsWith('bundle:') && !name.endsWith(':watch'))
    .map(([name, task]) => [name, task.steps?.map((step) => /--target=(\S+)/.exec([step.exec, ...step.execArgs ?? []].join(' '))?.[1]).find(Boolean)]);

  // THEN
  expect(bundleTargets.length).toBeGreaterThanOrEqual(2);
  expect(bundleTargets).toEqual(bundleTargets.map(([name]) => [name, `node${OLDEST_NODE_MAJOR}`]));
});
