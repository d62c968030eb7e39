import { spawn } from 'child_process';
import * as path from 'path';

/** The bundle the package's `bin` names, as `npx cdk-ivs-realtime` runs it. */
export const CLI_BUNDLE = path.join(__dirname, '..', '..', 'assets', 'cli', 'cdk-ivs-realtime', 'index.js');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI bundle in a child process, as a user would, with fake credentials and the endpoints
 * of the local IVS Real-Time emulator and CloudFormation stand-in, set the SDK's standard way
 * (AWS_ENDPOINT_URL_<SERVICE>). No AWS config or credentials file of the machine is read.
 * Asynchronous, so that servers in the calling process keep answering.
 */
export function runCli(args: string[], endpoints: { ivs: string; cloudFormation: string }): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIAEMULATOREXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'emulator-secret-access-key',
    AWS_CONFIG_FILE: path.join(__dirname, 'no-such-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(__dirname, 'no-such-aws-credentials'),
    AWS_ENDPOINT_URL_IVS_REALTIME: endpoints.ivs,
    AWS_ENDPOINT_URL_CLOUDFORMATION: endpoints.cloudFormation,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BUNDLE, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
