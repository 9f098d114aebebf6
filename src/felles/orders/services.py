"""Order writes. Every transition is a service function: one transaction, a conditional
UPDATE guarding the state (so concurrent actors get exactly one transition and a 409 for
the rest), an audit event, timeline events and notifications after commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from felles.catalog.models import Funding, Service
from felles.core import audit
from felles.core.actor import Actor
from felles.core.calendar import add_working_days
from felles.core.services import Conflict, ServiceError
from felles.core.validators import fits_decimal_field
from felles.invoicing.services import record_order_usage
from felles.orders import approval, selectors, states
from felles.orders.models import (
    ApprovalStep,
    Notification,
    Order,
    OrderCounter,
    OrderEvent,
    SatisfactionResponse,
)
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Person, Role, RoleAssignment
from felles.sla import services as sla_services

APPROVAL_TOKEN_SALT = "felles.orders.approval-link"  # noqa: S105 - a namespace, not a secret


class NotFound(ServiceError):
    """The object is not the actor's to act on; views and the API answer 404."""

    status = 404


# --- helpers ------------------------------------------------------------------------------


def _next_number(year: int) -> str:
    """The next readable order number of the year: one `UPDATE … RETURNING` increments the
    year's counter under its row lock (held to the commit) and reads it back in one round
    trip; the year's first order creates the row."""
    table, last, year_column = map(
        connection.ops.quote_name, (OrderCounter._meta.db_table, "last", "year")
    )
    sql = (
        f"UPDATE {table} SET {last} = {last} + 1 "  # noqa: S608 - names, not input
        f"WHERE {year_column} = %s RETURNING {last}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [year])
        row = cursor.fetchone()
        if row is None:
            OrderCounter.objects.get_or_create(year=year)  # safe if two first orders race
            cursor.execute(sql, [year])
            row = cursor.fetchone()
    return f"B-{year}-{row[0]:06d}"


@contextmanager
def _locked(order: Order) -> Iterator[Order]:
    """One transaction that starts by locking the order's row. Every order service takes
    its locks in the same sequence (the order, then its steps, the audit chain head and its
    SLA row), so two people acting on one order queue up instead of deadlocking, and the
    state each one checks is the current one."""
    with transaction.atomic():
        yield (
            Order.objects.select_for_update(of=("self",))
            .select_related(
                "service", "service__provider", "ministry", "orderer", "beneficiary", "assignee"
            )
            .get(pk=order.pk)
        )


def _event(
    order: Order,
    kind: str,
    actor: Person | None,
    text: str = "",
    *,
    internal: bool = False,
    on_behalf_of: Person | None = None,
) -> OrderEvent:
    event = OrderEvent.objects.create(
        order=order, kind=kind, actor=actor, text=text, internal=internal, on_behalf_of=on_behalf_of
    )
    # The SLA clocks are a function of the events: refresh them with every event that can
    # move them (before the order reaches the provider there is no clock to move).
    if kind != OrderEvent.Kind.SUBMITTED or order.status != states.Status.AWAITING_APPROVAL:
        sla_services.refresh(order)
    return event


def _transition(order: Order, action: str, *, actor: Actor, **fields: Any) -> Order:
    """Move the order along `action` if (and only if) it is still in an allowed state."""
    sources, target = states.TRANSITIONS[action]
    before = order.status
    previous = {k: audit.to_json_value(getattr(order, k, None)) for k in fields}
    updated = Order.objects.filter(pk=order.pk, status__in=[s.value for s in sources]).update(
        status=target.value, updated_at=timezone.now(), **fields
    )
    order.refresh_from_db()
    if not updated:
        raise Conflict(states.refusal(action, order.status))
    audit.record(
        actor=actor,
        action=f"orders.order.{action}",
        obj=order,
        changes={
            "status": [before, target.value],
            **{
                k: [previous[k], audit.to_json_value(v)]
                for k, v in fields.items()
                if not hasattr(v, "resolve_expression")
            },
        },
        organisation_id=order.ministry_id,
    )
    return order


def order_url(order: Order) -> str:
    return f"{settings.BASE_URL}{reverse('order', kwargs={'order_id': order.uuid})}"


def notify(
    person: Person,
    order: Order,
    text: str,
    *,
    url: str | None = None,
    email_body: str | None = None,
) -> None:
    """An in-page notification now, and an e-mail once the transaction commits."""
    url = url or order_url(order)
    Notification.objects.create(person=person, order=order, text=text[:300], url=url)
    body = email_body or f"{text}\n\nSe bestillingen: {url}\n\n– Felles"
    address = person.email

    def send() -> None:
        send_mail(f"[Felles] {text}"[:150], body, None, [address], fail_silently=True)

    transaction.on_commit(send)


def mark_notifications_read(*, person: Person, order: Order) -> int:
    """Seen: the person opened the order. This is the person's own reading state, not a
    change to shared data, so it is deliberately not an audit event."""
    return Notification.objects.filter(person=person, order=order, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def approval_token(step: ApprovalStep) -> str:
    """A signed link token for the step's approver. It expires, names the approver (so an
    escalation invalidates it) and is single-use because a decided step is no longer
    pending."""
    return signing.dumps(
        {"step": str(step.uuid), "approver": str(step.approver.uuid) if step.approver else ""},
        salt=APPROVAL_TOKEN_SALT,
        compress=True,
    )


def step_from_token(token: str) -> ApprovalStep:
    max_age = settings.FELLES_APPROVAL_LINK_DAYS * 86400
    try:
        data = signing.loads(token, salt=APPROVAL_TOKEN_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise NotFound("Lenken er utløpt. Logg inn i Felles for å behandle bestillingen.") from exc
    except signing.BadSignature as exc:
        raise NotFound("Lenken er ugyldig.") from exc
    step = (
        ApprovalStep.objects.select_related(
            "order",
            "order__service",
            "order__orderer",
            "order__beneficiary",
            "order__ministry",
            "approver",
        )
        .filter(uuid=data.get("step"))
        .first()
    )
    if step is None or str(step.approver.uuid if step.approver else "") != data.get("approver"):
        raise NotFound("Lenken gjelder ikke lenger. Logg inn i Felles for å se bestillingen.")
    approver = step.approver
    if (
        approver is None
        or not approver.active
        or approver.user is None
        or not approver.user.is_active
    ):
        raise NotFound("Lenken gjelder ikke lenger. Logg inn i Felles for å se bestillingen.")
    if step.state != ApprovalStep.State.PENDING:
        raise Conflict("Bestillingen er allerede behandlet. Lenken kan bare brukes én gang.")
    return step


def _activate(step: ApprovalStep, *, actor: Actor) -> None:
    now = timezone.now()
    ApprovalStep.objects.filter(pk=step.pk).update(
        state=ApprovalStep.State.PENDING, activated_at=now
    )
    step.state, step.activated_at = ApprovalStep.State.PENDING, now
    _ask_approvers(step)


def _ask_approvers(step: ApprovalStep) -> None:
    """Tell the step's approver (or its group) that a decision is waiting."""
    order = step.order
    recipients = [step.approver] if step.approver else list(_step_members(step))
    for person in recipients:
        link = (
            f"{settings.BASE_URL}{reverse('approval_link', kwargs={'token': approval_token(step)})}"
            if step.approver
            else order_url(order)
        )
        notify(
            person,
            order,
            f"Til godkjenning: {order.service.name_nb} for "
            f"{order.beneficiary.full_name} ({order.number})",
            url=link,
            email_body=(
                f"{order.orderer.full_name} har bestilt «{order.service.name_nb}» "
                f"for {order.beneficiary.full_name}.\n\n"
                f"Godkjenn eller avvis her (uten innlogging): {link}\n\n– Felles"
            ),
        )


def _step_members(step: ApprovalStep) -> Any:
    order = step.order
    if step.kind == approval.SECURITY_COORDINATOR:
        return Person.objects.filter(
            roles__role=Role.SECURITY_COORDINATOR,
            roles__organisation_id=order.ministry_id,
            active=True,
        ).exclude(pk__in=[order.orderer_id, order.beneficiary_id])
    return order.service.approver_group.exclude(pk__in=[order.orderer_id, order.beneficiary_id])


class _LineManagers(Mapping[int, "int | None"]):
    """Person id → line-manager id in one ministry, read person by person on demand: a
    chain needs the beneficiary's manager and seldom more, not the whole ministry."""

    def __init__(self, ministry_id: int, known: Iterable[Person]) -> None:
        self._ministry_id = ministry_id
        self._known: dict[int, int | None] = {p.pk: p.line_manager_id for p in known}
        self._absent: set[int] = set()

    def __getitem__(self, person_id: int) -> int | None:
        if person_id in self._known:
            return self._known[person_id]
        if person_id in self._absent:
            raise KeyError(person_id)
        rows = list(
            Person.objects.filter(pk=person_id, organisation_id=self._ministry_id).values_list(
                "line_manager_id", flat=True
            )
        )
        if not rows:
            self._absent.add(person_id)
            raise KeyError(person_id)
        self._known[person_id] = rows[0]
        return rows[0]

    def _all(self) -> dict[int, int | None]:
        return dict(
            Person.objects.filter(organisation_id=self._ministry_id).values_list(
                "pk", "line_manager_id"
            )
        )

    def __iter__(self) -> Iterator[int]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def _org_data(ministry_id: int, service: Service, people: Iterable[Person]) -> approval.OrgData:
    """What `approval.chain` needs for the service's policy, and only that: role holders for
    the budget and security policies, the service's group for group approval; line
    managers as the chain asks for them, starting from `people` (already loaded)."""
    policy = service.approval_policy
    holders: dict[str, set[int]] = {Role.BUDGET_HOLDER: set(), Role.SECURITY_COORDINATOR: set()}
    if policy in (approval.LINE_MANAGER_AND_BUDGET, approval.SECURITY_COORDINATOR):
        for role, person_id in RoleAssignment.objects.filter(
            organisation_id=ministry_id, role__in=list(holders)
        ).values_list("role", "person_id"):
            holders[role].add(person_id)
    group: frozenset[int] = frozenset()
    if policy == approval.APPROVER_GROUP:
        group = frozenset(service.approver_group.values_list("pk", flat=True))
    return approval.OrgData(
        managers=_LineManagers(ministry_id, people),
        budget_holders=frozenset(holders[Role.BUDGET_HOLDER]),
        security_coordinators=frozenset(holders[Role.SECURITY_COORDINATOR]),
        approver_group=group,
    )


# --- submitting and approving -------------------------------------------------------------


def submit_order(
    *,
    actor: Actor,
    orderer: Person,
    service: Service,
    answers: dict[str, Any],
    beneficiary: Person | None = None,
    priority: str | None = None,
    quantity: Decimal = Decimal("1"),
    buyer_reference: str = "",
) -> Order:
    """Place an order. The approval chain is computed now from the service's policy and the
    organisation data; with no approval needed the order goes straight to the provider."""
    beneficiary = beneficiary or orderer
    if beneficiary.organisation_id != orderer.organisation_id:
        raise NotFound("Fant ikke personen.")
    if not service.is_orderable_by(orderer.organisation):
        raise NotFound("Tjenesten finnes ikke, eller departementet ditt kan ikke bestille den.")
    if quantity <= 0:
        raise ServiceError("Antall må være større enn null.", {"quantity": ["Må være over 0."]})
    ministry = orderer.organisation
    funding = service.funding_for(ministry)
    today = timezone.localdate()
    price = service.price_on(today) if funding != Funding.APPROPRIATION else None
    amount = (price.unit_price * quantity).quantize(Decimal("0.01")) if price else None
    if amount is not None and not fits_decimal_field(
        amount, Order._meta.get_field("estimated_amount")
    ):
        raise ServiceError(
            "Beløpet blir for stort (antall × pris). Kontroller antallet.",
            {"quantity": ["Antall × pris blir for stort."]},
        )
    try:
        chain = approval.chain(
            service.approval_policy,
            orderer_id=orderer.pk,
            beneficiary_id=beneficiary.pk,
            invoiced=funding != Funding.APPROPRIATION,
            amount=amount,
            threshold=service.approval_threshold,
            org=_org_data(ministry.pk, service, (orderer, beneficiary)),
        )
    except approval.NoApprover as exc:
        raise ServiceError(str(exc)) from exc
    now = timezone.now()
    with transaction.atomic():
        order = Order.objects.create(
            number=_next_number(timezone.localdate(now).year),
            service=service,
            ministry=ministry,
            orderer=orderer,
            beneficiary=beneficiary,
            status=(states.Status.AWAITING_APPROVAL if chain else states.Status.QUEUED).value,
            priority=priority or service.default_priority,
            submitted_priority=priority or service.default_priority,
            answers=answers,
            quantity=quantity,
            buyer_reference=buyer_reference.strip(),
            funding=funding,
            price_version=price,
            estimated_amount=amount,
            submitted_at=now,
            approved_at=None if chain else now,
        )
        _event(
            order,
            OrderEvent.Kind.SUBMITTED,
            orderer,
            "" if beneficiary == orderer else f"På vegne av {beneficiary.full_name}",
        )
        # The first step is created already waiting (one write, not an insert and then an
        # update); the rest wait their turn.
        steps = [
            ApprovalStep.objects.create(
                order=order,
                position=i,
                kind=s.kind,
                approver_id=s.approver_id,
                **({"state": ApprovalStep.State.PENDING, "activated_at": now} if i == 0 else {}),
            )
            for i, s in enumerate(chain)
        ]
        # The steps just written are the order's steps: the caller's answer ("waiting for
        # approval from …") reads them from here instead of from the database.
        prefetched = order.steps.all()
        prefetched._result_cache, prefetched._prefetch_done = steps, True
        order._prefetched_objects_cache = {"steps": prefetched}
        if steps:
            _ask_approvers(steps[0])
        else:
            _event(order, OrderEvent.Kind.QUEUED, None)
            _notify_provider(order)
        # Audited last: the audit chain's head row stays locked from here to the commit,
        # so recording at the end keeps that serialised window as short as possible.
        audit.record(
            actor=actor,
            action="orders.order.submit",
            obj=order,
            changes={
                "service": [None, service.code],
                "status": [None, order.status],
                "beneficiary": [None, str(beneficiary.uuid)],
                "quantity": [None, str(quantity)],
            },
            organisation_id=ministry.pk,
        )
    return order


def _notify_provider(order: Order) -> None:
    """Tell the provider's customer contacts for the ministry that an order arrived."""
    contacts = org_selectors.staff_serving(
        order.service.provider_id, order.ministry_id, roles=(Role.CUSTOMER_CONTACT,)
    )
    for person in contacts:
        notify(
            person,
            order,
            f"Ny bestilling fra {order.ministry.abbreviation}: "
            f"{order.service.name_nb} ({order.number})",
        )


def decide(
    *,
    actor: Actor,
    step: ApprovalStep,
    decider: Person,
    on_behalf_of: Person,
    approve: bool,
    comment: str = "",
) -> Order:
    """Approve or reject the pending step. The caller has established (selectors.decider_for
    or an e-mail token) that `decider` may decide for `on_behalf_of`."""
    comment = comment.strip()
    if not approve and not comment:
        raise ServiceError(
            "Skriv en begrunnelse når du avviser.",
            {"comment": ["Begrunnelse må fylles ut ved avvisning."]},
        )
    with _locked(step.order):
        now = timezone.now()
        new_state = ApprovalStep.State.APPROVED if approve else ApprovalStep.State.REJECTED
        # The approver is part of the guard: a decision based on a step read before an
        # escalation moved it to someone else must lose, not land under the wrong name.
        won = ApprovalStep.objects.filter(
            pk=step.pk, state=ApprovalStep.State.PENDING, approver_id=step.approver_id
        ).update(
            state=new_state,
            decided_by=decider,
            decided_at=now,
            comment=comment,
            on_behalf_of=on_behalf_of if on_behalf_of != decider else None,
        )
        if not won:
            raise Conflict("Bestillingen er allerede behandlet av noen andre.")
        step.refresh_from_db()
        order = step.order
        behalf = on_behalf_of if on_behalf_of != decider else None
        audit.record(
            actor=actor,
            action="orders.approval.decide",
            obj=step,
            changes={
                "state": ["pending", new_state],
                "decided_by": [None, decider.full_name],
                "on_behalf_of": [None, behalf.full_name if behalf else None],
            },
            organisation_id=order.ministry_id,
        )
        text = comment if not behalf else f"{comment}\n(på vegne av {behalf.full_name})".strip()
        _event(
            order,
            OrderEvent.Kind.APPROVED if approve else OrderEvent.Kind.REJECTED,
            decider,
            text,
            on_behalf_of=behalf,
        )
        if not approve:
            _cancel_open_steps(order, actor=actor)
            order = _transition(order, "reject", actor=actor)
            notify(
                order.orderer,
                order,
                f"Avvist: {order.service.name_nb} ({order.number}). Begrunnelse: {comment}",
            )
            return order
        following = order.steps.filter(state=ApprovalStep.State.WAITING).order_by("position")
        nxt = following.first()
        if nxt is not None:
            _activate(nxt, actor=actor)
            audit.record(
                actor=actor,
                action="orders.approval.activate",
                obj=nxt,
                changes={"state": ["waiting", "pending"]},
                organisation_id=order.ministry_id,
            )
            return order
        order = _transition(order, "approve", actor=actor, approved_at=now)
        _event(order, OrderEvent.Kind.QUEUED, None)
        notify(
            order.orderer,
            order,
            f"Godkjent og sendt til {order.service.provider.abbreviation}:"
            f" {order.service.name_nb} ({order.number})",
        )
        _notify_provider(order)
    return order


def _cancel_open_steps(order: Order, *, actor: Actor) -> None:
    """Steps that will never be decided (after a rejection or a cancellation) lapse,
    each with its own audit event."""
    for step in order.steps.filter(
        state__in=[ApprovalStep.State.PENDING, ApprovalStep.State.WAITING]
    ):
        ApprovalStep.objects.filter(pk=step.pk).update(state=ApprovalStep.State.CANCELLED)
        audit.record(
            actor=actor,
            action="orders.approval.lapse",
            obj=step,
            changes={"state": [step.state, ApprovalStep.State.CANCELLED]},
            organisation_id=order.ministry_id,
        )


# --- fulfilment ---------------------------------------------------------------------------


def take(*, actor: Actor, order: Order, agent: Person) -> Order:
    with _locked(order) as order:
        order = _transition(order, "take", actor=actor, assignee=agent)
        _event(order, OrderEvent.Kind.ASSIGNED, agent, f"Tatt av {agent.full_name}")
    return order


def assign(*, actor: Actor, order: Order, agent: Person, assignee: Person) -> Order:
    if not selectors.colleagues_for_assignment(order).filter(pk=assignee.pk).exists():
        raise ServiceError(
            "Saken kan bare tildeles saksbehandlere hos leverandøren.",
            {"assignee": ["Velg en saksbehandler hos leverandøren."]},
        )
    with _locked(order) as order:
        order = _transition(order, "assign", actor=actor, assignee=assignee)
        _event(order, OrderEvent.Kind.ASSIGNED, agent, f"Tildelt {assignee.full_name}")
        if assignee != agent:
            notify(assignee, order, f"Tildelt deg: {order.service.name_nb} ({order.number})")
    return order


def comment(
    *, actor: Actor, order: Order, author: Person, text: str, internal: bool = False
) -> OrderEvent:
    text = text.strip()
    if not text:
        raise ServiceError("Skriv en kommentar.", {"text": ["Feltet må fylles ut."]})
    with _locked(order) as order:
        if order.status not in [s.value for s in states.OPEN]:
            raise Conflict("Bestillingen er avsluttet og kan ikke kommenteres.")
        event = _event(
            order,
            OrderEvent.Kind.NOTE if internal else OrderEvent.Kind.COMMENT,
            author,
            text,
            internal=internal,
        )
        audit.record(
            actor=actor,
            action="orders.order.note" if internal else "orders.order.comment",
            obj=order,
            changes={"text": [None, text]},
            organisation_id=order.ministry_id,
        )
        if not internal:
            target = (
                order.assignee if author in (order.orderer, order.beneficiary) else order.orderer
            )
            if target is not None and target != author:
                notify(target, order, f"Ny kommentar på {order.number}: {text[:120]}")
    return event


def request_info(*, actor: Actor, order: Order, agent: Person, question: str) -> Order:
    question = question.strip()
    if not question:
        raise ServiceError("Skriv spørsmålet til bestilleren.", {"text": ["Må fylles ut."]})
    with _locked(order) as order:
        order = _transition(order, "request_info", actor=actor)
        _event(order, OrderEvent.Kind.INFO_REQUESTED, agent, question)
        notify(
            order.orderer,
            order,
            f"{order.service.provider.abbreviation} trenger svar fra "
            f"deg på {order.number}: {question[:120]}",
        )
    return order


def provide_info(*, actor: Actor, order: Order, author: Person, answer: str) -> Order:
    answer = answer.strip()
    if not answer:
        raise ServiceError("Skriv svaret ditt.", {"text": ["Må fylles ut."]})
    with _locked(order) as order:
        order = _transition(order, "provide_info", actor=actor)
        _event(order, OrderEvent.Kind.INFO_PROVIDED, author, answer)
        if order.assignee:
            notify(order.assignee, order, f"Svar fra bestiller på {order.number}")
    return order


def resolve(
    *, actor: Actor, order: Order, agent: Person, resolution: str, quantity: Decimal | None = None
) -> Order:
    """Mark the order delivered; the delivered quantity (if the agent corrects it) is what
    the usage record and later the invoice will carry."""
    resolution = resolution.strip()
    if not resolution:
        raise ServiceError("Beskriv hva som er levert.", {"text": ["Må fylles ut."]})
    if quantity is not None and quantity <= 0:
        raise ServiceError("Antall må være over null.", {"quantity": ["Må være over 0."]})
    extra = {"quantity": quantity} if quantity is not None else {}
    with _locked(order) as order:
        order = _transition(
            order,
            "resolve",
            actor=actor,
            resolution=resolution,
            resolved_at=timezone.now(),
            **extra,
        )
        _event(order, OrderEvent.Kind.RESOLVED, agent, resolution)
        record_order_usage(actor=actor, order=order)
        days = settings.FELLES_CONFIRM_WORKING_DAYS
        notify(
            order.orderer,
            order,
            f"Levert: {order.service.name_nb} ({order.number}). "
            f"Bekreft eller gjenåpne innen {days} arbeidsdager.",
        )
    return order


def confirm(*, actor: Actor, order: Order, person: Person) -> Order:
    with _locked(order) as order:
        order = _transition(order, "confirm", actor=actor, closed_at=timezone.now())
        _event(order, OrderEvent.Kind.CONFIRMED, person)
        notify(
            order.orderer,
            order,
            f"Hvor fornøyd er du med «{order.service.name_nb}»? Gi en vurdering på bestillingen.",
        )
    return order


def reopen(*, actor: Actor, order: Order, person: Person, reason: str) -> Order:
    reason = reason.strip()
    if not reason:
        raise ServiceError("Skriv hvorfor saken ikke er løst.", {"text": ["Må fylles ut."]})
    with _locked(order) as order:
        order = _transition(order, "reopen", actor=actor, resolved_at=None)
        _event(order, OrderEvent.Kind.REOPENED, person, reason)
        if order.assignee:
            notify(order.assignee, order, f"Gjenåpnet av bestiller: {order.number}")
    return order


def cancel(*, actor: Actor, order: Order, person: Person, reason: str = "") -> Order:
    with _locked(order) as order:
        order = _transition(order, "cancel", actor=actor)
        _cancel_open_steps(order, actor=actor)
        _event(order, OrderEvent.Kind.CANCELLED, person, reason.strip())
    return order


def rate(
    *, actor: Actor, order: Order, person: Person, score: int, comment_text: str = ""
) -> SatisfactionResponse:
    if person != order.orderer:
        raise NotFound("Fant ikke bestillingen.")
    if not 1 <= score <= 5:
        raise ServiceError("Velg en vurdering fra 1 til 5.", {"score": ["Velg 1–5."]})
    with _locked(order) as order:
        if order.status != states.Status.CLOSED:
            raise Conflict("Du kan gi vurdering når bestillingen er avsluttet.")
        if SatisfactionResponse.objects.filter(order=order).exists():
            raise Conflict("Du har allerede vurdert denne bestillingen.")
        response = SatisfactionResponse.objects.create(
            order=order, score=score, comment=comment_text.strip()
        )
        _event(order, OrderEvent.Kind.RATED, person, f"{score} av 5")
        audit.record(
            actor=actor,
            action="orders.order.rate",
            obj=response,
            changes={"score": [None, score]},
            organisation_id=order.ministry_id,
        )
    return response


def change_priority(*, actor: Actor, order: Order, agent: Person, priority: str) -> Order:
    """Change the priority. The SLA clocks switch to the new targets from now on, keeping
    the time already spent and every pause."""
    from felles.catalog.models import Priority

    if priority not in Priority.values:
        raise ServiceError("Ukjent prioritet.", {"priority": ["Velg en prioritet fra listen."]})
    with _locked(order) as order:
        if order.status not in [s.value for s in states.OPEN]:
            raise Conflict(states.refusal("assign", order.status))
        if priority == order.priority:
            return order
        before = order.priority
        updated = Order.objects.filter(pk=order.pk, priority=before).update(
            priority=priority, updated_at=timezone.now()
        )
        if not updated:
            raise Conflict("Prioriteten er nettopp endret av noen andre. Last siden på nytt.")
        order.refresh_from_db()
        audit.record(
            actor=actor,
            action="orders.order.priority",
            obj=order,
            changes={"priority": [before, priority]},
            organisation_id=order.ministry_id,
        )
        _event(order, OrderEvent.Kind.PRIORITY_CHANGED, agent, priority)
    return order


def notify_sla(flagged: dict[str, list[int]]) -> None:
    """Tell the assignee and the provider's managers who serve the order's ministry about
    SLA warnings and breaches: one in-page notification per order and person (bulk), one
    digest e-mail per person."""
    words = {"warning": "Snart SLA-brudd", "breached": "SLA-brudd"}
    managers: dict[tuple[int, int], list[Person]] = {}
    notes: list[Notification] = []
    digests: dict[str, list[str]] = {}
    for state, order_ids in flagged.items():
        if not order_ids:
            continue
        for order in (
            Order.objects.filter(pk__in=order_ids)
            .select_related("service", "assignee")
            .iterator(chunk_size=2000)
        ):
            key = (order.service.provider_id, order.ministry_id)
            if key not in managers:
                managers[key] = list(
                    org_selectors.staff_serving(*key, roles=(Role.PROVIDER_MANAGER,))
                )
            people = {p.pk: p for p in managers[key]}
            if order.assignee:
                people[order.assignee.pk] = order.assignee
            text = f"{words[state]}: {order.number} {order.service.name_nb}"
            for person in people.values():
                notes.append(
                    Notification(person=person, order=order, text=text[:300], url=order_url(order))
                )
                digests.setdefault(person.email, []).append(f"{text}\n{order_url(order)}")
    Notification.objects.bulk_create(notes, batch_size=2000)

    def send() -> None:
        for address, lines in digests.items():
            more = f"\n… og {len(lines) - 20} til." if len(lines) > 20 else ""
            send_mail(
                f"[Felles] {len(lines)} saker nærmer seg eller har brutt SLA",
                "\n\n".join(lines[:20]) + more + "\n\n– Felles",
                None,
                [address],
                fail_silently=True,
            )

    transaction.on_commit(send)


# --- time-driven work (run by the worker) -------------------------------------------------


def scan(*, actor: Actor, now: dt.datetime | None = None) -> dict[str, int]:
    """Reminders after one working day, escalation to the approver's own manager after
    FELLES_APPROVAL_ESCALATION_DAYS working days, and closing of resolved orders the
    orderer has not confirmed within FELLES_CONFIRM_WORKING_DAYS. Safe to run repeatedly."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {"reminded": 0, "escalated": 0, "closed": 0}
    pending = ApprovalStep.objects.filter(
        state=ApprovalStep.State.PENDING, activated_at__isnull=False
    ).select_related(
        "order",
        "order__service",
        "order__orderer",
        "order__beneficiary",
        "approver",
        "approver__line_manager",
    )
    for step in pending:
        activated = timezone.localdate(step.activated_at)
        if (
            step.approver
            and step.approver.line_manager
            and step.escalated_from_id is None
            and add_working_days(activated, settings.FELLES_APPROVAL_ESCALATION_DAYS) <= today
            and step.approver.line_manager_id
            not in (step.order.orderer_id, step.order.beneficiary_id)
        ):
            with _locked(step.order):
                old = step.approver
                moved = ApprovalStep.objects.filter(
                    pk=step.pk, state=ApprovalStep.State.PENDING, approver=old
                ).update(
                    approver=old.line_manager,
                    escalated_from=old,
                    activated_at=now,
                    reminded_at=None,
                )
                if moved:
                    step.refresh_from_db()
                    audit.record(
                        actor=actor,
                        action="orders.approval.escalate",
                        obj=step,
                        changes={"approver": [old.full_name, step.approver.full_name]},
                        organisation_id=step.order.ministry_id,
                    )
                    _event(
                        step.order,
                        OrderEvent.Kind.ESCALATED,
                        None,
                        f"Ikke behandlet av {old.full_name}; sendt til {step.approver.full_name}",
                    )
                    _activate(step, actor=actor)
                    counts["escalated"] += 1
            continue
        if step.reminded_at is None and add_working_days(activated, 1) <= today:
            with transaction.atomic():
                if ApprovalStep.objects.filter(pk=step.pk, reminded_at__isnull=True).update(
                    reminded_at=now
                ):
                    people = [step.approver] if step.approver else list(_step_members(step))
                    for person in people:
                        notify(
                            person,
                            step.order,
                            f"Påminnelse: {step.order.number} venter på godkjenning fra deg",
                        )
                    counts["reminded"] += 1
    resolved = Order.objects.filter(status=states.Status.RESOLVED.value, resolved_at__isnull=False)
    for order in resolved:
        deadline = add_working_days(
            timezone.localdate(order.resolved_at), settings.FELLES_CONFIRM_WORKING_DAYS
        )
        if deadline <= today:
            with _locked(order) as order:
                try:
                    _transition(order, "auto_close", actor=actor, closed_at=now)
                except Conflict:
                    continue  # confirmed or reopened meanwhile
                _event(
                    order,
                    OrderEvent.Kind.CLOSED,
                    None,
                    "Avsluttet automatisk fordi bestilleren ikke svarte.",
                )
                counts["closed"] += 1
    return counts
