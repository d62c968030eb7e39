/*
 * Synthesizes the example app into examples/cdk.out and prints what it would deploy.
 * Run with `npx projen synth:example`.
 */
import * as path from 'path';
import { exampleApp } from './app';

const outdir = path.join(__dirname, 'cdk.out');
const { app, stack } = exampleApp({}, outdir);
const assembly = app.synth();
const template = assembly.getStackByName(stack.stackName).template as {
  Resources: Record<string, { Type: string; Properties?: Record<string, any> }>;
};

const rows = Object.entries(template.Resources).map(([logicalId, resource]) => [
  logicalId,
  resource.Type,
  describe(resource.Type, resource.Properties ?? {}),
]);
const widths = [0, 1].map((i) => Math.max(...rows.map((row) => row[i].length), 12));
const line = (cells: string[]) => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell)).join('  ');

console.log(`Stack ${stack.stackName} (${stack.account}/${stack.region}) would deploy ${rows.length} resources:\n`);
console.log(line(['Logical ID', 'Type', 'Details']));
console.log(line(widths.map((w) => '-'.repeat(w)).concat('-------')));
rows.forEach((row) => console.log(line(row)));
console.log(`\nCloud assembly written to ${path.relative(process.cwd(), outdir)}`);

function describe(type: string, props: Record<string, any>): string {
  switch (type) {
    case 'Custom::IvsStage':
      return `name=${props.Name} recording=${props.AutoParticipantRecordingConfiguration ? 'on' : 'off'} tags=${tagsOf(props)}`;
    case 'Custom::IvsStorageConfiguration':
    case 'Custom::IvsEncoderConfiguration':
    case 'Custom::IvsIngestConfiguration':
    case 'Custom::IvsPublicKey':
      return `name=${props.Name} tags=${tagsOf(props)}`;
    case 'AWS::Lambda::Function':
      return `runtime=${props.Runtime} timeout=${props.Timeout ?? 3}s`;
    case 'AWS::IAM::Policy':
      return (props.PolicyDocument.Statement as any[]).map((s) => [s.Action].flat().join(',')).join('; ');
    default:
      return '';
  }
}

function tagsOf(props: Record<string, any>): string {
  return Object.entries(props.Tags ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '-';
}
