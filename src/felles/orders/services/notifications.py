"""Telling people about orders: in-page notifications with e-mail after commit, the SLA
warning digest, and a person's own reading state."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from felles.core.actor import Actor
from felles.core.services import allowed
from felles.orders.models import Notification, Order
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Person, Role


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


@allowed(
    lambda user, person, **_: person.user_id == user.pk,
    "Du kan bare merke dine egne varsler som lest.",
)
def mark_notifications_read(*, actor: Actor, person: Person, order: Order) -> int:
    """Seen: the person opened the order. This is the person's own reading state, not a
    change to shared data, so it is deliberately not an audit event."""
    return Notification.objects.filter(person=person, order=order, read_at__isnull=True).update(
        read_at=timezone.now()
    )


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
