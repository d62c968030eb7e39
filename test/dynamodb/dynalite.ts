import { ChildProcess, spawn } from 'node:child_process';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

/*
 * A real DynamoDB implementation for tests: dynalite (npm; DynamoDB's API and its condition,
 * update and consistency semantics over an in-memory LevelDB), started by the test itself in a
 * child process of its own, so that its work runs beside the test's rather than inside it, and
 * stopped after it. Test tooling only.
 */

export interface LocalDynamoDb {
  /** The base URL to give the SDK (`AWS_ENDPOINT_URL_DYNAMODB`). */
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
}

const CREDENTIALS = { accessKeyId: 'AKIAEMULATOREXAMPLE', secretAccessKey: 'dynalite-secret-access-key' };

/** Starts dynalite on a free port of 127.0.0.1, tables created and deleted at once. */
export async function startDynalite(): Promise<LocalDynamoDb> {
  const script = `
    const server = require(${JSON.stringify(require.resolve('dynalite'))})({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    // Idle keep-alive sockets stay open as long as the SDK keeps them: the default 5 seconds closes
    // sockets under the client's feet when a burst queues on them ('socket hang up').
    server.keepAliveTimeout = 120000;
    server.headersTimeout = 121000;
    // A burst opens a thousand connections at once: past Node's default backlog (511) the kernel
    // drops the handshakes it cannot queue and clients retry them seconds later, a delay no
    // DynamoDB endpoint has.
    server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => process.stdout.write(String(server.address().port) + '\\n'));
    process.on('disconnect', () => process.exit(0));
  `;
  const child: ChildProcess = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`dynalite exited with ${code} before it listened`)));
    child.stdout!.once('data', (data: Buffer) => resolve(Number(data.toString().trim())));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: CREDENTIALS });
  return {
    endpoint,
    client,
    stop: async () => {
      client.destroy();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      }
    },
  };
}

/** Creates a table keyed as the rooms table is: partition key `roomKey`, a string; on-demand. */
export async function createRoomsTable(db: LocalDynamoDb, tableName: string): Promise<void> {
  await db.client.send(new CreateTableCommand({
    TableName: tableName,
    AttributeDefinitions: [{ AttributeName: 'roomKey', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'roomKey', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  // As in DynamoDB, a new table is CREATING for a moment (here, a turn of dynalite's event loop), and unusable.
  while ((await db.client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.TableStatus !== 'ACTIVE') {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
