"""gunicorn settings for `felles serve` (command-line options override them)."""

from __future__ import annotations

import gc
from typing import Any


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
