import { CreateStageCommand } from '@aws-sdk/client-ivs-realtime';
import { TOKEN_ISSUER_ENV } from '../../../src/runtime/token-issuer-contract';
import { useEmulator } from '../../emulator/helpers';
import { loadFresh, pointClientsAt } from '../fresh-instance';

/*
 * The token issuer's IVS client against the local IVS emulator: a caller waits on a token, so a
 * call that stalls is cut at the request timeout and tried again rather than waited out.
 */

type Issuer = typeof import('../../../lambda/runtime/token-issuer');

const t = useEmulator();

beforeAll(() => pointClientsAt('AWS_ENDPOINT_URL_IVS_REALTIME', t.emu.endpoint, t.emu.region));

/** The issuer as a fresh Lambda instance has it: its clients are created when its module loads. */
const givenTheIssuer = () => loadFresh<Issuer>('runtime/token-issuer');

test('a CreateParticipantToken that stalls is cut at the 5-second request timeout and tried again', async () => {
  // GIVEN a stage, and a token call that stalls once for 15 seconds
  const { stage } = await t.client.send(new CreateStageCommand({ name: 'town-hall' }));
  const config = { [TOKEN_ISSUER_ENV.SIGNING]: 'API', [TOKEN_ISSUER_ENV.STAGES]: JSON.stringify([{ arn: stage!.arn }]) };
  t.emu.injectFault({ kind: 'latency', operation: 'CreateParticipantToken', ms: 15_000, times: 1 });
  const issuer = givenTheIssuer();

  // WHEN
  const response = await issuer.issueToken(issuer.readConfig(config), { stageArn: stage!.arn });

  // THEN
  expect(response.token).toBeDefined();
  // two requests: the first was cut and tried again (uncut, it would have answered after its 15 s, the only request)
  expect(t.emu.requests.filter((request) => request.operation === 'CreateParticipantToken')).toHaveLength(2);
}, 30_000);
