"""Forms for archive work. Every text is checked for control characters and every date
for its range by core.forms; the services check everything again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from felles.records.models import (
    TEXT_MAX,
    TITLE_MAX,
    ArchiveJob,
    ArchivePeriod,
    InspectionFinding,
    RetentionDecision,
    SpotCheckItem,
)
from felles.records.services.jobs import PERIOD_MAX, PERIOD_MIN, PERIOD_RANGE_MESSAGE

INPUT = {"class": "ds-input"}
DATE = forms.DateInput(attrs={**INPUT, "type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={**INPUT, "rows": 3})


def _text(label: Any, *, required: bool = True, limit: int = TITLE_MAX, area: bool = False):
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        widget=TEXTAREA if area else forms.TextInput(attrs=INPUT),
    )


def _date(label: Any, *, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE)


class PeriodDateField(forms.DateField):
    """A date of an archive period: 1800–2100 (old paper archives), not Felles's usual
    2000–2100."""

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)
        if isinstance(value, dt.date) and not PERIOD_MIN <= value <= PERIOD_MAX:
            raise ValidationError(PERIOD_RANGE_MESSAGE, code="date_range")


class JobForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type oppdrag"), choices=ArchiveJob.Kind.choices, widget=forms.Select(attrs=INPUT)
    )
    title = _text(_("Tittel"))
    period = forms.ModelChoiceField(
        label=_("Arkivperiode"),
        queryset=ArchivePeriod.objects.none(),
        required=False,
        widget=forms.Select(attrs=INPUT),
    )
    planned_start = _date(_("Planlagt start"))
    planned_end = _date(_("Planlagt ferdig"))
    actual_start = _date(_("Faktisk start"))
    actual_end = _date(_("Faktisk ferdig"))
    shelf_metres = forms.DecimalField(
        label=_("Hyllemeter"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=1,
        widget=forms.NumberInput(attrs={**INPUT, "step": "0.1"}),
    )
    record_count = forms.IntegerField(
        label=_("Antall saker/dokumenter"),
        required=False,
        min_value=0,
        max_value=2_000_000_000,
        widget=forms.NumberInput(attrs=INPUT),
    )

    def __init__(self, *args: Any, periods: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods


class OpenJobForm(JobForm):
    order = forms.ModelChoiceField(
        label=_("Bestilling"), queryset=None, widget=forms.Select(attrs=INPUT)
    )
    field_order = ["order"]

    def __init__(self, *args: Any, orders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].queryset = orders
        self.fields["order"].label_from_instance = lambda o: str(o)


class ReportForm(forms.Form):
    file = forms.FileField(
        label=_("Testrapport fra Arkade (HTML, PDF eller XML, høyst 10 MB)"),
        widget=forms.ClearableFileInput(
            attrs={**INPUT, "accept": ".html,.htm,.pdf,.xml,text/html,application/pdf,text/xml"}
        ),
    )


class CompleteForm(forms.Form):
    resolution = _text(_("Hva er gjort?"), limit=TEXT_MAX, area=True)


class RetentionForm(forms.Form):
    material = _text(_("Materiale (arkivdel, serie eller klasse)"))
    decision = forms.ChoiceField(
        label=_("Kassasjonsvedtak"),
        choices=RetentionDecision.Decision.choices,
        widget=forms.Select(attrs=INPUT),
    )
    retention_years = forms.IntegerField(
        label=_("Bevaringstid (år)"),
        required=False,
        min_value=0,
        max_value=200,
        widget=forms.NumberInput(attrs=INPUT),
    )
    closed_on = _date(_("Avsluttet"))
    disposal_on = _date(_("Kassasjonsdato (ellers avsluttet + bevaringstid)"))
    basis = _text(_("Kassasjonshjemmel"), required=False)


class DisposalForm(forms.Form):
    decision = forms.ModelChoiceField(
        label=_("Kassasjonsvedtak"), queryset=None, widget=forms.Select(attrs=INPUT)
    )
    description = _text(_("Hva kasseres"))
    volume = _text(_("Omfang"), required=False)

    def __init__(self, *args: Any, decisions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions


class PeriodForm(forms.Form):
    name = _text(_("Navn"))
    system = _text(_("System"))
    starts_on = PeriodDateField(label=_("Fra"), widget=DATE)
    ends_on = PeriodDateField(label=_("Til"), required=False, widget=DATE)
    status = forms.ChoiceField(
        label=_("Status"), choices=ArchivePeriod.Status.choices, widget=forms.Select(attrs=INPUT)
    )


class SpotCheckForm(forms.Form):
    title = _text(_("Tittel"))
    file = forms.FileField(
        label=_("Uttrekk av journalen (CSV eller XLSX)"),
        help_text=_("Én journalpost per rad, med overskrift i første rad."),
        widget=forms.ClearableFileInput(attrs={**INPUT, "accept": ".csv,.xlsx"}),
    )
    seed = forms.IntegerField(
        label=_("Frø (valgfritt)"),
        required=False,
        min_value=0,
        max_value=2**62 - 1,
        help_text=_("Samme fil og samme frø gir samme utvalg. Tomt: Felles velger et frø."),
        widget=forms.NumberInput(attrs=INPUT),
    )


FINDINGS = [c for c in SpotCheckItem.Finding.choices if c[0]]


class ItemFindingForm(forms.Form):
    item = forms.UUIDField(widget=forms.HiddenInput)
    finding = forms.ChoiceField(label=_("Funn"), choices=FINDINGS, widget=forms.Select(attrs=INPUT))
    note = _text(_("Merknad"), required=False, limit=TEXT_MAX)
    action = _text(_("Oppfølging"), required=False, limit=TEXT_MAX)
    action_done = forms.BooleanField(label=_("Oppfølging utført"), required=False)


class InspectionForm(forms.Form):
    title = _text(_("Tittel"))
    authority = _text(_("Tilsynsmyndighet"))
    held_on = _date(_("Tilsynsdato"), required=True)
    response_due = _date(_("Frist for svar"))


class InspectionFindingForm(forms.Form):
    finding = _text(_("Funn"), limit=TEXT_MAX, area=True)
    action = _text(_("Tiltak"), limit=TEXT_MAX, area=True)
    responsible = _text(_("Ansvarlig"), required=False)
    deadline = _date(_("Frist"), required=True)


class FindingStatusForm(forms.Form):
    finding = forms.UUIDField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=InspectionFinding.Status.choices,
        widget=forms.Select(attrs=INPUT),
    )
