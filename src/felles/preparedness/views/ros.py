"""Pages: risk and vulnerability analyses — list and create, the analysis with its heat
maps, risks and measures, and the leader's sign-off."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from felles.core.actor import Actor
from felles.core.forms import add_service_errors
from felles.core.permissions import get_visible_or_404, requires
from felles.core.services import Forbidden, ServiceError
from felles.orders.models import Order
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation
from felles.portfolio import selectors as portfolio_selectors
from felles.preparedness import forms, selectors, services


def _creatable(request: HttpRequest) -> tuple[object, object]:
    """The ministries the user may create analyses for, and their open ROS orders."""
    user = request.user
    reach = selectors.team(user, selectors.ROS_CODES)
    ids = set(selectors.coordinated(user))
    ministries = Organisation.objects.customers()
    if reach is not None:
        ids |= set(reach)
        ministries = ministries.filter(pk__in=ids)
    orders = Order.objects.filter(
        service__code__in=selectors.ROS_CODES, ministry__in=ministries
    ).exclude(status__in=sorted(services.ros.CLOSED_ORDER))
    return ministries, orders.select_related("service")


@requires(selectors.works_on_security)
def analyses(request: HttpRequest) -> HttpResponse:
    ministries, orders = _creatable(request)
    may_create = bool(selectors.coordinated(request.user)) or (
        selectors.team(request.user, selectors.ROS_CODES) != frozenset()
    )
    form = forms.AnalysisForm(request.POST or None, ministries=ministries, orders=orders)
    if request.method == "POST":
        if not may_create:
            raise Forbidden(_("Du kan ikke opprette ROS-analyser."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                analysis = services.create_analysis(
                    actor=Actor.from_request(request),
                    title=data["title"],
                    scope=data["scope"],
                    assets=data["assets"],
                    ministries=list(data["ministries"]),
                    order=data["order"],
                    review_months=data["review_months"],
                    created_by=org_selectors.person_for(request.user),
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Analysen er opprettet."))
                return redirect("preparedness_analysis", analysis_id=analysis.uuid)
    return render(
        request,
        "preparedness/analyses.html",
        {
            "analyses": selectors.analyses_for(request.user),
            "form": form if may_create else None,
            "today": timezone.localdate(),
        },
        status=422 if form.errors else 200,
    )


@requires(selectors.works_on_security)
def analysis_detail(request: HttpRequest, analysis_id: uuid.UUID) -> HttpResponse:
    analysis = get_visible_or_404(selectors.analyses_for(request.user), uuid=analysis_id)
    works = selectors.works_on_analysis(request.user, analysis)
    covered = set(analysis.ministries.values_list("pk", flat=True))
    risk_form = forms.RiskForm(request.POST if "asset" in request.POST else None)
    measure_form = forms.ActionForm(
        request.POST if "text" in request.POST else None,
        people=selectors.owners_for(covered, selectors.ROS_CODES),
    )
    if request.method == "POST":
        if not works:
            raise Forbidden(services.ros.NOT_ON_ANALYSIS)
        form = risk_form if "asset" in request.POST else measure_form
        if form.is_valid():
            try:
                if form is risk_form:
                    services.add_risk(
                        actor=Actor.from_request(request), analysis=analysis, **form.cleaned_data
                    )
                else:
                    services.add_measure(
                        actor=Actor.from_request(request), analysis=analysis, **form.cleaned_data
                    )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Lagret."))
                return redirect("preparedness_analysis", analysis_id=analysis.uuid)
    risks = analysis.risks.all()
    signatures = analysis.signatures.select_related("ministry", "signed_by")
    return render(
        request,
        "preparedness/analysis.html",
        {
            "analysis": analysis,
            "risks": risks,
            "heat": portfolio_selectors.heat_map(risks),
            "residual_heat": portfolio_selectors.heat_map(risks, residual=True),
            "measures": analysis.measures.select_related("owner"),
            "signatures": signatures,
            "unsigned": analysis.ministries.exclude(Q(pk__in=signatures.values("ministry_id"))),
            "works": works,
            "may_sign": selectors.may_sign(request.user, analysis),
            "risk_form": risk_form if works else None,
            "measure_form": measure_form if works else None,
            "today": timezone.localdate(),
        },
        status=422 if risk_form.errors or measure_form.errors else 200,
    )


@require_POST
@requires(selectors.works_on_security)
def analysis_sign(request: HttpRequest, analysis_id: uuid.UUID) -> HttpResponse:
    analysis = get_visible_or_404(selectors.analyses_for(request.user), uuid=analysis_id)
    try:
        services.sign_analysis(actor=Actor.from_request(request), analysis=analysis)
    except Forbidden:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Analysen er godkjent for departementet."))
    return redirect("preparedness_analysis", analysis_id=analysis.uuid)
