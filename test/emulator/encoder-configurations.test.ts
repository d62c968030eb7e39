import {
  CreateEncoderConfigurationCommand,
  CreateStageCommand,
  DeleteEncoderConfigurationCommand,
  GetEncoderConfigurationCommand,
  ListEncoderConfigurationsCommand,
  StartCompositionCommand,
} from '@aws-sdk/client-ivs-realtime';
import { expectServiceError, expectValidationError, useEmulator } from './helpers';

const t = useEmulator();

describe('EncoderConfiguration CRUD', () => {
  test('applies the documented video defaults', async () => {
    // GIVEN an encoder configuration request without video
    // WHEN it is created
    const out = await t.client.send(new CreateEncoderConfigurationCommand({ name: 'enc' }));
    // THEN 1280x720, 30 fps, 2.5 Mbps are filled in
    expect(out.encoderConfiguration).toEqual({
      arn: expect.stringMatching(/^arn:aws:ivs:us-east-1:123456789012:encoder-configuration\/[a-zA-Z0-9]{12}$/),
      name: 'enc',
      video: { width: 1280, height: 720, framerate: 30, bitrate: 2500000 },
      tags: {},
    });
  });

  test('keeps given video values, including a fractional framerate', async () => {
    // GIVEN partial video settings
    // WHEN the configuration is created
    const out = await t.client.send(new CreateEncoderConfigurationCommand({ video: { width: 1920, height: 1080, framerate: 29.97 } }));
    // THEN they override the defaults and bitrate keeps its default
    expect(out.encoderConfiguration!.video).toEqual({ width: 1920, height: 1080, framerate: 29.97, bitrate: 2500000 });
  });

  test('Get returns the created configuration and 404 after Delete', async () => {
    // GIVEN an encoder configuration
    const { encoderConfiguration } = await t.client.send(new CreateEncoderConfigurationCommand({}));
    const arn = encoderConfiguration!.arn;
    // WHEN it is read, deleted and read again
    const got = await t.client.send(new GetEncoderConfigurationCommand({ arn }));
    await t.client.send(new DeleteEncoderConfigurationCommand({ arn }));
    // THEN the first read matches and the second is a 404
    expect(got.encoderConfiguration).toEqual(encoderConfiguration);
    await expectServiceError(t.client.send(new GetEncoderConfigurationCommand({ arn })), 'ResourceNotFoundException', 404);
  });

  test('List pages through configurations and omits video from the summary', async () => {
    // GIVEN three encoder configurations
    for (let i = 0; i < 3; i++) await t.client.send(new CreateEncoderConfigurationCommand({ name: `e${i}` }));
    // WHEN they are listed two at a time
    const first = await t.client.send(new ListEncoderConfigurationsCommand({ maxResults: 2 }));
    const second = await t.client.send(new ListEncoderConfigurationsCommand({ maxResults: 2, nextToken: first.nextToken }));
    // THEN both pages together hold all three summaries without video
    expect([...first.encoderConfigurations!, ...second.encoderConfigurations!].map((c) => c.name)).toEqual(['e0', 'e1', 'e2']);
    expect(first.encoderConfigurations![0]).toEqual({ arn: expect.any(String), name: 'e0', tags: {} });
  });
});

describe('EncoderConfiguration video rules', () => {
  test('rejects an odd width', async () => {
    // GIVEN an odd width within the modelled range
    // WHEN the configuration is created
    const message = await expectValidationError(t.client.send(new CreateEncoderConfigurationCommand({ video: { width: 1281, height: 720 } })));
    // THEN video.width is named
    expect(message).toBe('video.width: must be even, got 1281');
  });

  test('rejects a frame larger than 1920x1080 even when each side is in range', async () => {
    // GIVEN 1920x1920, inside the per-field ranges
    // WHEN the configuration is created
    const message = await expectValidationError(t.client.send(new CreateEncoderConfigurationCommand({ video: { width: 1920, height: 1920 } })));
    // THEN the area rule is reported
    expect(message).toContain('video: width x height is 3686400');
  });

  test('accepts portrait 1080x1920', async () => {
    // GIVEN a portrait frame of exactly 2,073,600 pixels
    // WHEN the configuration is created
    const out = await t.client.send(new CreateEncoderConfigurationCommand({ video: { width: 1080, height: 1920 } }));
    // THEN it is accepted
    expect(out.encoderConfiguration!.video).toMatchObject({ width: 1080, height: 1920 });
  });
});

describe('EncoderConfiguration in use by a composition', () => {
  test('cannot be deleted while a composition uses it', async () => {
    // GIVEN a composition streaming to a channel with the encoder configuration
    const { encoderConfiguration } = await t.client.send(new CreateEncoderConfigurationCommand({}));
    const { stage } = await t.client.send(new CreateStageCommand({}));
    await t.client.send(new StartCompositionCommand({
      stageArn: stage!.arn,
      destinations: [{ channel: { channelArn: 'arn:aws:ivs:us-east-1:123456789012:channel/AbCdEfGh1234', encoderConfigurationArn: encoderConfiguration!.arn } }],
    }));
    // WHEN the encoder configuration is deleted
    // THEN ConflictException
    await expectServiceError(t.client.send(new DeleteEncoderConfigurationCommand({ arn: encoderConfiguration!.arn })), 'ConflictException', 409);
  });
});
