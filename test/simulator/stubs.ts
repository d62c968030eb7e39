/*
 * Stand-ins for the resources that are not custom resources: they are never deployed anywhere,
 * but answer `Ref` and `Fn::GetAtt` with plausible values (names, ARNs), as the real resources
 * would, so that the custom resources that use them resolve. Three have effects the IVS handlers
 * can see: a bucket is registered with the emulator, a secret exists in the Secrets Manager stub,
 * and a KMS key exists in the KMS stub (with a real key pair for an elliptic-curve key spec).
 */
import { randomBytes } from 'node:crypto';
import type { KmsStub } from './kms';
import type { SecretsManagerStub } from './secrets-manager';
import type { IvsEmulator } from '../emulator';

export interface StubContext {
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
  readonly emulator: IvsEmulator;
  readonly secrets: SecretsManagerStub;
  readonly kms: KmsStub;
}

/** A stub resource's physical ID (what `Ref` returns) and attributes (what `Fn::GetAtt` reads). */
export interface StubState {
  readonly physicalId: string;
  readonly attributes: Record<string, unknown>;
}

type Properties = Record<string, unknown>;

interface StubType {
  /** The property that names the resource: changing it replaces the resource. */
  readonly nameProperty?: string;
  /** The physical ID of a new resource. */
  physicalId(logicalId: string, props: Properties, ctx: StubContext): string;
  attributes(physicalId: string, props: Properties, ctx: StubContext): Record<string, unknown>;
  onDelete?(physicalId: string, ctx: StubContext): void;
}

/** CloudFormation's generated names: stack name, logical ID and a random suffix, within `maxLength`. */
function generatedName(ctx: StubContext, logicalId: string, maxLength = 64): string {
  const suffix = randomBytes(8).toString('hex').toUpperCase().slice(0, 12);
  const prefixLength = maxLength - suffix.length - 2;
  const stack = ctx.stackName.slice(0, Math.ceil(prefixLength / 2));
  return `${stack}-${logicalId.slice(0, prefixLength - stack.length)}-${suffix}`;
}

const named = (nameProperty: string, maxLength?: number) => (logicalId: string, props: Properties, ctx: StubContext) =>
  typeof props[nameProperty] === 'string' ? props[nameProperty] as string : generatedName(ctx, logicalId, maxLength);

const arn = (ctx: StubContext, service: string, resource: string, global = false) =>
  `arn:aws:${service}:${global ? '' : ctx.region}:${ctx.accountId}:${resource}`;

