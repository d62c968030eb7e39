import type {
  CloudFormationCustomResourceCreateEvent,
  CloudFormationCustomResourceDeleteEvent,
  CloudFormationCustomResourceUpdateEvent,
} from 'aws-lambda';
import { creatorTag } from '../../lambda/ownership';

/*
 * CloudFormation custom-resource events as the handler receives them. Properties are typed by the
 * contracts, whose scalars are strings, as CloudFormation delivers them.
 */

const COMMON = {
  ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:handler',
  ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/signed?X-Amz-Signature=secret',
  StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/TestStack/5b918d10-cd98-11ea-90d5-0a9cd3354c10',
  RequestId: '8d8ab8f1-3b3e-4c4e-9a4c-6f1b1e6f2a10',
  LogicalResourceId: 'Stage0E8C2AF5',
};

export function createEvent<P extends { ServiceToken: string }>(
  resourceType: string,
  properties: Omit<P, 'ServiceToken'>,
): CloudFormationCustomResourceCreateEvent<P> {
  return {
    ...COMMON,
    RequestType: 'Create',
    ResourceType: resourceType,
    ResourceProperties: { ServiceToken: COMMON.ServiceToken, ...properties } as P,
  };
}

export function updateEvent<P extends { ServiceToken: string }>(
  resourceType: string,
  physicalResourceId: string,
  properties: Omit<P, 'ServiceToken'>,
  oldProperties: Omit<P, 'ServiceToken'>,
): CloudFormationCustomResourceUpdateEvent<P> {
  return {
    ...COMMON,
    RequestType: 'Update',
    ResourceType: resourceType,
    PhysicalResourceId: physicalResourceId,
    ResourceProperties: { ServiceToken: COMMON.ServiceToken, ...properties } as P,
    OldResourceProperties: { ServiceToken: COMMON.ServiceToken, ...oldProperties } as P,
  };
}

export function deleteEvent<P extends { ServiceToken: string }>(
  resourceType: string,
  physicalResourceId: string,
  properties: Omit<P, 'ServiceToken'>,
): CloudFormationCustomResourceDeleteEvent<P> {
  return {
    ...COMMON,
    RequestType: 'Delete',
    ResourceType: resourceType,
    PhysicalResourceId: physicalResourceId,
    ResourceProperties: { ServiceToken: COMMON.ServiceToken, ...properties } as P,
  };
}

/** The creator tag the handler adds to what a create of these events makes (see lambda/ownership.ts). */
export const CREATE_CREATOR_TAGS = creatorTag({ ...COMMON, RequestType: 'Create' });
