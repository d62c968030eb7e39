import {
  IResource,
  ITaggable,
  RemovalPolicy,
  Resource,
  TagManager,
  Token,
  Tokenization,
  PermissionsOptions,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import { aws_ivs as ivsRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import {
  ENCODER_CONFIGURATION_HANDLER_ACTIONS,
  ENCODER_CONFIGURATION_HANDLER_LIST_ACTION,
  ENCODER_CONFIGURATION_RESOURCE_TYPE,
  EncoderConfigurationResourceProperties,
  EncoderConfigurationResponseData,
  EncoderConfigurationVideoProperties,
} from '../custom-resources/encoder-configuration-contract';
import { IvsHandlerProvider } from '../custom-resources/ivs-handler-provider';
import { parseIvsArn } from '../private/ivs-arn';
import { IvsCustomResource, ivsAdoption, ivsTagManager, warnAboveQuota } from '../private/ivs-resource';
import { IvsValidationError } from '../private/validation';

/**
 * An IVS Real-Time encoder configuration: how a server-side composition renders its video.
 */
export interface IEncoderConfiguration extends IResource, ivsRefs.IEncoderConfigurationRef {
  /**
   * The encoder configuration's ARN.
   *
   * @attribute
   */
  readonly encoderConfigurationArn: string;

  /**
   * The encoder configuration's ID, the last part of its ARN.
   *
   * @attribute
   */
  readonly encoderConfigurationId: string;

  /**
   * The IAM grants on this encoder configuration.
   */
  readonly grants: EncoderConfigurationGrants;

  /**
   * Grants `actions` on this encoder configuration to `grantee`. Same as `grants.actions()`.
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;

  /**
   * Grants reading this encoder configuration: `ivs:GetEncoderConfiguration` and
   * `ivs:ListTagsForResource`.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;
}

/**
 * Video settings of an encoder configuration. Every setting left out takes the service's default.
 */
export interface EncoderVideoProps {
  /**
   * The width in pixels: even, from 2 to 1920. Width times height is at most 2,073,600
   * (1920x1080 or 1080x1920).
   *
   * @default 1280
   */
  readonly width?: number;

  /**
   * The height in pixels: even, from 2 to 1920. Width times height is at most 2,073,600
   * (1920x1080 or 1080x1920).
   *
   * @default 720
   */
  readonly height?: number;

  /**
   * The frame rate in frames per second, from 1 to 60; fractions such as 29.97 are allowed.
   *
   * @default 30
   */
  readonly framerate?: number;

  /**
   * The bitrate in bits per second: a whole number from 1 to 8,500,000.
   *
   * @default 2500000
   */
  readonly bitrate?: number;
}

/**
 * The video that an encoder configuration renders: a preset, or `EncoderVideo.custom()`.
 */
export class EncoderVideo {
  /** 1280x720 at 30 frames per second and 2.5 Mbps: the service's default. */
  public static readonly HD_720 = new EncoderVideo(1280, 720, 30, 2_500_000);

  /** 720x1280 (portrait) at 30 frames per second and 2.5 Mbps. */
  public static readonly HD_720_PORTRAIT = new EncoderVideo(720, 1280, 30, 2_500_000);

  /** 1920x1080 at 30 frames per second and 6 Mbps. */
  public static readonly FULL_HD_1080 = new EncoderVideo(1920, 1080, 30, 6_000_000);

  /** 1080x1920 (portrait) at 30 frames per second and 6 Mbps. */
  public static readonly FULL_HD_1080_PORTRAIT = new EncoderVideo(1080, 1920, 30, 6_000_000);

  /**
   * Video settings of your own; each one left out takes the service's default (1280x720, 30
   * frames per second, 2.5 Mbps). They are checked against the service's limits when the encoder
   * configuration is defined.
   */
  public static custom(props: EncoderVideoProps): EncoderVideo {
    const defaults = EncoderVideo.HD_720;
    return new EncoderVideo(
      props.width ?? defaults.width,
      props.height ?? defaults.height,
      props.framerate ?? defaults.framerate,
      props.bitrate ?? defaults.bitrate,
    );
  }

  /** The width in pixels. */
  public readonly width: number;

  /** The height in pixels. */
  public readonly height: number;

  /** The frame rate in frames per second. */
  public readonly framerate: number;

  /** The bitrate in bits per second. */
  public readonly bitrate: number;

  private constructor(width: number, height: number, framerate: number, bitrate: number) {
    this.width = width;
    this.height = height;
    this.framerate = framerate;
    this.bitrate = bitrate;
  }
}

/**
 * Properties of an `EncoderConfiguration`.
 */
export interface EncoderConfigurationProps {
  /**
   * The encoder configuration's name: up to 128 letters, digits, hyphens and underscores. Names
   * need not be unique. A new name replaces the encoder configuration.
   *
   * @default - a name generated from the construct path; with `adoptArn`, the adopted encoder configuration's own name
   */
  readonly encoderConfigurationName?: string;

  /**
   * The video that compositions using this encoder configuration render. New video settings
   * replace the encoder configuration.
   *
   * @default EncoderVideo.HD_720 (1280x720, 30 frames per second, 2.5 Mbps: the service's default)
   */
  readonly video?: EncoderVideo;

  /**
   * Tags for the encoder configuration: at most 49, together with those added by `Tags.of()` (IVS allows 50
   * per resource, and the library's creator tag takes one).
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * Take over this existing encoder configuration instead of creating one: an ARN of the form
   * `arn:<partition>:ivs:<region>:<account>:encoder-configuration/<id>`, in the stack's account and
   * region.
   *
   * On deploy, its tags are brought to these props; its name (when `encoderConfigurationName` is
   * given) and video settings cannot change, and must already be those given. Tags not given here
   * are removed, and the library's creator tag is added. An encoder configuration that another
   * construct or CloudFormation itself owns is refused.
   *
   * The removal policy defaults to `RemovalPolicy.RETAIN`. Removing this prop in a later deploy
   * changes nothing (keep the name the same); adding or changing it once the resource is deployed is
   * refused.
   *
   * @default - a new encoder configuration is created
   */
  readonly adoptArn?: string;

  /**
   * What happens to the encoder configuration when it leaves the stack or is replaced. It holds no
   * data, so it is deleted by default.
   *
   * @default - `RemovalPolicy.RETAIN` with `adoptArn`, otherwise `RemovalPolicy.DESTROY`
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The actions of `grantRead`. */
const ENCODER_CONFIGURATION_READ_ACTIONS = ['ivs:GetEncoderConfiguration', 'ivs:ListTagsForResource'];


/** 1920x1080: the largest frame an encoder configuration renders, in pixels. */
const MAX_AREA = 2_073_600;

/** The default quota of encoder configurations per account and region. */
const QUOTA = 20;

/**
 * The IAM grants on an encoder configuration: an `EncoderConfiguration`, an import, or an L1 `CfnEncoderConfiguration`.
 */
export class EncoderConfigurationGrants {
  /**
   * The grants on `encoderConfiguration`.
   */
  public static fromEncoderConfiguration(encoderConfiguration: ivsRefs.IEncoderConfigurationRef): EncoderConfigurationGrants {
    return new EncoderConfigurationGrants(encoderConfiguration);
  }

  /** The encoder configuration the grants are on. */
  protected readonly resource: ivsRefs.IEncoderConfigurationRef;

  private constructor(resource: ivsRefs.IEncoderConfigurationRef) {
    this.resource = resource;
  }

  /**
   * Grants `actions` on the encoder configuration (or on `options.resourceArns`) to `grantee`.
   */
  public actions(grantee: iam.IGrantable, actions: string[], options: PermissionsOptions = {}): iam.Grant {
    const resourceArns = options.resourceArns ?? [ivs.CfnEncoderConfiguration.arnForEncoderConfiguration(this.resource)];
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns });
  }

  /**
   * Grants reading the encoder configuration:
   *
   * - ivs:GetEncoderConfiguration
   * - ivs:ListTagsForResource
   */
  public read(grantee: iam.IGrantable): iam.Grant {
    return this.actions(grantee, ENCODER_CONFIGURATION_READ_ACTIONS);
  }
}

/**
 * What every encoder configuration, defined here or imported, can do.
 */
export abstract class EncoderConfigurationBase extends Resource implements IEncoderConfiguration {
  public abstract readonly encoderConfigurationArn: string;
  public abstract readonly encoderConfigurationId: string;

  public readonly grants: EncoderConfigurationGrants = EncoderConfigurationGrants.fromEncoderConfiguration(this);

  /**
   * A reference to this encoder configuration, as the L1 `CfnEncoderConfiguration` gives it.
   */
  public get encoderConfigurationRef(): ivsRefs.EncoderConfigurationReference {
    return { encoderConfigurationArn: this.encoderConfigurationArn };
  }

  public grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return this.grants.actions(grantee, actions);
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grants.read(grantee);
  }
}

/**
 * An IVS Real-Time encoder configuration: the resolution, frame rate and bitrate that a
 * server-side composition renders.
 *
 * IVS cannot change an encoder configuration: a new name or new video settings replace it (a new
 * ARN, and the old one is deleted); tags change in place.
 *
 * @resource Custom::IvsEncoderConfiguration
 *
 * @example
 * import { EncoderConfiguration, EncoderVideo } from 'cdk-ivs-realtime';
 *
 * new EncoderConfiguration(this, 'FullHd', { video: EncoderVideo.FULL_HD_1080 });
 *
 * new EncoderConfiguration(this, 'Custom', {
 *   video: EncoderVideo.custom({ width: 1280, height: 720, framerate: 60, bitrate: 4000000 }),
 * });
 */
export class EncoderConfiguration extends EncoderConfigurationBase implements ITaggable {
  /**
   * Imports an encoder configuration by its ARN.
   *
   * @param encoderConfigurationArn an ARN of the form
   *   `arn:<partition>:ivs:<region>:<account>:encoder-configuration/<id>`
   */
  public static fromEncoderConfigurationArn(scope: Construct, id: string, encoderConfigurationArn: string): IEncoderConfiguration {
    const parsed = parseIvsArn(scope, encoderConfigurationArn, 'encoder-configuration', 'encoderConfigurationArn');
    class Import extends EncoderConfigurationBase {
      public readonly encoderConfigurationArn = encoderConfigurationArn;
      public readonly encoderConfigurationId = parsed.resourceName!;
    }
    return new Import(scope, id, { environmentFromArn: encoderConfigurationArn });
  }

  public get encoderConfigurationArn(): string { return this.resource.getAttString('Arn'); }
  public get encoderConfigurationId(): string { return this.resource.getAttString('EncoderConfigurationId'); }

  /**
   * The encoder configuration's name.
   */
  public readonly encoderConfigurationName: string;

  /**
   * The video that the encoder configuration renders.
   */
  public readonly video: EncoderVideo;

  /**
   * The encoder configuration's tags, including those added with `Tags.of()`.
   */
  public readonly tags: TagManager;

  private readonly resource: IvsCustomResource<EncoderConfigurationResponseData>;

  constructor(scope: Construct, id: string, props: EncoderConfigurationProps = {}) {
    super(scope, id, { physicalName: props.encoderConfigurationName });

    const adoption = ivsAdoption(this, {
      resource: 'encoder-configuration',
      noun: 'encoder configuration',
      nameProp: 'encoderConfigurationName',
      name: props.encoderConfigurationName,
      adoptArn: props.adoptArn,
      removalPolicy: props.removalPolicy,
    });
    this.video = props.video ?? EncoderVideo.HD_720;
    this.validateVideo(this.video);

    this.tags = ivsTagManager(this, ENCODER_CONFIGURATION_RESOURCE_TYPE, props.tags);

    const properties: Omit<EncoderConfigurationResourceProperties, 'ServiceToken' | 'Tags'> = {
      Name: adoption.name,
      AdoptArn: props.adoptArn,
      Video: renderVideo(this.video),
    };

    const provider = IvsHandlerProvider.getOrCreate(this, {
      resourceType: ENCODER_CONFIGURATION_RESOURCE_TYPE,
      arnResource: 'encoder-configuration',
      actions: ENCODER_CONFIGURATION_HANDLER_ACTIONS,
      listAction: ENCODER_CONFIGURATION_HANDLER_LIST_ACTION,
    });
    this.resource = new IvsCustomResource(this, {
      provider,
      resourceType: ENCODER_CONFIGURATION_RESOURCE_TYPE,
      removalPolicy: adoption.removalPolicy,
      properties,
      tags: this.tags,
    });
    this.encoderConfigurationName = adoption.name ?? this.resource.getAttString('Name');

    warnAboveQuota(this, {
      count: provider.resourceCount,
      quota: QUOTA,
      adjustable: true,
      what: 'encoder configurations',
      id: 'encoder-configuration-quota',
    });
  }

  /** The ranges of the API model, and the documented rules it cannot express. */
  private validateVideo(video: EncoderVideo): void {
    const width = this.validateNumber('video.width', video.width, { min: 2, max: 1920, unit: 'pixels', even: true });
    const height = this.validateNumber('video.height', video.height, { min: 2, max: 1920, unit: 'pixels', even: true });
    this.validateNumber('video.framerate', video.framerate, { min: 1, max: 60, unit: 'frames per second' });
    this.validateNumber('video.bitrate', video.bitrate, { min: 1, max: 8_500_000, unit: 'bits per second', integer: true });
    if (width !== undefined && height !== undefined && width * height > MAX_AREA) {
      throw new IvsValidationError(
        this,
        `video.width times video.height must be at most ${MAX_AREA} pixels (1920x1080 or 1080x1920), got ${width}x${height} = ${width * height} pixels`,
      );
    }
  }

  /** Checks a number against a range, and that it is whole and even when required; tokens pass. */
  private validateNumber(
    prop: string,
    value: number,
    rule: { min: number; max: number; unit: string; integer?: boolean; even?: boolean },
  ): number | undefined {
    if (Token.isUnresolved(value)) {
      return undefined;
    }
    if (!Number.isFinite(value) || value < rule.min || value > rule.max) {
      throw new IvsValidationError(this, `${prop} must be between ${rule.min} and ${rule.max} ${rule.unit}, got ${value}`);
    }
    if ((rule.integer || rule.even) && !Number.isInteger(value)) {
      throw new IvsValidationError(this, `${prop} must be a whole number of ${rule.unit}, got ${value}`);
    }
    if (rule.even && value % 2 !== 0) {
      throw new IvsValidationError(this, `${prop} must be even, got ${value}`);
    }
    return value;
  }
}

/** Every video setting as the contract's encoded number; a token stays a token. */
function renderVideo(video: EncoderVideo): EncoderConfigurationVideoProperties {
  return {
    Width: Tokenization.stringifyNumber(video.width),
    Height: Tokenization.stringifyNumber(video.height),
    Framerate: Tokenization.stringifyNumber(video.framerate),
    Bitrate: Tokenization.stringifyNumber(video.bitrate),
  };
}
