import { createHash } from 'node:crypto';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  EncoderConfiguration,
  IngestConfiguration,
  IngestProtocol,
  IvsRealtimeHandlers,
  ParticipantTokenIssuer,
  PublicKey,
  Stage,
  StorageConfiguration,
} from '../../src';
import { resolve, ResolveContext } from '../simulator/intrinsics';

/*
 * IAM's and Lambda's size limits, on the template CloudFormation would deploy: every role's and
 * policy's references resolved to ARNs as long as real ones (CloudFormation's generated names, the
 * random suffixes Secrets Manager adds), with every resource type at its default IVS quota
 * (shared/reference/ivs-realtime-api.md, section 14) and ordinary construct paths. A limit broken
 * here is a deploy that IAM or Lambda refuses.
 *
 * Limits (IAM User Guide, "IAM and AWS STS quotas"; Lambda Developer Guide, "Lambda quotas"):
 * the inline policies of a role together at most 10,240 characters, a managed policy at most
 * 6,144, a role's trust policy at most 2,048 (the default quota), whitespace not counted; a
 * function's environment at most 4 KB.
 */

const INLINE_POLICIES_PER_ROLE = 10_240;
const MANAGED_POLICY = 6_144;
const TRUST_POLICY = 2_048;
const LAMBDA_ENVIRONMENT_BYTES = 4_096;

/**
 * The default quotas, per account and region; but stages, whose quota (1,000) is above what one
 * stack can hold (500 resources): their handler's role names no stage, and 100 are more than the
 * two issuers take (16 for self-signed tokens, 40 for API tokens, their most).
 */
const QUOTAS = { stages: 100, storageConfigurations: 5, encoderConfigurations: 20, ingestConfigurations: 100, publicKeys: 3 };

const REGION = 'ap-northeast-1';
const ACCOUNT = '123456789012';
const STACK_NAME = 'LiveEventsProductionStack';

type Resources = Record<string, { Type: string; Properties?: Record<string, any> }>;

/** Deterministic stand-ins for the random parts of physical names. */
function random(seed: string, length: number, alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'): string {
  const digest = createHash('sha256').update(seed).digest();
  return [...digest, ...digest].slice(0, length).map((byte) => alphabet[byte % alphabet.length]).join('');
}

