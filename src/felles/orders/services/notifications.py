"""Telling people about orders: an in-page notification and an e-mail through the outbox
(`felles.core.mail`), both in the transaction of the event; the SLA warning digest; a
person's own reading state.

Each kind of notice has one headline (the in-page text, in bokmål, and the e-mail's subject
in the recipient's language) and belongs to a topic a person may turn off on the
preferences page; approvals always go out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from felles.core import mail, prepared
from felles.core.actor import Actor
from felles.core.services import allowed
from felles.orders.models import Notification, Order
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Person, Role

APPROVALS = mail.topic(
    "orders.approvals", gettext_lazy("bestillinger som venter på din godkjenning"), always=True
)
MY_ORDERS = mail.topic(
    "orders.mine",
    gettext_lazy("dine bestillinger: godkjent, avvist, levert og spørsmål fra leverandøren"),
)
COMMENTS = mail.topic("orders.comments", gettext_lazy("kommentarer og svar på bestillinger"))
WORK = mail.topic(
    "orders.work",
    gettext_lazy("saker til deg som leverandør: nye bestillinger, tildelinger og gjenåpninger"),
)
SLA = mail.topic("orders.sla", gettext_lazy("saker som nærmer seg eller har brutt SLA"))


@dataclass(frozen=True)
class Kind:
    topic: str
    headline: Promise  # with %(number)s, %(service)s, … (see _facts)
    with_detail: Promise | None = None  # the in-page line when there are words to quote


KINDS: dict[str, Kind] = {
    "approval": Kind(
        APPROVALS, gettext_lazy("Til godkjenning: %(service)s for %(beneficiary)s (%(number)s)")
    ),
    "reminder": Kind(
        APPROVALS, gettext_lazy("Påminnelse: %(number)s venter på godkjenning fra deg")
    ),
    "approved": Kind(
        MY_ORDERS,
        gettext_lazy("Godkjent og sendt til %(provider)s: %(service)s (%(number)s)"),
    ),
    "rejected": Kind(
        MY_ORDERS,
        gettext_lazy("Avvist: %(service)s (%(number)s)"),
        gettext_lazy("Avvist: %(service)s (%(number)s). Begrunnelse: %(detail)s"),
    ),
    "info_requested": Kind(
        MY_ORDERS,
        gettext_lazy("%(provider)s trenger svar fra deg på %(number)s"),
        gettext_lazy("%(provider)s trenger svar fra deg på %(number)s: %(detail)s"),
    ),
    "resolved": Kind(
        MY_ORDERS,
        gettext_lazy(
            "Levert: %(service)s (%(number)s). Bekreft eller gjenåpne innen %(days)s arbeidsdager."
        ),
    ),
    "confirmed": Kind(
        MY_ORDERS,
        gettext_lazy("Hvor fornøyd er du med «%(service)s»? Gi en vurdering på bestillingen."),
    ),
    "comment": Kind(
        COMMENTS,
        gettext_lazy("Ny kommentar på %(number)s"),
        gettext_lazy("Ny kommentar på %(number)s: %(detail)s"),
    ),
    "info_provided": Kind(COMMENTS, gettext_lazy("Svar fra bestiller på %(number)s")),
    "new_order": Kind(
        WORK, gettext_lazy("Ny bestilling fra %(ministry)s: %(service)s (%(number)s)")
    ),
    "assigned": Kind(WORK, gettext_lazy("Tildelt deg: %(service)s (%(number)s)")),
    "reopened": Kind(WORK, gettext_lazy("Gjenåpnet av bestiller: %(number)s")),
}


# A restricted or security order (issue 18) is announced without content: no service, no
# names, no number, no one's words — only that something happened and a link to the order,
# where the reader's rights decide what they see (and the read is logged).
SCREENED_HEADLINE = gettext_lazy("Du har en oppdatering i en skjermet sak")
SCREENED_APPROVAL = gettext_lazy("En skjermet sak venter på godkjenning fra deg")
SCREENED_CASE = gettext_lazy("en skjermet sak")


def _screened_headline(kind: Kind) -> str:
    return str(SCREENED_APPROVAL if kind.topic == APPROVALS else SCREENED_HEADLINE)


def order_url(order: Order, *, by_mail: bool = False) -> str:
    """The order's address; from an e-mail with `?via=epost`, so that the read log of a
    restricted order records the read as coming through the e-mail link."""
    url = f"{settings.BASE_URL}{reverse('order', kwargs={'order_id': order.uuid})}"
    return f"{url}?via=epost" if by_mail else url


def _service_name(order: Order) -> str:
    service = order.service
    return service.name_en if get_language() == "en" and service.name_en else service.name_nb


class _Facts(dict[str, object]):
    """What the headlines name, in the active language, each looked up only when a text
    names it (`%` asks for the keys it uses): no query for an unused related row."""

    def __init__(self, order: Order, detail: str) -> None:
        super().__init__()
        self.order, self.detail = order, detail

    def __missing__(self, key: str) -> object:
        order = self.order
        value = {
            "number": lambda: order.number,
            "service": lambda: _service_name(order),
            "beneficiary": lambda: order.beneficiary.full_name,
            "orderer": lambda: order.orderer.full_name,
            "ministry": lambda: order.ministry.abbreviation,
            "provider": lambda: order.service.provider.abbreviation,
            "days": lambda: settings.FELLES_CONFIRM_WORKING_DAYS,
            "detail": lambda: " ".join(self.detail.split())[:120],
        }[key]()
        self[key] = value
        return value


def _facts(order: Order, detail: str = "") -> _Facts:
    return _Facts(order, detail)


def notify(
    person: Person,
    order: Order,
    kind: str,
    *,
    detail: str = "",
    url: str | None = None,
    decide_url: str | None = None,
) -> None:
    """An in-page notification and an e-mail, both in the caller's transaction. `detail`
    is someone's own words (a comment, a question, a reason); `decide_url` the approver's
    personal link that works without signing in."""
    what = KINDS[kind]
    url = url or decide_url or order_url(order)
    screened = order.service.is_confidential
    with translation.override("nb"):
        if screened:
            line = _screened_headline(what)
        else:
            line = (what.with_detail if detail and what.with_detail else what.headline) % _facts(
                order, detail
            )
    prepared.insert(Notification(person=person, order=order, text=line[:300], url=url))

    def build() -> mail.Notice:
        if screened:
            return _screened_notice(what, order, decide_url)
        facts = _facts(order, detail)
        notice = mail.Notice(
            subject=f"[Felles] {what.headline % facts}",
            headline=what.headline % facts,
            paragraphs=[
                _(
                    "Bestilling %(number)s: «%(service)s» for %(beneficiary)s, bestilt av "
                    "%(orderer)s."
                )
                % facts
            ],
            quote=detail.strip(),
            action_label=_("Se bestillingen"),
            action_url=order_url(order, by_mail=True) if decide_url is None else decide_url,
        )
        if decide_url is not None:
            notice.action_label = _("Godkjenn eller avvis")
            notice.action_note = _(
                "Lenken åpner bestillingen i Felles uten innlogging. Ingenting er bestemt før "
                "du trykker Godkjenn eller Avvis der. Lenken kan brukes én gang og gjelder i "
                "%(days)s dager."
            ) % {"days": settings.FELLES_APPROVAL_LINK_DAYS}
        return notice

    mail.queue_notice(to=person.email, user_id=person.user_id, topic=what.topic, build=build)


def _screened_notice(what: Kind, order: Order, decide_url: str | None) -> mail.Notice:
    """The e-mail about a restricted order: a neutral subject and the link, nothing else."""
    headline = _screened_headline(what)
    notice = mail.Notice(
        subject=f"[Felles] {headline}",
        headline=headline,
        paragraphs=[
            _(
                "Saken er skjermet, så e-posten sier ikke hva den gjelder. Logg inn i Felles "
                "for å se den."
            )
        ],
        action_label=_("Se saken"),
        action_url=order_url(order, by_mail=True) if decide_url is None else decide_url,
    )
    if decide_url is not None:
        notice.action_label = _("Åpne saken og ta stilling")
        notice.action_note = _(
            "Lenken åpner saken i Felles uten innlogging. Ingenting er bestemt før du trykker "
            "Godkjenn eller Avvis der. Lenken kan brukes én gang og gjelder i %(days)s dager."
        ) % {"days": settings.FELLES_APPROVAL_LINK_DAYS}
    return notice


def _sla_text(state: str, order: Order) -> str:
    """«SLA-brudd: 2026-000123 Ekstra renhold»; a restricted order without number or service."""
    if order.service.is_confidential:
        return f"{SLA_WORDS[state]}: {SCREENED_CASE}"
    return f"{SLA_WORDS[state]}: {order.number} {_service_name(order)}"


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


SLA_WORDS = {"warning": gettext_lazy("Snart SLA-brudd"), "breached": gettext_lazy("SLA-brudd")}
DIGEST_LIMIT = 20


def notify_sla(flagged: dict[str, list[int]]) -> None:
    """Tell the assignee and the provider's managers who serve the order's ministry about
    SLA warnings and breaches: one in-page notification per order and person (bulk), one
    digest e-mail per person, in the scan's transaction."""
    managers: dict[tuple[int, int], list[Person]] = {}
    teams: dict[int, set[int]] = {}  # a restricted service's handling team
    notes: list[Notification] = []
    digests: dict[int, tuple[Person, list[tuple[str, Order]]]] = {}
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
                staff = org_selectors.staff_serving(*key, roles=(Role.PROVIDER_MANAGER,))
                managers[key] = list(staff)
            people = {p.pk: p for p in managers[key]}
            if order.service.is_confidential:
                # Only the managers in the handling team hear about a restricted order.
                if order.service_id not in teams:
                    teams[order.service_id] = set(
                        order.service.handling_team.values_list("pk", flat=True)
                    )
                people = {pk: p for pk, p in people.items() if pk in teams[order.service_id]}
            if order.assignee:
                people[order.assignee.pk] = order.assignee
            with translation.override("nb"):
                text = _sla_text(state, order)
            for person in people.values():
                notes.append(
                    Notification(person=person, order=order, text=text[:300], url=order_url(order))
                )
                digests.setdefault(person.pk, (person, []))[1].append((state, order))
    Notification.objects.bulk_create(notes, batch_size=2000)
    for person, flagged_orders in digests.values():
        mail.queue_notice(
            to=person.email, user_id=person.user_id, topic=SLA, build=_sla_digest(flagged_orders)
        )


def _sla_digest(flagged_orders: list[tuple[str, Order]]) -> Callable[[], mail.Notice]:
    def build() -> mail.Notice:
        items = [
            (_sla_text(state, order), order_url(order))
            for state, order in flagged_orders[:DIGEST_LIMIT]
        ]
        count = len(flagged_orders)
        paragraphs = []
        if count > DIGEST_LIMIT:
            paragraphs.append(
                _("De første %(shown)s av %(count)s er listet; resten finner du i køen.")
                % {"shown": DIGEST_LIMIT, "count": count}
            )
        headline = ngettext(
            "%(count)s sak nærmer seg eller har brutt SLA",
            "%(count)s saker nærmer seg eller har brutt SLA",
            count,
        ) % {"count": count}
        return mail.Notice(
            subject=f"[Felles] {headline}",
            headline=headline,
            paragraphs=paragraphs,
            items=items,
            action_label=_("Åpne køen"),
            action_url=f"{settings.BASE_URL}{reverse('queue')}",
        )

    return build
