"""The VF § 72 list of authorised personnel: its columns, the snapshot an issued list keeps,
and issuing it («Utsted og arkiver listen»).

The live list and its export are made from the current register (`selectors.authorised_list`)
through the same snapshot as an issued list (`snapshot`, then `table` or `display`), so an
issued list holds exactly what the live list showed when it was issued. An issued list is
kept 10 years after issue (VF § 78 (3), `rules.issued_list_disposal`) and then disposed by
the disposal job (`workflow.dispose`) with an entry in the discard register.

The snapshot's keys are language-neutral (`COLUMNS`): levels are stored as their codes and
dates in ISO 8601, and both are shown in the reader's language. Names, unit and title are
stored as they were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import allowed
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation
from felles.security import rules, selectors, services
from felles.security.models import Authorisation, IssuedList, Level, RegisterRead

# The columns of the list's export, in order: (snapshot key, heading).
COLUMNS: tuple[tuple[str, Any], ...] = (
    ("name", gettext_lazy("Navn")),
    ("employee_number", gettext_lazy("Ansattnummer")),
    ("unit", gettext_lazy("Tjenestested")),
    ("title", gettext_lazy("Stilling")),
    ("level", gettext_lazy("Autorisasjonsnivå")),
    ("clearance_level", gettext_lazy("Klareringsnivå")),
    ("clearance_expires", gettext_lazy("Klarering gyldig til")),
    ("conversation_on", gettext_lazy("Autorisasjonssamtale")),
    ("uncovered", gettext_lazy("Uten gyldig klarering")),
)
KEYS = tuple(key for key, _heading in COLUMNS)
_LEVELS = ("level", "clearance_level")
_DATES = ("clearance_expires", "conversation_on")


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def snapshot(rows: Iterable[Authorisation]) -> list[dict[str, Any]]:
    """The list's rows (from `selectors.authorised_list`) under the keys of `COLUMNS`."""
    return [
        {
            "name": row.person.full_name,
            "employee_number": row.person.employee_number,
            "unit": row.person.unit.name if row.person.unit else "",
            "title": row.person.title,
            "level": row.level,
            "clearance_level": row.clearance.level if row.clearance else "",
            "clearance_expires": _iso(row.clearance.expires_on) if row.clearance else None,
            "conversation_on": _iso(row.conversation_on),
            "uncovered": bool(row.uncovered),
        }
        for row in rows
    ]


def _level(code: str) -> str:
    return str(Level(code).label) if code in Level.values else code


def display(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Snapshot rows with levels in the reader's language and dates as dates (for pages)."""
    shown = []
    for row in rows:
        out = {key: row.get(key) for key in KEYS}
        for key in _LEVELS:
            out[key] = _level(out[key] or "")
        for key in _DATES:
            out[key] = dt.date.fromisoformat(out[key]) if out[key] else None
        out["uncovered"] = bool(out["uncovered"])
        shown.append(out)
    return shown


def table(rows: Iterable[dict[str, Any]]) -> tuple[list[str], list[Sequence[Any]]]:
    """Headings and lines of the export (CSV, XLSX) from snapshot rows."""
    headers = [str(heading) for _key, heading in COLUMNS]
    lines: list[Sequence[Any]] = [[_cell(key, row[key]) for key in KEYS] for row in display(rows)]
    return headers, lines


def _cell(key: str, value: Any) -> Any:
    if key == "uncovered":
        return _("Ja") if value else ""
    return "" if value is None and key not in _DATES else value


@allowed(selectors.may_manage, services.NOT_YOURS)
def issue_list(*, actor: Actor, ministry: Organisation, label: str = "") -> IssuedList:
    """Issue the ministry's VF § 72 list and archive it: a snapshot of the list as it is
    now, kept 10 years (VF § 78 (3)). The rows read are recorded in the read log (route
    «Utstedelse»), as the export records its rows. `label`: an optional note (at most 200
    characters, no control characters; never graded information)."""
    label = services.check_text("label", label, required=False)
    with transaction.atomic():
        now = timezone.now()
        rows = selectors.authorised_list(actor.user, ministry, timezone.localdate(now))
        person = org_selectors.person_for(actor.user) if actor.user is not None else None
        issued = IssuedList.objects.create(
            ministry=ministry,
            issued_at=now,
            issued_by=person,
            issuer=(person.full_name if person else actor.label)[:150],
            label=label,
            rows=snapshot(rows),
            subjects=[row.person_id for row in rows],
            row_count=len(rows),
            dispose_on=rules.issued_list_disposal(timezone.localdate(now)),
        )
        read = [*rows, *(r.clearance for r in rows if r.clearance is not None)]
        services.record_reads(actor=actor, rows=read, route=RegisterRead.Route.ISSUE)
        audit.record(
            actor=actor,
            action="security.list.issue",
            obj=issued,
            changes={"register": [None, "autorisasjonsliste utstedt"], "rows": [None, len(rows)]},
            organisation_id=ministry.pk,
        )
    return issued
