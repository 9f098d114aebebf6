"""Demo HR: Helene on DSS's HR team; DFØ figures for every ministry over four years (KUD's
with small cells, so the pages show «<5»); KUD's employee survey with a small unit and its
action plan; the recruitment steps as a task template, the key dates of the demo's
recruitments; a salary change from Per for Kari. DEMO DATA: invented figures, not DFØ's.
Harmless to call twice (the imports are idempotent; the rest is added once)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from felles.catalog import services as catalog_services
from felles.core.actor import Actor
from felles.governance import services as governance_services
from felles.governance.models import Meeting, MeetingSeries
from felles.hr import importing, services, surveys
from felles.hr.models import Recruitment, SalaryChange
from felles.orders.models import Order
from felles.organisations.models import Organisation, Person
from felles.tasks import services as task_services
from felles.tasks.services import TaskSpec

TEAM_SERVICES = (
    "hr-statistikk",
    "hr-medarbeiderundersokelse",
    "hr-rekruttering",
    "hr-toppleder",
    "hr-personaladministrasjon",
    "hr-lonnsendring",
)
# The steps of a recruitment (issue 22): the provider's task, the customer's step name.
RECRUITMENT_STEPS = (
    ("Behovsanalyse med lederen", "Behovsanalyse", "Needs analysis", 5),
    ("Utlys i Jobbnorge og før referansenummeret", "Utlyst", "Announced", 10),
    ("Utvelgelse til intervju", "Utvelgelse", "Shortlisting", 25),
    ("Intervjuer", "Intervjuer", "Interviews", 35),
    ("Referanseintervjuer", "Referanser", "References", 40),
    ("Tilbud til kandidaten", "Tilbud", "Offer", 45),
    ("Tilbudet er akseptert", "Akseptert", "Accepted", 50),
)
YEARS = (2022, 2023, 2024, 2025)


def _team(actor: Actor, helene: Person) -> None:
    catalog_services.join_handling_team(actor=actor, codes=TEAM_SERVICES, person=helene)


def statistics_csv() -> bytes:
    """Every ministry, four years, long format (deterministic)."""
    rng = random.Random(22)
    lines = ["departement;periode;måltall;inndeling;verdi"]
    for org in Organisation.objects.customers().order_by("abbreviation"):
        size = 40 if org.abbreviation == "KUD" else rng.randint(60, 400)
        for year in YEARS:
            head = size + (year - YEARS[0]) * (
                1 if org.abbreviation == "KUD" else rng.randint(-3, 6)
            )
            women = round(head * rng.uniform(0.5, 0.62))
            if org.abbreviation == "KUD":
                ages = {"under 30": 3, "30–44": head - 3 - 14 - 8, "45–59": 14, "60 og over": 8}
                part = {"heltid": head - 2, "deltid": 2}
                turnover = 4
            else:
                young = max(5, round(head * 0.12))
                old = max(5, round(head * 0.1))
                mid = round((head - young - old) / 2)
                ages = {
                    "under 30": young,
                    "30–44": mid,
                    "45–59": head - young - old - mid,
                    "60 og over": old,
                }
                part = {
                    "heltid": head - max(5, round(head * 0.06)),
                    "deltid": max(5, round(head * 0.06)),
                }
                turnover = round(head * rng.uniform(0.05, 0.11))
            rows = [
                ("antall ansatte", "", head),
                ("årsverk", "", f"{head * rng.uniform(0.9, 0.97):.1f}".replace(".", ",")),
                ("turnover", "", turnover),
                ("sykefravær", "", f"{rng.uniform(3.2, 6.4):.1f}".replace(".", ",")),
                ("kjønn", "kvinner", women),
                ("kjønn", "menn", head - women),
                *(("alder", k, v) for k, v in ages.items()),
                *(("deltid", k, v) for k, v in part.items()),
            ]
            lines += [f"{org.abbreviation};{year};{m};{b};{v}" for m, b, v in rows]
    return ("\n".join(lines) + "\n").encode()


SURVEY = (
    "departement;periode;enhet;tema;svar;skår",
    "KUD;2025;;Engasjement;36;76",
    "KUD;2025;Kulturavdelingen;Engasjement;18;79",
    "KUD;2025;Medieavdelingen;Engasjement;14;74",
    "KUD;2025;Stab;Engasjement;4;70",
    "KUD;2025;;Ledelse;36;71",
    "KUD;2025;Kulturavdelingen;Ledelse;18;73",
    "KUD;2025;Medieavdelingen;Ledelse;14;70",
    "KUD;2025;Stab;Ledelse;4;62",
    "KUD;2025;;Arbeidsbelastning;36;58",
    "FIN;2025;;Engasjement;180;74",
    "FIN;2025;;Ledelse;180;72",
    "FIN;2025;;Arbeidsbelastning;180;55",
)


def _action_plan(actor: Actor, kud: Organisation, per: Person | None) -> None:
    series = MeetingSeries.objects.filter(ministry=kud, provider__abbreviation="DSS").first()
    if series is None or per is None:
        return
    if Meeting.objects.filter(series=series, agenda__startswith=surveys.AGENDA_PREFIX).exists():
        return
    today = timezone.localdate()
    governance_services.record_meeting(
        actor=actor,
        series=series,
        held_on=today - dt.timedelta(days=14),
        agenda=f"{surveys.AGENDA_PREFIX} 2025: handlingsplan for KUD",
        minutes="Gjennomgang av resultatene med DSS HR. Tiltak avtalt (demodata).",
        actions=[
            (
                "Avklare forventninger til arbeidsbelastning i hver avdeling",
                per,
                today + dt.timedelta(days=45),
            ),
            (
                "Lederutvikling for mellomledere (Felles HR-akademiet)",
                per,
                today + dt.timedelta(days=120),
            ),
        ],
    )


def _recruitments(actor: Actor, helene: Person) -> None:
    today = timezone.localdate()
    orders = Order.objects.filter(service__code="hr-rekruttering").order_by("submitted_at")
    for n, order in enumerate(orders):
        if Recruitment.objects.filter(order=order).exists():
            continue
        start = timezone.localdate(order.submitted_at)
        values: dict[str, object] = {"jobbnorge_ref": f"JN-{260100 + n}"}
        announced = start + dt.timedelta(days=7)
        if announced <= today:
            values["announced_on"] = announced
            values["deadline_on"] = announced + dt.timedelta(days=21)
        accepted = start + dt.timedelta(days=55 + 7 * n)
        if order.resolved_at is not None and accepted <= today:
            values["offer_on"] = accepted - dt.timedelta(days=5)
            values["accepted_on"] = accepted
        by = Actor(user=helene.user) if services.handles(helene.user, order) else actor
        services.save_recruitment(actor=by, order=order, values=values)


def load(*, actor: Actor) -> None:
    helene = Person.objects.filter(user__username="helene").select_related("user").first()
    kud = Organisation.objects.filter(abbreviation="KUD").first()
    if helene is None or kud is None:
        return
    _team(actor, helene)
    plan = importing.plan_statistics(statistics_csv(), "dfo-hr-statistikk-demo.csv")
    if plan.ok and plan.changes:
        importing.apply_statistics(actor=actor, plan=plan)
    survey = importing.plan_survey(
        ("\n".join(SURVEY) + "\n").encode(), "medarbeiderundersokelse-demo.csv"
    )
    if survey.ok and survey.changes:
        importing.apply_survey(actor=actor, plan=survey)
    per = Person.objects.filter(user__username="per").first()
    _action_plan(actor, kud, per)
    task_services.seed_templates(
        actor=actor,
        templates={
            code: [
                TaskSpec(
                    name_nb=task, step_nb=step, step_en=step_en, team="HRF-REK", offset_days=days
                )
                for task, step, step_en, days in RECRUITMENT_STEPS
            ]
            for code in ("hr-rekruttering", "hr-toppleder")
        },
        valid_from=timezone.localdate().replace(month=1, day=1),
    )
    _recruitments(actor, helene)
    kari = Person.objects.filter(user__username="kari").first()
    if per is not None and kari is not None and not SalaryChange.objects.exists():
        services.send_salary_change(
            actor=actor,
            orderer=per,
            person=kari,
            kind="new_salary",
            effective_on=timezone.localdate().replace(day=1) + dt.timedelta(days=31),
            employee_number="10004711",
            salary_step=62,
            reason="Nytt lønnstrinn etter lokale forhandlinger (demodata).",
        )
