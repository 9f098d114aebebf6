"""Demo data for personnel security: Sigrid on DSS's personnel-security team (the handling
team of the sik-* services), KUD's register with a clearance expiring in 7 months, one due
for re-clearance now, a conversation due soon, an authorisation long ended (for the
disposal dry run), KUD's VF § 72 list issued once by Knut (the archive), and a row in FIN's
register (Frode's; Knut never sees it). One reminder scan, as the worker would run it, so
Knut's register opens with reminders."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from felles.catalog import services as catalog_services
from felles.core.actor import Actor
from felles.organisations.models import Organisation, Person
from felles.security import archive, services, workflow
from felles.security.models import Clearance

TEAM_CODES = ("sik-klarering", "sik-autorisasjon", "sik-nbn")


def _team(actor: Actor) -> None:
    sigrid = Person.objects.filter(user__username="sigrid").first()
    if sigrid is None:
        return
    catalog_services.join_handling_team(
        actor=actor, codes=TEAM_CODES, person=sigrid, reason_nb="Personellsikkerhet."
    )


def load(*, actor: Actor) -> None:
    _team(actor)
    kud = Organisation.objects.filter(abbreviation="KUD").first()
    fin = Organisation.objects.filter(abbreviation="FIN").first()
    if kud is None or fin is None or Clearance.objects.filter(ministry=kud).exists():
        return
    today = timezone.localdate()
    people = list(
        Person.objects.filter(organisation=kud, active=True)
        .exclude(user__username__in=["knut", "per"])
        .order_by("employee_number")[:6]
    )
    if len(people) < 6:
        return
    leader = "Departementsråden"

    def months(n: int) -> dt.date:
        result: dt.date = today + relativedelta(months=n)
        return result

    # (person, level, expires in months): the first expires in 7 months (re-clearance in
    # one), the second in 5 (re-clearance due now: the scan prepares its draft).
    for person, level, expires_in in zip(
        people,
        ["hemmelig", "konfidensielt", "strengt_hemmelig", "hemmelig"],
        [7, 5, 30, 44],
        strict=False,
    ):
        expires = months(expires_in)
        decided = expires - relativedelta(years=5) + dt.timedelta(days=1)
        services.add_clearance(
            actor=actor,
            ministry=kud,
            person=person,
            level=level,
            decided_on=decided,
            expires_on=expires,
        )
        conversation = decided + dt.timedelta(days=14)
        if level == "strengt_hemmelig":
            conversation = months(-24) + dt.timedelta(days=10)  # due in 10 days
        # The declaration (VF § 67) and the conversation (VF § 68) come before the grant.
        services.add_declaration(actor=actor, ministry=kud, person=person, signed_on=decided)
        services.add_authorisation(
            actor=actor,
            ministry=kud,
            person=person,
            level=level,
            granted_on=max(conversation, decided) + dt.timedelta(days=1),
            authorised_by=leader,
            conversation_on=conversation,
        )
    # BEGRENSET: no clearance, only an authorisation and a declaration.
    services.add_authorisation(
        actor=actor,
        ministry=kud,
        person=people[4],
        level="begrenset",
        granted_on=months(-10),
        authorised_by=leader,
        conversation_on=months(-10),
    )
    services.add_declaration(actor=actor, ministry=kud, person=people[4], signed_on=months(-10))
    # Ended more than a year ago: the disposal dry run lists it.
    ended = services.add_authorisation(
        actor=actor,
        ministry=kud,
        person=people[5],
        level="begrenset",
        granted_on=months(-40),
        authorised_by=leader,
    )
    services.end_authorisation(actor=actor, row=ended, ended_on=months(-14))
    # FIN's register: Frode's, never Knut's.
    fin_person = (
        Person.objects.filter(organisation=fin, active=True)
        .exclude(user__username="frode")
        .order_by("employee_number")
        .first()
    )
    if fin_person is not None:
        services.add_clearance(
            actor=actor,
            ministry=fin,
            person=fin_person,
            level="hemmelig",
            decided_on=months(-50),
            expires_on=months(6),
        )
    # KUD's VF § 72 list, issued and archived by its security coordinator (kept 10 years).
    knut = Person.objects.filter(user__username="knut", organisation=kud).first()
    issuer = Actor(user=knut.user) if knut is not None and knut.user is not None else actor
    archive.issue_list(actor=issuer, ministry=kud, label="Årlig gjennomgang")
    workflow.scan(actor=actor, today=today)
