"""The demo's HR import: once the demo people are loaded, the administrator (Ada Admin)
imports KUD's HR export through the real background path — the file stored, one
`core.import` job claimed and run by the worker's code in this process — so the jobs page
and the audit log show a completed import as in real use: a few new hires, new titles,
and one person who has left."""

from __future__ import annotations

import csv
import io

from felles.core import imports, jobs
from felles.core.actor import Actor
from felles.core.models import Job
from felles.organisations.models import Organisation, Person

COLUMNS = [
    "ansattnummer",
    "fornavn",
    "etternavn",
    "epost",
    "enhetskode",
    "stilling",
    "leder_ansattnummer",
    "aktiv",
]
NEW_HIRES = (("Mina", "Aas", "Rådgiver"), ("Jonas", "Lie", "Seniorrådgiver"))
PROMOTED = {"Rådgiver": "Seniorrådgiver", "Seniorrådgiver": "Fagdirektør"}


def hr_export(organisation: Organisation) -> bytes:
    """The organisation's people as its HR system would export them after a month: two new
    hires, three promotions, one adviser who has left (deterministic)."""
    people = list(
        Person.objects.filter(organisation=organisation)
        .select_related("unit", "line_manager", "user")
        .order_by("employee_number")
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(COLUMNS)
    advisers = [p for p in people if p.title in PROMOTED and p.user and "." in p.user.username]
    promoted = {p.pk for p in advisers[:3]}
    leaving = advisers[-1].pk if len(advisers) > 3 else None
    for p in people:
        writer.writerow(
            [
                p.employee_number,
                p.first_name,
                p.last_name,
                p.email,
                p.unit.code if p.unit else "",
                PROMOTED[p.title] if p.pk in promoted else p.title,
                p.line_manager.employee_number if p.line_manager else "",
                "nei" if p.pk == leaving or not p.active else "ja",
            ]
        )
    chief = advisers[0].line_manager if advisers else None
    for n, (first, last, title) in enumerate(NEW_HIRES, start=1):
        writer.writerow(
            [
                f"{organisation.abbreviation}-NY{n}",
                first,
                last,
                f"{first}.{last}@{organisation.email_domain}".lower(),
                chief.unit.code if chief and chief.unit else "",
                title,
                chief.employee_number if chief else "",
                "ja",
            ]
        )
    return buffer.getvalue().encode()


def run(*, abbreviation: str = "KUD", administrator: str = "admin") -> Job | None:
    """Import the organisation's HR export as the administrator, as a finished job."""
    organisation = Organisation.objects.get(abbreviation=abbreviation)
    admin = Person.objects.select_related("user").filter(user__username=administrator).first()
    if admin is None or admin.user is None:
        return None
    filename = f"hr-eksport-{abbreviation.lower()}.csv"
    job = imports.start(
        "organisations",
        hr_export(organisation),
        {"kind": "people", "organisation": organisation.pk, "filename": filename},
        actor=Actor(user=admin.user),
    )
    return jobs.run_now(job)
