"""gunicorn settings for `felles serve` (command-line options override them)."""

from __future__ import annotations

import gc
import os
from typing import Any

from gunicorn.glogging import Logger, SafeAtoms

from felles.conf.redact import redact


def post_worker_init(worker: Any) -> None:
    """Move everything loaded at start (Django, the apps, their modules) out of the
    garbage collector's sight: full collections then scan only what requests create, which
    keeps their pauses, and the tail latency they cause, short."""
    gc.collect()
    gc.freeze()


# The longest request line gunicorn accepts (its maximum; the default 4094 refused a
# search of a few thousand characters with a bare English «Request Line is too large»).
# Search inputs say maxlength and the search cuts the query (felles.web.search).
limit_request_line = 8190


# Each worker signals it is alive by touching a temporary file every second; on a disk busy
# flushing PostgreSQL's commits that touch can stall and the master then kills a healthy
# worker. A file in memory never stalls (gunicorn's own advice for such machines).
SHM = "/dev/shm"  # noqa: S108 - gunicorn creates its file with mkstemp and unlinks it at once
if os.path.isdir(SHM):
    worker_tmp_dir = SHM


class RedactedAtoms(SafeAtoms):
    """gunicorn's access-log atoms with every value redacted (felles.conf.redact) and
    escaped as gunicorn escapes them, each only when the log format asks for it: a line
    names about ten of the sixty-odd atoms (the request's headers and environment among
    them), and redacting them all cost every request about 2 % of its CPU."""

    def __init__(self, atoms: dict[str, Any]) -> None:
        dict.__init__(self, atoms)

    def __getitem__(self, key: str) -> Any:
        value = super().__getitem__(key)
        return redact(value).replace('"', '\\"') if isinstance(value, str) else value


class RedactingLogger(Logger):
    """gunicorn's logger, with every value of an access-log line redacted (the request
    line, path, query, referrer, headers, environment): a secret sent in the URL (a
    calendar feed's, an intranet's `?nokkel=`) shows as «[skjult]» (felles.conf.redact)."""

    atoms_wrapper_class = RedactedAtoms


logger_class = RedactingLogger
