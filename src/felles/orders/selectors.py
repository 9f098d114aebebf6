"""Order reads: visibility, approvals waiting for a person, provider queues, and the rules
saying who may act on an order (the services declare them with `@allowed`; the pages and
the API ask the same rules through `available_actions` to show what a user may do)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from felles.catalog import selectors as catalog_selectors
from felles.catalog.models import Confidentiality
from felles.core import visibility
from felles.core.types import AnyUser
from felles.orders import approval, states
from felles.orders.models import (
    ApprovalStep,
    Notification,
    Order,
    OrderEvent,
    OrderRead,
    SatisfactionResponse,
)
from felles.orders.states import PROVIDER_ACTIVE
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Absence, Person, Role, RoleAssignment


def _metadata_reader(user: AnyUser) -> bool:
    """Administrators and auditors (and superusers) see every order exist: all of an open
    order, only the metadata of a restricted or security one they are no party to."""
    access = org_selectors.access_for(user)
    return bool(
        getattr(user, "is_superuser", False)
        or access.has_role(Role.ADMINISTRATOR)
        or access.has_role(Role.AUDITOR)
    )


def content_filter(user: AnyUser) -> Q:
    """Who may read an order's content. Open services: the orderer and the beneficiary;
    everyone asked to approve it; the ordering coordinators of its ministry; the provider's
    staff if they serve that ministry; administrators and auditors. Restricted services
    (catalog `Confidentiality`): the parties and the approvers in the order's own chain
    (and their substitutes), and the service's handling team if they serve the ministry;
    security services also the ministry's security coordinators. Read from the service's
    current class, so a change of class applies to existing orders at once. What it reads
    of the user is listed in `orders.compiled.rule_key`: a new input goes there too."""
    access = org_selectors.access_for(user)
    me = access.person
    open_service = Q(service__confidentiality=Confidentiality.OPEN)
    if _metadata_reader(user):
        everything_open: Q | None = open_service
    else:
        everything_open = None
    if me is None:
        return everything_open if everything_open is not None else Q(pk__in=[])
    rule = Q(orderer=me) | Q(beneficiary=me) | Q(steps__approver=me) | Q(steps__decided_by=me)
    # A substitute sees the orders waiting for the person they stand in for, while the
    # absence lasts (one Q, so all conditions apply to the same step and absence).
    today = timezone.localdate()
    rule |= Q(
        steps__state=ApprovalStep.State.PENDING,
        steps__approver__absences__substitute=me,
        steps__approver__absences__starts_on__lte=today,
        steps__approver__absences__ends_on__gte=today,
    )
    security_of = [o for r, o in access.roles if r == Role.SECURITY_COORDINATOR]
    if security_of:
        rule |= Q(ministry_id__in=security_of, steps__kind=approval.SECURITY_COORDINATOR)
        rule |= Q(ministry_id__in=security_of, service__confidentiality=Confidentiality.SECURITY)
    # Approver-group members see the orders whose chain has a group step, nothing more.
    rule |= Q(steps__kind=approval.APPROVER_GROUP, service__approver_group=me)
    provider = org_selectors.provider_scope(user, provider="service__provider_id")
    # The handling team of a restricted service, within the ministries its members serve.
    rule |= ~open_service & Q(service__handling_team=me) & provider
    coordinator_of = [o for r, o in access.roles if r == Role.ORDERING_COORDINATOR]
    open_reach = provider
    if coordinator_of:
        open_reach |= Q(ministry_id__in=coordinator_of)
    if everything_open is not None:
        return rule | everything_open
    return rule | (open_service & open_reach)


def visible_order_filter(user: AnyUser) -> Q:
    """Who sees that an order exists: whoever may read its content (`content_filter`), and
    administrators and auditors every order (a restricted one as metadata only: number,
    service, ministry, dates, state; see `may_read_content`). Governance sees aggregates,
    not orders."""
    if _metadata_reader(user):
        return Q()
    return content_filter(user)


def content_ids(user: AnyUser, orders: Iterable[Order]) -> set[int]:
    """The ids among `orders` (all visible to `user`) whose content the user may read:
    every open one, and a restricted one unless the user sees it as metadata only. At most
    one query, and only for administrators and auditors with restricted orders in view."""
    orders = list(orders)
    if not _metadata_reader(user):
        return {o.pk for o in orders}
    ids = {o.pk for o in orders if not o.service.is_confidential}
    hidden = [o.pk for o in orders if o.service.is_confidential]
    if hidden:
        ids |= set(
            Order.objects.filter(content_filter(user), pk__in=hidden).values_list("pk", flat=True)
        )
    return ids


def may_read_content(user: AnyUser, order: Order) -> bool:
    """Whether `user` may read the content of `order` (which they can see): form answers,
    comments, names, attachments. False only for the metadata view of a restricted order
    (administrators and auditors who are no party to it). Other apps (exports, feeds,
    meeting packs, e-mails) ask this before showing an order's content."""
    return order.pk in content_ids(user, [order])


