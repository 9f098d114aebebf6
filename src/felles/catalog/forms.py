from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from felles.catalog import selectors
from felles.catalog.models import ApprovalPolicy, Service, ServiceArea
from felles.catalog.services import LEVEL_TARGETS, SERVICE_FIELDS
from felles.core.locale import localized
from felles.organisations.models import Organisation


class CatalogueFilterForm(forms.Form):
    """The catalogue's search and filters (GET parameters, so a filtered list is a link)."""

    q = forms.CharField(
        label=_("Søk i tjenestene"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "class": "ds-input",
                "type": "search",
                "placeholder": _("F.eks. møterom, rekruttering, mobil"),
            }
        ),
    )
    omrade = forms.ChoiceField(label=_("Område"), required=False)
    leverandor = forms.ChoiceField(label=_("Leverandør"), required=False)
    finansiering = forms.ChoiceField(
        label=_("Pris for departementet"),
        required=False,
        choices=[
            ("", _("Alle")),
            (selectors.INCLUDED, _("Inkludert")),
            (selectors.PAID, _("Betales per bestilling")),
        ],
    )
    godkjenning = forms.ChoiceField(
        label=_("Godkjenning"),
        required=False,
        choices=[
            ("", _("Alle")),
            (selectors.APPROVAL_YES, _("Må godkjennes")),
            (selectors.APPROVAL_NO, _("Uten godkjenning")),
        ],
    )

    def __init__(
        self,
        *args: Any,
        areas: list[ServiceArea],
        providers: list[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["omrade"]
        assert isinstance(area, forms.ChoiceField)
        area.choices = [("", _("Alle områder"))] + [(a.code, localized(a, "name")) for a in areas]
        provider = self.fields["leverandor"]
        assert isinstance(provider, forms.ChoiceField)
        provider.choices = [("", _("Alle leverandører"))] + [
            (p.abbreviation, p.abbreviation) for p in providers
        ]
        for name, field in self.fields.items():
            if name != "q":
                field.widget.attrs["class"] = "ds-input"

    def value(self, name: str) -> str:
        return str(self.cleaned_data.get(name) or "") if self.is_valid() else ""

    @property
    def filtered(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = list(SERVICE_FIELDS)
        widgets = {
            "description_nb": forms.Textarea(attrs={"rows": 4}),
            "approval_policy": forms.Select(choices=ApprovalPolicy.choices),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "ds-input"
            # A required choice has no empty «---------» entry: the service has a value.
            if isinstance(field, forms.ModelChoiceField):
                if field.required:
                    field.empty_label = None
            elif isinstance(field, forms.ChoiceField) and field.required:
                field.choices = [c for c in field.choices if c[0] not in ("", None)]


class PriceForm(forms.Form):
    valid_from = forms.DateField(
        label=_("Gyldig fra"), widget=forms.DateInput(attrs={"type": "date", "class": "ds-input"})
    )
    unit_price = forms.DecimalField(
        label=_("Pris per enhet (kr)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "ds-input", "step": "0.01"}),
    )
    basis = forms.CharField(
        label=_("Beregningsgrunnlag"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "ds-input"}),
    )


def _hours(label: str) -> forms.DecimalField:
    # Bounds and order are the service's (`services.level_errors`): one place, one message.
    return forms.DecimalField(
        label=label,
        max_digits=6,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "ds-input", "step": "0.25", "min": "0"}),
    )


class ServiceLevelForm(forms.Form):
    """A new service level from a date: targets in business hours per priority, opening
    hours and the work process as the customer reads it."""

    valid_from = forms.DateField(
        label=_("Gyldig fra"), widget=forms.DateInput(attrs={"type": "date", "class": "ds-input"})
    )
    low_response = _hours(_("Lav: første svar (timer)"))
    low_resolution = _hours(_("Lav: løst innen (timer)"))
    normal_response = _hours(_("Normal: første svar (timer)"))
    normal_resolution = _hours(_("Normal: løst innen (timer)"))
    high_response = _hours(_("Høy: første svar (timer)"))
    high_resolution = _hours(_("Høy: løst innen (timer)"))
    critical_response = _hours(_("Kritisk: første svar (timer)"))
    critical_resolution = _hours(_("Kritisk: løst innen (timer)"))
    opening_hours = forms.CharField(
        label=_("Åpningstid"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "ds-input"}),
    )
    opening_hours_en = forms.CharField(
        label=_("Åpningstid på engelsk (valgfritt; ellers vises bokmål)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "ds-input", "lang": "en"}),
    )
    work_process = forms.CharField(
        label=_("Arbeidsprosess (ett steg per linje, skrevet for kunden)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5, "class": "ds-input"}),
    )
    work_process_en = forms.CharField(
        label=_("Arbeidsprosess på engelsk (valgfritt; ellers vises bokmål)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5, "class": "ds-input", "lang": "en"}),
    )
    basis = forms.CharField(
        label=_("Grunnlag for målene"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "ds-input"}),
    )

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "valid_from": data["valid_from"],
            "targets": {name: data.get(name) for name in LEVEL_TARGETS},
            "opening_hours": data["opening_hours"],
            "work_process": data.get("work_process", ""),
            "opening_hours_en": data.get("opening_hours_en", ""),
            "work_process_en": data.get("work_process_en", ""),
            "basis": data.get("basis", ""),
        }
