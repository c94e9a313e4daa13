#!/usr/bin/env bash
# Tryton, the ERP the ERP boundary is built and tested against: trytond with the sale, stock and
# sale_credit_limit modules (and proteus, to load the demo data) from PyPI, into a virtual environment
# made with the machine's python3. Idempotent; quick when the right versions are there.
# Prints the venv's path on stdout. AIGUILLAGE_TRYTON_VENV overrides where it goes.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV="${AIGUILLAGE_TRYTON_VENV:-.tools/tryton/venv}"
SERIES="8.2"
PACKAGES=("trytond>=$SERIES,<8.3" "trytond-sale>=$SERIES,<8.3" "trytond-stock>=$SERIES,<8.3" "trytond-sale-credit-limit>=$SERIES,<8.3" "proteus>=$SERIES,<8.3")
STAMP="$VENV/.aiguillage-tryton-$SERIES"

if [ -f "$STAMP" ] && [ -x "$VENV/bin/trytond" ]; then
  echo "$VENV"
  exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "Tryton cannot be installed: python3 is missing (Debian: apt-get install python3 python3-venv)." >&2
  exit 3
fi
if ! python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)'; then
  echo "Tryton $SERIES cannot be installed: it needs python3 >= 3.9, this machine has $(python3 --version 2>&1)." >&2
  exit 3
fi
echo "› installing Tryton $SERIES (trytond, sale, stock, sale_credit_limit, proteus) into $VENV" >&2
mkdir -p "$(dirname "$VENV")"
if [ ! -x "$VENV/bin/python" ]; then
  if ! python3 -m venv "$VENV" >&2; then
    echo "Tryton cannot be installed: python3 -m venv failed (Debian: apt-get install python3-venv)." >&2
    exit 3
  fi
fi
if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${PACKAGES[@]}" >&2; then
  echo "Tryton cannot be installed: pip could not install ${PACKAGES[*]} from PyPI (see above)." >&2
  exit 3
fi
touch "$STAMP"
echo "$VENV"
