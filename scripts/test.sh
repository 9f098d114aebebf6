#!/usr/bin/env bash
# One command: install Felles with its test tools and run the whole test suite.
# Uses SQLite unless DATABASE_URL points at PostgreSQL. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh --dev

# The browser tests drive Debian's Chromium (Playwright never downloads a browser here).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
  else
    echo "Chromium mangler: installer Debian-pakken 'chromium' for nettlesertestene." >&2
  fi
fi

# One worker per core (FELLES_TEST_WORKERS=0 runs in one process); a file's tests stay on
# one worker, so its module fixtures (servers, browsers) start once.
exec .venv/bin/pytest -n "${FELLES_TEST_WORKERS:-auto}" --dist loadfile --no-loadscope-reorder "$@"
