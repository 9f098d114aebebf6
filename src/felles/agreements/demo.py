"""Demo delivery agreements: DSS's agreements in force with KUD, FD and UD from the start
of the year — FD's with the adaptation the review calls for (FD does not move into the
new government quarter, seed lines 4278–4284), UD's with its foreign-service needs — and
a draft with FIN. DEMO DATA: invented volumes, targets and contacts."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from felles.agreements import rules, services
from felles.agreements.models import Agreement
from felles.catalog.models import Service
from felles.core.actor import Actor
from felles.organisations.models import Organisation, Person, Role

D = Decimal
T = rules.Targets

# (service code, volume, {priority: (response, resolution)}): within each service's
# standard (docs/service-levels.md), stricter where the ministry has asked for it.
COMMON = [
    ("srv-mobil", 120, {"normal": T(D(4), D(24))}),
    ("srv-moterom", None, {"normal": T(D(1), D(4)), "high": T(D("0.5"), D(2))}),
    ("srv-vakt-resepsjon", None, {}),
]
NOTES = {
    "KUD": "Ingen særskilte ordninger.",
    "FD": (
        "FD flytter ikke inn i nytt regjeringskvartal. Vakthold og resepsjon leveres i FDs "
        "egne lokaler (tjenesten «Vakthold for FD»), med kritiske hendelser besvart innen et "
        "kvarter. Møterom i FDs lokaler bestilles gjennom FDs egen resepsjon; DSS leverer "
        "servering og utstyr dit. Tilpasningen vurderes på nytt ved neste versjon."
    ),
    "UD": (
        "UD forvalter utenriksstasjonene: mobiltelefoner til utsendte bestilles med "
        "leveranse via UDs kurertjeneste, og saker fra stasjonene i andre tidssoner regnes "
        "fra første virkedag i Oslo. Volumet for mobiltelefoner dekker også rotasjonen om "
        "sommeren."
    ),
}
EXTRA = {
    "FD": [("sik-vakt-fd", None, {"high": T(D(1), D(4)), "critical": T(D("0.25"), D(1))})],
    "UD": [],
    "KUD": [],
}


def _coordinator(ministry: Organisation) -> Person | None:
    return (
        Person.objects.filter(
            organisation=ministry,
            active=True,
            roles__role=Role.ORDERING_COORDINATOR,
            roles__organisation=ministry,
        )
        .order_by("pk")
        .first()
    )


def load(*, actor: Actor) -> None:
    """Harmless to call twice: nothing is added once DSS has an agreement."""
    org = {o.abbreviation: o for o in Organisation.objects.all()}
    dss = org.get("DSS")
    if dss is None or Agreement.objects.filter(provider=dss).exists():
        return
    siri = Person.objects.filter(user__username="siri").first()
    marte = Person.objects.filter(user__username="marte").first()
    if siri is None:
        return
    codes = {s.code: s for s in Service.objects.filter(provider=dss)}
    start = timezone.localdate().replace(month=1, day=1)
    for abbreviation in ("KUD", "FD", "UD"):
        ministry = org.get(abbreviation)
        coordinator = _coordinator(ministry) if ministry else None
        if ministry is None or coordinator is None:
            continue
        agreement = services.create_draft(
            actor=actor,
            provider=dss,
            ministry=ministry,
            valid_from=start,
            valid_to=start.replace(month=12, day=31),
            notes=NOTES[abbreviation],
            min_compliance=95 if abbreviation == "FD" else 90,
            provider_contact=marte or siri,
            ministry_contact=coordinator,
        )
        for code, volume, targets in COMMON + EXTRA[abbreviation]:
            if code in codes:
                services.save_line(
                    actor=actor,
                    agreement=agreement,
                    service=codes[code],
                    volume=volume,
                    targets=targets,
                )
        services.send(actor=actor, agreement=agreement)
        services.accept(actor=actor, agreement=agreement, person=coordinator, side="ministry")
        services.accept(actor=actor, agreement=agreement, person=siri, side="provider")
    fin = org.get("FIN")
    if fin is not None:
        draft = services.create_draft(
            actor=actor,
            provider=dss,
            ministry=fin,
            valid_from=start.replace(year=start.year + 1),
            notes="Utkast: FIN ønsker kortere løsningstid for møterom i budsjettperioden.",
            provider_contact=siri,
        )
        if "srv-moterom" in codes:
            services.save_line(
                actor=actor,
                agreement=draft,
                service=codes["srv-moterom"],
                targets={"normal": T(D(1), D(6))},
            )
