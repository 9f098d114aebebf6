"""Portfolio pages: the overview with timeline, dependencies, risks, hump costs and
benefits (and an XLSX export); one page per project; the model evaluations with their
sensitivity; the baseline with its import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from felles.catalog.models import ServiceArea
from felles.core.actor import Actor
from felles.core.exports import xlsx_workbook_response
from felles.core.forms import add_service_errors
from felles.core.imports import ImportFlow
from felles.core.locale import localized
from felles.core.permissions import authenticated, get_visible_or_404, requires
from felles.core.services import Forbidden, ServiceError
from felles.portfolio import forms, importing, selectors, services
from felles.portfolio.models import Benefit, Project, Risk


def _filtered(request: HttpRequest) -> tuple[list[Project], str, str]:
    items = selectors.projects().prefetch_related("milestones")
    area, status = request.GET.get("omrade", ""), request.GET.get("status", "")
    if area:
        items = items.filter(area__code=area)
    if status in Project.Rag.values:
        items = items.filter(status=status)
    return list(items), area, status


@requires(authenticated)
def overview(request: HttpRequest) -> HttpResponse:
    date_form = forms.ExternalDateForm(request.POST or None)
    # The service decides who may save a date (DFD); a refusal is the 403 page.
    if request.method == "POST" and date_form.is_valid():
        services.save_external_date(actor=Actor.from_request(request), **date_form.cleaned_data)
        messages.success(request, _("Datoen er lagret."))
        return redirect("portfolio")
    items, area, status = _filtered(request)
    risks = Risk.objects.filter(Q(project__in=items) | Q(project__isnull=True)).select_related(
        "project"
    )
    benefits = selectors.benefits().filter(project__in=items)
    if request.GET.get("format") == "xlsx":
        return _workbook(items, risks, benefits)
    totals = selectors.benefit_totals(benefits)
    return render(
        request,
        "portfolio/overview.html",
        {
            "projects": items,
            "areas": ServiceArea.objects.all(),
            "area": area,
            "status": status,
            "statuses": Project.Rag.choices,
            "timeline": selectors.timeline(items),
            "dependencies": selectors.dependency_rows(items),
            "heat": selectors.heat_map(risks),
            "top_risks": sorted(risks, key=lambda r: -r.score)[:5],
            "hump": selectors.hump_costs_by_year(items),
            "totals": [(label, totals.get(kind)) for kind, label in Benefit.Kind.choices],
            "date_form": date_form if selectors.may_manage_portfolio(request.user) else None,
        },
        status=422 if date_form.errors else 200,
    )


def _workbook(items: list[Project], risks: Any, benefits: Any) -> HttpResponse:
    return xlsx_workbook_response(
        f"portefolje-{timezone.localdate():%Y-%m-%d}.xlsx",
        {
            _("Prosjekter"): (
                [
                    _("Kode"),
                    _("Prosjekt"),
                    _("Område"),
                    _("Ansvarlig"),
                    _("Start"),
                    _("Slutt"),
                    _("Status"),
                    _("Begrunnelse"),
                    _("Prioritet"),
                    _("Modell"),
                ],
                [
                    [
                        p.code,
                        p.name,
                        localized(p.area, "name") if p.area else "",
                        p.responsible.abbreviation,
                        p.starts_on,
                        p.ends_on,
                        p.get_status_display(),
                        p.status_reason,
                        p.priority,
                        p.chosen_model,
                    ]
                    for p in items
                ],
            ),
            _("Milepæler"): (
                [_("Prosjekt"), _("Milepæl"), _("Frist"), _("Nådd")],
                [[p.code, m.name, m.due_on, m.done_on] for p in items for m in p.milestones.all()],
            ),
            _("Risiko"): (
                [
                    _("Prosjekt"),
                    _("Risiko"),
                    pgettext("risiko", "S"),
                    pgettext("risiko", "K"),
                    _("Risikotall"),
                    _("Tiltak"),
                    pgettext("risiko", "S etter"),
                    pgettext("risiko", "K etter"),
                ],
                [
                    [
                        r.project.code if r.project else _("Porteføljen"),
                        r.title,
                        r.likelihood,
                        r.consequence,
                        r.score,
                        r.measures,
                        r.residual_likelihood,
                        r.residual_consequence,
                    ]
                    for r in risks.select_related("project")
                ],
            ),
            _("Gevinster"): (
                [
                    _("Prosjekt"),
                    _("Type"),
                    _("Departement"),
                    _("Måltall"),
                    _("Utgangspunkt"),
                    _("Mål"),
                    _("Innen"),
                ],
                [
                    [
                        b.project.code,
                        b.get_kind_display(),
                        b.ministry.abbreviation,
                        b.measure,
                        b.baseline_value,
                        b.target_value,
                        b.target_on,
                    ]
                    for b in benefits
                ],
            ),
            _("Pukkelkostnader"): (
                [_("År"), _("Omstilling"), _("Investering"), _("Sum")],
                [
                    [r["year"], r["transition"], r["investment"], r["total"]]
                    for r in selectors.hump_costs_by_year(items)
                ],
            ),
        },
    )


# The project page's forms: action → (form, what it does, what the user is told).
PROJECT_ACTIONS: dict[str, tuple[Any, Any, Any]] = {
    "status": (
        forms.StatusForm,
        lambda actor, project, data: services.update_status(
            actor=actor, project=project, status=data["status"], reason=data["status_reason"]
        ),
        gettext_lazy("Statusen er oppdatert."),
    ),
    "risk": (
        forms.RiskForm,
        lambda actor, project, data: services.save_risk(actor=actor, project=project, values=data),
        gettext_lazy("Risikoen er registrert."),
    ),
    "milestone": (
        forms.MilestoneForm,
        lambda actor, project, data: services.save_milestone(actor=actor, project=project, **data),
        gettext_lazy("Milepælen er registrert."),
    ),
    "hump": (
        forms.HumpCostForm,
        lambda actor, project, data: services.save_hump_cost(actor=actor, project=project, **data),
        gettext_lazy("Kostnaden er registrert."),
    ),
    "transfer": (
        forms.TransferForm,
        lambda actor, project, data: services.save_transfer(actor=actor, project=project, **data),
        gettext_lazy("Overføringen er registrert."),
    ),
    "dependency": (
        forms.DependencyForm,
        lambda actor, project, data: services.add_dependency(actor=actor, project=project, **data),
        gettext_lazy("Avhengigheten er registrert."),
    ),
    "benefit": (
        forms.BenefitForm,
        lambda actor, project, data: services.save_benefit(
            actor=actor, project=project, values=data
        ),
        gettext_lazy("Gevinstplanen er registrert."),
    ),
}


@requires(authenticated)
def project_detail(request: HttpRequest, code: str) -> HttpResponse:
    project = get_visible_or_404(selectors.projects(), code=code)
    manage = selectors.may_manage(request.user, project)
    actor = Actor.from_request(request)
    bound: dict[str, Any] = {}
    if request.method == "POST":  # the services decide who may
        action = request.POST.get("action", "")
        try:
            if action in PROJECT_ACTIONS:
                form_class, handle, done = PROJECT_ACTIONS[action]
                bound[action] = form = form_class(request.POST)
                if form.is_valid():
                    handle(actor, project, form.cleaned_data)
                    messages.success(request, str(done))
                    return redirect("project", code=project.code)
            elif action == "realised":
                benefit = get_visible_or_404(
                    project.benefits.all(), uuid=request.POST.get("benefit")
                )
                form = forms.RealisationForm(request.POST)
                if form.is_valid():
                    services.record_realisation(actor=actor, benefit=benefit, **form.cleaned_data)
                    messages.success(request, _("Målingen er registrert."))
                else:
                    messages.error(request, _("Oppgi dato og målt verdi."))
                return redirect("project", code=project.code)
            elif action == "reached":
                milestone = get_visible_or_404(
                    project.milestones.all(), uuid=request.POST.get("milestone")
                )
                services.reach_milestone(actor=actor, milestone=milestone, on=timezone.localdate())
                messages.success(request, _("Milepælen er markert som nådd."))
                return redirect("project", code=project.code)
            else:
                messages.error(request, _("Ukjent handling."))
                return redirect("project", code=project.code)
        except ServiceError as exc:  # a Forbidden becomes the 403 page
            if action in bound:
                add_service_errors(bound[action], exc)
            elif isinstance(exc, Forbidden):
                raise
            else:
                messages.error(request, exc.message)
                return redirect("project", code=project.code)
    project_forms = {
        name: bound.get(name)
        or (form_class(initial={"status": project.status}) if name == "status" else form_class())
        for name, (form_class, _, _) in PROJECT_ACTIONS.items()
    }
    risks = project.risks.select_related("owner")
    benefits = list(selectors.benefits().filter(project=project))
    contributed = list(selectors.benefits().filter(contributors=project))
    return render(
        request,
        "portfolio/project.html",
        {
            "project": project,
            "manage": manage,
            "forms": project_forms if manage else {},
            "open_form": next(iter(bound), ""),
            "realisation_form": forms.RealisationForm() if manage else None,
            "milestones": project.milestones.all(),
            "dependencies": selectors.dependency_rows([project]),
            "dependents": project.dependents.select_related("project"),
            "risks": risks,
            "heat": selectors.heat_map(risks),
            "residual_heat": selectors.heat_map(risks, residual=True),
            "hump_costs": project.hump_costs.all(),
            "transfers": selectors.transfers_for(request.user, project),
            "benefits": [
                {"benefit": b, "chart": selectors.benefit_chart(b), "id": f"gevinst-{i}"}
                for i, b in enumerate(benefits)
            ],
            "contributed": contributed,
            "decisions": project.decisions.filter(status="decided"),
        },
        status=422 if any(f.errors for f in bound.values()) else 200,
    )


@requires(authenticated)
def evaluation_list(request: HttpRequest) -> HttpResponse:
    rows = [(e, selectors.compute(e)) for e in selectors.evaluations()]
    return render(request, "portfolio/evaluations.html", {"rows": rows})


@requires(authenticated)
def evaluation_detail(request: HttpRequest, code: str) -> HttpResponse:
    evaluation = get_visible_or_404(selectors.evaluations(), code=code)
    criteria = list(evaluation.criteria.all())
    weights: dict[str, float] | None = None
    if request.method == "POST":  # the service decides who may (DFD)
        form = forms.WeightsForm(request.POST, criteria=criteria)
        if form.is_valid():
            try:
                services.save_weights(
                    actor=Actor.from_request(request),
                    evaluation=evaluation,
                    weights=form.cleaned_data,
                )
            except Forbidden:
                raise  # the 403 page
            except ServiceError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Vektene er lagret."))
            return redirect("evaluation", code=evaluation.code)
    elif any(c.code in request.GET for c in criteria):
        form = forms.WeightsForm(request.GET, criteria=criteria)
        if form.is_valid():
            weights = {k: float(v) for k, v in form.cleaned_data.items()}
    else:
        form = forms.WeightsForm(criteria=criteria)
    computed = selectors.compute(evaluation, weights)
    chart = {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": [name for name, _ in reversed(computed.ranking)],
                "x": [round(score, 3) for _, score in reversed(computed.ranking)],
                "name": _("Vektet skår"),
            }
        ],
        "layout": {
            "title": {"text": _("Vektet skår per alternativ")},
            "height": max(240, 48 * len(computed.ranking) + 120),
            "xaxis": {"range": [0, 5], "title": {"text": _("Vektet skår (1–5)")}},
            "yaxis": {"title": {"text": _("Alternativ")}},
        },
    }
    return render(
        request,
        "portfolio/evaluation.html",
        {
            "evaluation": evaluation,
            "computed": computed,
            "criteria": criteria,
            "form": form,
            "may_save": selectors.may_manage_portfolio(request.user),
            "chart": chart,
        },
        status=422 if form.is_bound and form.errors else 200,
    )


IMPORT_SESSION_KEY = "felles_pending_baseline_imports"


@requires(authenticated)
def baseline(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _baseline_import(request)
    rows = selectors.baseline_for(request.user)
    return render(
        request,
        "portfolio/baseline.html",
        {
            "rows": rows,
            "form": forms.BaselineImportForm()
            if selectors.may_manage_portfolio(request.user)
            else None,
        },
    )


def _baseline_import(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    return ImportFlow(
        session_key=IMPORT_SESSION_KEY,
        template="portfolio/baseline.html",
        url_name="baseline",
        make_form=forms.BaselineImportForm,
        plan_upload=lambda data, content, name: importing.check_baseline(
            actor=actor, content=content, filename=name
        ),
        stash_meta=lambda plan: {},
        plan_stashed=lambda meta, content: importing.plan_baseline(content, meta["filename"]),
        apply=lambda plan: importing.apply_baseline(actor=actor, plan=plan),
        done_message=lambda plan: (
            ngettext(
                "Importert: %(n)d nytt måltall, %(existing)d fantes fra før.",
                "Importert: %(n)d nye måltall, %(existing)d fantes fra før.",
                plan.creates,
            )
            % {"n": plan.creates, "existing": plan.existing}
        ),
        has_work=lambda plan: plan.creates > 0,
        context={"rows": selectors.baseline_for(request.user)},
    ).handle(request)
