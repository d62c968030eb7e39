/*
 * The contract between the EncoderConfiguration construct and its handler: the properties of a
 * `Custom::IvsEncoderConfiguration` resource and the attributes its handler returns.
 *
 * Shared with the handler bundle: type declarations and constants only, no aws-cdk-lib.
 */
import type { EncodedInteger } from './encoding';

/** The CloudFormation resource type of an encoder configuration. */
export const ENCODER_CONFIGURATION_RESOURCE_TYPE = 'Custom::IvsEncoderConfiguration';

/**
 * A number that may have a fractional part, written in decimal without an exponent, e.g. `"30"` or
 * `"29.97"`.
 */
export type EncodedDecimal = string;

/**
 * The properties of a `Custom::IvsEncoderConfiguration`, as the handler receives them.
 *
 * IVS has no update operation for encoder configurations: a change to anything but `Tags` makes the
 * handler create a new one, and CloudFormation then deletes the old one.
 */
export interface EncoderConfigurationResourceProperties {
  readonly ServiceToken: string;
  /**
   * The encoder configuration name (CreateEncoderConfiguration `name`). Absent only with AdoptArn:
   * the adopted encoder configuration keeps its name.
   */
  readonly Name?: string;
  /** CreateEncoderConfiguration `video`. */
  readonly Video: EncoderConfigurationVideoProperties;
  /**
   * An existing encoder configuration to take over on Create instead of making one (an ARN of the
   * stack's account and region). An update leaves it out of the comparison: adoption happens only on
   * Create, and a later value is refused unless it names the encoder configuration already held.
   */
  readonly AdoptArn?: string;
  /** Tag key to value. Absent when the encoder configuration has no tags. */
  readonly Tags?: Record<string, string>;
}

/**
 * `video`. The construct writes every member out, defaults included, so that the handler never
 * depends on service-side defaults.
 */
export interface EncoderConfigurationVideoProperties {
  /** Even, 2 to 1920 pixels. */
  readonly Width: EncodedInteger;
  /** Even, 2 to 1920 pixels. */
  readonly Height: EncodedInteger;
  /** 1 to 60 frames per second; the API takes a float. */
  readonly Framerate: EncodedDecimal;
  /** 1 to 8,500,000 bits per second. */
  readonly Bitrate: EncodedInteger;
}

/** What the handler returns in `Data`, readable with `Fn::GetAtt`. */
export interface EncoderConfigurationResponseData {
  readonly Arn: string;
  readonly EncoderConfigurationId: string;
  readonly Name: string;
  readonly Width: EncodedInteger;
  readonly Height: EncodedInteger;
  readonly Framerate: EncodedDecimal;
  readonly Bitrate: EncodedInteger;
}

/**
 * The IAM actions of the encoder configuration handler's role, on `encoder-configuration/*` ARNs of
 * the stack's account and region.
 */
export const ENCODER_CONFIGURATION_HANDLER_ACTIONS = [
  'ivs:CreateEncoderConfiguration',
  'ivs:GetEncoderConfiguration',
  'ivs:DeleteEncoderConfiguration',
  'ivs:TagResource',
  'ivs:UntagResource',
];

/** The List action of the encoder configuration handler, which IAM does not scope to ARNs. */
export const ENCODER_CONFIGURATION_HANDLER_LIST_ACTION = 'ivs:ListEncoderConfigurations';
