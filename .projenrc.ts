import { awscdk, javascript } from 'projen';

/**
 * The oldest aws-cdk-lib the library supports and is tested against (projen pins the dev
 * dependency to it). 2.257.0 is the first release with core `Validations` acknowledgments,
 * which cdk-nag 3 relies on; `CustomResource.serviceTimeout` and the
 * `CfnFunction.loggingConfig` the handlers use are older.
 */
const CDK_VERSION = '2.257.0';


const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-ivs-realtime',
  description:
    'AWS CDK L2 constructs for Amazon IVS Real-Time: Stage, StorageConfiguration, EncoderConfiguration, IngestConfiguration and PublicKey',
  keywords: ['cdk', 'aws-cdk', 'awscdk', 'ivs', 'ivs-realtime', 'video', 'webrtc'],
  license: 'Apache-2.0',
  author: 'cdk-ivs-realtime developers',
  authorAddress: 'dev@cdk-ivs-realtime.local',
  repositoryUrl: 'https://github.com/cdk-ivs-realtime/cdk-ivs-realtime.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',
  stability: 'experimental',

  cdkVersion: CDK_VERSION,
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',

  // Every target stays configured so that the jsii assembly is checked for all of them.
  publishToPypi: {
    distName: 'cdk-ivs-realtime',
    module: 'cdk_ivs_realtime',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkivsrealtime',
    mavenGroupId: 'io.github.cdkivsrealtime',
    mavenArtifactId: 'cdk-ivs-realtime',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkIvsRealtime',
    packageId: 'CdkIvsRealtime',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-ivs-realtime/cdk-ivs-realtime-go',
  },

  // The project is not hosted on GitHub: no workflows, no mergify, no release automation.
  github: false,
  release: false,

  // Handlers are bundled explicitly below and wired as one function per stack and resource type
  // (src/custom-resources/ivs-handler-provider.ts), not through projen-generated constructs.
  lambdaAutoDiscover: false,

  devDeps: [
    // Asks CloudFormation whether it cancelled a create while the handler was making the resource.
    '@aws-sdk/client-cloudformation@^3.1058.0',
    // The composer announces a complete composite recording on the default event bus.
    '@aws-sdk/client-eventbridge@3.1058.0',
    // The rooms table of StageRooms, read and written by its join and janitor functions.
    '@aws-sdk/client-dynamodb@^3.1058.0',
    '@aws-sdk/client-ivs-realtime@^3.1058.0',
    '@aws-sdk/client-kms@^3.1058.0',
    '@aws-sdk/client-secrets-manager@^3.1058.0',
    '@types/aws-lambda',
    'aws-sdk-client-mock@^4.1.0',
    'aws-sdk-client-mock-jest@^4.1.0',
    'cdk-nag@^3',
    // Shows (test/constructs/ivs-realtime-dashboard-monitoring.test.ts) that a MonitoringFacade of
    // cdk-monitoring-constructs takes the library's metrics; not a dependency of the library.
    'cdk-monitoring-constructs@^10',
    // Draws the example app's architecture for the README from its cloud assembly (docs:pictures),
    // with graphviz's dot from Debian.
    'cdk-dia@^0.12.3',
    // Signs participant tokens in the token issuer bundle, and verifies them in tests.
    'jose@^5',
    // Turns the DER signature KMS returns into the JOSE r||s form a JWT carries.
    'ecdsa-sig-formatter@^1.0.11',
    // The KMS stand-in signs digests (MessageType DIGEST) as KMS does: node:crypto always hashes
    // what it signs. 1.x: 2.x is ESM only, which Jest's CommonJS runtime cannot load.
    '@noble/curves@^1.9.6',
    // A real DynamoDB implementation (LevelDB in memory) that the rooms tests start and stop themselves.
    'dynalite@^4.0.0',
    // Mutation testing (`npm run mutation`, stryker.config.mjs). The three move in lockstep: each
    // plugin requires the exact core version. 9.x: Stryker 10 needs Node.js 22.
    '@stryker-mutator/core@9.6.1',
    '@stryker-mutator/jest-runner@9.6.1',
    '@stryker-mutator/typescript-checker@9.6.1',
  ],

  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'lambda', 'cli', 'examples', 'bench', 'build-tools', 'projenrc', '.projenrc.ts'],
  },
  // .scanners-venv/: the checkov and cfn-lint virtualenv of .ci/scan-templates.
  // reports/: mutation-testing reports; .stryker-tmp/: Stryker's sandboxes (see stryker.config.mjs).
  gitignore: ['cdk.out/', '.scanners-venv/', '/reports/', '.stryker-tmp/'],
  jestOptions: {
    // Snapshots are checked, never silently rewritten; update them with `npx projen test -u`.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    // Stryker's sandboxes (`npm run mutation`) are copies of the project: a test run beside one
    // must not see their package.json and modules.
    jestConfig: {
      modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
      // The throttled bursts run alone, in test:burst and test:rooms-burst.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/lambda/throttled-burst.test.ts', '<rootDir>/test/lambda/runtime/room-join.concurrency.test.ts'],
      // A budget, not an expectation: the tests that deploy through the simulator load the handler
      // bundle and start stand-ins, which outlasted jest's default 5 s on a loaded machine (a
      // contract test failed so in a full run). No test asserts an order by how long things take.
      testTimeout: 60_000,
      // Coverage made the suite half as slow again, and nothing reads it (mutation testing,
      // `npm run mutation`, is what measures the tests): `npx jest --coverage` when wanted.
      collectCoverage: false,
    },
  },
});

