"""The customer dialogue: compliance with the meeting targets, the series with its
meetings and action items, and the meeting pack."""

from __future__ import annotations

import uuid
from typing import Any

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
from felles.governance import forms, rules, selectors, services
from felles.governance.models import ActionItem
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Person


@requires(selectors.may_see_dialogue)
def dialogue(request: HttpRequest) -> HttpResponse:
    """Compliance for every dialogue the user may read; the provider's managers and customer
    contacts set up dialogues with the ministries."""
    if request.method == "POST":
        return _set_up_dialogue(request)
    planner = selectors.planning_provider(request.user)
    return _dialogue_page(request, _series_form(request, planner), planner)


def _series_form(request: HttpRequest, planner: Organisation | None) -> forms.SeriesForm | None:
    if planner is None:
        return None
    return forms.SeriesForm(
        request.POST or None,
        provider=planner,
        ministries=org_selectors.served_ministries(
            request.user, planner.pk, roles=selectors.PLANNING_ROLES
        ),
    )


@requires(selectors.plans_dialogue)
def _set_up_dialogue(request: HttpRequest) -> HttpResponse:
    planner = selectors.planning_provider(request.user)
    form = _series_form(request, planner)
    if planner is not None and form is not None and form.is_valid():
        data = form.cleaned_data
        target = (
            rules.Target(
                data["target_min"],
                data["target_max"],
                rules.DEFAULT_TARGETS[data["level"]].months,
            )
            if data["target_min"]
            else None
        )
        try:
            series = services.save_series(
                actor=Actor.from_request(request),
                provider=planner,
                ministry=data["ministry"],
                level=data["level"],
                customer_contact=data["customer_contact"],
                target=target,
            )
        except ServiceError as exc:  # a Forbidden becomes the 403 page
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Dialogen %(series)s er satt opp.") % {"series": series})
            return redirect("series", series_id=series.uuid)
    return _dialogue_page(request, form, planner)


def _dialogue_page(
    request: HttpRequest, form: forms.SeriesForm | None, planner: Organisation | None
) -> HttpResponse:
    series = selectors.series_for(request.user)
    today = timezone.localdate()
    return render(
        request,
        "governance/dialogue.html",
        {
            "rows": selectors.dialogue_compliance(series, today),
            "overdue": selectors.overdue_actions(series, today),
            "form": form,
            "planner": planner,
        },
        status=422 if form is not None and form.errors else 200,
    )


def _people(series: Any) -> Any:
    return Person.objects.filter(
        organisation_id__in=selectors.party_organisation_ids(series), active=True
    ).select_related("organisation")


@requires(selectors.may_see_dialogue)
def series_detail(request: HttpRequest, series_id: uuid.UUID) -> HttpResponse:
    series = get_visible_or_404(selectors.series_for(request.user), uuid=series_id)
    party = selectors.is_party(request.user, series)  # whether to offer the meeting form
    form = forms.MeetingForm(request.POST or None, people=_people(series))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions = (
            [(data["action_text"], data["action_owner"], data["action_due"])]
            if data["action_text"]
            else []
        )
        try:
            services.record_meeting(
                actor=Actor.from_request(request),
                series=series,
                held_on=data["held_on"],
                agenda=data["agenda"],
                minutes=data["minutes"],
                participants=list(data["participants"]),
                actions=actions,
            )
        except ServiceError as exc:  # a Forbidden becomes the 403 page
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Møtet er registrert."))
            return redirect("series", series_id=series.uuid)
    today = timezone.localdate()
    meetings = series.meetings.prefetch_related("participants", "actions__owner")
    start, end = forms.default_pack_period(today)
    return render(
        request,
        "governance/series.html",
        {
            "series": series,
            "compliance": selectors.dialogue_compliance(
                type(series).objects.filter(pk=series.pk), today
            )[0],
            "meetings": meetings,
            "form": form if party else None,
            "party": party,
            "today": today,
            "pack_start": start,
            "pack_end": end,
        },
        status=422 if form.errors else 200,
    )


@requires(selectors.may_see_dialogue)
def meeting_pack(request: HttpRequest, series_id: uuid.UUID) -> HttpResponse:
    # The pack is about one ministry's dealings with the provider: an arena has none.
    series = get_visible_or_404(
        selectors.series_for(request.user).filter(ministry__isnull=False), uuid=series_id
    )
    start, end = forms.default_pack_period(timezone.localdate())
    form = forms.PackForm(request.GET or {"fra": start, "til": end})
    if form.is_valid():
        start, end = form.cleaned_data["fra"], form.cleaned_data["til"]
    return render(
        request,
        "governance/pack.html",
        {
            "series": series,
            "form": form,
            "start": start,
            "end": end,
            "sections": selectors.meeting_pack(series, start, end, request.user)
            if form.is_valid()
            else [],
        },
        status=200 if form.is_valid() else 422,
    )


@require_POST
@requires(selectors.may_see_dialogue)
def action_done(request: HttpRequest, action_id: uuid.UUID) -> HttpResponse:
    item = get_visible_or_404(
        ActionItem.objects.filter(meeting__series__in=selectors.series_for(request.user)),
        uuid=action_id,
    )
    try:
        services.complete_action(actor=Actor.from_request(request), item=item)
    except Forbidden:
        raise  # no party to the dialogue: 403 (core.permissions.requires)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Oppfølgingspunktet er markert som utført."))
    return redirect("series", series_id=item.meeting.series.uuid)


@requires(org_selectors.has_person)
def my_actions(request: HttpRequest) -> HttpResponse:
    """«Mine oppfølgingspunkter»: every item the person owns, from meetings and from other
    records (incidents, analyses, exercises), each linking to where it came from when she
    may open it."""
    return render(
        request,
        "governance/my_actions.html",
        {"rows": selectors.actions_of(request.user), "today": timezone.localdate()},
    )
