"""The read log of restricted orders, searched by the auditor (issue 18)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from felles.core.exports import xlsx_response
from felles.core.listing import paginate
from felles.core.permissions import requires
from felles.orders import selectors
from felles.orders.models import OrderRead

ROUTE_CHOICES = [("", _("Alle")), *OrderRead.Route.choices]


class ReadLogFilterForm(forms.Form):
    number = forms.CharField(label=_("Bestillingsnummer"), max_length=20, required=False)
    reader = forms.CharField(label=_("Hvem leste"), max_length=100, required=False)
    route = forms.ChoiceField(label=_("Hvor"), choices=ROUTE_CHOICES, required=False)
    since = forms.DateField(
        label=_("Fra og med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Til og med"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@requires(selectors.may_search_read_log)
def read_log(request: HttpRequest) -> HttpResponse:
    """Who read which restricted order, when and how: searchable, newest first."""
    form = ReadLogFilterForm(request.GET or None)
    reads = selectors.search_read_log()
    if form.is_valid():
        reads = selectors.search_read_log(**form.cleaned_data)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            "leselogg.xlsx",
            [str(_("Tidspunkt")), str(_("Bestilling")), str(_("Hvem")), str(_("Hvor"))],
            (
                [
                    r.read_at,
                    r.order.number,
                    r.person.full_name if r.person else r.reader,
                    r.get_route_display(),
                ]
                for r in reads[:10000]
            ),
        )
    context = {"form": form, **paginate(request, reads)}
    return render(request, "orders/read_log.html", context, status=422 if form.errors else 200)
