#!/usr/bin/env bash
# Builds .tools/bin/aiguillage-ocr (native/ocr-engine.cc) against the system's libtesseract.
# Prints the binary's path on stdout. Without a compiler or libtesseract-dev it prints nothing and
# exits 1: the OCR pool then runs on tesseract.js alone (slower, same results).
set -euo pipefail
cd "$(dirname "$0")/.."
src=native/ocr-engine.cc
out=.tools/bin/aiguillage-ocr
if [ -x "$out" ] && [ "$out" -nt "$src" ]; then
  echo "$PWD/$out"
  exit 0
fi
if ! command -v g++ >/dev/null 2>&1 || ! pkg-config --exists tesseract lept 2>/dev/null; then
  echo "aiguillage-ocr not built: needs g++ and libtesseract-dev (Debian: apt-get install g++ libtesseract-dev pkg-config)" >&2
  exit 1
fi
mkdir -p .tools/bin
# shellcheck disable=SC2046
g++ -O2 -std=c++17 -Wall -o "$out.tmp" "$src" $(pkg-config --cflags --libs tesseract lept)
mv "$out.tmp" "$out"
echo "$PWD/$out"
