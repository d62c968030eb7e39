/*
 * The participant token issuer: a run-time function the library ships, pre-bundled, which a
 * backend invokes (directly, or through its function URL) to get a participant token for one of
 * the stages it was given at deploy time. It makes no discovery call: the stages' ARNs and
 * endpoints, the public key and the signing key are all in its environment.
 *
 * Self-signed tokens are ES384 JWTs with the header and claims of AWS's table (IVS Real-Time User
 * Guide, "Distribute participant tokens"; see the README); a token is never logged and never part
 * of an error.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CreateParticipantTokenCommand, IVSRealTimeClient } from '@aws-sdk/client-ivs-realtime';
import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { derToJose } from 'ecdsa-sig-formatter';
import { importPKCS8, SignJWT } from 'jose';
import type { PrivateKeySecretValue } from '../../src/custom-resources/public-key-contract';
import {
  characterCount,
  IssuerStage,
  TOKEN_CAPABILITIES,
  TOKEN_ISSUER_ENV,
  TOKEN_LIMITS,
  TokenCapability,
  TokenRequest,
  TokenResponse,
  TokenSigningMode,
} from '../../src/runtime/token-issuer-contract';

/** A request the function refuses: its message names the field, and never holds a secret. */
export class TokenRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenRequestError';
  }
}

/** The function's configuration: its environment, read and checked once per container. */
export interface IssuerConfig {
  readonly signing: TokenSigningMode;
  readonly stages: ReadonlyMap<string, IssuerStage>;
  readonly publicKeyArn?: string;
  readonly kmsKeyArn?: string;
  readonly privateKeySecretArn?: string;
}

/** A function URL request (payload format 2.0), as far as the function reads it. */
interface FunctionUrlEvent {
  readonly requestContext: { readonly http: { readonly method: string } };
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}

/** What a function URL (or an HTTP API) answers: the status, JSON headers and the JSON body. */
export interface FunctionUrlResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

// Callers wait on a token: a few quick attempts, not the lifecycle handlers' patience.
// Without throwOnRequestTimeout the SDK only logs a call that outlasts requestTimeout.
const CLIENT_OPTIONS = { maxAttempts: 3, requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000, throwOnRequestTimeout: true } };
const kms = new KMSClient(CLIENT_OPTIONS);
const secrets = new SecretsManagerClient(CLIENT_OPTIONS);
const ivs = new IVSRealTimeClient(CLIENT_OPTIONS);

const PARTICIPANT_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const REQUEST_FIELDS = ['stageArn', 'userId', 'capabilities', 'attributes', 'duration'];

/** Reads the configuration from `env`; a misconfigured function fails loudly, at its first call. */
export function readConfig(env: Record<string, string | undefined>): IssuerConfig {
  const signing = env[TOKEN_ISSUER_ENV.SIGNING] as TokenSigningMode | undefined;
  if (signing !== 'KMS' && signing !== 'SECRET' && signing !== 'API') {
    throw new Error(`${TOKEN_ISSUER_ENV.SIGNING} must be KMS, SECRET or API, got ${JSON.stringify(signing)}`);
  }
  const stages = JSON.parse(env[TOKEN_ISSUER_ENV.STAGES] ?? '[]') as IssuerStage[];
  const config: IssuerConfig = {
    signing,
    stages: new Map(stages.map((stage) => [stage.arn, stage])),
    publicKeyArn: env[TOKEN_ISSUER_ENV.PUBLIC_KEY_ARN],
    kmsKeyArn: env[TOKEN_ISSUER_ENV.KMS_KEY_ARN],
    privateKeySecretArn: env[TOKEN_ISSUER_ENV.PRIVATE_KEY_SECRET_ARN],
  };
  const missing = [
    ...(signing === 'KMS' && !config.kmsKeyArn ? [TOKEN_ISSUER_ENV.KMS_KEY_ARN] : []),
    ...(signing === 'KMS' && !config.publicKeyArn ? [TOKEN_ISSUER_ENV.PUBLIC_KEY_ARN] : []),
    ...(signing === 'SECRET' && !config.privateKeySecretArn ? [TOKEN_ISSUER_ENV.PRIVATE_KEY_SECRET_ARN] : []),
    ...(signing !== 'API' && stages.some((stage) => !stage.events || !stage.whip) ? [`${TOKEN_ISSUER_ENV.STAGES} endpoints`] : []),
    ...(stages.length === 0 ? [TOKEN_ISSUER_ENV.STAGES] : []),
  ];
  if (missing.length > 0) {
    throw new Error(`the token issuer's environment lacks ${missing.join(', ')} for signing ${signing}`);
  }
  return config;
}

/**
 * The entry point. A direct invocation gets the `TokenResponse`, or fails with the
 * `TokenRequestError` naming what is wrong; a function URL request gets it as JSON with status 200,
 * or `{"message": ...}` with 400 (a bad request) or 500 (anything else, whose detail is logged).
 */
