#!/usr/bin/env bash
# Everything a fresh clone needs before it runs: npm packages, the Temporal CLI, and the system parts
# the tests and the stack talk to (Dovecot for IMAP, Chromium for the pages, libtesseract for the
# native OCR engine and the benchmark's baseline, poppler for rendering PDF pages). Idempotent;
# quick when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

# npm writes node_modules/.package-lock.json when an install completes: no such file (or an older one
# than the lock), or a missing tool, means an install to (re)do.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
   || [ ! -x node_modules/.bin/tsc ] || [ ! -x node_modules/.bin/vitest ] || [ ! -d node_modules/@temporalio/worker ]; then
  echo "› installing npm packages" >&2
  npm ci --no-audit --no-fund >&2
fi

need=()
command -v dovecot >/dev/null 2>&1 || need+=(dovecot-imapd dovecot-lmtpd)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr tesseract-ocr-fra)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
# The native OCR engine (native/ocr-engine.cc) is compiled here against the system's libtesseract:
# optional (tesseract.js is the fallback), so installed when we can and never a reason to stop.
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  command -v g++ >/dev/null 2>&1 || need+=(g++)
  command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
  pkg-config --exists tesseract lept 2>/dev/null || need+=(libtesseract-dev)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "› installing Debian packages: ${need[*]}" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
  else
    echo "Missing system packages: ${need[*]}. Install them (Debian: sudo apt-get install ${need[*]}) and run again." >&2
    exit 2
  fi
fi

TEMPORAL_BIN=$(bash scripts/provision-temporal.sh)
echo "› Temporal CLI: $TEMPORAL_BIN" >&2

# Without it the OCR pool runs on tesseract.js (same model, same results, ~1.5× slower per page).
if OCR_BIN=$(bash scripts/build-ocr-engine.sh); then
  echo "› native OCR engine: $OCR_BIN" >&2
else
  echo "› native OCR engine not built: OCR runs on tesseract.js" >&2
fi

# Tryton, the ERP that "Créer dans l'ERP" and the ERP tests talk to (scripts/tryton): trytond and its
# sale, stock and credit-limit modules from PyPI in a venv. No Tryton is a stop, with its reason.
if ! TRYTON_VENV_DIR=$(bash scripts/tryton/setup.sh); then
  echo "Tryton could not be installed (see above); the ERP tests and the demo ERP of npm start need it." >&2
  exit 2
fi
echo "› Tryton: $TRYTON_VENV_DIR" >&2
