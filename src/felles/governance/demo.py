"""Demo governance data: the decision-rights table, cases at every level (one decided and
published), KUD's dialogue with DSS on three levels with a year of meetings, the advisory
council's rotation from this year, and a budget proposal waiting for the council.
DEMO DATA: invented cases and meetings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from felles.core.actor import Actor
from felles.governance import services
from felles.governance.models import Case, CouncilTerm, DecisionRight, MeetingSeries
from felles.organisations.models import Organisation, Person


def load(*, actor: Actor) -> None:
    """Harmless to call twice: nothing is added once the demo cases exist."""
    services.seed_decision_rights(actor=actor)
    if Case.objects.exists():
        return
    org = {o.abbreviation: o for o in Organisation.objects.all()}
    person = {p.user.username: p for p in Person.objects.filter(user__isnull=False)}
    rights = {r.code: r for r in DecisionRight.objects.all()}
    today = timezone.localdate()
    ingrid, marte, lars = person["ingrid"], person["marte"], person["lars"]

    def raise_(code: str, title: str, text: str, by: Person = ingrid) -> Case:
        return services.raise_case(
            actor=actor,
            raised_by=by,
            right=rights[code],
            provider=org["DSS"],
            title=title,
            description=text,
        )

    raise_(
        "rutiner",
        "Adgangskort til nyansatte før første arbeidsdag",
        "Nyansatte i KUD venter i snitt to dager på adgangskort. Vi ber om at kortet kan "
        "bestilles og være klart før første arbeidsdag.",
    )
    tactical = raise_(
        "leveranse",
        "Renhold i møterom etter kl. 15",
        "Møterom i 4. etasje blir ikke rengjort mellom møter etter kl. 15.",
    )
    services.escalate_case(
        actor=actor,
        case=tactical,
        reason="Krever endret bemanning, som er en prioritering innenfor budsjettet.",
    )
    strategic = raise_(
        "tjenestedesign",
        "Felles rekrutteringsløsning for alle departementene",
        "KUD ønsker at DSS tilbyr ett felles rekrutteringssystem i stedet for dagens tre.",
    )
    services.escalate_case(
        actor=actor,
        case=strategic,
        reason="Uenighet om finansieringen: KUD mener det bør bli en grunntjeneste.",
    )
    decided = raise_(
        "rutiner",
        "Varsling ved planlagt nedetid",
        "Planlagt nedetid varsles i dag bare på intranettet.",
        by=lars,
    )
    services.decide_case(
        actor=actor,
        case=decided,
        decision="Planlagt nedetid varsles på e-post til departementenes kontaktpersoner fem "
        "virkedager før.",
        reasons="Kontaktpersonene når de berørte raskest; fem dager gir tid til å planlegge.",
        effective_from=today.replace(day=1),
    )

    # KUD's dialogue with DSS: a year of meetings, one operative month missed.
    start = (today.replace(day=1) - dt.timedelta(days=330)).replace(day=1)
    series = {
        level: services.save_series(
            actor=actor,
            provider=org["DSS"],
            ministry=org["KUD"],
            level=level,
            customer_contact=lars,
            starts_on=start,
        )
        for level in ("operative", "tactical", "strategic")
    }
    _meetings(actor, series, start, today, [ingrid, lars, person["per"]], marte)
    for ministry in ("FIN", "KLD"):
        services.save_series(
            actor=actor,
            provider=org["DSS"],
            ministry=org[ministry],
            level="operative",
            customer_contact=lars,
            starts_on=start,
        )

    # The council: rotating seats from January this year; KUD moves in 2027.
    if not CouncilTerm.objects.exists():
        services.declare_unavailability(
            actor=actor,
            ministry=org["KUD"],
            starts_on=dt.date(today.year + 1, 1, 1),
            ends_on=dt.date(today.year + 1, 12, 31),
            reason="Flytter inn i nytt regjeringskvartal.",
        )
        terms = services.plan_council(
            actor=actor, first=dt.date(today.year, 1, 1), count=5, seats=3
        )
        for term in terms[:2]:
            nominee = Person.objects.filter(organisation=term.ministry).order_by("pk").first()
            if nominee:
                services.nominate(
                    actor=actor,
                    term=term,
                    nominee=nominee,
                    competence="Leder for departementets administrasjon; har drevet "
                    "innføring av felles tjenester.",
                    capacity_hours=8,
                )
    services.submit_budget_proposal(
        actor=actor,
        provider=org["DSS"],
        year=today.year + 2,
        title="Felles rekrutteringsplattform",
        amount=Decimal("12500000"),
        description="Én plattform for rekruttering i alle departementene, med "
        "integrasjon mot Jobbnorge. Investering over to år.",
    )


def _meetings(
    actor: Actor,
    series: dict[str, MeetingSeries],
    start: dt.date,
    today: dt.date,
    people: list[Person],
    owner: Person,
) -> None:
    month = start
    skipped = False
    while month < today.replace(day=1):
        if not skipped and month.month % 5 == 0:
            skipped = True  # one missed operative month shows in the compliance figures
        else:
            services.record_meeting(
                actor=actor,
                series=series["operative"],
                held_on=month + dt.timedelta(days=9),
                agenda="Status bestillinger, avvik, kommende behov",
                minutes="Gjennomgang av åpne bestillinger og avvik. Ingen større saker.",
                participants=people,
            )
        if month.month in (3, 5, 10):
            services.record_meeting(
                actor=actor,
                series=series["tactical"],
                held_on=month + dt.timedelta(days=14),
                agenda="Tjenestenivå, prioriteringer, forbruk",
                minutes="Tjenestenivået er innenfor målet. KUD ønsker raskere rekruttering.",
                participants=people,
                actions=[
                    ("Forslag til raskere rekrutteringsløp", owner, month + dt.timedelta(days=40))
                ],
            )
        month = (month + dt.timedelta(days=32)).replace(day=1)
    services.record_meeting(
        actor=actor,
        series=series["operative"],
        held_on=today + dt.timedelta(days=14),
        agenda="Status bestillinger; adgangskort for nyansatte",
        participants=people,
    )
    services.record_meeting(
        actor=actor,
        series=series["strategic"],
        held_on=today - dt.timedelta(days=60),
        agenda="Årlig strategisk dialog",
        minutes="Gjennomgang av året og neste års behov.",
        participants=people,
    )
