import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { CreateParticipantTokenCommand, CreateStageCommand, DeletePublicKeyCommand, ImportPublicKeyCommand } from '@aws-sdk/client-ivs-realtime';
import { SignJWT } from 'jose';
import { useEmulator } from './helpers';
import { JoinRefusedError } from './index';

const t = useEmulator();

const pair = () => generateKeyPairSync('ec', { namedCurve: 'secp384r1' });

async function newStage() {
  const { stage } = await t.client.send(new CreateStageCommand({ name: 'room' }));
  return stage!;
}

async function importKey(publicKey: KeyObject): Promise<string> {
  const { publicKey: imported } = await t.client.send(new ImportPublicKeyCommand({
    publicKeyMaterial: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  }));
  return imported!.arn!;
}

/** A self-signed token as AWS's samples make them, signed by an independent library. */
type StageLike = { arn?: string; endpoints?: { events?: string; whip?: string } };

function selfSigned(privateKey: KeyObject, kid: string, stage: StageLike, overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    exp: now + 600,
    iat: now,
    jti: 'participant123',
    resource: stage.arn,
    topic: stage.arn!.split('/')[1],
    events_url: stage.endpoints?.events,
    whip_url: stage.endpoints?.whip,
    capabilities: { allow_publish: true, allow_subscribe: false },
    user_id: 'alice',
    attributes: { seat: '12' },
    version: '1.0',
    ...overrides,
  }).setProtectedHeader({ alg: 'ES384', typ: 'JWT', kid }).sign(privateKey);
}

function refusal(token: string, stageArn?: string): JoinRefusedError {
  try {
    t.emu.joinStage(token, stageArn);
  } catch (error) {
    expect(error).toBeInstanceOf(JoinRefusedError);
    expect((error as Error).message).not.toContain(token);
    return error as JoinRefusedError;
  }
  throw new Error('the stage let the participant join');
}

describe('joining a stage', () => {
  test('a self-signed token verified by the imported public key its kid names lets the participant join', async () => {
    // GIVEN
    const stage = await newStage();
    const keys = pair();
    const keyArn = await importKey(keys.publicKey);

    // WHEN
    const participant = t.emu.joinStage(await selfSigned(keys.privateKey, keyArn, stage));

    // THEN
    expect(participant).toEqual({
      participantId: 'participant123',
      stageArn: stage.arn,
      userId: 'alice',
      capabilities: ['PUBLISH'],
      attributes: { seat: '12' },
      publicKeyArn: keyArn,
    });
    expect(t.emu.participants(stage.arn)).toEqual([participant]);
  });

  test('a token from CreateParticipantToken lets the participant join, with its capabilities', async () => {
    // GIVEN
    const stage = await newStage();
    const { participantToken } = await t.client.send(new CreateParticipantTokenCommand({ stageArn: stage.arn, userId: 'bob', capabilities: ['SUBSCRIBE'] }));

    // WHEN
    const participant = t.emu.joinStage(participantToken!.token!);

    // THEN
    expect(participant).toMatchObject({ participantId: participantToken!.participantId, stageArn: stage.arn, userId: 'bob', capabilities: ['SUBSCRIBE'] });
    expect(participant.publicKeyArn).toBeUndefined();
  });
});

describe('tokens a stage refuses', () => {
  test('one signed by another key than the one its kid names (a forgery)', async () => {
    // GIVEN
    const stage = await newStage();
    const keyArn = await importKey(pair().publicKey);

    // WHEN
    const error = refusal(await selfSigned(pair().privateKey, keyArn, stage));

    // THEN
    expect(error.reason).toBe('BAD_SIGNATURE');
    expect(t.emu.participants()).toEqual([]);
  });

  test('one whose kid names no imported key, or a key since deleted', async () => {
    // GIVEN
    const stage = await newStage();
    const keys = pair();
    const keyArn = await importKey(keys.publicKey);
    const token = await selfSigned(keys.privateKey, keyArn, stage);
    await t.client.send(new DeletePublicKeyCommand({ arn: keyArn }));

    // WHEN / THEN
    expect(refusal(token).reason).toBe('UNKNOWN_KEY');
  });

  test('one for a stage that does not exist', async () => {
    // GIVEN
    const stage = await newStage();
    const keys = pair();
    const keyArn = await importKey(keys.publicKey);
    const other = { arn: stage.arn!.replace(/\/\w+$/, '/NoSuchStage1'), endpoints: stage.endpoints };

    // WHEN / THEN
    expect(refusal(await selfSigned(keys.privateKey, keyArn, other)).reason).toBe('UNKNOWN_STAGE');
  });

  test('one whose topic is another stage\'s', async () => {
    // GIVEN
    const stage = await newStage();
    const other = await newStage();
    const keys = pair();
    const keyArn = await importKey(keys.publicKey);

    // WHEN / THEN
    expect(refusal(await selfSigned(keys.privateKey, keyArn, stage, { topic: other.arn!.split('/')[1] })).reason).toBe('TOPIC_MISMATCH');
  });

  test('one for another stage than the one the participant joins', async () => {
    // GIVEN
    const stage = await newStage();
    const other = await newStage();
    const keys = pair();
    const keyArn = await importKey(keys.publicKey);
    const token = await selfSigned(keys.privateKey, keyArn, stage);

    // WHEN / THEN
    expect(refusal(token, other.arn).reason).toBe('OTHER_STAGE');
    expect(t.emu.joinStage(token, stage.arn).stageArn).toBe(stage.arn);
  });

  test('one that has expired', async () => {
    // GIVEN
    const stage = await newStage();
    const keys = pair();
    const keyArn = await importKey(keys.publicKey);

    // WHEN / THEN
    expect(refusal(await selfSigned(keys.privateKey, keyArn, stage, { exp: Math.floor(Date.now() / 1000) - 1 })).reason).toBe('EXPIRED');
  });

  test('one with its claims changed after signing', async () => {
    // GIVEN
    const stage = await newStage();
    const keys = pair();
    const keyArn = await importKey(keys.publicKey);
    const [header, , signature] = (await selfSigned(keys.privateKey, keyArn, stage)).split('.');
    const claims = Buffer.from(JSON.stringify({ resource: stage.arn, topic: stage.arn!.split('/')[1], exp: 9999999999, capabilities: { allow_publish: true } })).toString('base64url');

    // WHEN / THEN
    expect(refusal(`${header}.${claims}.${signature}`).reason).toBe('BAD_SIGNATURE');
  });

  test('one that is not a JWT', () => {
    expect(refusal('not.a.token').reason).toBe('MALFORMED');
  });
});
