import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { defineAllConstructs } from './all-constructs';
import { ParticipantTokenIssuer } from '../../src';
import { TEST_ENV } from '../simulator';

/*
 * The cdk-nag setup that cdk-nag documents, `Validations.of(app).addPlugins(new AwsSolutionsChecks())`,
 * works only where aws-cdk-lib hands validation plugins the construct tree: 2.258.0 and later. On
 * older releases the plugin fails and reports nothing, and the README says to use `validateScope`
 * instead (as cdk-nag.test.ts does). This file runs in both runs: `npm test` against the floor and
 * `npx projen test:cdk-latest` against the newest aws-cdk-lib, so each side of that sentence is
 * checked by one of them.
 */

const FIRST_RELEASE_WITH_PLUGIN_TREE = [2, 258, 0];
// eslint-disable-next-line @typescript-eslint/no-require-imports
const CDK_VERSION: string = require('aws-cdk-lib/package.json').version;
const supportsPluginTree = CDK_VERSION.split('.').map(Number)
  .reduce((order, part, i) => order || Math.sign(part - FIRST_RELEASE_WITH_PLUGIN_TREE[i]), 0) >= 0;

/** A violation in either shape of the report: by construct (schema 54 on) or by template resource. */
interface ReportedViolation {
  readonly ruleName: string;
  readonly violatingConstructs?: Array<{ constructPath: string }>;
  readonly violatingResources?: Array<{ resourceLogicalId: string }>;
}

interface PluginReport {
  readonly status: string;
  readonly error?: string;
  readonly findings: string[];
}

/**
 * Synthesizes an app with the AwsSolutions pack added the documented way and returns what the
 * validation report says of it. aws-cdk-lib fails the synthesis on a finding (from 2.262.0) or
 * sets the exit code (before): both are undone here, the report is what counts.
 */
function pluginReport(define: (stack: Stack) => void): PluginReport {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-nag-plugin-'));
  const exitCode = process.exitCode;
  const app = new App({ outdir });
  Validations.of(app).addPlugins(new AwsSolutionsChecks());
  define(new Stack(app, 'Stack', { env: TEST_ENV }));
  let synthError: unknown;
  try {
    app.synth();
  } catch (error) {
    synthError = error;
  } finally {
    process.exitCode = exitCode;
  }
  const file = ['validation-report.json', 'policy-validation-report.json']
    .map((name) => path.join(outdir, name)).find((candidate) => fs.existsSync(candidate));
  if (!file) throw synthError ?? new Error(`aws-cdk-lib ${CDK_VERSION} wrote no validation report into ${outdir}`);
  const report = JSON.parse(fs.readFileSync(file, 'utf-8'));
  fs.rmSync(outdir, { recursive: true, force: true });
  // The report's shape changed with the plugin tree (schema 54): a conclusion and violations then,
  // a summary with status and metadata before.
  const [plugin] = report.pluginReports;
  const violations: ReportedViolation[] = plugin.violations ?? [];
  return {
    status: plugin.conclusion ?? plugin.summary?.status,
    error: plugin.summary?.metadata?.error,
    findings: violations.flatMap((violation) => (violation.violatingConstructs ?? violation.violatingResources ?? [])
      .map((where) => `${violation.ruleName} at ${'constructPath' in where ? where.constructPath : where.resourceLogicalId}`)),
  };
}

(supportsPluginTree ? test : test.skip)(`on aws-cdk-lib ${CDK_VERSION}, the documented plugin setup reports the application's findings and none of the library's`, () => {
  // WHEN
  const report = pluginReport((stack) => {
    defineAllConstructs(stack);
    new s3.Bucket(stack, 'Plain');
  });

  // THEN
  expect(report.status).toBe('failure');
  expect(report.findings.sort()).toEqual([
    expect.stringMatching(/^AwsSolutions-S1 at .*Plain/),
    expect.stringMatching(/^AwsSolutions-S10 at .*Plain/),
  ]);
});

(supportsPluginTree ? test : test.skip)(`on aws-cdk-lib ${CDK_VERSION}, the documented plugin setup reports nothing for a stack of every construct, a token issuer and a backend granted invoking it`, () => {
  // WHEN
  const report = pluginReport((stack) => {
    const { stage, publicKey, backend } = defineAllConstructs(stack);
    const issuer = new ParticipantTokenIssuer(stack, 'Tokens', { stages: [stage], signingKey: publicKey, functionUrl: true });
    issuer.grantInvoke(backend);
    issuer.grantInvokeUrl(backend);
  });

  // THEN
  expect(report.findings).toEqual([]);
  expect(report.status).toBe('success');
});

(supportsPluginTree ? test.skip : test)(`on aws-cdk-lib ${CDK_VERSION}, the documented plugin setup fails without the construct tree and reports nothing`, () => {
  // WHEN
  const report = pluginReport((stack) => {
    new s3.Bucket(stack, 'Plain');
  });

  // THEN
  expect(report.error).toMatch(/NagPack requires a construct tree on the validation context/);
  expect(report.findings).toEqual([]);
});
