import { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { FAILED_CREATE_ID } from '../../lambda/failed-create';
import {
  EncoderConfiguration,
  IngestConfiguration,
  IngestProtocol,
  PublicKey,
  Stage,
  StorageConfiguration,
} from '../../src';
import { ENCODER_CONFIGURATION_RESOURCE_TYPE } from '../../src/custom-resources/encoder-configuration-contract';
import { INGEST_CONFIGURATION_RESOURCE_TYPE } from '../../src/custom-resources/ingest-configuration-contract';
import { PUBLIC_KEY_RESOURCE_TYPE } from '../../src/custom-resources/public-key-contract';
import { STAGE_RESOURCE_TYPE } from '../../src/custom-resources/stage-contract';
import { STORAGE_CONFIGURATION_RESOURCE_TYPE } from '../../src/custom-resources/storage-configuration-contract';
import type { IvsEmulator } from '../emulator';
import { DeployResult, LifecycleSimulator, synthesize } from '../simulator';

/*
 * What each lifecycle operation of each resource type costs in API calls, measured by deploying a
 * stack through the lifecycle simulator (the real handler bundle inside aws-cdk-lib's response
 * wrapper) against the IVS Real-Time emulator and its Secrets Manager stub, and reading their
 * request logs. Shared by test/structure (which pins the numbers) and bench/ (which prints them).
 */

/** A lifecycle operation, in the order a scenario performs them. */
export type LifecycleOperation =
  | 'create'
  | 'no-op update'
  | 'update, IVS properties unchanged'
  | 'change tags'
  | 'update in place'
  | 'delete'
  | 'replace'
  | 'delete with a made-up ID'
  | 'delete after a failed create';

export const LIFECYCLE_OPERATIONS: readonly LifecycleOperation[] = [
  'create', 'no-op update', 'update, IVS properties unchanged', 'change tags', 'update in place', 'delete', 'replace',
  'delete with a made-up ID', 'delete after a failed create',
];

/** The calls one operation made, in order, by operation name. */
export interface OperationCalls {
  /** How many requests CloudFormation sent to the handler: for a replacement, the Update and the cleanup's Delete. */
  readonly requests: number;
  readonly ivs: string[];
  readonly secretsManager: string[];
}

/** Which variant of the measured resource a stack holds; each operation changes one thing. */
interface Variant {
  readonly tagsChanged: boolean;
  readonly changedInPlace: boolean;
  readonly replaced: boolean;
}

/** How to measure one resource type. */
export interface LifecycleScenario {
  /** How the bench and the tests name it, e.g. `Stage`. */
  readonly name: string;
  readonly resourceType: string;
  /** Whether the construct owns a secret that its handler writes a credential into. */
  readonly ownsSecret: boolean;
  /** What the measured resource needs, defined in every stack of the scenario; returns what `define` uses. */
  readonly prerequisites: (stack: Stack) => Prerequisites;
  /** The measured resource, construct ID `Measured`. */
  readonly define: (stack: Stack, variant: Variant, prerequisites: Prerequisites) => void;
  /** What `update in place` changes; undefined when nothing but tags changes in place. */
  readonly inPlaceChange?: string;
  /** What `replace` changes; undefined when nothing replaces the resource. */
  readonly replacingChange?: string;
}

interface Prerequisites {
  readonly bucket?: s3.IBucket;
  readonly stage?: Stage;
}

/** A tag change adds one tag and removes another. */
const TAGS = (variant: Variant): Record<string, string> => (variant.tagsChanged ? { cost: 'video' } : { owner: 'media' });

/** The five resource types, each with what changes it in place and what replaces it. */
export const SCENARIOS: readonly LifecycleScenario[] = [
  {
    name: 'Stage',
    resourceType: STAGE_RESOURCE_TYPE,
    ownsSecret: false,
    prerequisites: () => ({}),
    define: (stack, variant) => new Stage(stack, 'Measured', {
      stageName: variant.changedInPlace ? 'renamed' : 'measured',
      tags: TAGS(variant),
    }),
    inPlaceChange: 'rename',
  },
  {
    name: 'StorageConfiguration',
    resourceType: STORAGE_CONFIGURATION_RESOURCE_TYPE,
    ownsSecret: false,
    prerequisites: (stack) => ({ bucket: new s3.Bucket(stack, 'Recordings', { bucketName: 'measured-recordings' }) }),
    define: (stack, variant, { bucket }) => new StorageConfiguration(stack, 'Measured', {
      bucket: bucket!,
      storageConfigurationName: variant.replaced ? 'renamed' : 'measured',
      tags: TAGS(variant),
    }),
    replacingChange: 'rename',
  },
  {
    name: 'EncoderConfiguration',
    resourceType: ENCODER_CONFIGURATION_RESOURCE_TYPE,
    ownsSecret: false,
    prerequisites: () => ({}),
    define: (stack, variant) => new EncoderConfiguration(stack, 'Measured', {
      encoderConfigurationName: variant.replaced ? 'renamed' : 'measured',
      tags: TAGS(variant),
    }),
    replacingChange: 'rename',
  },
  {
    name: 'IngestConfiguration',
    resourceType: INGEST_CONFIGURATION_RESOURCE_TYPE,
    ownsSecret: true,
    prerequisites: (stack) => ({ stage: new Stage(stack, 'Stage', { stageName: 'ingest-target' }) }),
    define: (stack, variant, { stage }) => new IngestConfiguration(stack, 'Measured', {
      ingestProtocol: IngestProtocol.RTMPS,
      ingestConfigurationName: variant.replaced ? 'renamed' : 'measured',
      stage: variant.changedInPlace ? stage : undefined,
      tags: TAGS(variant),
    }),
    inPlaceChange: 'attach to a stage',
    replacingChange: 'rename',
  },
  {
    name: 'PublicKey',
    resourceType: PUBLIC_KEY_RESOURCE_TYPE,
    ownsSecret: true,
    prerequisites: () => ({}),
    define: (stack, variant) => new PublicKey(stack, 'Measured', {
      publicKeyName: variant.replaced ? 'renamed' : 'measured',
      tags: TAGS(variant),
    }),
    replacingChange: 'rename (generated key)',
  },
];

/** The calls of every operation of `scenario`; an operation the type does not have is absent. */
export type LifecycleCalls = Partial<Record<LifecycleOperation, OperationCalls>>;

/**
 * Runs `scenario` on a fresh simulator against `emu` (which is reset first): deploys the
 * prerequisites, then the resource, and changes it one operation at a time, each a deploy of the
 * same stack as CloudFormation would run it. A `no-op update` deploys the same stack again,
 * synthesized anew. `update, IVS properties unchanged` is the Update CloudFormation sends when only
 * its own properties changed (a moved ServiceToken, a new ServiceTimeout): the deployed resource's
 * properties sent back to its handler.
 */
export async function measureLifecycle(scenario: LifecycleScenario, emu: IvsEmulator): Promise<LifecycleCalls> {
  emu.reset();
  const sim = await LifecycleSimulator.start({ emulator: emu });
  const stackWith = (variant?: Variant) => synthesize((stack) => {
    const prerequisites = scenario.prerequisites(stack);
    if (variant) {
      scenario.define(stack, variant, prerequisites);
    }
  }, { stackName: `Measure${scenario.name}` });
  const calls: LifecycleCalls = {};

  try {
    const ok = (result: DeployResult) => {
      if (!result.success) {
        throw new Error(`${scenario.name}: ${result.status}: ${result.reason}\n${result.logs.join('\n')}`);
      }
      return result;
    };
    const measure = async (operation: LifecycleOperation, run: () => Promise<number>) => {
      emu.clearRequests();
      const secretsBefore = sim.secrets.requests.length;
      const requests = await run();
      calls[operation] = {
        requests,
        ivs: emu.requests.map((request) => request.operation),
        secretsManager: sim.secrets.requests.slice(secretsBefore).map((request) => request.operation),
      };
    };
    const handled = (result: DeployResult) =>
      ok(result).events.filter((event) => event.resourceType === scenario.resourceType && event.request).length;
    const deploy = async (variant?: Variant) => handled(await sim.deploy(stackWith(variant)));

    // A stack without prerequisites would be empty, which CloudFormation refuses: it is created
    // with the resource and deleted as a whole.
    const prerequisites = stackWith();
    const standalone = Object.keys(prerequisites.template.Resources ?? {}).length === 0;
    const remove = async () => (standalone ? handled(await sim.destroy()) : deploy());
    if (!standalone) {
      ok(await sim.deploy(prerequisites));
    }

    const created: Variant = { tagsChanged: false, changedInPlace: false, replaced: false };
    await measure('create', () => deploy(created));
    await measure('no-op update', () => deploy(created));
    await measure('update, IVS properties unchanged', async () => {
      await redeliverUnchanged(sim, scenario.resourceType);
      return 1;
    });
    const retagged = { ...created, tagsChanged: true };
    await measure('change tags', () => deploy(retagged));
    if (scenario.inPlaceChange) {
      await measure('update in place', () => deploy({ ...retagged, changedInPlace: true }));
    }
    await measure('delete', remove);

    if (scenario.replacingChange) {
      await deploy(created);
      await measure('replace', () => deploy({ ...created, replaced: true }));
    }

    // What CloudFormation sends a create it cancelled when a sibling failed: a Delete with an ID it
    // made up; and the Delete after a failed create, with the ID the failure answered. One resource
    // of this type, made by a create, is deployed to be found: the first leaves it to its create,
    // the second finds it by its creator tag.
    await remove();
    if (!standalone) {
      ok(await sim.deploy(prerequisites));
    }
    await deploy(created);
    await measure('delete with a made-up ID', async () => {
      await redeliverDelete(sim, scenario.resourceType, (logicalId) => `Measure-${logicalId}-1ABCDEF23456`);
      return 1;
    });
    await measure('delete after a failed create', async () => {
      await redeliverDelete(sim, scenario.resourceType, () => FAILED_CREATE_ID);
      return 1;
    });
  } finally {
    await sim.stop();
  }
  return calls;
}

/**
 * Sends the deployed resource of `resourceType` a Delete with a physical ID that is not its own:
 * one CloudFormation made up for a create it cancelled, or a failed create's.
 */
async function redeliverDelete(sim: LifecycleSimulator, resourceType: string, physicalId: (logicalId: string) => string): Promise<void> {
  const [logicalId, resource] = Object.entries(sim.resources).find(([, r]) => r.type === resourceType)!;
  const created = [...sim.events].reverse().find((event) => event.logicalId === logicalId && event.request?.RequestType === 'Create')!.request!;
  const event = await sim.redeliver({
    ...created,
    RequestType: 'Delete',
    PhysicalResourceId: physicalId(logicalId),
    ResourceProperties: resource.properties as CloudFormationCustomResourceEvent['ResourceProperties'],
  });
  if (event.status !== 'SUCCESS') {
    throw new Error(`the delete of ${logicalId} with the physical ID ${physicalId(logicalId)} failed: ${event.reason}`);
  }
}

/** Sends the deployed resource of `resourceType` an Update whose properties are the ones it has. */
async function redeliverUnchanged(sim: LifecycleSimulator, resourceType: string): Promise<void> {
  const [logicalId, resource] = Object.entries(sim.resources).find(([, r]) => r.type === resourceType)!;
  const created = sim.events.find((event) => event.logicalId === logicalId && event.request)!.request!;
  const properties = resource.properties as CloudFormationCustomResourceEvent['ResourceProperties'];
  const update: CloudFormationCustomResourceEvent = {
    ...created,
    RequestType: 'Update',
    PhysicalResourceId: resource.physicalId,
    ResourceProperties: properties,
    OldResourceProperties: properties,
  };
  const event = await sim.redeliver(update);
  if (event.status !== 'SUCCESS') {
    throw new Error(`the unchanged update of ${logicalId} failed: ${event.reason}`);
  }
}
