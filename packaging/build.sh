#!/usr/bin/env bash
# Build the one-folder Linux bundle: dist/youthwork/youthwork (+ _internal/).
#
#   packaging/build.sh                 # uses .venv (made by scripts/app or scripts/test), else python3 on PATH
#   PYTHON=/path/to/python packaging/build.sh [--distpath DIR --workpath DIR]   # extra args go to PyInstaller
#
# The Python used must have youthwork's dependencies and PyInstaller: pip install -e '.[dev,server]' (the bundle
# carries the demo's server).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${PYTHON:-}" ]; then
  if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
  echo "PyInstaller is not installed for $PYTHON: run '$PYTHON -m pip install -e .[dev,server]' first." >&2
  exit 2
fi

start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN "$@" packaging/youthwork.spec

dist="dist/youthwork"
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = "--distpath" ]; then j=$((i + 1)); dist="${!j}/youthwork"; fi
done
echo "Built $dist in $(($(date +%s) - start)) s, $(du -sh "$dist" | cut -f1) on disk."
