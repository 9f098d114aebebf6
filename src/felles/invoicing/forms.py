from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from felles.invoicing.ehf import illegal_text_error
from felles.organisations.models import Organisation


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "class": "ds-input"})


def _provider_field() -> forms.ModelChoiceField:
    """The providers the user bills for (the view passes them in)."""
    return forms.ModelChoiceField(
        label=_("Leverandør"),
        queryset=Organisation.objects.none(),
        to_field_name="abbreviation",
        widget=forms.Select(attrs={"class": "ds-input"}),
    )


class RunForm(forms.Form):
    provider = _provider_field()
    period_start = forms.DateField(label=_("Periode fra"), widget=_date_input())
    period_end = forms.DateField(label=_("Periode til"), widget=_date_input())

    def __init__(self, *args: Any, providers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Organisation.objects.filter(pk__in=providers)  # type: ignore[attr-defined]
        last_month_end = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
        self.fields["period_start"].initial = last_month_end.replace(day=1)
        self.fields["period_end"].initial = last_month_end


class UsageImportForm(forms.Form):
    provider = _provider_field()
    file = forms.FileField(
        label=_("Fil (CSV eller XLSX)"),
        help_text=_("Første rad er overskrifter."),
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
        label=_("Hva er feil på linjen?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "ds-input", "rows": 3}),
    )


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Svar"),
        choices=[("accept", _("Godta og krediter linjen")), ("reject", _("Avvis"))],
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(
        label=_("Begrunnelse"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"class": "ds-input", "rows": 3}),
    )


class CreditForm(forms.Form):
    reason = forms.CharField(
        label=_("Hvorfor krediteres fakturaen?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "ds-input", "rows": 3}),
    )


def _no_illegal_characters(value: str) -> None:
    error = illegal_text_error(value)
    if error is not None:
        raise ValidationError(f"{error} {gettext('Fjern det.')}")


def _reference_field(label: Any, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=100,
        required=False,
        validators=[_no_illegal_characters],
        widget=forms.TextInput(attrs={"class": "ds-input"}),
    )


class UsageCorrectionForm(forms.Form):
    """The texts of a usage row that go into EHF (a control character from an old order or
    import cannot). Prefilled with the stored text, bad characters replaced by a space."""

    buyer_reference = _reference_field(_("Kjøpers referanse (kostnadssted)"))
    external_reference = _reference_field(
        _("Ekstern referanse"), _("F.eks. underleverandørens fakturanummer.")
    )
    # Only rows of the same ministry whose text holds the same character EHF cannot carry
    # (`services.same_text_rows`); the page shows how many.
    same_value = forms.BooleanField(
        label=_(
            "Rett også de andre forbruksradene til departementet i kjøringen som har samme "
            "ugyldige tekst"
        ),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "ds-input"}),
    )
