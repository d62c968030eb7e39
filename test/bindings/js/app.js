// Installs as a user of the npm package would: run by test/bindings/run.sh in a directory where
// `npm install <dist/js tarball> aws-cdk-lib constructs` was run, never in this checkout. Defines a
// stage, an ingest configuration and a generated public key, synthesizes, and checks the template
// and that the handler asset came from the installed package. Exits non-zero on the first mismatch.
const fs = require('fs');
const os = require('os');
const path = require('path');
const cdk = require('aws-cdk-lib');
const ivs = require('cdk-ivs-realtime');

function expectEqual(what, actual, expected) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bindings-js-'));
const app = new cdk.App({ outdir });
const stack = new cdk.Stack(app, 'BindingsStack');
const stage = new ivs.Stage(stack, 'Stage', { stageName: 'bindings-stage' });
new ivs.IngestConfiguration(stack, 'Encoder', {
  ingestProtocol: ivs.IngestProtocol.RTMPS,
  stage,
  ingestConfigurationName: 'bindings-encoder',
});
new ivs.PublicKey(stack, 'TokenKey', { publicKeyMaterial: ivs.PublicKeyMaterial.generate() });
const assembly = app.synth();

const template = assembly.getStackByName('BindingsStack').template;
const byType = (type) => Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
expectEqual('Custom::IvsStage count', byType('Custom::IvsStage').length, 1);
expectEqual('Custom::IvsStage Name', byType('Custom::IvsStage')[0][1].Properties.Name, 'bindings-stage');
expectEqual('Custom::IvsIngestConfiguration StageArn',
  byType('Custom::IvsIngestConfiguration')[0][1].Properties.StageArn, { 'Fn::GetAtt': [byType('Custom::IvsStage')[0][0], 'Arn'] });
expectEqual('Custom::IvsPublicKey count', byType('Custom::IvsPublicKey').length, 1);

// The handler code is the bundle shipped inside the package: its asset must be in the assembly.
const bundles = fs.readdirSync(outdir)
  .filter((entry) => entry.startsWith('asset.') && fs.existsSync(path.join(outdir, entry, 'index.js')));
if (bundles.length === 0) throw new Error(`no handler asset with an index.js in ${outdir}`);
const installed = path.dirname(require.resolve('cdk-ivs-realtime/package.json'));
expectEqual('handler asset', fs.readFileSync(path.join(outdir, bundles[0], 'index.js'), 'utf-8'),
  fs.readFileSync(path.join(installed, 'assets', 'lambda', 'handler', 'index.js'), 'utf-8'));

fs.rmSync(outdir, { recursive: true, force: true });
console.log('js: the template and the handler asset are as expected');
