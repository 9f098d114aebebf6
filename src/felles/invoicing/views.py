"""Invoicing pages. Ministries: «Faktura og forbruk» (invoices, drill-down, disputes,
showback). Providers: invoice runs, usage import, disputes to answer."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from felles.core.actor import Actor
from felles.core.exports import csv_response, xlsx_response
from felles.core.forms import add_service_errors
from felles.core.imports import ImportFlow
from felles.core.listing import paginate
from felles.core.permissions import get_visible_or_404, requires
from felles.core.services import Conflict, Forbidden, ServiceError
from felles.core.validators import DATE_RANGE_MESSAGE, date_in_range
from felles.invoicing import importing, problems, selectors, services
from felles.invoicing.forms import (
    CreditForm,
    DisputeForm,
    ResolveForm,
    RunForm,
    UsageCorrectionForm,
    UsageImportForm,
)
from felles.invoicing.models import Dispute, Invoice, InvoiceRun
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Organisation

IMPORT_SESSION_KEY = "felles_pending_usage_imports"


def _period(request: HttpRequest, ministry: Organisation | None) -> tuple[dt.date, dt.date, str]:
    """The showback month from ?maaned=YYYY-MM (default: the newest month the ministry
    used appropriation-funded services, else last month). A month that is not one, or lies
    outside the dates Felles takes (`core.validators`), shows the default with a message
    saying why — never an overflow (9999-12 has no next month)."""
    today = timezone.localdate()
    newest = selectors.latest_showback_month(ministry.pk, today) if ministry else None
    default = (newest or (today.replace(day=1) - dt.timedelta(days=1))).strftime("%Y-%m")
    value = request.GET.get("maaned", "") or default
    start = _month(value)
    if start is None or not date_in_range(start):
        if start is None:
            why = _("«%(value)s» er ikke en måned (åååå-mm).") % {"value": value[:20]}
        else:
            why = _("Måneden %(value)s kan ikke vises.") % {"value": value}
            why = f"{why} {DATE_RANGE_MESSAGE}"
        messages.warning(
            request, _("%(why)s Viser %(default)s.") % {"why": why, "default": default}
        )
        value = default
        start = _month(value)
        assert start is not None
    end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return start, end, value


def _month(value: str) -> dt.date | None:
    """The first day of the month «YYYY-MM», or None."""
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()  # noqa: DTZ007 - a month
    except ValueError:
        return None


@requires(selectors.may_see_invoices)
def invoice_list(request: HttpRequest) -> HttpResponse:
    invoices = selectors.invoices_for(request.user).order_by("-period_start", "-pk")
    ministry = request.GET.get("departement", "")
    if ministry:
        invoices = invoices.filter(ministry__abbreviation__iexact=ministry)
    reads_all = selectors.reads_all_bills(request.user)
    me = org_selectors.person_for(request.user)
    showback_ministry = me.organisation if me and me.organisation.kind == "ministry" else None
    if ministry and reads_all:
        showback_ministry = Organisation.objects.filter(abbreviation__iexact=ministry).first()
    start, end, month = _period(request, showback_ministry)
    return render(
        request,
        "invoicing/invoice_list.html",
        {
            **paginate(request, invoices),
            "ministry": ministry,
            "month": month,
            "showback_ministry": showback_ministry,
            "showback": selectors.showback(showback_ministry.pk, start, end)
            if showback_ministry
            else [],
            "period": (start, end),
            "billing": bool(selectors.billing_providers(request.user)),
            "ministries": Organisation.objects.customers() if reads_all else [],
        },
    )


@requires(selectors.may_see_invoices)
def invoice_detail(request: HttpRequest, invoice_id: uuid.UUID) -> HttpResponse:
    invoice = get_visible_or_404(selectors.invoices_for(request.user), uuid=invoice_id)
    if request.GET.get("format") == "xml":
        if not invoice.xml:
            raise Http404
        response = HttpResponse(invoice.xml, content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{invoice.number}.xml"'
        return response
    may_dispute = (
        selectors.may_dispute(request.user)
        and invoice.ministry_id in selectors.billing_ministries(request.user)
        and invoice.kind == Invoice.Kind.INVOICE
        and invoice.status == Invoice.Status.ISSUED
    )
    manages = selectors.manages(request.user, invoice.provider_id, invoice.ministry_id)
    return render(
        request,
        "invoicing/invoice_detail.html",
        {
            "invoice": invoice,
            # The breadcrumb links to the run only for those who may open it.
            "run_link": selectors.run_for_reader(request.user, invoice),
            "lines": selectors.lines_with_disputes(invoice),
            "credit_notes": invoice.credit_notes.all(),
            "may_dispute": may_dispute,
            "dispute_form": DisputeForm(),
            "credit_form": CreditForm()
            if manages
            and invoice.kind == Invoice.Kind.INVOICE
            and invoice.status == Invoice.Status.ISSUED
            else None,
            "print": request.GET.get("visning") == "utskrift",
        },
    )


@requires(selectors.may_see_invoices)
def line_usage(request: HttpRequest, invoice_id: uuid.UUID, position: int) -> HttpResponse:
    invoice = get_visible_or_404(selectors.invoices_for(request.user), uuid=invoice_id)
    line = invoice.lines.filter(position=position).select_related("service").first()
    if line is None:
        raise Http404
    if selectors.is_screened(line):
        # A restricted or security service: how many cases, never which (issue 18).
        return render(
            request,
            "invoicing/line_usage.html",
            {"invoice": invoice, "line": line, "text": selectors.line_text(line), "screened": True},
        )
    return render(
        request,
        "invoicing/line_usage.html",
        {
            "invoice": invoice,
            "line": line,
            "text": selectors.line_text(line),
            **paginate(request, selectors.usage_behind(line)),
        },
    )


@require_POST
@requires(selectors.may_dispute)
def dispute_line(request: HttpRequest, invoice_id: uuid.UUID, position: int) -> HttpResponse:
    invoice = get_visible_or_404(selectors.invoices_to_dispute(request.user), uuid=invoice_id)
    line = invoice.lines.filter(position=position).first()
    if line is None:
        raise Http404
    form = DisputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Beskriv hva som er feil på linjen."))
        return redirect("invoice", invoice_id=invoice.uuid)
    try:
        services.raise_dispute(
            actor=Actor.from_request(request),
            line=line,
            person=org_selectors.person_for(request.user),
            reason=form.cleaned_data["reason"],
        )
    except Forbidden:
        raise  # 403 (core.permissions.requires)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Linje %(position)s er bestridt. Leverandøren svarer her.")
            % {"position": line.position},
        )
    return redirect("invoice", invoice_id=invoice.uuid)


@require_POST
@requires(selectors.may_bill)
def credit(request: HttpRequest, invoice_id: uuid.UUID) -> HttpResponse:
    invoice = get_visible_or_404(selectors.invoices_for(request.user), uuid=invoice_id)
    form = CreditForm(request.POST)
    # Without a valid reason the service still answers: it refuses whoever may not credit
    # this invoice (403), and tells the others to write why («Skriv hvorfor …»).
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        note = services.credit_invoice(
            actor=Actor.from_request(request), invoice=invoice, reason=reason
        )
    except Forbidden:
        raise  # 403 (core.permissions.requires)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("invoice", invoice_id=invoice.uuid)
    messages.success(request, _("Kreditnota %(number)s er utstedt.") % {"number": note.number})
    return redirect("invoice", invoice_id=note.uuid)


# --- provider side --------------------------------------------------------------------------


@requires(selectors.may_see_runs)
def run_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _create_run(request)
    providers = selectors.billing_providers(request.user)
    return _run_list_page(request, RunForm(providers=providers) if providers else None)


@requires(selectors.runs_invoicing)
def _create_run(request: HttpRequest) -> HttpResponse:
    form = RunForm(request.POST, providers=selectors.billing_providers(request.user))
    conflict = False
    if form.is_valid():
        try:
            run = services.create_run(
                actor=Actor.from_request(request),
                provider=form.cleaned_data["provider"],
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
            )
        except ServiceError as exc:
            conflict = isinstance(exc, Conflict)  # e.g. an overlapping run: 409
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Fakturakjøringen er beregnet som utkast."))
            return redirect("invoice_run", run_id=run.uuid)
    return _run_list_page(request, form, status=409 if conflict else 422)


def _run_list_page(request: HttpRequest, form: RunForm | None, status: int = 200) -> HttpResponse:
    return render(
        request,
        "invoicing/run_list.html",
        {
            **paginate(request, selectors.runs_for(request.user)),
            "form": form,
            "disputes": selectors.open_disputes_for(request.user),
            "resolve_form": ResolveForm(),
        },
        status=status,
    )


RUN_ACTIONS = {
    "recompute": gettext_lazy("Kjøringen er beregnet på nytt."),
    "review": gettext_lazy("Kjøringen er kontrollert mot EHF-reglene og merket som kontrollert."),
    "approve": gettext_lazy("Kjøringen er godkjent og kan utstedes."),
    "issue": gettext_lazy("Fakturaene er utstedt."),
    "discard": gettext_lazy("Utkastet er slettet; forbruket kan faktureres i en ny kjøring."),
}


@requires(selectors.may_see_runs)
def run_detail(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    run = get_visible_or_404(selectors.runs_for(request.user), uuid=run_id)
    manages = selectors.manages(request.user, run.provider_id)
    if request.method == "POST":
        return _run_action(request, run, request.POST.get("action", ""))
    fmt = request.GET.get("format")
    if fmt in ("xlsx", "csv"):
        return _ledger(run, fmt)
    return render(
        request,
        "invoicing/run_detail.html",
        {
            "run": run,
            "steps": _steps(run),
            "invoices": run.invoices.select_related("ministry").order_by(
                "kind", "ministry__abbreviation"
            ),
            "manages": manages,
            "unpriced": selectors.unpriced_usage(run)
            if run.status == InvoiceRun.Status.DRAFT
            else 0,
            # Text that cannot go into EHF, traced to the rows to correct (drafts only:
            # a reviewed run has passed this check).
            "problems": problems.run_problems(run) if run.status == InvoiceRun.Status.DRAFT else [],
            # Lines too large for an invoice line, with their usage rows (drafts only).
            "held_back": problems.held_back(run),
            "errors": request.session.pop(f"run-errors-{run.pk}", []),
        },
    )


def _steps(run: InvoiceRun) -> list[dict[str, Any]]:
    """The run's steps in order, each done, current or still to come."""
    values = [value for value, _label in InvoiceRun.Status.choices]
    current = values.index(run.status)
    return [
        {
            "number": index + 1,
            "label": label,
            "state": "done" if index < current else "current" if index == current else "todo",
        }
        for index, (_value, label) in enumerate(InvoiceRun.Status.choices)
    ]


