import { KeyObject } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';

/*
 * The rules AWS states for a participant token signed with your own key pair: IVS Real-Time User
 * Guide, "Distribute participant tokens", section "Creating tokens with a key pair"
 * (https://docs.aws.amazon.com/ivs/latest/RealTimeUserGuide/getting-started-distribute-tokens.html),
 * one check per rule, so that a token that breaks one says which.
 */

/** A P-384 public key ARN (`kid`): the public key IVS holds. */
const PUBLIC_KEY_ARN = /^arn:aws[a-z-]*:ivs:[a-z0-9-]+:\d{12}:public-key\/[A-Za-z0-9-]+$/;
const STAGE_ARN = /^arn:aws[a-z-]*:ivs:[a-z0-9-]+:\d{12}:stage\/([A-Za-z0-9]+)$/;
const FOURTEEN_DAYS_IN_SECONDS = 14 * 24 * 60 * 60;

export interface TokenRuleContext {
  /** The stage the token was asked for. */
  readonly stageArn: string;
  /** The stage's endpoints, as the token must carry them. */
  readonly events: string;
  readonly whip: string;
  /** The key IVS holds, which the token must verify against. */
  readonly publicKey: KeyObject;
}

/** Every rule of the guide's table that `token` breaks; empty when it follows all of them. */
export async function brokenTokenRules(token: string, context: TokenRuleContext): Promise<string[]> {
  const broken: string[] = [];
  const rule = (ok: boolean, what: string) => { if (!ok) broken.push(what); };
  const header = decodeProtectedHeader(token);
  rule(header.alg === 'ES384', 'header alg is ES384');
  rule(header.typ === 'JWT', 'header typ is JWT');
  rule(typeof header.kid === 'string' && PUBLIC_KEY_ARN.test(header.kid), 'header kid is the ARN of the IVS public key');
  const { payload } = await jwtVerify(token, context.publicKey, { algorithms: ['ES384'] });
  const claims = payload as Record<string, unknown>;
  rule(Number.isInteger(claims.iat), 'iat is an integer (seconds since the epoch)');
  rule(Number.isInteger(claims.exp), 'exp is an integer (seconds since the epoch)');
  rule((claims.exp as number) > (claims.iat as number), 'exp is after iat');
  rule((claims.exp as number) - (claims.iat as number) <= FOURTEEN_DAYS_IN_SECONDS, 'exp is at most 14 days after iat');
  rule(typeof claims.jti === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(claims.jti), 'jti is at most 64 characters of A-Z, a-z, 0-9, _ and -');
  rule(claims.user_id === undefined || (typeof claims.user_id === 'string' && [...claims.user_id].length <= 128), 'user_id is at most 128 characters');
  rule(claims.resource === context.stageArn, 'resource is the stage ARN');
  rule(claims.topic === STAGE_ARN.exec(context.stageArn)?.[1], 'topic is the stage ID');
  rule(claims.events_url === context.events, 'events_url is the stage\'s events endpoint');
  rule(claims.whip_url === context.whip, 'whip_url is the stage\'s WHIP endpoint');
  const capabilities = claims.capabilities as Record<string, unknown> | undefined;
  rule(typeof capabilities === 'object' && capabilities !== null
    && Object.keys(capabilities).every((key) => ['allow_publish', 'allow_subscribe'].includes(key))
    && Object.values(capabilities).every((value) => typeof value === 'boolean'), 'capabilities holds allow_publish and allow_subscribe booleans');
  const attributes = claims.attributes as Record<string, unknown> | undefined;
  rule(attributes === undefined || (typeof attributes === 'object' && Object.values(attributes).every((value) => typeof value === 'string')
    && Object.entries(attributes).reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value as string), 0) <= 1024),
  'attributes are string values of at most 1 KB');
  rule(claims.version === '1.0', 'version is "1.0"');
  return broken;
}
