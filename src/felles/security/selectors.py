"""Who sees the personnel-security register, and the reads others may use.

The register of a ministry is seen (and kept) by exactly three kinds of people, and by
nobody else (fail closed: everyone else gets a 404, never a 403 that says a row exists):

- the ministry's security coordinator(s) (`Role.SECURITY_COORDINATOR` in the ministry);
- the ministry's leader: a `Role.LINE_MANAGER` of the ministry with no line manager above
  (the top of the line: the head of the ministry, the autorisasjonsansvarlig). Every
  person with reports holds `LINE_MANAGER`, so "any line manager" would open the register
  to every section head; in the demo the leader is KUD's departementsråd, not Per;
- the provider's personnel-security team: `catalog.selectors.handling_reach` for the
  `sik-klarering` and `sik-autorisasjon` services (the ministries they serve).

A DSS agent outside the team, another ministry's coordinator, DFD's governance, the
auditor and the administrator see no rows. The auditor reads the read log and the discard
register (who read what, what was disposed), not the register itself.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet

from felles.catalog import selectors as catalog_selectors
from felles.core import visibility
from felles.core.permissions import Rule
from felles.core.types import AnyUser
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Role
from felles.security import rules
from felles.security.models import (
    Authorisation,
    Clearance,
    Declaration,
    DisposalLog,
    IssuedList,
    Level,
    Reclearance,
    RegisterRead,
)

TEAM_SERVICES = ("sik-klarering", "sik-autorisasjon")
# How far ahead the register page lists expiries and due conversations.
HORIZON_DAYS = 240
# The register page lists at most this many reminders of each kind (the most urgent).
REMINDERS = 50


def ministry_side(user: AnyUser) -> frozenset[int]:
    """The ministries where the user is a security coordinator or the leader."""
    coordinated = org_selectors.ministries_where(user, Role.SECURITY_COORDINATOR)
    return coordinated | org_selectors.ministries_led(user)


def reach(user: AnyUser) -> frozenset[int] | None:
    """The ministries whose register the user sees (None: every ministry). Cached on the
    user for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_felles_security_reach", False)
    if cached is not False:
        return cached  # type: ignore[no-any-return]
    team = catalog_selectors.handling_reach(user, TEAM_SERVICES)
    result = None if team is None else frozenset(team | ministry_side(user))
    user._felles_security_reach = result  # type: ignore[union-attr]
    return result


def _within(ids: frozenset[int] | None, field: str = "ministry_id") -> Q:
    if ids is None:
        return Q()
    return Q(**{f"{field}__in": sorted(ids)}) if ids else Q(pk__in=[])


def register_filter(user: AnyUser) -> Q:
    return _within(reach(user))


for _model in (Authorisation, Clearance, Declaration, Reclearance, IssuedList):
    visibility.register(_model, register_filter)


def log_reach(user: AnyUser) -> frozenset[int] | None:
    """Whose read log and discard register the user reads: the ministry side of their own
    ministries, and the auditor every ministry's."""
    if org_selectors.has_role(user, Role.AUDITOR):
        return None
    return ministry_side(user)


def may_manage(user: AnyUser, *, ministry: Organisation, **_: Any) -> bool:
    """Write rule of every register service: the same people who see the ministry's rows."""
    ids = reach(user)
    return ids is None or ministry.pk in ids


def may_order_reclearance(user: AnyUser, *, reclearance: Reclearance, **_: Any) -> bool:
    """The ministry side orders a re-clearance (the order is placed in their own name)."""
    return reclearance.ministry_id in ministry_side(user)


def on_team(user: AnyUser, *, ministry: Organisation, **_: Any) -> bool:
    """The provider's personnel-security team serving `ministry` (records decisions)."""
    team = catalog_selectors.handling_reach(user, TEAM_SERVICES)
    return team is None or ministry.pk in team


def in_menu(user: AnyUser) -> bool:
    """Whether the menu shows the register: the ministry side at once (no query); provider
    staff only if on the team (one query, for provider staff only)."""
    if ministry_side(user):
        return True
    access = org_selectors.access_for(user)
    if not access.provider_roles:
        return False
    return reach(user) != frozenset()


