"""The decision-rights table: everyone reads it; DFD adds rows and edits them one by one."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from felles.core.actor import Actor
from felles.core.forms import add_service_errors
from felles.core.permissions import authenticated, get_visible_or_404, requires
from felles.core.services import ServiceError
from felles.governance import forms, selectors, services
from felles.governance.models import DecisionRight


@requires(authenticated)
def rights(request: HttpRequest) -> HttpResponse:
    """The decision-rights table; DFD adds rows here and edits them one by one."""
    if request.method == "POST":
        return _add_right(request)
    may_edit = selectors.is_governance(request.user)
    return _rights_page(request, forms.NewRightForm() if may_edit else None)


@requires(selectors.is_governance)
def _add_right(request: HttpRequest) -> HttpResponse:
    form = forms.NewRightForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        code = data.pop("code")
        try:
            services.save_decision_right(actor=Actor.from_request(request), code=code, values=data)
        except ServiceError as exc:  # a Forbidden becomes the 403 page
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Fullmakten er lagt til."))
            return redirect("decision_rights")
    return _rights_page(request, form)


def _rights_page(request: HttpRequest, form: forms.NewRightForm | None) -> HttpResponse:
    return render(
        request,
        "governance/rights.html",
        {"rights": selectors.rights(), "may_edit": form is not None, "form": form},
        status=422 if form is not None and form.errors else 200,
    )


@requires(selectors.is_governance)
def right_edit(request: HttpRequest, code: str) -> HttpResponse:
    right = get_visible_or_404(DecisionRight.objects.all(), code=code)
    form = forms.RightForm(request.POST or None, instance=DecisionRight.objects.get(pk=right.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_decision_right(
                actor=Actor.from_request(request),
                code=right.code,
                values=form.cleaned_data,
                right=right,
            )
        except ServiceError as exc:  # a Forbidden becomes the 403 page
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Fullmakten «%(topic)s» er endret.") % {"topic": right.topic}
            )
            return redirect("decision_rights")
    return render(
        request,
        "governance/right_edit.html",
        {"form": form, "right": right},
        status=422 if form.errors else 200,
    )
