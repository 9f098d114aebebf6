"""`felles serve`: run Felles under gunicorn (a production WSGI server)."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Start Felles with gunicorn (default 127.0.0.1:8000, one sync worker per core)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default=os.environ.get("FELLES_BIND", "127.0.0.1:8000"))
        # One sync process per core: measured, a second one per core made every request
        # cost more CPU (reads and durable submissions alike) than the commit waits it
        # fills (docs/operations.md, «Choosing the web worker model»).
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("FELLES_WORKERS", str(os.cpu_count() or 1))),
        )
        parser.add_argument(
            "--worker-class",
            choices=["sync", "gthread"],
            default=os.environ.get("FELLES_WORKER_CLASS", "sync"),
            help="sync: one request at a time per process; gthread: --threads per process "
            "and kept-alive connections (docs/operations.md)",
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("FELLES_THREADS", "1"))
        )

    def handle(
        self,
        *args: Any,
        bind: str,
        workers: int,
        worker_class: str,
        threads: int,
        **options: Any,
    ) -> None:
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
                "--worker-class",
                worker_class,
                "--threads",
                str(threads),
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "10",
            ],
        )
