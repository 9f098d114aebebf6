"""What the order pages share: the person, htmx partials, the order page's context, the
actions' outcome messages and the provider queue's rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.catalog.models import Priority
from felles.core.actor import Actor
from felles.core.forms import add_service_errors
from felles.core.services import ServiceError
from felles.orders import events, forms, selectors, timeline
from felles.orders import queue as selectors_queue
from felles.orders.models import Order
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Person


def _me(request: HttpRequest) -> Person:
    person = org_selectors.person_for(request.user)
    if person is None:
        raise Http404
    return person


def _order_context(
    request: HttpRequest, order: Order, bound: forms.ActionForm | None = None
) -> dict[str, Any]:
    """What the order page shows: the order, its approval chain and SLA, the conversation
    (timeline) and one panel with the actions the user may take now. `bound` replaces the
    unbound form of its action (a refused post, shown again with its errors)."""
    steps = list(order.steps.select_related("approver", "decided_by", "on_behalf_of"))
    decidable = next((s for s in steps if selectors.decider_for(request.user, s)), None)
    allowed = selectors.available_actions(request.user, order)
    provider_view = selectors.is_provider_staff(request.user, order)
    action_forms = forms.action_forms(order, allowed, provider_view=provider_view)
    if bound is not None:
        action_forms = [bound if type(f) is type(bound) else f for f in action_forms]
    conversation = [f for f in action_forms if isinstance(f, forms.CommentForm)]
    sla = getattr(order, "sla", None)
    pauses = [
        {"reason": _(p.reason), "start": p.start, "end": p.end}
        for p in (events.sla_pauses(order=order) if sla and sla.started_at else [])
    ]
    history = selectors.events_for(request.user, order).select_related("actor__organisation")
    return {
        "order": order,
        "sla": sla,
        "pauses": pauses,
        "steps": steps,
        "answers": _answers(order),
        "timeline": timeline.entries(history, order),
        "status": selectors.status_sentence(order),
        "action_forms": [f for f in action_forms if f not in conversation],
        "comment_form": conversation[0] if conversation else None,
        "decidable": decidable,
        "decision_form": forms.DecisionForm(auto_id="decide-%s"),
        "reads": selectors.reads_for(request.user, order),
        "task_section": events.order_task_section(user=request.user, order=order, request=request),
        "link_section": events.order_links(user=request.user, order=order),
    }


def _answers(order: Order) -> list[tuple[str, Any]]:
    """The order form's answers, labelled in the user's language where the label was kept
    in both."""
    english = translation.get_language() == "en"
    return [
        ((item.get("label_en") if english else "") or item.get("label", key), item.get("value"))
        for key, item in order.answers.items()
        if isinstance(item, dict)
    ]


# The message after each action. What an action takes and checks is its form's
# (orders.forms); who may do what is the services' own rule (a refusal is 403); bad input
# and a stale state come back as a message.
DONE = {
    "cancel": gettext_lazy("Bestillingen er kansellert."),
    "provide_info": gettext_lazy("Svaret er sendt."),
    "confirm": gettext_lazy("Takk! Bestillingen er avsluttet."),
    "reopen": gettext_lazy("Saken er gjenåpnet."),
    "rate": gettext_lazy("Takk for vurderingen."),
    "comment": gettext_lazy("Kommentaren er lagt til."),
    "note": gettext_lazy("Notatet er lagret."),
    "take": gettext_lazy("Du har tatt saken."),
    "assign": gettext_lazy("Saken er tildelt."),
    "request_info": gettext_lazy("Spørsmålet er sendt til bestilleren."),
    "resolve": gettext_lazy("Saken er markert som levert."),
    "priority": gettext_lazy("Prioriteten er endret."),
}
# What a row of the provider queue shows.
QUEUE_ROW = ("sla", "service", "service__area", "ministry", "assignee")


def _partial(request: HttpRequest) -> bool:
    """An htmx request that swaps part of the page (not one restoring history, which needs
    the whole page)."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def _target(request: HttpRequest) -> str:
    """The id of the element an htmx request swaps ('' without htmx)."""
    return str(request.htmx.target or "") if _partial(request) else ""


def _vary(response: HttpResponse) -> HttpResponse:
    """The page and its partial share a URL: caches must keep them apart."""
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def _errors(form: BaseForm) -> str:
    return " ".join(str(m) for ms in form.errors.values() for m in ms)


def _act(request: HttpRequest, order: Order, action: str) -> tuple[forms.ActionForm | None, str]:
    """Bind the form of the posted action and call its service: the form and the refusal in
    words ('' when done)."""
    form_class = forms.FORM_FOR.get(action)
    if form_class is None:
        return None, _("Ukjent handling «%(action)s».") % {"action": action[:40]}
    form = form_class(request.POST, order=order)
    if form.is_valid():
        try:
            form.act(Actor.from_request(request), action)
        except ServiceError as exc:
            add_service_errors(form, exc)  # a Forbidden becomes the 403 page
    return form, _errors(form)


def queue_rows(user: Any, orders: Iterable[Order]) -> list[dict[str, Any]]:
    """The queue's rows with what the user may do on each now (`available_actions`), the
    colleagues the order may be assigned to and the priorities: a constant number of
    queries however long the page."""
    orders = list(orders)
    colleagues = selectors_queue.colleagues_by_pair(orders)
    priorities = list(Priority.choices)
    tasks = events.queue_task_progress(user=user, orders=orders)
    return [
        {
            "o": o,
            "actions": selectors.available_actions(user, o),
            "colleagues": colleagues.get(selectors_queue.pair_of(o), []),
            "priorities": priorities,
            "tasks": tasks.get(o.pk, ""),
        }
        for o in orders
    ]
