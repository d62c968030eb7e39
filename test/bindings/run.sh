#!/usr/bin/env bash
# Proves the packages: builds the npm, Python, Java and Go packages with the projen package tasks
# (unless dist/ is already newer than their inputs), then runs one consumer app per language. Each
# app installs the package from dist/ (never from a registry) the way the README's install section
# says, and aws-cdk-lib for its language from the registry, at the version of the TypeScript dev
# dependency; defines a stack with the library's constructs; synthesizes it; and checks the
# template. Last, package_docs.py checks that each package shows its examples in its own language.
#
# Prints one PASS/FAIL line per check and a last line "<n> passed, <m> failed" (CI reads it).
#
# To cover a new construct, define it in each app's define-stack function (python/app.py,
# java/src/main/java/bindings/App.java, go/main.go) and add what its resource must look like to
# the check function beside it.
#
# Caches are the tools' usual ones (~/.npm, ~/.cache/pip, ~/.m2/repository, GOMODCACHE, GOCACHE);
# npm_config_cache, PIP_CACHE_DIR, GOMODCACHE and GOCACHE move them. Scratch files go to
# BINDINGS_WORK_DIR (default: $TMPDIR/cdk-ivs-realtime-bindings), never into the checkout.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BINDINGS="$ROOT/test/bindings"
WORK="${BINDINGS_WORK_DIR:-${TMPDIR:-/tmp}/cdk-ivs-realtime-bindings}"
mkdir -p "$WORK"
cd "$ROOT"

export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
# The jsii kernel of every app prints a banner when Node is past end-of-life; it is about this
# machine, not the library, and would bury the results.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-$(node -p 'process.versions.node.split(".")[0]')}"

# Versions come from package.json and the installed dev dependencies, so the apps test what the
# TypeScript build tests.
node_field() { node -p "$1" ; }
LIBRARY_VERSION="$(node_field "require('./package.json').version")"
CDK_VERSION="$(node_field "require('aws-cdk-lib/package.json').version")"
CONSTRUCTS_VERSION="$(node_field "require('constructs/package.json').version")"
PYTHON_DIST_NAME="$(node_field "require('./package.json').jsii.targets.python.distName.replace(/-/g, '_')")"
PACKAGE_NAME="$(node_field "require('./package.json').name")"
MAVEN_GROUP_PATH="$(node_field "require('./package.json').jsii.targets.java.maven.groupId.replace(/\./g, '/')")"
MAVEN_ARTIFACT_ID="$(node_field "require('./package.json').jsii.targets.java.maven.artifactId")"

# --- building -----------------------------------------------------------------------------------

# True when $1 is missing or any of the other paths holds a file newer than it.
stale() {
  local target="$1"
  shift
  [[ ! -e "$target" ]] && return 0
  [[ -n "$(find "$@" -type f -newer "$target" -print -quit 2>/dev/null)" ]]
}

# Runs a build step quietly; its output is shown only when it fails.
quietly() {
  local log="$WORK/$1.log"
  shift
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "build step failed: $* (log: $log)" >&2
    return 1
  fi
}

PYTHON_WHEEL="dist/python/${PYTHON_DIST_NAME}-${LIBRARY_VERSION}-py3-none-any.whl"
JAVA_POM="dist/java/$MAVEN_GROUP_PATH/$MAVEN_ARTIFACT_ID/$LIBRARY_VERSION/$MAVEN_ARTIFACT_ID-$LIBRARY_VERSION.pom"
GO_MODULE_DIR="$ROOT/dist/go/cdkivsrealtime"
JS_TARBALL="dist/js/$PACKAGE_NAME@$LIBRARY_VERSION.jsii.tgz"

# The README's build step for every package: bundle, compile, and package into dist/.
build_packages() {
  local package
  for package in "$JS_TARBALL" "$PYTHON_WHEEL" "$JAVA_POM" "$GO_MODULE_DIR/go.mod"; do
    if stale "$package" lambda src README.md package.json rosetta; then
      echo "packaging (npx projen package-all)"
      quietly package-all npx projen package-all
      return
    fi
  done
}

# --- one function per language: package if needed, then run the consumer app -----------------