// lambda/, cli/, examples/ and bench/ are type-checked and linted like test/, each with its own tsconfig.
for (const dir of ['lambda', 'cli', 'examples', 'bench']) {
  new javascript.TypescriptConfig(project, {
    fileName: `${dir}/tsconfig.json`,
    extends: javascript.TypescriptConfigExtends.fromPaths(['../tsconfig.json']),
    compilerOptions: { rootDir: '..', noEmit: true, isolatedModules: true },
    include: ['**/*.ts'],
  });
}

project.addPackageIgnore('/lambda/');
project.addPackageIgnore('/cli/');
project.addPackageIgnore('/examples/');
project.addPackageIgnore('/bench/');
project.addPackageIgnore('/.ci/');
project.addPackageIgnore('/.scanners-venv/');
project.addPackageIgnore('/.jsii.tabl.json');
project.addPackageIgnore('cdk.out/');
// Nothing of the build's own ships (test/package.test.ts lists the tarball): the mutation-testing
// configuration and reports, the build scripts, the rosetta fixtures, logs, and the docs written for
// the project's developers. The user docs the README links to ship beside it.
for (const pattern of [
  '/stryker.config.mjs',
  '/stryker.jest.config.js',
  '/.stryker-tmp/',
  '/reports/',
  '/build-tools/',
  '/rosetta/',
  '*.log',
  '/docs/development.md',
  '/docs/mutation-testing.md',
  '/test-reports/',
]) {
  project.addPackageIgnore(pattern);
}

// Both bundles are minified and take the AWS SDK's ES module builds, which esbuild can tree-shake:
// the CommonJS ones pull in every protocol the SDK has (CBOR, XML, query) and a browser user-agent
// parser, a third of the bundle. Those builds load Node built-ins with import(); as require() they
// also load where dynamic import is unavailable, such as the vm contexts that Jest runs the
// lifecycle tests in. The SDK is bundled, not taken from the Lambda runtime, because the runtime's
// copy lags the IVS Real-Time API and silently drops fields it does not know.
// The target is the oldest Node.js runtime the functions can be given: the newest runtime aws-cdk-lib
// lists for a region is nodejs22.x or later from the floor on, and a pinned one must be too
// (OLDEST_NODE_MAJOR in src/private/lambda-runtime.ts; test/private/lambda-runtime.test.ts checks both agree).
const BUNDLE_OPTIONS: javascript.AddBundleOptions = {
  platform: 'node',
  target: 'node22',
  minify: true,
  externals: [],
  mainFields: ['module', 'main'],
  esbuildArgs: { '--supported:dynamic-import': 'false' },
  watchTask: false,
};

// One bundle serves every handler: the AWS SDK makes up almost all of its size, so separate
// bundles would ship the SDK once per resource type. Each resource type still gets its own Lambda
// function and role.
project.bundler.addBundle('lambda/handler.ts', BUNDLE_OPTIONS);