/** A name as CloudFormation generates it: `<stack>-<logical ID>-<random>`, cut to `max` characters. */
function generatedName(logicalId: string, max: number): string {
  const suffix = random(logicalId, 12, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
  return `${STACK_NAME}-${logicalId}`.slice(0, max - 13) + `-${suffix}`;
}

function uuid(seed: string): string {
  const hex = random(seed, 32, '0123456789abcdef');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const STACK_ID = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${STACK_NAME}/${uuid('stack')}`;

/** What `Ref` and `Fn::GetAtt` give for each resource type, at the length real values have. */
function resolveContext(resources: Resources): ResolveContext {
  const ivsArn = (type: string, id: string) => `arn:aws:ivs:${REGION}:${ACCOUNT}:${type}/${id}`;
  const ivsId = (logicalId: string) => random(logicalId, 12);
  const ref = (logicalId: string): string => {
    const type = resources[logicalId]?.Type;
    switch (type) {
      case 'AWS::SecretsManager::Secret':
        // CloudFormation names the secret after its logical ID; Secrets Manager adds six characters.
        return `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${logicalId}-${random(logicalId, 12)}-${random(`${logicalId}/arn`, 6)}`;
      case 'AWS::S3::Bucket':
        return generatedName(logicalId, 63).toLowerCase();
      case 'AWS::IAM::Role':
      case 'AWS::Logs::LogGroup':
      case 'AWS::Lambda::Function':
        return generatedName(logicalId, 64);
      case 'AWS::KMS::Key':
        return uuid(logicalId);
      case 'AWS::EC2::VPC':
        return `vpc-${random(logicalId, 17, '0123456789abcdef')}`;
      case 'AWS::EC2::Subnet':
        return `subnet-${random(logicalId, 17, '0123456789abcdef')}`;
      case 'AWS::EC2::SecurityGroup':
        return `sg-${random(logicalId, 17, '0123456789abcdef')}`;
      case 'Custom::IvsStage':
        return ivsArn('stage', ivsId(logicalId));
      case 'Custom::IvsStorageConfiguration':
        return ivsArn('storage-configuration', ivsId(logicalId));
      case 'Custom::IvsEncoderConfiguration':
        return ivsArn('encoder-configuration', ivsId(logicalId));
      case 'Custom::IvsIngestConfiguration':
        return ivsArn('ingest-configuration', ivsId(logicalId));
      case 'Custom::IvsPublicKey':
        return ivsArn('public-key', ivsId(logicalId));
      default:
        return `${logicalId}-${random(logicalId, 12)}`;
    }
  };
  return {
    stackName: STACK_NAME,
    stackId: STACK_ID,
    region: REGION,
    accountId: ACCOUNT,
    parameters: {},
    ref,
    getAtt: (logicalId, attribute) => {
      const type = resources[logicalId]?.Type;
      const name = ref(logicalId);
      switch (`${type}.${attribute}`) {
        case 'AWS::S3::Bucket.Arn': return `arn:aws:s3:::${name}`;
        case 'AWS::IAM::Role.Arn': return `arn:aws:iam::${ACCOUNT}:role/${name}`;
        case 'AWS::Logs::LogGroup.Arn': return `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}:*`;
        case 'AWS::Lambda::Function.Arn': return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
        case 'AWS::KMS::Key.Arn': return `arn:aws:kms:${REGION}:${ACCOUNT}:key/${name}`;
        case 'Custom::IvsStage.Arn': return name;
        // The stage's endpoints, as IVS gives them.
        case 'Custom::IvsStage.Endpoints.Events': return 'wss://global.events.live-video.net';
        case 'Custom::IvsStage.Endpoints.Whip': return `https://${random(logicalId, 12, '0123456789abcdef')}.global-bm.whip.live-video.net`;
        case 'Custom::IvsStage.Endpoints.Rtmp': return `rtmp://${random(logicalId, 12, '0123456789abcdef')}.global-contribute.live-video.net/app/`;
        case 'Custom::IvsStage.Endpoints.Rtmps': return `rtmps://${random(logicalId, 12, '0123456789abcdef')}.global-contribute.live-video.net:443/app/`;
        default:
          if (type?.startsWith('Custom::Ivs') && attribute === 'Arn') return name;
          return `${name}-${attribute}`;
      }
    },
  };
}

/** A stack with every type at its default quota, under ordinary construct paths. */
function stackAtQuotas(options: { vpc?: boolean; encryptionKey?: boolean } = {}): { stack: Stack; resources: Resources } {
  const app = new App();
  const stack = new Stack(app, STACK_NAME, { env: { account: ACCOUNT, region: REGION } });
  if (options.vpc) {
    IvsRealtimeHandlers.of(stack).configure({ vpc: new ec2.Vpc(stack, 'Network', { maxAzs: 3 }) });
  }
  const secretsKey = options.encryptionKey ? new kms.Key(stack, 'SecretsKey') : undefined;
  const events = new Construct(stack, 'Events');
  const stages = Array.from({ length: QUOTAS.stages }, (_, i) => new Stage(events, `Stage${String(i).padStart(4, '0')}`));
  const recordings = new Construct(stack, 'Recordings');
  for (let i = 0; i < QUOTAS.storageConfigurations; i++) {
    const bucket = new s3.Bucket(recordings, `Bucket${i}`, { enforceSSL: true });
    new StorageConfiguration(recordings, `Storage${i}`, { bucket });
  }
  const compositions = new Construct(stack, 'Compositions');
  for (let i = 0; i < QUOTAS.encoderConfigurations; i++) {
    new EncoderConfiguration(compositions, `Encoder${String(i).padStart(2, '0')}`);
  }
  const studios = new Construct(stack, 'Studios');
  for (let i = 0; i < QUOTAS.ingestConfigurations; i++) {
    new IngestConfiguration(new Construct(studios, `Studio${String(i).padStart(3, '0')}`), 'Ingest', {
      ingestProtocol: IngestProtocol.RTMPS,
      stage: stages[i],
      encryptionKey: secretsKey,
    });
  }
  new secretsmanager.Secret(stack, 'ApplicationSecret');
  const keys = new Construct(stack, 'TokenKeys');
  const publicKeys = Array.from({ length: QUOTAS.publicKeys }, (_, i) => new PublicKey(keys, `Key${i}`, { encryptionKey: secretsKey }));
  new ParticipantTokenIssuer(stack, 'SelfSignedTokens', { stages: stages.slice(0, 16), signingKey: publicKeys[0] });
  new ParticipantTokenIssuer(stack, 'ApiTokens', { stages: stages.slice(16, 56) });
  const template = app.synth().getStackByName(stack.stackName).template;
  return { stack, resources: template.Resources };
}

