import * as encoderConfiguration from '../../lambda/encoder-configuration';
import type { ResourceHandler } from '../../lambda/handler';
import * as ingestConfiguration from '../../lambda/ingest-configuration';
import * as publicKey from '../../lambda/public-key';
import * as stage from '../../lambda/stage';
import * as storageConfiguration from '../../lambda/storage-configuration';

/*
 * The handler table in lambda/handler.ts holds the resource modules without a cast, so the type
 * checker (`npx projen typecheck`, run before the tests) sees that each is a ResourceHandler. These
 * lines are checked the same way: a module that lost a function, or whose function took the wrong
 * event, fails the type check.
 */

test('each resource module is a ResourceHandler, and a module without onDelete is not', () => {
  // GIVEN the five resource modules
  const modules = [stage, storageConfiguration, encoderConfiguration, ingestConfiguration, publicKey] satisfies ResourceHandler[];

  // WHEN one loses its onDelete
  const { onCreate, onUpdate } = stage;
  // @ts-expect-error onDelete is missing
  const incomplete: ResourceHandler = { onCreate, onUpdate };

  // THEN each module has the three functions at run time too
  for (const module of [...modules, incomplete]) {
    expect(typeof module.onCreate).toBe('function');
  }
  expect(modules.every((module) => typeof module.onDelete === 'function')).toBe(true);
  expect(incomplete.onDelete).toBeUndefined();
});
