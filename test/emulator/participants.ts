import { createPublicKey, generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';
import { stageSessionId } from './ids';
import type { Store } from './store';

/*
 * What a stage does with a participant token when a participant joins: IVS checks the token at
 * join only (reference: runtime-surfaces 2c). A self-signed token is checked against the public
 * key its `kid` names; a token from CreateParticipantToken against the service's own key, which
 * here is the emulator's.
 */

/** A participant that joined a stage. */
export interface JoinedParticipant {
  readonly participantId: string;
  readonly stageArn: string;
  readonly userId?: string;
  readonly capabilities: string[];
  readonly attributes: Record<string, string>;
  /** The public key that verified the token; undefined for a token from CreateParticipantToken. */
  readonly publicKeyArn?: string;
}

/** Why a stage refused a token. */
export type JoinRefusal = 'MALFORMED' | 'UNKNOWN_KEY' | 'BAD_SIGNATURE' | 'EXPIRED' | 'UNKNOWN_STAGE' | 'TOPIC_MISMATCH' | 'OTHER_STAGE';

/** A token that a stage refuses. The message never holds the token. */
export class JoinRefusedError extends Error {
  constructor(public readonly reason: JoinRefusal, message: string) {
    super(`${reason}: ${message}`);
    this.name = 'JoinRefusedError';
  }
}

/** The key CreateParticipantToken signs with: the service's, not any the account imported. */
const SERVICE_KEY = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });

/** A token as CreateParticipantToken makes one: an ES384 JWT signed with the service's key. */
export function serviceToken(claims: Record<string, unknown>): string {
  const signingInput = `${encode({ alg: 'ES384', typ: 'JWT' })}.${encode(claims)}`;
  const signature = sign('sha384', Buffer.from(signingInput), { key: SERVICE_KEY.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${signature.toString('base64url')}`;
}

/**
 * Checks `token` as a stage would when its participant joins, and records the participant: the
 * ES384 signature against the imported public key the header's `kid` names (or the service key
 * for a token without one), the expiry, and that `resource` is an existing stage whose ID is
 * `topic`, and, when the participant joins a given stage, that it is the token's. Verified with
 * node:crypto, independently of the JWT libraries the library's code uses.
 */
export function joinStage(store: Store, token: string, stageArn?: string, now = Date.now()): JoinedParticipant {
  const parts = token.split('.');
  const header = parts.length === 3 ? decode(parts[0]) : undefined;
  const claims = parts.length === 3 ? decode(parts[1]) : undefined;
  if (!header || !claims || header.alg !== 'ES384') {
    throw new JoinRefusedError('MALFORMED', 'the token is not an ES384 JWT');
  }

  let key: KeyObject = SERVICE_KEY.publicKey;
  let publicKeyArn: string | undefined;
  if (header.kid !== undefined) {
    const record = typeof header.kid === 'string' ? store.publicKeys.get(header.kid) : undefined;
    if (!record) {
      throw new JoinRefusedError('UNKNOWN_KEY', `no public key ${JSON.stringify(header.kid)} is imported`);
    }
    key = createPublicKey(record.publicKeyMaterial);
    publicKeyArn = record.arn;
  }
  const signed = verify('sha384', Buffer.from(`${parts[0]}.${parts[1]}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(parts[2], 'base64url'));
  if (!signed) {
    throw new JoinRefusedError('BAD_SIGNATURE', publicKeyArn ? `the signature does not verify with ${publicKeyArn}` : 'the signature does not verify');
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) {
    throw new JoinRefusedError('EXPIRED', `the token expired at ${typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : 'an unknown time'}`);
  }
  const stage = typeof claims.resource === 'string' ? store.stages.get(claims.resource) : undefined;
  if (!stage) {
    throw new JoinRefusedError('UNKNOWN_STAGE', `no stage ${JSON.stringify(claims.resource)} exists`);
  }
  if (claims.topic !== stage.id) {
    throw new JoinRefusedError('TOPIC_MISMATCH', `topic ${JSON.stringify(claims.topic)} is not the ID of stage ${stage.arn}`);
  }
  if (stageArn !== undefined && stageArn !== stage.arn) {
    throw new JoinRefusedError('OTHER_STAGE', `the token is for stage ${stage.arn}, not ${stageArn}`);
  }
  const allowed = (claims.capabilities ?? {}) as Record<string, unknown>;
  const participant: JoinedParticipant = {
    participantId: String(claims.jti),
    stageArn: stage.arn,
    ...(typeof claims.user_id === 'string' ? { userId: claims.user_id } : {}),
    capabilities: [...(allowed.allow_publish === true ? ['PUBLISH'] : []), ...(allowed.allow_subscribe === true ? ['SUBSCRIBE'] : [])],
    attributes: { ...(claims.attributes as Record<string, string> | undefined) },
    ...(publicKeyArn ? { publicKeyArn } : {}),
  };
  store.participants.push(participant);
  // The first participant starts a session, which lasts until everyone has left.
  stage.activeSessionId ??= stageSessionId();
  return participant;
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decode(part: string): Record<string, any> | undefined {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}