def handled_service_ids(user: AnyUser) -> frozenset[int]:
    """The services whose handling team the user is in (read once a request:
    `catalog.selectors.handling_teams`)."""
    return frozenset(pk for pk, _, _ in catalog_selectors.handling_teams(user))


# The rows every order read joins: `orders_for`'s `select_related`.
ORDER_JOINS = ("service", "service__provider", "ministry", "orderer", "beneficiary", "assignee")


def orders_for(user: AnyUser) -> QuerySet[Order]:
    ids = Order.objects.visible_to(user).values("pk")
    return Order.objects.filter(pk__in=ids).select_related(*ORDER_JOINS)


def is_provider_staff(user: AnyUser, order: Order) -> bool:
    """Whether the user works for the order's provider *and* serves its ministry; for a
    restricted service, is also in its handling team."""
    if not org_selectors.serves(user, order.service.provider_id, order.ministry_id):
        return False
    return not order.service.is_confidential or order.service_id in handled_service_ids(user)


# --- who may act on an order (the services' rules) ----------------------------------------

# The actions on an order, as the page's forms and the API name them.
ORDER_ACTIONS = (
    "cancel",
    "provide_info",
    "confirm",
    "reopen",
    "rate",
    "comment",
    "note",
    "take",
    "assign",
    "request_info",
    "resolve",
    "priority",
)


def acting_person(user: AnyUser, person: Person | None = None) -> Person | None:
    """The person `user` acts as: their own active person; None when they have none or when
    `person` names someone else (nobody acts in another person's name)."""
    me = org_selectors.person_for(user)
    if me is None or (person is not None and person.pk != me.pk):
        return None
    return me


def is_customer(user: AnyUser, order: Order, person: Person | None = None) -> bool:
    """The orderer's side: the user is the orderer or the person the order is for."""
    me = acting_person(user, person)
    return me is not None and me.pk in (order.orderer_id, order.beneficiary_id)


def is_provider_side(user: AnyUser, order: Order, person: Person | None = None) -> bool:
    """The provider's side: the user acts as their own person and is provider staff serving
    the order's ministry."""
    return acting_person(user, person) is not None and is_provider_staff(user, order)


def may_comment(
    user: AnyUser, order: Order, person: Person | None = None, *, internal: bool = False
) -> bool:
    """Comments come from either side; internal notes only from the provider's."""
    return is_provider_side(user, order, person) or (
        not internal and is_customer(user, order, person)
    )


def may_decide(user: AnyUser, step: ApprovalStep, decider: Person, on_behalf_of: Person) -> bool:
    """Whether `user` may decide `step` now as `decider` for `on_behalf_of`."""
    who = decider_for(user, step)
    return who is not None and (who[0].pk, who[1].pk) == (decider.pk, on_behalf_of.pk)


def available_actions(user: AnyUser, order: Order) -> set[str]:
    """The actions the page and the API offer this user now: the services' own rules (the
    side the user is on), combined with what the order's state allows."""
    status = states.Status(order.status)
    actions: set[str] = set()
    if is_customer(user, order):
        if states.allowed("cancel", status) or (
            order.container and states.allowed("cancel_container", status)
        ):
            actions.add("cancel")
        if status == states.Status.WAITING_FOR_CUSTOMER:
            actions.add("provide_info")
        if status == states.Status.RESOLVED:
            actions |= {"confirm", "reopen"}
        if (
            status == states.Status.CLOSED
            and is_orderer(user, order)
            and not hasattr(order, "rating")
        ):
            actions.add("rate")
        if status in states.OPEN:
            actions.add("comment")
    if is_provider_side(user, order) and order.container:
        if status in states.OPEN:  # a container is no work: its children are
            actions |= {"note", "comment"}
    elif is_provider_side(user, order):
        if status == states.Status.QUEUED:
            actions.add("take")
        if states.allowed("assign", status):
            actions.add("assign")
        if status == states.Status.IN_PROGRESS:
            actions |= {"request_info", "resolve"}
        if status in states.OPEN:
            actions |= {"note", "comment", "priority"}
    return actions


