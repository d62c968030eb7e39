/*
 * The contract between the IngestConfiguration construct and its handler: the properties of a
 * `Custom::IvsIngestConfiguration` resource, the attributes its handler returns, and the JSON the
 * handler writes into the stream key secret.
 *
 * Shared with the handler bundle: type declarations and constants only, no aws-cdk-lib.
 */
import type { EncodedBoolean } from './encoding';

/** The CloudFormation resource type of an ingest configuration. */
export const INGEST_CONFIGURATION_RESOURCE_TYPE = 'Custom::IvsIngestConfiguration';

/** The properties of a `Custom::IvsIngestConfiguration`, as the handler receives them. */
export interface IngestConfigurationResourceProperties {
  readonly ServiceToken: string;
  /**
   * The name (CreateIngestConfiguration `name`). A change replaces the ingest configuration. Absent
   * only with AdoptArn: the adopted ingest configuration keeps its name.
   */
  readonly Name?: string;
  /** RTMP or RTMPS. A change replaces the ingest configuration. */
  readonly IngestProtocol: string;
  /** The stage to publish into. Absent: not attached (UpdateIngestConfiguration takes `""` to detach). */
  readonly StageArn?: string;
  /** Absent: no user ID. A change replaces the ingest configuration. */
  readonly UserId?: string;
  /** Absent: no attributes. A change replaces the ingest configuration. */
  readonly Attributes?: Record<string, string>;
  /** Always written out; `"true"` with RTMP. A change replaces the ingest configuration. */
  readonly InsecureIngest: EncodedBoolean;
  /** Always written out. Changed in place. */
  readonly RedundantIngest: EncodedBoolean;
  /** The secret the handler writes the credentials into, as a `StreamKeySecretValue`. */
  readonly StreamKeySecretArn: string;
  /**
   * An existing ingest configuration to take over on Create instead of making one (an ARN of the
   * stack's account and region). An update leaves it out of the comparison: adoption happens only on
   * Create, and a later value is refused unless it names the ingest configuration already held.
   */
  readonly AdoptArn?: string;
  /** Tag key to value. Absent when the ingest configuration has no tags. */
  readonly Tags?: Record<string, string>;
}

/**
 * What the handler returns in `Data`, readable with `Fn::GetAtt`. No credential: the stream key
 * goes only into the secret, because the response (and with it `Data`) is logged.
 */
export interface IngestConfigurationResponseData {
  readonly Arn: string;
  readonly IngestConfigurationId: string;
  /** The live name: the one given, or an adopted resource's own. */
  readonly Name: string;
  readonly ParticipantId: string;
  /** ACTIVE or INACTIVE when the handler last ran. */
  readonly State: string;
}

/** The JSON value of the stream key secret. */
export interface StreamKeySecretValue {
  /** The ingest configuration these credentials belong to; it changes when the ingest configuration is replaced. */
  readonly ingestConfigurationArn: string;
  /** The participant ID of the main publisher. */
  readonly participantId: string;
  /** The stream key of the main publisher. */
  readonly streamKey: string;
  /** The credentials of the redundant publishers; empty unless redundant ingest is on. */
  readonly redundantIngestCredentials: RedundantIngestCredentialValue[];
}

/** One redundant publisher's credentials in the stream key secret. */
export interface RedundantIngestCredentialValue {
  readonly participantId: string;
  readonly streamKey: string;
}

/**
 * The IAM actions of the ingest configuration handler's role, on `ingest-configuration/*` ARNs of
 * the stack's account and region. CreateIngestConfiguration with tags also needs TagResource. Its
 * List summaries have no tags, so finding what a create made also reads tags (ListTagsForResource).
 */
export const INGEST_CONFIGURATION_HANDLER_ACTIONS = [
  'ivs:CreateIngestConfiguration',
  'ivs:GetIngestConfiguration',
  'ivs:UpdateIngestConfiguration',
  'ivs:DeleteIngestConfiguration',
  'ivs:TagResource',
  'ivs:UntagResource',
  'ivs:ListTagsForResource',
];

/** The List action of the ingest configuration handler, which IAM does not scope to ARNs. */
export const INGEST_CONFIGURATION_HANDLER_LIST_ACTION = 'ivs:ListIngestConfigurations';
