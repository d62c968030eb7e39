import {
  CreateEncoderConfigurationCommand,
  DeleteEncoderConfigurationCommand,
  EncoderConfiguration,
  GetEncoderConfigurationCommand,
  Video,
  paginateListEncoderConfigurations,
} from '@aws-sdk/client-ivs-realtime';
import type {
  CloudFormationCustomResourceCreateEvent,
  CloudFormationCustomResourceDeleteEvent,
  CloudFormationCustomResourceUpdateEvent,
} from 'aws-lambda';
import { decodeDecimal, decodeInteger } from './decode';
import { ivs, ivsCreate } from './ivs-client';
import { changedBesidesTags, rollsBackFailedReplacement } from './lifecycle';
import { createOwned, deleteOwned, OwnedResourceType, removeRolledBackReplacements, Request } from './ownership';
import { updateTags } from './tags';
import type {
  EncoderConfigurationResourceProperties,
  EncoderConfigurationResponseData,
} from '../src/custom-resources/encoder-configuration-contract';

export interface EncoderConfigurationResponse {
  readonly PhysicalResourceId: string;
  readonly Data: EncoderConfigurationResponseData;
}

const ENCODER_CONFIGURATIONS: OwnedResourceType<EncoderConfiguration> = {
  resource: 'encoder-configuration',
  get: async (arn) => (await ivs.send(new GetEncoderConfigurationCommand({ arn }))).encoderConfiguration,
  list: async function* () {
    for await (const page of paginateListEncoderConfigurations({ client: ivs, pageSize: 100 }, {})) {
      yield page.encoderConfigurations ?? [];
    }
  },
  remove: (arn) => ivs.send(new DeleteEncoderConfigurationCommand({ arn })),
};

/** Creates the encoder configuration with its video settings and tags in one call. */
export async function onCreate(
  event: CloudFormationCustomResourceCreateEvent<EncoderConfigurationResourceProperties>,
): Promise<EncoderConfigurationResponse> {
  return create(event, event.ResourceProperties);
}

/**
 * IVS cannot change an encoder configuration: a new name or new video settings create a new one,
 * whose ARN becomes the physical ID, and CloudFormation deletes the old one afterwards. Tags alone
 * change in place, by difference, as does the rollback of a replacing update that failed.
 */
export async function onUpdate(
  event: CloudFormationCustomResourceUpdateEvent<EncoderConfigurationResourceProperties>,
): Promise<EncoderConfigurationResponse> {
  const arn = event.PhysicalResourceId;
  const props = event.ResourceProperties;
  const old = event.OldResourceProperties;
  if (changedBesidesTags(props, old)) {
    if (!await rollsBackFailedReplacement(
      async () => (await ivs.send(new GetEncoderConfigurationCommand({ arn }))).encoderConfiguration,
      hasProperties, props, old,
    )) {
      return create(event, props);
    }
    await removeRolledBackReplacements(event, ENCODER_CONFIGURATIONS, old.Name, arn);
  }
  await updateTags(arn, old.Tags, props.Tags);
  return respond(arn, props);
}

/**
 * Deletes the encoder configuration, idempotently. IVS refuses while a composition uses it; that
 * error fails the delete.
 */
export async function onDelete(
  event: CloudFormationCustomResourceDeleteEvent<EncoderConfigurationResourceProperties>,
): Promise<void> {
  await deleteOwned(event, ENCODER_CONFIGURATIONS, event.ResourceProperties.Name);
}

async function create(request: Request, props: EncoderConfigurationResourceProperties): Promise<EncoderConfigurationResponse> {
  const video = decodeVideo(props);
  const { arn } = await createOwned(request, ENCODER_CONFIGURATIONS, props.Name,
    async (creatorTags) => (await ivsCreate.send(new CreateEncoderConfigurationCommand({
      name: props.Name,
      video,
      tags: { ...props.Tags, ...creatorTags },
    }))).encoderConfiguration);
  return respond(arn, props);
}

/** CreateEncoderConfiguration `video`, decoded from the strings CloudFormation delivers. */
function decodeVideo(props: EncoderConfigurationResourceProperties): Required<Video> {
  const video = props.Video;
  return {
    width: decodeInteger('Video.Width', video.Width),
    height: decodeInteger('Video.Height', video.Height),
    framerate: decodeDecimal('Video.Framerate', video.Framerate),
    bitrate: decodeInteger('Video.Bitrate', video.Bitrate),
  };
}

/** Whether the encoder configuration has the name and video settings of `props`. */
function hasProperties(encoderConfiguration: EncoderConfiguration, props: EncoderConfigurationResourceProperties): boolean {
  const video = decodeVideo(props);
  const actual = encoderConfiguration.video;
  return encoderConfiguration.name === props.Name
    && actual?.width === video.width
    && actual.height === video.height
    && actual.framerate === video.framerate
    && actual.bitrate === video.bitrate;
}

/**
 * The attributes. Name and video settings cannot change without a new ARN, and the construct writes
 * every video setting out, so the properties that created the encoder configuration still describe
 * it and no read is needed.
 */
function respond(arn: string, props: EncoderConfigurationResourceProperties): EncoderConfigurationResponse {
  return {
    PhysicalResourceId: arn,
    Data: {
      Arn: arn,
      EncoderConfigurationId: arn.slice(arn.lastIndexOf('/') + 1),
      Name: props.Name,
      Width: props.Video.Width,
      Height: props.Video.Height,
      Framerate: props.Video.Framerate,
      Bitrate: props.Video.Bitrate,
    },
  };
}
