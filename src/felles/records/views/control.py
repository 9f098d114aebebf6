"""Pages for the ministry's information-management coordinator: the coordinator's page,
spot checks of the journal and Arkivverket's inspections."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from felles.core.actor import Actor
from felles.core.forms import add_service_errors
from felles.core.permissions import authenticated, get_visible_or_404, requires
from felles.core.services import ServiceError
from felles.core.uploads import read_upload
from felles.records import forms, selectors, services
from felles.records.models import Inspection, InspectionFinding, SpotCheck, SpotCheckItem
from felles.records.views.jobs import ministry_or_404


@requires(authenticated)
def ministry(request: HttpRequest, ministry_id: uuid.UUID) -> HttpResponse:
    """The coordinator's page: open FOI requests and their deadlines, archive jobs, the
    year's archive plan, spot checks, inspections and the needs reported to DIO."""
    ministry = ministry_or_404(request, ministry_id)
    user = request.user
    today = timezone.localdate()
    checks = selectors.checks_of(user, ministry)
    context = {
        "ministry": ministry,
        "year": today.year,
        "jobs": selectors.open_jobs(user, ministry),
        "plan": selectors.plan(ministry, today.year, today),
        "checks": checks[:5],
        "trend": selectors.check_trend(checks),
        "findings": selectors.open_findings(user, ministry),
        "needs": selectors.needs_reported(ministry)[:10],
        "new_orders": selectors.archive_orders_without_job(ministry),
        "foi": selectors.open_foi(user, ministry),
        "network": selectors.network(user),
        "team": selectors.is_team_for(user, ministry.pk),
        "ministry_side": selectors.is_ministry_side_for(user, ministry.pk),
        "today": today,
    }
    return render(request, "records/ministry.html", context)


@requires(authenticated)
def checks(request: HttpRequest, ministry_id: uuid.UUID) -> HttpResponse:
    """The ministry's spot checks with the trend; a new one from a journal extract."""
    ministry = ministry_or_404(request, ministry_id)
    form = forms.SpotCheckForm()
    if request.method == "POST":
        form = forms.SpotCheckForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                check = services.create_spot_check(
                    actor=Actor.from_request(request),
                    ministry=ministry,
                    title=form.cleaned_data["title"],
                    filename=upload.name,
                    content=read_upload(upload),
                    seed=form.cleaned_data["seed"],
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Utvalget er trukket."))
                return redirect("records_check", check_id=check.uuid)
    rows = selectors.checks_of(request.user, ministry)
    return render(
        request,
        "records/checks.html",
        {
            "ministry": ministry,
            "checks": rows,
            "trend": selectors.check_trend(rows),
            "form": form,
            "ministry_side": selectors.is_ministry_side_for(request.user, ministry.pk),
        },
        status=400 if request.method == "POST" else 200,
    )


@requires(authenticated)
def check(request: HttpRequest, check_id: uuid.UUID) -> HttpResponse:
    """A spot check's sample; the coordinator records a finding and follow-up per item."""
    spot = get_visible_or_404(
        SpotCheck.objects.visible_to(request.user).select_related("ministry"), uuid=check_id
    )
    items = list(SpotCheckItem.objects.filter(spot_check=spot).order_by("position"))
    bound = None
    if request.method == "POST":
        bound = forms.ItemFindingForm(request.POST)
        if bound.is_valid():
            item = next((i for i in items if i.uuid == bound.cleaned_data["item"]), None)
            if item is None:
                raise Http404
            try:
                services.record_finding(
                    actor=Actor.from_request(request),
                    item=item,
                    finding=bound.cleaned_data["finding"],
                    note=bound.cleaned_data["note"],
                    action=bound.cleaned_data["action"],
                    action_done=bound.cleaned_data["action_done"],
                )
            except ServiceError as exc:
                add_service_errors(bound, exc)
            else:
                messages.success(request, _("Funnet er lagret."))
                return redirect("records_check", check_id=spot.uuid)
    bound_item = str(request.POST.get("item", "")) if bound is not None else ""
    rows = []
    for item in items:
        if bound is not None and str(item.uuid) == bound_item:
            bound.auto_id = f"id_{item.position}_%s"
            rows.append((item, bound))
            continue
        initial = {
            "item": item.uuid,
            "finding": item.finding or "ok",
            "note": item.note,
            "action": item.action,
            "action_done": item.action_done,
        }
        rows.append(
            (item, forms.ItemFindingForm(initial=initial, auto_id=f"id_{item.position}_%s"))
        )
    return render(
        request,
        "records/check.html",
        {
            "check": spot,
            "rows": rows,
            "checked": sum(1 for i in items if i.finding),
            "deviations": sum(1 for i in items if i.is_deviation),
            "ministry_side": selectors.is_ministry_side_for(request.user, spot.ministry_id),
        },
        status=400 if bound is not None else 200,
    )


@requires(authenticated)
def inspections(request: HttpRequest, ministry_id: uuid.UUID) -> HttpResponse:
    """The ministry's inspections; a new one."""
    ministry = ministry_or_404(request, ministry_id)
    form = forms.InspectionForm(initial={"authority": "Arkivverket"})
    if request.method == "POST":
        form = forms.InspectionForm(request.POST)
        if form.is_valid():
            try:
                inspection = services.create_inspection(
                    actor=Actor.from_request(request), ministry=ministry, **form.cleaned_data
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Tilsynet er registrert."))
                return redirect("records_inspection", inspection_id=inspection.uuid)
    return render(
        request,
        "records/inspections.html",
        {
            "ministry": ministry,
            "inspections": selectors.inspections_of(request.user, ministry),
            "form": form,
            "ministry_side": selectors.is_ministry_side_for(request.user, ministry.pk),
        },
        status=400 if request.method == "POST" else 200,
    )


@requires(authenticated)
def inspection(request: HttpRequest, inspection_id: uuid.UUID) -> HttpResponse:
    """An inspection's findings, actions, deadlines and status."""
    item = get_visible_or_404(
        Inspection.objects.visible_to(request.user).select_related("ministry"),
        uuid=inspection_id,
    )
    findings = list(InspectionFinding.objects.filter(inspection=item))
    form = forms.InspectionFindingForm()
    action = request.POST.get("action", "") if request.method == "POST" else ""
    actor = Actor.from_request(request)
    if action == "status":
        status_form = forms.FindingStatusForm(request.POST)
        if status_form.is_valid():
            wanted = status_form.cleaned_data["finding"]
            finding = next((f for f in findings if f.uuid == wanted), None)
            if finding is None:
                raise Http404
            services.set_finding_status(
                actor=actor, finding=finding, status=status_form.cleaned_data["status"]
            )
            messages.success(request, _("Statusen er lagret."))
            return redirect("records_inspection", inspection_id=item.uuid)
        messages.error(request, _("Velg en status."))
    elif action:
        form = forms.InspectionFindingForm(request.POST)
        if form.is_valid():
            try:
                services.add_inspection_finding(actor=actor, inspection=item, **form.cleaned_data)
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Funnet er lagret."))
                return redirect("records_inspection", inspection_id=item.uuid)
    rows = [
        (
            f,
            forms.FindingStatusForm(
                initial={"finding": f.uuid, "status": f.status}, auto_id=f"id_{n}_%s"
            ),
        )
        for n, f in enumerate(findings, start=1)
    ]
    return render(
        request,
        "records/inspection.html",
        {
            "inspection": item,
            "rows": rows,
            "form": form,
            "today": timezone.localdate(),
            "ministry_side": selectors.is_ministry_side_for(request.user, item.ministry_id),
        },
        status=400 if action else 200,
    )
