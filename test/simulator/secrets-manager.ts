import { randomBytes, randomUUID } from 'node:crypto';
import { AwsJsonError, AwsJsonExchange, AwsJsonServer } from './aws-json-server';

/** One version of a secret's value. */
export interface SecretVersion {
  readonly versionId: string;
  readonly value: string;
  /** Its staging labels, e.g. AWSCURRENT, AWSPREVIOUS; none for a deprecated version. */
  readonly stages: readonly string[];
}

/** A secret that an `AWS::SecretsManager::Secret` stub created. */
export interface SimulatedSecret {
  readonly arn: string;
  readonly name: string;
  /** The logical ID of the stub resource that created it. */
  readonly logicalId: string;
  /** The AWSCURRENT value; undefined while the secret has none. */
  readonly value?: string;
  /** Every value written with PutSecretValue as a new version, in order. */
  readonly writes: readonly string[];
  /** Every version, oldest first, the initial one included. */
  readonly versions: readonly SecretVersion[];
}

/** One request the stub received. Values are not recorded here: read them from the secret. */
export interface SecretsManagerRequest {
  readonly operation: string;
  readonly secretId?: string;
  readonly status: number;
  readonly errorType?: string;
}

interface SecretRecord {
  readonly arn: string;
  readonly name: string;
  readonly logicalId: string;
  readonly createdDate: number;
  readonly versions: { versionId: string; value: string; stages: string[] }[];
  readonly writes: string[];
}

const CURRENT = 'AWSCURRENT';
const PREVIOUS = 'AWSPREVIOUS';

class SecretsManagerError extends AwsJsonError {}

const notFound = () => new SecretsManagerError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

/**
 * A minimal Secrets Manager endpoint (AWS JSON 1.1 on 127.0.0.1) holding the secrets of the
 * stack's `AWS::SecretsManager::Secret` stubs, so that a handler which writes a stream key or a
 * private key into a construct-owned secret can be tested, and the test can see what was written.
 *
 * Answers PutSecretValue and GetSecretValue, with versions and the AWSCURRENT / AWSPREVIOUS
 * labels moving as Secrets Manager moves them. A secret the stack did not create does not exist:
 * writing to it fails with ResourceNotFoundException, as it would in an account.
 */
export class SecretsManagerStub {
  public static async start(region: string, accountId: string): Promise<SecretsManagerStub> {
    const stub = new SecretsManagerStub(region, accountId);
    stub.server = await AwsJsonServer.start({
      targetPrefix: 'secretsmanager.',
      invoke: (operation, input) => stub.invoke(operation, input),
      unexpected: (message) => new AwsJsonError('InvalidRequestException', message),
      record: (exchange) => stub.record(exchange),
    });
    return stub;
  }

  public readonly requests: SecretsManagerRequest[] = [];
  private readonly secrets = new Map<string, SecretRecord>();
  private server!: AwsJsonServer;

  private constructor(private readonly region: string, private readonly accountId: string) {}

  /** The base URL to give the SDK (`AWS_ENDPOINT_URL_SECRETS_MANAGER`). */
  public get endpoint(): string {
    return this.server.endpoint;
  }

  /** Every secret that exists, in creation order. */
  public list(): SimulatedSecret[] {
    return [...this.secrets.values()].map((record) => ({
      arn: record.arn,
      name: record.name,
      logicalId: record.logicalId,
      value: record.versions.find((version) => version.stages.includes(CURRENT))?.value,
      writes: [...record.writes],
      versions: record.versions.map((version) => ({ ...version, stages: [...version.stages] })),
    }));
  }

  /** A secret by ARN, name or the logical ID of the stub resource that created it. */
  public get(id: string): SimulatedSecret | undefined {
    return this.list().find((secret) => secret.arn === id || secret.name === id || secret.logicalId === id);
  }

