import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalServer } from './local-server';

/** An error that an AWS JSON 1.1 service answers: its `__type`, message and HTTP status. */
export class AwsJsonError extends Error {
  constructor(public readonly errorType: string, message: string, public readonly status = 400) {
    super(message);
  }
}

/** One request the server answered: the operation, its input, and the status and error type of the answer. */
export interface AwsJsonExchange {
  readonly operation: string;
  readonly input: Record<string, unknown>;
  readonly status: number;
  readonly errorType?: string;
}

/** How an `AwsJsonServer` answers. */
export interface AwsJsonService {
  /** The X-Amz-Target prefix of the service's operations, such as `TrentService.` for KMS. */
  readonly targetPrefix: string;
  /** Answers `operation` with `input`, or throws an `AwsJsonError`. */
  invoke(operation: string, input: Record<string, unknown>): object;
  /** What an error that is not an `AwsJsonError` is answered as. */
  unexpected(message: string): AwsJsonError;
  /** Called with every request after it is answered. */
  record(exchange: AwsJsonExchange): void;
}

/**
 * A minimal AWS JSON 1.1 endpoint on 127.0.0.1, for the service stubs of the lifecycle simulator:
 * it reads the operation from X-Amz-Target, hands the JSON body to the service, and answers its
 * result, or its error as the service's protocol does.
 */
export class AwsJsonServer extends LocalServer {
  public static async start(service: AwsJsonService): Promise<AwsJsonServer> {
    const server = new AwsJsonServer(service);
    await server.listen();
    return server;
  }

  private constructor(private readonly service: AwsJsonService) {
    super();
  }

  protected answer(req: IncomingMessage, text: string, res: ServerResponse): void {
    const operation = String(req.headers['x-amz-target'] ?? '').replace(this.service.targetPrefix, '');
    let input: Record<string, unknown> = {};
    let status = 200;
    let body: object;
    let errorType: string | undefined;
    try {
      input = JSON.parse(text || '{}') as Record<string, unknown>;
      body = this.service.invoke(operation, input);
    } catch (error) {
      const failure = error instanceof AwsJsonError
        ? error
        : this.service.unexpected(error instanceof Error ? error.message : String(error));
      status = failure.status;
      errorType = failure.errorType;
      body = { __type: failure.errorType, message: failure.message };
    }
    this.service.record({ operation, input, status, errorType });
    const payload = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/x-amz-json-1.1',
      'Content-Length': Buffer.byteLength(payload),
      'x-amzn-RequestId': randomUUID(),
      ...(errorType ? { 'x-amzn-ErrorType': errorType } : {}),
    });
    res.end(payload);
  }
}

/** The config of a real SDK client pointed at a stub the way a handler's is: static fake credentials, no retries. */
export function stubClientConfig(endpoint: string) {
  return {
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'AKIAEMULATOREXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  };
}
