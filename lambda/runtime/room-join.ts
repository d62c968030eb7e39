/*
 * The join function of StageRooms: rooms on demand. Given a room key (the app's own ID of a room)
 * and the token issuer's request fields, it answers with a participant token for the room's stage,
 * creating the stage when the room has none.
 *
 * Exactly one stage per room, whatever the concurrency: a join that finds no room claims it with a
 * conditional write (the first wins), creates the stage tagged with the room, then records the
 * stage on the claim; every other join waits for that stage. A join to a room that has a stage
 * makes one DynamoDB write (its last-join time) and signs the token as the token issuer does (its
 * code, in KMS or with the secret's key): no IVS call. A join that crashes between CreateStage and
 * the table write leaves a stage with the room's tag and a claim that goes stale: the janitor finds
 * both, and a later join takes the stale claim over.
 *
 * Backends invoke it directly or through its IAM-authorized function URL, with `userId` and
 * `capabilities` of their choosing. Browsers call it through an HTTP API whose JWT authorizer has
 * verified the app's identity token: then the user ID is the token's subject and the capabilities
 * follow the construct's policy, whatever the body says.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand, DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateStageCommand, IVSRealTimeClient } from '@aws-sdk/client-ivs-realtime';
import { Attributes, isConditionFailed, isThrottling, num, retryThrottled, sleep, str, toRoom } from './rooms-table';
import { FunctionUrlResult, IssuerConfig, issueToken, jsonBody, quote, readConfig, respond, TokenRequestError, validateRequest } from './token-issuer';
import {
  ROOM_KEY_MAX_LENGTH,
  ROOM_KEY_PATTERN,
  RoomCapabilityPolicyConfig,
  RoomItem,
  RoomJoinRequest,
  RoomJoinResponse,
  ROOMS_ENV,
  ROOMS_TAG_KEY,
  StageRecordingProperties,
} from '../../src/runtime/stage-rooms-contract';
import { TOKEN_ISSUER_ENV, TokenCapability } from '../../src/runtime/token-issuer-contract';

/** The function's configuration, read from its environment at each call. */
export interface RoomsConfig {
  readonly tableName: string;
  readonly roomsId: string;
  readonly stageNamePrefix: string;
  readonly stageTags: Record<string, string>;
  readonly recording?: StageRecordingProperties;
  readonly policy: RoomCapabilityPolicyConfig;
  readonly claimStaleMs: number;
  readonly env: Record<string, string | undefined>;
}

/** A room that cannot have a stage now: the region's stage quota, or a stage still being made past the deadline. */
export class RoomUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RoomUnavailableError';
  }
}

interface HttpEvent {
  readonly requestContext: {
    readonly http: { readonly method: string };
    readonly authorizer?: { readonly jwt?: { readonly claims?: Record<string, unknown> }; readonly iam?: object };
  };
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}

interface LambdaContext {
  getRemainingTimeInMillis?(): number;
}

// A caller waits on a join: quick DynamoDB attempts. IVS calls are retried here, not by the SDK:
// CreateStage is not idempotent (a retry after a lost answer makes a second stage), and hundreds
// of first joins at once would exhaust the SDK's retry quota long before IVS's 5 creates per second
// had made their stages.
const CLIENT_OPTIONS = { requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000, throwOnRequestTimeout: true } };
const dynamodb = new DynamoDBClient({ ...CLIENT_OPTIONS, maxAttempts: 3 });
const ivs = new IVSRealTimeClient({ ...CLIENT_OPTIONS, maxAttempts: 1 });

const JOIN_FIELDS = ['roomKey', 'userId', 'capabilities', 'attributes', 'duration'];
const BROWSER_FIELDS = ['roomKey', 'attributes', 'duration'];
/** What a browser may send but does not decide: ignored. */
const BROWSER_IGNORED = ['userId', 'capabilities'];
/** Without a Lambda context (a test, a local call), the time a join may take. */
const DEFAULT_BUDGET_MS = 55_000;
/** Kept back from the function's remaining time to answer in. */
const ANSWER_MARGIN_MS = 3_000;
/** The stand-in stage ARN under which the issuer's request checks run before the room has a stage. */
const NO_STAGE_YET = 'arn:aws:ivs:::stage/room';

