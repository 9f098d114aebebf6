from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from felles.catalog.models import ServiceArea
from felles.core.locale import localized
from felles.organisations.models import Organisation
from felles.portfolio.models import (
    Benefit,
    Dependency,
    ExternalDate,
    HumpCost,
    Project,
    StaffTransfer,
)

INPUT = {"class": "ds-input"}


class LocalChoiceField(forms.ModelChoiceField):
    """Organisations and areas by their name in the reader's language."""

    def label_from_instance(self, obj: Any) -> str:
        name = localized(obj, "name")
        abbreviation = getattr(obj, "abbreviation", "")
        return f"{abbreviation} – {name}" if abbreviation else name


SCALE = [(i, str(i)) for i in range(1, 6)]


def _scale(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=SCALE, coerce=int, widget=forms.Select(attrs=INPUT)
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=Project.Rag.choices, widget=forms.Select(attrs=INPUT)
    )
    status_reason = forms.CharField(
        label=_("Begrunnelse"),
        required=False,
        help_text=_("Påkrevd for gul og rød."),
        widget=forms.Textarea(attrs={**INPUT, "rows": 2}),
    )


class RiskForm(forms.Form):
    title = forms.CharField(label=_("Risiko"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    likelihood = _scale(_("Sannsynlighet (1–5)"))
    consequence = _scale(_("Konsekvens (1–5)"))
    measures = forms.CharField(
        label=_("Tiltak"), required=False, widget=forms.Textarea(attrs={**INPUT, "rows": 2})
    )
    residual_likelihood = _scale(_("Sannsynlighet etter tiltak"))
    residual_consequence = _scale(_("Konsekvens etter tiltak"))
    review_on = forms.DateField(
        label=_("Neste gjennomgang"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", **INPUT}),
    )


class RealisationForm(forms.Form):
    measured_on = forms.DateField(
        label=_("Målt dato"), widget=forms.DateInput(attrs={"type": "date", **INPUT})
    )
    value = forms.DecimalField(
        label=_("Målt verdi"),
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs=INPUT),
    )


class WeightsForm(forms.Form):
    """One weight per criterion (any positive scale; normalised when ranking)."""

    def __init__(self, *args: Any, criteria: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[criterion.code] = forms.DecimalField(
                label=criterion.name,
                min_value=0,
                max_value=100,
                max_digits=6,
                decimal_places=3,
                initial=criterion.weight,
                widget=forms.NumberInput(attrs={**INPUT, "step": "0.05"}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_bound and not self.errors and sum(v or 0 for v in data.values()) <= 0:
            raise forms.ValidationError(_("Minst én vekt må være større enn null."))
        return data


class BaselineImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil (CSV eller XLSX)"),
        help_text=_(
            "Kolonner: departement; område; måltall (årsverk, kostnad, areal, volum, "
            "kvalitet); navn; enhet; verdi; dato."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                **INPUT,
                "accept": ".csv,.xlsx,text/csv,application/vnd."
                "openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date", **INPUT})
    )


def _amount(label: str, max_digits: int = 16, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=max_digits,
        decimal_places=2,
        widget=forms.NumberInput(attrs={**INPUT, "step": "0.01"}),
        **kwargs,
    )


class MilestoneForm(forms.Form):
    name = forms.CharField(label=_("Milepæl"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    due_on = _date(_("Frist"))


class HumpCostForm(forms.Form):
    year = forms.IntegerField(
        label=_("År"), min_value=2020, max_value=2100, widget=forms.NumberInput(attrs=INPUT)
    )
    kind = forms.ChoiceField(
        label=_("Type"), choices=HumpCost.Kind.choices, widget=forms.Select(attrs=INPUT)
    )
    amount = _amount(_("Beløp (kr)"), max_digits=14, min_value=0)
    note = forms.CharField(
        label=_("Merknad"), max_length=300, required=False, widget=forms.TextInput(attrs=INPUT)
    )


class TransferForm(forms.Form):
    ministry = LocalChoiceField(
        label=_("Fra departement"),
        queryset=Organisation.objects.customers(),
        widget=forms.Select(attrs=INPUT),
    )
    provider = LocalChoiceField(
        label=_("Til leverandør"),
        queryset=Organisation.objects.providers().filter(abbreviation__in=["DSS", "DIO"]),
        widget=forms.Select(attrs=INPUT),
    )
    fte = _amount(_("Årsverk"), max_digits=7, min_value=Decimal("0.01"))
    roles = forms.CharField(
        label=_("Roller"), max_length=300, required=False, widget=forms.TextInput(attrs=INPUT)
    )
    transfer_on = _date(_("Overføres"))
    status = forms.ChoiceField(
        label=_("Status"), choices=StaffTransfer.Status.choices, widget=forms.Select(attrs=INPUT)
    )


class BenefitForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Gevinst"), choices=Benefit.Kind.choices, widget=forms.Select(attrs=INPUT)
    )
    ministry = LocalChoiceField(
        label=_("Departement"),
        queryset=Organisation.objects.customers(),
        widget=forms.Select(attrs=INPUT),
    )
    area = LocalChoiceField(
        label=_("Område"),
        queryset=ServiceArea.objects.all(),
        required=False,
        widget=forms.Select(attrs=INPUT),
    )
    measure = forms.CharField(
        label=_("Måltall"), max_length=200, widget=forms.TextInput(attrs=INPUT)
    )
    baseline_value = _amount(_("Utgangspunkt"))
    target_value = _amount(_("Mål"))
    target_on = _date(_("Innen"))


class DependencyForm(forms.Form):
    on_project = forms.ModelChoiceField(
        label=_("Avhenger av prosjekt"),
        queryset=Project.objects.all(),
        required=False,
        widget=forms.Select(attrs=INPUT),
    )
    on_date = forms.ModelChoiceField(
        label=_("… eller av ekstern dato"),
        queryset=ExternalDate.objects.all(),
        required=False,
        widget=forms.Select(attrs=INPUT),
    )
    kind = forms.ChoiceField(
        label=_("Type"), choices=Dependency.Kind.choices, widget=forms.Select(attrs=INPUT)
    )
    note = forms.CharField(
        label=_("Merknad"), max_length=300, required=False, widget=forms.TextInput(attrs=INPUT)
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("on_project")) == bool(data.get("on_date")):
            raise forms.ValidationError(_("Velg enten et prosjekt eller en ekstern dato."))
        return data


class ExternalDateForm(forms.Form):
    code = forms.SlugField(
        label=_("Kode"),
        max_length=40,
        help_text=_("F.eks. rkv-kud."),
        widget=forms.TextInput(attrs=INPUT),
    )
    name = forms.CharField(label=_("Navn"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    date = _date(_("Dato"))
    organisation = LocalChoiceField(
        label=_("Gjelder departement"),
        queryset=Organisation.objects.customers(),
        required=False,
        widget=forms.Select(attrs=INPUT),
    )
