import { isDeepStrictEqual } from 'node:util';
import {
  CreateIngestConfigurationCommand,
  DeleteIngestConfigurationCommand,
  GetIngestConfigurationCommand,
  IngestConfiguration,
  IngestProtocol,
  UpdateIngestConfigurationCommand,
  paginateListIngestConfigurations,
} from '@aws-sdk/client-ivs-realtime';
import type {
  CloudFormationCustomResourceCreateEvent,
  CloudFormationCustomResourceDeleteEvent,
  CloudFormationCustomResourceUpdateEvent,
} from 'aws-lambda';
import { decodeBoolean } from './decode';
import { ivs, ivsCreate } from './ivs-client';
import { nameToCreate, rollsBackFailedReplacement } from './lifecycle';
import { adoptOwned, createOwned, deleteOwned, difference, OwnedResourceType, removeRolledBackReplacements, Request } from './ownership';
import { writeOwnedSecret } from './secrets-client';
import { updateTags } from './tags';
import type {
  IngestConfigurationResourceProperties,
  IngestConfigurationResponseData,
  StreamKeySecretValue,
} from '../src/custom-resources/ingest-configuration-contract';

type Properties = IngestConfigurationResourceProperties;

export interface IngestConfigurationResponse {
  readonly PhysicalResourceId: string;
  readonly Data: IngestConfigurationResponseData;
}


/** Its List summaries have no tags: finding one by its creator tag reads the tags of those with its name. */
const INGEST_CONFIGURATIONS: OwnedResourceType<IngestConfiguration> = {
  resource: 'ingest-configuration',
  get: async (arn) => (await ivs.send(new GetIngestConfigurationCommand({ arn }))).ingestConfiguration,
  list: async function* () {
    for await (const page of paginateListIngestConfigurations({ client: ivs, pageSize: 100 }, {})) {
      yield page.ingestConfigurations ?? [];
    }
  },
  // Disconnects a publisher that is streaming: the configuration is leaving the stack, or has been
  // replaced by one with a new stream key.
  remove: (arn) => ivs.send(new DeleteIngestConfigurationCommand({ arn, force: true })),
};

/**
 * Creates the ingest configuration, attached and tagged in one call, and writes its credentials
 * into the secret. The stream key goes nowhere else: not into Data, not into a log line.
 */
export async function onCreate(event: CloudFormationCustomResourceCreateEvent<Properties>): Promise<IngestConfigurationResponse> {
  const props = event.ResourceProperties;
  if (props.AdoptArn !== undefined) {
    return respond(await adoptOwned(event, INGEST_CONFIGURATIONS, props.AdoptArn, {
      // Insecure ingest is not in the API's answers; the construct gives it with RTMP and only then,
      // so the protocol's comparison covers it.
      differences: (live) => [
        ...(props.Name === undefined ? [] : difference('name', live.name, props.Name)),
        ...difference('ingestProtocol', live.ingestProtocol, props.IngestProtocol),
        ...difference('userId', live.userId ?? '', props.UserId ?? ''),
        ...difference('attributes', live.attributes ?? {}, props.Attributes ?? {}),
      ],
      converge: (live) => bringTo(live, props.StageArn, decodeBoolean('RedundantIngest', props.RedundantIngest)),
      restore: (found, now) => bringTo(now, found.stageArn, found.redundantIngest ?? false),
      tags: props.Tags,
      // The stream key goes into the secret, as a created one's does, and nowhere else.
      store: (adopted) => writeOwnedSecret(props.StreamKeySecretArn, adopted.arn, event.RequestId, toSecretValue(adopted)),
    }));
  }
  return createAndStore(event, props);
}

/**
 * The stage and redundant ingest change in place with UpdateIngestConfiguration, tags by
 * difference. Anything else replaces the ingest configuration: the new one, with a new stream key
 * written into the same secret, gets a new physical ID, and CloudFormation deletes the old one.
 * The rollback of a replacing update that failed changes it in place: it still is what it was.
 */
export async function onUpdate(event: CloudFormationCustomResourceUpdateEvent<Properties>): Promise<IngestConfigurationResponse> {
  const arn = event.PhysicalResourceId;
  const props = event.ResourceProperties;
  const old = event.OldResourceProperties;
  let rolledBackReplacements: string[] = [];
  if (requiresReplacement(props, old)) {
    if (!await rollsBackFailedReplacement(
      async () => (await ivs.send(new GetIngestConfigurationCommand({ arn }))).ingestConfiguration,
      hasProperties, props, old,
    )) {
      return createAndStore(event, props);
    }
    rolledBackReplacements = await removeRolledBackReplacements(event, INGEST_CONFIGURATIONS, old.Name, arn);
  }

  const stageChanged = (props.StageArn ?? '') !== (old.StageArn ?? '');
  const redundantIngest = decodeBoolean('RedundantIngest', props.RedundantIngest);
  const redundantChanged = redundantIngest !== decodeBoolean('RedundantIngest', old.RedundantIngest);
  let ingest: IngestConfiguration | undefined;
  if (stageChanged || redundantChanged) {
    // Only what changed is sent. An empty stage ARN detaches the ingest configuration from its stage.
    ({ ingestConfiguration: ingest } = await ivs.send(new UpdateIngestConfigurationCommand({
      arn,
      ...(stageChanged ? { stageArn: props.StageArn ?? '' } : {}),
      ...(redundantChanged ? { redundantIngest } : {}),
    })));
  }
  await updateTags(arn, old.Tags, props.Tags);
  // CloudFormation takes the attributes of every response as the new ones, so an update that
  // changed nothing through UpdateIngestConfiguration still reads them back.
  ingest ??= (await ivs.send(new GetIngestConfigurationCommand({ arn }))).ingestConfiguration;
  const current = required(ingest);
  // Turning redundant ingest on or off changes the redundant credentials; a new secret needs them all;
  // and the update rolled back may have written its replacement's stream key before it was undone.
  if (redundantChanged || props.StreamKeySecretArn !== old.StreamKeySecretArn || rolledBackReplacements.length > 0) {
    await writeOwnedSecret(props.StreamKeySecretArn, current.arn, event.RequestId, toSecretValue(current));
  }
  return respond(current);
}

