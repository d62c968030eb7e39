import { references } from './intrinsics';
import type { Template } from './types';

/**
 * The resources each resource depends on: those it names with `Ref`, `Fn::GetAtt` or `Fn::Sub`
 * in its properties, and those in its `DependsOn`.
 */
export function dependencyMap(template: Template): Map<string, Set<string>> {
  const logicalIds = new Set(Object.keys(template.Resources));
  const map = new Map<string, Set<string>>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const dependsOn = resource.DependsOn === undefined ? [] : [resource.DependsOn].flat();
    for (const dependency of dependsOn) {
      if (!logicalIds.has(dependency)) {
        throw new Error(`Template error: ${logicalId} depends on ${dependency}, which is not a resource of the template`);
      }
    }
    const referenced = [...references(resource.Properties ?? {})].filter((id) => logicalIds.has(id));
    map.set(logicalId, new Set([...dependsOn, ...referenced]));
  }
  return map;
}

/**
 * An order in which every resource comes after what it depends on. CloudFormation works on
 * independent resources in parallel; the simulator works one at a time, taking independent
 * resources in template order so that runs are repeatable.
 */
export function creationOrder(template: Template): string[] {
  const dependencies = dependencyMap(template);
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (logicalId: string, chain: string[]): void => {
    if (state.get(logicalId) === 'done') {
      return;
    }
    if (state.get(logicalId) === 'visiting') {
      throw new Error(`Template error: circular dependency between resources: ${[...chain, logicalId].join(' -> ')}`);
    }
    state.set(logicalId, 'visiting');
    for (const dependency of dependencies.get(logicalId) ?? []) {
      visit(dependency, [...chain, logicalId]);
    }
    state.set(logicalId, 'done');
    order.push(logicalId);
  };
  for (const logicalId of Object.keys(template.Resources)) {
    visit(logicalId, []);
  }
  return order;
}
