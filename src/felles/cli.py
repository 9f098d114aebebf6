"""The `felles` console script: Django's management commands plus Felles' own
(`demo`, `serve`, `worker`, `token`, `audit`)."""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping

from felles.conf import SETUP_HINT


def prepare_environment(command: str, environ: MutableMapping[str, str]) -> None:
    """The demo runs on plain http://127.0.0.1:8000, so it needs cookies without Secure and
    a development secret key unless the operator chose otherwise; it does not run in debug
    mode, so a bad link shows Felles's own error page, not Django's technical one."""
    if command == "demo":
        environ.setdefault("FELLES_DEMO", "1")


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "felles.conf.settings")
    command = argv[1] if len(argv) > 1 else "help"
    prepare_environment(command, os.environ)
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["felles", *argv[1:]])
    except ImproperlyConfigured as exc:
        if "SECRET_KEY" not in str(exc):
            raise
        sys.exit(SETUP_HINT)


if __name__ == "__main__":
    main()
