"""Pages: the area's start page, incidents, follow-up actions and DFD's statistics."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from felles.core.actor import Actor
from felles.core.forms import add_service_errors
from felles.core.permissions import get_visible_or_404, requires
from felles.core.services import Forbidden, ServiceError
from felles.governance import selectors as governance_selectors
from felles.governance import services as governance_services
from felles.governance.models import ActionItem
from felles.organisations import selectors as org_selectors
from felles.preparedness import forms, selectors, services
from felles.preparedness.models import Analysis, Incident


@requires(selectors.has_person)
def home(request: HttpRequest) -> HttpResponse:
    """What the person has to do in security work: her incidents, the ministry's open
    incidents (coordinators, DSS), analyses to sign (leaders) and due measures."""
    user = request.user
    incidents = selectors.incidents_for(user).filter(status=Incident.Status.OPEN)[:20]
    analyses = selectors.analyses_for(user)
    to_sign = [
        a for a in analyses.filter(status=Analysis.Status.DRAFT) if selectors.may_sign(user, a)
    ]
    mine = governance_selectors.actions_of(user, open_only=True, app_label="preparedness")
    return render(
        request,
        "preparedness/home.html",
        {
            "incidents": incidents,
            "analyses": analyses[:10],
            "to_sign": to_sign,
            "mine": mine[:20],
            "today": timezone.localdate(),
            "works": selectors.works_on_security(user),
            "statistics": selectors.may_see_overview(user),
        },
    )


@requires(selectors.has_person)
def incidents(request: HttpRequest) -> HttpResponse:
    """Any employee reports an incident; the list shows what the reader may see."""
    form = forms.IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = services.report_incident(
                actor=Actor.from_request(request),
                reporter=org_selectors.person_for(request.user),
                kind=data["kind"],
                occurred_at=data["occurred_at"],
                severity=data["severity"],
                summary=data["summary"],
                report_nsm=data["report_nsm"],
                report_police=data["report_police"],
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Hendelsen er meldt. Sikkerhetskoordinatoren følger opp."))
            return redirect("preparedness_incident", incident_id=incident.uuid)
    return render(
        request,
        "preparedness/incidents.html",
        {"form": form, "incidents": selectors.incidents_for(request.user)[:200]},
        status=422 if form.errors else 200,
    )


@requires(selectors.has_person)
def incident_detail(request: HttpRequest, incident_id: uuid.UUID) -> HttpResponse:
    incident = get_visible_or_404(selectors.incidents_for(request.user), uuid=incident_id)
    handles = selectors.handles_incident(request.user, incident)
    form = forms.ActionForm(
        request.POST or None,
        people=selectors.owners_for({incident.ministry_id}, selectors.INCIDENT_CODES),
    )
    if request.method == "POST":
        if not handles:
            raise Forbidden(services.incidents.HANDLERS_ONLY)
        if form.is_valid():
            try:
                services.add_incident_action(
                    actor=Actor.from_request(request),
                    incident=incident,
                    text=form.cleaned_data["text"],
                    owner=form.cleaned_data["owner"],
                    due_on=form.cleaned_data["due_on"],
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Tiltaket er lagt til."))
                return redirect("preparedness_incident", incident_id=incident.uuid)
    # The handling team's follow-up is theirs: the reporter (or anyone else who sees the
    # incident without handling it) sees only the items she owns herself.
    actions = governance_selectors.subject_actions(incident)
    if not handles:
        actions = actions.filter(owner=org_selectors.person_for(request.user))
    return render(
        request,
        "preparedness/incident.html",
        {
            "incident": incident,
            "actions": actions,
            "form": form if handles and incident.status == Incident.Status.OPEN else None,
            "handles": handles,
            "today": timezone.localdate(),
        },
        status=422 if form.errors else 200,
    )


@require_POST
@requires(selectors.has_person)
def incident_close(request: HttpRequest, incident_id: uuid.UUID) -> HttpResponse:
    incident = get_visible_or_404(selectors.incidents_for(request.user), uuid=incident_id)
    try:
        services.close_incident(actor=Actor.from_request(request), incident=incident)
    except Forbidden:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Hendelsen er avsluttet."))
    return redirect("preparedness_incident", incident_id=incident.uuid)


@require_POST
@requires(selectors.has_person)
def follow_up_done(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    """Mark an incident's action, an analysis's measure or an exercise's lesson done:
    governance's action item, seen by whoever sees its record and by its owner."""
    item = get_visible_or_404(
        ActionItem.objects.filter(subject_type__app_label="preparedness"), uuid=item_id
    )
    if not governance_selectors.may_see_action(request.user, item):
        raise Http404
    try:
        governance_services.complete_action(actor=Actor.from_request(request), item=item)
    except Forbidden:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Tiltaket er markert som utført."))
    return redirect(governance_selectors.source_url(request.user, item) or "preparedness")


@requires(selectors.may_see_overview)
def statistics(request: HttpRequest) -> HttpResponse:
    """DFD's view: incidents per quarter and ministry and the self-report overview, as
    aggregates only (small counts suppressed)."""
    today = timezone.localdate()
    since = dt.date(today.year - 1, 1, 1)
    year = (
        int(request.GET.get("ar", today.year))
        if request.GET.get("ar", "").isdigit()
        else today.year
    )
    year = min(max(year, 2000), 2100)
    return render(
        request,
        "preparedness/statistics.html",
        {
            "stats": selectors.incident_statistics(since),
            "since": since,
            "overview": selectors.self_report_overview(year),
        },
    )
