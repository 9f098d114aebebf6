#!/usr/bin/env bash
# Install Felles into .venv with its front-end assets. Idempotent; used by demo.sh,
# test.sh and .ci/run. Usage: scripts/install.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."

# One install at a time: CI runs the test command on SQLite and PostgreSQL side by side.
exec 9>.install.lock
flock 9

extras=""
[ "${1:-}" = "--dev" ] && extras="[dev]"

python_bin="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if [ ! -x .venv/bin/python ]; then
  "$python_bin" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras}"

# Designsystemet CSS, the Inter font and htmx come from npm (never committed).
if [ ! -d node_modules/@digdir/designsystemet-css ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
