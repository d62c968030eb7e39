import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { GetPublicKeyCommand, GetStageCommand } from '@aws-sdk/client-ivs-realtime';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { decodeProtectedHeader, importSPKI, jwtVerify, SignJWT } from 'jose';
import { brokenTokenRules } from './token-rules';
import { ParticipantTokenIssuer, PublicKey, PublicKeyMaterial, Stage } from '../../../src';
import { JoinRefusedError } from '../../emulator';
import { useSimulator } from '../../simulator/harness';
import { synthesize } from '../../simulator/index';

/*
 * The issuer deployed with a stage and a key through the lifecycle simulator, its real bundle
 * invoked as Lambda would, its tokens checked by jose against the key IVS holds and by the
 * emulated stage when a participant joins.
 */

const t = useSimulator();

type Signing = 'kms' | 'generated' | 'api';

function issuerStack(signing: Signing) {
  return synthesize((stack: Stack) => {
    const stage = new Stage(stack, 'Stage', { stageName: 'town-hall' });
    new Stage(stack, 'Backstage');
    const signingKey = signing === 'api' ? undefined : new PublicKey(stack, 'Key', {
      publicKeyMaterial: signing === 'kms' ? PublicKeyMaterial.generateInKms() : PublicKeyMaterial.generate(),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new ParticipantTokenIssuer(stack, 'Tokens', { stages: [stage], signingKey });
  });
}

const logicalId = (prefix: string, type: string) => Object.keys(t.sim.resources)
  .find((id) => id.startsWith(prefix) && t.sim.resources[id].type === type)!;
const stageArn = (prefix = 'Stage') => t.sim.resources[logicalId(prefix, 'Custom::IvsStage')].physicalId;
const issuerId = () => logicalId('TokensFunction', 'AWS::Lambda::Function');

async function deployAndIssue(signing: Signing, request: object = {}) {
  const deployed = await t.sim.deploy(issuerStack(signing));
  expect(deployed.success).toBe(true);
  const outcome = await t.sim.invokeFunction(issuerId(), { stageArn: stageArn(), userId: 'alice', ...request });
  expect(outcome.error).toBeUndefined();
  return { ...outcome, response: outcome.result as { token: string; participantId: string } };
}

describe.each<[Signing, string]>([['kms', 'a KMS key'], ['generated', 'a generated key']])('signed with %s', (signing) => {
  test('the token verifies with jose against the public key IVS holds, and the stage lets the participant join', async () => {
    // WHEN
    const { response } = await deployAndIssue(signing, { capabilities: ['PUBLISH'] });

    // THEN
    const keyArn = decodeProtectedHeader(response.token).kid!;
    expect(keyArn).toBe(t.sim.resources[logicalId('Key', 'Custom::IvsPublicKey')].physicalId);
    const { publicKey } = await t.client.send(new GetPublicKeyCommand({ arn: keyArn }));
    const { payload } = await jwtVerify(response.token, await importSPKI(publicKey!.publicKeyMaterial!, 'ES384'), { algorithms: ['ES384'] });
    expect(payload).toMatchObject({ resource: stageArn(), jti: response.participantId, user_id: 'alice' });
    expect(t.emu.joinStage(response.token)).toMatchObject({
      participantId: response.participantId, stageArn: stageArn(), userId: 'alice', capabilities: ['PUBLISH'], publicKeyArn: keyArn,
    });
  });

  test('attributes of 1 KB of control characters, which JSON escapes six-fold into twice what KMS signs RAW, get a token that verifies', async () => {
    // GIVEN
    const attributes = { a: '\u0001'.repeat(1023) };

    // WHEN
    const { response } = await deployAndIssue(signing, { attributes });

    // THEN
    expect(response.token.split('.').slice(0, 2).join('.').length).toBeGreaterThan(2 * 4096);
    const { publicKey } = await t.client.send(new GetPublicKeyCommand({ arn: decodeProtectedHeader(response.token).kid! }));
    const { payload } = await jwtVerify(response.token, createPublicKey(publicKey!.publicKeyMaterial!), { algorithms: ['ES384'] });
    expect(payload.attributes).toEqual(attributes);
  });

  test('a user ID of 128 emoji is accepted: 128 characters, counted as the synth-time validation counts them', async () => {
    // WHEN
    const { response } = await deployAndIssue(signing, { userId: '\u{1F3A4}'.repeat(128) });

    // THEN
    expect(t.emu.joinStage(response.token)).toMatchObject({ userId: '\u{1F3A4}'.repeat(128) });
  });

  test('a request at every limit (a user ID of 128 emoji, 1 KB of control characters, 14 days) gets a token that follows every rule AWS states', async () => {
    // GIVEN attributes that JSON escapes six-fold: a signing input of about 8 KB, twice what KMS signs RAW
    const userId = '\u{1F3A4}'.repeat(128);
    const attributes = { a: '\u0001'.repeat(1023) };

    // WHEN
    const { response } = await deployAndIssue(signing, { userId, attributes, duration: 20_160 });

    // THEN
    expect(response.token.length).toBeGreaterThan(8_000);
    const { publicKey } = await t.client.send(new GetPublicKeyCommand({ arn: decodeProtectedHeader(response.token).kid! }));
    const { stage } = await t.client.send(new GetStageCommand({ arn: stageArn() }));
    expect(await brokenTokenRules(response.token, {
      stageArn: stageArn(),
      events: stage!.endpoints!.events!,
      whip: stage!.endpoints!.whip!,
      publicKey: createPublicKey(publicKey!.publicKeyMaterial!),
    })).toEqual([]);
    const { payload } = await jwtVerify(response.token, createPublicKey(publicKey!.publicKeyMaterial!), { algorithms: ['ES384'] });
    expect(payload).toMatchObject({ user_id: userId, attributes });
    expect(payload.exp! - payload.iat!).toBe(14 * 24 * 3600);
    expect(t.emu.joinStage(response.token)).toMatchObject({ participantId: response.participantId, userId });
  });

  test('a token forged under the same kid is refused when joining', async () => {
    // GIVEN
    const { response } = await deployAndIssue(signing);
    const forger = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey;
    const { payload, protectedHeader } = await jwtVerify(response.token, async () => {
      const { publicKey } = await t.client.send(new GetPublicKeyCommand({ arn: decodeProtectedHeader(response.token).kid! }));
      return importSPKI(publicKey!.publicKeyMaterial!, 'ES384');
    });
    const forged = await new SignJWT({ ...payload, user_id: 'mallory' }).setProtectedHeader(protectedHeader).sign(forger);

    // WHEN / THEN
    expect(() => t.emu.joinStage(forged)).toThrow(JoinRefusedError);
    expect(() => t.emu.joinStage(forged)).toThrow(/BAD_SIGNATURE/);
  });

  test('the issuer refuses a stage of the stack it was not given', async () => {
    // GIVEN
    await t.sim.deploy(issuerStack(signing));

    // WHEN
    const outcome = await t.sim.invokeFunction(issuerId(), { stageArn: stageArn('Backstage') });

    // THEN
    expect(outcome.error).toEqual({
      errorType: 'TokenRequestError',
      errorMessage: `stageArn must be one of the 1 stages this issuer was given, got "${stageArn('Backstage')}"`,
    });
  });

  test('neither the deploy nor the invocation logs the token or a secret value', async () => {
    // WHEN
    const { response, logs } = await deployAndIssue(signing);

    // THEN
    const all = [...t.sim.logs, ...logs].join('\n');
    for (const value of [response.token, ...response.token.split('.'), ...t.sim.sensitiveValues()]) {
      expect(all).not.toContain(value);
    }
  });
});

describe('from the API', () => {
  test('the token comes from CreateParticipantToken, and the stage lets the participant join', async () => {
    // WHEN
    const { response } = await deployAndIssue('api', { capabilities: ['SUBSCRIBE'] });

    // THEN
    expect(t.emu.requests.filter((r) => r.operation === 'CreateParticipantToken')).toHaveLength(1);
    expect(t.emu.joinStage(response.token)).toMatchObject({ participantId: response.participantId, stageArn: stageArn(), capabilities: ['SUBSCRIBE'] });
  });
});

test('the issuer makes no discovery call: no GetStage, no GetPublicKey', async () => {
  // GIVEN
  await t.sim.deploy(issuerStack('kms'));
  t.emu.clearRequests();
  const kmsRequests = t.sim.kms.requests.length;

  // WHEN
  await t.sim.invokeFunction(issuerId(), { stageArn: stageArn() });

  // THEN
  expect(t.emu.requests).toEqual([]);
  expect(t.sim.kms.requests.slice(kmsRequests).map((r) => r.operation)).toEqual(['Sign']);
});
