"""The agreement pages' forms: a new draft, a service with its volume and targets, and
the steps (send, accept, return, end, new version)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from felles.agreements import rules
from felles.catalog.models import Priority, Service
from felles.core.locale import localized
from felles.organisations.forms import PersonChoiceField
from felles.organisations.models import Organisation, Person, Role

INPUT = {"class": "ds-input"}
HOURS = {"max_digits": 6, "decimal_places": 2, "min_value": Decimal("0.01")}


def _date(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date", **INPUT}), **kwargs
    )


class MinistryField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.abbreviation} – {localized(obj, 'name')}"


class ServiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return localized(obj, "name")


class AgreementForm(forms.Form):
    ministry = MinistryField(
        queryset=Organisation.objects.none(),
        label=_("Departement"),
        widget=forms.Select(attrs=INPUT),
    )
    valid_from = _date(_("Gyldig fra"))
    valid_to = _date(_("Gyldig til"), required=False, help_text=_("Tom: løpende."))
    min_compliance = forms.IntegerField(
        label=_("Avtalt etterlevelse (%)"),
        min_value=1,
        max_value=100,
        initial=90,
        widget=forms.NumberInput(attrs=INPUT),
        help_text=_("Andelen bestillinger som skal løses innen avtalt tid."),
    )
    provider_contact = PersonChoiceField(
        queryset=Person.objects.none(),
        label=_("Kontaktperson hos leverandøren"),
        required=False,
        widget=forms.Select(attrs=INPUT),
    )
    ministry_contact = PersonChoiceField(
        queryset=Person.objects.none(),
        label=_("Kontaktperson i departementet"),
        required=False,
        widget=forms.Select(attrs=INPUT),
    )
    notes = forms.CharField(
        label=_("Særskilte ordninger"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={**INPUT, "rows": 4}),
    )

    def __init__(self, *args: Any, provider: Organisation, ministries: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["ministry"].queryset = ministries  # type: ignore[attr-defined]
        # Contacts are those who hold the relationship: the provider's managers and customer
        # contacts, the ministries' ordering coordinators (not every employee).
        people = Person.objects.filter(active=True).select_related("organisation", "unit")
        self.fields["provider_contact"].queryset = people.filter(  # type: ignore[attr-defined]
            organisation=provider,
            roles__role__in=[Role.PROVIDER_MANAGER, Role.CUSTOMER_CONTACT],
        ).distinct()
        self.fields["ministry_contact"].queryset = people.filter(  # type: ignore[attr-defined]
            organisation__in=ministries, roles__role=Role.ORDERING_COORDINATOR
        ).distinct()


class LineForm(forms.Form):
    """A service in the agreement: volume, note and (optionally) targets per priority."""

    service = ServiceField(
        queryset=Service.objects.none(), label=_("Tjeneste"), widget=forms.Select(attrs=INPUT)
    )
    volume = forms.IntegerField(
        label=_("Avtalt volum"),
        required=False,
        min_value=0,
        max_value=10_000_000,
        widget=forms.NumberInput(attrs=INPUT),
    )
    note = forms.CharField(
        label=_("Merknad"), required=False, max_length=300, widget=forms.TextInput(attrs=INPUT)
    )

    def __init__(self, *args: Any, provider_id: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.filter(  # type: ignore[attr-defined]
            provider_id=provider_id
        ).order_by("name_nb")
        for value, label in Priority.choices:
            self.fields[f"{value}_response"] = forms.DecimalField(
                label=_("%(priority)s: svartid (timer)") % {"priority": label},
                required=False,
                widget=forms.NumberInput(attrs={**INPUT, "step": "0.25"}),
                **HOURS,
            )
            self.fields[f"{value}_resolution"] = forms.DecimalField(
                label=_("%(priority)s: løsningstid (timer)") % {"priority": label},
                required=False,
                widget=forms.NumberInput(attrs={**INPUT, "step": "0.25"}),
                **HOURS,
            )

    def priority_fields(self) -> list[tuple[Any, Any]]:
        return [(self[f"{v}_response"], self[f"{v}_resolution"]) for v in Priority.values]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for value in Priority.values:
            response, resolution = data.get(f"{value}_response"), data.get(f"{value}_resolution")
            if (response is None) != (resolution is None):
                self.add_error(
                    f"{value}_resolution" if resolution is None else f"{value}_response",
                    _("Fyll ut både svartid og løsningstid, eller ingen av dem."),
                )
        return data

    def targets(self) -> dict[str, rules.Targets]:
        data = self.cleaned_data
        return {
            value: rules.Targets(data[f"{value}_response"], data[f"{value}_resolution"])
            for value in Priority.values
            if data.get(f"{value}_response") is not None
            and data.get(f"{value}_resolution") is not None
        }


STEPS = {
    "send": _("Send til departementet"),
    "accept": _("Godta avtalen"),
    "return": _("Send tilbake til utkast"),
    "end": _("Avslutt avtalen"),
    "new_version": _("Lag ny versjon"),
}


class StepForm(forms.Form):
    step = forms.ChoiceField(choices=list(STEPS.items()), widget=forms.HiddenInput)
    day = _date(_("Dato"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("step") in {"end", "new_version"} and not data.get("day"):
            self.add_error(
                "day",
                _("Velg siste dag.") if data["step"] == "end" else _("Velg første dag."),
            )
        return data
