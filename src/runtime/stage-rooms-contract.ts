/*
 * The contract between the StageRooms construct and its two functions (lambda/runtime/room-join.ts
 * and lambda/runtime/room-janitor.ts): the environment the construct gives them at deploy time, the
 * rooms table's item, the tag that marks the stages they create, and the requests and responses.
 *
 * Shared with the function bundles: type declarations and constants only, no aws-cdk-lib. The join
 * function also reads the token issuer's environment (TOKEN_ISSUER_ENV: signing mode and key), as it
 * signs its tokens with the issuer's code.
 */
import type { TokenCapability, TokenResponse } from './token-issuer-contract';
import type { StageRecordingProperties } from '../custom-resources/stage-contract';

/**
 * The tag on every stage a StageRooms construct creates: `<rooms ID>/<room key>`. The janitor
 * deletes only stages whose tag starts with its own rooms ID, and its role may delete no other
 * (`aws:ResourceTag`); the join function's role may create a stage only with that tag
 * (`aws:RequestTag`).
 */
export const ROOMS_TAG_KEY = 'cdk-ivs-realtime:rooms';

/** The names of the functions' environment variables (besides the token issuer's for signing). */
export const ROOMS_ENV = {
  /** The rooms table's name. */
  TABLE_NAME: 'ROOMS_TABLE',
  /** The construct's rooms ID, the first part of the ROOMS_TAG_KEY value. */
  ROOMS_ID: 'ROOMS_ID',
  /** Prefix of the stage names: the name is the prefix and the room key. */
  STAGE_NAME_PREFIX: 'ROOMS_STAGE_NAME_PREFIX',
  /** JSON object of the user's tags for every stage. */
  STAGE_TAGS: 'ROOMS_STAGE_TAGS',
  /** JSON `StageRecordingProperties`, absent when participants are not recorded. */
  STAGE_RECORDING: 'ROOMS_STAGE_RECORDING',
  /** JSON `RoomCapabilityPolicyConfig`: what a browser's user may do. */
  CAPABILITY_POLICY: 'ROOMS_CAPABILITY_POLICY',
  /** Seconds a room may stay idle (no active session, no join) before the janitor deletes its stage. */
  IDLE_SECONDS: 'ROOMS_IDLE_SECONDS',
  /** Seconds after which an unfinished claim (a join that crashed while creating) is stale. */
  CLAIM_STALE_SECONDS: 'ROOMS_CLAIM_STALE_SECONDS',
} as const;

/** A room key: the app's own ID of a room, in the stage name's alphabet. */
export const ROOM_KEY_PATTERN = /^[a-zA-Z0-9_-]+$/;
export const ROOM_KEY_MAX_LENGTH = 100;
/** A stage name is at most 128 characters: the prefix takes what the room key leaves. */
export const STAGE_NAME_PREFIX_MAX_LENGTH = 128 - ROOM_KEY_MAX_LENGTH;

/** A room's state in the table. */
export type RoomState =
  /** A join claimed the room and is creating its stage. */
  | 'CREATING'
  /** The room has a stage; joins get tokens for it. */
  | 'ACTIVE'
  /** The janitor or a close is deleting the room's stage; a join waits, then makes a new one. */
  | 'CLOSING';

/** A room's item in the table (partition key `roomKey`, a string). */
export interface RoomItem {
  readonly roomKey: string;
  readonly state: RoomState;
  /** The claim of the join that creates (or created) the stage. */
  readonly claimId: string;
  /** When it was claimed, epoch milliseconds. */
  readonly claimedAt: number;
  /** The last join, epoch milliseconds. */
  readonly lastJoinAt: number;
  /** Once ACTIVE. */
  readonly stageArn?: string;
  readonly eventsEndpoint?: string;
  readonly whipEndpoint?: string;
  /** Set by the app (UpdateItem): the janitor never deletes this room's stage. */
  readonly keep?: boolean;
}

/** The partition key of the rooms table. */
export const ROOMS_TABLE_KEY = 'roomKey';

/**
 * What a browser's user may do in a room, chosen from the verified token's claims: `granted` when
 * the claim `claim` has (or lists) one of `values`, else `capabilities`.
 */
export interface RoomCapabilityPolicyConfig {
  readonly capabilities: TokenCapability[];
  readonly claim?: string;
  readonly values?: string[];
  readonly granted?: TokenCapability[];
}

/**
 * A join request from a backend (direct invocation or IAM function URL): the token issuer's request
 * with `roomKey` in place of `stageArn`. From a browser (the HTTP API), only `roomKey`, `attributes`
 * and `duration` count: the user ID is the token's subject, the capabilities follow the policy.
 */
export interface RoomJoinRequest {
  readonly roomKey: string;
  readonly userId?: string;
  readonly capabilities?: TokenCapability[];
  readonly attributes?: Record<string, string>;
  readonly duration?: number;
}

/** The answer: the token issuer's, plus the room and the stage's endpoints. */
export interface RoomJoinResponse extends TokenResponse {
  readonly roomKey: string;
  readonly eventsEndpoint: string;
  readonly whipEndpoint: string;
  /** Whether this join created the room's stage. */
  readonly created: boolean;
}

/** A request to the janitor to end a room now: its stage is deleted (which disconnects everyone), then its item. */
export interface RoomCloseRequest {
  readonly action: 'close';
  readonly roomKey: string;
}

/** What one janitor run did, by room key. */
export interface JanitorReport {
  /** Rooms whose idle stage was deleted. */
  readonly deleted: string[];
  /** Stages with the rooms tag but no item pointing at them (a crashed join's, or an unfinished close's). */
  readonly orphanStagesDeleted: string[];
  /** Items whose stage no longer exists, or whose stale claim made no stage. */
  readonly staleItemsDeleted: string[];
  /** Rooms kept: an active session, a recent join, or the keep marker. */
  readonly kept: string[];
}

export type { StageRecordingProperties };
