from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from felles.organisations.models import Organisation


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "class": "ds-input"})


def _provider_field() -> forms.ModelChoiceField:
    """The providers the user bills for (the view passes them in)."""
    return forms.ModelChoiceField(
        label="Leverandør",
        queryset=Organisation.objects.none(),
        to_field_name="abbreviation",
        widget=forms.Select(attrs={"class": "ds-input"}),
    )


class RunForm(forms.Form):
    provider = _provider_field()
    period_start = forms.DateField(label="Periode fra", widget=_date_input())
    period_end = forms.DateField(label="Periode til", widget=_date_input())

    def __init__(self, *args: Any, providers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Organisation.objects.filter(pk__in=providers)  # type: ignore[attr-defined]
        last_month_end = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
        self.fields["period_start"].initial = last_month_end.replace(day=1)
        self.fields["period_end"].initial = last_month_end


class UsageImportForm(forms.Form):
    provider = _provider_field()
    file = forms.FileField(
        label="Fil (CSV eller XLSX)",
        help_text="Første rad er overskrifter.",
        widget=forms.ClearableFileInput(
            attrs={
                "class": "ds-input",
                "accept": ".csv,.xlsx,text/csv,application/vnd."
                "openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )

    def __init__(self, *args: Any, providers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Organisation.objects.filter(pk__in=providers)  # type: ignore[attr-defined]


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label="Hva er feil på linjen?",
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "ds-input", "rows": 3}),
    )


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(
        label="Svar",
        choices=[("accept", "Godta og krediter linjen"), ("reject", "Avvis")],
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(
        label="Begrunnelse",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"class": "ds-input", "rows": 3}),
    )


class CreditForm(forms.Form):
    reason = forms.CharField(
        label="Hvorfor krediteres fakturaen?",
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "ds-input", "rows": 3}),
    )