def _run_action(request: HttpRequest, run: InvoiceRun, action: str) -> HttpResponse:
    """Each step is its service's: it refuses (403) whoever does not run the provider's
    invoicing, and the page shows any other refusal."""
    actor = Actor.from_request(request)
    me = org_selectors.person_for(request.user)
    try:
        if action == "recompute":
            services.recompute_run(actor=actor, run=run)
        elif action == "review":
            services.review_run(actor=actor, run=run, person=me)
        elif action == "approve":
            services.approve_run(actor=actor, run=run, person=me)
        elif action == "issue":
            services.issue_run(actor=actor, run=run, person=me)
        elif action == "discard":
            services.discard_run(actor=actor, run=run)
            messages.success(request, RUN_ACTIONS[action])
            return redirect("invoice_runs")
        else:
            raise ServiceError(_("Ukjent handling «%(action)s».") % {"action": action[:40]})
    except Forbidden:
        raise  # 403 (core.permissions.requires)
    except ServiceError as exc:
        messages.error(request, exc.message)
        request.session[f"run-errors-{run.pk}"] = exc.field_errors.get("ehf", [])
    else:
        messages.success(request, RUN_ACTIONS[action])
    return redirect("invoice_run", run_id=run.uuid)


@requires(selectors.may_bill)
def correct_usage(request: HttpRequest, run_id: uuid.UUID, usage_id: uuid.UUID) -> HttpResponse:
    """Correct the texts of a usage row of a draft run that cannot go into EHF (an old
    order's buyer reference with a control character, say); the run is recomputed."""
    run = get_visible_or_404(selectors.runs_for(request.user), uuid=run_id)
    usage = get_visible_or_404(
        run.usage.select_related("order", "service", "ministry"), uuid=usage_id
    )
    actor = Actor.from_request(request)
    # The page is only for those who may correct the row: the service refuses others (403).
    correction = services.correction_for(actor=actor, usage=usage)
    form = UsageCorrectionForm(request.POST or None, initial=correction.initial)
    if request.method == "POST" and form.is_valid():
        try:
            rows = services.correct_usage(
                actor=actor,
                usage=usage,
                buyer_reference=form.cleaned_data["buyer_reference"],
                external_reference=form.cleaned_data["external_reference"],
                same_value=form.cleaned_data["same_value"],
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "Forbruksraden er rettet (%(rows)s rad), og kjøringen er beregnet på nytt.",
                    "Forbruksraden er rettet (%(rows)s rader), og kjøringen er beregnet på nytt.",
                    rows,
                )
                % {"rows": rows},
            )
            return redirect("invoice_run", run_id=run.uuid)
    return render(
        request,
        "invoicing/usage_correct.html",
        {
            "run": run,
            "usage": usage,
            "form": form,
            "stored": correction.stored,
            # Exactly the rows «the same text» corrects (same ministry, same bad text).
            "same_count": correction.same_count,
        },
        status=422 if form.errors else 200,
    )


