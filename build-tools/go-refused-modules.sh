#!/usr/bin/env bash
# Usage: build-tools/go-refused-modules.sh GO_MOD SCRATCH_DIR
#
# Prints one `module=directory` line for each module that GO_MOD requires and that the Go module
# proxy refuses (the one reachable here answers 403 for cloud-assembly-schema-go v53.28.0 and
# node-proxy-agent-go v2.1.3). The Go module of a jsii package is what jsii-pacmak generates from
# its npm package, so each refused module is generated into SCRATCH_DIR from the npm package in
# node_modules that has that Go module name and version. Callers pass each line to
# `go mod edit -replace`. Progress goes to standard error.
#
# Used by the package:go task (its build check of dist/go) and by test/bindings/run.sh (the Go
# consumer app), so that both work where the proxy lacks a module.
set -euo pipefail

GO_MOD="$1"
SCRATCH="$2"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

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

mkdir -p "$SCRATCH"
while read -r module version; do
  # Availability only: the checksum is verified when the module is built (go.sum, or the checksum
  # database for modules that go.sum does not list).
  if reason="$(GONOSUMDB="$module" go mod download "$module@$version" 2>&1)"; then
    continue
  fi
  reason="$(tail -n 1 <<<"$reason" | sed -e "s/^[[:space:]]*//")"
  package="$(npm_package_of_go_module "$module" "${version#v}")" || {
    echo "cannot download $module@$version ($reason), and no npm package in node_modules provides it" >&2
    exit 1
  }
  echo "note: cannot download $module@$version ($reason); generating it from $package" >&2
  out="$SCRATCH/$package"
  rm -rf "$out"
  if ! "$ROOT/node_modules/.bin/jsii-pacmak" --target go --code-only -o "$out" "$ROOT/node_modules/$package" >"$SCRATCH/pacmak.log" 2>&1; then
    cat "$SCRATCH/pacmak.log" >&2
    exit 1
  fi
  echo "$module=$(dirname "$(grep -lx "module $module" "$out"/go/*/go.mod)")"
done < <(go mod edit -json "$GO_MOD" | node -e '
  for (const r of JSON.parse(require("fs").readFileSync(0, "utf8")).Require ?? []) console.log(`${r.Path} ${r.Version}`);
')
