"""The start page's cards: each answers one persona's first question (docs/user-guide.md,
«Forsiden»). Every card reads a fixed number of queries, whatever the data, through the
apps' own selectors (so it shows only what the reader may see)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, Sum
from django.utils import timezone

from felles.catalog.models import Confidentiality
from felles.core.types import AnyUser
from felles.foi import selectors as foi_selectors
from felles.governance import selectors as governance_selectors
from felles.governance.models import ActionItem
from felles.invoicing import selectors as invoicing_selectors
from felles.invoicing.models import Invoice
from felles.orders import selectors as order_selectors
from felles.orders.models import Order
from felles.orders.states import OPEN
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Person, Role
from felles.portfolio import selectors as portfolio_selectors
from felles.portfolio.models import Project
from felles.security import selectors as security_selectors
from felles.sla import selectors as sla_selectors
from felles.sla.models import OrderSla

ROWS = 8


@dataclass
class Waiting:
    """«Venter på meg»: approvals waiting for the reader, oldest first."""

    steps: list[Any]
    total: int


def waiting_for_me(user: AnyUser) -> Waiting:
    pending = order_selectors.pending_steps_for(user).order_by("activated_at", "pk")
    steps = list(pending[: ROWS + 1])
    now = timezone.now()
    for step in steps:
        started = step.activated_at or step.order.submitted_at
        step.waiting_days = max(0, (now - started).days)
    total = len(steps) if len(steps) <= ROWS else pending.count()
    return Waiting(steps=steps[:ROWS], total=total)


@dataclass
class NearDeadline:
    """«Mine saker nær fristen»: the agent's own open orders, the least SLA time left first
    (breaches on top); unassigned new cases counted beside them."""

    orders: list[Any]
    unassigned: int
    now: dt.datetime


def my_cases_near_deadline(user: AnyUser, me: Person) -> NearDeadline:
    queue = order_selectors.queue_for(user)
    mine = list(
        queue.filter(assignee=me)
        .select_related("sla")
        .order_by(F("sla__resolution_due").asc(nulls_last=True), "submitted_at")[:ROWS]
    )
    return NearDeadline(
        orders=mine,
        unassigned=queue.filter(assignee__isnull=True, status="queued").count(),
        now=timezone.now(),
    )


@dataclass
class MinistryMonth:
    """«Departementets bestillinger og regning denne måneden» for the ordering coordinator."""

    ministry: Any
    month_start: dt.date
    orders: list[Any]
    order_count: int
    estimated: Decimal
    invoiced: Decimal
    showback: Decimal | None
    open_disputes: int
    screened_count: int = 0  # restricted orders this month the reader may not see


def ministry_this_month(user: AnyUser, me: Person) -> MinistryMonth:
    today = timezone.localdate()
    start = today.replace(day=1)
    start_at = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    orders = order_selectors.orders_for(user).filter(
        ministry_id=me.organisation_id, submitted_at__gte=start_at
    )
    figures = orders.aggregate(estimated=Sum("estimated_amount"))
    # The ministry's restricted and security orders the coordinator may not see (issue 18):
    # a count is all the card needs — never a number, a service or a name.
    screened = (
        Order.objects.filter(ministry_id=me.organisation_id, submitted_at__gte=start_at)
        .exclude(service__confidentiality=Confidentiality.OPEN)
        .exclude(pk__in=orders.values("pk"))
    )
    newest = list(orders.select_related("service", "beneficiary").order_by("-submitted_at")[:5])
    invoiced = (
        invoicing_selectors.invoices_for(user)
        .filter(
            ministry_id=me.organisation_id,
            status=Invoice.Status.ISSUED,
            issue_date__gte=start,
            issue_date__lte=today,
        )
        .aggregate(total=Sum("total"))["total"]
    )
    rows = invoicing_selectors.showback(me.organisation_id, start, today)
    values = [r.value for r in rows if r.value is not None]
    return MinistryMonth(
        ministry=me.organisation,
        month_start=start,
        orders=newest,
        order_count=orders.count(),
        estimated=figures["estimated"] or Decimal(0),
        invoiced=invoiced or Decimal(0),
        showback=sum(values, Decimal(0)) if values else None,
        open_disputes=invoicing_selectors.open_disputes_for(user)
        .filter(line__invoice__ministry_id=me.organisation_id)
        .count(),
        screened_count=screened.count(),
    )


@dataclass
class RedAndAmber:
    """«Rødt og gult» for DFD: portfolio projects at red or amber, and SLA breaches."""

    projects: list[Any]
    project_count: int
    breaches: list[Any] = field(default_factory=list)
    breach_count: int = 0


def red_and_amber(user: AnyUser) -> RedAndAmber:
    troubled = portfolio_selectors.projects().filter(
        status__in=[Project.Rag.RED, Project.Rag.AMBER]
    )
    breaches = sla_selectors.slas_for(user).filter(
        Q(state=OrderSla.State.BREACHED) | Q(response_breached=True), finished=False
    )
    return RedAndAmber(
        projects=list(troubled[:ROWS]),
        project_count=troubled.count(),
        breaches=list(breaches.order_by("resolution_due")[:5]),
        breach_count=breaches.count(),
    )


@dataclass
class SecurityDue:
    """«Personellsikkerhet»: how many clearances and conversations in the coordinator's
    ministry need attention now. Counts only: the names are read (and read-logged) on the
    register itself."""

    ministry: Any
    clearances: int
    conversations: int


def security_due(user: AnyUser, me: Person) -> SecurityDue:
    due = security_selectors.reminders(user, me.organisation, timezone.localdate())
    return SecurityDue(
        ministry=me.organisation,
        clearances=len(due["clearances"]),
        conversations=len(due["conversations"]),
    )


@dataclass
class FoiDue:
    """«Innsynskrav nær fristen»: the oldest unanswered FOI requests the reader sees, with
    the law's deadlines (the requester is not shown)."""

    requests: list[Any]
    total: int