run_python() {
  local venv="$WORK/python-venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  quietly pip-install "$venv/bin/pip" install --disable-pip-version-check \
    "aws-cdk-lib==$CDK_VERSION" "constructs==$CONSTRUCTS_VERSION" "$ROOT/$PYTHON_WHEEL"
  "$venv/bin/python" "$BINDINGS/python/app.py"
}

run_java() {
  local repo="$HOME/.m2/repository" # where package:java has Maven keep its downloads
  # Maven copies a release version from dist/java into the local repository once and never looks
  # again: drop that copy so the app gets the package just built.
  rm -rf "${repo:?}/$MAVEN_GROUP_PATH/$MAVEN_ARTIFACT_ID/$LIBRARY_VERSION"
  mvn --batch-mode --quiet -Dstyle.color=never \
    -f "$BINDINGS/java/pom.xml" \
    -Dmaven.repo.local="$repo" \
    -Dlibrary.repository="$ROOT/dist/java" \
    -Dlibrary.version="$LIBRARY_VERSION" \
    -Dcdk.version="$CDK_VERSION" \
    -Dconstructs.version="$CONSTRUCTS_VERSION" \
    -Dconsumer.build.directory="$WORK/java-target" \
    compile exec:java 2>&1 | sed -e $'s/\e\\[[0-9;]*m//g' # Maven 3.8 writes colour codes even in batch mode
}

run_go() {
  local lib_dir="$GO_MODULE_DIR"
  local app="$WORK/go-app"
  rm -rf "$app"
  mkdir -p "$app"
  cp "$BINDINGS/go/go.mod" "$BINDINGS/go/go.sum" "$BINDINGS/go/main.go" "$app/"
  cd "$app"
  export GOFLAGS="${GOFLAGS:-} -mod=mod"
  # The README's install step, then the aws-cdk-go release that the TypeScript build tests.
  local library
  library="$(go mod edit -json "$lib_dir/go.mod" | module_path)"
  go mod edit -require "$library@v$LIBRARY_VERSION" -replace "$library=$lib_dir"
  go mod edit -require "github.com/aws/aws-cdk-go/awscdk/v2@v$CDK_VERSION"
  local replacement
  while IFS= read -r replacement; do
    go mod edit -replace "$replacement"
  done < <(bash "$ROOT/build-tools/go-refused-modules.sh" "$lib_dir/go.mod" "$WORK/go-deps")
  local status=0
  go run . 2>"$WORK/go-app.stderr" || status=$?
  # jsii-runtime-go may end its last line without a newline; keep the PASS/FAIL line on its own.
  sed -e '$a\' "$WORK/go-app.stderr" >&2
  return "$status"
}

module_path() { node -e 'console.log(JSON.parse(require("fs").readFileSync(0, "utf8")).Module.Path)'; }

run_js() {
  local app="$WORK/js-app"
  rm -rf "$app"
  mkdir -p "$app"
  cp "$BINDINGS/js/app.js" "$app/"
  cd "$app"
  echo '{ "private": true }' >package.json
  quietly npm-install npm install --no-audit --no-fund \
    "$ROOT/$JS_TARBALL" "aws-cdk-lib@$CDK_VERSION" "constructs@$CONSTRUCTS_VERSION"
  node app.js
}

run_docs() {
  python3 "$BINDINGS/package_docs.py"
}

# --- main --------------------------------------------------------------------------------------

passed=0
failed=0
report() {
  local language="$1" status="$2" seconds="$3"
  if [[ "$status" == 0 ]]; then
    passed=$((passed + 1))
    echo "PASS $language (${seconds}s)"
  else
    failed=$((failed + 1))
    echo "FAIL $language (${seconds}s, exit $status)"
  fi
}

LANGUAGES=(js python java go docs)
started=$SECONDS
if ! build_packages; then
  for language in "${LANGUAGES[@]}"; do
    report "$language" 1 0
  done
else
  for language in "${LANGUAGES[@]}"; do
    echo "--- $language"
    start=$SECONDS
    # A subshell per language: a failure ends that language only, and its cd and exports stay in
    # it. Not `( ... ) || status=$?`: bash ignores set -e inside a command whose status is tested.
    set +e
    (set -e; cd "$ROOT"; "run_$language")
    status=$?
    set -e
    report "$language" "$status" $((SECONDS - start))
  done
fi
echo "bindings took $((SECONDS - started))s"
echo "$passed passed, $failed failed"
[[ "$failed" == 0 ]]
