"""Secrets that reach Felles in a URL never reach its logs. Two kinds of client cannot
send a header: Outlook subscribing to a calendar feed (the secret is in the path,
`/moterom/kalender/fel_….ics`) and an intranet's feed reader that only takes an address
(`/kunngjoringer/feed.atom?nokkel=felk_…`). Felles's own logs — gunicorn's access log
(`felles serve`) and Django's loggers (a 404 names the path) — show such a secret as
`[skjult]` (the access log: conf/gunicorn.py's `RedactingLogger`). A proxy in front of
Felles keeps its own access log: see docs/operations.md.
"""

from __future__ import annotations

import logging
import re

HIDDEN = "[skjult]"
# A Felles secret (core.tokens: `fel_…`, notices' intranet keys: `felk_…`) anywhere, and
# the value of a `nokkel` query parameter whatever it holds.
_SECRET = re.compile(r"\b(fel[a-z]?_)[A-Za-z0-9_\-]{8,}")
_KEY_PARAMETER = re.compile(r"(?i)([?&;]nokkel=)[^&\s\"]*")


def redact(text: str) -> str:
    """`text` with every Felles secret and `nokkel=` value replaced by «[skjult]»."""
    if "fel" not in text and "nokkel" not in text.lower():
        return text
    return _KEY_PARAMETER.sub(r"\1" + HIDDEN, _SECRET.sub(r"\1" + HIDDEN, text))


class RedactingFilter(logging.Filter):
    """A logging filter (settings.LOGGING) that redacts the formatted message."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is logged as it is
            return True
        hidden = redact(message)
        if hidden != message:
            record.msg, record.args = hidden, None
        return True
