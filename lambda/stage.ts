import { isDeepStrictEqual } from 'node:util';
import {
  AutoParticipantRecordingConfiguration,
  CreateStageCommand,
  DeleteStageCommand,
  GetStageCommand,
  Stage,
  UpdateStageCommand,
  paginateListStages,
} from '@aws-sdk/client-ivs-realtime';
import type {
  CloudFormationCustomResourceCreateEvent,
  CloudFormationCustomResourceDeleteEvent,
  CloudFormationCustomResourceUpdateEvent,
} from 'aws-lambda';
import { decodeBoolean, decodeInteger } from './decode';
import { ivs, ivsCreate } from './ivs-client';
import { nameToCreate } from './lifecycle';
import { adoptOwned, createOwned, deleteOwned, OwnedResourceType } from './ownership';
import { updateTags } from './tags';
import type { StageRecordingProperties, StageResourceProperties, StageResponseData } from '../src/custom-resources/stage-contract';

export interface StageResponse {
  readonly PhysicalResourceId: string;
  readonly Data: StageResponseData;
}

/** What `UpdateStage` takes to stop recording: an empty ARN resets the rest to the defaults. */
const RECORDING_OFF: AutoParticipantRecordingConfiguration = { storageConfigurationArn: '' };

const STAGES: OwnedResourceType<Stage> = {
  resource: 'stage',
  get: async (arn) => (await ivs.send(new GetStageCommand({ arn }))).stage,
  list: async function* () {
    for await (const page of paginateListStages({ client: ivs, pageSize: 100 }, {})) {
      yield page.stages ?? [];
    }
  },
  remove: (arn) => ivs.send(new DeleteStageCommand({ arn })),
};

/**
 * Creates the stage, its recording configuration and its tags in one call; or adopts an existing
 * stage, every property of which can be changed in place.
 */
export async function onCreate(event: CloudFormationCustomResourceCreateEvent<StageResourceProperties>): Promise<StageResponse> {
  const props = event.ResourceProperties;
  const autoParticipantRecordingConfiguration = toRecordingConfiguration(props.AutoParticipantRecordingConfiguration);
  if (props.AdoptArn !== undefined) {
    return respond(await adoptOwned(event, STAGES, props.AdoptArn, {
      differences: () => [],
      converge: (live) => bringTo(live, props.Name, autoParticipantRecordingConfiguration),
      restore: (found, now) => bringTo(now, found.name, found.autoParticipantRecordingConfiguration),
      tags: props.Tags,
    }));
  }
  const name = nameToCreate(props);
  const stage = await createOwned(event, STAGES, name, async (creatorTags) => (await ivsCreate.send(new CreateStageCommand({
    name,
    autoParticipantRecordingConfiguration,
    tags: { ...props.Tags, ...creatorTags },
  }))).stage);
  return respond(stage);
}

/**
 * Changes the stage in place: every stage property can be updated, so the physical ID never
 * changes. Name and recording go through UpdateStage, tags by difference.
 */
export async function onUpdate(event: CloudFormationCustomResourceUpdateEvent<StageResourceProperties>): Promise<StageResponse> {
  const arn = event.PhysicalResourceId;
  const props = event.ResourceProperties;
  const old = event.OldResourceProperties;

  const recordingChanged = !isDeepStrictEqual(props.AutoParticipantRecordingConfiguration, old.AutoParticipantRecordingConfiguration);
  let stage: Stage | undefined;
  if (props.Name !== old.Name || recordingChanged) {
    // The recording configuration is sent only when it changed: the service refuses to change it
    // while a recording is active, and a rename should not depend on that.
    ({ stage } = await ivs.send(new UpdateStageCommand({
      arn,
      name: props.Name,
      autoParticipantRecordingConfiguration: recordingChanged
        ? toRecordingConfiguration(props.AutoParticipantRecordingConfiguration) ?? RECORDING_OFF
        : undefined,
    })));
  }
  await updateTags(arn, old.Tags, props.Tags);
  // CloudFormation takes the attributes of every response as the new ones, so an update that
  // changed nothing through UpdateStage still has to return the endpoints.
  stage ??= (await ivs.send(new GetStageCommand({ arn }))).stage;
  return respond(stage);
}

