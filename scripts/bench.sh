#!/usr/bin/env bash
# Every benchmark, each printing its figures beside the baseline its issue names (not tests: no
# timing is asserted anywhere). Run one alone with `TZ=UTC npx tsx bench/<name>.ts`.
set -euo pipefail
cd "$(dirname "$0")/.."
export TZ=UTC
export TEMPORAL_CLI_PATH="${TEMPORAL_CLI_PATH:-$(bash scripts/provision-temporal.sh)}"
for b in edi extraction-accuracy ocr-speed dedup dedup-workflows imap crash fuzz; do
  [ -f "bench/$b.ts" ] || continue
  echo "=== bench/$b.ts"
  npx tsx "bench/$b.ts"
done