export async function handler(event: unknown): Promise<TokenResponse | FunctionUrlResult> {
  const config = readConfig(process.env);
  if (!isFunctionUrlEvent(event)) {
    return issueToken(config, event);
  }
  try {
    if (event.requestContext.http.method !== 'POST') {
      return respond(405, { message: 'use POST with a JSON body' });
    }
    return respond(200, await issueToken(config, jsonBody(event)));
  } catch (error) {
    if (error instanceof TokenRequestError) {
      return respond(400, { message: error.message });
    }
    console.error(JSON.stringify({ event: 'token-issue-failed', error: (error as Error).name, message: (error as Error).message }));
    return respond(500, { message: 'the token could not be issued' });
  }
}

/** Checks the request and makes the token. */
export async function issueToken(config: IssuerConfig, input: unknown): Promise<TokenResponse> {
  const request = validateRequest(config, input);
  const stage = config.stages.get(request.stageArn)!;
  const capabilities = request.capabilities ?? [...TOKEN_CAPABILITIES];
  const duration = request.duration ?? TOKEN_LIMITS.defaultDurationMinutes;
  let response: TokenResponse;
  if (config.signing === 'API') {
    const { participantToken } = await ivs.send(new CreateParticipantTokenCommand({
      stageArn: stage.arn,
      duration,
      capabilities,
      userId: request.userId,
      attributes: request.attributes,
    }));
    if (!participantToken?.token || !participantToken.participantId) {
      throw new Error('the CreateParticipantToken response has no token');
    }
    response = {
      token: participantToken.token,
      participantId: participantToken.participantId,
      stageArn: stage.arn,
      ...(request.userId !== undefined ? { userId: request.userId } : {}),
      capabilities,
      ...(request.attributes !== undefined ? { attributes: request.attributes } : {}),
      duration,
      expirationTime: participantToken.expirationTime?.toISOString() ?? new Date(Date.now() + duration * 60_000).toISOString(),
    };
  } else {
    const participantId = newParticipantId();
    const issuedAt = Math.floor(Date.now() / 1000);
    const expiresAt = issuedAt + duration * 60;
    const claims = {
      exp: expiresAt,
      iat: issuedAt,
      jti: participantId,
      resource: stage.arn,
      topic: stage.arn.slice(stage.arn.lastIndexOf('/') + 1),
      events_url: stage.events!,
      whip_url: stage.whip!,
      capabilities: { allow_publish: capabilities.includes('PUBLISH'), allow_subscribe: capabilities.includes('SUBSCRIBE') },
      ...(request.userId !== undefined ? { user_id: request.userId } : {}),
      ...(request.attributes !== undefined ? { attributes: request.attributes } : {}),
      version: '1.0',
    };
    const token = config.signing === 'KMS' ? await signWithKms(config, claims) : await signWithSecret(config, claims);
    response = {
      token,
      participantId,
      stageArn: stage.arn,
      ...(request.userId !== undefined ? { userId: request.userId } : {}),
      capabilities,
      ...(request.attributes !== undefined ? { attributes: request.attributes } : {}),
      duration,
      expirationTime: new Date(expiresAt * 1000).toISOString(),
    };
  }
  // What was issued, for whom: never the token.
  console.log(JSON.stringify({
    event: 'token-issued', signing: config.signing, stageArn: stage.arn, participantId: response.participantId, capabilities, duration,
  }));
  return response;
}

