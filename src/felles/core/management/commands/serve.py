"""`felles serve`: run Felles under gunicorn (a production WSGI server)."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Start Felles with gunicorn (default 127.0.0.1:8000, 2 workers)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default=os.environ.get("FELLES_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("FELLES_WORKERS", "2"))
        )

    def handle(self, *args: Any, bind: str, workers: int, **options: Any) -> None:
        from django.conf import settings

        # Touching the key fails (ImproperlyConfigured, reported by felles.cli) before a
        # server starts without one.
        settings.SECRET_KEY  # noqa: B018
        self.stdout.write(f"Felles kjører på http://{bind}/ (Ctrl+C avslutter)")
        sys.stdout.flush()
        os.execvp(  # noqa: S606 - hand the process over to gunicorn
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "felles.conf.wsgi:application",
                "--config",
                "python:felles.conf.gunicorn",
                "--bind",
                bind,
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "10",
            ],
        )
