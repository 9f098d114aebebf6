"""Demo guidelines: DSS's travel routine adopted by DFD after its hearing (KUD has an
exception until next summer, FIN has adopted it, the rest are overdue), DFD's common
security instruction on hearing, and DSS's recruitment routine as a draft.
DEMO DATA: invented texts."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from felles.catalog.models import ServiceArea
from felles.core.actor import Actor
from felles.governance.models import Hearing
from felles.guidelines import services
from felles.guidelines.models import Guideline, Version
from felles.organisations.models import Organisation, Person

TRAVEL = """# Formål
Reiser for departementene bestilles gjennom den felles rammeavtalen, slik at alle får samme
pris og samme reiseforsikring.

# Slik gjør du
1. Bestill reisen i reisebyråets portal senest fem virkedager før avreise.
2. Velg **billigste hensiktsmessige** reisemåte.
3. Lever reiseregningen innen en måned etter hjemkomst.

# Klasser
- Fly: økonomiklasse
- Tog: standard, komfort på reiser over fire timer
"""

SECURITY = """# Felles sikkerhetsinstruks
Instruksen gjelder alle ansatte i departementsfellesskapet.

- Skjermlås når du forlater plassen.
- Graderte dokumenter behandles bare på godkjente systemer.
- Avvik meldes til sikkerhetskoordinatoren samme dag.
"""

RECRUITMENT = """# Felles rutine for rekruttering
Utlysninger publiseres i Jobbnorge. DSS hjelper med behovsanalyse, utlysning og
intervjuer; departementet beslutter tilsetting.
"""


def _as(person: Person) -> Actor:
    return Actor(user=person.user, request_id="demo")


def load(*, actor: Actor) -> None:
    """Harmless to call twice: nothing is added once the demo guidelines exist."""
    if Guideline.objects.exists():
        return
    org = {o.abbreviation: o for o in Organisation.objects.all()}
    person = {p.user.username: p for p in Person.objects.filter(user__isnull=False)}
    area = {a.code: a for a in ServiceArea.objects.all()}
    marte, anne = person["marte"], person["anne"]
    today = timezone.localdate()

    travel = services.create_guideline(
        actor=_as(marte),
        code="reiser",
        title="Reisebestilling og reiseregninger",
        kind="routine",
        area=area["service"],
        owner=org["DSS"],
        text=TRAVEL,
        effective_from=today - dt.timedelta(days=20),
        respond_by=today,
    )
    travel = services.send_to_hearing(actor=_as(marte), version=travel)
    # The hearing has closed and the answer deadline passed (demo: moved into the past).
    Hearing.objects.filter(case=travel.case).update(deadline=today - dt.timedelta(days=30))
    Version.objects.filter(pk=travel.pk).update(respond_by=today - dt.timedelta(days=5))
    travel.refresh_from_db()
    travel = services.adopt_version(
        actor=_as(anne),
        version=travel,
        reasons="Høringen viste bred støtte; felles avtale gir lavere priser.",
    )
    services.record_adoption(
        actor=_as(person["per"]),
        version=travel,
        ministry=org["KUD"],
        status="exception",
        reason="KUD har egen avtale for kunstnerreiser som løper ut neste sommer.",
        ends_on=today.replace(month=6, day=30) + dt.timedelta(days=366),
    )
    services.record_adoption(actor=actor, version=travel, ministry=org["FIN"], status="adopted")

    security = services.create_guideline(
        actor=_as(anne),
        code="sikkerhetsinstruks",
        title="Felles sikkerhetsinstruks",
        kind="guideline",
        area=area["sikkerhet"],
        owner=org["DFD"],
        text=SECURITY,
        effective_from=today + dt.timedelta(days=60),
        respond_by=today + dt.timedelta(days=90),
    )
    services.send_to_hearing(actor=_as(anne), version=security)

    services.create_guideline(
        actor=_as(marte),
        code="rekruttering",
        title="Felles rutine for rekruttering",
        kind="routine",
        area=area["hr"],
        owner=org["DSS"],
        text=RECRUITMENT,
        effective_from=today + dt.timedelta(days=30),
        respond_by=today + dt.timedelta(days=60),
    )
