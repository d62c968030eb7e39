#!/usr/bin/env bash
# Proves the jsii bindings: packages the library for Python, Java and Go with jsii-pacmak (unless
# dist/ is already newer than its inputs), then runs one consumer app per language. Each app
# installs the package from dist/ (never from a registry) and aws-cdk-lib for its language from
# the registry, at the version of the TypeScript dev dependency; defines a stack with the
# library's constructs; synthesizes it; and checks the template.
#
# Prints one PASS/FAIL line per language and a last line "<n> passed, <m> failed" (CI reads it).
#
# To cover a new construct, define it in each app's define-stack function (python/app.py,
# java/src/main/java/bindings/App.java, go/main.go) and add what its resource must look like to
# the check function beside it.
#
# Caches are the tools' usual ones (~/.cache/pip, ~/.m2/repository, GOMODCACHE, GOCACHE);
# PIP_CACHE_DIR, MAVEN_REPO_LOCAL, GOMODCACHE and GOCACHE move them. Scratch files go to
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

HANDLER_BUNDLE="assets/lambda/handler/index.js"

build_assembly() {
  if stale "$HANDLER_BUNDLE" lambda src; then
    echo "bundling the handler"
    quietly bundle npx projen bundle
  fi
  if stale .jsii src README.md package.json; then
    echo "compiling with jsii"
    quietly compile npx projen compile
  fi
}

# --- one function per language: package if needed, then run the consumer app -----------------

run_python() {
  local wheel="dist/python/${PYTHON_DIST_NAME}-${LIBRARY_VERSION}-py3-none-any.whl"
  if stale "$wheel" .jsii "$HANDLER_BUNDLE"; then
    quietly package-python npx projen package:python
  fi
  local venv="$WORK/python-venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  quietly pip-install "$venv/bin/pip" install --disable-pip-version-check \
    "aws-cdk-lib==$CDK_VERSION" "constructs==$CONSTRUCTS_VERSION" "$ROOT/$wheel"
  "$venv/bin/python" "$BINDINGS/python/app.py"
}

run_java() {
  local pom="dist/java/$MAVEN_GROUP_PATH/$MAVEN_ARTIFACT_ID/$LIBRARY_VERSION/$MAVEN_ARTIFACT_ID-$LIBRARY_VERSION.pom"
  local repo="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
  if stale "$pom" .jsii "$HANDLER_BUNDLE"; then
    # What `projen package:java` runs, but with the usual local repository: by default pacmak
    # gives Maven a new empty one each time, and downloads aws-cdk-lib (100 MB) again.
    quietly package-java npx jsii-pacmak --target java --maven-local-repository="$repo"
  fi
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
  local lib_dir="$ROOT/dist/go/cdkivsrealtime"
  if stale "$lib_dir/go.mod" .jsii "$HANDLER_BUNDLE"; then
    # Code only: pacmak's own check of the Go package is a `go build` of it against the module
    # proxy, which the consumer build below does too (with the replacements it may need).
    quietly package-go npx jsii-pacmak --target go --code-only
  fi
  local app="$WORK/go-app"
  rm -rf "$app"
  mkdir -p "$app"
  cp "$BINDINGS/go/go.mod" "$BINDINGS/go/go.sum" "$BINDINGS/go/main.go" "$app/"
  cd "$app"
  export GOFLAGS="${GOFLAGS:-} -mod=mod"
  go mod edit -replace "$(go mod edit -json "$lib_dir/go.mod" | module_path)=$lib_dir" \
    -require "github.com/aws/aws-cdk-go/awscdk/v2@v$CDK_VERSION"
  replace_refused_modules "$lib_dir/go.mod"
  local status=0
  go run . 2>"$WORK/go-app.stderr" || status=$?
  # jsii-runtime-go may end its last line without a newline; keep the PASS/FAIL line on its own.
  sed -e '$a\' "$WORK/go-app.stderr" >&2
  return "$status"
}

module_path() { node -e 'console.log(JSON.parse(require("fs").readFileSync(0, "utf8")).Module.Path)'; }

# A module proxy may refuse some versions (the one reachable here answers 403 for
# cloud-assembly-schema-go v53.28.0 and node-proxy-agent-go v2.1.3). The Go module of a jsii
# package is what jsii-pacmak generates from its npm package, so a refused module the library
# requires is generated from the same npm package in node_modules and used through a replace.
replace_refused_modules() {
  local requirement module version package reason
  while read -r requirement; do
    module="${requirement% *}"
    version="${requirement#* }"
    # Availability only: the checksum is verified when the app is built (go.sum, or the checksum
    # database for modules that go.sum does not list).
    if reason="$(GONOSUMDB="$module" go mod download "$module@$version" 2>&1)"; then
      continue
    fi
    reason="$(tail -n 1 <<<"$reason" | sed -e "s/^[[:space:]]*//")"
    package="$(npm_package_of_go_module "$module" "${version#v}")" || {
      echo "cannot download $module@$version ($reason), and no npm package in node_modules provides it" >&2
      return 1
    }
    echo "note: cannot download $module@$version ($reason); generating it from $package"
    rm -rf "$WORK/go-deps/$package"
    quietly "go-deps-$(basename "$package")" "$ROOT/node_modules/.bin/jsii-pacmak" --target go --code-only \
      -o "$WORK/go-deps/$package" "$ROOT/node_modules/$package"
    go mod edit -replace "$module=$(dirname "$(grep -lx "module $module" "$WORK/go-deps/$package"/go/*/go.mod)")"
  done < <(go mod edit -json "$1" | node -e '
    for (const r of JSON.parse(require("fs").readFileSync(0, "utf8")).Require ?? []) console.log(`${r.Path} ${r.Version}`);
  ')
}

# The npm package (name) in node_modules whose jsii Go target is module $1 at version $2.
npm_package_of_go_module() {
  MODULE="$1" VERSION="$2" NODE_MODULES="$ROOT/node_modules" node -e '
    const fs = require("fs");
    const path = require("path");
    const root = process.env.NODE_MODULES;
    const names = fs.readdirSync(root).flatMap((name) => name.startsWith("@")
      ? fs.readdirSync(path.join(root, name)).map((sub) => `${name}/${sub}`)
      : [name]);
    const match = names.find((name) => {
      const file = path.join(root, name, "package.json");
      if (!fs.existsSync(file)) return false;
      const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
      const go = pkg.jsii?.targets?.go;
      return go && process.env.MODULE.startsWith(`${go.moduleName}/`) && pkg.version === process.env.VERSION;
    });
    if (!match) process.exit(1);
    console.log(match);
  ' 2>/dev/null
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

LANGUAGES=(python java go)
started=$SECONDS
if ! build_assembly; then
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
