"""Incidents: reporting, follow-up actions (governance's action items) and closing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import Conflict, ServiceError, allowed
from felles.governance import services as governance_services
from felles.governance.models import ActionItem
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Person
from felles.preparedness import selectors
from felles.preparedness.models import Incident
from felles.preparedness.services._common import actions, date, text


def _is_reporter(user: object, *, reporter: Person, **_: object) -> bool:
    person = org_selectors.person_for(user)
    return person is not None and person.pk == reporter.pk


@allowed(_is_reporter, gettext_lazy("Du kan bare melde hendelser i eget navn."))
def report_incident(
    *,
    actor: Actor,
    reporter: Person,
    kind: str,
    occurred_at: dt.datetime,
    severity: int,
    summary: str,
    report_nsm: bool = False,
    report_police: bool = False,
) -> Incident:
    """Any employee reports an incident in her own ministry. Metadata only: the summary
    must not hold graded information (the form says so)."""
    if kind not in Incident.Kind.values:
        raise ServiceError(_("Ukjent type hendelse."), {"kind": [_("Velg en type.")]})
    if severity not in Incident.Severity.values:
        raise ServiceError(
            _("Alvorlighet må være fra 1 (lav) til 4 (kritisk)."), {"severity": [_("Ugyldig.")]}
        )
    date(occurred_at.date(), "occurred_at")
    if timezone.is_naive(occurred_at):  # an API client sent local time without an offset
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > timezone.now() + dt.timedelta(minutes=5):
        raise ServiceError(
            _("Tidspunktet kan ikke ligge fram i tid."), {"occurred_at": [_("Fram i tid.")]}
        )
    summary = text(
        summary,
        "summary",
        limit=2000,
        multiline=True,
        required=_("Beskriv kort hva som skjedde (uten gradert informasjon)."),
    )
    with transaction.atomic():
        incident = Incident.objects.create(
            ministry_id=reporter.organisation_id,
            reported_by=reporter,
            kind=kind,
            occurred_at=occurred_at,
            severity=severity,
            summary=summary,
            report_nsm=bool(report_nsm),
            report_police=bool(report_police),
        )
        audit.record(
            actor=actor,
            action="preparedness.incident.report",
            obj=incident,
            changes={"kind": [None, kind], "severity": [None, severity]},
            organisation_id=incident.ministry_id,
        )
    return incident


HANDLERS_ONLY = gettext_lazy(
    "Bare departementets sikkerhetskoordinator og DSS' sikkerhetsteam følger opp hendelser."
)


@allowed(lambda user, incident, **_: selectors.handles_incident(user, incident), HANDLERS_ONLY)
def add_incident_action(
    *, actor: Actor, incident: Incident, text: str, owner: Person, due_on: dt.date
) -> ActionItem:
    """A follow-up action with an owner and a deadline: a governance action item on the
    incident, seen by whoever sees the incident and by its owner."""
    rows = actions([(text, owner, due_on)], {incident.ministry_id}, selectors.INCIDENT_CODES)
    if not rows:
        raise ServiceError(_("Beskriv tiltaket."), {"text": [_("Må fylles ut.")]})
    with transaction.atomic():
        return governance_services.add_actions(
            actor=actor, subject=incident, actions=rows, organisation_id=incident.ministry_id
        )[0]


@allowed(lambda user, incident, **_: selectors.handles_incident(user, incident), HANDLERS_ONLY)
def close_incident(*, actor: Actor, incident: Incident) -> Incident:
    with transaction.atomic():
        if not Incident.objects.filter(pk=incident.pk, status=Incident.Status.OPEN).update(
            status=Incident.Status.CLOSED, closed_at=timezone.now()
        ):
            raise Conflict(_("Hendelsen er allerede avsluttet."))
        incident.refresh_from_db()
        audit.record(
            actor=actor,
            action="preparedness.incident.close",
            obj=incident,
            changes={"status": ["open", "closed"]},
            organisation_id=incident.ministry_id,
        )
    return incident