# Coarse page gates: signed in with a person (the 404 comes from the rows' visibility).
has_person = org_selectors.has_person
sees_logs = Rule("security:logs", lambda user: log_reach(user) != frozenset())


def ministries_for(user: AnyUser) -> QuerySet[Organisation]:
    ids = reach(user)
    ministries = Organisation.objects.customers()
    return ministries if ids is None else ministries.filter(pk__in=ids)


def authorisations_for(user: AnyUser) -> QuerySet[Authorisation]:
    return Authorisation.objects.visible_to(user).select_related("person", "person__unit")


def clearances_for(user: AnyUser) -> QuerySet[Clearance]:
    return Clearance.objects.visible_to(user).select_related("person", "renewal__order", "order")


def declarations_for(user: AnyUser) -> QuerySet[Declaration]:
    return Declaration.objects.visible_to(user).select_related("person")


def reclearances_for(user: AnyUser) -> QuerySet[Reclearance]:
    return Reclearance.objects.visible_to(user).select_related("clearance__person", "order")


def issued_lists_for(user: AnyUser) -> QuerySet[IssuedList]:
    """The issued VF § 72 lists the user reaches (the same people as the register)."""
    return IssuedList.objects.visible_to(user).select_related("ministry", "issued_by")


def reads_for(user: AnyUser) -> QuerySet[RegisterRead]:
    return RegisterRead.objects.filter(_within(log_reach(user))).select_related(
        "ministry", "reader_person", "subject"
    )


def disposals_for(user: AnyUser) -> QuerySet[DisposalLog]:
    return DisposalLog.objects.filter(_within(log_reach(user))).select_related("ministry")


def current(clearances: QuerySet[Clearance], today: dt.date) -> QuerySet[Clearance]:
    """The clearances in force on `today`: not ended, not expired (a clearance that expired
    without being ended in the register is no longer current)."""
    return clearances.filter(ended_on__isnull=True, expires_on__gte=today)


GRADED = [value for value in Level.values if Level.rank(value) >= 1]


def uncovered(authorisations: QuerySet[Authorisation], today: dt.date) -> dict[int, int]:
    """The open authorisations at KONFIDENSIELT or higher among `authorisations` that no
    clearance of the person covers on `today` (it ended, expired, or the re-clearance was
    decided at a lower level: sikkerhetsloven §§ 8-1, 8-2): authorisation id to ministry id.
    Two queries."""
    graded = authorisations.filter(ended_on__isnull=True, level__in=GRADED)
    rows = list(graded.values_list("pk", "ministry_id", "person_id", "level"))
    if not rows:
        return {}
    cleared: dict[int, list[Any]] = defaultdict(list)
    people = graded.order_by().values("person_id")
    for person_id, *row in current(
        Clearance.objects.filter(person_id__in=people), today
    ).values_list("person_id", "level", "decided_on", "expires_on", "ended_on"):
        cleared[person_id].append(tuple(row))
    return {
        pk: ministry_id
        for pk, ministry_id, person, level in rows
        if not rules.clearance_covers(level, today, cleared[person])
    }


def reminders(user: AnyUser, ministry: Organisation, today: dt.date) -> dict[str, list[Any]]:
    """What needs the coordinator's attention in `ministry` (four queries, at most
    `REMINDERS` of each, the most urgent first): clearances due for re-clearance (with
    their draft order), conversations due within the notice, and authorisations at
    KONFIDENSIELT or higher left without a valid clearance."""
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    mine = authorisations_for(user).filter(ministry=ministry)
    lapsed = sorted(uncovered(mine, today))[:REMINDERS]
    clearances = list(
        current(clearances_for(user), today)
        .filter(ministry=ministry, reclearance_from__lte=horizon)
        .exclude(renewal__state=Reclearance.State.DONE)
        .order_by("expires_on", "pk")[:REMINDERS]
    )
    for clearance in clearances:
        clearance.due_now = clearance.reclearance_from <= today
    conversations = list(
        authorisations_for(user)
        .filter(ministry=ministry, ended_on__isnull=True, next_conversation_due__lte=horizon)
        .order_by("next_conversation_due", "pk")[:REMINDERS]
    )
    for authorisation in conversations:
        due = authorisation.next_conversation_due
        authorisation.due_now = rules.conversation_reminder_on(due) <= today
    without = list(mine.filter(pk__in=lapsed).order_by("person__last_name", "pk")) if lapsed else []
    return {"clearances": clearances, "conversations": conversations, "uncovered": without}


