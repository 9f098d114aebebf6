#!/usr/bin/env bash
# One command: install Felles and start the demo on http://127.0.0.1:8000
# (embedded SQLite under var/, demo data, personas with the password "demo").
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
exec .venv/bin/felles demo "$@"
