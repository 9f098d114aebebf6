"""`felles flush`: Django's flush (empty every table), with the audit trail's delete guard
lifted on this connection for the duration (felles.core.audit_protection). The test suite
flushes between transactional tests. On PostgreSQL the lifted guard lets only a role with
the audit table owner's rights through (and the application's own role has no TRUNCATE right
on the table either), so there only the owner role can flush."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections

from felles.core.audit_protection import maintenance


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        with maintenance(connection):
            super().handle(**options)
