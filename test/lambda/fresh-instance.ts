import { AwsJsonError, AwsJsonServer } from '../simulator/aws-json-server';

/*
 * What a fresh Lambda instance of a bundle sees: its SDK clients are created when their module
 * loads, from the environment. For tests of what those clients do (their retries, their timeouts)
 * against a local stand-in.
 */

/**
 * Sets what the SDK clients read when they are created: `variable` (an AWS_ENDPOINT_URL_<SERVICE>)
 * to the stand-in's endpoint, the region and static credentials.
 */
export function pointClientsAt(variable: string, endpoint: string, region = 'us-east-1'): void {
  process.env[variable] = endpoint;
  process.env.AWS_REGION = region;
  process.env.AWS_ACCESS_KEY_ID = 'AKIAEMULATOREXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'stand-in-secret-access-key';
}

/**
 * `lambda/<name>` loaded anew, as a fresh instance loads it: its clients are created now, from the
 * environment as it is, and what loading does is part of the test that calls this.
 */
export function loadFresh<T>(name: string): T {
  let loaded: T | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(`../../lambda/${name}`) as T;
  });
  return loaded!;
}

/** A local AWS JSON endpoint that answers the failures it is given first, in order. */
export interface FailingFirstEndpoint {
  /** What the next requests are answered with, one each, before `answer` takes over; emptied before each test. */
  failures: AwsJsonError[];
  /** The HTTP status of every answer in the current test, in order. */
  readonly statuses: number[];
}

/**
 * Starts a failing-first endpoint for the file's tests (and stops it after them) and points the
 * clients at it through `variable`.
 */
export function useFailingFirstEndpoint(service: {
  readonly targetPrefix: string;
  readonly variable: string;
  /** The answer once no failure is left. */
  answer(operation: string, input: Record<string, unknown>): object;
  /** What an error that is not an AwsJsonError is answered as. */
  unexpected(message: string): AwsJsonError;
}): FailingFirstEndpoint {
  const endpoint: FailingFirstEndpoint = { failures: [], statuses: [] };
  let server: AwsJsonServer;
  beforeAll(async () => {
    server = await AwsJsonServer.start({
      targetPrefix: service.targetPrefix,
      invoke: (operation, input) => {
        const failure = endpoint.failures.shift();
        if (failure) {
          throw failure;
        }
        return service.answer(operation, input);
      },
      unexpected: service.unexpected,
      record: ({ status }) => endpoint.statuses.push(status),
    });
    pointClientsAt(service.variable, server.endpoint);
  });
  beforeEach(() => {
    endpoint.failures = [];
    endpoint.statuses.length = 0;
  });
  afterAll(() => server.stop());
  return endpoint;
}
