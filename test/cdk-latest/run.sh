#!/usr/bin/env bash
# Runs the construct, security and example tests against the newest aws-cdk-lib the registry serves
# today: installs the package.json and lock beside this file (constructs, pinned like the project's)
# into CDK_LATEST_DIR (outside the checkout: jsii-docgen reads every .jsii below the project, and
# would take this aws-cdk-lib's for the floor's), then aws-cdk-lib@latest on top of it, so that a
# new release that breaks what the README promises (cdk-nag reporting nothing, among others) fails
# here the day it is published. jest.config.js resolves every aws-cdk-lib import there. Arguments go to jest.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export CDK_LATEST_DIR="${CDK_LATEST_DIR:-${TMPDIR:-/tmp}/cdk-ivs-realtime-cdk-latest}"

mkdir -p "$CDK_LATEST_DIR"
rm -rf "$CDK_LATEST_DIR/node_modules"
cp "$HERE/package.json" "$HERE/package-lock.json" "$CDK_LATEST_DIR/"
npm ci --prefix "$CDK_LATEST_DIR" --no-audit --no-fund --loglevel=error
# The newest release on the day, not a pinned copy; --no-save leaves the copied package.json and lock as they are.
npm install --prefix "$CDK_LATEST_DIR" --no-save --no-audit --no-fund --loglevel=error aws-cdk-lib@latest
CDK_LATEST_VERSION="$(node -p "require('$CDK_LATEST_DIR/node_modules/aws-cdk-lib/package.json').version")"
echo "test:cdk-latest: aws-cdk-lib ${CDK_LATEST_VERSION}, the newest the registry serves today (npm view aws-cdk-lib version: $(npm view aws-cdk-lib version)), in $CDK_LATEST_DIR"

cd "$HERE/../.."
npx jest --ci --config test/cdk-latest/jest.config.js "$@"
echo "test:cdk-latest: passed on aws-cdk-lib ${CDK_LATEST_VERSION}"