/** Deletes the stage, idempotently. */
export async function onDelete(event: CloudFormationCustomResourceDeleteEvent<StageResourceProperties>): Promise<void> {
  await deleteOwned(event, STAGES, event.ResourceProperties.Name);
}

function toRecordingConfiguration(recording: StageRecordingProperties | undefined): AutoParticipantRecordingConfiguration | undefined {
  if (!recording) {
    return undefined;
  }
  const thumbnails = recording.ThumbnailConfiguration;
  return {
    storageConfigurationArn: recording.StorageConfigurationArn,
    mediaTypes: recording.MediaTypes as AutoParticipantRecordingConfiguration['mediaTypes'],
    thumbnailConfiguration: {
      recordingMode: thumbnails.RecordingMode as 'INTERVAL' | 'DISABLED',
      storage: thumbnails.Storage as ('SEQUENTIAL' | 'LATEST')[] | undefined,
      targetIntervalSeconds: thumbnails.TargetIntervalSeconds === undefined
        ? undefined
        : decodeInteger('ThumbnailConfiguration.TargetIntervalSeconds', thumbnails.TargetIntervalSeconds),
    },
    recordingReconnectWindowSeconds: decodeInteger('RecordingReconnectWindowSeconds', recording.RecordingReconnectWindowSeconds),
    hlsConfiguration: {
      targetSegmentDurationSeconds: decodeInteger('HlsTargetSegmentDurationSeconds', recording.HlsTargetSegmentDurationSeconds),
    },
    recordParticipantReplicas: decodeBoolean('RecordParticipantReplicas', recording.RecordParticipantReplicas),
  };
}

/**
 * Gives a stage `name` (unless undefined) and `recording` (none if undefined), with one UpdateStage
 * of what differs, or none; returns the stage as it is then.
 */
async function bringTo(
  stage: Stage & { readonly arn: string },
  name: string | undefined,
  recording: AutoParticipantRecordingConfiguration | undefined,
): Promise<Stage | undefined> {
  const rename = name !== undefined && name !== stage.name;
  // Sent only when it differs, as in an update: IVS refuses to change it while a recording is active.
  const recordingDiffers = !isDeepStrictEqual(comparable(stage.autoParticipantRecordingConfiguration), comparable(recording));
  if (!rename && !recordingDiffers) {
    return stage;
  }
  return (await ivs.send(new UpdateStageCommand({
    arn: stage.arn,
    name,
    autoParticipantRecordingConfiguration: recordingDiffers ? recording ?? RECORDING_OFF : undefined,
  }))).stage;
}

/**
 * A recording configuration as far as it says what is recorded: none at all when it names no
 * storage configuration, and without the members left undefined.
 */
function comparable(recording: AutoParticipantRecordingConfiguration | undefined): unknown {
  return recording?.storageConfigurationArn ? JSON.parse(JSON.stringify(recording)) : undefined;
}

function respond(stage: Stage | undefined): StageResponse {
  if (!stage?.arn) {
    throw new Error('the IVS response has no stage');
  }
  return {
    PhysicalResourceId: stage.arn,
    Data: {
      Arn: stage.arn,
      StageId: stage.arn.slice(stage.arn.lastIndexOf('/') + 1),
      Name: stage.name ?? '',
      WhipEndpoint: stage.endpoints?.whip ?? '',
      RtmpEndpoint: stage.endpoints?.rtmp ?? '',
      RtmpsEndpoint: stage.endpoints?.rtmps ?? '',
      EventsEndpoint: stage.endpoints?.events ?? '',
    },
  };
}
