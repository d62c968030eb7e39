/** Error shapes of the IVS Real-Time API (reference §1.3) plus the non-modelled ones the emulator can send. */
export const ERROR_TABLE: Readonly<Record<string, { readonly status: number; readonly message: string }>> = {
  ValidationException: { status: 400, message: 'The input fails to satisfy the constraints specified by an Amazon Web Services service.' },
  AccessDeniedException: { status: 403, message: 'User does not have sufficient access to perform this action.' },
  PendingVerification: { status: 403, message: 'Your account is pending verification.' },
  ResourceNotFoundException: { status: 404, message: 'Request references a resource which does not exist.' },
  ConflictException: { status: 409, message: 'Updating or deleting a resource can cause an inconsistent state.' },
  ServiceQuotaExceededException: { status: 402, message: 'Request would cause a service quota to be exceeded.' },
  InternalServerException: { status: 500, message: 'Unexpected error during processing of request.' },
  // Not modelled by the service, but sent by the AWS front end:
  ThrottlingException: { status: 429, message: 'Rate exceeded' },
  SerializationException: { status: 400, message: 'The request body could not be parsed.' },
  UnknownOperationException: { status: 404, message: 'The requested route does not exist.' },
};

/** Status used for an error type missing from the table (e.g. a custom `failNth` errorType). */
const FALLBACK_STATUS = 500;

export function statusForErrorType(errorType: string): number {
  return ERROR_TABLE[errorType]?.status ?? FALLBACK_STATUS;
}

/** An error answered to the client as a restJson1 error response. */
export class ApiError extends Error {
  public readonly errorType: string;
  public readonly status: number;

  constructor(errorType: string, message?: string, status?: number) {
    super(message ?? ERROR_TABLE[errorType]?.message ?? errorType);
    this.errorType = errorType;
    this.status = status ?? statusForErrorType(errorType);
  }
}

export function validationError(message: string): ApiError {
  return new ApiError('ValidationException', message);
}

export function notFoundError(arn: string): ApiError {
  return new ApiError('ResourceNotFoundException', `Resource not found: ${arn}`);
}

export function conflictError(message: string): ApiError {
  return new ApiError('ConflictException', message);
}

export function quotaError(message: string): ApiError {
  return new ApiError('ServiceQuotaExceededException', message);
}

/** The JSON body of an error response; `message` is sent too so the SDK's `err.message` is meaningful. */
export function errorBody(error: ApiError): { __type: string; exceptionMessage: string; message: string } {
  return { __type: error.errorType, exceptionMessage: error.message, message: error.message };
}