def is_orderer(user: AnyUser, order: Order) -> bool:
    """Only the orderer rates the delivery."""
    me = acting_person(user)
    return me is not None and me.pk == order.orderer_id


def colleague(order: Order, person_id: Any) -> Person | None:
    """The provider colleague with this id who may be assigned the order, if any."""
    try:
        wanted = uuid.UUID(str(person_id))
    except ValueError:
        return None
    return colleagues_for_assignment(order).filter(uuid=wanted).first()


def events_for(user: AnyUser, order: Order) -> QuerySet[OrderEvent]:
    """The timeline; internal notes only for the provider's staff."""
    return events_query(order.pk, staff=is_provider_staff(user, order))


def events_query(order_id: int, staff: bool) -> QuerySet[OrderEvent]:
    """The statement of `events_for` (`staff`: the reader is the provider's staff)."""
    events = OrderEvent.objects.filter(order_id=order_id).select_related("actor", "on_behalf_of")
    return events if staff else events.filter(internal=False)


def substitute_for(person: Person, day: dt.date | None = None) -> list[int]:
    """Ids of the people `person` stands in for today (absent, with `person` as substitute)."""
    day = day or timezone.localdate()
    return list(
        Absence.objects.filter(substitute=person, starts_on__lte=day, ends_on__gte=day).values_list(
            "person_id", flat=True
        )
    )


def decider_for(user: AnyUser, step: ApprovalStep) -> tuple[Person, Person] | None:
    """(who decides, on whose behalf) if `user` may decide `step` now, else None."""
    me = org_selectors.person_for(user)
    if me is None or step.state != ApprovalStep.State.PENDING:
        return None
    order = step.order
    role_holders = frozenset(
        RoleAssignment.objects.filter(
            role=Role.SECURITY_COORDINATOR, organisation_id=order.ministry_id
        ).values_list("person_id", flat=True)
    )
    group = frozenset(order.service.approver_group.values_list("pk", flat=True))
    behalf = approval.may_decide(
        step.kind,
        step.approver_id,
        person_id=me.pk,
        substitute_for=substitute_for(me),
        role_holders=role_holders,
        group=group,
        excluded=frozenset({order.orderer_id, order.beneficiary_id}),
    )
    if behalf is None:
        return None
    return me, (me if behalf == me.pk else Person.objects.get(pk=behalf))


def pending_steps_for(user: AnyUser) -> QuerySet[ApprovalStep]:
    """Steps waiting for this person: as approver, as substitute for an absent approver,
    as security coordinator, or as a member of the service's approver group."""
    me = org_selectors.person_for(user)
    if me is None:
        return ApprovalStep.objects.none()
    access = org_selectors.access_for(user)
    mine = Q(approver=me) | Q(approver_id__in=substitute_for(me))
    security_orgs = [o for r, o in access.roles if r == Role.SECURITY_COORDINATOR]
    if security_orgs:
        mine |= Q(
            approver__isnull=True,
            kind=approval.SECURITY_COORDINATOR,
            order__ministry_id__in=security_orgs,
        )
    mine |= Q(
        approver__isnull=True, kind=approval.APPROVER_GROUP, order__service__approver_group=me
    )
    return (
        ApprovalStep.objects.filter(mine, state=ApprovalStep.State.PENDING)
        .exclude(order__orderer=me)
        .exclude(order__beneficiary=me)
        .select_related(
            "order",
            "order__service",
            "order__orderer",
            "order__beneficiary",
            "order__ministry",
            "approver",
        )
        .distinct()
        .order_by("activated_at")
    )


def queue_for(user: AnyUser) -> QuerySet[Order]:
    """The provider queue: active orders of the services of the provider the user works
    for, limited to the ministries they serve."""
    scope = org_selectors.provider_scope(user, provider="service__provider_id")
    # A restricted service's orders only for its handling team.
    me = org_selectors.person_for(user)
    scope &= Q(service__confidentiality=Confidentiality.OPEN) | Q(service__handling_team=me)
    return (
        Order.objects.filter(scope, status__in=list(PROVIDER_ACTIVE), container=False)
        .select_related("service", "service__area", "ministry", "orderer", "assignee")
        .distinct()
    )