def decision_orders(user: AnyUser) -> QuerySet[Reclearance]:
    """Re-clearance orders the provider's team may record a decision on now (approved and
    at the provider: `Reclearance.decidable`)."""
    return reclearances_for(user).filter(
        state=Reclearance.State.ORDERED, order__status__in=sorted(Reclearance.DECIDABLE)
    )


def overview(user: AnyUser, today: dt.date) -> list[dict[str, Any]]:
    """The ministries whose register the user reaches, each with counts of what is due
    (no names, no rows: nothing here is a read of the register). Four queries whatever
    the number of ministries: clearances to renew now and within the horizon,
    re-clearance orders awaiting the team's decision, conversations due now."""
    ministries = list(ministries_for(user).order_by("abbreviation"))
    ids = [m.pk for m in ministries]
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    counts: dict[int, dict[str, int]] = {
        pk: {"renew": 0, "expiring": 0, "decisions": 0, "conversations": 0} for pk in ids
    }
    open_clearances = (
        current(Clearance.objects.filter(ministry_id__in=ids), today)
        .exclude(renewal__state__in=[Reclearance.State.DONE, Reclearance.State.ORDERED])
        .order_by()
        .values("ministry_id")
    )
    for row in open_clearances.filter(reclearance_from__lte=today).annotate(n=Count("pk")):
        counts[row["ministry_id"]]["renew"] = row["n"]
    for row in open_clearances.filter(reclearance_from__lte=horizon).annotate(n=Count("pk")):
        counts[row["ministry_id"]]["expiring"] = row["n"]
    for row in (
        Reclearance.objects.filter(
            ministry_id__in=ids,
            state=Reclearance.State.ORDERED,
            order__status__in=sorted(Reclearance.DECIDABLE),
        )
        .order_by()
        .values("ministry_id")
        .annotate(n=Count("pk"))
    ):
        counts[row["ministry_id"]]["decisions"] = row["n"]
    lookahead = today + dt.timedelta(days=HORIZON_DAYS)
    for ministry_id, due in Authorisation.objects.filter(
        ministry_id__in=ids, ended_on__isnull=True, next_conversation_due__lte=lookahead
    ).values_list("ministry_id", "next_conversation_due"):
        if rules.conversation_reminder_on(due) <= today:
            counts[ministry_id]["conversations"] += 1
    return [{"ministry": m, **counts[m.pk]} for m in ministries]


def authorised_list(
    user: AnyUser | None, ministry: Organisation, today: dt.date
) -> list[Authorisation]:
    """The VF § 72 list: everyone with an authorisation in force in `ministry`, by name,
    each with their current clearance (`row.clearance`, or None) and whether no clearance
    covers the authorisation (`row.uncovered`). Four queries. `user` None: a system actor
    (the calling service checked the rule); otherwise only rows the user sees."""
    authorisations = (
        Authorisation.objects.all() if user is None else Authorisation.objects.visible_to(user)
    ).filter(ministry=ministry)
    clearances = Clearance.objects.all() if user is None else Clearance.objects.visible_to(user)
    rows = list(
        authorisations.filter(ended_on__isnull=True)
        .select_related("person", "person__unit")
        .order_by("person__last_name", "person__first_name", "level")
    )
    current_clearance: dict[int, Clearance] = {}
    for clearance in (
        current(clearances, today)
        .filter(ministry=ministry, person_id__in=[r.person_id for r in rows])
        .order_by("expires_on")
    ):
        current_clearance[clearance.person_id] = clearance
    lapsed = uncovered(authorisations, today)
    for row in rows:
        row.clearance = current_clearance.get(row.person_id)
        row.uncovered = row.pk in lapsed
    return rows
