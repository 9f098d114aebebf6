"""Order reads: visibility, approvals waiting for a person, provider queues, and the rules
saying who may act on an order (the services declare them with `@allowed`; the pages and
the API ask the same rules through `available_actions` to show what a user may do)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from felles.core import visibility
from felles.core.types import AnyUser
from felles.orders import approval, states
from felles.orders.models import (
    ApprovalStep,
    Notification,
    Order,
    OrderEvent,
    SatisfactionResponse,
)
from felles.orders.states import PROVIDER_ACTIVE
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Absence, Person, Role, RoleAssignment


def visible_order_filter(user: AnyUser) -> Q:
    """Who sees an order: the orderer and the beneficiary; everyone asked to approve it;
    the ordering coordinators of its ministry; the provider's staff if they serve that
    ministry; administrators and auditors. Governance sees aggregates, not orders."""
    access = org_selectors.access_for(user)
    if (
        getattr(user, "is_superuser", False)
        or access.has_role(Role.ADMINISTRATOR)
        or access.has_role(Role.AUDITOR)
    ):
        return Q()
    me = access.person
    if me is None:
        return Q(pk__in=[])
    rule = Q(orderer=me) | Q(beneficiary=me) | Q(steps__approver=me) | Q(steps__decided_by=me)
    coordinator_of = [o for r, o in access.roles if r == Role.ORDERING_COORDINATOR]
    if coordinator_of:
        rule |= Q(ministry_id__in=coordinator_of)
    # A substitute sees the orders waiting for the person they stand in for, while the
    # absence lasts (one Q, so all conditions apply to the same step and absence).
    today = timezone.localdate()
    rule |= Q(
        steps__state=ApprovalStep.State.PENDING,
        steps__approver__absences__substitute=me,
        steps__approver__absences__starts_on__lte=today,
        steps__approver__absences__ends_on__gte=today,
    )
    role_holder_of = [o for r, o in access.roles if r == Role.SECURITY_COORDINATOR]
    if role_holder_of:
        rule |= Q(ministry_id__in=role_holder_of, steps__kind=approval.SECURITY_COORDINATOR)
    # Approver-group members see the orders whose chain has a group step, nothing more.
    rule |= Q(steps__kind=approval.APPROVER_GROUP, service__approver_group=me)
    return rule | org_selectors.provider_scope(user, provider="service__provider_id")


def orders_for(user: AnyUser) -> QuerySet[Order]:
    ids = Order.objects.visible_to(user).values("pk")
    return Order.objects.filter(pk__in=ids).select_related(
        "service", "service__provider", "ministry", "orderer", "beneficiary", "assignee"
    )


def is_provider_staff(user: AnyUser, order: Order) -> bool:
    """Whether the user works for the order's provider *and* serves its ministry."""
    return org_selectors.serves(user, order.service.provider_id, order.ministry_id)


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
        if states.allowed("cancel", status):
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
    if is_provider_side(user, order):
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
    events = order.events.select_related("actor", "on_behalf_of")
    if not is_provider_staff(user, order):
        events = events.filter(internal=False)
    return events


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
    return (
        Order.objects.filter(scope, status__in=list(PROVIDER_ACTIVE))
        .select_related("service", "service__area", "ministry", "orderer", "assignee")
        .distinct()
    )


def colleagues_for_assignment(order: Order) -> QuerySet[Person]:
    """Provider agents and managers of the order's provider who serve its ministry."""
    return org_selectors.staff_serving(
        order.service.provider_id,
        order.ministry_id,
        roles=(Role.PROVIDER_AGENT, Role.PROVIDER_MANAGER),
    ).order_by("last_name", "first_name")


def unread_notifications(user: AnyUser) -> QuerySet[Notification]:
    me = org_selectors.person_for(user)
    if me is None:
        return Notification.objects.none()
    return Notification.objects.filter(person=me, read_at__isnull=True).select_related("order")


def status_sentence(order: Order) -> str:
    """The order's status as a sentence, e.g. «Venter på godkjenning fra Per Hansen»."""
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


visibility.register(Order, visible_order_filter)
