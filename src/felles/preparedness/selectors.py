"""Who sees and works on which preparedness record, and the aggregates DFD sees.

"DSS's security team" is `catalog.selectors.handling_reach` for the service codes relevant
to the record: the ministries for which the user is on the handling team of one of them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear

from felles.catalog.models import Service
from felles.catalog.selectors import handling_reach
from felles.core import visibility
from felles.core.permissions import Rule
from felles.core.types import AnyUser
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Person, Role
from felles.preparedness import rules
from felles.preparedness.models import (
    Analysis,
    Exercise,
    GradedContract,
    Incident,
    SelfReport,
)
from felles.preparedness.models.work import QUESTIONS

INCIDENT_CODES = ("sik-hendelse",)
ROS_CODES = ("sik-ros", "sik-trussel")
EXERCISE_CODES = ("sik-ovelse",)
STOCK_CODES = ("sik-beredskapslager",)
PROCUREMENT_CODES = ("sik-anskaffelse",)
ALL_CODES = (
    *INCIDENT_CODES,
    *ROS_CODES,
    *EXERCISE_CODES,
    *STOCK_CODES,
    *PROCUREMENT_CODES,
)
Reach = frozenset[int] | None  # ministries; None: all


def ministries_with(user: AnyUser, *roles: str) -> frozenset[int]:
    """The ministries where the user holds one of `roles`."""
    return org_selectors.ministries_where(user, *roles)


def coordinated(user: AnyUser) -> frozenset[int]:
    return ministries_with(user, Role.SECURITY_COORDINATOR)


def led(user: AnyUser) -> frozenset[int]:
    """The ministries the user leads (organisations.selectors.ministries_led: the top of
    the ministry's line, not every section head)."""
    return org_selectors.ministries_led(user)


def team(user: AnyUser, codes: tuple[str, ...]) -> Reach:
    return handling_reach(user, codes)


EVERY = Q(pk__isnull=False)  # not Q(): an empty Q vanishes when OR-ed with another


def _in(reach: Reach, field: str) -> Q:
    if reach is None:
        return EVERY
    return Q(**{f"{field}__in": reach}) if reach else Q(pk__in=[])


def _authenticated(user: AnyUser) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def owners_for(ministry_ids: set[int], codes: tuple[str, ...]) -> QuerySet[Person]:
    """Who may own a record's follow-up action (its text is the record's business): the
    active people of the record's ministries and the handling team of `codes` serving one
    of them (the team member holds a provider role for the ministry at the service's
    provider, as in `handling_reach`). Not every provider's staff."""
    team = Q(pk__in=[])
    for service in Service.objects.filter(code__in=codes):
        members = service.handling_team.values("pk")
        for ministry_id in ministry_ids:
            serving = org_selectors.staff_serving(service.provider_id, ministry_id)
            team |= Q(pk__in=members) & Q(pk__in=serving.values("pk"))
    return (
        Person.objects.filter(Q(organisation_id__in=ministry_ids) | team, active=True)
        .select_related("organisation")
        .order_by("last_name", "first_name", "pk")
    )


# --- rules for pages ---------------------------------------------------------------------


def _on_team(codes: tuple[str, ...]) -> Rule:
    return Rule("team:" + ",".join(codes), lambda user: team(user, codes) != frozenset())


has_person = org_selectors.has_person
is_coordinator = org_selectors.role_rule(Role.SECURITY_COORDINATOR)
on_security_team = _on_team(ALL_CODES)
may_see_overview = Rule(
    "self-report overview",
    lambda user: (
        org_selectors.has_role(user, Role.GOVERNANCE) or team(user, ALL_CODES) != frozenset()
    ),
)
works_on_security = Rule(
    "security work",
    lambda user: bool(coordinated(user) or led(user)) or team(user, ALL_CODES) != frozenset(),
)
may_see_exercises = Rule(
    "exercises",
    lambda user: works_on_security(user) or org_selectors.has_role(user, Role.GOVERNANCE),
)
may_see_stock = Rule(
    "emergency stock",
    lambda user: (
        bool(coordinated(user))
        or team(user, STOCK_CODES) != frozenset()
        or org_selectors.has_role(user, Role.GOVERNANCE)
    ),
)
manages_stock = Rule("stock team", lambda user: team(user, STOCK_CODES) is None)


# --- visibility -------------------------------------------------------------------------


def visible_incident_filter(user: AnyUser) -> Q:
    """The reporter sees her own; the ministry's security coordinators and DSS's security
    team (sik-hendelse) the ministry's. Nobody else, not even DFD (it gets aggregates)."""
    if not _authenticated(user):
        return Q(pk__in=[])
    person = org_selectors.person_for(user)
    own = Q(reported_by=person) if person is not None else Q(pk__in=[])
    reach = team(user, INCIDENT_CODES)
    return (
        own
        | Q(ministry_id__in=coordinated(user))
        | (_in(reach, "ministry_id") if reach != frozenset() else Q(pk__in=[]))
    )


def incidents_for(user: AnyUser) -> QuerySet[Incident]:
    return Incident.objects.visible_to(user).select_related("ministry", "reported_by")


def handles_incident(user: AnyUser, incident: Incident) -> bool:
    """Follow-up and closing: the ministry's coordinators and DSS's security team."""
    if incident.ministry_id in coordinated(user):
        return True
    reach = team(user, INCIDENT_CODES)
    return reach is None or incident.ministry_id in (reach or ())


def incident_statistics(since: dt.date) -> dict[str, Any]:
    """Incidents per quarter and ministry (aggregates only, small counts suppressed)."""
    rows = (
        Incident.objects.filter(occurred_at__date__gte=since)
        .annotate(y=ExtractYear("occurred_at"), m=ExtractMonth("occurred_at"))
        .values("y", "m", "ministry__abbreviation")
        .annotate(n=Count("id"))
    )
    quarters, ministries, cells, totals = rules.statistics(
        (rules.quarter(dt.date(r["y"], r["m"], 1)), r["ministry__abbreviation"], r["n"])
        for r in rows
    )
    return {
        "quarters": quarters,
        "rows": [
            {"ministry": m, "cells": [cells.get((q, m), 0) for q in quarters]} for m in ministries
        ],
        "totals": [totals[q] for q in quarters],
        "small": rules.SMALL_COUNT,
    }


def _through(model: Any, ids: frozenset[int]) -> Q:
    through = model.ministries.through
    return Q(
        pk__in=through.objects.filter(organisation_id__in=ids).values(
            model._meta.model_name + "_id"
        )
    )


def visible_analysis_filter(user: AnyUser) -> Q:
    """The covered ministries' security coordinators and leaders; DSS's ROS team for an
    analysis ordered from DSS (`order` set) for a ministry it serves."""
    if not _authenticated(user):
        return Q(pk__in=[])
    own = _through(Analysis, coordinated(user) | led(user))
    reach = team(user, ROS_CODES)
    if reach == frozenset():
        return own
    dss = Q(order__isnull=False) & (EVERY if reach is None else _through(Analysis, reach))
    return own | dss


def analyses_for(user: AnyUser) -> QuerySet[Analysis]:
    return Analysis.objects.visible_to(user).prefetch_related("ministries")


def works_on_analysis(user: AnyUser, analysis: Analysis) -> bool:
    """Coordinators of a covered ministry; DSS's ROS team when the analysis was ordered."""
    covered = set(analysis.ministries.values_list("pk", flat=True))
    if covered & coordinated(user):
        return True
    if analysis.order_id is None:
        return False
    reach = team(user, ROS_CODES)
    return reach is None or bool(covered & (reach or frozenset()))


def may_sign(user: AnyUser, analysis: Analysis) -> bool:
    """Only a covered ministry's leader signs (responsibility cannot be delegated)."""
    covered = set(analysis.ministries.values_list("pk", flat=True))
    return bool(covered & led(user))


def visible_exercise_filter(user: AnyUser) -> Q:
    """A ministry's coordinators and leaders see its exercises; DSS's exercise team and DFD
    see the community's plan."""
    if not _authenticated(user):
        return Q(pk__in=[])
    if org_selectors.has_role(user, Role.GOVERNANCE):
        return Q()
    reach = team(user, EXERCISE_CODES)
    own = _through(Exercise, coordinated(user) | led(user))
    if reach == frozenset():
        return own
    return own | (EVERY if reach is None else _through(Exercise, reach))


def exercises_for(user: AnyUser) -> QuerySet[Exercise]:
    return Exercise.objects.visible_to(user).prefetch_related("ministries")


def plans_exercise(user: AnyUser, ministries: list[Organisation]) -> bool:
    """DSS's exercise team (for ministries it serves) or a coordinator of every one."""
    ids = {m.pk for m in ministries}
    reach = team(user, EXERCISE_CODES)
    if reach is None or (reach and ids <= reach):
        return True
    return bool(ids) and ids <= coordinated(user)


def visible_contract_filter(user: AnyUser) -> Q:
    if not _authenticated(user):
        return Q(pk__in=[])
    own = Q(ministry_id__in=coordinated(user) | led(user))
    reach = team(user, PROCUREMENT_CODES)
    return own | (_in(reach, "ministry_id") if reach != frozenset() else Q(pk__in=[]))


def contracts_for(user: AnyUser) -> QuerySet[GradedContract]:
    return (
        GradedContract.objects.visible_to(user).select_related("ministry").prefetch_related("parts")
    )


def keeps_contracts(user: AnyUser, ministry: Organisation) -> bool:
    if ministry.pk in coordinated(user):
        return True
    reach = team(user, PROCUREMENT_CODES)
    return reach is None or ministry.pk in (reach or ())


def visible_report_filter(user: AnyUser) -> Q:
    """A ministry's self-reports: its coordinators and leaders (DFD sees aggregates)."""
    if not _authenticated(user):
        return Q(pk__in=[])
    return Q(ministry_id__in=coordinated(user) | led(user))


def reports_for(user: AnyUser) -> QuerySet[SelfReport]:
    return SelfReport.objects.visible_to(user).select_related("ministry", "submitted_by")


def self_report_overview(year: int) -> dict[str, Any]:
    answers = list(SelfReport.objects.filter(year=year).values_list("answers", flat=True))
    overview = rules.self_report_overview(answers)
    return {
        "year": year,
        "submitted": len(answers),
        "ministries": Organisation.objects.customers().count(),
        "rows": [{"question": QUESTIONS[q], "key": q, **counts} for q, counts in overview.items()],
    }


visibility.register(Incident, visible_incident_filter)
visibility.register(Analysis, visible_analysis_filter)
visibility.register(Exercise, visible_exercise_filter)
visibility.register(GradedContract, visible_contract_filter)
visibility.register(SelfReport, visible_report_filter)
