"""The rooms pages for DSS: the room register (the graded-room register for the security
team), one room's register entry with its inspections, requests to decide and the usage
statistics for planning."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from felles.core.actor import Actor
from felles.core.errors import Conflict, ServiceError
from felles.core.forms import add_service_errors
from felles.core.permissions import get_visible_or_404, requires
from felles.organisations.models import Organisation
from felles.rooms import forms, selectors, services
from felles.rooms.models import EQUIPMENT, Booking, Room

WEEKDAYS = (
    gettext_lazy("man"),
    gettext_lazy("tir"),
    gettext_lazy("ons"),
    gettext_lazy("tor"),
    gettext_lazy("fre"),
)


@requires(selectors.may_manage_rooms)
def room_register(request: HttpRequest) -> HttpResponse:
    form = forms.RoomForm(request.POST or None, initial={"policy": "all", "active": True})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            orgs = list(data.pop("allowed_organisations"))
            try:
                room = services.save_room(
                    actor=Actor.from_request(request), values=data, allowed_organisations=orgs
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
                status = exc.status if isinstance(exc, Conflict) else 422
            else:
                messages.success(request, _("Rommet %(r)s er lagret.") % {"r": room})
                return redirect("room_edit", room_id=room.uuid)
        else:
            status = 422
    rooms = Room.objects.prefetch_related("inspections").order_by("building", "name")
    return render(
        request,
        "rooms/register.html",
        {
            "rooms": rooms,
            "form": form,
            "register": selectors.keeps_register(request.user),
            "equipment": EQUIPMENT,
        },
        status=status,
    )


@requires(selectors.may_manage_rooms)
def room_edit(request: HttpRequest, room_id: uuid.UUID) -> HttpResponse:
    room = get_visible_or_404(Room.objects.all(), uuid=room_id)
    register = selectors.keeps_register(request.user)
    initial = {
        **{f: getattr(room, f) for f in services.register.ROOM_FIELDS},
        "allowed_organisations": list(room.allowed_organisations.all()),
    }
    form = forms.RoomForm(request.POST or None, initial=initial)
    grading = (
        forms.GradingForm(
            request.POST or None,
            initial={
                "level": room.level,
                "approval": room.approval,
                "suspended_until": room.suspended_until,
            },
        )
        if register
        else None
    )
    status = 200
    if request.method == "POST":
        valid = form.is_valid() and (grading is None or grading.is_valid())
        if valid:
            data = dict(form.cleaned_data)
            orgs = list(data.pop("allowed_organisations"))
            if grading is not None:
                data.update(grading.cleaned_data)
            try:
                services.save_room(
                    actor=Actor.from_request(request),
                    room=room,
                    values=data,
                    allowed_organisations=orgs,
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
                status = exc.status if isinstance(exc, Conflict) else 422
            else:
                messages.success(request, _("Rommet er lagret."))
                return redirect("room_edit", room_id=room.uuid)
        else:
            status = 422
    return render(
        request,
        "rooms/edit.html",
        {
            "room": room,
            "form": form,
            "grading": grading,
            "register": register,
            "inspection_form": forms.InspectionForm() if register and room.graded else None,
            "inspections": room.inspections.all() if register else [],
        },
        status=status,
    )


@require_POST
@requires(selectors.may_keep_register)
def room_inspection(request: HttpRequest, room_id: uuid.UUID) -> HttpResponse:
    room = get_visible_or_404(Room.objects.all(), uuid=room_id)
    form = forms.InspectionForm(request.POST)
    if form.is_valid():
        try:
            services.record_inspection(
                actor=Actor.from_request(request), room=room, **form.cleaned_data
            )
        except ServiceError as exc:
            messages.error(
                request,
                " ".join([exc.message, *(e for es in exc.field_errors.values() for e in es)]),
            )
        else:
            messages.success(request, _("Inspeksjonen er registrert."))
    else:
        messages.error(
            request, _("Inspeksjonen ble ikke lagret: %(e)s") % {"e": form.errors.as_text()}
        )
    return redirect("room_edit", room_id=room.uuid)


@requires(selectors.may_manage_rooms)
def room_requests(request: HttpRequest) -> HttpResponse:
    pending = (
        Booking.objects.filter(status=Booking.Status.REQUESTED, end__gte=timezone.now())
        .select_related("room", "booker", "organisation")
        .order_by("start")
    )
    return render(request, "rooms/requests.html", {"bookings": pending})


@require_POST
@requires(selectors.may_manage_rooms)
def booking_decide(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    booking = get_visible_or_404(selectors.bookings_for(request.user), uuid=booking_id)
    try:
        services.decide_request(
            actor=Actor.from_request(request),
            booking=booking,
            approve=request.POST.get("approve") == "1",
        )
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Forespørselen er behandlet."))
    return redirect("room_requests")


@requires(selectors.may_manage_rooms)
def room_usage(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        first = dt.date.fromisoformat(request.GET.get("fra", ""))
        last = dt.date.fromisoformat(request.GET.get("til", ""))
    except ValueError:
        first, last = today - dt.timedelta(days=90), today
    if last < first or (last - first).days > 800:
        first, last = today - dt.timedelta(days=90), today
    ministry = Organisation.objects.filter(abbreviation=request.GET.get("departement", "")).first()
    stats = selectors.usage(
        first_day=first, last_day=last, organisation_id=ministry.pk if ministry else None
    )
    rows = [{"label": WEEKDAYS[row["weekday"]], "cells": row["cells"]} for row in stats["grid"]]
    return render(
        request,
        "rooms/usage.html",
        {
            **stats,
            "rows": rows,
            "first": first,
            "last": last,
            "ministry": ministry,
            "ministries": Organisation.objects.customers().order_by("abbreviation"),
        },
    )
