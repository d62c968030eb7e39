import {
  CreateEncoderConfigurationCommand,
  CreateIngestConfigurationCommand,
  CreateStageCommand,
  CreateStorageConfigurationCommand,
  GetStageCommand,
  ImportPublicKeyCommand,
  ListStagesCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-ivs-realtime';
import { BUCKET, expectServiceError, expectValidationError, missingArn, publicKeyPem, useEmulator } from './helpers';

const t = useEmulator();

async function stageArn(tags?: Record<string, string>): Promise<string> {
  return (await t.client.send(new CreateStageCommand({ tags }))).stage!.arn!;
}

const listTags = async (resourceArn: string) => (await t.client.send(new ListTagsForResourceCommand({ resourceArn }))).tags;

describe('tag operations', () => {
  test('TagResource merges tags, visible in ListTagsForResource, Get and List', async () => {
    // GIVEN a stage created with one tag
    const arn = await stageArn({ a: '1' });
    // WHEN two more tags are added, one overwriting
    await t.client.send(new TagResourceCommand({ resourceArn: arn, tags: { a: '2', b: '3' } }));
    // THEN every read path sees the merged tags
    expect(await listTags(arn)).toEqual({ a: '2', b: '3' });
    expect((await t.client.send(new GetStageCommand({ arn }))).stage!.tags).toEqual({ a: '2', b: '3' });
    expect((await t.client.send(new ListStagesCommand({}))).stages![0].tags).toEqual({ a: '2', b: '3' });
  });

  test('UntagResource removes the given keys and ignores unknown ones', async () => {
    // GIVEN a stage with three tags
    const arn = await stageArn({ a: '1', b: '2', c: '3' });
    // WHEN two existing keys and one unknown key are removed
    await t.client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a', 'c', 'zzz'] }));
    // THEN only b is left
    expect(await listTags(arn)).toEqual({ b: '2' });
  });

  test('works on every resource type', async () => {
    // GIVEN one resource of each type
    t.emu.registerBucket(BUCKET);
    const arns = [
      await stageArn(),
      (await t.client.send(new CreateStorageConfigurationCommand({ s3: { bucketName: BUCKET } }))).storageConfiguration!.arn!,
      (await t.client.send(new CreateEncoderConfigurationCommand({}))).encoderConfiguration!.arn!,
      (await t.client.send(new CreateIngestConfigurationCommand({ ingestProtocol: 'RTMPS' }))).ingestConfiguration!.arn!,
      (await t.client.send(new ImportPublicKeyCommand({ publicKeyMaterial: publicKeyPem() }))).publicKey!.arn!,
    ];
    // WHEN each is tagged
    for (const resourceArn of arns) await t.client.send(new TagResourceCommand({ resourceArn, tags: { env: 'test' } }));
    // THEN each lists the tag
    for (const resourceArn of arns) expect(await listTags(resourceArn)).toEqual({ env: 'test' });
  });

  test('answers ResourceNotFoundException for a well-formed ARN that does not exist', async () => {
    // GIVEN no resources
    // WHEN tags are read, added or removed on a missing stage
    // THEN all three answer 404
    const resourceArn = missingArn('stage');
    await expectServiceError(t.client.send(new ListTagsForResourceCommand({ resourceArn })), 'ResourceNotFoundException', 404);
    await expectServiceError(t.client.send(new TagResourceCommand({ resourceArn, tags: { a: 'b' } })), 'ResourceNotFoundException', 404);
    await expectServiceError(t.client.send(new UntagResourceCommand({ resourceArn, tagKeys: ['a'] })), 'ResourceNotFoundException', 404);
  });

  test('rejects an ARN that is not an IVS Real-Time resource ARN', async () => {
    // GIVEN an S3 ARN
    // WHEN its tags are listed
    // THEN resourceArn fails its pattern
    expect(await expectValidationError(t.client.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:s3:::bucket' }))))
      .toContain('resourceArn: value "arn:aws:s3:::bucket" does not match pattern');
  });

  test('rejects tagging beyond 50 tags on a resource', async () => {
    // GIVEN a stage with 30 tags
    const initial = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, 'v']));
    const arn = await stageArn(initial);
    // WHEN 21 new tags are added
    const extra = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`x${i}`, 'v']));
    // THEN the total of 51 is rejected
    expect(await expectValidationError(t.client.send(new TagResourceCommand({ resourceArn: arn, tags: extra }))))
      .toBe('tags: the resource would have 51 tags, at most 50 are allowed');
  });

  test('rejects keys with the reserved aws: prefix', async () => {
    // GIVEN a stage
    const arn = await stageArn();
    // WHEN an aws: tag is added
    // THEN tags is named
    expect(await expectValidationError(t.client.send(new TagResourceCommand({ resourceArn: arn, tags: { 'aws:cloudformation:stack-name': 'x' } }))))
      .toContain('tags: tag key "aws:cloudformation:stack-name" uses the reserved prefix aws:');
  });

  test('UntagResource without tagKeys is rejected because tagKeys is required', async () => {
    // GIVEN a stage
    const arn = await stageArn({ a: '1' });
    // WHEN UntagResource is sent with an empty key list (the SDK then sends no tagKeys parameter)
    // THEN tagKeys is reported missing
    expect(await expectValidationError(t.client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: [] }))))
      .toBe('tagKeys: required member is missing');
  });
});

describe('seedTags (test API)', () => {
  test('puts aws:cloudformation:* tags on a resource, as CloudFormation does, past TagResource\'s rules', async () => {
    // GIVEN
    const arn = await stageArn({ a: '1' });
    // WHEN
    t.emu.seedTags(arn, { 'aws:cloudformation:stack-name': 'LegacyStack' });
    // THEN every read sees them, and no request was logged for them
    expect(await listTags(arn)).toEqual({ 'a': '1', 'aws:cloudformation:stack-name': 'LegacyStack' });
    expect(t.emu.requests.map((r) => r.operation)).toEqual(['CreateStage', 'ListTagsForResource']);
  });

  test('throws for an ARN no resource has', () => {
    // WHEN / THEN
    expect(() => t.emu.seedTags(missingArn('stage'), { a: '1' })).toThrow(/no resource has the ARN/);
  });
});
