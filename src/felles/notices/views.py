"""Notices: the list, publishing, a notice with its receipts (fetched by each ministry's
intranet, confirmed by its coordinator), the ministry's intranet key, and the feeds (Atom
and JSON) the intranets pull with that key."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from felles.catalog.models import ServiceArea
from felles.core.actor import Actor
from felles.core.forms import add_service_errors
from felles.core.listing import paginate
from felles.core.permissions import authenticated, get_visible_or_404, requires
from felles.core.services import Forbidden, ServiceError, authenticate_token
from felles.notices import selectors, services
from felles.notices.forms import NoticeForm
from felles.notices.models import FeedKey, Notice
from felles.organisations import selectors as org_selectors


@requires(authenticated)
def notice_list(request: HttpRequest) -> HttpResponse:
    area, kind = request.GET.get("omrade", "")[:40], request.GET.get("type", "")[:20]
    return render(
        request,
        "notices/list.html",
        {
            **paginate(request, selectors.notices_for(request.user, area=area, kind=kind)),
            "area": area,
            "kind": kind,
            "areas": ServiceArea.objects.all(),
            "kinds": Notice.Kind.choices,
            "may_write": selectors.may_write(request.user),
            "may_manage_key": selectors.may_manage_key(request.user),
        },
    )


@requires(selectors.may_write)
def notice_new(request: HttpRequest) -> HttpResponse:
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.publish_notice(actor=Actor.from_request(request), **form.cleaned_data)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Kunngjøringen er publisert."))
            return redirect("notice", notice_id=notice.uuid)
    return render(request, "notices/new.html", {"form": form}, status=422 if form.errors else 200)


@requires(authenticated)
def notice_detail(request: HttpRequest, notice_id: uuid.UUID) -> HttpResponse:
    notice = get_visible_or_404(selectors.notices_for(request.user), uuid=notice_id)
    ministry = selectors.may_confirm(request.user, notice)
    if request.method == "POST":
        try:
            services.confirm_notice(
                actor=Actor.from_request(request),
                notice=notice,
                ministry=ministry,  # type: ignore[arg-type] - None: the service refuses
            )
        except Forbidden:
            raise
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Kunngjøringen er bekreftet."))
        return redirect("notice", notice_id=notice.uuid)
    confirmed = ministry is not None and notice.confirmations.filter(ministry=ministry).exists()
    sender = selectors.is_sender(request.user, notice)
    return render(
        request,
        "notices/detail.html",
        {
            "notice": notice,
            "audience": notice.audience.all(),
            "ministry": ministry,
            "confirmed": confirmed,
            "receipts": selectors.receipts(notice) if sender else None,
        },
    )


@requires(selectors.may_manage_key)
def feed_key(request: HttpRequest) -> HttpResponse:
    person = org_selectors.person_for(request.user)
    ministry = person.organisation if person else None
    secret = ""
    if request.method == "POST" and ministry is not None:
        secret = services.make_feed_key(actor=Actor.from_request(request), ministry=ministry)
        messages.success(request, _("Ny nøkkel er laget. Den gamle virker ikke lenger."))
    key = FeedKey.objects.filter(ministry=ministry).first() if ministry else None
    return render(
        request,
        "notices/feed_key.html",
        {
            "ministry": ministry,
            "key": key,
            "secret": secret,
            "atom_url": request.build_absolute_uri(reverse("notice_feed_atom")),
            "json_url": request.build_absolute_uri(reverse("notice_feed_json")),
        },
    )


def _unauthorised() -> HttpResponse:
    response = HttpResponse(
        _("Send departementets intranettnøkkel (Authorization: Bearer …) eller logg inn."),
        status=401,
        content_type="text/plain; charset=utf-8",
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


def _feed_notices(request: HttpRequest) -> list[Notice] | None:
    """The notices for the caller: a ministry's intranet key (its fetches are recorded), an
    API key or a signed-in session (nothing recorded). None: not authenticated.

    The key goes in the header (`Authorization: Bearer <key>`). For a feed reader that
    only takes an address, `?nokkel=` carries the intranet key as well (never a personal
    API key): an address ends up in proxies' logs and browser histories, which is why the
    header is the documented way; Felles's own logs hide it (felles.conf.redact)."""
    header = request.headers.get("Authorization", "")
    secret = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
    if not secret:
        in_address = request.GET.get("nokkel", "")
        secret = in_address if in_address.startswith(services.KEY_PREFIX) else ""
    area, kind = request.GET.get("omrade", "")[:40], request.GET.get("type", "")[:20]
    key = selectors.key_for(secret) if secret.startswith(services.KEY_PREFIX) else None
    if key is not None:
        items = list(selectors.feed_notices(key.ministry, area=area, kind=kind)[:50])
        services.record_fetches(
            actor=Actor.system(f"intranett {key.ministry.abbreviation}"), key=key, notices=items
        )
        return items
    if secret:
        token = authenticate_token(secret)
        if token is not None:
            request.user = token.user
    if not authenticated(request.user):
        return None
    return list(selectors.notices_for(request.user, area=area, kind=kind)[:50])


def _link(request: HttpRequest, notice: Notice) -> str:
    return request.build_absolute_uri(reverse("notice", kwargs={"notice_id": notice.uuid}))


def notice_feed_atom(request: HttpRequest) -> HttpResponse:
    items = _feed_notices(request)
    if items is None:
        return _unauthorised()
    feed = Atom1Feed(
        title=_("Felles – kunngjøringer til departementene"),
        link=request.build_absolute_uri(reverse("notices")),
        description=_("Endringer i tjenester, priser, nedetid, retningslinjer og vedtak."),
        language="nb",
        feed_guid=request.build_absolute_uri(reverse("notice_feed_atom")),
    )
    for n in items:
        feed.add_item(
            title=n.title,
            link=_link(request, n),
            description=n.body,
            unique_id=f"urn:uuid:{n.uuid}",
            pubdate=n.published_at,
            updateddate=n.updated_at,
            author_name=n.author_organisation.abbreviation,
            categories=[n.kind] + ([n.area.code] if n.area else []),
        )
    return _private(
        HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")
    )


def _private(response: HttpResponse) -> HttpResponse:
    """A ministry's feed is for that ministry: no shared cache keeps it."""
    response["Cache-Control"] = "private, no-store"
    return response


def _json_item(request: HttpRequest, n: Notice) -> dict[str, Any]:
    return {
        "id": str(n.uuid),
        "kind": n.kind,
        "title": n.title,
        "body": n.body,
        "area": n.area.code if n.area else None,
        "from": n.author_organisation.abbreviation,
        "published_at": n.published_at.isoformat(),
        "requires_confirmation": n.requires_confirmation,
        "url": _link(request, n),
    }


def notice_feed_json(request: HttpRequest) -> HttpResponse:
    items = _feed_notices(request)
    if items is None:
        return _unauthorised()
    return _private(
        JsonResponse(
            {"notices": [_json_item(request, n) for n in items]},
            json_dumps_params={"ensure_ascii": False},
        )
    )


# The feeds answer an intranet's key themselves (401 without one, never a login page).
notice_feed_atom.felles_rule = authenticated  # type: ignore[attr-defined]
notice_feed_json.felles_rule = authenticated  # type: ignore[attr-defined]
