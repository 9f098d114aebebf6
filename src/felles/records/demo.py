"""Demo archive work for KUD (`felles demo`): Dag (DIO) on the archive team, task
templates for the archive services, KUD's archive periods, three archive jobs from Eva's
orders (a transfer waiting for its Arkade report, a periodisation, a disposal with its
log), a spot check with findings and an inspection by Arkivverket. Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from felles.catalog import services as catalog_services
from felles.catalog.models import Service
from felles.core.actor import Actor
from felles.governance import services as governance_services
from felles.orders import services as order_services
from felles.organisations.models import Organisation, Person, Role
from felles.records import selectors, services
from felles.records.models import ArchiveJob, Inspection, SpotCheck
from felles.tasks import services as task_services
from felles.tasks.services import TaskSpec


def _t(name: str, step: str, days: int, name_en: str, step_en: str) -> TaskSpec:
    return TaskSpec(name, step, name_en, step_en, "Arkivteamet", True, days)


TEMPLATES: dict[str, list[TaskSpec]] = {
    "if-deponering": [
        _t("Lag arkivuttrekk", "Uttrekket lages", 5, "Extract the archive", "The extract is made"),
        _t(
            "Test uttrekket i Arkade",
            "Uttrekket testes",
            8,
            "Test the extract in Arkade",
            "The extract is tested",
        ),
        _t(
            "Send avleveringspakken til Arkivverket",
            "Pakken sendes",
            15,
            "Send the package to Arkivverket",
            "The package is sent",
        ),
    ],
    "if-periodisering": [
        _t(
            "Avslutt mapper i overlappingsperioden",
            "Mappene avsluttes",
            10,
            "Close the folders of the overlap period",
            "The folders are closed",
        ),
        _t(
            "Sett arkivdelen til avsluttet periode",
            "Perioden avsluttes",
            15,
            "Set the archive part to closed",
            "The period is closed",
        ),
    ],
    "if-kassasjon": [
        _t(
            "List materiale som kan kasseres",
            "Materialet listes",
            5,
            "List the material due for disposal",
            "The material is listed",
        ),
        _t(
            "Gjennomfør godkjent kassasjon",
            "Kassasjonen gjennomføres",
            10,
            "Carry out the approved disposal",
            "The disposal is carried out",
        ),
    ],
}

PERIODS = [
    ("Sakarkiv 1997–2001", "Ephorte", (1997, 1, 1), (2001, 12, 31), "deposited"),
    ("Sakarkiv 2012–2016", "Ephorte", (2012, 1, 1), (2016, 12, 31), "deposited"),
    ("Sakarkiv 2017–2021", "Public 360", (2017, 1, 1), (2021, 12, 31), "closed"),
    ("Sakarkiv 2022–2026", "Public 360", (2022, 1, 1), (2026, 12, 31), "active"),
]


def _order(
    actor: Actor, eva: Person, code: str, text: str, amount: str, agent: Person | None = None
) -> Any:
    service = Service.objects.get(code=code)
    order = order_services.submit_order(
        actor=actor,
        orderer=eva,
        service=service,
        answers={
            "beskrivelse": {"label": "Hva gjelder oppdraget?", "value": text},
            "omfang": {"label": "Omfang (hyllemeter eller antall saker)", "value": amount},
        },
    )
    for step in order.steps.order_by("position"):
        step.refresh_from_db()
        approver = step.approver or eva.line_manager
        if approver is None:
            break
        order_services.decide(
            actor=actor, step=step, decider=approver, on_behalf_of=approver, approve=True
        )
    order.refresh_from_db()
    if agent is not None and order.status == "queued":
        # Dag has taken it: the job is on his start page («Mine saker nær fristen»).
        order = order_services.take(actor=actor, order=order, agent=agent)
    return order


def _journal_extract(rows: int) -> bytes:
    lines = ["saksnummer;tittel;saksbehandler;tilgangskode;dokumenter"]
    for n in range(1, rows + 1):
        officer = "" if n % 17 == 0 else f"Saksbehandler {n % 7 + 1}"
        code = "U" if n % 11 else "13"
        lines.append(f"2026/{n:04d};Sak om kulturtilskudd {n};{officer};{code};{n % 4}")
    return ("\n".join(lines) + "\n").encode()


def _team(actor: Actor, dag: Person) -> None:
    catalog_services.join_handling_team(actor=actor, codes=selectors.ARCHIVE_SERVICES, person=dag)


def _network(actor: Actor) -> None:
    """The information-management coordinators' network: an arena DIO runs for every
    ministry's coordinator (create_arena updates it on a second run)."""
    dio = Organisation.objects.filter(abbreviation="DIO").first()
    if dio is None:
        return
    governance_services.create_arena(
        actor=actor,
        provider=dio,
        name_nb=selectors.NETWORK_NAME,
        name_en="Network of information-management coordinators",
        members=list(Organisation.objects.customers()),
        member_roles=[Role.INFORMATION_COORDINATOR],
        service=Service.objects.filter(code="if-arkivtjeneste").first(),
    )


