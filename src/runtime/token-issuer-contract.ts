/*
 * The contract between the ParticipantTokenIssuer construct and its function (lambda/runtime/token-issuer.ts):
 * the environment the construct gives the function at deploy time, and the request and response
 * of one invocation.
 *
 * Shared with the function bundle: type declarations and constants only, no aws-cdk-lib.
 */

/** How the function makes tokens. */
export type TokenSigningMode =
  /** ES384 JWTs signed in AWS KMS (`kms:Sign`) with the key of a KMS-backed public key. */
  | 'KMS'
  /** ES384 JWTs signed with the private key in a generated public key's secret. */
  | 'SECRET'
  /** Tokens from the IVS CreateParticipantToken API. */
  | 'API';

/** The names of the function's environment variables. */
export const TOKEN_ISSUER_ENV = {
  /** A `TokenSigningMode`. */
  SIGNING: 'TOKEN_SIGNING',
  /** The IVS public key ARN, the `kid` of a KMS-signed token (mode KMS). */
  PUBLIC_KEY_ARN: 'PUBLIC_KEY_ARN',
  /** The KMS key that signs (mode KMS). */
  KMS_KEY_ARN: 'KMS_KEY_ARN',
  /** The secret holding a `PrivateKeySecretValue` (mode SECRET); the `kid` is its `publicKeyArn`. */
  PRIVATE_KEY_SECRET_ARN: 'PRIVATE_KEY_SECRET_ARN',
  /** JSON array of `IssuerStage`: the only stages the function makes tokens for. */
  STAGES: 'STAGES',
} as const;

/** A stage the function knows, as the construct wrote it at deploy time. */
export interface IssuerStage {
  /** The stage's ARN. */
  readonly arn: string;
  /** The stage's events endpoint, the token's `events_url` (absent in mode API, which needs none). */
  readonly events?: string;
  /** The stage's WHIP endpoint, the token's `whip_url` (absent in mode API). */
  readonly whip?: string;
}

/** What a participant may do with a token; the values of CreateParticipantToken's `capabilities`. */
export type TokenCapability = 'PUBLISH' | 'SUBSCRIBE';

export const TOKEN_CAPABILITIES: readonly TokenCapability[] = ['PUBLISH', 'SUBSCRIBE'];

/** The request: a JSON object, as the invocation payload or as the body of a function URL request. */
export interface TokenRequest {
  /** The stage to join: one of the stages the function was given. */
  readonly stageArn: string;
  /** Who the participant is, up to 128 characters; visible to every participant. */
  readonly userId?: string;
  /** Default both. */
  readonly capabilities?: TokenCapability[];
  /** String values, at most 1 KB together with their keys; visible to every participant. */
  readonly attributes?: Record<string, string>;
  /** How long the token is valid, in minutes: 1 to 20,160 (14 days). Default 720 (12 hours). */
  readonly duration?: number;
}

/** The response. */
export interface TokenResponse {
  /** The participant token: give it to the one participant it is for, and log it nowhere. */
  readonly token: string;
  readonly participantId: string;
  readonly stageArn: string;
  readonly userId?: string;
  readonly capabilities: TokenCapability[];
  readonly attributes?: Record<string, string>;
  /** Minutes. */
  readonly duration: number;
  /** ISO 8601. */
  readonly expirationTime: string;
}

/**
 * How many characters a string has, as IVS counts them for its length limits (a participant
 * token's `user_id`, a resource's name or user ID): Unicode code points, so that an emoji is one
 * character, not the two UTF-16 units of `string.length`. The one counting rule of the library:
 * the synth-time validation and the token issuer both count with it.
 */
export function characterCount(value: string): number {
  return [...value].length;
}

/** The limits a request is held to, those of CreateParticipantToken. */
export const TOKEN_LIMITS = {
  minDurationMinutes: 1,
  maxDurationMinutes: 20_160,
  defaultDurationMinutes: 720,
  /** Characters, counted by `characterCount`. */
  maxUserIdLength: 128,
  maxAttributesBytes: 1_024,
} as const;
