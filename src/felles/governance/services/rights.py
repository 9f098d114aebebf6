"""The decision-rights table: DFD's rows saying which body decides which kind of question
and who is heard first."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import SYSTEM_ONLY, Conflict, ServiceError, allowed
from felles.governance import rules, selectors
from felles.governance.models import DecisionRight
from felles.governance.services._common import required

RIGHT_FIELDS = (
    "topic",
    "description",
    "decider",
    "level",
    "hear_ministries",
    "hear_council",
    "hear_forum",
    "hearing_days",
)


@allowed(selectors.is_governance, gettext_lazy("Bare DFD kan endre beslutningsfullmaktene."))
def save_decision_right(
    *, actor: Actor, code: str, values: dict[str, Any], right: DecisionRight | None = None
) -> DecisionRight:
    """Create or change a row of the decision-rights table (DFD's governance users)."""
    values = {k: v for k, v in values.items() if k in RIGHT_FIELDS}
    level, decider = values.get("level"), values.get("decider")
    if level not in rules.LADDER:
        raise ServiceError(_("Velg nivå."), {"level": [_("Ukjent nivå.")]})
    if decider != rules.decider_for(level):
        raise ServiceError(
            _("Strategiske spørsmål avgjøres av DFD, operative og taktiske av leverandøren."),
            {"decider": [_("Passer ikke med nivået.")]},
        )
    required(values.get("topic", ""), "topic", "Skriv hva slags spørsmål fullmakten gjelder.")
    if not re.fullmatch(r"[a-z0-9-]{1,40}", code):
        raise ServiceError(
            _("Koden kan bare ha små bokstaver, tall og bindestrek."),
            {"code": [_("Ugyldig kode.")]},
        )
    if not 0 <= int(values.get("hearing_days", 10)) <= 60:
        raise ServiceError(
            _("Høringsfristen er 0–60 virkedager."), {"hearing_days": [_("Velg 0–60.")]}
        )
    with transaction.atomic():
        if right is None and DecisionRight.objects.filter(code=code).exists():
            raise Conflict(_("Fullmakten «%(code)s» finnes allerede.") % {"code": code})
        return audit.save_values(
            right,
            new=lambda: DecisionRight(code=code),
            values=values,
            fields=RIGHT_FIELDS,
            actor=actor,
            action="governance.right",
        )


# The table DFD starts from (the review, chapter 3.2.3–3.2.4: DFD decides which tasks the
# providers take on, whom they serve, and the cost-sharing and price models; the providers
# decide service design, priorities within their budget and their routines).
DEFAULT_RIGHTS = (
    ("priser", "Priser og prismodeller", rules.DFD, rules.STRATEGIC, True, True, "", 15),
    ("kostnadsdeling", "Kostnadsdelingsmodell", rules.DFD, rules.STRATEGIC, True, True, "", 15),
    (
        "oppgaver",
        "Hvilke oppgaver en leverandør kan ta på seg",
        rules.DFD,
        rules.STRATEGIC,
        True,
        True,
        "",
        15,
    ),
    ("kunder", "Hvem en leverandør skal betjene", rules.DFD, rules.STRATEGIC, True, False, "", 15),
    (
        "budsjettforslag",
        "Leverandørenes satsingsforslag",
        rules.DFD,
        rules.STRATEGIC,
        False,
        True,
        "",
        10,
    ),
    (
        "tjenestedesign",
        "Utforming av tjenester og tjenestenivå",
        rules.PROVIDER,
        rules.TACTICAL,
        False,
        False,
        "Taktisk kundeforum",
        10,
    ),
    (
        "prioriteringer",
        "Prioriteringer innenfor budsjettet",
        rules.PROVIDER,
        rules.TACTICAL,
        False,
        False,
        "",
        10,
    ),
    (
        "rutiner",
        "Rutiner og arbeidsprosesser",
        rules.PROVIDER,
        rules.OPERATIVE,
        False,
        False,
        "",
        5,
    ),
    ("leveranse", "Avvik i leveranser", rules.PROVIDER, rules.OPERATIVE, 0, 0, "", 5),
)


@allowed(SYSTEM_ONLY, gettext_lazy("Fullmaktstabellen settes opp av systemet."))
def seed_decision_rights(*, actor: Actor) -> int:
    """The starting table; rows that exist are left as DFD edited them."""
    created = 0
    for code, topic, decider, level, ministries, council, forum, days in DEFAULT_RIGHTS:
        if DecisionRight.objects.filter(code=code).exists():
            continue
        save_decision_right(
            actor=actor,
            code=code,
            values={
                "topic": topic,
                "decider": decider,
                "level": level,
                "hear_ministries": bool(ministries),
                "hear_council": bool(council),
                "hear_forum": forum,
                "hearing_days": days,
            },
        )
        created += 1
    return created
