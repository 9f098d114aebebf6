"""gunicorn settings for `felles serve` (command-line options override them)."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Mapping
from typing import Any

from gunicorn.glogging import Logger

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


class RedactedAtoms(Mapping[str, Any]):
    """gunicorn's access-log atoms as its `SafeAtoms` gives them to the log line (a
    `{header}i` looked up in lower case, a missing atom «-», `"` escaped), every value
    redacted (felles.conf.redact) when it is read: a line names about ten of the sixty-odd
    atoms (the request's headers and environment among them), and redacting them all cost
    every request 30 µs. Every way of reading goes through `__getitem__` (a log handler
    that reads the record's `args` too), so no raw value leaves."""

    def __init__(self, atoms: dict[str, Any]) -> None:
        self._atoms = atoms

    def __getitem__(self, key: str) -> Any:
        value = self._atoms.get(key.lower() if key.startswith("{") else key, "-")
        return redact(value).replace('"', '\\"') if isinstance(value, str) else value

    def __iter__(self) -> Iterator[str]:
        return iter(self._atoms)

    def __len__(self) -> int:
        return len(self._atoms)


class RedactingLogger(Logger):
    """gunicorn's logger, with every value of an access-log line redacted (the request
    line, path, query, referrer, headers, environment): a secret sent in the URL (a
    calendar feed's, an intranet's `?nokkel=`) shows as «[skjult]» (felles.conf.redact)."""

    atoms_wrapper_class = RedactedAtoms


logger_class = RedactingLogger