// The participant token issuer is a run-time function, not a lifecycle handler: a bundle of its
// own, so that neither pays for the other's code.
project.bundler.addBundle('lambda/runtime/token-issuer.ts', BUNDLE_OPTIONS);
// The stage composer (StageComposition): a run-time function too, with the IVS client only.
project.bundler.addBundle('lambda/runtime/composer.ts', BUNDLE_OPTIONS);

// The command-line tool (`npx cdk-ivs-realtime drift`), run by users with their own credentials: a
// bundle too, like the handlers, so that the AWS SDK clients it needs stay build-time dependencies
// (bundled dependencies in a jsii library are awkward) and a consumer installs nothing more. The
// package's `bin` points at the bundle.
const cliBundle = project.bundler.addBundle('cli/cdk-ivs-realtime.ts', {
  ...BUNDLE_OPTIONS,
  banner: '#!/usr/bin/env node',
  executable: true,
});
project.addBins({ 'cdk-ivs-realtime': cliBundle.outfile });

// Rooms on demand (StageRooms): the join function, and the janitor that deletes idle rooms' stages.
project.bundler.addBundle('lambda/runtime/room-join.ts', BUNDLE_OPTIONS);
project.bundler.addBundle('lambda/runtime/room-janitor.ts', BUNDLE_OPTIONS);

// The run-time functions (lambda/runtime/) and the lifecycle handlers (lambda/) share no code:
// each side reads only its own contracts in src/, never the constructs, so that a reader knows
// which code runs while CloudFormation deploys and which while users are on stage.
project.eslint?.addRules({
  'import/no-restricted-paths': ['error', {
    zones: [
      { target: './lambda/runtime', from: './lambda', except: ['./runtime'], message: 'run-time functions do not import the lifecycle handlers' },
      // The lifecycle handlers are lambda/*.ts; the run-time functions in lambda/runtime/ may share modules among themselves.
      { target: './lambda/*.ts', from: './lambda/runtime', message: 'lifecycle handlers do not import the run-time functions' },
      { target: './lambda', from: './src/constructs', message: 'functions read their contracts in src/, never the constructs' },
      // The CLI decodes properties as the handlers do (lambda/decode.ts), but loads no handler module:
      // they make clients and read the Lambda environment when they load.
      { target: './cli', from: './lambda', except: ['./decode.ts'], message: 'the CLI reuses the handlers\' decoding only, never a handler module' },
      { target: './cli', from: './src/constructs', message: 'the CLI reads the contracts in src/, never the constructs' },
    ],
  }],
});

// ts-jest only transpiles (isolatedModules), so tests, handlers, the examples and the bench are
// type-checked on their own before the tests run: a test that passes a prop that does not exist
// would otherwise go unnoticed.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check test/, lambda/, cli/, examples/ and bench/ (jsii checks src/)',
  steps: ['test', 'lambda', 'cli', 'examples', 'bench'].map((dir) => ({ exec: `tsc --noEmit -p ${dir}/tsconfig.json` })),
});
project.testTask.prependSpawn(typecheck);

// Beside the bundle, aws-cdk-lib's custom-resource response wrapper, behind which the function's
// handler (`__entrypoint__.handler`, lambda/entrypoint.ts) is: the wrapper answers CloudFormation
// exactly once, SUCCESS with what the bundle returns or FAILED with what it throws. Copied from the
// aws-cdk-lib the library is built with, as the core CustomResourceProvider copies it at synth, so
// that the function's code is the same whichever aws-cdk-lib a consumer has. The entry point in
// front of it gives a failed create a physical ID of the library's own, whose Delete the wrapper
// passes on to the handler instead of answering it itself (lambda/failed-create.ts).
project.tasks.tryFind('bundle:lambda/handler')!.exec(
  'cp node_modules/aws-cdk-lib/custom-resource-handlers/dist/core/nodejs-entrypoint-handler/index.js assets/lambda/handler/cdk-response-wrapper.js',
);
project.tasks.tryFind('bundle:lambda/handler')!.exec(
  'esbuild --bundle lambda/entrypoint.ts --target=node22 --platform=node --outfile=assets/lambda/handler/__entrypoint__.js --minify '
  + '--external:./cdk-response-wrapper.js',
);