/** Reads and checks the configuration; a misconfigured function fails loudly, at its first call. */
export function readRoomsConfig(env: Record<string, string | undefined>): RoomsConfig {
  const missing = [ROOMS_ENV.TABLE_NAME, ROOMS_ENV.ROOMS_ID].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(`the join function's environment lacks ${missing.join(', ')}`);
  }
  return {
    tableName: env[ROOMS_ENV.TABLE_NAME]!,
    roomsId: env[ROOMS_ENV.ROOMS_ID]!,
    stageNamePrefix: env[ROOMS_ENV.STAGE_NAME_PREFIX] ?? '',
    stageTags: JSON.parse(env[ROOMS_ENV.STAGE_TAGS] ?? '{}') as Record<string, string>,
    ...(env[ROOMS_ENV.STAGE_RECORDING] ? { recording: JSON.parse(env[ROOMS_ENV.STAGE_RECORDING]!) as StageRecordingProperties } : {}),
    policy: JSON.parse(env[ROOMS_ENV.CAPABILITY_POLICY] ?? '{"capabilities":["SUBSCRIBE"]}') as RoomCapabilityPolicyConfig,
    claimStaleMs: Number(env[ROOMS_ENV.CLAIM_STALE_SECONDS] ?? '120') * 1000,
    env,
  };
}

/**
 * The entry point. A direct invocation gets the `RoomJoinResponse`, or fails with the
 * `TokenRequestError` naming the field at fault or a `RoomUnavailableError`. An HTTP request (the
 * function URL, or the HTTP API) gets it as JSON with status 200, or `{"message": ...}` with 400 (a
 * bad request), 401 (no verified identity), 503 (the room cannot have a stage now) or 500.
 */
export async function handler(event: unknown, context?: LambdaContext): Promise<RoomJoinResponse | FunctionUrlResult> {
  const config = readRoomsConfig(process.env);
  const deadline = Date.now() + (context?.getRemainingTimeInMillis?.() ?? DEFAULT_BUDGET_MS) - ANSWER_MARGIN_MS;
  if (!isHttpEvent(event)) {
    return join(config, event, deadline);
  }
  try {
    if (event.requestContext.http.method !== 'POST') {
      return respond(405, { message: 'use POST with a JSON body' });
    }
    const authorizer = event.requestContext.authorizer;
    const claims = authorizer?.jwt?.claims;
    if (!claims && !authorizer?.iam) {
      return respond(401, { message: 'the request carries no verified identity' });
    }
    let request = jsonBody(event);
    if (claims) {
      const subject = claims.sub;
      if (typeof subject !== 'string' || subject.length === 0) {
        return respond(401, { message: "the verified token has no subject ('sub')" });
      }
      request = browserRequest(config.policy, subject, claims, request);
    }
    return respond(200, await join(config, request, deadline));
  } catch (error) {
    if (error instanceof TokenRequestError) {
      return respond(400, { message: error.message });
    }
    if (error instanceof RoomUnavailableError) {
      return respond(503, { message: error.message });
    }
    console.error(JSON.stringify({ event: 'room-join-failed', error: (error as Error).name, message: (error as Error).message }));
    return respond(500, { message: 'the room could not be joined' });
  }
}

/**
 * A browser's request as the join takes it: the room, attributes and duration from the body; the
 * user ID from the verified token's subject; the capabilities from the policy. A `userId` or
 * `capabilities` in the body is ignored.
 */
export function browserRequest(policy: RoomCapabilityPolicyConfig, subject: string, claims: Record<string, unknown>, body: unknown): RoomJoinRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new TokenRequestError('the request must be a JSON object with roomKey and, optionally, attributes and duration');
  }
  const fields = body as Record<string, unknown>;
  const unknownFields = Object.keys(fields).filter((field) => !BROWSER_FIELDS.includes(field) && !BROWSER_IGNORED.includes(field));
  if (unknownFields.length > 0) {
    throw new TokenRequestError(`unknown field ${unknownFields.map((f) => JSON.stringify(f)).join(', ')}: the fields are ${BROWSER_FIELDS.join(', ')}`);
  }
  return {
    roomKey: fields.roomKey as string,
    userId: subject,
    capabilities: capabilitiesFor(policy, claims),
    ...(fields.attributes !== undefined ? { attributes: fields.attributes as Record<string, string> } : {}),
    ...(fields.duration !== undefined ? { duration: fields.duration as number } : {}),
  };
}

