import { createHash, randomBytes, randomUUID } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

/** Resource types that live under the `ivs` ARN namespace and are served by this emulator. */
export type ResourceType = 'stage' | 'storage-configuration' | 'encoder-configuration' | 'ingest-configuration' | 'public-key' | 'composition';

function randomFrom(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) {
    out += alphabet[byte % alphabet.length];
  }
  return out;
}

/** 12 alphanumerics, the ID format of stages, storage/encoder/ingest configurations and compositions. */
export function resourceId(): string {
  return randomFrom(ALPHANUMERIC, 12);
}

/** Public key IDs are UUIDs. */
export function publicKeyId(): string {
  return randomUUID();
}

export function participantId(): string {
  return randomFrom(ALPHANUMERIC, 12);
}

export function buildArn(region: string, accountId: string, type: ResourceType, id: string): string {
  return `arn:aws:ivs:${region}:${accountId}:${type}/${id}`;
}

/** Resource ID part of an ARN (everything after the first '/'). */
export function idFromArn(arn: string): string {
  return arn.slice(arn.indexOf('/') + 1);
}

/** `rt_<account>_<region>_<ingestConfigurationId>_<secret>` (reference §1.4 StreamKey). */
export function streamKey(accountId: string, region: string, ingestConfigurationId: string): string {
  return `rt_${accountId}_${region}_${ingestConfigurationId}_${randomFrom(ALPHANUMERIC, 32)}`;
}

/** Host-specific stage endpoints, shaped like the aws-cli examples. */
export function stageEndpoints(): { events: string; whip: string; rtmp: string; rtmps: string } {
  const whipHost = randomFrom(HEX, 12);
  const ingestHost = randomFrom(HEX, 12);
  return {
    events: 'wss://global.events.live-video.net',
    whip: `https://${whipHost}.global-bm.whip.live-video.net`,
    rtmp: `rtmp://${ingestHost}.global-contribute.live-video.net/app/`,
    rtmps: `rtmps://${ingestHost}.global-contribute.live-video.net:443/app/`,
  };
}

/** 16 colon-separated hex bytes (MD5 of the DER-encoded key; AWS does not document its algorithm). */
export function keyFingerprint(der: Buffer): string {
  return createHash('md5').update(der).digest('hex').match(/../g)!.join(':');
}

/** ISO-8601 timestamp without milliseconds, like the service returns. */
export function isoTimestamp(epochMs: number = Date.now()): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `st-` and 13 alphanumerics, the ID format of stage sessions (reference §14). */
export function stageSessionId(): string {
  return `st-${randomFrom(ALPHANUMERIC, 13)}`;
}