// Construct tests need the bundle on disk (the handlers' code asset reads it), so testing
// always bundles first; esbuild takes about a second.
project.testTask.prependSpawn(project.bundler.bundleTask);

project.addTask('synth:example', {
  description: 'Synthesize the example app in examples/ and print what it would deploy',
  steps: [
    { spawn: project.bundler.bundleTask.name },
    { exec: 'ts-node --project examples/tsconfig.json examples/synth.ts' },
  ],
});

project.addTask('demo', {
  description: 'Deploy, update and destroy the example app against the local IVS Real-Time emulator, through the lifecycle simulator',
  steps: [
    { spawn: project.bundler.bundleTask.name },
    { exec: 'ts-node --project examples/tsconfig.json examples/demo.ts' },
  ],
});

project.addTask('bench', {
  description: 'Measure synth time, template size, bundle and package size, API calls per lifecycle operation and handler load time; writes bench/results.json',
  // Compiled first, so that the tarball it measures holds lib/ and .jsii, as a published one does.
  steps: [
    { spawn: project.bundler.bundleTask.name },
    { spawn: project.compileTask.name },
    { exec: 'ts-node --project bench/tsconfig.json bench/run.ts' },
  ],
});

// The README's pictures, drawn from the example app, never by hand (examples/pictures.ts):
// the dashboard from its synthesized dashboard body, the architecture by cdk-dia from the cloud
// assembly (needs graphviz: `apt-get install graphviz`). `--check` compares instead of writing.
project.addTask('docs:pictures', {
  description: 'Draw docs/images/dashboard.svg and docs/images/example-app.svg from the example app (needs graphviz)',
  steps: [
    { spawn: project.bundler.bundleTask.name },
    { exec: 'ts-node --project examples/tsconfig.json examples/pictures.ts', receiveArgs: true },
  ],
});

// Every README and doc-comment example must compile against the assembly, with the fixtures in
// rosetta/. Needs a compiled .jsii; writes the translations to .jsii.tabl.json.
project.gitignore.exclude('/.jsii.tabl.json');
const rosettaExtract = project.addTask('rosetta:extract', {
  description: 'Compile every README and doc-comment example in strict mode and translate it to every language (after compile)',
  steps: [{ exec: 'jsii-rosetta extract --strict' }],
});

// Each language package takes its README and doc-comment examples from the rosetta tablet, so that
// Python users read Python and Java users read Java; a snippet missing from the tablet fails the
// build instead of shipping as TypeScript. Extracting again reuses the tablet's translations of
// unchanged snippets, so it takes a second or two.
const TABLET_ARGS = '--rosetta-tablet .jsii.tabl.json --rosetta-unknown-snippets fail';
const PACKAGE_COMMANDS: Record<string, string[]> = {
  // The usual local Maven repository: by default pacmak gives Maven a new empty one each time, and
  // downloads aws-cdk-lib (100 MB) again.
  'package:java': [`jsii-pacmak -v --target java ${TABLET_ARGS} --maven-local-repository $HOME/.m2/repository`],
  'package:python': [`jsii-pacmak -v --target python ${TABLET_ARGS}`],
  'package:dotnet': [`jsii-pacmak -v --target dotnet ${TABLET_ARGS}`],
  // pacmak's own check of the Go module is a `go build` against the module proxy, which lacks some
  // modules that aws-cdk-go requires; the check script builds it with those generated locally.
  'package:go': [`jsii-pacmak -v --target go --code-only ${TABLET_ARGS}`, 'bash build-tools/check-go-package.sh'],
};
for (const [name, commands] of Object.entries(PACKAGE_COMMANDS)) {
  const task = project.tasks.tryFind(name);
  if (!task) throw new Error(`projen no longer defines ${name}: revisit PACKAGE_COMMANDS in .projenrc.ts`);
  task.reset();
  task.spawn(rosettaExtract);
  commands.forEach((command) => task.exec(command));
}

