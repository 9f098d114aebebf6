"""The provider queue: sorted by time left on the SLA, with take, assign and priority inline."""

from __future__ import annotations

from django.db.models import Case, F, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from felles.core.listing import paginate
from felles.core.permissions import requires
from felles.orders import selectors, states
from felles.orders.views._common import QUEUE_ROW, _partial, _vary, queue_rows
from felles.organisations import selectors as org_selectors

# --- provider queue -----------------------------------------------------------------------

PRIORITY_ORDER = {"critical": 0, "high": 1, "normal": 2, "low": 3}


@requires(org_selectors.works_for_provider)
def queue(request: HttpRequest) -> HttpResponse:
    orders = selectors.queue_for(request.user)
    status = request.GET.get("status", "")
    if status in {s.value for s in states.PROVIDER_ACTIVE}:
        orders = orders.filter(status=status)
    if request.GET.get("mine"):
        orders = orders.filter(assignee=org_selectors.person_for(request.user))
    if request.GET.get("area"):
        orders = orders.filter(service__area__code=request.GET["area"])
    if request.GET.get("priority") in PRIORITY_ORDER:
        orders = orders.filter(priority=request.GET["priority"])
    urgency = Case(
        *(When(priority=p, then=Value(rank)) for p, rank in PRIORITY_ORDER.items()),
        default=Value(9),
        output_field=IntegerField(),
    )
    sort = request.GET.get("sorter", "tid")
    if sort == "prioritet":
        ordering = ["urgency", "submitted_at"]
    else:  # least time left first; paused and unstarted clocks last
        ordering = [F("sla__resolution_due").asc(nulls_last=True), "urgency", "submitted_at"]
    # Sorted by the selected column, not by a second copy of the CASE: with server-side
    # parameters PostgreSQL cannot tell that two copies are one expression under DISTINCT.
    orders = orders.annotate(urgency=urgency).select_related(*QUEUE_ROW)
    context = paginate(request, orders.order_by(*ordering))
    context["rows"] = queue_rows(request.user, context["page"])
    context["sort"] = sort
    context.update(
        statuses=[
            (s.value, _(states.LABELS[s])) for s in states.Status if s in states.PROVIDER_ACTIVE
        ],
        status=status,
    )
    template = "orders/_queue_results.html" if _partial(request) else "orders/queue.html"
    return _vary(render(request, template, context))
