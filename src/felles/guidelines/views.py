"""The guideline library: search, a guideline with its versions and each step (hearing,
adoption, withdrawal, the ministry's answer), the printable page, the matrix across the
ministries and the Atom feed of new and changed versions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.catalog.models import ServiceArea
from felles.core.actor import Actor
from felles.core.forms import add_service_errors
from felles.core.listing import paginate
from felles.core.permissions import authenticated, get_visible_or_404, requires
from felles.core.services import Forbidden, ServiceError, authenticate_token
from felles.governance.models import Case
from felles.guidelines import forms, selectors, services, text
from felles.guidelines.models import Adoption, Guideline, Version
from felles.organisations.models import Organisation


@requires(authenticated)
def guideline_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    area = request.GET.get("omrade", "")[:40]
    found = selectors.guidelines_for(request.user, q=q, area=area)
    return render(
        request,
        "guidelines/list.html",
        {
            **paginate(request, found),
            "q": q,
            "area": area,
            "areas": ServiceArea.objects.all(),
            "may_write": selectors.may_write(request.user),
            "may_see_matrix": selectors.may_see_matrix(request.user),
        },
    )


def _owners(user: Any) -> Any:
    ids = selectors.authored_owner_ids(user)
    if getattr(user, "is_superuser", False):
        return Organisation.objects.filter(is_governing=True) | Organisation.objects.providers()
    return Organisation.objects.filter(pk__in=ids)


@requires(selectors.may_write)
def guideline_new(request: HttpRequest) -> HttpResponse:
    form = forms.GuidelineForm(request.POST or None, owners=_owners(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.create_guideline(
                actor=Actor.from_request(request),
                code=data["code"],
                title=data["title"],
                kind=data["kind"],
                area=data["area"],
                owner=data["owner"],
                text=data["text"],
                effective_from=data["effective_from"],
                respond_by=data["respond_by"],
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Utkastet er lagret. Send det på høring når det er klart."))
            return redirect("guideline", code=version.guideline.code)
    return render(
        request, "guidelines/new.html", {"form": form}, status=422 if form.errors else 200
    )


def _guideline(request: HttpRequest, code: str) -> tuple[Guideline, list[Version]]:
    guideline = get_visible_or_404(selectors.guidelines_for(request.user), code=code)
    return guideline, list(selectors.versions_for(request.user, guideline))


@requires(selectors.may_write)
def version_edit(request: HttpRequest, code: str) -> HttpResponse:
    """A new version, or the draft changed."""
    guideline, versions = _guideline(request, code)
    draft = next((v for v in versions if v.status == Version.Status.DRAFT), None)
    base = draft or next(iter(versions), None)
    initial = (
        {"text": base.text, "changes": draft.changes if draft else ""} if base is not None else {}
    )
    if draft:
        initial |= {"effective_from": draft.effective_from, "respond_by": draft.respond_by}
    form = forms.VersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.draft_version(
                actor=Actor.from_request(request), guideline=guideline, **form.cleaned_data
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Utkastet er lagret."))
            return redirect("guideline", code=guideline.code)
    return render(
        request,
        "guidelines/version_edit.html",
        {"form": form, "guideline": guideline, "draft": draft},
        status=422 if form.errors else 200,
    )


def _hearing(request: HttpRequest, version: Version, bound: dict[str, Any]) -> HttpResponse:
    version = services.send_to_hearing(actor=Actor.from_request(request), version=version)
    messages.success(
        request,
        _("Versjonen er sendt på høring som sak %(number)s.") % {"number": version.case.number},  # type: ignore[union-attr]
    )
    return redirect("guideline", code=version.guideline.code)


def _adopt(request: HttpRequest, version: Version, bound: dict[str, Any]) -> HttpResponse:
    bound["adopt"] = form = forms.AdoptForm(request.POST)
    if not form.is_valid():
        return _page(request, version.guideline, bound)
    services.adopt_version(actor=Actor.from_request(request), version=version, **form.cleaned_data)
    messages.success(request, _("Versjonen er vedtatt og kunngjort for departementene."))
    return redirect("guideline", code=version.guideline.code)


def _withdraw(request: HttpRequest, version: Version, bound: dict[str, Any]) -> HttpResponse:
    bound["withdraw"] = form = forms.WithdrawForm(request.POST)
    if not form.is_valid():
        return _page(request, version.guideline, bound)
    services.withdraw_version(
        actor=Actor.from_request(request), version=version, reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("Versjonen er trukket tilbake."))
    return redirect("guideline", code=version.guideline.code)


def _answer(request: HttpRequest, version: Version, bound: dict[str, Any]) -> HttpResponse:
    bound["answer"] = form = forms.AnswerForm(request.POST)
    ministry = selectors.answering_ministry(request.user)
    if ministry is None:
        raise Forbidden(_("Du kan ikke svare for et departement."))
    if form.is_valid():
        try:
            services.record_adoption(
                actor=Actor.from_request(request),
                version=version,
                ministry=ministry,
                **form.cleaned_data,
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Svaret fra %(ministry)s er registrert.") % {"ministry": ministry.abbreviation},
            )
            return redirect("guideline", code=version.guideline.code)
    return _page(request, version.guideline, bound)


Action = Callable[[HttpRequest, Version, dict[str, Any]], HttpResponse]
ACTIONS: dict[str, Action] = {
    "hearing": _hearing,
    "adopt": _adopt,
    "withdraw": _withdraw,
    "answer": _answer,
}


@requires(authenticated)
def guideline_detail(request: HttpRequest, code: str) -> HttpResponse:
    guideline, _versions = _guideline(request, code)
    if request.method != "POST":
        return _page(request, guideline, {})
    version = get_visible_or_404(
        selectors.versions_for(request.user, guideline), uuid=request.POST.get("version") or None
    )
    action = ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        raise Forbidden(_("Ukjent handling."))
    try:
        return action(request, version, {})
    except Forbidden:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("guideline", code=guideline.code)


def _page(request: HttpRequest, guideline: Guideline, bound: dict[str, Any]) -> HttpResponse:
    user = request.user
    versions = list(selectors.versions_for(user, guideline))
    current = next((v for v in versions if v.status == Version.Status.ADOPTED), None)
    working = next(
        (v for v in versions if v.status in (Version.Status.DRAFT, Version.Status.HEARING)), None
    )
    shown = current or working or next(iter(versions), None)
    author = selectors.may_author(user, guideline.owner)
    ministry = selectors.answering_ministry(user)
    answer = (
        Adoption.objects.filter(version=current, ministry=ministry).first()
        if current and ministry
        else None
    )
    # The author may withdraw the version in force, or one whose case was decided without
    # adopting it (DFD said no); the governance case keeps the decision. Only deciding the
    # open case here adopts a version (services.adopt_version).
    settled = (
        working
        if working
        and working.status == Version.Status.HEARING
        and working.case
        and working.case.status == Case.Status.DECIDED
        else None
    )
    case_open = bool(working and working.case and working.case.status == Case.Status.OPEN)
    adoptable = case_open and selectors.may_adopt(user, working)  # type: ignore[arg-type]
    withdrawable = (settled or current) if author else None
    return render(
        request,
        "guidelines/detail.html",
        {
            "guideline": guideline,
            "versions": versions,
            "current": current,
            "working": working,
            "shown": shown,
            "shown_html": text.render(shown.text) if shown else "",
            "working_html": text.render(working.text) if working and working != shown else "",
            "author": author,
            "ministry": ministry,
            "answer": answer,
            "case_open": case_open,
            "settled": settled,
            "adopt_form": (bound.get("adopt") or forms.AdoptForm()) if adoptable else None,
            "withdrawable": withdrawable,
            "withdraw_form": (bound.get("withdraw") or forms.WithdrawForm())
            if withdrawable
            else None,
            "answer_form": (
                bound.get("answer")
                or forms.AnswerForm(
                    initial={
                        "status": answer.status,
                        "addition": answer.addition,
                        "reason": answer.reason,
                        "ends_on": answer.ends_on,
                    }
                    if answer
                    else None
                )
            )
            if current and ministry
            else None,
            "today": timezone.localdate(),
        },
        status=422 if any(f.errors for f in bound.values()) else 200,
    )


@requires(authenticated)
def guideline_print(request: HttpRequest, code: str) -> HttpResponse:
    guideline, versions = _guideline(request, code)
    number = request.GET.get("versjon", "")
    shown = next((v for v in versions if str(v.number) == number), None) or next(
        (v for v in versions if v.status == Version.Status.ADOPTED), None
    )
    shown = shown or next(iter(versions), None)
    return render(
        request,
        "guidelines/print.html",
        {"guideline": guideline, "shown": shown, "html": text.render(shown.text) if shown else ""},
    )


@requires(selectors.may_see_matrix)
def guideline_matrix(request: HttpRequest) -> HttpResponse:
    orgs, rows = selectors.matrix(request.user)
    return render(
        request,
        "guidelines/matrix.html",
        {
            "ministries": orgs,
            "rows": rows,
            "overdue": sum(r.overdue for r in rows),
            "exceptions": sum(
                1
                for r in rows
                for c in r.cells
                if c.adoption and c.adoption.status == Adoption.Status.EXCEPTION and not c.expired
            ),
        },
    )


class VersionFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed
    title = gettext_lazy("Felles – felles retningslinjer")
    subtitle = gettext_lazy("Nye og endrede versjoner av retningslinjer, rutiner og standarder.")

    def link(self) -> str:
        return reverse("guidelines")

    def items(self) -> Any:
        return selectors.feed_versions()[:50]

    def item_title(self, item: Version) -> str:
        return _("%(title)s, versjon %(n)s (%(status)s)") % {
            "title": item.guideline.title,
            "n": item.number,
            "status": item.get_status_display().lower(),
        }

    def item_description(self, item: Version) -> str:
        return (item.changes + "\n\n" if item.changes else "") + item.text[:2000]

    def item_link(self, item: Version) -> str:
        return reverse("guideline", kwargs={"code": item.guideline.code}) + f"#v{item.number}"

    def item_guid(self, item: Version) -> str:
        return f"urn:uuid:{item.uuid}"

    def item_pubdate(self, item: Version) -> Any:
        return item.created_at

    def item_updateddate(self, item: Version) -> Any:
        return item.updated_at

    def item_author_name(self, item: Version) -> str:
        return item.guideline.owner.abbreviation


def guideline_feed(request: HttpRequest) -> HttpResponse:
    """Atom of new and changed versions. Feed readers without a session send an API key
    (`Authorization: Bearer …`); anonymous requests get 401, not a login page."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        token = authenticate_token(header.removeprefix("Bearer ").strip())
        if token is not None:
            request.user = token.user
    if not authenticated(request.user):
        response = HttpResponse(
            _("Logg inn eller send en API-nøkkel (Authorization: Bearer …)."),
            status=401,
            content_type="text/plain; charset=utf-8",
        )
        response["WWW-Authenticate"] = "Bearer"
        return response
    return VersionFeed()(request)


guideline_feed.felles_rule = authenticated  # type: ignore[attr-defined]
