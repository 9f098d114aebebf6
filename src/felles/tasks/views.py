"""Pages for task checklists: a service's task template (its provider's managers), the
checklist section of the order page and its htmx actions (the provider's staff)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from felles.catalog import selectors as catalog_selectors
from felles.core.actor import Actor
from felles.core.forms import add_service_errors
from felles.core.permissions import authenticated, get_visible_or_404, requires
from felles.core.services import Forbidden, ServiceError
from felles.core.types import AnyUser
from felles.orders import compiled as order_compiled
from felles.orders import queue as order_queue
from felles.orders import selectors as order_selectors
from felles.orders.models import Order
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Person, Role
from felles.tasks import forms, selectors, services
from felles.tasks.models import OrderTask

can_maintain = org_selectors.role_rule(Role.PROVIDER_MANAGER, Role.ADMINISTRATOR)


@requires(can_maintain)
def task_templates(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    """A service's task templates over time and a new one from a date (earlier versions
    and the orders that got them are never changed)."""
    service = get_visible_or_404(catalog_selectors.managed_services(request.user), uuid=service_id)
    templates = selectors.templates_of(service)
    current = selectors.template_on(service, timezone.localdate())
    initial = {
        "valid_from": timezone.localdate(),
        "tasks": forms.as_lines(current.tasks.all()) if current else "",
    }
    form = forms.TemplateForm(initial=initial)
    if request.method == "POST":
        form = forms.TemplateForm(request.POST)
        if form.is_valid():
            try:
                services.add_template(
                    actor=Actor.from_request(request),
                    service=service,
                    valid_from=form.cleaned_data["valid_from"],
                    tasks=form.cleaned_data["tasks"],
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Den nye oppgavemalen er lagret."))
                return redirect("task_templates", service_id=service.uuid)
    return render(
        request,
        "tasks/templates.html",
        {"service": service, "templates": templates, "current": current, "form": form},
    )


def _section_context(user: AnyUser, order: Order) -> dict[str, Any] | None:
    tasks = list(
        OrderTask.objects.visible_to(user)
        .filter(order=order)
        .select_related("assignee", "finished_by")
        .order_by("position")
    )
    if not tasks:
        return None
    finished = sum(1 for t in tasks if not t.is_open)
    staff = order_selectors.is_provider_staff(user, order)
    working = staff and selectors.may_work_on(user, order)
    colleagues: list[Person] = []
    if working:
        colleagues = order_queue.colleagues_by_pair([order]).get(order_queue.pair_of(order), [])
    return {
        "order": order,
        "tasks": tasks,
        "progress": selectors.Progress(finished, len(tasks), None).text,
        "staff": staff,
        "working": working,
        "colleagues": colleagues,
        "me": org_selectors.person_for(user),
    }


def order_section(*, user: AnyUser, order: Order, request: HttpRequest | None = None) -> str:
    """The order page's checklist (answers `orders.events.order_task_section`): progress
    and the customer-facing steps for the orderer's side, the tasks with their actions
    for the provider's staff; nothing for those who may not read the order's content."""
    context = _section_context(user, order)
    return render_to_string("tasks/_section.html", context, request=request) if context else ""


@require_POST
@requires(authenticated)
def task_action(request: HttpRequest, order_id: uuid.UUID, task_id: uuid.UUID) -> HttpResponse:
    """Take, assign, complete or skip a task from the order page: with htmx the section
    comes back as it is now, without it the order page with a message."""
    order = order_compiled.order_or_404(request.user, order_id)
    task = get_visible_or_404(OrderTask.objects.visible_to(request.user), uuid=task_id, order=order)
    form = forms.TaskActionForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Ugyldig handling.")
    else:
        error = _act(request, task, form.cleaned_data)
    if getattr(request, "htmx", False):
        context = _section_context(request.user, order) or {}
        return render(request, "tasks/_section.html", {**context, "error": error})
    if error:
        messages.error(request, error)
    return redirect("order", order_id=order.uuid)


def _act(request: HttpRequest, task: OrderTask, data: dict[str, Any]) -> str:
    actor = Actor.from_request(request)
    action = data["action"]
    try:
        if action == "take":
            services.take(actor=actor, task=task)
        elif action == "complete":
            services.complete(actor=actor, task=task)
        elif action == "skip":
            services.skip(actor=actor, task=task, reason=data.get("reason") or "")
        else:
            assignee = Person.objects.filter(uuid=data.get("assignee")).first()
            services.assign(actor=actor, task=task, assignee=assignee)
    except ServiceError as exc:
        if isinstance(exc, Forbidden):
            raise
        return exc.message
    return ""