/**
 * The policy's capabilities for these claims. API Gateway hands a list claim (Cognito's
 * `cognito:groups`) to the function as one string, `[host admin]`, and `scope` is space-separated:
 * either counts as a list.
 */
export function capabilitiesFor(policy: RoomCapabilityPolicyConfig, claims: Record<string, unknown>): TokenCapability[] {
  if (policy.claim === undefined || !policy.granted) {
    return [...policy.capabilities];
  }
  const value = claims[policy.claim];
  const held = Array.isArray(value)
    ? value.map(String)
    : typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? String(value).replace(/^\[(.*)\]$/, '$1').split(/[\s,]+/).filter((v) => v.length > 0)
      : [];
  return held.some((v) => (policy.values ?? []).includes(v)) ? [...policy.granted] : [...policy.capabilities];
}

/** Checks the request, finds or makes the room's stage, and signs the token. */
export async function join(config: RoomsConfig, input: unknown, deadline = Date.now() + DEFAULT_BUDGET_MS): Promise<RoomJoinResponse> {
  const request = validateJoinRequest(config, input);
  const { room, created } = await roomStage(config, request.roomKey, deadline);
  const issuer: IssuerConfig = readConfig({
    ...config.env,
    [TOKEN_ISSUER_ENV.STAGES]: JSON.stringify([{ arn: room.stageArn, events: room.eventsEndpoint, whip: room.whipEndpoint }]),
  });
  const { roomKey, ...fields } = request;
  const token = await issueToken(issuer, { ...fields, stageArn: room.stageArn! });
  console.log(JSON.stringify({ event: 'room-joined', roomKey, stageArn: room.stageArn, participantId: token.participantId, created }));
  return { ...token, roomKey, eventsEndpoint: room.eventsEndpoint!, whipEndpoint: room.whipEndpoint!, created };
}

/** The request, checked field by field before anything is made: the room key here, the rest as the token issuer checks them. */
export function validateJoinRequest(config: RoomsConfig, input: unknown): RoomJoinRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TokenRequestError('the request must be a JSON object with roomKey and, optionally, userId, capabilities, attributes and duration');
  }
  const { roomKey, ...fields } = input as Record<string, unknown>;
  const unknownFields = Object.keys(fields).filter((field) => !JOIN_FIELDS.includes(field));
  if (unknownFields.length > 0) {
    throw new TokenRequestError(`unknown field ${unknownFields.map((f) => JSON.stringify(f)).join(', ')}: the fields are ${JOIN_FIELDS.join(', ')}`);
  }
  if (typeof roomKey !== 'string' || roomKey.length === 0 || roomKey.length > ROOM_KEY_MAX_LENGTH || !ROOM_KEY_PATTERN.test(roomKey)) {
    throw new TokenRequestError(`roomKey must be 1 to ${ROOM_KEY_MAX_LENGTH} letters, digits, hyphens and underscores, got ${quote(roomKey)}`);
  }
  // The issuer's own checks of userId, capabilities, attributes and duration, for a stage the room does not have yet.
  validateRequest(readConfig({ ...config.env, [TOKEN_ISSUER_ENV.STAGES]: JSON.stringify([{ arn: NO_STAGE_YET, events: '-', whip: '-' }]) }),
    { ...fields, stageArn: NO_STAGE_YET });
  return { roomKey, ...fields } as RoomJoinRequest;
}

