#!/usr/bin/env bash
# Builds the Go module that `jsii-pacmak --target go --code-only` generated in dist/go, as
# jsii-pacmak's own Go packaging does (a `go mod tidy` and `go build ./...` against a copy of its
# go.mod), but with a replace for each module that the Go module proxy refuses
# (build-tools/go-refused-modules.sh). dist/go itself is left as generated.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODULE_DIR="$(dirname "$(ls "$ROOT"/dist/go/*/go.mod)")"
SCRATCH="$(mktemp -d -t check-go-package.XXXXXX)"
trap 'rm -rf "$SCRATCH"' EXIT

# -modfile wants a name ending in .mod; its go.sum is written beside it.
cp "$MODULE_DIR/go.mod" "$SCRATCH/check.mod"
while IFS= read -r replacement; do
  go mod edit -replace "$replacement" "$SCRATCH/check.mod"
done < <(bash "$ROOT/build-tools/go-refused-modules.sh" "$MODULE_DIR/go.mod" "$SCRATCH/modules")

cd "$MODULE_DIR"
go mod tidy -modfile "$SCRATCH/check.mod"
go build -modfile "$SCRATCH/check.mod" ./...
echo "go build of $(go mod edit -json go.mod | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).Module.Path') succeeded"
