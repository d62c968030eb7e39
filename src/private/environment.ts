import { Stack, Token, TokenComparison } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { IvsValidationError } from './validation';

/*
 * Where IVS Real-Time resources may be, checked at synth wherever both sides are known: an IVS
 * Real-Time resource works only with others of its own account and region, and only in a region
 * that has an IVS Real-Time endpoint.
 */

/**
 * The AWS Regions with an IVS Real-Time endpoint, with their names: the table of the README's
 * Regions section, which a test checks against this one.
 */
export const IVS_REALTIME_REGIONS: ReadonlyArray<{ readonly region: string; readonly name: string }> = [
  { region: 'us-east-1', name: 'US East (N. Virginia)' },
  { region: 'us-west-2', name: 'US West (Oregon)' },
  { region: 'ap-south-1', name: 'Asia Pacific (Mumbai)' },
  { region: 'ap-northeast-1', name: 'Asia Pacific (Tokyo)' },
  { region: 'ap-northeast-2', name: 'Asia Pacific (Seoul)' },
  { region: 'eu-central-1', name: 'Europe (Frankfurt)' },
  { region: 'eu-west-1', name: 'Europe (Ireland)' },
];

const REGION_NAMES = IVS_REALTIME_REGIONS.map((entry) => entry.region);

/**
 * Checks that `region` has an IVS Real-Time endpoint, unless it is a token.
 *
 * @param what what the region is, for the message: `the stack's region`, or `stageArn's region`
 */
export function checkIvsRealtimeRegion(scope: IConstruct, what: string, region: string): void {
  if (Token.isUnresolved(region) || REGION_NAMES.includes(region)) {
    return;
  }
  throw new IvsValidationError(scope,
    `${what} must be one of the AWS Regions with an IVS Real-Time endpoint (${REGION_NAMES.join(', ')}), got '${region}'`);
}

/** Checks that the region of `scope`'s stack has an IVS Real-Time endpoint, where it is known. */
export function checkStackRegion(scope: IConstruct): void {
  const stack = Stack.of(scope);
  checkIvsRealtimeRegion(scope, `the region of stack ${stack.stackName}`, stack.region);
}

/** An account and a region, each a string or a token, as `IResource.env` and `Stack` give them. */
export interface Environment {
  readonly account: string;
  readonly region: string;
}

/**
 * Checks that `resource` is in `owner`'s account and region, where both sides of each are known
 * (a token matches anything).
 *
 * @param prop the prop `resource` came from, e.g. `stage` or `stages[1]`
 * @param ownerName what `owner` is, e.g. `ingest configuration`
 * @param resourceName what `resource` is, e.g. `stage`
 */
export function checkSameEnvironment(
  scope: IConstruct,
  prop: string,
  ownerName: string,
  owner: Environment,
  resourceName: string,
  resource: Environment,
): void {
  for (const part of ['account', 'region'] as const) {
    if (Token.compareStrings(owner[part], resource[part]) === TokenComparison.DIFFERENT) {
      throw new IvsValidationError(scope,
        `${prop} must be in the ${ownerName}'s ${part} (${owner[part]}), got ${article(resourceName)} ${resourceName} in ${resource[part]}`);
    }
  }
}

/** The environment of `scope`'s stack. */
export function stackEnvironment(scope: IConstruct): Environment {
  const stack = Stack.of(scope);
  return { account: stack.account, region: stack.region };
}

function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? 'an' : 'a';
}