/** The room's stage: the one it has, or the one this join makes, or the one another join is making. */
async function roomStage(config: RoomsConfig, roomKey: string, deadline: number): Promise<{ room: RoomItem; created: boolean }> {
  // A wait is short when the stage is made at once (a few hundred milliseconds), and grows when IVS
  // is making stages at its rate limit, so that hundreds of waiting joins poll the table gently.
  let delay = 500;
  for (;;) {
    const claimId = randomUUID();
    const room = await touchOrClaim(config, roomKey, claimId);
    if (room?.state === 'ACTIVE') {
      return { room, created: false };
    }
    if (room?.claimId === claimId) {
      return { room: await createStage(config, roomKey, claimId, deadline), created: true };
    }
    // Another join is making the stage, or a close is deleting it: wait, and look again.
    for (;;) {
      const wait = delay * (0.5 + Math.random() / 2);
      if (Date.now() + wait > deadline) {
        throw new RoomUnavailableError(`room ${roomKey} is still getting its stage, or closing: try again in a few seconds`);
      }
      await sleep(wait);
      delay = Math.min(delay * 2, 8_000);
      const current = toRoom((await dynamodb.send(new GetItemCommand({
        TableName: config.tableName, Key: { roomKey: str(roomKey) }, ConsistentRead: true,
      }))).Item);
      if (!current) {
        break; // the claim was released, or the room closed: claim it
      }
      if (current.state === 'ACTIVE') {
        // Made just now by the join that claimed the room, which recorded the time of its join.
        return { room: current, created: false };
      }
      if (current.state === 'CREATING' && Date.now() - current.claimedAt > config.claimStaleMs) {
        const takeover = await claim(config, roomKey, current);
        if (takeover) {
          return { room: await createStage(config, roomKey, takeover, deadline), created: true };
        }
      }
    }
  }
}

/**
 * One conditional write does a join's first step: in a room with a stage it records the time of
 * the join (and returns the room); in a room that has no item it claims the room for `claimId`
 * (the first join wins); otherwise (another join's claim, a close) it changes nothing.
 */
async function touchOrClaim(config: RoomsConfig, roomKey: string, claimId: string): Promise<RoomItem | undefined> {
  try {
    const { Attributes: item } = await dynamodb.send(new UpdateItemCommand({
      TableName: config.tableName,
      Key: { roomKey: str(roomKey) },
      UpdateExpression: 'SET lastJoinAt = :now, #state = if_not_exists(#state, :creating), '
        + 'claimId = if_not_exists(claimId, :claim), claimedAt = if_not_exists(claimedAt, :now)',
      ConditionExpression: 'attribute_not_exists(roomKey) OR #state = :active',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':now': num(Date.now()), ':active': str('ACTIVE'), ':creating': str('CREATING'), ':claim': str(claimId) },
      ReturnValues: 'ALL_NEW',
    }));
    return toRoom(item);
  } catch (error) {
    if (isConditionFailed(error)) {
      return undefined;
    }
    throw error;
  }
}

/** Takes over a stale claim (its join crashed); the new claim's ID, or undefined when another join took it first. */
async function claim(config: RoomsConfig, roomKey: string, stale: RoomItem): Promise<string | undefined> {
  const claimId = randomUUID();
  const now = Date.now();
  const item: Attributes = {
    roomKey: str(roomKey), state: str('CREATING'), claimId: str(claimId), claimedAt: num(now), lastJoinAt: num(now),
  };
  try {
    await dynamodb.send(new PutItemCommand({
      TableName: config.tableName,
      Item: item,
      ConditionExpression: 'claimId = :stale',
      ExpressionAttributeValues: { ':stale': str(stale.claimId) },
    }));
  } catch (error) {
    if (isConditionFailed(error)) {
      return undefined;
    }
    throw error;
  }
  console.warn(JSON.stringify({ event: 'room-claim-taken-over', roomKey, staleClaimId: stale.claimId }));
  return claimId;
}

/**
 * Creates the room's stage for the claim and records it. If IVS makes no stage, the claim is
 * released, so that the room is left as it was (the next join tries again).
 */