def foi_due(user: AnyUser) -> FoiDue:
    unanswered = foi_selectors.requests_for(user).filter(answered_on__isnull=True)
    first = list(unanswered.order_by("received_on", "id")[: ROWS + 1])
    total = len(first) if len(first) <= ROWS else unanswered.count()
    return FoiDue([foi_selectors.deadlines_of(r) for r in first[:ROWS]], total)


@dataclass
class MyActions:
    """«Mine oppfølgingspunkter»: the reader's open action items from meetings, incidents,
    ROS analyses and exercises, nearest deadline first (the text is hers: she owns them)."""

    items: list[Any]
    total: int


def my_actions(user: AnyUser, me: Person) -> MyActions | None:
    total = ActionItem.objects.filter(owner=me, done_on__isnull=True).count()
    if not total:
        return None
    return MyActions(governance_selectors.actions_of(user, open_only=True, limit=ROWS), total)


def cards_for(user: AnyUser, me: Person) -> dict[str, Any]:
    """The cards the reader's roles call for (the order of the page is the template's)."""
    has = org_selectors.access_for(user).has_role
    cards: dict[str, Any] = {"waiting": waiting_for_me(user)}
    if has(Role.PROVIDER_AGENT) or has(Role.PROVIDER_MANAGER):
        cards["near_deadline"] = my_cases_near_deadline(user, me)
    if has(Role.ORDERING_COORDINATOR):
        cards["ministry_month"] = ministry_this_month(user, me)
    if has(Role.GOVERNANCE) or has(Role.AUDITOR):
        cards["red_and_amber"] = red_and_amber(user)
    if has(Role.AUDITOR) or has(Role.ADMINISTRATOR):
        cards["audit_reader"] = True
    if has(Role.SECURITY_COORDINATOR):
        cards["security_due"] = security_due(user, me)
    if has(Role.INFORMATION_COORDINATOR) or (
        has(Role.PROVIDER_AGENT) and foi_selectors.in_team(user)
    ):
        cards["foi_due"] = foi_due(user)
    actions = my_actions(user, me)
    if actions is not None:
        cards["my_actions"] = actions
    return cards


def my_open_orders(user: AnyUser, me: Person) -> list[tuple[Any, str]]:
    orders = (
        order_selectors.orders_for(user)
        .filter(Q(orderer=me) | Q(beneficiary=me), status__in=[s.value for s in OPEN])
        .prefetch_related("steps__approver")[:10]
    )
    return [(o, order_selectors.status_sentence(o)) for o in orders]
