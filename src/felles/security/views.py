"""Pages of the personnel-security register: the register per ministry with its reminders,
the VF § 72 list (and its export) and its issued lists (the archive), forms to add and end
rows, the re-clearance draft, the team's decision form, the read log and the discard
register with its dry run.

Rows come only from `selectors` (visible_to); a ministry or row outside the reader's reach
is a 404. Every page that shows register rows records the reads (`services.record_reads`).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from felles.core import exports
from felles.core.actor import Actor
from felles.core.forms import add_service_errors
from felles.core.permissions import get_visible_or_404, requires
from felles.core.services import Forbidden, ServiceError
from felles.organisations.models import Organisation
from felles.security import archive, forms, selectors, services, workflow
from felles.security.models import Authorisation, Clearance, Declaration, RegisterRead

PER_PAGE = 100
EXPORTS = ("csv", "xlsx")
KINDS: dict[str, tuple[type[Any], type[Any]]] = {
    "autorisasjon": (Authorisation, forms.AuthorisationForm),
    "klarering": (Clearance, forms.ClearanceForm),
    "erklaering": (Declaration, forms.DeclarationForm),
}
NOTICE = "Felles holder bare metadata – skriv aldri gradert informasjon her."


def _ministry(request: HttpRequest, *, choose: bool = False) -> Organisation | None:
    """The ministry asked for (?departement=KUD), else the reader's own or first; 404 for
    one outside the reader's reach (and for a reader with none). With `choose`, None for
    a reader who serves several ministries and asked for none (the overview)."""
    ministries = selectors.ministries_for(request.user)
    asked = (request.GET.get("departement") or request.POST.get("departement") or "").strip()
    if asked:
        found = ministries.filter(abbreviation__iexact=asked[:20]).first()
    else:
        own = getattr(request.user, "person", None)
        found = ministries.filter(pk=getattr(own, "organisation_id", None)).first()
        if found is None and choose and ministries[:2].count() > 1:
            return None
        found = found or ministries.order_by("abbreviation").first()
    if found is None:
        raise Http404
    return found


def _one_ministry(request: HttpRequest) -> Organisation:
    found = _ministry(request)
    assert found is not None
    return found


def _actor(request: HttpRequest) -> Actor:
    return Actor.from_request(request)


def _filtered(rows: QuerySet[Any], form: forms.FilterForm, *, level: bool = True) -> QuerySet[Any]:
    if not form.is_valid():
        return rows.filter(ended_on__isnull=True)
    data = form.cleaned_data
    if not data["ended"]:
        rows = rows.filter(ended_on__isnull=True)
    if level and data["level"]:
        rows = rows.filter(level=data["level"])
    if data["q"]:
        for word in data["q"].split()[:5]:
            rows = rows.filter(
                Q(person__first_name__icontains=word) | Q(person__last_name__icontains=word)
            )
    return rows


@requires(selectors.has_person)
def register(request: HttpRequest) -> HttpResponse:
    """The ministry's register: reminders, authorisations, clearances and declarations. A
    reader who serves several ministries (DSS's team) first sees the overview: each
    ministry with counts of what is due, no names (no read), and chooses one."""
    ministry = _ministry(request, choose=True)
    user = request.user
    today = timezone.localdate()
    if ministry is None:
        return render(
            request,
            "security/overview.html",
            {"rows": selectors.overview(user, today), "today": today},
        )
    filters = forms.FilterForm(request.GET or None)
    page = request.GET.get("side", "1")
    tables = {
        "authorisations": _filtered(
            selectors.authorisations_for(user).filter(ministry=ministry), filters
        ),
        "clearances": _filtered(selectors.clearances_for(user).filter(ministry=ministry), filters),
        "declarations": _filtered(
            selectors.declarations_for(user).filter(ministry=ministry), filters, level=False
        ),
    }
    pages = {name: Paginator(rows, PER_PAGE).get_page(page) for name, rows in tables.items()}
    reminders = selectors.reminders(user, ministry, today)
    shown = [row for p in pages.values() for row in p.object_list]
    seen = {(type(r), r.pk) for r in shown}
    shown += [
        r
        for r in reminders["clearances"] + reminders["conversations"] + reminders["uncovered"]
        if (type(r), r.pk) not in seen
    ]
    services.record_reads(actor=_actor(request), rows=shown, route=RegisterRead.Route.PAGE)
    return render(
        request,
        "security/register.html",
        {
            "ministry": ministry,
            "ministries": selectors.ministries_for(user).order_by("abbreviation"),
            "filters": filters,
            "pages": pages,
            "reminders": reminders,
            "today": today,
            "may_order": ministry.pk in selectors.ministry_side(user),
            "on_team": selectors.on_team(user, ministry=ministry),
            "end_form": forms.EndForm(initial={"ended_on": today}),
            "notice": _(NOTICE),
        },
    )


def _export(kind: str, name: str, rows: list[dict[str, Any]]) -> HttpResponse:
    """The VF § 72 list's CSV or XLSX from snapshot rows (live or issued: same columns)."""
    headers, lines = archive.table(rows)
    if kind == "csv":
        return exports.csv_response(f"{name}.csv", headers, lines)
    return exports.xlsx_response(f"{name}.xlsx", headers, lines)


@requires(selectors.has_person)
def authorised(request: HttpRequest) -> HttpResponse:
    """The list of authorised people the ministry must keep (VF § 72), and its export."""
    ministry = _one_ministry(request)
    rows = selectors.authorised_list(request.user, ministry, timezone.localdate())
    kind = request.GET.get("format", "")
    route = RegisterRead.Route.EXPORT if kind in EXPORTS else RegisterRead.Route.LIST
    read = [*rows, *(r.clearance for r in rows if r.clearance is not None)]
    services.record_reads(actor=_actor(request), rows=read, route=route)
    if kind in EXPORTS:
        return _export(kind, f"autoriserte-{ministry.abbreviation.lower()}", archive.snapshot(rows))
    return render(
        request,
        "security/authorised.html",
        {
            "ministry": ministry,
            "rows": archive.display(archive.snapshot(rows)),
            "issue_form": forms.IssueForm(),
        },
    )


@requires(selectors.has_person)
@require_POST
def issue(request: HttpRequest) -> HttpResponse:
    """«Utsted og arkiver listen»: snapshot the ministry's VF § 72 list as it is now."""
    ministry = _one_ministry(request)
    back = f"{reverse('security_authorised')}?departement={ministry.abbreviation}"
    form = forms.IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Merknaden kan ha høyst 200 tegn og ingen kontrolltegn."))
        return redirect(back)
    try:
        issued = archive.issue_list(
            actor=_actor(request), ministry=ministry, label=form.cleaned_data["label"]
        )
    except Forbidden:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    text = ngettext(
        "Listen er utstedt og arkivert med %(count)s person.",
        "Listen er utstedt og arkivert med %(count)s personer.",
        issued.row_count,
    )
    messages.success(request, text % {"count": issued.row_count})
    return redirect(f"{reverse('security_issued_lists')}?departement={ministry.abbreviation}")


@requires(selectors.has_person)
def issued_lists(request: HttpRequest) -> HttpResponse:
    """The ministry's issued VF § 72 lists: when, by whom, how many rows, when disposed.
    No names of the people on them: not a read."""
    ministry = _one_ministry(request)
    lists = selectors.issued_lists_for(request.user).filter(ministry=ministry)
    page = Paginator(lists, PER_PAGE).get_page(request.GET.get("side"))
    return render(
        request,
        "security/issued_lists.html",
        {"ministry": ministry, "page": page, "query": f"departement={ministry.abbreviation}"},
    )


@requires(selectors.has_person)
def issued_list(request: HttpRequest, list_id: uuid.UUID) -> HttpResponse:
    """One issued VF § 72 list as it was issued (the snapshot, never recomputed), and its
    export; each view or download is a logged read of everyone on it."""
    issued = get_visible_or_404(selectors.issued_lists_for(request.user), uuid=list_id)
    kind = request.GET.get("format", "")
    route = RegisterRead.Route.EXPORT if kind in EXPORTS else RegisterRead.Route.ISSUED
    services.record_reads(actor=_actor(request), rows=[issued], route=route)
    if kind in EXPORTS:
        issued_on = timezone.localdate(issued.issued_at)
        name = f"autoriserte-{issued.ministry.abbreviation.lower()}-utstedt-{issued_on:%Y-%m-%d}"
        return _export(kind, name, issued.rows)
    return render(
        request,
        "security/issued_list.html",
        {"issued": issued, "ministry": issued.ministry, "rows": archive.display(issued.rows)},
    )


@requires(selectors.has_person)
def add(request: HttpRequest, kind: str) -> HttpResponse:
    """Register an authorisation, a clearance or a declaration."""
    if kind not in KINDS:
        raise Http404
    ministry = _one_ministry(request)
    _model, form_class = KINDS[kind]
    form = form_class(request.POST or None, ministry=ministry)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        writer = {
            "autorisasjon": services.add_authorisation,
            "klarering": services.add_clearance,
            "erklaering": services.add_declaration,
        }[kind]
        try:
            writer(actor=_actor(request), ministry=ministry, **data)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Registrert."))
            return redirect(f"{_register_url()}?departement={ministry.abbreviation}")
    titles = {
        "autorisasjon": _("Ny autorisasjon"),
        "klarering": _("Ny sikkerhetsklarering"),
        "erklaering": _("Ny taushetserklæring"),
    }
    return render(
        request,
        "security/form.html",
        {"ministry": ministry, "form": form, "title": titles[kind], "notice": _(NOTICE)},
    )


def _register_url() -> str:
    return reverse("security_register")


@requires(selectors.has_person)
@require_POST
def end(request: HttpRequest, kind: str, row_id: uuid.UUID) -> HttpResponse:
    """End an authorisation or a clearance."""
    if kind == "autorisasjon":
        row: Any = get_visible_or_404(selectors.authorisations_for(request.user), uuid=row_id)
        writer: Any = services.end_authorisation
    elif kind == "klarering":
        row = get_visible_or_404(selectors.clearances_for(request.user), uuid=row_id)
        writer = services.end_clearance
    else:
        raise Http404
    form = forms.EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Velg en gyldig dato for avslutningen."))
    else:
        try:
            writer(actor=_actor(request), row=row, ended_on=form.cleaned_data["ended_on"])
        except Forbidden:
            raise
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Avsluttet."))
    return redirect(f"{_register_url()}?departement={row.ministry.abbreviation}")


@requires(selectors.has_person)
@require_POST
def conversation(request: HttpRequest, row_id: uuid.UUID) -> HttpResponse:
    """Record that an authorisation conversation was held: its reminder clears."""
    row = get_visible_or_404(selectors.authorisations_for(request.user), uuid=row_id)
    form = forms.ConversationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Velg en gyldig dato for samtalen."))
    else:
        try:
            services.record_conversation(
                actor=_actor(request), row=row, held_on=form.cleaned_data["held_on"]
            )
        except Forbidden:
            raise
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Autorisasjonssamtalen er registrert."))
    return redirect(f"{_register_url()}?departement={row.ministry.abbreviation}")


@requires(selectors.has_person)
@require_POST
def prepare(request: HttpRequest, clearance_id: uuid.UUID) -> HttpResponse:
    """Start re-clearance from the reminder: the clearance's draft order (made if needed)."""
    clearance = get_visible_or_404(selectors.clearances_for(request.user), uuid=clearance_id)
    try:
        renewal = workflow.prepare_reclearance(actor=_actor(request), clearance=clearance)
    except Forbidden:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(f"{_register_url()}?departement={clearance.ministry.abbreviation}")
    return redirect("security_reclearance", renewal_id=renewal.uuid)


@requires(selectors.has_person)
def reclearance(request: HttpRequest, renewal_id: uuid.UUID) -> HttpResponse:
    """The re-clearance draft: the coordinator reviews it and places the order."""
    renewal = get_visible_or_404(selectors.reclearances_for(request.user), uuid=renewal_id)
    services.record_reads(
        actor=_actor(request), rows=[renewal.clearance], route=RegisterRead.Route.FORM
    )
    initial = {
        "justification": _("Fornyelse: gjeldende klarering utløper %(date)s.")
        % {"date": renewal.clearance.expires_on.strftime("%d.%m.%Y")}
    }
    form = forms.ReclearanceForm(request.POST or None, initial=initial)
    if request.method == "POST" and renewal.state == renewal.State.DRAFT and form.is_valid():
        try:
            order = workflow.order_reclearance(
                actor=_actor(request),
                reclearance=renewal,
                justification=form.cleaned_data["justification"],
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Bestillingen av ny klarering er sendt."))
            return redirect("order", order_id=order.uuid)
    return render(
        request,
        "security/reclearance.html",
        {
            "renewal": renewal,
            "clearance": renewal.clearance,
            "form": form,
            "may_order": renewal.ministry_id in selectors.ministry_side(request.user),
            "notice": _(NOTICE),
        },
    )


@requires(selectors.has_person)
def decision(request: HttpRequest, renewal_id: uuid.UUID) -> HttpResponse:
    """DSS's team records the authority's decision: the new clearance, the order resolved."""
    renewal = get_visible_or_404(selectors.reclearances_for(request.user), uuid=renewal_id)
    old = renewal.clearance
    services.record_reads(actor=_actor(request), rows=[old], route=RegisterRead.Route.FORM)
    form = forms.ClearanceForm(request.POST or None, initial={"level": old.level})
    if request.method == "POST" and form.is_valid():
        try:
            workflow.record_decision(
                actor=_actor(request), reclearance=renewal, **form.cleaned_data
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Vedtaket er registrert og bestillingen er levert."))
            return redirect(f"{_register_url()}?departement={renewal.ministry.abbreviation}")
    return render(
        request,
        "security/decision.html",
        {
            "renewal": renewal,
            "clearance": old,
            "form": form,
            "on_team": selectors.on_team(request.user, ministry=renewal.ministry),
            "decidable": renewal.decidable,
        },
    )


@requires(selectors.sees_logs)
def reads(request: HttpRequest) -> HttpResponse:
    """Who read which register rows (the ministry's coordinators and leader, the auditor)."""
    rows = Paginator(selectors.reads_for(request.user), PER_PAGE).get_page(request.GET.get("side"))
    return render(request, "security/reads.html", {"page": rows})


@requires(selectors.sees_logs)
def disposal(request: HttpRequest) -> HttpResponse:
    """The discard register (VF § 78 (5)) and the dry run: what the next run disposes."""
    today = timezone.localdate()
    plan = workflow.disposal_plan(today, selectors.log_reach(request.user))
    names = dict(
        Organisation.objects.filter(pk__in={e["ministry_id"] for e in plan}).values_list(
            "pk", "abbreviation"
        )
    )
    for entry in plan:
        entry["ministry"] = names.get(entry["ministry_id"], "")
        entry["kind_label"] = RegisterRead.Kind(entry["kind"]).label
    log = Paginator(selectors.disposals_for(request.user), PER_PAGE).get_page(
        request.GET.get("side")
    )
    return render(request, "security/disposal.html", {"plan": plan, "log": log, "today": today})
