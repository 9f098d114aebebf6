"""Governance pages: the case register and the decision log (with an Atom feed), the
decision-rights table, the customer dialogue with its meeting packs and compliance, and the
advisory council."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_POST

from felles.core.actor import Actor
from felles.core.listing import paginate
from felles.core.permissions import authenticated, get_visible_or_404, requires
from felles.core.services import ServiceError, authenticate_token
from felles.governance import forms, rules, selectors, services
from felles.governance.models import ActionItem, Case, DecisionRight, Level
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Person

LEVELS = dict(Level.choices)


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request)


# --- register -------------------------------------------------------------------------------


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
    person = org_selectors.person_for(request.user)
    if person is None:
        raise PermissionDenied
    form = forms.CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.raise_case(
                actor=_actor(request),
                raised_by=person,
                right=data["right"],
                provider=data["provider"],
                title=data["title"],
                description=data["description"],
                level=data["level"],
                area=data["area"],
                services=list(data["services"]),
            )
        except ServiceError as exc:
            for name, errors in exc.field_errors.items():
                form.add_error(name if name in form.fields else None, errors)
            if not exc.field_errors:
                form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                f"Saken {case.number} er meldt og ligger på {case.get_level_display().lower()} "
                f"nivå hos {case.decider_label}.",
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


@requires(authenticated)
def case_detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = get_visible_or_404(selectors.cases_for(request.user), uuid=case_id)
    bound: dict[str, Any] = {}
    if request.method == "POST":
        action, actor = request.POST.get("action"), _actor(request)
        try:
            if action == "escalate":
                bound["escalate"] = form = forms.ReasonForm(request.POST)
                if form.is_valid():
                    case = services.escalate_case(
                        actor=actor, case=case, reason=form.cleaned_data["reason"]
                    )
                    messages.success(
                        request,
                        f"Saken er løftet til {case.get_level_display().lower()} nivå "
                        f"({case.decider_label}).",
                    )
                    return redirect("case", case_id=case.uuid)
            elif action == "decide":
                bound["decide"] = form = forms.DecideForm(
                    request.POST, price_lists=_price_lists(request, case)
                )
                if form.is_valid():
                    services.decide_case(
                        actor=actor,
                        case=case,
                        decision=form.cleaned_data["decision"],
                        reasons=form.cleaned_data["reasons"],
                        effective_from=form.cleaned_data["effective_from"],
                        price_lists=form.cleaned_data.get("price_lists") or (),
                        projects=form.cleaned_data.get("projects") or (),
                    )
                    messages.success(request, "Vedtaket er fattet og publisert i vedtaksloggen.")
                    return redirect("case", case_id=case.uuid)
            elif action == "reopen":
                bound["reopen"] = form = forms.ReopenForm(request.POST)
                if form.is_valid():
                    services.reopen_case(actor=actor, case=case, ground=form.cleaned_data["ground"])
                    messages.success(request, "Saken er gjenåpnet.")
                    return redirect("case", case_id=case.uuid)
            elif action == "answer":
                hearing = get_visible_or_404(case.hearings.all(), uuid=request.POST.get("hearing"))
                form = forms.InputForm(request.POST)
                if form.is_valid():
                    services.answer_hearing(
                        actor=actor, hearing=hearing, text=form.cleaned_data["input"]
                    )
                    messages.success(request, f"Innspillet fra {hearing.party} er registrert.")
                    return redirect("case", case_id=case.uuid)
                messages.error(request, "Skriv innspillet.")
                return redirect("case", case_id=case.uuid)
            else:
                raise PermissionDenied
        except ServiceError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from exc
            messages.error(request, exc.message)
            return redirect("case", case_id=case.uuid)
    hearings = list(case.hearings.select_related("organisation"))
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
            "events": case.events.all(),
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
    from felles.costing.selectors import price_lists_for

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
    title = "Felles – vedtak i departementsfellesskapet"
    subtitle = "Vedtak om de administrative fellestjenestene, med begrunnelse."

    def link(self) -> str:
        return reverse("decisions")

    def items(self) -> Any:
        return selectors.decision_log()[:50]

    def item_title(self, item: Case) -> str:
        return f"{item.number} {item.title}"

    def item_description(self, item: Case) -> str:
        return f"{item.decision}\n\nBegrunnelse: {item.reasons}"

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
            "Logg inn eller send en API-nøkkel (Authorization: Bearer …).",
            status=401,
            content_type="text/plain; charset=utf-8",
        )
        response["WWW-Authenticate"] = "Bearer"
        return response
    return DecisionFeed()(request)


decisions_feed.felles_rule = authenticated  # type: ignore[attr-defined]


@requires(authenticated)
def rights(request: HttpRequest) -> HttpResponse:
    """The decision-rights table; DFD adds rows here and edits them one by one."""
    may_edit = selectors.is_governance(request.user)
    form = forms.NewRightForm(request.POST or None) if may_edit else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            code = data.pop("code")
            try:
                services.save_decision_right(actor=_actor(request), code=code, values=data)
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "Fullmakten er lagt til.")
                return redirect("decision_rights")
    return render(
        request,
        "governance/rights.html",
        {"rights": selectors.rights(), "may_edit": may_edit, "form": form},
        status=422 if form is not None and form.errors else 200,
    )


@requires(selectors.is_governance)
def right_edit(request: HttpRequest, code: str) -> HttpResponse:
    right = get_visible_or_404(DecisionRight.objects.all(), code=code)
    form = forms.RightForm(request.POST or None, instance=DecisionRight.objects.get(pk=right.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_decision_right(
                actor=_actor(request), code=right.code, values=form.cleaned_data, right=right
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Fullmakten «{right.topic}» er endret.")
            return redirect("decision_rights")
    return render(
        request,
        "governance/right_edit.html",
        {"form": form, "right": right},
        status=422 if form.errors else 200,
    )


# --- customer dialogue ----------------------------------------------------------------------


@requires(selectors.may_see_dialogue)
def dialogue(request: HttpRequest) -> HttpResponse:
    """Compliance for every dialogue the user may read; the provider's managers and customer
    contacts set up dialogues with the ministries."""
    planner = next(
        iter(
            Organisation.objects.providers().filter(
                pk__in=selectors.provider_ids(request.user, frozenset(selectors.PLANNING_ROLES))
            )
        ),
        None,
    )
    form = (
        forms.SeriesForm(
            request.POST or None,
            provider=planner,
            ministries=org_selectors.served_ministries(
                request.user, planner.pk, roles=selectors.PLANNING_ROLES
            ),
        )
        if planner
        else None
    )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
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
                    actor=_actor(request),
                    provider=planner,  # type: ignore[arg-type]
                    ministry=data["ministry"],
                    level=data["level"],
                    customer_contact=data["customer_contact"],
                    target=target,
                )
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"Dialogen {series} er satt opp.")
                return redirect("series", series_id=series.uuid)
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
        organisation_id__in=[series.provider_id, series.ministry_id], active=True
    ).select_related("organisation")


@requires(selectors.may_see_dialogue)
def series_detail(request: HttpRequest, series_id: uuid.UUID) -> HttpResponse:
    series = get_visible_or_404(selectors.series_for(request.user), uuid=series_id)
    party = selectors.is_party(request.user, series)
    form = forms.MeetingForm(request.POST or None, people=_people(series))
    if request.method == "POST":
        if not party:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            actions = (
                [(data["action_text"], data["action_owner"], data["action_due"])]
                if data["action_text"]
                else []
            )
            try:
                services.record_meeting(
                    actor=_actor(request),
                    series=series,
                    held_on=data["held_on"],
                    agenda=data["agenda"],
                    minutes=data["minutes"],
                    participants=list(data["participants"]),
                    actions=actions,
                )
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "Møtet er registrert.")
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
    series = get_visible_or_404(selectors.series_for(request.user), uuid=series_id)
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
        services.complete_action(actor=_actor(request), item=item)
    except ServiceError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, "Oppfølgingspunktet er markert som utført.")
    return redirect("series", series_id=item.meeting.series.uuid)


# --- advisory council -----------------------------------------------------------------------


@requires(authenticated)
def council(request: HttpRequest) -> HttpResponse:
    user, actor = request.user, _actor(request)
    person = org_selectors.person_for(user)
    bound: dict[str, Any] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "plan" and selectors.is_governance(user):
                bound["plan"] = form = forms.PlanForm(request.POST)
                if form.is_valid():
                    created = services.plan_council(actor=actor, **form.cleaned_data)
                    messages.success(request, f"{len(created)} rådsplasser er planlagt.")
                    return redirect("council")
            elif action == "unavailable":
                bound["unavailable"] = form = forms.UnavailableForm(request.POST)
                if form.is_valid():
                    services.declare_unavailability(actor=actor, **form.cleaned_data)
                    messages.success(request, "Fraværet er registrert og tas hensyn til i planen.")
                    return redirect("council")
            elif action == "nominate":
                term = get_visible_or_404(selectors.terms(), uuid=request.POST.get("term"))
                people = Person.objects.filter(organisation=term.ministry, active=True)
                form = forms.NominateForm(request.POST, people=people)
                if form.is_valid():
                    services.nominate(actor=actor, term=term, **form.cleaned_data)
                    messages.success(request, f"{term.ministry.abbreviation} har oppnevnt.")
                    return redirect("council")
                messages.error(request, "Velg person, beskriv kompetansen og oppgi kapasitet.")
                return redirect("council")
            elif action == "propose":
                bound["propose"] = form = forms.ProposalForm(request.POST)
                managed = selectors.provider_ids(user, frozenset({"provider_manager"}))
                if not managed:
                    raise PermissionDenied
                if form.is_valid():
                    provider = Organisation.objects.get(pk=min(managed))
                    services.submit_budget_proposal(
                        actor=actor, provider=provider, **form.cleaned_data
                    )
                    messages.success(request, "Satsingsforslaget er sendt til rådet.")
                    return redirect("council")
            elif action == "statement":
                proposal = get_visible_or_404(
                    selectors.proposals(), uuid=request.POST.get("proposal")
                )
                form = forms.StatementForm(request.POST)
                if form.is_valid():
                    services.record_statement(
                        actor=actor, proposal=proposal, text=form.cleaned_data["statement"]
                    )
                    messages.success(request, "Rådets uttalelse er registrert.")
                else:
                    messages.error(request, "Skriv rådets uttalelse.")
                return redirect("council")
            else:
                raise PermissionDenied
        except ServiceError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from exc
            messages.error(request, exc.message)
            return redirect("council")
    today = timezone.localdate()
    permanent, seated = selectors.council_on(today)
    terms = list(selectors.terms().filter(ends_on__gte=today))
    mine = {t.pk for t in terms if selectors.may_nominate(user, t, today)}
    open_terms = [t for t in terms if t.pk in mine and t.nominee_id is None]
    candidates: dict[int, list[Person]] = {}
    for person in Person.objects.filter(  # the people each ministry may nominate from
        organisation_id__in={t.ministry_id for t in open_terms}, active=True
    ).order_by("last_name", "first_name"):
        candidates.setdefault(person.organisation_id, []).append(person)
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
