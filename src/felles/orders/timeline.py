"""The order page as one conversation: the order's events (status changes, decisions,
comments, questions and answers) as entries in words, people by name, newest last."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from felles.catalog.models import Priority
from felles.orders.models import Order, OrderEvent

K = OrderEvent.Kind
# Events whose text is a message someone wrote: shown as a speech bubble.
SPOKEN = {K.COMMENT, K.NOTE, K.INFO_REQUESTED, K.INFO_PROVIDED, K.REOPENED, K.REJECTED}


@dataclass(frozen=True)
class Entry:
    kind: str
    at: dt.datetime
    who: str  # a person's name, or Felles for what the system did
    organisation: str
    sentence: str  # what happened, in words
    text: str  # what was written (a comment, a question, a reason), if anything
    spoken: bool
    internal: bool
    provider_side: bool


def entries(events: Iterable[OrderEvent], order: Order) -> list[Entry]:
    provider_id = order.service.provider_id
    result = []
    for event in events:
        actor = event.actor
        who = actor.full_name if actor else "Felles"
        sentence, text = _describe(event, order, who)
        result.append(
            Entry(
                kind=event.kind,
                at=event.created_at,
                who=who,
                organisation=actor.organisation.abbreviation if actor else "",
                sentence=sentence,
                text=text,
                spoken=event.kind in SPOKEN and bool(text),
                internal=event.internal,
                provider_side=actor is not None and actor.organisation_id == provider_id,
            )
        )
    return result


def _describe(event: OrderEvent, order: Order, who: str) -> tuple[str, str]:
    """The sentence for an event and the text to show under it."""
    kind, text = event.kind, event.text
    names = {"who": who, "provider": order.service.provider.abbreviation}
    if kind == K.SUBMITTED:
        behalf = text.removeprefix("På vegne av ").strip() if text else ""
        if behalf:
            return _("%(who)s sendte bestillingen på vegne av %(name)s") % {
                **names,
                "name": behalf,
            }, ""
        return _("%(who)s sendte bestillingen") % names, ""
    if kind == K.APPROVED:
        return _("%(who)s godkjente bestillingen") % names, text
    if kind == K.REJECTED:
        return _("%(who)s avviste bestillingen") % names, text
    if kind == K.QUEUED:
        return _("Bestillingen ble sendt til %(provider)s") % names, ""
    if kind == K.ASSIGNED:
        if text.startswith("Tildelt "):
            return _("%(who)s tildelte saken til %(name)s") % {
                **names,
                "name": text.removeprefix("Tildelt "),
            }, ""
        return _("%(who)s tok saken") % names, ""
    if kind == K.COMMENT:
        return _("%(who)s skrev") % names, text
    if kind == K.NOTE:
        return _("%(who)s skrev et internt notat") % names, text
    if kind == K.INFO_REQUESTED:
        return _("%(who)s spurte bestilleren") % names, text
    if kind == K.INFO_PROVIDED:
        return _("%(who)s svarte") % names, text
    if kind == K.RESOLVED:
        return _("%(who)s markerte saken som levert") % names, text
    if kind == K.CONFIRMED:
        return _("%(who)s bekreftet at alt er i orden") % names, ""
    if kind == K.REOPENED:
        return _("%(who)s gjenåpnet saken") % names, text
    if kind == K.CLOSED:
        return _("Avsluttet automatisk fordi bestilleren ikke svarte"), ""
    if kind == K.CANCELLED:
        return _("%(who)s kansellerte bestillingen") % names, text
    if kind == K.ESCALATED:
        return _("Godkjenningen ble sendt videre fordi den ikke ble behandlet i tide"), text
    if kind == K.RATED:
        return _("%(who)s vurderte leveransen: %(score)s") % {
            **names,
            "score": text.replace(" av ", "/"),
        }, ""
    if kind == K.PRIORITY_CHANGED:
        label = dict(Priority.choices).get(text, text)
        return _("%(who)s endret prioriteten til %(priority)s") % {
            **names,
            "priority": str(label).lower(),
        }, ""
    return str(event.get_kind_display()), text
