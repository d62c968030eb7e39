import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import type { Template } from './types';

/** What the simulator deploys: a template and the file assets its Lambda functions' code lives in. */
export interface DeployableStack {
  readonly stackName: string;
  /** The account and region the template was synthesized for, when it names them. */
  readonly account?: string;
  readonly region?: string;
  readonly template: Template;
  /**
   * The directory holding the code that a Lambda function's `Code.S3Key` points to (the
   * `asset.<hash>` directory of the cloud assembly), or undefined when no file asset has that key.
   */
  codeDirectory(s3Key: string): string | undefined;
}

/** Reads a synthesized stack: its template, and its asset manifest to find function code. */
export function deployableStack(artifact: cxapi.CloudFormationStackArtifact): DeployableStack {
  const directories = new Map<string, string>();
  for (const manifest of artifact.dependencies.filter(cxapi.AssetManifestArtifact.isAssetManifestArtifact)) {
    const manifestDirectory = path.dirname(manifest.file);
    for (const asset of Object.values(manifest.contents.files ?? {})) {
      if (asset.source.packaging !== 'zip' || asset.source.path === undefined) {
        continue;
      }
      for (const destination of Object.values(asset.destinations)) {
        directories.set(destination.objectKey, path.resolve(manifestDirectory, asset.source.path));
      }
    }
  }
  const known = (value: string) => (cxapi.UNKNOWN_ACCOUNT === value || cxapi.UNKNOWN_REGION === value ? undefined : value);
  return {
    stackName: artifact.stackName,
    account: known(artifact.environment.account),
    region: known(artifact.environment.region),
    template: artifact.template as Template,
    codeDirectory: (s3Key) => directories.get(s3Key),
  };
}

/** The account and region of the emulator's defaults, which synthesized test stacks use. */
export const TEST_ENV = { account: '123456789012', region: 'us-east-1' } as const;

/** The cloud assemblies `synthesize` wrote, each holding a copy of every handler bundle. */
const synthesized: string[] = [];

/**
 * Synthesizes one stack into a fresh temporary cloud assembly and returns its artifact.
 * `define` adds constructs to the stack, which is created in `TEST_ENV` unless told otherwise.
 */
export function synthesize(
  define: (stack: Stack) => void,
  options: { readonly stackName?: string; readonly env?: { account: string; region: string } } = {},
): cxapi.CloudFormationStackArtifact {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ivs-sim-assembly-'));
  synthesized.push(outdir);
  const app = new App({ outdir });
  const stack = new Stack(app, options.stackName ?? 'SimulatedStack', { env: options.env ?? TEST_ENV });
  define(stack);
  return app.synth().getStackArtifact(stack.artifactId);
}

/** Removes every cloud assembly `synthesize` wrote. */
export function removeSynthesized(): void {
  for (const outdir of synthesized.splice(0)) {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
