"""Organisation, people and import pages."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from felles.core import formatting, imports
from felles.core.actor import Actor
from felles.core.exports import xlsx_response
from felles.core.forms import add_service_errors
from felles.core.imports import Background, ImportFlow
from felles.core.listing import paginate
from felles.core.permissions import authenticated, get_visible_or_404, requires
from felles.core.services import ServiceError
from felles.organisations import events, importing, selectors, services
from felles.organisations.forms import AbsenceForm, ImportForm, PeopleFilterForm, RoleForm
from felles.organisations.models import PROVIDER_ROLES, RoleAssignment


@requires(authenticated)
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisations_for(request.user)
    return render(
        request,
        "organisations/organisation_list.html",
        {"ministries": organisations.customers(), "providers": organisations.providers()},
    )


@requires(authenticated)
def organisation_detail(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    organisation = get_visible_or_404(
        selectors.organisations_for(request.user), uuid=organisation_id
    )
    visible_ids = selectors.visible_organisation_ids(request.user)
    may_see_inside = visible_ids is None or organisation.pk in visible_ids
    context = {
        "organisation": organisation,
        "may_see_inside": may_see_inside,
        "sections": events.organisation_sections(user=request.user, organisation=organisation),
    }
    if may_see_inside:
        context["tree"] = selectors.unit_tree(organisation)
        context["people_count"] = organisation.people.filter(active=True).count()
    return render(request, "organisations/organisation_detail.html", context)


@requires(authenticated)
def people_list(request: HttpRequest) -> HttpResponse:
    visible_orgs = selectors.organisations_for(request.user)
    ids = selectors.visible_organisation_ids(request.user)
    if ids is not None:
        visible_orgs = visible_orgs.filter(pk__in=ids)
    form = PeopleFilterForm(request.GET or None, organisations=visible_orgs)
    filters = form.cleaned_data if form.is_valid() else {}
    people = selectors.filter_people(
        selectors.people_for(request.user),
        organisation=filters.get("organisation"),
        role=filters.get("role"),
        q=filters.get("q"),
        manager=request.GET.get("leder"),
    )
    sort = request.GET.get("sorter", "navn")
    people = people.order_by(
        *{
            "navn": ("last_name", "first_name"),
            "organisasjon": ("organisation__abbreviation", "last_name"),
            "enhet": ("unit__name", "last_name"),
        }.get(sort, ("last_name",))
    )
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            "personer.xlsx",
            [
                _("Etternavn"),
                _("Fornavn"),
                _("E-post"),
                _("Organisasjon"),
                _("Enhet"),
                _("Stilling"),
                _("Nærmeste leder"),
                _("Ansattnummer"),
            ],
            (
                [
                    p.last_name,
                    p.first_name,
                    p.email,
                    p.organisation.abbreviation,
                    p.unit.name if p.unit else "",
                    p.title,
                    p.line_manager.full_name if p.line_manager else "",
                    p.employee_number,
                ]
                for p in people.iterator(chunk_size=500)
            ),
        )
    template = (
        "organisations/_people_table.html" if request.htmx else "organisations/people_list.html"
    )
    return render(request, template, {"form": form, "sort": sort, **paginate(request, people)})


@requires(authenticated)
def person_detail(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person = get_visible_or_404(selectors.people_for(request.user), uuid=person_id)
    may_manage = selectors.can_manage_absences_of(request.user, person)
    form = AbsenceForm(person=person) if may_manage else None
    if request.method == "POST":
        # The service decides who may register: a refusal is the 403 page.
        form = AbsenceForm(request.POST, person=person)
        if form.is_valid():
            try:
                services.register_absence(
                    actor=Actor.from_request(request), person=person, **form.cleaned_data
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Fraværet er registrert."))
                return redirect("person", person_id=person.uuid)
    absences = selectors.absences_for(request.user).filter(person=person)
    return render(
        request,
        "organisations/person_detail.html",
        {
            "person": person,
            "form": form,
            "may_manage": may_manage,
            "absences": absences,
            "roles": person.roles.select_related("organisation"),
            "role_form": RoleForm() if selectors.is_administrator(request.user) else None,
            "reports": person.reports.filter(active=True),
        },
        status=422 if form is not None and form.errors else 200,
    )


@require_POST
@requires(authenticated)
def absence_cancel(request: HttpRequest, absence_id: uuid.UUID) -> HttpResponse:
    absence = get_visible_or_404(selectors.absences_for(request.user), uuid=absence_id)
    services.cancel_absence(actor=Actor.from_request(request), absence=absence)
    messages.success(request, _("Fraværet er slettet."))
    return redirect("person", person_id=absence.person.uuid)


@require_POST
@requires(selectors.is_administrator)
def role_add(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Administrators give a person a role in the person's own organisation."""
    person = get_visible_or_404(selectors.people_for(request.user), uuid=person_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Velg en gyldig rolle."))
        return redirect("person", person_id=person.uuid)
    role = form.cleaned_data["role"]
    served = form.cleaned_data["served"] if role in PROVIDER_ROLES else []
    services.assign_role(
        actor=Actor.from_request(request),
        person=person,
        role=role,
        organisation=person.organisation,
        served=served,
    )
    messages.success(request, _("Rollen er lagt til."))
    return redirect("person", person_id=person.uuid)


@require_POST
@requires(selectors.is_administrator)
def role_remove(request: HttpRequest, role_id: uuid.UUID) -> HttpResponse:
    people = selectors.people_for(request.user)
    assignment = get_visible_or_404(
        RoleAssignment.objects.filter(person__in=people).select_related("person"), uuid=role_id
    )
    services.remove_role(actor=Actor.from_request(request), assignment=assignment)
    messages.success(request, _("Rollen er fjernet."))
    return redirect("person", person_id=assignment.person.uuid)


# --- Import -----------------------------------------------------------------------------

IMPORT_SESSION_KEY = "felles_pending_imports"


@requires(selectors.is_administrator)
def import_people(request: HttpRequest) -> HttpResponse:
    """Units or people from an HR export: dry run, then confirm (`core.imports`)."""
    actor = Actor.from_request(request)
    return ImportFlow(
        session_key=IMPORT_SESSION_KEY,
        template="organisations/import.html",
        url_name="import",
        make_form=ImportForm,
        plan_upload=lambda data, content, name: importing.plan_import(
            data["kind"], data["organisation"], content, name
        ),
        stash_meta=lambda plan: {"kind": plan.kind, "organisation": plan.organisation.pk},
        plan_stashed=lambda meta, content: importing.plan_import(
            meta["kind"],
            selectors.organisations_for(request.user).get(pk=meta["organisation"]),
            content,
            meta["filename"],
        ),
        apply=lambda plan: importing.apply_plan(actor=actor, plan=plan),
        done_message=lambda plan: (
            _("Importert: %(created)s nye, %(updated)s endret, %(unchanged)s uendret.")
            % {
                "created": formatting.number(plan.creates),
                "updated": formatting.number(plan.updates),
                "unchanged": formatting.number(plan.unchanged),
            }
        ),
        background=Background(
            name="organisations", job_url_name="import_job", rows=lambda plan: len(plan.rows)
        ),
    ).handle(request)


@requires(selectors.is_administrator)
def import_job(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """A background import's progress, then its result (`core.imports.job_page`)."""
    return imports.job_page(
        request,
        job_id,
        "organisations",
        "organisations/import_job.html",
        "organisations/_import_job.html",
    )
