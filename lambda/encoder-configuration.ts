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
import { changedBesidesTags, nameToCreate, rollsBackFailedReplacement } from './lifecycle';
import { adoptOwned, createOwned, deleteOwned, difference, nameOf, OwnedResourceType, removeRolledBackReplacements, Request } from './ownership';
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
  const props = event.ResourceProperties;
  if (props.AdoptArn !== undefined) {
    // Nothing but its tags can change: the name and video settings must be those asked for already.
    const video = decodeVideo(props);
    const adopted = await adoptOwned(event, ENCODER_CONFIGURATIONS, props.AdoptArn, {
      differences: (live) => [
        ...(props.Name === undefined ? [] : difference('name', live.name, props.Name)),
        ...(['width', 'height', 'framerate', 'bitrate'] as const).flatMap((setting) => difference(`video ${setting}`, live.video?.[setting], video[setting])),
      ],
      tags: props.Tags,
    });
    return respond(adopted.arn, adopted.name ?? '', props);
  }
  return create(event, props);
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
  return respond(arn, await nameOf(ENCODER_CONFIGURATIONS, arn, props.Name), props);
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
  const name = nameToCreate(props);
  const { arn } = await createOwned(request, ENCODER_CONFIGURATIONS, name,
    async (creatorTags) => (await ivsCreate.send(new CreateEncoderConfigurationCommand({
      name,
      video,
      tags: { ...props.Tags, ...creatorTags },
    }))).encoderConfiguration);
  return respond(arn, name, props);
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
  return (props.Name === undefined || encoderConfiguration.name === props.Name)
    && actual?.width === video.width
    && actual.height === video.height
    && actual.framerate === video.framerate
    && actual.bitrate === video.bitrate;
}

/**
 * The attributes. Name and video settings cannot change without a new ARN, and the construct writes
 * every video setting out, so the properties that created the encoder configuration still describe
 * it and no read is needed, but for the name an adopted one kept.
 */
function respond(arn: string, name: string, props: EncoderConfigurationResourceProperties): EncoderConfigurationResponse {
  return {
    PhysicalResourceId: arn,
    Data: {
      Arn: arn,
      EncoderConfigurationId: arn.slice(arn.lastIndexOf('/') + 1),
      Name: name,
      Width: props.Video.Width,
      Height: props.Video.Height,
      Framerate: props.Video.Framerate,
      Bitrate: props.Video.Bitrate,
    },
  };
}
