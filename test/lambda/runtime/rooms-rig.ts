import * as path from 'path';
import { DeletePublicKeyCommand, ImportPublicKeyCommand, IVSRealTimeClient } from '@aws-sdk/client-ivs-realtime';
import { ROOMS_ENV } from '../../../src/runtime/stage-rooms-contract';
import { TOKEN_ISSUER_ENV } from '../../../src/runtime/token-issuer-contract';
import { createRoomsTable, LocalDynamoDb, startDynalite } from '../../dynamodb/dynalite';
import { emulatorClient, IvsEmulator } from '../../emulator';
import { KmsStub } from '../../simulator/kms';

/*
 * The rooms functions' shipped bundles, outside Jest (the demo, the bench): dynalite and the KMS
 * stand-in started, a P-384 key in the stand-in whose public half the emulator holds as the IVS
 * public key, the environment the construct would give the functions, and each bundle loaded as a
 * fresh Lambda instance loads it.
 */

export type Join = typeof import('../../../lambda/runtime/room-join');
export type Janitor = typeof import('../../../lambda/runtime/room-janitor');

const BUNDLES = path.join(__dirname, '..', '..', '..', 'assets', 'lambda', 'runtime');

export interface RoomsRig {
  readonly db: LocalDynamoDb;
  readonly kms: KmsStub;
  readonly client: IVSRealTimeClient;
  readonly publicKeyArn: string;
  readonly publicKeyPem: string;
  readonly tableName: string;
  /** A fresh instance of the join function's bundle. */
  join(): Join;
  /** A fresh instance of the janitor's bundle. */
  janitor(): Janitor;
  /** Deletes the public key, stops dynalite and the stand-in, and puts the environment back. */
  stop(): Promise<void>;
}

export async function startRoomsRig(emu: IvsEmulator, roomsId = '0123456789abcdef'): Promise<RoomsRig> {
  const client = emulatorClient(emu);
  const db = await startDynalite();
  const kms = await KmsStub.start(emu.region, emu.accountId);
  const kmsKeyArn = kms.get(kms.create('RoomsKey', 'ECC_NIST_P384', 'SIGN_VERIFY'))!.arn;
  const publicKeyPem = kms.get(kmsKeyArn)!.publicKey!.export({ type: 'spki', format: 'pem' }).toString();
  const { publicKey } = await client.send(new ImportPublicKeyCommand({ publicKeyMaterial: publicKeyPem, name: 'rooms' }));
  const tableName = 'rooms';
  await createRoomsTable(db, tableName);
  const env: Record<string, string> = {
    AWS_REGION: emu.region,
    AWS_ACCESS_KEY_ID: 'AKIAEMULATOREXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'rig-secret-access-key',
    AWS_ENDPOINT_URL_IVS_REALTIME: emu.endpoint,
    AWS_ENDPOINT_URL_KMS: kms.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    [TOKEN_ISSUER_ENV.SIGNING]: 'KMS',
    [TOKEN_ISSUER_ENV.KMS_KEY_ARN]: kmsKeyArn,
    [TOKEN_ISSUER_ENV.PUBLIC_KEY_ARN]: publicKey!.arn!,
    [ROOMS_ENV.TABLE_NAME]: tableName,
    [ROOMS_ENV.ROOMS_ID]: roomsId,
    [ROOMS_ENV.STAGE_NAME_PREFIX]: 'room-',
    [ROOMS_ENV.STAGE_TAGS]: '{"app":"demo"}',
    [ROOMS_ENV.IDLE_SECONDS]: '3600',
    [ROOMS_ENV.CLAIM_STALE_SECONDS]: '120',
  };
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  const load = <T>(bundle: string): T => {
    const file = require.resolve(path.join(BUNDLES, bundle, 'index.js'));
    delete require.cache[file];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as T;
  };
  return {
    db,
    kms,
    client,
    publicKeyArn: publicKey!.arn!,
    publicKeyPem,
    tableName,
    join: () => load<Join>('room-join'),
    janitor: () => load<Janitor>('room-janitor'),
    stop: async () => {
      await client.send(new DeletePublicKeyCommand({ arn: publicKey!.arn! }));
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name]; else process.env[name] = value;
      }
      client.destroy();
      await kms.stop();
      await db.stop();
    },
  };
}
