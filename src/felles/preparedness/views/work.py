"""Pages: exercises (the yearly plan), the emergency stock, graded procurements and the
yearly self-report."""

from __future__ import annotations

import itertools
import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from felles.core.actor import Actor
from felles.core.forms import add_service_errors
from felles.core.permissions import get_visible_or_404, requires
from felles.core.services import Forbidden, ServiceError
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation
from felles.preparedness import forms, rules, selectors, services
from felles.preparedness.models import Exercise, SelfReport, StockItem


def _ministries_for(user: object, codes: tuple[str, ...]) -> object:
    """Ministries the user acts for: those she coordinates, or the team's reach."""
    reach = selectors.team(user, codes)
    ministries = Organisation.objects.customers()
    if reach is None:
        return ministries
    return ministries.filter(pk__in=set(reach) | set(selectors.coordinated(user)))


@requires(selectors.may_see_exercises)
def exercises(request: HttpRequest) -> HttpResponse:
    """The yearly exercise plan: per ministry for its people, the whole community's for
    DSS's exercise team and DFD."""
    user = request.user
    ministries = _ministries_for(user, selectors.EXERCISE_CODES)
    may_plan = bool(selectors.coordinated(user)) or (
        selectors.team(user, selectors.EXERCISE_CODES) != frozenset()
    )
    form = forms.ExerciseForm(request.POST or None, ministries=ministries)
    if request.method == "POST":
        if not may_plan:
            raise Forbidden(services.work.NOT_PLANNER)
        if form.is_valid():
            data = form.cleaned_data
            try:
                exercise = services.plan_exercise(
                    actor=Actor.from_request(request),
                    created_by=org_selectors.person_for(user),
                    **{**data, "ministries": list(data["ministries"])},
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Øvelsen er planlagt."))
                return redirect("preparedness_exercise", exercise_id=exercise.uuid)
    plan = selectors.exercises_for(user)
    years = [
        (year, list(rows)) for year, rows in itertools.groupby(plan, lambda e: e.planned_on.year)
    ]
    return render(
        request,
        "preparedness/exercises.html",
        {"years": years, "form": form if may_plan else None},
        status=422 if form.errors else 200,
    )


@requires(selectors.may_see_exercises)
def exercise_detail(request: HttpRequest, exercise_id: uuid.UUID) -> HttpResponse:
    exercise = get_visible_or_404(selectors.exercises_for(request.user), uuid=exercise_id)
    covered = list(exercise.ministries.all())
    plans = selectors.plans_exercise(request.user, covered)
    form = forms.EvaluationForm(
        request.POST or None,
        people=selectors.owners_for({m.pk for m in covered}, selectors.EXERCISE_CODES),
    )
    if request.method == "POST":
        if not plans:
            raise Forbidden(services.work.NOT_PLANNER)
        if form.is_valid():
            data = form.cleaned_data
            lessons = [(data["lesson"], data["owner"], data["due_on"])] if data["lesson"] else []
            try:
                services.evaluate_exercise(
                    actor=Actor.from_request(request),
                    exercise=exercise,
                    evaluation=data["evaluation"],
                    lessons=lessons,
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Evalueringen er lagret."))
                return redirect("preparedness_exercise", exercise_id=exercise.uuid)
    return render(
        request,
        "preparedness/exercise.html",
        {
            "exercise": exercise,
            "lessons": exercise.lessons.select_related("owner"),
            "form": form if plans and exercise.status == Exercise.Status.PLANNED else None,
            "today": timezone.localdate(),
        },
        status=422 if form.errors else 200,
    )


@requires(selectors.may_see_stock)
def stock(request: HttpRequest) -> HttpResponse:
    """The government quarter's emergency stock with its warnings."""
    manages = selectors.manages_stock(request.user)
    form = forms.StockItemForm(request.POST or None)
    if request.method == "POST":
        if not manages:
            raise Forbidden(services.work.STOCK_TEAM)
        if form.is_valid():
            try:
                services.save_stock_item(actor=Actor.from_request(request), **form.cleaned_data)
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Varen er lagt til."))
                return redirect("preparedness_stock")
    today = timezone.localdate()
    items = [
        (
            item,
            rules.stock_state(
                item.quantity, item.reorder_level, item.expires_on, item.next_check_on, today
            ),
        )
        for item in StockItem.objects.prefetch_related("checks__signed_by")
    ]
    return render(
        request,
        "preparedness/stock.html",
        {
            "items": items,
            "warnings": sum(1 for _item, state in items if state.warnings),
            "form": form if manages else None,
            "check_form": forms.StockCheckForm() if manages else None,
        },
        status=422 if form.errors else 200,
    )


@require_POST
@requires(selectors.manages_stock)
def stock_check(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    item = get_visible_or_404(StockItem.objects.all(), uuid=item_id)
    form = forms.StockCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Oppgi telt antall (et helt tall fra 0)."))
        return redirect("preparedness_stock")
    try:
        services.check_stock(
            actor=Actor.from_request(request),
            item=item,
            signed_by=org_selectors.person_for(request.user),
            **form.cleaned_data,
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Kontrollen er signert."))
    return redirect("preparedness_stock")


@requires(selectors.works_on_security)
def contracts(request: HttpRequest) -> HttpResponse:
    user = request.user
    ministries = _ministries_for(user, selectors.PROCUREMENT_CODES)
    may_register = bool(selectors.coordinated(user)) or (
        selectors.team(user, selectors.PROCUREMENT_CODES) != frozenset()
    )
    form = forms.ContractForm(request.POST or None, ministries=ministries)
    if request.method == "POST":
        if not may_register:
            raise Forbidden(_("Du kan ikke registrere graderte anskaffelser."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.register_contract(
                    actor=Actor.from_request(request),
                    ministry=data["ministry"],
                    title=data["title"],
                    supplier=data["supplier"],
                    agreement_on=data["agreement_on"],
                    clearance_level=data["clearance_level"] or "",
                    clearance_expires_on=data["clearance_expires_on"],
                    parts=[(data["part"], data["part_level"])],
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Anskaffelsen er registrert."))
                return redirect("preparedness_contracts")
    today = timezone.localdate()
    rows = [
        (c, rules.clearance_warning(c.clearance_expires_on, today))
        for c in selectors.contracts_for(user)
    ]
    return render(
        request,
        "preparedness/contracts.html",
        {"rows": rows, "form": form if may_register else None},
        status=422 if form.errors else 200,
    )


@requires(selectors.works_on_security)
def self_report(request: HttpRequest) -> HttpResponse:
    user = request.user
    ministries = Organisation.objects.customers().filter(
        pk__in=selectors.coordinated(user) | selectors.led(user)
    )
    form = forms.SelfReportForm(
        request.POST or None, ministries=ministries, initial={"year": timezone.localdate().year}
    )
    if request.method == "POST":
        if not ministries.exists():
            raise Forbidden(
                _("Bare departementets sikkerhetskoordinator eller leder kan rapportere.")
            )
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.submit_self_report(
                    actor=Actor.from_request(request),
                    ministry=data["ministry"],
                    year=data["year"],
                    answers={q: data[q] for q in rules.SELF_REPORT_QUESTIONS},
                    comment=data["comment"],
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Egenrapporteringen er levert."))
                return redirect("preparedness_self_report")
    labels = {"yes": _("Ja"), "partly": _("Delvis"), "no": _("Nei")}
    reports: list[tuple[SelfReport, list[tuple[object, str]]]] = [
        (
            r,
            [
                (forms.QUESTIONS[q], labels.get(r.answers.get(q, ""), "–"))
                for q in rules.SELF_REPORT_QUESTIONS
            ],
        )
        for r in selectors.reports_for(user)
    ]
    return render(
        request,
        "preparedness/self_report.html",
        {"reports": reports, "form": form if ministries.exists() else None},
        status=422 if form.errors else 200,
    )
