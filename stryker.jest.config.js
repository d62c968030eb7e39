// The Jest configuration Stryker's jest runner uses (stryker.config.mjs): the project's own, from
// package.json (projen writes it), with only the tests that run the TypeScript sources of lambda/
// and src/ in this process. Left out, because they cannot kill a mutant and only slow the initial
// run: the emulator's and the simulator's own tests, and every test that drives the bundle in
// assets/ (the simulator, the structure tests, the example app's, the bundle's own, and the two
// lifecycle tests in test/lambda that go through the simulator), which Stryker does not mutate;
// the lock-file and package tests, which read no source. test/cdk-latest and test/bindings are not
// Jest suites of this project.
const base = require('./package.json').jest;

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: [
    ...base.testPathIgnorePatterns,
    '<rootDir>/test/(emulator|simulator|structure|examples|cdk-latest|bindings|event-patterns)/',
    '<rootDir>/test/lambda/(bundle|public-key\\.kms|runtime/token-issuer\\.lifecycle)\\.test\\.ts$',
    '<rootDir>/test/(lock-file|package)\\.test\\.ts$',
  ],
  collectCoverage: false,
  reporters: ['default'],
};
