import { Arn, ArnComponents, ArnFormat, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { checkIvsRealtimeRegion } from './environment';
import { IvsValidationError } from './validation';

const RESOURCE_ID = /^[a-zA-Z0-9-]+$/;

/**
 * Splits an IVS resource ARN, checking its service and resource type unless it is a token.
 *
 * @param resource the ARN's resource type, e.g. `stage` or `storage-configuration`
 * @param prop the name of the prop the ARN came from, for the error message
 */
export function parseIvsArn(scope: IConstruct, arn: string, resource: string, prop: string): ArnComponents {
  const expected = `an IVS ${resource} ARN (arn:<partition>:ivs:<region>:<account>:${resource}/<id>)`;
  let components: ArnComponents;
  try {
    components = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME);
  } catch {
    throw new IvsValidationError(scope, `${prop} must be ${expected}, got '${arn}'`);
  }
  if (Token.isUnresolved(arn)) {
    return components;
  }
  const id = components.resourceName ?? '';
  if (components.service !== 'ivs' || components.resource !== resource || !RESOURCE_ID.test(id)) {
    throw new IvsValidationError(scope, `${prop} must be ${expected}, got '${arn}'`);
  }
  checkIvsRealtimeRegion(scope, `the region of ${prop}`, components.region!);
  return components;
}