async function createStage(config: RoomsConfig, roomKey: string, claimId: string, deadline: number): Promise<RoomItem> {
  let stage;
  try {
    ({ stage } = await retryThrottled(() => ivs.send(new CreateStageCommand({
      name: `${config.stageNamePrefix}${roomKey}`,
      tags: { ...config.stageTags, [ROOMS_TAG_KEY]: `${config.roomsId}/${roomKey}` },
      ...(config.recording ? { autoParticipantRecordingConfiguration: sdkRecording(config.recording) } : {}),
    })), deadline));
  } catch (error) {
    await release(config, roomKey, claimId);
    if ((error as Error).name === 'ServiceQuotaExceededException') {
      throw new RoomUnavailableError(`room ${roomKey} gets no stage: the region is at its IVS stage quota ('Stages', 1,000 per Region by default, `
        + 'adjustable in Service Quotas); close rooms or ask for a higher quota');
    }
    if (isThrottling(error)) {
      throw new RoomUnavailableError(`room ${roomKey} gets no stage yet: IVS is creating stages at its rate limit (5 per second); try again`);
    }
    throw error;
  }
  if (!stage?.arn || !stage.endpoints?.events || !stage.endpoints.whip) {
    throw new Error('the CreateStage response has no stage ARN or endpoints');
  }
  try {
    const { Attributes: item } = await dynamodb.send(new UpdateItemCommand({
      TableName: config.tableName,
      Key: { roomKey: str(roomKey) },
      UpdateExpression: 'SET #state = :active, stageArn = :arn, eventsEndpoint = :events, whipEndpoint = :whip, lastJoinAt = :now',
      ConditionExpression: 'claimId = :claim AND #state = :creating',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':active': str('ACTIVE'),
        ':creating': str('CREATING'),
        ':claim': str(claimId),
        ':arn': str(stage.arn),
        ':events': str(stage.endpoints.events),
        ':whip': str(stage.endpoints.whip),
        ':now': num(Date.now()),
      },
      ReturnValues: 'ALL_NEW',
    }));
    console.log(JSON.stringify({ event: 'room-stage-created', roomKey, stageArn: stage.arn }));
    return toRoom(item)!;
  } catch (error) {
    if (isConditionFailed(error)) {
      // A retry of a write whose answer was lost finds its own write done: the room is ACTIVE with this stage.
      const current = toRoom((await dynamodb.send(new GetItemCommand({
        TableName: config.tableName, Key: { roomKey: str(roomKey) }, ConsistentRead: true,
      }))).Item);
      if (current?.state === 'ACTIVE' && current.stageArn === stage.arn) {
        return current;
      }
      // Closed (or taken over) while the stage was being made: the stage is an orphan the janitor deletes.
      throw new RoomUnavailableError(`room ${roomKey} was closed while its stage ${stage.arn} was being created: try again`);
    }
    throw error;
  }
}

/** Gives up a claim that made no stage; another join may have taken it over, which is fine. */
async function release(config: RoomsConfig, roomKey: string, claimId: string): Promise<void> {
  try {
    await dynamodb.send(new DeleteItemCommand({
      TableName: config.tableName,
      Key: { roomKey: str(roomKey) },
      ConditionExpression: 'claimId = :claim AND #state = :creating',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':claim': str(claimId), ':creating': str('CREATING') },
    }));
  } catch (error) {
    if (!isConditionFailed(error)) {
      throw error;
    }
  }
}

/** The contract's recording settings (CloudFormation's strings) in the SDK's shape. */
function sdkRecording(recording: StageRecordingProperties) {
  const thumbnails = recording.ThumbnailConfiguration;
  return {
    storageConfigurationArn: recording.StorageConfigurationArn,
    mediaTypes: recording.MediaTypes as ('AUDIO_VIDEO' | 'AUDIO_ONLY' | 'NONE')[],
    thumbnailConfiguration: {
      recordingMode: thumbnails.RecordingMode as 'INTERVAL' | 'DISABLED',
      ...(thumbnails.Storage ? { storage: thumbnails.Storage as ('SEQUENTIAL' | 'LATEST')[] } : {}),
      ...(thumbnails.TargetIntervalSeconds !== undefined ? { targetIntervalSeconds: Number(thumbnails.TargetIntervalSeconds) } : {}),
    },
    recordingReconnectWindowSeconds: Number(recording.RecordingReconnectWindowSeconds),
    hlsConfiguration: { targetSegmentDurationSeconds: Number(recording.HlsTargetSegmentDurationSeconds) },
    recordParticipantReplicas: recording.RecordParticipantReplicas === 'true',
  };
}

function isHttpEvent(event: unknown): event is HttpEvent {
  return typeof event === 'object' && event !== null && typeof (event as HttpEvent).requestContext?.http?.method === 'string';
}