def colleagues_for_assignment(order: Order) -> QuerySet[Person]:
    """Provider agents and managers of the order's provider who serve its ministry (for a
    restricted service, those in its handling team)."""
    staff = org_selectors.staff_serving(
        order.service.provider_id,
        order.ministry_id,
        roles=(Role.PROVIDER_AGENT, Role.PROVIDER_MANAGER),
    )
    if order.service.is_confidential:
        staff = staff.filter(handled_services=order.service_id)
    return staff.order_by("last_name", "first_name")


def unread_notifications(user: AnyUser) -> QuerySet[Notification]:
    me = org_selectors.person_for(user)
    if me is None:
        return Notification.objects.none()
    return Notification.objects.filter(person=me, read_at__isnull=True).select_related(
        "order__service"
    )


def status_sentence(order: Order) -> str:
    """The order's status as a sentence, e.g. «Venter på godkjenning fra Per Hansen»."""
    if order.container and order.status in PROVIDER_ACTIVE:
        return gettext("Samlebestilling: følger delbestillingene")
    if order.status == "awaiting_approval":
        step = next((s for s in order.steps.all() if s.state == ApprovalStep.State.PENDING), None)
        if step is not None:
            who = step.approver.full_name if step.approver else step.kind_label.lower()
            return gettext("Venter på godkjenning fra %(who)s") % {"who": who}
    if order.status == "in_progress" and order.assignee:
        return gettext("Under arbeid hos %(who)s (%(provider)s)") % {
            "who": order.assignee.full_name,
            "provider": order.service.provider.abbreviation,
        }
    return order.status_label


def satisfaction(
    *, service_id: int | None = None, provider_id: int | None = None
) -> dict[str, Any]:
    """Average rating (1–5) and number of answers, for one service or one provider."""
    answers = SatisfactionResponse.objects.all()
    if service_id is not None:
        answers = answers.filter(order__service_id=service_id)
    if provider_id is not None:
        answers = answers.filter(order__service__provider_id=provider_id)
    result = answers.aggregate(average=Avg("score"), count=Count("id"))
    return {
        "average": round(result["average"], 1) if result["average"] else None,
        "count": result["count"],
    }


class StepDecided(Exception):
    """The step the user may see has already been decided."""


def step_to_decide(user: AnyUser, step_id: Any) -> tuple[ApprovalStep, Person, Person]:
    """The pending step `user` may decide now, with (decider, on behalf of). A step the user
    may not see raises Http404; one already decided that the user can see raises
    StepDecided (shown as 409 / a message)."""
    step = (
        ApprovalStep.objects.select_related("order", "order__service", "order__ministry")
        .filter(uuid=step_id)
        .first()
    )
    who = decider_for(user, step) if step else None
    if step is not None and who is not None:
        return step, who[0], who[1]
    if (
        step is not None
        and step.state != ApprovalStep.State.PENDING
        and orders_for(user).filter(pk=step.order_id).exists()
    ):
        raise StepDecided(step.order.number)
    raise Http404


def reads_for(user: AnyUser, order: Order) -> list[OrderRead] | None:
    """«Hvem har sett saken min»: for the orderer and the person a restricted order is
    for, who else has read it (newest first, at most 200); None for anyone else and for
    an open order."""
    if not order.service.is_confidential or not is_customer(user, order):
        return None
    return list(
        order.reads.exclude(person_id__in=[order.orderer_id, order.beneficiary_id])
        .select_related("person", "person__organisation")
        .order_by("-read_at", "-id")[:200]
    )


may_search_read_log = org_selectors.can_read_audit


def search_read_log(
    *,
    number: str = "",
    reader: str = "",
    route: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[OrderRead]:
    """The read log as the auditor searches it: by order number, by reader (name or
    username), by route and by day (inclusive)."""
    reads = OrderRead.objects.select_related(
        "order", "order__service", "order__ministry", "person", "person__organisation"
    ).order_by("-read_at", "-id")
    if number:
        reads = reads.filter(order__number__icontains=number)
    for word in reader.split():
        reads = reads.filter(
            Q(reader__icontains=word)
            | Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
        )
    if route:
        reads = reads.filter(route=route)
    if since:
        reads = reads.filter(read_at__date__gte=since)
    if until:
        reads = reads.filter(read_at__date__lte=until)
    return reads


visibility.register(Order, visible_order_filter)
