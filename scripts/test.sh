#!/usr/bin/env bash
# `npm test`: set up whatever is missing, then run every test (unit, then integration against the
# real Temporal dev server, Dovecot and Chromium). Time zone is UTC: the host zone must not leak
# into the workflow sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash scripts/setup.sh
export TZ=UTC
export TEMPORAL_CLI_PATH="${TEMPORAL_CLI_PATH:-$(bash scripts/provision-temporal.sh)}"
npx tsc --noEmit -p tsconfig.json
npx eslint .
npx vitest run "$@"
echo "test suite finished in $(( $(date +%s) - start )) s" >&2