/**
 * Deletes the ingest configuration, disconnecting its publisher if one is streaming: the
 * configuration is leaving the stack, or has been replaced by one with a new stream key. One that
 * is already gone, or an ID that is not an ingest configuration ARN (CloudFormation invents one
 * when a create never answered), has nothing to delete. The secret is left as it is: a delete
 * cannot tell a replacement's cleanup from its rollback (see the README).
 */
export async function onDelete(event: CloudFormationCustomResourceDeleteEvent<Properties>): Promise<void> {
  await deleteOwned(event, INGEST_CONFIGURATIONS, event.ResourceProperties.Name);
}

/** Name, protocol, user ID, attributes and insecure ingest cannot change after CreateIngestConfiguration. */
function requiresReplacement(props: Properties, old: Properties): boolean {
  return props.Name !== old.Name
    || props.IngestProtocol !== old.IngestProtocol
    || (props.UserId ?? '') !== (old.UserId ?? '')
    || !isDeepStrictEqual(props.Attributes ?? {}, old.Attributes ?? {})
    || decodeBoolean('InsecureIngest', props.InsecureIngest) !== decodeBoolean('InsecureIngest', old.InsecureIngest);
}

/**
 * Whether the ingest configuration has the replacement-only properties of `props` that the API
 * shows: all but insecureIngest.
 */
function hasProperties(ingest: IngestConfiguration, props: Properties): boolean {
  return (props.Name === undefined || ingest.name === props.Name)
    && ingest.ingestProtocol === props.IngestProtocol
    && (ingest.userId ?? '') === (props.UserId ?? '')
    && isDeepStrictEqual(ingest.attributes ?? {}, props.Attributes ?? {});
}

async function createAndStore(request: Request, props: Properties): Promise<IngestConfigurationResponse> {
  const insecureIngest = decodeBoolean('InsecureIngest', props.InsecureIngest);
  const redundantIngest = decodeBoolean('RedundantIngest', props.RedundantIngest);
  const name = nameToCreate(props);
  const created = await createOwned(request, INGEST_CONFIGURATIONS, name,
    async (creatorTags) => (await ivsCreate.send(new CreateIngestConfigurationCommand({
      name,
      ingestProtocol: props.IngestProtocol as IngestProtocol,
      stageArn: props.StageArn,
      userId: props.UserId,
      attributes: props.Attributes,
      insecureIngest,
      redundantIngest,
      tags: { ...props.Tags, ...creatorTags },
    }))).ingestConfiguration,
    (made) => writeOwnedSecret(props.StreamKeySecretArn, made.arn, request.RequestId, toSecretValue(made)));
  return respond(created);
}

/**
 * Attaches an ingest configuration to `stageArn` (detaches it if undefined) and sets its redundant
 * ingest, with one UpdateIngestConfiguration of what differs, or none; returns it as it is then.
 */
async function bringTo(
  ingest: IngestConfiguration & { readonly arn: string },
  stageArn: string | undefined,
  redundantIngest: boolean,
): Promise<IngestConfiguration | undefined> {
  const stageChanged = (ingest.stageArn ?? '') !== (stageArn ?? '');
  const redundantChanged = (ingest.redundantIngest ?? false) !== redundantIngest;
  if (!stageChanged && !redundantChanged) {
    return ingest;
  }
  return (await ivs.send(new UpdateIngestConfigurationCommand({
    arn: ingest.arn,
    ...(stageChanged ? { stageArn: stageArn ?? '' } : {}),
    ...(redundantChanged ? { redundantIngest } : {}),
  }))).ingestConfiguration;
}

function required(ingest: IngestConfiguration | undefined): IngestConfiguration & { arn: string } {
  if (!ingest?.arn) {
    throw new Error('the IVS response has no ingest configuration');
  }
  return ingest as IngestConfiguration & { arn: string };
}

function toSecretValue(ingest: IngestConfiguration & { arn: string }): StreamKeySecretValue {
  return {
    ingestConfigurationArn: ingest.arn,
    participantId: ingest.participantId ?? '',
    streamKey: ingest.streamKey ?? '',
    redundantIngestCredentials: (ingest.redundantIngestCredentials ?? []).map((credential) => ({
      participantId: credential.participantId ?? '',
      streamKey: credential.streamKey ?? '',
    })),
  };
}

function respond(ingest: IngestConfiguration & { arn: string }): IngestConfigurationResponse {
  return {
    PhysicalResourceId: ingest.arn,
    Data: {
      Arn: ingest.arn,
      IngestConfigurationId: ingest.arn.slice(ingest.arn.lastIndexOf('/') + 1),
      Name: ingest.name ?? '',
      ParticipantId: ingest.participantId ?? '',
      State: ingest.state ?? '',
    },
  };
}
