// @ts-check
/**
 * Mutation testing of the handlers and the constructs' shared helpers: `npm run mutation`
 * (docs/mutation-testing.md says how to read the result).
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
const config = {
  // Globs, not lists, so that a new handler or helper is mutated without a change here.
  // Everything under lambda/ and src/private/ is code that runs; declaration files are not.
  mutate: ['lambda/**/*.ts', 'src/private/**/*.ts', '!**/*.d.ts'],

  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    // The project's Jest configuration without the suites that cannot kill a mutant here (the
    // ones that run the bundle in assets/ rather than the sources); see that file.
    configFile: 'stryker.jest.config.js',
  },
  // Each mutant runs only the tests that executed its code in the initial run.
  coverageAnalysis: 'perTest',

  // Two cores, shared: two test-runner processes keep both busy.
  concurrency: 2,
  // Construct tests synthesize stacks; a mutant that makes one loop is cut after this much more
  // than the test took unmutated.
  timeoutMS: 10_000,

  // Stryker copies the project into a sandbox; what no test reads stays out of it.
  ignorePatterns: ['/lib', '/dist', '/coverage', '/test-reports', '/reports', 'cdk.out', '/.jsii*', '/test/bindings', '/test/cdk-latest'],

  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // A rerun tests again only the mutants whose code or covering tests changed; `--force` tests all.
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};

export default config;
