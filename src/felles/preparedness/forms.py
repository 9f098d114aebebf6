"""The preparedness forms. Field checks only; the services decide the rest (a refusal is
put on the form by `core.forms.add_service_errors`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from felles.governance.forms import LocalMultipleChoiceField
from felles.organisations.forms import PersonChoiceField
from felles.organisations.models import Organisation
from felles.preparedness import rules
from felles.preparedness.models import Incident
from felles.preparedness.models.work import QUESTIONS
from felles.security.models import Level

INPUT = {"class": "ds-input"}
NO_GRADED = _(
    "Bare metadata: skriv aldri gradert informasjon her (BEGRENSET eller høyere). Det "
    "graderte blir i departementets graderte systemer."
)
SCALE = [(n, str(n)) for n in range(1, 6)]


def _text(label: Any, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={**INPUT, "rows": rows}), **kwargs
    )


def _line(label: Any, max_length: int = 200, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, widget=forms.TextInput(attrs=INPUT), **kwargs
    )


def _date(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date", **INPUT}), **kwargs
    )


def _choice(label: Any, choices: Any, **kwargs: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=choices, widget=forms.Select(attrs=INPUT), **kwargs
    )


def _ministries(label: Any, queryset: Any = None) -> LocalMultipleChoiceField:
    return LocalMultipleChoiceField(
        queryset=queryset if queryset is not None else Organisation.objects.customers(),
        label=label,
        widget=forms.SelectMultiple(attrs={**INPUT, "size": 6}),
    )


def _person(queryset: Any, label: Any, **kwargs: Any) -> PersonChoiceField:
    return PersonChoiceField(
        queryset=queryset, label=label, widget=forms.Select(attrs=INPUT), **kwargs
    )


class IncidentForm(forms.Form):
    kind = _choice(_("Type hendelse"), Incident.Kind.choices)
    occurred_at = forms.DateTimeField(
        label=_("Når skjedde det?"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", **INPUT}),
    )
    severity = _choice(_("Alvorlighet"), Incident.Severity.choices, coerce=int)
    report_nsm = forms.BooleanField(label=_("Skal rapporteres til NSM"), required=False)
    report_police = forms.BooleanField(label=_("Skal anmeldes til politiet"), required=False)
    summary = _text(_("Kort beskrivelse"), max_length=2000, help_text=NO_GRADED)


class ActionForm(forms.Form):
    text = _line(_("Tiltak"), 300)
    owner = _person(None, _("Ansvarlig"))
    due_on = _date(_("Frist"))

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class AnalysisForm(forms.Form):
    title = _line(_("Tittel"))
    ministries = _ministries(_("Departementer analysen gjelder"))
    scope = _text(_("Omfang og avgrensning"), max_length=4000, help_text=NO_GRADED)
    assets = _text(_("Skjermingsverdige verdier (overordnet)"), max_length=4000, required=False)
    order = forms.ModelChoiceField(
        queryset=None,
        label=_("Bestilling av ROS-analyse fra DSS (valgfritt)"),
        required=False,
        widget=forms.Select(attrs=INPUT),
        help_text=_("DSS' rådgivere arbeider med analysen når departementet har bestilt den."),
    )
    review_months = forms.IntegerField(
        label=_("Gjennomgås hver (måneder)"),
        min_value=1,
        max_value=36,
        initial=12,
        widget=forms.NumberInput(attrs=INPUT),
    )

    def __init__(self, *args: Any, ministries: Any, orders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ministries"].queryset = ministries
        self.fields["order"].queryset = orders


class RiskForm(forms.Form):
    asset = _line(_("Verdi som skal beskyttes"))
    threat = _line(_("Trussel"), 300)
    vulnerability = _line(_("Sårbarhet"), 300)
    likelihood = _choice(_("Sannsynlighet (1–5)"), SCALE, coerce=int)
    consequence = _choice(_("Konsekvens (1–5)"), SCALE, coerce=int)
    residual_likelihood = _choice(_("Sannsynlighet etter tiltak"), SCALE, coerce=int)
    residual_consequence = _choice(_("Konsekvens etter tiltak"), SCALE, coerce=int)


class ExerciseForm(forms.Form):
    title = _line(_("Tittel"))
    ministries = _ministries(_("Deltakende departementer"))
    planned_on = _date(_("Dato"))
    scenario = _text(_("Scenario (ugradert)"), max_length=4000, help_text=NO_GRADED)
    observers = _line(_("Observatører"), 500, required=False)

    def __init__(self, *args: Any, ministries: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ministries"].queryset = ministries


class EvaluationForm(forms.Form):
    evaluation = _text(_("Evaluering"), 5, max_length=8000, help_text=NO_GRADED)
    lesson = _line(_("Læringspunkt (valgfritt)"), 300, required=False)
    owner = _person(None, _("Ansvarlig"), required=False)
    due_on = _date(_("Frist"), required=False)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("lesson") and not (data.get("owner") and data.get("due_on")):
            raise forms.ValidationError(_("Et læringspunkt trenger ansvarlig og frist."))
        return data


class StockItemForm(forms.Form):
    name = _line(_("Vare"))
    quantity = forms.IntegerField(
        label=_("Antall"), min_value=0, max_value=10_000_000, widget=forms.NumberInput(attrs=INPUT)
    )
    unit = _line(_("Enhet"), 30, initial="stk")
    location = _line(_("Lagerplass"))
    expires_on = _date(_("Utløper"), required=False)
    reorder_level = forms.IntegerField(
        label=_("Bestillingsnivå"),
        min_value=0,
        max_value=10_000_000,
        initial=0,
        widget=forms.NumberInput(attrs=INPUT),
    )
    check_months = forms.IntegerField(
        label=_("Kontroll hver (måneder)"),
        min_value=1,
        max_value=24,
        initial=6,
        widget=forms.NumberInput(attrs=INPUT),
    )


class StockCheckForm(forms.Form):
    counted = forms.IntegerField(
        label=_("Telt antall"),
        min_value=0,
        max_value=10_000_000,
        widget=forms.NumberInput(attrs=INPUT),
    )
    note = _line(_("Merknad"), 300, required=False)


class ContractForm(forms.Form):
    ministry = forms.ModelChoiceField(
        queryset=None, label=_("Departement"), widget=forms.Select(attrs=INPUT)
    )
    title = _line(_("Kontrakt"))
    supplier = _line(_("Leverandør"))
    agreement_on = _date(_("Sikkerhetsavtale inngått"))
    clearance_level = _choice(
        _("Leverandørklarering"), [("", _("Ingen")), *Level.choices], required=False
    )
    clearance_expires_on = _date(_("Klarering utløper"), required=False)
    part = _line(_("Del av anskaffelsen"), help_text=NO_GRADED)
    part_level = _choice(_("Delens gradering"), Level.choices)

    def __init__(self, *args: Any, ministries: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ministry"].queryset = ministries


class SelfReportForm(forms.Form):
    ministry = forms.ModelChoiceField(
        queryset=None, label=_("Departement"), widget=forms.Select(attrs=INPUT)
    )
    year = forms.IntegerField(
        label=_("År"), min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=INPUT)
    )
    comment = _text(_("Kommentar"), required=False, max_length=4000, help_text=NO_GRADED)

    def __init__(self, *args: Any, ministries: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ministry"].queryset = ministries
        answers = [("yes", _("Ja")), ("partly", _("Delvis")), ("no", _("Nei"))]
        for key in rules.SELF_REPORT_QUESTIONS:
            self.fields[key] = forms.ChoiceField(
                label=QUESTIONS[key],
                choices=answers,
                widget=forms.RadioSelect,
            )
