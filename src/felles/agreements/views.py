"""The agreement pages: the list (with a new draft for the provider's managers), one
agreement with its services and the steps its parties may take, a printable page and the
Excel export."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from felles.agreements import forms, selectors, services
from felles.agreements.export import agreement_workbook
from felles.agreements.models import Agreement
from felles.catalog.models import Priority
from felles.core.actor import Actor
from felles.core.forms import add_service_errors
from felles.core.permissions import get_visible_or_404, requires
from felles.core.services import Conflict, ServiceError
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation, Role


def _drafting(request: HttpRequest) -> tuple[Organisation | None, Any]:
    """The provider the user drafts for and the ministries they may draft with."""
    providers = selectors.drafting_providers(request.user)
    if not providers:
        return None, None
    provider = Organisation.objects.get(pk=providers[0])
    served = org_selectors.served_ministries(
        request.user, provider.pk, roles=(Role.PROVIDER_MANAGER,)
    )
    ministries = Organisation.objects.customers().order_by("abbreviation")
    if served is not None:
        ministries = ministries.filter(pk__in=served)
    return provider, ministries


@requires(selectors.may_see_agreements)
def agreement_list(request: HttpRequest) -> HttpResponse:
    provider, ministries = _drafting(request)
    form = (
        forms.AgreementForm(request.POST or None, provider=provider, ministries=ministries)
        if provider is not None
        else None
    )
    status = 200
    if request.method == "POST":
        if form is None:
            return _refused(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                agreement = services.create_draft(
                    actor=Actor.from_request(request), provider=provider, **data
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
                status = exc.status if isinstance(exc, Conflict) else 422
            else:
                messages.success(request, _("Utkastet %(a)s er laget.") % {"a": agreement})
                return redirect("agreement", agreement_id=agreement.uuid)
        else:
            status = 422
    agreements = selectors.agreements_for(request.user)
    return render(
        request,
        "agreements/list.html",
        {"agreements": agreements, "form": form, "provider": provider},
        status=status,
    )


@requires(selectors.may_draft)
def _refused(request: HttpRequest) -> HttpResponse:  # pragma: no cover - refused by its rule
    raise AssertionError("refused by its rule")


def _agreement(request: HttpRequest, agreement_id: uuid.UUID) -> Agreement:
    return get_visible_or_404(
        selectors.with_lines(selectors.agreements_for(request.user)), uuid=agreement_id
    )


def _targets_table(agreement: Agreement) -> list[dict[str, Any]]:
    """Each service with its agreed targets per priority (None where the standard holds)."""
    rows = []
    for line in agreement.lines.all():
        by_priority = {t.priority: t for t in line.targets.all()}
        rows.append({"line": line, "targets": [(p, by_priority.get(p)) for p in Priority.values]})
    return rows


@requires(selectors.may_see_agreements)
def agreement_detail(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    agreement = _agreement(request, agreement_id)
    if request.GET.get("format") == "xlsx":
        return agreement_workbook(agreement)
    editing = agreement.status == "draft" and selectors.edits(request.user, agreement)
    form = forms.LineForm(request.POST or None, provider_id=agreement.provider_id)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_line(
                    actor=Actor.from_request(request),
                    agreement=agreement,
                    service=data["service"],
                    volume=data["volume"],
                    note=data["note"],
                    targets=form.targets(),
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
                status = exc.status if isinstance(exc, Conflict) else 422
            else:
                messages.success(request, _("Tjenesten er lagret i avtalen."))
                return redirect("agreement", agreement_id=agreement.uuid)
        else:
            status = 422
    return _detail_page(request, agreement, form if editing or form.errors else None, status)


def _detail_page(
    request: HttpRequest,
    agreement: Agreement,
    form: forms.LineForm | None,
    status: int = 200,
    step_form: forms.StepForm | None = None,
) -> HttpResponse:
    side = selectors.acceptance_side(request.user, agreement)
    accepted = side is not None and getattr(agreement, f"{side}_accepted_at") is not None
    return render(
        request,
        "agreements/detail.html",
        {
            "agreement": agreement,
            "rows": _targets_table(agreement),
            "priorities": Priority.choices,
            "form": form,
            "step_form": step_form,
            "edits": selectors.edits(request.user, agreement),
            "party": side is not None,
            "may_accept": agreement.status == "sent" and side is not None and not accepted,
            "history": agreement.successors.all(),
        },
        status=status,
    )


@require_POST
@requires(selectors.may_see_agreements)
def agreement_step(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    agreement = _agreement(request, agreement_id)
    form = forms.StepForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, agreement, None, 422, form)
    step, day = form.cleaned_data["step"], form.cleaned_data["day"]
    actor = Actor.from_request(request)
    try:
        if step == "send":
            services.send(actor=actor, agreement=agreement)
        elif step == "accept":
            side = selectors.acceptance_side(request.user, agreement) or "ministry"
            person = org_selectors.person_for(request.user)
            if person is None:
                raise ServiceError(_("Du må være registrert som person i Felles."))
            services.accept(actor=actor, agreement=agreement, person=person, side=side)
        elif step == "return":
            services.return_to_draft(actor=actor, agreement=agreement)
        elif step == "end":
            services.end(actor=actor, agreement=agreement, last_day=day)
        else:
            new = services.create_draft(
                actor=actor,
                provider=agreement.provider,
                ministry=agreement.ministry,
                valid_from=day,
                valid_to=agreement.valid_to,
                supersedes=agreement,
                notes=agreement.notes,
                min_compliance=agreement.min_compliance,
                provider_contact=agreement.provider_contact,
                ministry_contact=agreement.ministry_contact,
            )
            messages.success(request, _("Ny versjon %(a)s er laget.") % {"a": new})
            return redirect("agreement", agreement_id=new.uuid)
    except ServiceError as exc:
        add_service_errors(form, exc)
        return _detail_page(
            request, agreement, None, exc.status if isinstance(exc, Conflict) else 422, form
        )
    messages.success(request, _("Avtalen er %(status)s.") % {"status": _status_word(agreement)})
    return redirect("agreement", agreement_id=agreement.uuid)


def _status_word(agreement: Agreement) -> str:
    agreement.refresh_from_db()
    return str(agreement.get_status_display()).lower()


@requires(selectors.may_see_agreements)
def agreement_print(request: HttpRequest, agreement_id: uuid.UUID) -> HttpResponse:
    agreement = _agreement(request, agreement_id)
    return render(
        request,
        "agreements/print.html",
        {
            "agreement": agreement,
            "rows": _targets_table(agreement),
            "priorities": Priority.choices,
            "printed": timezone.localtime(),
        },
    )
