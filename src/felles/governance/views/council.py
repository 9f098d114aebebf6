"""The advisory council: its composition, the rotation plan, nominations, unavailability,
the providers' budget proposals and the council's statements."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from felles.core.actor import Actor
from felles.core.permissions import authenticated, get_visible_or_404, requires
from felles.core.services import Forbidden, ServiceError
from felles.governance import forms, selectors, services
from felles.governance.views.common import unknown_action
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Person

# The steps on the council page. Each binds its form (kept in `bound` to show its errors)
# and, when the form is valid, calls the service, which decides whether this user may take
# the step; a redirect means done, the page again shows the form's errors.
CouncilAction = Callable[[HttpRequest, dict[str, Any]], HttpResponse]


@requires(selectors.is_governance)
def _plan(request: HttpRequest, bound: dict[str, Any]) -> HttpResponse:
    bound["plan"] = form = forms.PlanForm(request.POST)
    if not form.is_valid():
        return _council_page(request, bound)
    created = services.plan_council(actor=Actor.from_request(request), **form.cleaned_data)
    messages.success(
        request,
        ngettext("%(n)d rådsplass er planlagt.", "%(n)d rådsplasser er planlagt.", len(created))
        % {"n": len(created)},
    )
    return redirect("council")


def _unavailable(request: HttpRequest, bound: dict[str, Any]) -> HttpResponse:
    bound["unavailable"] = form = forms.UnavailableForm(request.POST)
    if not form.is_valid():
        return _council_page(request, bound)
    services.declare_unavailability(actor=Actor.from_request(request), **form.cleaned_data)
    messages.success(request, _("Fraværet er registrert og tas hensyn til i planen."))
    return redirect("council")


def _nominate(request: HttpRequest, bound: dict[str, Any]) -> HttpResponse:
    term = get_visible_or_404(selectors.terms(), uuid=request.POST.get("term"))
    people = Person.objects.filter(organisation=term.ministry, active=True)
    form = forms.NominateForm(request.POST, people=people)
    if form.is_valid():
        services.nominate(actor=Actor.from_request(request), term=term, **form.cleaned_data)
        messages.success(
            request, _("%(ministry)s har oppnevnt.") % {"ministry": term.ministry.abbreviation}
        )
    else:
        messages.error(request, _("Velg person, beskriv kompetansen og oppgi kapasitet."))
    return redirect("council")


@requires(selectors.proposes_budget)
def _propose(request: HttpRequest, bound: dict[str, Any]) -> HttpResponse:
    bound["propose"] = form = forms.ProposalForm(request.POST)
    if not form.is_valid():
        return _council_page(request, bound)
    provider = Organisation.objects.get(pk=selectors.proposing_provider_id(request.user) or 0)
    services.submit_budget_proposal(
        actor=Actor.from_request(request), provider=provider, **form.cleaned_data
    )
    messages.success(request, _("Satsingsforslaget er sendt til rådet."))
    return redirect("council")


def _statement(request: HttpRequest, bound: dict[str, Any]) -> HttpResponse:
    proposal = get_visible_or_404(selectors.proposals(), uuid=request.POST.get("proposal"))
    form = forms.StatementForm(request.POST)
    if form.is_valid():
        services.record_statement(
            actor=Actor.from_request(request),
            proposal=proposal,
            text=form.cleaned_data["statement"],
        )
        messages.success(request, _("Rådets uttalelse er registrert."))
    else:
        messages.error(request, _("Skriv rådets uttalelse."))
    return redirect("council")


COUNCIL_ACTIONS: dict[str, CouncilAction] = {
    "plan": _plan,
    "unavailable": _unavailable,
    "nominate": _nominate,
    "propose": _propose,
    "statement": _statement,
}


@requires(authenticated)
def council(request: HttpRequest) -> HttpResponse:
    bound: dict[str, Any] = {}
    if request.method != "POST":
        return _council_page(request, bound)
    action: CouncilAction = COUNCIL_ACTIONS.get(request.POST.get("action", ""), unknown_action)
    try:
        return action(request, bound)
    except Forbidden:
        raise  # the page answers 403 (core.permissions.requires)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("council")


def _council_page(request: HttpRequest, bound: dict[str, Any]) -> HttpResponse:
    user = request.user
    person = org_selectors.person_for(user)
    today = timezone.localdate()
    permanent, seated = selectors.council_on(today)
    terms = list(selectors.terms().filter(ends_on__gte=today))
    mine = {t.pk for t in terms if selectors.may_nominate(user, t, today)}
    open_terms = [t for t in terms if t.pk in mine and t.nominee_id is None]
    candidates: dict[int, list[Person]] = {}
    for candidate in Person.objects.filter(  # the people each ministry may nominate from
        organisation_id__in={t.ministry_id for t in open_terms}, active=True
    ).order_by("last_name", "first_name"):
        candidates.setdefault(candidate.organisation_id, []).append(candidate)
    for t in open_terms:
        t.candidates = candidates.get(t.ministry_id, [])
    return render(
        request,
        "governance/council.html",
        {
            "permanent": permanent,
            "seated": seated,
            "terms": terms,
            "nominable": mine,
            "served": selectors.served_counts(),
            "proposals": selectors.proposals(),
            "plan_form": bound.get("plan") or forms.PlanForm()
            if selectors.is_governance(user)
            else None,
            "unavailable_form": bound.get("unavailable") or forms.UnavailableForm()
            if person and (selectors.is_governance(user) or selectors.may_raise(user))
            else None,
            "proposal_form": bound.get("propose") or forms.ProposalForm()
            if selectors.may_propose_budget(user)
            else None,
            "may_state": selectors.may_state(user),
        },
        status=422 if any(f.errors for f in bound.values()) else 200,
    )
