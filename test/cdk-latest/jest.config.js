// The construct, security and example tests (and the dashboard body's), run against the newest aws-cdk-lib the registry serves
// on the day (run.sh installs aws-cdk-lib@latest) instead of the floor that the library is built with: every `aws-cdk-lib` import, the library's, the tests' and
// cdk-nag's alike, resolves to the install in CDK_LATEST_DIR. `constructs` stays the project's, so
// that one construct tree holds them all. Run it with `npx projen test:cdk-latest` (run.sh beside
// this file), which makes that install first.
const path = require('path');
const base = require('../../package.json').jest;

const latest = process.env.CDK_LATEST_DIR;
if (!latest) {
  throw new Error('CDK_LATEST_DIR is not set: run these tests with `npx projen test:cdk-latest`');
}

module.exports = {
  ...base,
  rootDir: '../..',
  // The dashboard body renderer mirrors aws-cdk-lib's own Dashboard, which its test compares it with.
  testMatch: ['<rootDir>/test/@(constructs|security|examples)/**/*.test.ts', '<rootDir>/test/private/linear-body-dashboard.test.ts'],
  moduleNameMapper: {
    '^aws-cdk-lib(/.*)?$': path.join(latest, 'node_modules', 'aws-cdk-lib') + '$1',
    '^constructs$': '<rootDir>/node_modules/constructs',
  },
  collectCoverage: false,
  reporters: ['default'],
};