/** A policy document's size as IAM counts it: its JSON without whitespace. */
const policySize = (document: unknown) => JSON.stringify(document).length;

interface RoleSize {
  readonly role: string;
  readonly inline: number;
  readonly trust: number;
}

/** Every role's inline policies, its own and those of `AWS::IAM::Policy` resources attached to it, resolved. */
function roleSizes(resources: Resources): RoleSize[] {
  const ctx = resolveContext(resources);
  return Object.entries(resources).filter(([, r]) => r.Type === 'AWS::IAM::Role').map(([logicalId, role]) => {
    const own = (role.Properties?.Policies ?? []).map((p: any) => policySize(resolve(p.PolicyDocument, ctx)));
    const attached = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties?.Roles ?? []).some((ref: any) => ref?.Ref === logicalId))
      .map((r) => policySize(resolve(r.Properties!.PolicyDocument, ctx)));
    return {
      role: logicalId,
      inline: [...own, ...attached].reduce((sum, size) => sum + size, 0),
      trust: policySize(resolve(role.Properties?.AssumeRolePolicyDocument, ctx)),
    };
  });
}

describe.each([
  ['as is', {}],
  ['in a VPC, with a customer-managed key for the owned secrets', { vpc: true, encryptionKey: true }],
])('every type at its default quota, %s', (_, options) => {
  const { resources } = stackAtQuotas(options);
  const sizes = roleSizes(resources);

  test('the stack holds every type at its quota, and a role for each handler and issuer', () => {
    const count = (type: string) => Object.values(resources).filter((r) => r.Type === type).length;
    expect(count('Custom::IvsStage')).toBe(QUOTAS.stages);
    expect(count('Custom::IvsStorageConfiguration')).toBe(QUOTAS.storageConfigurations);
    expect(count('Custom::IvsEncoderConfiguration')).toBe(QUOTAS.encoderConfigurations);
    expect(count('Custom::IvsIngestConfiguration')).toBe(QUOTAS.ingestConfigurations);
    expect(count('Custom::IvsPublicKey')).toBe(QUOTAS.publicKeys);
    expect(sizes.map((s) => s.role)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^IvsStageHandlerProviderRole/),
      expect.stringMatching(/^IvsIngestConfigurationHandlerProviderRole/),
      expect.stringMatching(/^IvsPublicKeyHandlerProviderRole/),
      expect.stringMatching(/^IvsStorageConfigurationHandlerProviderRole/),
      expect.stringMatching(/^IvsEncoderConfigurationHandlerProviderRole/),
      expect.stringMatching(/^SelfSignedTokens/),
      expect.stringMatching(/^ApiTokens/),
    ]));
  });

  test(`each role's inline policies together stay within IAM's ${INLINE_POLICIES_PER_ROLE} characters`, () => {
    const over = sizes.filter((s) => s.inline > INLINE_POLICIES_PER_ROLE).map((s) => `${s.role}: ${s.inline}`);
    expect(over).toEqual([]);
  });

  test(`each role's trust policy stays within IAM's ${TRUST_POLICY} characters`, () => {
    expect(sizes.filter((s) => s.trust > TRUST_POLICY).map((s) => `${s.role}: ${s.trust}`)).toEqual([]);
  });

  test(`each managed policy stays within IAM's ${MANAGED_POLICY} characters`, () => {
    const ctx = resolveContext(resources);
    const over = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy')
      .map(([id, r]) => [id, policySize(resolve(r.Properties!.PolicyDocument, ctx))] as const)
      .filter(([, size]) => size > MANAGED_POLICY);
    expect(over).toEqual([]);
  });

  test(`each function's environment stays within Lambda's ${LAMBDA_ENVIRONMENT_BYTES} bytes`, () => {
    const ctx = resolveContext(resources);
    const over = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function')
      .map(([id, r]) => {
        const variables = resolve(r.Properties?.Environment?.Variables ?? {}, ctx) as Record<string, string>;
        return [id, Object.entries(variables).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0)] as const;
      })
      .filter(([, size]) => size > LAMBDA_ENVIRONMENT_BYTES);
    expect(over).toEqual([]);
  });
});

