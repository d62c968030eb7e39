// @ts-check
/**
 * Mutation testing of the handlers and the constructs' shared helpers: `npm run mutation`
 * (docs/mutation-testing.md says how to read the result).
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
const config = {
  // Globs, not lists, so that a new handler or helper is mutated without a change here. Nothing
  // under lambda/ and src/private/ is left out: every file there is code that runs (the clients'
  // options included, which are static mutants, see ignoreStatic).
  mutate: ['lambda/**/*.ts', 'src/private/**/*.ts'],

  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    // The project's Jest configuration without the suites that cannot kill a mutant here (the
    // ones that run the bundle in assets/ rather than the sources); see that file.
    configFile: 'stryker.jest.config.js',
  },
  // Each mutant runs only the tests that executed its code in the initial run.
  coverageAnalysis: 'perTest',
  // A static mutant is one in code that runs when a module loads (a module-level constant, a
  // client's options, a regular expression kept in a constant): no test can be said to cover it,
  // so Stryker runs every related test for each, the construct suites included. About 170 of
  // them took over 90% of the run (more than two hours on two cores), so they are left out and
  // reported as Ignored; `npm run mutation -- --ignoreStatic false` tests them too.
  ignoreStatic: true,

  // Two cores, shared: two test-runner processes keep both busy.
  concurrency: 2,
  // Construct tests synthesize stacks; a mutant that makes one loop is cut after this much more
  // than the test took unmutated.
  timeoutMS: 10_000,

  // Stryker copies the project into a sandbox; what no test reads stays out of it.
  ignorePatterns: ['/lib', '/dist', '/.scanners-venv', '/coverage', '/test-reports', '/reports', 'cdk.out', '/.jsii*', '/test/bindings', '/test/cdk-latest'],

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
