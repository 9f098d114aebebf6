"""What the preparedness services share: checks of typed text, dates and owners."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from felles.core.errors import ServiceError
from felles.core.validators import control_character, control_character_message, date_in_range
from felles.organisations.models import Person
from felles.preparedness import selectors


def text(
    value: str | None,
    field: str,
    *,
    limit: int,
    required: str = "",
    multiline: bool = False,
) -> str:
    """`value` stripped and checked: not empty when `required` (the message), no control
    characters, at most `limit` characters."""
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(required, {field: [_("Må fylles ut.")]})
    char = control_character(value, multiline=multiline)
    if char is not None:
        raise ServiceError(control_character_message(char), {field: [_("Ugyldig tegn.")]})
    if len(value) > limit:
        message = _("Teksten kan ha høyst %(n)s tegn.") % {"n": limit}
        raise ServiceError(message, {field: [message]})
    return value


def date(value: dt.date | None, field: str, *, required: bool = True) -> dt.date | None:
    if value is None:
        if required:
            raise ServiceError(_("Dato mangler."), {field: [_("Må fylles ut.")]})
        return None
    if not date_in_range(value):
        message = _("Datoen må ligge mellom 1.1.2000 og 31.12.2100.")
        raise ServiceError(message, {field: [message]})
    return value


def owner_in(owner: Person, organisation_ids: set[int], codes: tuple[str, ...]) -> None:
    """An action's owner works in one of the record's ministries or is on the handling
    team of `codes` for one of them: the action's text is the record's business."""
    if not selectors.owners_for(organisation_ids, codes).filter(pk=owner.pk).exists():
        raise ServiceError(
            _(
                "Ansvarlig må være en aktiv person i departementet eller i leverandørens "
                "team for tjenesten."
            ),
            {"owner": [_("Ugyldig ansvarlig.")]},
        )


def actions(
    rows: list[tuple[str, Person, dt.date]], organisation_ids: set[int], codes: tuple[str, ...]
) -> list[tuple[str, Person, dt.date]]:
    """Checked (text, owner, due) rows; empty texts dropped."""
    checked = []
    for row_text, owner, due in rows:
        cleaned = text(row_text, "text", limit=300)
        if not cleaned:
            continue
        owner_in(owner, organisation_ids, codes)
        checked.append((cleaned, owner, date(due, "due_on") or due))
    return checked