/** Whether `statement` allows `action` on a resource with this ARN and these tags (Allow, glob Resource, StringEquals on aws:ResourceTag only). */
function allows(statement: any, action: string, arn: string, tags: Record<string, string>): boolean {
  const actions = [statement.Action].flat();
  const glob = (pattern: string) => new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  const conditions = Object.entries(statement.Condition ?? {});
  return statement.Effect === 'Allow' && actions.includes(action)
    && [statement.Resource].flat().some((pattern: string) => glob(pattern).test(arn))
    && conditions.every(([operator, keys]) => operator === 'StringEquals' && Object.entries(keys as object).every(([key, value]) =>
      key.startsWith('aws:ResourceTag/') && tags[key.slice('aws:ResourceTag/'.length)] === value));
}

describe('with the secrets of the stack resolved', () => {
  const { resources } = stackAtQuotas();
  const ctx = resolveContext(resources);
  const secrets = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::SecretsManager::Secret').map(([id, r]) => ({
    id,
    arn: ctx.ref(id) as string,
    tags: Object.fromEntries(((resolve(r.Properties?.Tags ?? [], ctx)) as { Key: string; Value: string }[]).map((tag) => [tag.Key, tag.Value])),
  }));
  const writable = (rolePrefix: string) => {
    const [, role] = Object.entries(resources).find(([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith(rolePrefix))!;
    const statements = (resolve(role.Properties!.Policies, ctx) as any[]).flatMap((policy) => policy.PolicyDocument.Statement);
    return secrets.filter((secret) => statements.some((statement) => allows(statement, 'secretsmanager:PutSecretValue', secret.arn, secret.tags)))
      .map((secret) => secret.id).sort();
  };

  test.each([
    ['IvsIngestConfigurationHandlerProviderRole', 'the stream key secrets', /StreamKeySecret/, QUOTAS.ingestConfigurations],
    ['IvsPublicKeyHandlerProviderRole', 'the private key secrets', /PrivateKeySecret/, QUOTAS.publicKeys],
  ])('%s may write %s of the stack, and no other secret', (rolePrefix, _, pattern, count) => {
    // THEN
    const expected = secrets.map((secret) => secret.id).filter((id) => pattern.test(id)).sort();
    expect(expected).toHaveLength(count);
    expect(writable(rolePrefix)).toEqual(expected);
  });

  test('a secret of the same account and region without the tag, or tagged for another stack or another handler, is not writable', () => {
    // GIVEN
    const [, role] = Object.entries(resources).find(([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith('IvsIngestConfigurationHandlerProviderRole'))!;
    const statements = (resolve(role.Properties!.Policies, ctx) as any[]).flatMap((policy) => policy.PolicyDocument.Statement);
    const arn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:database-password-AbCdEf`;
    const otherStack = STACK_ID.replace(/[0-9a-f]{8}-/, 'ffffffff-');

    // WHEN / THEN
    const others: Record<string, string>[] = [{}, { 'cdk-ivs-realtime:written-by': `Custom::IvsIngestConfiguration/${otherStack}` },
      { 'cdk-ivs-realtime:written-by': `Custom::IvsPublicKey/${STACK_ID}` }];
    for (const tags of others) {
      expect(statements.some((statement) => allows(statement, 'secretsmanager:PutSecretValue', arn, tags))).toBe(false);
    }
    expect(statements.some((statement) => allows(statement, 'secretsmanager:PutSecretValue', arn,
      { 'cdk-ivs-realtime:written-by': `Custom::IvsIngestConfiguration/${STACK_ID}` }))).toBe(true);
  });
});
