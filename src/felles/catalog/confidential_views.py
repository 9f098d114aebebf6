"""A service's confidentiality page for the provider's managers: its class, the reason
shown in the catalogue and its handling team (issue 18). The service
`services.set_confidentiality` decides and audits; visibility reads the current class, so
a change applies to the service's existing orders at once."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.catalog import selectors, services
from felles.catalog.models import Confidentiality, Service
from felles.core.actor import Actor
from felles.core.forms import add_service_errors
from felles.core.permissions import get_visible_or_404, requires
from felles.core.services import ServiceError
from felles.organisations import selectors as org_selectors
from felles.organisations.models import Person, Role

can_maintain = org_selectors.role_rule(Role.PROVIDER_MANAGER, Role.ADMINISTRATOR)


def provider_staff(service: Service) -> QuerySet[Person]:
    """Who may be in the handling team: the provider's active agents and managers."""
    return (
        Person.objects.filter(
            active=True,
            organisation_id=service.provider_id,
            roles__role__in=[Role.PROVIDER_AGENT, Role.PROVIDER_MANAGER],
            roles__organisation_id=service.provider_id,
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


class ConfidentialityForm(forms.Form):
    confidentiality = forms.ChoiceField(
        label=gettext_lazy("Skjerming"),
        choices=Confidentiality.choices,
        help_text=gettext_lazy(
            "Skjermet: bare partene, godkjennerne i bestillingens egen kjede og "
            "saksbehandlerteamet ser bestillingene. Sikkerhet: i tillegg departementets "
            "sikkerhetskoordinatorer."
        ),
    )
    reason_nb = forms.CharField(
        label=gettext_lazy("Begrunnelse (bokmål)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason_en = forms.CharField(
        label=gettext_lazy("Begrunnelse (engelsk)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    team = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Saksbehandlerteam"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Bare disse hos leverandøren ser skjermede bestillinger av tjenesten, og bare for "
            "departementene de betjener."
        ),
    )

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["team"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = provider_staff(service)
        field.label_from_instance = lambda p: p.full_name  # type: ignore[method-assign]


@requires(can_maintain)
def service_confidentiality(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = get_visible_or_404(selectors.managed_services(request.user), uuid=service_id)
    initial = {
        "confidentiality": service.confidentiality,
        "reason_nb": service.confidentiality_reason_nb,
        "reason_en": service.confidentiality_reason_en,
        "team": list(service.handling_team.all()),
    }
    form = ConfidentialityForm(request.POST or None, initial=initial, service=service)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_confidentiality(
                actor=Actor.from_request(request),
                service=service,
                confidentiality=data["confidentiality"],
                reason_nb=data["reason_nb"],
                reason_en=data["reason_en"],
                team=list(data["team"]),
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Skjermingen er lagret."))
            return redirect("service_confidentiality", service_id=service.uuid)
    return render(
        request,
        "catalog/service_confidentiality.html",
        {"service": service, "form": form},
        status=422 if form.errors else 200,
    )