def load(*, actor: Actor) -> int:
    """KUD's demo archive work; returns how many jobs were created (0 on a second run)."""
    kud = Organisation.objects.filter(abbreviation="KUD").first()
    eva = Person.objects.filter(user__username="eva").first()
    dag = Person.objects.filter(user__username="dag").first()
    if kud is None or eva is None or dag is None:
        return 0
    _team(actor, dag)
    _network(actor)
    today = timezone.localdate()
    task_services.seed_templates(
        actor=actor, templates=TEMPLATES, valid_from=today.replace(month=1, day=1)
    )
    if ArchiveJob.objects.filter(ministry=kud).exists():
        return 0
    with transaction.atomic():
        periods = {}
        for name, system, start, end, status in PERIODS:
            periods[name] = services.save_period(
                actor=actor,
                ministry=kud,
                values={
                    "name": name,
                    "system": system,
                    "starts_on": dt.date(*start),
                    "ends_on": dt.date(*end),
                    "status": status,
                },
            )
        transfer = services.open_job(
            actor=actor,
            order=_order(
                actor, eva, "if-deponering", "Avlevering av sakarkivet 1997–2001", "84", dag
            ),
            values={
                "kind": ArchiveJob.Kind.TRANSFER,
                "title": "Avlevering av sakarkiv 1997–2001",
                "period": periods["Sakarkiv 1997–2001"],
                "planned_start": today.replace(month=9, day=1),
                "planned_end": today.replace(month=12, day=15),
                "actual_start": today.replace(month=9, day=15),
                "shelf_metres": Decimal("84.5"),
                "record_count": 41_200,
            },
        )
        services.add_retention(
            actor=actor,
            job=transfer,
            values={
                "material": "Saksarkivet 1997–2001, alle klasser",
                "decision": "keep",
                "basis": "Riksarkivarens forskrift kap. 7",
            },
        )
        services.open_job(
            actor=actor,
            order=_order(actor, eva, "if-periodisering", "Periodeskille 31.12", "0"),
            values={
                "title": "Periodisering av sakarkiv 2022–2026",
                "period": periods["Sakarkiv 2022–2026"],
                "planned_start": today.replace(month=11, day=1),
                "planned_end": dt.date(today.year + 1, 3, 31),
                "record_count": 38_000,
            },
        )
        disposal = services.open_job(
            actor=actor,
            order=_order(
                actor, eva, "if-kassasjon", "Kassasjon av søknader om tilskudd", "12", dag
            ),
            values={
                "title": "Kassasjon av tilskuddssøknader 2012–2016",
                "period": periods["Sakarkiv 2012–2016"],
                "planned_start": today.replace(month=10, day=1),
                "planned_end": today.replace(month=12, day=20),
                "shelf_metres": Decimal("12.0"),
            },
        )
        decision = services.add_retention(
            actor=actor,
            job=disposal,
            values={
                "material": "Avslåtte søknader om driftstilskudd",
                "decision": "dispose",
                "retention_years": 5,
                "closed_on": dt.date(2016, 12, 31),
                "basis": "Bevarings- og kassasjonsplan for KUD, pkt. 4.2",
            },
        )
        services.add_retention(
            actor=actor,
            job=disposal,
            values={
                "material": "Innvilgede søknader med rapporter",
                "decision": "later",
                "basis": "Vurderes ved neste bevaringsvurdering",
            },
        )
        services.approve_disposal(
            actor=actor,
            decision=decision,
            description="Avslåtte søknader om driftstilskudd 2012–2016",
            volume="4 hyllemeter",
            person=eva,
        )
        if not SpotCheck.objects.filter(ministry=kud).exists():
            check = services.create_spot_check(
                actor=actor,
                ministry=kud,
                title="Stikkprøve av journalen, 3. kvartal",
                filename="journal-3-kvartal.csv",
                content=_journal_extract(150),
                seed=2026,
                person=eva,
            )
            findings = ["ok", "missing_capture", "ok", "missing_officer", "ok", "ok"]
            for item, finding in zip(check.items.order_by("position"), findings, strict=False):
                services.record_finding(
                    actor=actor,
                    item=item,
                    finding=finding,
                    action="" if finding == "ok" else "Påminnelse til saksbehandler",
                )
        if not Inspection.objects.filter(ministry=kud).exists():
            inspection = services.create_inspection(
                actor=actor,
                ministry=kud,
                title="Arkivverkets tilsyn med KUD",
                held_on=today.replace(month=3, day=10),
                response_due=today.replace(month=6, day=1),
            )
            services.add_inspection_finding(
                actor=actor,
                inspection=inspection,
                finding="Bevarings- og kassasjonsplanen er ikke oppdatert siden 2015.",
                action="Oppdater planen og send den til Arkivverket",
                responsible="Eva Dahl",
                deadline=today.replace(month=12, day=31),
            )
            services.add_inspection_finding(
                actor=actor,
                inspection=inspection,
                finding="Rutinen for dokumentfangst av e-post er ikke kjent blant de ansatte.",
                action="Opplæring i dokumentfangst for alle avdelinger",
                responsible="Eva Dahl",
                deadline=today.replace(month=11, day=30),
            )
    return ArchiveJob.objects.filter(ministry=kud).count()
