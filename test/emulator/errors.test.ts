import { CreateStageCommand, GetStageCommand, IVSRealTimeServiceException, ResourceNotFoundException } from '@aws-sdk/client-ivs-realtime';
import { expectServiceError, missingArn, rawRequest, useEmulator } from './helpers';

const t = useEmulator();

describe('error responses', () => {
  test('the SDK sees the modelled exception class, name, status and exceptionMessage', async () => {
    // GIVEN no stage
    // WHEN a missing stage is read
    const error = await expectServiceError(t.client.send(new GetStageCommand({ arn: missingArn('stage') })), 'ResourceNotFoundException', 404);
    // THEN the SDK built its ResourceNotFoundException with the message in both fields
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toBeInstanceOf(IVSRealTimeServiceException);
    expect(error.exceptionMessage).toBe(`Resource not found: ${missingArn('stage')}`);
    expect(error.message).toBe(error.exceptionMessage);
  });

  test('the wire format carries x-amzn-ErrorType, JSON content type and __type/exceptionMessage/message', async () => {
    // GIVEN no stage
    // WHEN a missing stage is read without the SDK
    const res = await rawRequest(t.emu, 'POST', '/GetStage', JSON.stringify({ arn: missingArn('stage') }));
    // THEN status, headers and body follow restJson1
    expect(res.status).toBe(404);
    expect(res.headers['x-amzn-errortype']).toBe('ResourceNotFoundException');
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toEqual({
      __type: 'ResourceNotFoundException',
      exceptionMessage: `Resource not found: ${missingArn('stage')}`,
      message: `Resource not found: ${missingArn('stage')}`,
    });
  });

  test('ServiceQuotaExceededException is HTTP 402', async () => {
    // GIVEN a failNth fault that answers the quota error
    t.emu.injectFault({ kind: 'failNth', operation: 'CreateStage', n: 1, errorType: 'ServiceQuotaExceededException' });
    // WHEN a stage is created
    const error = await expectServiceError(t.client.send(new CreateStageCommand({})), 'ServiceQuotaExceededException', 402);
    // THEN the default service message is used and the SDK did not retry
    expect(error.exceptionMessage).toBe('Request would cause a service quota to be exceeded.');
    expect(error.$metadata.attempts).toBe(1);
  });

  test('an unknown route answers 404 UnknownOperationException', async () => {
    // GIVEN an operation the service does not have
    // WHEN it is called
    const res = await rawRequest(t.emu, 'POST', '/CreateChannel', '{}');
    // THEN 404 with an error type
    expect(res.status).toBe(404);
    expect(res.headers['x-amzn-errortype']).toBe('UnknownOperationException');
  });

  test('a known operation with the wrong method is an unknown route', async () => {
    // GIVEN GET on a POST-only operation
    // WHEN it is called
    const res = await rawRequest(t.emu, 'GET', '/GetStage');
    // THEN 404
    expect(res.status).toBe(404);
  });

  test('a body that is not JSON answers 400 SerializationException', async () => {
    // GIVEN a truncated JSON body
    // WHEN it is posted
    const res = await rawRequest(t.emu, 'POST', '/CreateStage', '{"name":');
    // THEN 400 SerializationException
    expect(res.status).toBe(400);
    expect(res.headers['x-amzn-errortype']).toBe('SerializationException');
  });
});
