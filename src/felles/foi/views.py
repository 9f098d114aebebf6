"""The FOI pages: the list with the law's deadlines, registering and importing requests,
one request (case owner, answer, appeals), one document's decision, and the statistics."""

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
from felles.core.permissions import authenticated, get_visible_or_404, requires
from felles.core.services import Conflict, ServiceError
from felles.core.tabular import ImportFileError
from felles.core.uploads import read_upload
from felles.foi import export, forms, rules, selectors, services
from felles.foi.models import Appeal, Decision, Item, Request
from felles.foi.statistics import compute
from felles.organisations.models import Organisation


def _status(exc: ServiceError) -> int:
    return exc.status if isinstance(exc, Conflict) else 422


@requires(selectors.may_work)
def request_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    requests = selectors.requests_for(request.user)
    opened = [selectors.deadlines_of(r, today) for r in requests.filter(answered_on__isnull=True)]
    answered = requests.filter(answered_on__isnull=False)[:50]
    return render(
        request,
        "foi/list.html",
        {
            "opened": opened,
            "answered": answered,
            "team": selectors.in_team(request.user),
            "statistics": selectors.may_see_statistics(request.user),
        },
    )


@requires(selectors.is_team)
def register(request: HttpRequest) -> HttpResponse:
    ministries = selectors.ministries_for_intake(request.user)
    form = forms.RegisterForm(request.POST or None, ministries=ministries)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.register_request(
                    actor=Actor.from_request(request),
                    ministry=data["ministry"],
                    source=data["source"],
                    received_on=data["received_on"],
                    requester_email=data["requester_email"],
                    requester_name=data["requester_name"],
                    items=data["documents"],
                    case_owner=data["case_owner"],
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
                status = _status(exc)
            else:
                messages.success(request, _("Innsynskravet er registrert."))
                return redirect("foi_request", request_id=created.uuid)
    return render(request, "foi/register.html", {"form": form}, status=status)


@requires(selectors.is_team)
def import_file(request: HttpRequest) -> HttpResponse:
    ministries = selectors.ministries_for_intake(request.user)
    form = forms.ImportForm(request.POST or None, request.FILES or None, ministries=ministries)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = services.import_order_file(
                    actor=Actor.from_request(request),
                    content=read_upload(data["file"]),
                    ministry=data["ministry"],
                    received_on=data["received_on"],
                    case_owner=data["case_owner"],
                )
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            except ServiceError as exc:
                add_service_errors(form, exc)
                if not form.errors:
                    form.add_error(None, exc.message)
                status = _status(exc)
            else:
                if result.created:
                    messages.success(request, _("Innsynskravet er importert."))
                else:
                    messages.info(
                        request, _("Bestillingen var allerede importert; ingenting nytt er laget.")
                    )
                return redirect("foi_request", request_id=result.request.uuid)
    return render(request, "foi/import.html", {"form": form}, status=status)


def _request(request: HttpRequest, request_id: uuid.UUID) -> Request:
    return get_visible_or_404(selectors.requests_for(request.user), uuid=request_id)


def _detail(request: HttpRequest, foi: Request, status: int = 200, **forms_: Any) -> HttpResponse:
    user = request.user
    items = list(foi.items.prefetch_related("decisions__by"))
    for item in items:
        by_stage = {d.stage: d for d in item.decisions.all()}
        item.proposed = by_stage.get(Decision.Stage.PROPOSED)
        item.final = by_stage.get(Decision.Stage.FINAL)
    answered = foi.answered_on is not None
    sends = selectors.prepares(user, foi) or selectors.decides(user, foi)
    # Never answered within 5 working days: a refusal that may be appealed (offl. § 32).
    deemed_refused = (
        not answered and timezone.localdate() > rules.deadlines(foi.received_on).deemed_refusal
    )
    context = {
        "foi": foi,
        "items": items,
        "deadlines": selectors.deadlines_of(foi),
        "appeals": foi.appeals.all(),
        "prepares": selectors.prepares(user, foi),
        "decides": selectors.decides(user, foi),
        "owner_form": forms_.get("owner_form")
        or (
            forms.CaseOwnerForm(people=selectors.case_owner_choices(foi.ministry))
            if selectors.assigns_owner(user, foi) and not answered
            else None
        ),
        "answer_form": forms_.get("answer_form")
        or (
            forms.AnswerForm(
                initial={"text": selectors.draft_answer(foi), "answered_on": timezone.localdate()}
            )
            if sends and not answered
            else None
        ),
        "fuller_due": (
            rules.fuller_reasons_due(foi.fuller_reasons_asked_on)
            if foi.fuller_reasons_asked_on
            else None
        ),
        "fuller_state": (
            rules.deadline_state(
                timezone.localdate(), rules.fuller_reasons_due(foi.fuller_reasons_asked_on)
            )
            if foi.fuller_reasons_asked_on and not foi.fuller_reasons_sent_on
            else None
        ),
        "fuller_form": forms_.get("fuller_form")
        or (
            forms.FullerReasonsForm(
                initial={
                    "asked_on": foi.fuller_reasons_asked_on,
                    "sent_on": foi.fuller_reasons_sent_on,
                }
            )
            if sends and answered
            else None
        ),
        "deemed_refused": deemed_refused,
        "appeal_form": forms_.get("appeal_form")
        or (forms.AppealForm() if sends and (answered or deemed_refused) else None),
        "outcome_form": forms_.get("outcome_form")
        or (forms.AppealOutcomeForm() if sends else None),
    }
    return render(request, "foi/detail.html", context, status=status)


@requires(authenticated)
def request_detail(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    return _detail(request, _request(request, request_id))


STEP_FORMS = {
    "owner": "owner_form",
    "answer": "answer_form",
    "appeal": "appeal_form",
    "appeal_outcome": "outcome_form",
    "fuller": "fuller_form",
}


@require_POST
@requires(authenticated)
def request_step(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    foi = _request(request, request_id)
    step = request.POST.get("step", "")
    actor = Actor.from_request(request)
    form: Any
    if step == "owner":
        form = forms.CaseOwnerForm(request.POST, people=selectors.case_owner_choices(foi.ministry))
    elif step == "answer":
        form = forms.AnswerForm(request.POST)
    elif step == "appeal":
        form = forms.AppealForm(request.POST)
    elif step == "appeal_outcome":
        form = forms.AppealOutcomeForm(request.POST)
    elif step == "fuller":
        form = forms.FullerReasonsForm(request.POST)
    else:
        return _detail(request, foi, 422)
    if not form.is_valid():
        return _detail(request, foi, 422, **{STEP_FORMS[step]: form})
    data = form.cleaned_data
    try:
        if step == "owner":
            services.assign_case_owner(actor=actor, request=foi, person=data["person"])
            messages.success(request, _("Saksansvarlig er valgt."))
        elif step == "answer":
            services.send_answer(
                actor=actor, request=foi, text=data["text"], answered_on=data["answered_on"]
            )
            messages.success(request, _("Svaret er registrert som sendt."))
        elif step == "fuller":
            services.record_fuller_reasons(
                actor=actor, request=foi, asked_on=data["asked_on"], sent_on=data["sent_on"]
            )
            messages.success(request, _("Fyldigere grunngiving er registrert."))
        elif step == "appeal":
            services.register_appeal(actor=actor, request=foi, received_on=data["received_on"])
            messages.success(request, _("Klagen er registrert."))
        else:
            appeal = get_visible_or_404(
                Appeal.objects.filter(request=foi), uuid=request.POST.get("appeal", "")
            )
            services.decide_appeal(
                actor=actor,
                appeal=appeal,
                result=data["result"],
                decided_on=data["decided_on"],
                note=data["note"],
            )
            messages.success(request, _("Utfallet av klagen er registrert."))
    except ServiceError as exc:
        add_service_errors(form, exc)
        if not form.errors:
            form.add_error(None, exc.message)
        return _detail(request, foi, _status(exc), **{STEP_FORMS[step]: form})
    return redirect("foi_request", request_id=foi.uuid)


@requires(authenticated)
def item_detail(request: HttpRequest, request_id: uuid.UUID, item_id: uuid.UUID) -> HttpResponse:
    foi = _request(request, request_id)
    item = get_visible_or_404(Item.objects.filter(request=foi), uuid=item_id)
    by_stage = {d.stage: d for d in item.decisions.select_related("by")}
    proposed = by_stage.get(Decision.Stage.PROPOSED)
    final = by_stage.get(Decision.Stage.FINAL)
    prepares, decides = selectors.prepares(request.user, foi), selectors.decides(request.user, foi)
    stage = Decision.Stage.FINAL if decides else Decision.Stage.PROPOSED
    open_ = foi.answered_on is None
    initial = forms.DecisionForm.initial_from(final if decides and final else proposed)
    form = forms.DecisionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            actor = Actor.from_request(request)
            try:
                if request.POST.get("stage") == Decision.Stage.FINAL:
                    services.decide_item(actor=actor, item=item, values=form.values())
                else:
                    services.prepare_item(actor=actor, item=item, values=form.values())
            except ServiceError as exc:
                add_service_errors(form, exc)
                status = _status(exc)
            else:
                messages.success(request, _("Vurderingen er lagret."))
                return redirect("foi_request", request_id=foi.uuid)
    return render(
        request,
        "foi/item.html",
        {
            "foi": foi,
            "item": item,
            "proposed": proposed,
            "final": final,
            "form": form if open_ and (prepares or decides) else None,
            "stage": stage,
        },
        status=status,
    )


@requires(selectors.may_see_statistics)
def statistics(request: HttpRequest) -> HttpResponse:
    scope = selectors.statistics_scope(request.user)
    ministries = Organisation.objects.customers().order_by("abbreviation")
    if scope is not None:
        ministries = ministries.filter(pk__in=scope)
    form = forms.StatisticsForm(request.GET or None, ministries=ministries)
    start, end = form.period()
    chosen = form.cleaned_data.get("ministry") if form.is_bound and form.is_valid() else None
    if chosen is not None:
        scope = frozenset({chosen.pk})
    stats = compute(scope, start, end)
    wanted = request.GET.get("format")
    if wanted in ("csv", "xlsx"):
        return export.statistics_response(stats, wanted, request.GET.get("table", "time"))
    return render(
        request,
        "foi/statistics.html",
        {"form": form, "stats": stats, "query": _without_format(request)},
    )


def _without_format(request: HttpRequest) -> str:
    """The period and ministry chosen, for the download links."""
    query = request.GET.copy()
    for name in ("format", "table"):
        query.pop(name, None)
    return query.urlencode()
