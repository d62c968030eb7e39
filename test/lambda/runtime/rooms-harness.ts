import { ImportPublicKeyCommand } from '@aws-sdk/client-ivs-realtime';
import { importSPKI, JWTPayload, jwtVerify } from 'jose';
import { ROOMS_ENV } from '../../../src/runtime/stage-rooms-contract';
import { TOKEN_ISSUER_ENV } from '../../../src/runtime/token-issuer-contract';
import { createRoomsTable, LocalDynamoDb, startDynalite } from '../../dynamodb/dynalite';
import { EmulatorHarness, useEmulator } from '../../emulator/helpers';
import { KmsStub } from '../../simulator/kms';
import { loadFresh, pointClientsAt } from '../fresh-instance';

/*
 * The real parts the rooms functions run against in tests: the IVS emulator, dynalite (a real
 * DynamoDB implementation, started and stopped here), and the KMS stand-in, which signs with a
 * real P-384 key whose public half is imported into the emulator as the IVS public key. The
 * functions are loaded as a fresh Lambda instance loads them, their SDK clients pointed at these.
 */

export type Join = typeof import('../../../lambda/runtime/room-join');
export type Janitor = typeof import('../../../lambda/runtime/room-janitor');

export const ROOMS_ID = 'a1b2c3d4e5f60718';

export interface RoomsHarness extends EmulatorHarness {
  db: LocalDynamoDb;
  kms: KmsStub;
  join: Join;
  janitor: Janitor;
  /** The IVS public key whose private half signs in the KMS stand-in. */
  publicKeyArn: string;
  tableName: string;
  /** Verifies a token with jose against the public key IVS holds. */
  verify(token: string): Promise<JWTPayload>;
}

let tables = 0;

export function useRooms(env: Record<string, string> = {}): RoomsHarness {
  const t = useEmulator() as RoomsHarness;
  let keyPem: string;
  let kmsKeyArn: string;
  beforeAll(async () => {
    t.db = await startDynalite();
    t.kms = await KmsStub.start(t.emu.region, t.emu.accountId);
    kmsKeyArn = t.kms.get(t.kms.create('TokenKey', 'ECC_NIST_P384', 'SIGN_VERIFY'))!.arn;
    keyPem = t.kms.get(kmsKeyArn)!.publicKey!.export({ type: 'spki', format: 'pem' }).toString();
    pointClientsAt('AWS_ENDPOINT_URL_IVS_REALTIME', t.emu.endpoint, t.emu.region);
    pointClientsAt('AWS_ENDPOINT_URL_KMS', t.kms.endpoint, t.emu.region);
    pointClientsAt('AWS_ENDPOINT_URL_DYNAMODB', t.db.endpoint, t.emu.region);
    t.join = loadFresh<Join>('runtime/room-join');
    t.janitor = loadFresh<Janitor>('runtime/room-janitor');
    t.verify = async (token) => (await jwtVerify(token, await importSPKI(keyPem, 'ES384'), { algorithms: ['ES384'] })).payload;
  });
  beforeEach(async () => {
    // useEmulator's reset ran first: the public key goes back in, and each test gets a table of its own.
    const { publicKey } = await t.client.send(new ImportPublicKeyCommand({ publicKeyMaterial: keyPem, name: 'rooms' }));
    t.publicKeyArn = publicKey!.arn!;
    t.emu.clearRequests();
    t.tableName = `rooms-${++tables}`;
    await createRoomsTable(t.db, t.tableName);
    Object.assign(process.env, {
      [TOKEN_ISSUER_ENV.SIGNING]: 'KMS',
      [TOKEN_ISSUER_ENV.KMS_KEY_ARN]: kmsKeyArn,
      [TOKEN_ISSUER_ENV.PUBLIC_KEY_ARN]: t.publicKeyArn,
      [ROOMS_ENV.TABLE_NAME]: t.tableName,
      [ROOMS_ENV.ROOMS_ID]: ROOMS_ID,
      [ROOMS_ENV.STAGE_NAME_PREFIX]: 'room-',
      [ROOMS_ENV.STAGE_TAGS]: JSON.stringify({ app: 'classes' }),
      [ROOMS_ENV.IDLE_SECONDS]: '3600',
      [ROOMS_ENV.CLAIM_STALE_SECONDS]: '120',
      [ROOMS_ENV.CAPABILITY_POLICY]: JSON.stringify({ capabilities: ['SUBSCRIBE'], claim: 'cognito:groups', values: ['host'], granted: ['PUBLISH', 'SUBSCRIBE'] }),
      ...env,
    });
  });
  beforeEach(() => {
    // The functions log what they do (never a token): quiet here.
    for (const method of ['log', 'warn', 'error'] as const) {
      jest.spyOn(console, method).mockImplementation(() => {});
    }
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await t.db?.stop();
    await t.kms?.stop();
  });
  return t;
}

/** The stages in the emulator, as ListStages would list them. */
export function stagesOf(t: EmulatorHarness): Array<{ arn: string; name: string; tags: Record<string, string> }> {
  return t.emu.listResources().stages as Array<{ arn: string; name: string; tags: Record<string, string> }>;
}
