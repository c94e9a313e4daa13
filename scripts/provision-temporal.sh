#!/usr/bin/env bash
# Finds or builds the Temporal CLI (dev server + Web UI) and prints its path.
# Order: $TEMPORAL_CLI_PATH, a `temporal` on PATH, .tools/bin/temporal, else build v1.5.1 from Go
# modules into .tools/bin (git-ignored). Later tags carry a `replace` directive that `go install`
# refuses; v1.5.1 needs Go >= 1.25.
set -euo pipefail
cd "$(dirname "$0")/.."
TEMPORAL_VERSION=v1.5.1

if [ -n "${TEMPORAL_CLI_PATH:-}" ]; then
  [ -x "$TEMPORAL_CLI_PATH" ] || { echo "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not an executable file" >&2; exit 2; }
  echo "$TEMPORAL_CLI_PATH"; exit 0
fi
if command -v temporal >/dev/null 2>&1; then command -v temporal; exit 0; fi
if [ -x .tools/bin/temporal ]; then echo "$PWD/.tools/bin/temporal"; exit 0; fi

if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
No Temporal CLI found and no Go toolchain to build one.
Do one of:
  - install Go >= 1.25 (https://go.dev/dl/ or your package manager) and run this again;
  - or download the Temporal CLI yourself and set TEMPORAL_CLI_PATH=/path/to/temporal.
MSG
  exit 2
fi
GOVER=$(go env GOVERSION | sed 's/^go//')
if [ "$(printf '%s\n1.25\n' "$GOVER" | sort -V | head -1)" != "1.25" ]; then
  echo "Go $GOVER is too old to build the Temporal CLI $TEMPORAL_VERSION (needs >= 1.25). Upgrade Go or set TEMPORAL_CLI_PATH." >&2
  exit 2
fi
mkdir -p .tools/bin
echo "Building the Temporal CLI $TEMPORAL_VERSION from Go modules (first time only, a few minutes)…" >&2
start=$(date +%s)
if ! GOBIN="$PWD/.tools/bin" CGO_ENABLED=0 go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_VERSION" >&2; then
  echo "Building the Temporal CLI failed (see above). Check that the Go module proxy is reachable (GOPROXY=$(go env GOPROXY)), or set TEMPORAL_CLI_PATH." >&2
  exit 2
fi
echo "Temporal CLI built in $(( $(date +%s) - start )) s." >&2
echo "$PWD/.tools/bin/temporal"
