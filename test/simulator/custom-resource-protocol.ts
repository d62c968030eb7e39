/*
 * The custom-resource protocol as CloudFormation speaks it: the request it sends to the handler,
 * and what it makes of the response body that comes back to the ResponseURL.
 */
import { randomBytes } from 'node:crypto';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import type { CustomResourceResponse, RequestType } from './types';

/** CloudFormation refuses a response body larger than this. */
export const MAX_RESPONSE_BYTES = 4096;

/** ... and a physical ID longer than this. */
const MAX_PHYSICAL_ID_LENGTH = 1024;

/** What one request needs to say. */
export interface RequestSpec {
  readonly requestType: RequestType;
  readonly requestId: string;
  readonly stackId: string;
  readonly region: string;
  readonly logicalId: string;
  readonly resourceType: string;
  /** Resolved and stringified, ServiceToken included. */
  readonly properties: Record<string, unknown>;
  /** Update: the properties the resource had. */
  readonly oldProperties?: Record<string, unknown>;
  /** Update and Delete. */
  readonly physicalId?: string;
}

/** The request, shaped and ordered like the ones CloudFormation sends. */
export function buildRequest(spec: RequestSpec): CloudFormationCustomResourceEvent {
  return {
    RequestType: spec.requestType,
    ServiceToken: String(spec.properties.ServiceToken),
    ResponseURL: responseUrl(spec),
    StackId: spec.stackId,
    RequestId: spec.requestId,
    LogicalResourceId: spec.logicalId,
    ...(spec.requestType === 'Create' ? {} : { PhysicalResourceId: spec.physicalId }),
    ResourceType: spec.resourceType,
    ResourceProperties: spec.properties,
    ...(spec.requestType === 'Update' ? { OldResourceProperties: spec.oldProperties } : {}),
  } as CloudFormationCustomResourceEvent;
}

/**
 * A pre-signed S3 URL like CloudFormation's. Its signature is a credential: whoever holds the URL
 * can answer for the resource, which is why a handler must never log it.
 */
function responseUrl(spec: RequestSpec): string {
  const key = encodeURIComponent(`${spec.stackId}|${spec.logicalId}|${spec.requestId}`);
  const timestamp = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const credential = encodeURIComponent(`AKIA6SIMULATOR000000/${timestamp.slice(0, 8)}/${spec.region}/s3/aws4_request`);
  return `https://cloudformation-custom-resource-response-${spec.region.replace(/-/g, '')}.s3.amazonaws.com/${key}`
    + `?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=${timestamp}&X-Amz-SignedHeaders=host&X-Amz-Expires=7200`
    + `&X-Amz-Credential=${credential}&X-Amz-Signature=${randomBytes(32).toString('hex')}`;
}

/** CloudFormation's verdict on one request. */
export type Verdict =
  | { readonly ok: true; readonly response: CustomResourceResponse }
  | { readonly ok: false; readonly reason: string; readonly response?: CustomResourceResponse };

/** What CloudFormation concludes from the response bodies PUT for `request` (the first one counts). */
export function judgeResponse(request: CloudFormationCustomResourceEvent, bodies: readonly string[]): Verdict {
  const body = bodies[0];
  if (body === undefined) {
    return {
      ok: false,
      reason: `CloudFormation did not receive a response from your Custom Resource. Please check your logs for requestId [${request.RequestId}].`,
    };
  }
  if (Buffer.byteLength(body, 'utf8') > MAX_RESPONSE_BYTES) {
    return { ok: false, reason: 'Response object is too long.' };
  }
  let response: CustomResourceResponse;
  try {
    response = JSON.parse(body) as CustomResourceResponse;
  } catch {
    return { ok: false, reason: 'Invalid response object: the body is not JSON.' };
  }
  if (response.Status === 'FAILED') {
    return {
      ok: false,
      response,
      reason: `Received response status [FAILED] from custom resource. Message returned: ${response.Reason ?? ''} (RequestId: ${request.RequestId})`,
    };
  }
  if (response.Status !== 'SUCCESS') {
    return { ok: false, response, reason: `Invalid response object: Status must be SUCCESS or FAILED, got ${JSON.stringify(response.Status)}` };
  }
  const physicalId = response.PhysicalResourceId;
  if (typeof physicalId !== 'string' || physicalId === '' || physicalId.length > MAX_PHYSICAL_ID_LENGTH) {
    return { ok: false, response, reason: 'Invalid PhysicalResourceId' };
  }
  return { ok: true, response };
}

/** The error CloudFormation gives when `Fn::GetAtt` asks a custom resource for a key its response lacked. */
export function missingAttributeMessage(attribute: string, stackId: string, logicalId: string, requestId: string, region: string): string {
  return `CustomResource attribute error: Vendor response doesn't contain ${attribute} key in object `
    + `${stackId}|${logicalId}|${requestId} in S3 bucket cloudformation-custom-resource-storage-${region.replace(/-/g, '')}`;
}