// The .NET target stays in the jsii config, so the assembly is checked for it, but its package
// needs the .NET SDK, which no Debian registry offers: package-all builds it only where `dotnet`
// is on PATH, and says so where it is not.
const packageAll = project.tasks.tryFind('package-all');
const dotnetStep = packageAll?.steps.findIndex((step) => step.spawn === 'package:dotnet') ?? -1;
if (!packageAll || dotnetStep < 0) {
  throw new Error('package-all no longer spawns package:dotnet: revisit the .NET condition in .projenrc.ts');
}
packageAll.updateStep(dotnetStep, { spawn: 'package:dotnet', condition: 'command -v dotnet >/dev/null' });
packageAll.insertStep(dotnetStep, {
  say: 'package:dotnet skipped: the .NET SDK (dotnet) is not on PATH',
  condition: '! command -v dotnet >/dev/null',
});
// package-all packages what it builds: the handler bundle and the jsii assembly, made first (about
// ten seconds), so that the README's install steps work on a fresh clone.
packageAll.prependSpawn(project.compileTask);
packageAll.prependSpawn(project.preCompileTask);

// The newest aws-cdk-lib the registry serves on the day (aws-cdk-lib@latest), installed outside the
// checkout beside test/cdk-latest's package.json and lock (see run.sh there).
project.addTask('test:cdk-latest', {
  description: 'Run the construct, security and example tests against the newest aws-cdk-lib the registry serves today (aws-cdk-lib@latest) instead of the floor',
  steps: [
    { spawn: project.bundler.bundleTask.name },
    { exec: 'bash test/cdk-latest/run.sh' },
  ],
});

// Packages the library for Python, Java and Go and runs a consumer app in each language.
project.addTask('test:bindings', {
  description: 'Package for Python, Java and Go and synthesize a consumer app in each (test/bindings/run.sh)',
  steps: [{ exec: 'bash test/bindings/run.sh' }],
});

// Checks the library's EventBridge patterns with event-ruler, AWS's own pattern-matching library
// (Java, from Maven Central), against sample events stored with their sources.
project.addTask('test:event-patterns', {
  description: 'Match sample IVS events against the synthesized stage rules with event-ruler (test/event-patterns/run.sh)',
  steps: [{ exec: 'bash test/event-patterns/run.sh' }],
});

// Bursts of every resource type against the rate-limited emulator (issue 12), through the real
// handler bundle, one copy per concurrent invocation, spread over child processes: alone, because
// other suites beside them would take the CPU the copies need to answer within the handler's
// request timeout. BURST_N sets N (500 by default; see the test file).
project.addTask('test:burst', {
  description: 'Throttled bursts of every resource type through the handler bundle (test/lambda/throttled-burst.test.ts)',
  steps: [
    { spawn: project.bundler.bundleTask.name },
    { exec: 'jest --testPathIgnorePatterns=/node_modules/ --coverage=false test/lambda/throttled-burst.test.ts' },
  ],
});

// Rooms on demand under load (issue 24): 1,000 concurrent joins over 200 new rooms through the join
// function's bundle against the rate-limited emulator, dynalite and the KMS stand-in. Alone, like
// test:burst: its 20 instances, dynalite and the emulator must answer within the function's request timeouts, which
// other suites beside it would make them miss. ROOMS_BURST_ROOMS scales it (200 by default).
project.addTask('test:rooms-burst', {
  description: 'Exactly one stage per room: 1,000 concurrent joins over 200 new rooms at 5 CreateStage per second (test/lambda/runtime/room-join.concurrency.test.ts)',
  steps: [
    { spawn: project.bundler.bundleTask.name },
    { exec: 'jest --testPathIgnorePatterns=/node_modules/ --coverage=false test/lambda/runtime/room-join.concurrency.test.ts' },
  ],
});

// Mutation testing of the handlers (lambda/) and the constructs' shared helpers (src/private/),
// configured in stryker.config.mjs and described in docs/mutation-testing.md. Not part of `test` or
// .ci/run: it took 39 minutes on two shared cores. Stryker copies the project into a sandbox, so
// the handler bundle that construct tests read as a code asset is made first. Extra arguments go to
// Stryker (`npm run mutation -- --mutate lambda/stage.ts`).
project.addTask('mutation', {
  description: 'Mutation-test lambda/ and src/private/ with StrykerJS (about 40 minutes on two cores; report in reports/mutation/)',
  steps: [
    { spawn: project.bundler.bundleTask.name },
    { exec: 'stryker run stryker.config.mjs', receiveArgs: true },
  ],
});

project.synth();