const STUBS: Record<string, StubType> = {
  'AWS::IAM::Role': {
    nameProperty: 'RoleName',
    physicalId: named('RoleName'),
    attributes: (name, props, ctx) => ({
      Arn: arn(ctx, 'iam', `role${typeof props.Path === 'string' ? props.Path : '/'}${name}`, true),
      RoleId: `AROA${randomBytes(8).toString('hex').toUpperCase()}`,
    }),
  },
  'AWS::IAM::Policy': {
    physicalId: (logicalId, _props, ctx) => generatedName(ctx, logicalId),
    attributes: (id) => ({ Id: id }),
  },
  'AWS::IAM::ManagedPolicy': {
    nameProperty: 'ManagedPolicyName',
    physicalId: (logicalId, props, ctx) => arn(ctx, 'iam', `policy/${named('ManagedPolicyName')(logicalId, props, ctx)}`, true),
    attributes: (policyArn) => ({ PolicyArn: policyArn }),
  },
  'AWS::Lambda::Function': {
    nameProperty: 'FunctionName',
    physicalId: named('FunctionName'),
    attributes: (name, _props, ctx) => ({ Arn: arn(ctx, 'lambda', `function:${name}`) }),
  },
  'AWS::Lambda::Permission': {
    physicalId: (logicalId, _props, ctx) => generatedName(ctx, logicalId),
    attributes: () => ({}),
  },
  'AWS::S3::Bucket': {
    nameProperty: 'BucketName',
    physicalId: (logicalId, props, ctx) => named('BucketName', 63)(logicalId, props, ctx).toLowerCase(),
    attributes: (name, _props, ctx) => {
      // Creating a storage configuration needs the bucket to exist.
      ctx.emulator.registerBucket(name, ctx.region);
      return {
        Arn: `arn:aws:s3:::${name}`,
        DomainName: `${name}.s3.amazonaws.com`,
        RegionalDomainName: `${name}.s3.${ctx.region}.amazonaws.com`,
        DualStackDomainName: `${name}.s3.dualstack.${ctx.region}.amazonaws.com`,
        WebsiteURL: `http://${name}.s3-website-${ctx.region}.amazonaws.com`,
      };
    },
  },
  'AWS::S3::BucketPolicy': {
    physicalId: (logicalId, _props, ctx) => generatedName(ctx, logicalId),
    attributes: () => ({}),
  },
  'AWS::SecretsManager::Secret': {
    nameProperty: 'Name',
    physicalId: (logicalId, props, ctx) => ctx.secrets.create(
      logicalId,
      named('Name', 512)(logicalId, props, ctx),
      initialSecretValue(props),
    ),
    attributes: (secretArn) => ({ Id: secretArn }),
    onDelete: (secretArn, ctx) => ctx.secrets.delete(secretArn),
  },
  'AWS::KMS::Key': {
    physicalId: (logicalId, props, ctx) => ctx.kms.create(
      logicalId,
      typeof props.KeySpec === 'string' ? props.KeySpec : undefined,
      typeof props.KeyUsage === 'string' ? props.KeyUsage : undefined,
    ),
    attributes: (keyId, _props, ctx) => ({ Arn: arn(ctx, 'kms', `key/${keyId}`), KeyId: keyId }),
    onDelete: (keyId, ctx) => ctx.kms.scheduleDeletion(keyId),
  },
  'AWS::KMS::Alias': {
    nameProperty: 'AliasName',
    physicalId: named('AliasName'),
    attributes: () => ({}),
  },
  'AWS::Logs::LogGroup': {
    nameProperty: 'LogGroupName',
    physicalId: named('LogGroupName', 512),
    attributes: (name, _props, ctx) => ({ Arn: arn(ctx, 'logs', `log-group:${name}:*`) }),
  },
  'AWS::SQS::Queue': {
    nameProperty: 'QueueName',
    physicalId: (logicalId, props, ctx) => `https://sqs.${ctx.region}.amazonaws.com/${ctx.accountId}/${named('QueueName', 80)(logicalId, props, ctx)}`,
    attributes: (url, _props, ctx) => {
      const name = url.slice(url.lastIndexOf('/') + 1);
      return { Arn: arn(ctx, 'sqs', name), QueueName: name, QueueUrl: url };
    },
  },
  'AWS::Events::Rule': {
    nameProperty: 'Name',
    physicalId: named('Name'),
    attributes: (name, _props, ctx) => ({ Arn: arn(ctx, 'events', `rule/${name}`) }),
  },
  'AWS::CloudWatch::Alarm': {
    nameProperty: 'AlarmName',
    physicalId: named('AlarmName', 255),
    attributes: (name, _props, ctx) => ({ Arn: arn(ctx, 'cloudwatch', `alarm:${name}`) }),
  },
  'AWS::CDK::Metadata': {
    physicalId: (logicalId, _props, ctx) => generatedName(ctx, logicalId),
    attributes: () => ({}),
  },
};

/** `SecretString`, or a value made up the way `GenerateSecretString` asks for one. */
function initialSecretValue(props: Properties): string | undefined {
  if (typeof props.SecretString === 'string') {
    return props.SecretString;
  }
  const generate = props.GenerateSecretString as Record<string, unknown> | undefined;
  if (!generate) {
    return undefined;
  }
  const generated = randomBytes(24).toString('base64url');
  if (typeof generate.SecretStringTemplate === 'string' && typeof generate.GenerateStringKey === 'string') {
    return JSON.stringify({ ...JSON.parse(generate.SecretStringTemplate), [generate.GenerateStringKey]: generated });
  }
  return generated;
}

/** Any other type: a generated physical ID and no attributes. */
const GENERIC_STUB: StubType = {
  physicalId: (logicalId, _props, ctx) => generatedName(ctx, logicalId),
  attributes: () => ({}),
};

function stubType(type: string): StubType {
  return STUBS[type] ?? GENERIC_STUB;
}

/** Creates a stub resource. */
export function createStub(type: string, logicalId: string, props: Properties, ctx: StubContext): StubState {
  const stub = stubType(type);
  const physicalId = stub.physicalId(logicalId, props, ctx);
  return { physicalId, attributes: stub.attributes(physicalId, props, ctx) };
}

/**
 * Updates a stub resource: a new name replaces it (a new physical ID; the caller deletes the old
 * one after the update), any other change keeps its physical ID and attributes.
 */
export function updateStub(type: string, logicalId: string, current: StubState, before: Properties, after: Properties, ctx: StubContext): StubState {
  const stub = stubType(type);
  if (stub.nameProperty !== undefined && before[stub.nameProperty] !== after[stub.nameProperty]) {
    return createStub(type, logicalId, after, ctx);
  }
  return current;
}

export function deleteStub(type: string, physicalId: string, ctx: StubContext): void {
  stubType(type).onDelete?.(physicalId, ctx);
}
