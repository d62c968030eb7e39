import {
  DeletePublicKeyCommand,
  GetPublicKeyCommand,
  ImportPublicKeyCommand,
  ListPublicKeysCommand,
} from '@aws-sdk/client-ivs-realtime';
import { ed25519PublicKeyPem, expectServiceError, expectValidationError, publicKeyPem, useEmulator } from './helpers';

const t = useEmulator();

const importKey = (publicKeyMaterial: string, name?: string) => t.client.send(new ImportPublicKeyCommand({ publicKeyMaterial, name }));

describe('PublicKey CRUD', () => {
  test('imports an ECDSA P-384 key with a UUID ID and an MD5-shaped fingerprint', async () => {
    // GIVEN a P-384 public key in PEM
    const pem = publicKeyPem();
    // WHEN it is imported
    const { publicKey } = await importKey(pem, 'signer');
    // THEN the output carries the material, a fingerprint and empty tags
    expect(publicKey).toEqual({
      arn: expect.stringMatching(/^arn:aws:ivs:us-east-1:123456789012:public-key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      name: 'signer',
      publicKeyMaterial: pem,
      fingerprint: expect.stringMatching(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/),
      tags: {},
    });
  });

  test('Get returns the imported key and 404 after Delete', async () => {
    // GIVEN an imported key
    const { publicKey } = await importKey(publicKeyPem());
    const arn = publicKey!.arn;
    // WHEN it is read, deleted, read again
    const got = await t.client.send(new GetPublicKeyCommand({ arn }));
    await t.client.send(new DeletePublicKeyCommand({ arn }));
    // THEN the first read matches and the second is a 404
    expect(got.publicKey).toEqual(publicKey);
    await expectServiceError(t.client.send(new GetPublicKeyCommand({ arn })), 'ResourceNotFoundException', 404);
  });

  test('List pages through summaries without material or fingerprint', async () => {
    // GIVEN three keys
    for (let i = 0; i < 3; i++) await importKey(publicKeyPem(), `k${i}`);
    // WHEN listed two at a time
    const first = await t.client.send(new ListPublicKeysCommand({ maxResults: 2 }));
    const second = await t.client.send(new ListPublicKeysCommand({ maxResults: 2, nextToken: first.nextToken }));
    // THEN two pages hold all three, each a summary
    expect([...first.publicKeys!, ...second.publicKeys!].map((k) => k.name)).toEqual(['k0', 'k1', 'k2']);
    expect(first.publicKeys![0]).toEqual({ arn: expect.any(String), name: 'k0', tags: {} });
  });
});

describe('PublicKey material rules', () => {
  test('rejects a P-256 key', async () => {
    // GIVEN a valid PEM key on the wrong curve
    // WHEN it is imported
    const message = await expectValidationError(importKey(publicKeyPem('prime256v1')));
    // THEN the curve is reported
    expect(message).toBe('publicKeyMaterial: expected an ECDSA P-384 (secp384r1) public key, got EC prime256v1');
  });

  test('rejects a non-EC key', async () => {
    // GIVEN an Ed25519 key
    // WHEN it is imported
    // THEN ValidationException names publicKeyMaterial
    expect(await expectValidationError(importKey(ed25519PublicKeyPem()))).toContain('publicKeyMaterial: expected an ECDSA P-384');
  });

  test('rejects material that matches the PEM pattern but is not a key', async () => {
    // GIVEN a PEM envelope around garbage
    const pem = '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n';
    // WHEN it is imported
    // THEN it is reported as not a valid public key
    expect(await expectValidationError(importKey(pem))).toBe('publicKeyMaterial: the PEM block is not a valid public key');
  });

  test('rejects a second import of the same key with ConflictException', async () => {
    // GIVEN an imported key
    const pem = publicKeyPem();
    await importKey(pem);
    // WHEN it is imported again
    // THEN 409
    await expectServiceError(importKey(pem), 'ConflictException', 409);
  });
});
