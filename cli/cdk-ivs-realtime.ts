/*
 * `npx cdk-ivs-realtime drift --stack NAME [--region REGION] [--profile PROFILE] [--json]`
 *
 * Compares the IVS Real-Time resources of a deployed stack with what IVS has now, with the
 * caller's AWS credentials (the SDK's standard chain). Exits 0 with no drift, 1 with drift, 2 on an
 * error. Bundled into assets/cli/cdk-ivs-realtime/index.js, which the package's `bin` names.
 */
import { parseArgs } from 'node:util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { IVSRealTimeClient } from '@aws-sdk/client-ivs-realtime';
import { DriftError, findDrift } from './drift';
import { formatReport } from './report';

export const USAGE = `Usage: cdk-ivs-realtime drift --stack NAME [--region REGION] [--profile PROFILE] [--json]

Compares each IVS Real-Time resource of a deployed stack (Stage, StorageConfiguration,
EncoderConfiguration, IngestConfiguration, PublicKey) with what IVS has now, and prints the
differences: properties, tags, deleted resources. Read-only. Uses your AWS credentials.

  --stack NAME       the stack's name or ID (required)
  --region REGION    the stack's region (default: the SDK's, e.g. AWS_REGION or the profile's)
  --profile PROFILE  a profile of your AWS config (default: AWS_PROFILE or the default profile)
  --json             print the report as JSON

Exit status: 0 no drift, 1 drift, 2 error.
`;

/** Runs the command; returns the exit status. */
export async function main(argv: string[], out: (text: string) => void, err: (text: string) => void): Promise<number> {
  let options;
  try {
    const parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        stack: { type: 'string' },
        region: { type: 'string' },
        profile: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    options = { ...parsed.values, command: parsed.positionals };
  } catch (error) {
    err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    out(USAGE);
    return 0;
  }
  if (options.command.length !== 1 || options.command[0] !== 'drift' || !options.stack) {
    err(USAGE);
    return 2;
  }

  // The profile is read the SDK's standard way, for the credentials and the region alike.
  if (options.profile) {
    process.env.AWS_PROFILE = options.profile;
  }
  const config = { region: options.region, maxAttempts: 8 };
  const clients = { cloudFormation: new CloudFormationClient(config), ivs: new IVSRealTimeClient(config) };
  try {
    const report = await findDrift(clients, options.stack);
    out(options.json ? `${JSON.stringify(report, undefined, 2)}\n` : formatReport(report));
    return report.drifted ? 1 : 0;
  } catch (error) {
    err(`cdk-ivs-realtime drift: ${describe(error)}\n`);
    return 2;
  } finally {
    clients.cloudFormation.destroy();
    clients.ivs.destroy();
  }
}

function describe(error: unknown): string {
  if (error instanceof DriftError) {
    return error.message;
  }
  const e = error as { name?: string; message?: string };
  if (e?.name === 'CredentialsProviderError') {
    return `no AWS credentials: ${e.message} (see the AWS SDK's credential chain, or pass --profile)`;
  }
  if (/region is missing/i.test(e?.message ?? '')) {
    return 'no region: pass --region or set AWS_REGION';
  }
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`;
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  void main(process.argv.slice(2), (text) => process.stdout.write(text), (text) => process.stderr.write(text))
    .then((status) => { process.exitCode = status; });
}
