import { generateKeyPairSync } from 'node:crypto';
import { request } from 'node:http';
import { IVSRealTimeClient } from '@aws-sdk/client-ivs-realtime';
import { emulatorClient, EmulatorOptions, IvsEmulator, startEmulator } from './index';

// The SDK warns once per process on Node < 22; keep test output quiet.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export interface EmulatorHarness {
  emu: IvsEmulator;
  client: IVSRealTimeClient;
}

/** Starts one emulator and SDK client per test file, resets the emulator before each test, stops both afterwards. */
export function useEmulator(options?: EmulatorOptions): EmulatorHarness {
  const harness = {} as EmulatorHarness;
  beforeAll(async () => {
    harness.emu = await startEmulator(options);
    harness.client = emulatorClient(harness.emu);
  });
  beforeEach(() => harness.emu.reset());
  afterAll(async () => {
    harness.client.destroy();
    await harness.emu.stop();
  });
  return harness;
}

export interface ServiceError extends Error {
  readonly exceptionMessage?: string;
  readonly $metadata: { readonly httpStatusCode?: number; readonly attempts?: number };
  readonly $response?: { readonly headers: Record<string, string> };
}

/** Awaits a rejected SDK call and checks the error's shape name and HTTP status. */
export async function expectServiceError(call: Promise<unknown>, name: string, status: number): Promise<ServiceError> {
  const error = await call.then(
    () => { throw new Error(`expected ${name}, but the call succeeded`); },
    (e: unknown) => e as ServiceError,
  );
  expect(error.name).toBe(name);
  expect(error.$metadata.httpStatusCode).toBe(status);
  return error;
}

/** Awaits a ValidationException and returns its exceptionMessage. */
export async function expectValidationError(call: Promise<unknown>): Promise<string> {
  const error = await expectServiceError(call, 'ValidationException', 400);
  return error.exceptionMessage ?? '';
}

export function publicKeyPem(curve: 'secp384r1' | 'prime256v1' = 'secp384r1'): string {
  return generateKeyPairSync('ec', { namedCurve: curve }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

export function ed25519PublicKeyPem(): string {
  return generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
}

/** A plain HTTP request (no SDK, no keep-alive) for routing and wire-format checks. */
export function rawRequest(emu: IvsEmulator, method: string, path: string, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${emu.endpoint}${path}`, { method, agent: false, headers: { 'Content-Type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) as unknown : undefined });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const BUCKET = 'recordings-bucket';
export const missingArn = (type: string, id = 'AbCdEfGh1234') => `arn:aws:ivs:${REGION}:${ACCOUNT}:${type}/${id}`;
