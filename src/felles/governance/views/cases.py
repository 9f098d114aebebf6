"""The case register and the published decision log (with an Atom feed)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.core.actor import Actor
from felles.core.forms import add_service_errors
from felles.core.listing import paginate
from felles.core.permissions import authenticated, get_visible_or_404, requires
from felles.core.services import Forbidden, ServiceError, authenticate_token
from felles.costing.selectors import price_lists_for
from felles.governance import forms, rules, selectors, services
from felles.governance.models import Case, Level
from felles.governance.views.common import unknown_action
from felles.organisations import selectors as org_selectors

LEVELS = dict(Level.choices)


@requires(authenticated)
def case_list(request: HttpRequest) -> HttpResponse:
    cases = selectors.cases_for(request.user)
    status, level = request.GET.get("status", "open"), request.GET.get("niva", "")
    listed = cases
    if status in Case.Status.values:
        listed = listed.filter(status=status)
    if level in LEVELS:
        listed = listed.filter(level=level)
    return render(
        request,
        "governance/case_list.html",
        {
            **paginate(request, listed),
            "status": status,
            "level": level,
            "levels": Level.choices,
            "waiting": selectors.cases_waiting_for(request.user),
            "hearings": selectors.hearings_open_for(request.user),
            "stats": [(LEVELS[s.level], s) for s in selectors.settlement_stats(cases)],
            "reopened": cases.filter(reopenings__gt=0).count(),
            "may_raise": selectors.may_raise(request.user),
        },
    )


@requires(selectors.may_raise)
def case_new(request: HttpRequest) -> HttpResponse:
    form = forms.CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.raise_case(
                actor=Actor.from_request(request),
                raised_by=org_selectors.person_for(request.user),  # None: the service refuses
                right=data["right"],
                provider=data["provider"],
                title=data["title"],
                description=data["description"],
                level=data["level"],
                area=data["area"],
                services=list(data["services"]),
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Saken %(number)s er meldt og ligger på %(level)s nivå hos %(body)s.")
                % {
                    "number": case.number,
                    "level": case.get_level_display().lower(),
                    "body": case.decider_label,
                },
            )
            return redirect("case", case_id=case.uuid)
    return render(
        request,
        "governance/case_new.html",
        {"form": form, "rights": selectors.rights()},
        status=422 if form.errors else 200,
    )


def _case_forms(request: HttpRequest, case: Case, bound: dict[str, Any]) -> dict[str, Any]:
    """The action forms the user may use on the case (bound ones keep their errors)."""
    user = request.user
    offered = {
        "escalate": (selectors.may_escalate(user, case), forms.ReasonForm),
        "decide": (
            selectors.may_decide(user, case),
            lambda: forms.DecideForm(price_lists=_price_lists(request, case)),
        ),
        "reopen": (selectors.may_reopen(user, case), forms.ReopenForm),
    }
    return {
        f"{name}_form": (bound.get(name) or make()) if allowed else None
        for name, (allowed, make) in offered.items()
    }


# The steps on a case page. Each binds its form (kept in `bound` to show its errors) and,
# when the form is valid, calls the service, which decides whether this user may take the
# step; a redirect means done, the page again shows the form's errors.
CaseAction = Callable[[HttpRequest, Case, dict[str, Any]], HttpResponse]


def _escalate(request: HttpRequest, case: Case, bound: dict[str, Any]) -> HttpResponse:
    bound["escalate"] = form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, bound)
    case = services.escalate_case(
        actor=Actor.from_request(request), case=case, reason=form.cleaned_data["reason"]
    )
    messages.success(
        request,
        _("Saken er løftet til %(level)s nivå (%(body)s).")
        % {"level": case.get_level_display().lower(), "body": case.decider_label},
    )
    return redirect("case", case_id=case.uuid)


def _decide(request: HttpRequest, case: Case, bound: dict[str, Any]) -> HttpResponse:
    bound["decide"] = form = forms.DecideForm(request.POST, price_lists=_price_lists(request, case))
    if not form.is_valid():
        return _case_page(request, case, bound)
    services.decide_case(
        actor=Actor.from_request(request),
        case=case,
        decision=form.cleaned_data["decision"],
        reasons=form.cleaned_data["reasons"],
        effective_from=form.cleaned_data["effective_from"],
        price_lists=form.cleaned_data.get("price_lists") or (),
        projects=form.cleaned_data.get("projects") or (),
    )
    messages.success(request, _("Vedtaket er fattet og publisert i vedtaksloggen."))
    return redirect("case", case_id=case.uuid)


def _reopen(request: HttpRequest, case: Case, bound: dict[str, Any]) -> HttpResponse:
    bound["reopen"] = form = forms.ReopenForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, bound)
    services.reopen_case(
        actor=Actor.from_request(request), case=case, ground=form.cleaned_data["ground"]
    )
    messages.success(request, _("Saken er gjenåpnet."))
    return redirect("case", case_id=case.uuid)


def _answer(request: HttpRequest, case: Case, bound: dict[str, Any]) -> HttpResponse:
    hearing = get_visible_or_404(case.hearings.all(), uuid=request.POST.get("hearing"))
    form = forms.InputForm(request.POST)
    if form.is_valid():
        services.answer_hearing(
            actor=Actor.from_request(request), hearing=hearing, text=form.cleaned_data["input"]
        )
        messages.success(
            request, _("Innspillet fra %(party)s er registrert.") % {"party": hearing.party}
        )
    else:
        messages.error(request, _("Skriv innspillet."))
    return redirect("case", case_id=case.uuid)


CASE_ACTIONS: dict[str, CaseAction] = {
    "escalate": _escalate,
    "decide": _decide,
    "reopen": _reopen,
    "answer": _answer,
}


@requires(authenticated)
def case_detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = get_visible_or_404(selectors.cases_for(request.user), uuid=case_id)
    if request.method != "POST":
        return _case_page(request, case, {})
    action: CaseAction = CASE_ACTIONS.get(request.POST.get("action", ""), unknown_action)
    try:
        return action(request, case, {})
    except Forbidden:
        raise  # the page answers 403 (core.permissions.requires)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("case", case_id=case.uuid)


def _case_page(request: HttpRequest, case: Case, bound: dict[str, Any]) -> HttpResponse:
    hearings = list(case.hearings.select_related("organisation", "answered_by__organisation"))
    return render(
        request,
        "governance/case_detail.html",
        {
            "case": case,
            "hearings": hearings,
            "answerable": {
                h.pk
                for h in hearings
                if h.answered_at is None
                and case.status == Case.Status.OPEN
                and selectors.may_answer(request.user, h)
            },
            "events": case.events.select_related("actor__organisation"),
            "pending": [
                h for h in hearings if h.answered_at is None and h.deadline >= timezone.localdate()
            ],
            "services": case.services.all(),
            "price_lists": case.price_lists.all(),
            "projects": case.projects.all(),
            "today": timezone.localdate(),
            **_case_forms(request, case, bound),
        },
        status=422 if any(f.errors for f in bound.values()) else 200,
    )


def _price_lists(request: HttpRequest, case: Case) -> Any:
    if case.decider != rules.DFD:
        return None
    return price_lists_for(request.user).filter(provider=case.provider)


@requires(authenticated)
def decision_log(request: HttpRequest) -> HttpResponse:
    decisions = selectors.decision_log()
    q = request.GET.get("q", "").strip()
    if q:
        decisions = decisions.filter(
            Q(title__icontains=q) | Q(decision__icontains=q) | Q(number__iexact=q)
        )
    return render(request, "governance/decision_log.html", {**paginate(request, decisions), "q": q})


class DecisionFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed
    title = gettext_lazy("Felles – vedtak i departementsfellesskapet")
    subtitle = gettext_lazy("Vedtak om de administrative fellestjenestene, med begrunnelse.")

    def link(self) -> str:
        return reverse("decisions")

    def items(self) -> Any:
        return selectors.decision_log()[:50]

    def item_title(self, item: Case) -> str:
        return f"{item.number} {item.title}"

    def item_description(self, item: Case) -> str:
        return _("%(decision)s\n\nBegrunnelse: %(reasons)s") % {
            "decision": item.decision,
            "reasons": item.reasons,
        }

    def item_link(self, item: Case) -> str:
        return reverse("case", kwargs={"case_id": item.uuid})

    def item_pubdate(self, item: Case) -> Any:
        return item.decided_at

    def item_updateddate(self, item: Case) -> Any:
        return item.decided_at

    def item_author_name(self, item: Case) -> str:
        return item.decider_label if item.decided_level else ""


def decisions_feed(request: HttpRequest) -> HttpResponse:
    """The decision log as Atom. Feed readers without a session send an API key
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
    return DecisionFeed()(request)


decisions_feed.felles_rule = authenticated  # type: ignore[attr-defined]
