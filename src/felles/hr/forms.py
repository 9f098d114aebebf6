"""HR forms: the two imports, the recruitment record and the salary-change message."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from felles.core.validators import check_date_range, check_plain_text
from felles.hr.models import SalaryChange
from felles.orders.fields import DecimalInput, NorwegianDecimalField

INPUT = {"class": "ds-input"}
ACCEPT = ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class StatisticsImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil fra DFØ (CSV eller XLSX)"),
        help_text=_(
            "Langt format, én rad per tall. Kolonner: departement; periode (ÅÅÅÅ, ÅÅÅÅ-MM "
            "eller ÅÅÅÅ-K1); måltall (antall ansatte, årsverk, turnover, sykefravær, alder, "
            "kjønn, deltid); inndeling (tom for i alt); verdi."
        ),
        widget=forms.ClearableFileInput(attrs={**INPUT, "accept": ACCEPT}),
    )


class SurveyImportForm(forms.Form):
    file = forms.FileField(
        label=_("Resultatfil (CSV eller XLSX)"),
        help_text=_(
            "Kolonner: departement; periode; enhet (tom for hele departementet); tema; "
            "svar (antall); skår (0–100)."
        ),
        widget=forms.ClearableFileInput(attrs={**INPUT, "accept": ACCEPT}),
    )


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        validators=[check_date_range],
        widget=forms.DateInput(attrs={**INPUT, "type": "date"}, format="%Y-%m-%d"),
    )


class RecruitmentForm(forms.Form):
    jobbnorge_ref = forms.CharField(
        label=_("Jobbnorge-referanse"),
        required=False,
        max_length=20,
        validators=[check_plain_text],
        help_text=_("Stillingens nummer i Jobbnorge. Søkerne finnes bare der."),
        widget=forms.TextInput(attrs=INPUT),
    )
    announced_on = _date_field(_("Utlyst"))
    deadline_on = _date_field(_("Søknadsfrist"))
    interviews_on = _date_field(_("Intervjuer"))
    offer_on = _date_field(_("Tilbud gitt"))
    accepted_on = _date_field(_("Tilbud akseptert"))


class SalaryChangeForm(forms.Form):
    """The form of «Lønnsendring til DFØ» (catalogue service `hr-lonnsendring`): what
    DFØ's message needs."""

    person = forms.ModelChoiceField(
        label=_("Gjelder (ansatt)"),
        queryset=None,
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
    employee_number = forms.CharField(
        label=_("Ansattnummer i DFØ"),
        max_length=12,
        validators=[check_plain_text],
        help_text=_("Nummeret i DFØs lønnssystem, 1–12 sifre."),
        widget=forms.TextInput(attrs={**INPUT, "inputmode": "numeric", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label=_("Endring"),
        choices=SalaryChange.Kind.choices,
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
    effective_on = forms.DateField(
        label=_("Gjelder fra"),
        validators=[check_date_range],
        widget=forms.DateInput(attrs={**INPUT, "type": "date"}, format="%Y-%m-%d"),
    )
    salary_step = forms.IntegerField(
        label=_("Nytt lønnstrinn"),
        required=False,
        min_value=1,
        max_value=101,
        help_text=_("Ved ny lønn: lønnstrinn eller beløp."),
        widget=forms.NumberInput(attrs=INPUT),
    )
    amount = NorwegianDecimalField(
        label=_("Nytt beløp (kroner per år)"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal("100000000"),
        max_digits=12,
        decimal_places=2,
        help_text=_("Ved ny lønn (eller lønnstrinn) og ved tillegg."),
        widget=DecimalInput(attrs=INPUT),
    )
    percentage = NorwegianDecimalField(
        label=_("Ny stillingsprosent"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        help_text=_("Ved endret stillingsprosent: 0–100, høyst to desimaler."),
        widget=DecimalInput(attrs=INPUT),
    )
    reason = forms.CharField(
        label=_("Begrunnelse"),
        max_length=2000,
        validators=[lambda v: check_plain_text(v, multiline=True)],
        help_text=_("F.eks. lokale forhandlinger, opprykk eller endret stilling."),
        widget=forms.Textarea(attrs={**INPUT, "rows": 4}),
    )

    def __init__(self, *args: object, people: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class DfoReferenceForm(forms.Form):
    dfo_reference = forms.CharField(
        label=_("DFØ-saksnummer"),
        max_length=40,
        validators=[check_plain_text],
        widget=forms.TextInput(attrs=INPUT),
    )
    sent_on = forms.DateField(
        label=_("Sendt DFØ"),
        validators=[check_date_range],
        widget=forms.DateInput(attrs={**INPUT, "type": "date"}, format="%Y-%m-%d"),
    )