def _ledger(run: InvoiceRun, fmt: str) -> HttpResponse:
    name = f"hovedbok-{run.provider.abbreviation}-{run.period_start:%Y-%m}.{fmt}"
    export = xlsx_response if fmt == "xlsx" else csv_response
    return export(name, selectors.LEDGER_HEADER, selectors.ledger_rows(run))


@require_POST
@requires(selectors.may_bill)
def resolve(request: HttpRequest, dispute_id: uuid.UUID) -> HttpResponse:
    dispute = get_visible_or_404(selectors.disputes_to_answer(request.user), uuid=dispute_id)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Velg om innsigelsen godtas eller avvises."))
        return redirect("invoice_runs")
    try:
        services.resolve_dispute(
            actor=Actor.from_request(request),
            dispute=dispute,
            person=org_selectors.person_for(request.user),
            accept=form.cleaned_data["decision"] == "accept",
            resolution=form.cleaned_data["resolution"],
        )
    except Forbidden:
        raise  # 403 (core.permissions.requires)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Innsigelsen er godtatt og linjen kreditert.")
            if dispute.status == Dispute.Status.ACCEPTED
            else _("Innsigelsen er avvist med begrunnelse."),
        )
    return redirect("invoice_runs")


@requires(selectors.runs_invoicing)  # usage is billed in runs: provider-wide managers only
def usage_import(request: HttpRequest) -> HttpResponse:
    """Metered usage from a provider's export: dry run, then confirm (`core.imports`).
    `importing.apply_usage` refuses whoever does not run the provider's invoicing."""
    providers = selectors.billing_providers(request.user)
    me = org_selectors.person_for(request.user)
    actor = Actor.from_request(request)

    def plan_stashed(meta: dict[str, Any], content: bytes) -> importing.UsagePlan:
        provider = Organisation.objects.get(pk=meta["provider"])
        return importing.plan_usage(provider, content, meta["filename"])

    return ImportFlow(
        session_key=IMPORT_SESSION_KEY,
        template="invoicing/usage_import.html",
        url_name="usage_import",
        make_form=lambda *args: UsageImportForm(*args, providers=providers),
        plan_upload=lambda data, content, name: importing.plan_usage(
            data["provider"], content, name
        ),
        stash_meta=lambda plan: {"provider": plan.provider.pk},
        plan_stashed=plan_stashed,
        apply=lambda plan: importing.apply_usage(actor=actor, plan=plan, person=me),
        done_message=lambda plan: (
            ngettext(
                "Importert: %(creates)s ny forbruksrad, %(existing)s fantes fra før.",
                "Importert: %(creates)s nye forbruksrader, %(existing)s fantes fra før.",
                plan.creates,
            )
            % {"creates": plan.creates, "existing": plan.existing}
        ),
        has_work=lambda plan: plan.creates > 0,
    ).handle(request)
