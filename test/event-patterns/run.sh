#!/usr/bin/env bash
# Checks the library's EventBridge patterns with event-ruler, the matching library AWS publishes
# for EventBridge: patterns.ts writes the patterns of every stage rule from a synthesized
# template, and PatternCheck (java/) runs the sample events in fixtures/ against them. Prints
# "PASS event patterns (event-ruler)" or FAIL lines; exits non-zero on a failure.
#
# The Maven cache is the usual one (~/.m2/repository, or MAVEN_REPO_LOCAL); scratch files go to
# EVENT_PATTERNS_WORK_DIR (default: $TMPDIR/cdk-ivs-realtime-event-patterns).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/test/event-patterns"
WORK="${EVENT_PATTERNS_WORK_DIR:-${TMPDIR:-/tmp}/cdk-ivs-realtime-event-patterns}"
mkdir -p "$WORK"
cd "$ROOT"

npx ts-node --project test/tsconfig.json "$HERE/patterns.ts" "$WORK/patterns.json"

mvn --batch-mode --quiet -Dstyle.color=never \
  -f "$HERE/java/pom.xml" \
  -Dmaven.repo.local="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}" \
  -Dcheck.build.directory="$WORK/java-target" \
  -Dexec.args="$WORK/patterns.json $HERE/fixtures" \
  compile exec:java 2>&1 | sed -e $'s/\e\\[[0-9;]*m//g'
