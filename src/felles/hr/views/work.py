"""Recruitment (key dates, Jobbnorge reference, time to hire) and the salary-change
message to DFØ."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from felles.core.actor import Actor
from felles.core.forms import add_service_errors
from felles.core.permissions import authenticated, get_visible_or_404, requires
from felles.core.services import ServiceError
from felles.hr import forms, hiring, selectors, services
from felles.hr.models import Recruitment, SalaryChange
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Person


@requires(authenticated)
def recruitments(request: HttpRequest) -> HttpResponse:
    orders = list(hiring.recruitment_orders(request.user)[:200])
    records = hiring.records_for(orders)
    rows = [(o, records.get(o.pk)) for o in orders]
    return render(
        request,
        "hr/recruitments.html",
        {
            "rows": [(o, r, hiring.days_to_hire(r) if r else None) for o, r in rows],
            "times": hiring.time_to_hire(request.user)
            if selectors.may_see_statistics(request.user)
            else [],
        },
    )


@requires(authenticated)
def recruitment(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    order = get_visible_or_404(hiring.recruitment_orders(request.user), uuid=order_id)
    record = Recruitment.objects.filter(order=order).first()
    may_edit = services.handles(request.user, order)
    initial = {f: getattr(record, f) for f in services.RECRUITMENT_FIELDS} if record else {}
    form = forms.RecruitmentForm(request.POST or None, initial=initial) if may_edit else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.save_recruitment(
                actor=Actor.from_request(request), order=order, values=form.cleaned_data
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Rekrutteringen er lagret."))
            return redirect("hr-recruitment", order_id=order.uuid)
    return render(
        request,
        "hr/recruitment.html",
        {
            "order": order,
            "record": record,
            "days": hiring.days_to_hire(record) if record else None,
            "form": form,
        },
        status=422 if form is not None and form.errors else 200,
    )


def _people(request: HttpRequest):  # type: ignore[no-untyped-def]
    person = org_selectors.person_for(request.user)
    if person is None:
        return Person.objects.none()
    return Person.objects.filter(organisation_id=person.organisation_id, active=True).order_by(
        "last_name", "first_name"
    )


@requires(authenticated)
def salary_changes(request: HttpRequest) -> HttpResponse:
    person = org_selectors.person_for(request.user)
    may_send = person is not None and any(
        org_selectors.access_for(request.user).has_role(r, person.organisation_id)
        for r in selectors.READERS
    )
    form = (
        forms.SalaryChangeForm(request.POST or None, people=_people(request)) if may_send else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            change = services.send_salary_change(
                actor=Actor.from_request(request),
                orderer=person,
                **form.cleaned_data,
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Lønnsendringen er sendt som bestilling %(number)s.")
                % {"number": change.order.number},
            )
            return redirect("hr-salary-change", change_id=change.uuid)
    changes = SalaryChange.objects.visible_to(request.user).select_related(
        "order", "order__ministry", "order__beneficiary"
    )[:200]
    return render(
        request,
        "hr/salary_changes.html",
        {"form": form, "changes": changes},
        status=422 if form is not None and form.errors else 200,
    )


@requires(authenticated)
def salary_change(request: HttpRequest, change_id: uuid.UUID) -> HttpResponse:
    change = get_visible_or_404(
        SalaryChange.objects.visible_to(request.user).select_related(
            "order", "order__service", "order__ministry", "order__beneficiary"
        ),
        uuid=change_id,
    )
    may_edit = services.handles(request.user, change.order)
    initial = {"dfo_reference": change.dfo_reference, "sent_on": change.sent_on}
    form = forms.DfoReferenceForm(request.POST or None, initial=initial) if may_edit else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.record_dfo_reference(
                actor=Actor.from_request(request),
                change=change,
                reference=form.cleaned_data["dfo_reference"],
                sent_on=form.cleaned_data["sent_on"],
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("DFØ-saksnummeret er lagret."))
            return redirect("hr-salary-change", change_id=change.uuid)
    return render(
        request,
        "hr/salary_change.html",
        {"change": change, "form": form},
        status=422 if form is not None and form.errors else 200,
    )
