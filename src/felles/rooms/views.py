"""The rooms pages for everyone who books: free-room search, a room with its week and the
booking forms, one booking, my bookings with the calendar-feed address, and the feeds
themselves (reached by the secret in the address: Outlook cannot sign in)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from felles.core import tokens
from felles.core.actor import Actor
from felles.core.errors import Conflict, ServiceError
from felles.core.forms import add_service_errors
from felles.core.permissions import get_visible_or_404, public, requires
from felles.organisations import selectors as org_selectors
from felles.rooms import forms, ical, selectors, services
from felles.rooms.models import EQUIPMENT, Booking, FeedToken, Series


def _status(exc: ServiceError) -> int:
    return exc.status if isinstance(exc, Conflict) else 422


@requires(selectors.may_use_rooms)
def room_search(request: HttpRequest) -> HttpResponse:
    form = forms.SearchForm(request.GET or None, buildings=selectors.buildings())
    found = None
    status = 200
    if request.GET and form.is_valid():
        start, end = form.times()
        if end <= start:
            form.add_error("end", _("Sluttidspunktet må være etter starttidspunktet."))
            status = 422
        else:
            data = form.cleaned_data
            found = selectors.free_rooms(
                request.user,
                start=start,
                end=end,
                size=data["size"],
                equipment=tuple(data["equipment"]),
                building=data["building"],
                accessible=data["accessible"],
            )
    elif request.GET:
        status = 422
    return render(
        request,
        "rooms/search.html",
        {
            "form": form,
            "found": found,
            "query": request.GET.urlencode(),
            "rooms": selectors.rooms_for(request.user),
            "equipment": EQUIPMENT,
            "manages": selectors.manages_rooms(request.user),
        },
        status=status,
    )


def _monday(request: HttpRequest) -> dt.date:
    try:
        day = dt.date.fromisoformat(request.GET.get("uke", ""))
    except ValueError:
        day = timezone.localdate()
    return day - dt.timedelta(days=day.weekday())


@requires(selectors.may_use_rooms)
def room_detail(request: HttpRequest, room_id: uuid.UUID) -> HttpResponse:
    room = get_visible_or_404(selectors.rooms_for(request.user), uuid=room_id)
    person = org_selectors.person_for(request.user)
    initial = {
        "day": request.GET.get("day") or timezone.localdate() + dt.timedelta(days=1),
        "start": request.GET.get("start") or "10:00",
        "end": request.GET.get("end") or "11:00",
        "participants": request.GET.get("size") or 1,
    }
    form = forms.BookingForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            start, end = form.times()
            try:
                booking = services.book(
                    actor=Actor.from_request(request),
                    booker=person,
                    room=room,
                    title=data["title"],
                    start=start,
                    end=end,
                    participants=data["participants"],
                    catering=tuple(data["catering"]),
                    technical_help=data["technical_help"],
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
                status = _status(exc)
            else:
                messages.success(request, _("Rommet er booket."))
                return redirect("booking", booking_id=booking.uuid)
        else:
            status = 422
    monday = _monday(request)
    return render(
        request,
        "rooms/room.html",
        {
            "room": room,
            "form": form,
            "series_form": forms.SeriesForm(initial={"participants": 1, "interval": 1}),
            "may_book": selectors.may_book(person, room),
            "week": selectors.week_calendar(request.user, room, monday),
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
            "equipment": [EQUIPMENT.get(e, e) for e in room.equipment],
            "register": selectors.keeps_register(request.user),
            "manages": selectors.manages_rooms(request.user),
        },
        status=status,
    )


@requires(selectors.may_use_rooms)
def room_series(request: HttpRequest, room_id: uuid.UUID) -> HttpResponse:
    room = get_visible_or_404(selectors.rooms_for(request.user), uuid=room_id)
    form = forms.SeriesForm(request.POST or None, initial={"participants": 1, "interval": 1})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                series = services.book_series(
                    actor=Actor.from_request(request),
                    booker=org_selectors.person_for(request.user),
                    room=room,
                    title=data["title"],
                    first_day=data["first_day"],
                    start_time=data["start"],
                    minutes=form.minutes(),
                    freq=data["freq"],
                    interval=data["interval"],
                    count=data["count"],
                    until=data["until"],
                    exceptions=data["exceptions"],
                    participants=data["participants"],
                    catering=tuple(data["catering"]),
                    technical_help=data["technical_help"],
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
                status = _status(exc)
            else:
                messages.success(
                    request, _("%(n)s forekomster er booket.") % {"n": series.bookings.count()}
                )
                return redirect("booking", booking_id=series.bookings.order_by("start")[0].uuid)
        else:
            status = 422
    return render(request, "rooms/series.html", {"room": room, "form": form}, status=status)


@requires(selectors.may_use_rooms)
def booking_detail(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    booking = get_visible_or_404(selectors.bookings_for(request.user), uuid=booking_id)
    others = (
        booking.series.bookings.order_by("start").select_related("room")
        if booking.series_id
        else []
    )
    return render(
        request,
        "rooms/booking.html",
        {"booking": booking, "series": others, "live": booking.live},
    )


@requires(selectors.may_use_rooms)
def booking_edit(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    """Move a booking (time, room, participants, title) under the rules of booking it;
    the booker and DSS's room team only (others: 404, as for the booking)."""
    booking = get_visible_or_404(selectors.bookings_for(request.user), uuid=booking_id)
    if not booking.live:
        messages.error(request, _("Bookingen er avlyst og kan ikke endres."))
        return redirect("booking", booking_id=booking.uuid)
    start = timezone.localtime(booking.start)
    initial = {
        "title": booking.title,
        "room": booking.room.uuid,
        "day": start.date(),
        "start": f"{start:%H:%M}",  # a time input shows seconds if given them
        "end": f"{timezone.localtime(booking.end):%H:%M}",
        "participants": booking.participants,
    }
    rooms = selectors.rooms_for(request.user)
    form = forms.BookingChangeForm(request.POST or None, initial=initial, rooms=rooms)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            start, end = form.times()
            try:
                change = services.change_booking(
                    actor=Actor.from_request(request),
                    booking=booking,
                    title=data["title"],
                    start=start,
                    end=end,
                    room=data["room"],
                    participants=data["participants"],
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
                status = _status(exc)
            else:
                messages.success(request, _("Bookingen er endret."))
                if change.replaced:
                    messages.info(
                        request,
                        _("Tilleggsbestillingene er lagt inn på nytt: %(o)s.")
                        % {"o": ", ".join(change.replaced)},
                    )
                if change.flagged:
                    messages.warning(
                        request,
                        _(
                            "Leverandøren har allerede tatt bestilling %(o)s. De har fått "
                            "beskjed om endringen i en kommentar; følg opp på bestillingen."
                        )
                        % {"o": ", ".join(change.flagged)},
                    )
                if change.held:
                    messages.info(
                        request,
                        _(
                            "Bestilling %(o)s er kansellert og bestilles igjen når DSS "
                            "godkjenner forespørselen."
                        )
                        % {"o": ", ".join(change.held)},
                    )
                return redirect("booking", booking_id=booking.uuid)
        else:
            status = 422
    return render(request, "rooms/change.html", {"booking": booking, "form": form}, status=status)


@require_POST
@requires(selectors.may_use_rooms)
def booking_cancel(request: HttpRequest, booking_id: uuid.UUID) -> HttpResponse:
    booking = get_visible_or_404(selectors.bookings_for(request.user), uuid=booking_id)
    actor = Actor.from_request(request)
    try:
        if request.POST.get("what") == "series" and booking.series_id:
            series = Series.objects.get(pk=booking.series_id)
            n = services.cancel_series(actor=actor, series=series)
            messages.success(request, _("%(n)s forekomster er avlyst.") % {"n": n})
        else:
            services.cancel_booking(actor=actor, booking=booking)
            messages.success(request, _("Bookingen er avlyst."))
    except Conflict as exc:
        messages.error(request, exc.message)
    return redirect("booking", booking_id=booking.uuid)


@requires(selectors.may_use_rooms)
def my_bookings(request: HttpRequest) -> HttpResponse:
    person = org_selectors.person_for(request.user)
    bookings = (
        Booking.objects.filter(booker=person, end__gte=timezone.now() - dt.timedelta(days=30))
        .select_related("room", "catering_order", "technical_order")
        .order_by("start")
    )
    token = FeedToken.objects.filter(person=person).first()
    return render(
        request,
        "rooms/mine.html",
        {"bookings": bookings, "token": token, "feed_url": request.session.pop("rooms_feed", "")},
    )


@require_POST
@requires(selectors.may_use_rooms)
def feed_token(request: HttpRequest) -> HttpResponse:
    person = org_selectors.person_for(request.user)
    secret = services.issue_feed_token(actor=Actor.from_request(request), person=person)
    # Shown once, on the next page (only the digest is kept).
    request.session["rooms_feed"] = request.build_absolute_uri(
        reverse("feed_person", kwargs={"secret": secret})
    )
    messages.success(request, _("Ny kalenderlenke er laget. Den gamle virker ikke lenger."))
    return redirect("my_bookings")


def _token_person(secret: str) -> FeedToken:
    if not secret.startswith(tokens.TOKEN_PREFIX) or len(secret) > 100:
        raise Http404
    token = (
        FeedToken.objects.select_related("person", "person__user")
        .filter(digest=tokens.digest(secret))
        .first()
    )
    if token is None or not token.person.active or not token.person.user_id:
        raise Http404
    return token


def _calendar(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@public
def feed_person(request: HttpRequest, secret: str) -> HttpResponse:
    """The person's own bookings (from 90 days back; cancellations included so Outlook
    removes them)."""
    person = _token_person(secret).person
    bookings = Booking.objects.filter(
        booker=person, end__gte=timezone.now() - dt.timedelta(days=90)
    ).select_related("room", "booker")
    return _calendar(ical.feed(f"Møterom – {person.full_name}", bookings))


@public
def feed_room(request: HttpRequest, secret: str, room_id: uuid.UUID) -> HttpResponse:
    """One room's bookings as the person may see them: their own ministry's with titles,
    the others as «Opptatt»."""
    person = _token_person(secret).person
    room = get_visible_or_404(selectors.rooms_for(person.user), uuid=room_id)
    bookings = Booking.objects.filter(
        room=room, end__gte=timezone.now() - dt.timedelta(days=90)
    ).select_related("room", "booker")
    own = person.organisation_id
    return _calendar(ical.feed(str(room), bookings, shown=lambda b: b.organisation_id == own))