  /** Creates a secret, as an `AWS::SecretsManager::Secret` stub does; returns its ARN. */
  public create(logicalId: string, name: string, value?: string): string {
    // Secrets Manager appends a hyphen and six random characters to the name.
    const arn = `arn:aws:secretsmanager:${this.region}:${this.accountId}:secret:${name}-${randomBytes(3).toString('hex')}`;
    const versions = value === undefined ? [] : [{ versionId: randomUUID(), value, stages: [CURRENT] }];
    this.secrets.set(arn, { arn, name, logicalId, createdDate: Date.now() / 1000, versions, writes: [] });
    return arn;
  }

  public delete(arn: string): void {
    this.secrets.delete(arn);
  }

  public async stop(): Promise<void> {
    await this.server.stop();
  }

  private find(secretId: unknown): SecretRecord {
    const record = [...this.secrets.values()].find((secret) => secret.arn === secretId || secret.name === secretId);
    if (!record) {
      throw notFound();
    }
    return record;
  }

  private invoke(operation: string, input: Record<string, unknown>): object {
    switch (operation) {
      case 'PutSecretValue': return this.putSecretValue(input);
      case 'GetSecretValue': {
        const record = this.find(input.SecretId);
        const version = typeof input.VersionId === 'string'
          ? record.versions.find((v) => v.versionId === input.VersionId)
          : record.versions.find((v) => v.stages.includes(typeof input.VersionStage === 'string' ? input.VersionStage : CURRENT));
        if (!version) {
          throw new SecretsManagerError('ResourceNotFoundException',
            `Secrets Manager can't find the specified secret value for ${input.VersionId ? `VersionId: ${input.VersionId}` : `staging label: ${input.VersionStage ?? CURRENT}`}`);
        }
        return {
          ARN: record.arn,
          Name: record.name,
          VersionId: version.versionId,
          SecretString: version.value,
          VersionStages: version.stages,
          CreatedDate: record.createdDate,
        };
      }
      default:
        throw new SecretsManagerError('UnknownOperationException', `The stub does not implement ${operation}.`);
    }
  }

  /**
   * A new version that takes AWSCURRENT (unless other labels are given), the old current one
   * becoming AWSPREVIOUS. The same ClientRequestToken with the same value is an idempotent retry.
   */
  private putSecretValue(input: Record<string, unknown>): object {
    const record = this.find(input.SecretId);
    if (typeof input.SecretString !== 'string') {
      throw new SecretsManagerError('InvalidParameterException', 'The stub accepts only SecretString.');
    }
    const versionId = typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : randomUUID();
    const existing = record.versions.find((v) => v.versionId === versionId);
    if (existing) {
      if (existing.value !== input.SecretString) {
        throw new SecretsManagerError('ResourceExistsException', 'A resource with the ID you requested already exists.');
      }
      return { ARN: record.arn, Name: record.name, VersionId: versionId, VersionStages: existing.stages };
    }
    const stages = Array.isArray(input.VersionStages) ? input.VersionStages.map(String) : [CURRENT];
    const version = { versionId, value: input.SecretString, stages: [] as string[] };
    record.versions.push(version);
    for (const stage of stages) {
      moveStage(record, stage, version);
    }
    record.writes.push(input.SecretString);
    return { ARN: record.arn, Name: record.name, VersionId: versionId, VersionStages: version.stages };
  }

  private record({ operation, input, status, errorType }: AwsJsonExchange): void {
    this.requests.push({ operation, secretId: typeof input.SecretId === 'string' ? input.SecretId : undefined, status, errorType });
  }
}

/** Attaches `stage` to `version`, taking it from the version that had it; AWSPREVIOUS follows AWSCURRENT. */
function moveStage(record: SecretRecord, stage: string, version: SecretRecord['versions'][number]): void {
  const holder = record.versions.find((v) => v.stages.includes(stage));
  if (holder === version) {
    return;
  }
  if (holder) {
    holder.stages.splice(holder.stages.indexOf(stage), 1);
    if (stage === CURRENT) {
      moveStage(record, PREVIOUS, holder);
    }
  }
  version.stages.push(stage);
}
