import { Fact, FactName } from 'aws-cdk-lib/region-info';

/**
 * The Node.js runtime that the installed aws-cdk-lib lists as available in `region` (its
 * `latestNodeRuntime` region fact): what the library's functions run when no runtime is pinned.
 * The floor's and the newest aws-cdk-lib's differ, and the tests run against both.
 */
export function latestNodeRuntimeIn(region: string): string {
  return Fact.find(region, FactName.LATEST_NODE_RUNTIME) ?? 'nodejs22.x';
}
