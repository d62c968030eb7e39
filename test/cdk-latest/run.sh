#!/usr/bin/env bash
# Runs the construct, security and example tests against the newest aws-cdk-lib: installs the
# package.json and lock beside this file into CDK_LATEST_DIR (outside the checkout: jsii-docgen
# reads every .jsii below the project, and would take this aws-cdk-lib's for the floor's), then
# runs jest with jest.config.js, which resolves every aws-cdk-lib import there. Arguments go to jest.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export CDK_LATEST_DIR="${CDK_LATEST_DIR:-${TMPDIR:-/tmp}/cdk-ivs-realtime-cdk-latest}"

mkdir -p "$CDK_LATEST_DIR"
cp "$HERE/package.json" "$HERE/package-lock.json" "$CDK_LATEST_DIR/"
npm ci --prefix "$CDK_LATEST_DIR" --no-audit --no-fund --loglevel=error
echo "aws-cdk-lib $(node -p "require('$CDK_LATEST_DIR/node_modules/aws-cdk-lib/package.json').version") in $CDK_LATEST_DIR"

cd "$HERE/../.."
npx jest --ci --config test/cdk-latest/jest.config.js "$@"
