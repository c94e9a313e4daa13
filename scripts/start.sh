#!/usr/bin/env bash
# `npm start`: set up, then run the whole stack on the samples (see worker/start.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export TZ=UTC
export TEMPORAL_CLI_PATH="${TEMPORAL_CLI_PATH:-$(bash scripts/provision-temporal.sh)}"
exec npx tsx worker/cli.ts start --samples "$@"
