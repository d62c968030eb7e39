import { PermissionsOptions, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import { aws_ivs as ivsRefs } from 'aws-cdk-lib/interfaces';
import { checkSameEnvironment } from '../private/environment';
import { IvsValidationError } from '../private/validation';

/**
 * What a principal may start a server-side composition with.
 */
export interface StartCompositionGrantOptions {
  /**
   * The encoder configurations that the compositions' destinations may use; at least one, since
   * IAM checks StartComposition against an encoder configuration every time.
   */
  readonly encoderConfigurations: ivsRefs.IEncoderConfigurationRef[];

  /**
   * The storage configuration that an S3 destination may write to.
   *
   * @default - no S3 destination
   */
  readonly storageConfiguration?: ivsRefs.IStorageConfigurationRef;

  /**
   * The IVS low-latency channel that a channel destination may broadcast to, such as an
   * `aws-ivs-alpha` `Channel` or an L1 `CfnChannel`.
   *
   * @default - no channel destination
   */
  readonly channel?: ivsRefs.IChannelRef;
}

/** The actions of `read`. */
const READ_ACTIONS = [
  'ivs:GetStage',
  'ivs:GetStageSession',
  'ivs:ListStageSessions',
  'ivs:ListParticipants',
  'ivs:GetParticipant',
  'ivs:ListParticipantEvents',
];

/**
 * The IAM grants on a stage: a `Stage`, an import, or an L1 `CfnStage`.
 *
 * IVS Real-Time has no resource policies, so every grant is a statement in the grantee's
 * policy, scoped to the ARNs it names.
 *
 * @example
 * import * as ivs from 'aws-cdk-lib/aws-ivs';
 *
 * declare const cfnStage: ivs.CfnStage;
 * declare const backend: lambda.IFunction;
 *
 * StageGrants.fromStage(cfnStage).createParticipantToken(backend);
 */
export class StageGrants {
  /**
   * The grants on `stage`.
   */
  public static fromStage(stage: ivsRefs.IStageRef): StageGrants {
    return new StageGrants(stage);
  }

  /** The stage the grants are on. */
  protected readonly resource: ivsRefs.IStageRef;

  private constructor(resource: ivsRefs.IStageRef) {
    this.resource = resource;
  }

  /**
   * Grants `actions` on the stage (or on `options.resourceArns`) to `grantee`.
   */
  public actions(grantee: iam.IGrantable, actions: string[], options: PermissionsOptions = {}): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: options.resourceArns ?? [this.stageArn] });
  }

  /**
   * Grants reading the stage, its sessions and its participants:
   *
   * - ivs:GetStage
   * - ivs:GetStageSession
   * - ivs:ListStageSessions
   * - ivs:ListParticipants
   * - ivs:GetParticipant
   * - ivs:ListParticipantEvents
   */
  public read(grantee: iam.IGrantable): iam.Grant {
    return this.actions(grantee, READ_ACTIONS);
  }

  /**
   * Grants minting participant tokens for the stage:
   *
   * - ivs:CreateParticipantToken
   */
  public createParticipantToken(grantee: iam.IGrantable): iam.Grant {
    return this.actions(grantee, ['ivs:CreateParticipantToken']);
  }

  /**
   * Grants removing participants from the stage:
   *
   * - ivs:DisconnectParticipant
   */
  public disconnectParticipant(grantee: iam.IGrantable): iam.Grant {
    return this.actions(grantee, ['ivs:DisconnectParticipant']);
  }

  /**
   * Grants starting server-side compositions of the stage with the given encoder
   * configurations and destinations, and managing the compositions:
   *
   * - ivs:StartComposition on the stage, the encoder configurations, and the storage
   *   configuration and channel when given (the resources IAM checks StartComposition against)
   * - ivs:GetComposition and ivs:StopComposition on the compositions of the stage's account
   *   and region (a composition's ARN is known only once it has started)
   * - ivs:ListCompositions on the stage and the encoder configurations: list calls must filter
   *   by one of them (`filterByStageArn` or `filterByEncoderConfigurationArn`)
   *
   * Tagging compositions at start needs ivs:TagResource as well, which this does not grant.
   */
  public startComposition(grantee: iam.IGrantable, options: StartCompositionGrantOptions): iam.Grant {
    if (options.encoderConfigurations.length === 0) {
      throw new IvsValidationError(this.resource,
        'encoderConfigurations must hold at least one encoder configuration (IAM checks StartComposition against one), got none');
    }
    // A composition of the stage uses encoder and storage configurations of its account and region only.
    options.encoderConfigurations.forEach((encoder, i) => checkSameEnvironment(this.resource, `encoderConfigurations[${i}]`,
      'stage', this.resource.env, 'encoder configuration', encoder.env));
    if (options.storageConfiguration) {
      checkSameEnvironment(this.resource, 'storageConfiguration', 'stage', this.resource.env,
        'storage configuration', options.storageConfiguration.env);
    }
    const encoderArns = options.encoderConfigurations.map((encoder) => ivs.CfnEncoderConfiguration.arnForEncoderConfiguration(encoder));
    const startArns = [
      this.stageArn,
      ...encoderArns,
      ...(options.storageConfiguration ? [ivs.CfnStorageConfiguration.arnForStorageConfiguration(options.storageConfiguration)] : []),
      ...(options.channel ? [ivs.CfnChannel.arnForChannel(options.channel)] : []),
    ];
    const compositions = Stack.of(this.resource).formatArn({
      service: 'ivs',
      resource: 'composition',
      resourceName: '*',
      region: this.resource.env.region,
      account: this.resource.env.account,
    });
    return this.actions(grantee, ['ivs:StartComposition'], { resourceArns: startArns })
      .combine(this.actions(grantee, ['ivs:GetComposition', 'ivs:StopComposition'], { resourceArns: [compositions] }))
      .combine(this.actions(grantee, ['ivs:ListCompositions'], { resourceArns: [this.stageArn, ...encoderArns] }));
  }

  /**
   * Grants replicating participants from this stage into `destination`, and stopping it:
   *
   * - ivs:StartParticipantReplication and ivs:StopParticipantReplication on both stages
   */
  public replicateParticipants(grantee: iam.IGrantable, destination: ivsRefs.IStageRef): iam.Grant {
    return this.actions(grantee, ['ivs:StartParticipantReplication', 'ivs:StopParticipantReplication'], {
      resourceArns: [this.stageArn, ivs.CfnStage.arnForStage(destination)],
    });
  }

  private get stageArn(): string {
    return ivs.CfnStage.arnForStage(this.resource);
  }
}