/** The request, checked field by field; the first problem found is the error. (The rooms join function checks its requests with it too.) */
export function validateRequest(config: IssuerConfig, input: unknown): TokenRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TokenRequestError('the request must be a JSON object with stageArn and, optionally, userId, capabilities, attributes and duration');
  }
  const request = input as Record<string, unknown>;
  const unknownFields = Object.keys(request).filter((field) => !REQUEST_FIELDS.includes(field));
  if (unknownFields.length > 0) {
    throw new TokenRequestError(`unknown field ${unknownFields.map((f) => JSON.stringify(f)).join(', ')}: the fields are ${REQUEST_FIELDS.join(', ')}`);
  }
  const { stageArn, userId, capabilities, attributes, duration } = request;
  if (typeof stageArn !== 'string' || !config.stages.has(stageArn)) {
    throw new TokenRequestError(`stageArn must be one of the ${config.stages.size} stages this issuer was given, got ${quote(stageArn)}`);
  }
  if (userId !== undefined) {
    if (typeof userId !== 'string') {
      throw new TokenRequestError(`userId must be a string, got ${typeof userId}`);
    }
    const characters = characterCount(userId);
    if (characters > TOKEN_LIMITS.maxUserIdLength) {
      throw new TokenRequestError(`userId must be at most ${TOKEN_LIMITS.maxUserIdLength} characters, got ${characters}`);
    }
  }
  if (capabilities !== undefined) {
    if (!Array.isArray(capabilities)) {
      throw new TokenRequestError(`capabilities must be a list of ${TOKEN_CAPABILITIES.join(', ')}, got ${typeof capabilities}`);
    }
    const unknown = capabilities.filter((c) => !TOKEN_CAPABILITIES.includes(c as TokenCapability));
    if (unknown.length > 0) {
      throw new TokenRequestError(`capabilities must be ${TOKEN_CAPABILITIES.join(' or ')}, got ${unknown.map(quote).join(', ')}`);
    }
    if (new Set(capabilities).size !== capabilities.length) {
      throw new TokenRequestError(`capabilities must not repeat a capability, got ${capabilities.map(quote).join(', ')}`);
    }
  }
  if (attributes !== undefined) {
    if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
      throw new TokenRequestError('attributes must be an object of string values');
    }
    const entries = Object.entries(attributes);
    const notString = entries.find(([, value]) => typeof value !== 'string');
    if (notString) {
      throw new TokenRequestError(`attributes must have string values, got ${typeof notString[1]} for ${quote(notString[0])}`);
    }
    const bytes = entries.reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value as string), 0);
    if (bytes > TOKEN_LIMITS.maxAttributesBytes) {
      throw new TokenRequestError(`attributes must be at most ${TOKEN_LIMITS.maxAttributesBytes} bytes of keys and values together, got ${bytes}`);
    }
  }
  if (duration !== undefined) {
    if (typeof duration !== 'number' || !Number.isInteger(duration)
      || duration < TOKEN_LIMITS.minDurationMinutes || duration > TOKEN_LIMITS.maxDurationMinutes) {
      throw new TokenRequestError(`duration must be a whole number of minutes from ${TOKEN_LIMITS.minDurationMinutes} to `
        + `${TOKEN_LIMITS.maxDurationMinutes} (14 days), got ${quote(duration)}`);
    }
  }
  return request as unknown as TokenRequest;
}

/**
 * Signs in KMS: KMS returns a DER ECDSA signature, and a JWT carries the JOSE form, r||s.
 *
 * KMS signs its SHA-384 digest, computed here (`MessageType: DIGEST`), not the signing input
 * itself: KMS takes at most 4,096 bytes of RAW message, and a request that validation accepts can
 * make a signing input of about 9 KB (1 KB of attributes that JSON escapes six-fold, a user ID of
 * 128 four-byte characters). ES384 is ECDSA over the SHA-384 digest either way.
 */
async function signWithKms(config: IssuerConfig, claims: object): Promise<string> {
  const header = { alg: 'ES384', typ: 'JWT', kid: config.publicKeyArn };
  const signingInput = `${base64url(header)}.${base64url(claims)}`;
  const { Signature } = await kms.send(new SignCommand({
    KeyId: config.kmsKeyArn,
    Message: createHash('sha384').update(signingInput).digest(),
    MessageType: 'DIGEST',
    SigningAlgorithm: 'ECDSA_SHA_384',
  }));
  if (!Signature) {
    throw new Error('the KMS Sign response has no signature');
  }
  return `${signingInput}.${derToJose(Buffer.from(Signature), 'ES384')}`;
}

/** Signs with the generated key's private key; the `kid` is the public key the secret says it belongs to. */
async function signWithSecret(config: IssuerConfig, claims: object): Promise<string> {
  const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: config.privateKeySecretArn }));
  let value: PrivateKeySecretValue;
  try {
    value = JSON.parse(SecretString ?? '') as PrivateKeySecretValue;
  } catch {
    // The parser's message could quote the value.
    throw new Error('the private key secret does not hold JSON');
  }
  if (!value.privateKeyPem || !value.publicKeyArn) {
    throw new Error('the private key secret holds no private key yet: is the public key deployed?');
  }
  const key = await importPKCS8(value.privateKeyPem, 'ES384');
  return new SignJWT(claims as Record<string, unknown>)
    .setProtectedHeader({ alg: 'ES384', typ: 'JWT', kid: value.publicKeyArn })
    .sign(key);
}

/** 12 letters and digits, as AWS's samples make participant IDs. */
function newParticipantId(): string {
  const bytes = randomBytes(12);
  return [...bytes].map((byte) => PARTICIPANT_ID_ALPHABET[byte % PARTICIPANT_ID_ALPHABET.length]).join('');
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A value as an error message shows it: JSON, cut at 80 characters. */
export function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function isFunctionUrlEvent(event: unknown): event is FunctionUrlEvent {
  return typeof event === 'object' && event !== null && typeof (event as FunctionUrlEvent).requestContext?.http?.method === 'string';
}

/** The JSON body of a function URL or HTTP API request, decoded from base64 where it came so. */
export function jsonBody(event: { readonly body?: string; readonly isBase64Encoded?: boolean }): unknown {
  const body = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body ?? '';
  try {
    return JSON.parse(body);
  } catch {
    throw new TokenRequestError('the request body must be a JSON object');
  }
}

/** A JSON answer over HTTP that no cache keeps. */
export function respond(statusCode: number, body: object): FunctionUrlResult {
  return { statusCode, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }, body: JSON.stringify(body) };
}
