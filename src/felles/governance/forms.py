from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from felles.catalog.models import Service, ServiceArea
from felles.core.locale import localized
from felles.governance.models import Decider, DecisionRight, Level
from felles.organisations.forms import PeopleChoiceField, PersonChoiceField
from felles.organisations.models import Organisation, Person
from felles.portfolio.selectors import projects

INPUT = {"class": "ds-input"}


def _text(label: str, rows: int = 4, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={**INPUT, "rows": rows}), **kwargs
    )


def _date(label: str, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date", **INPUT}), **kwargs
    )


def local_label(obj: Any) -> str:
    """Organisations, areas and services by their name in the reader's language."""
    name = localized(obj, "name")
    abbreviation = getattr(obj, "abbreviation", "")
    return f"{abbreviation} – {name}" if abbreviation else name


class LocalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return local_label(obj)


class LocalMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return local_label(obj)

    def _check_values(self, value: Any) -> Any:
        # An id beyond a 64-bit integer is no choice (SQLite would raise OverflowError in
        # the lookup, a 500): refused with the field's own «Velg et gyldig valg».
        if not self.to_field_name:
            for pk in value:
                text = str(pk).strip().lstrip("-")
                if text.isdigit() and int(text) >= 2**63:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": pk},
                    )
        return super()._check_values(value)


def _select(queryset: Any, label: Any, **kwargs: Any) -> forms.ModelChoiceField:
    field: type[forms.ModelChoiceField] = forms.ModelChoiceField
    if queryset.model is Person:
        field = PersonChoiceField
    elif queryset.model in (Organisation, ServiceArea):
        field = LocalChoiceField
    return field(queryset=queryset, label=label, widget=forms.Select(attrs=INPUT), **kwargs)


class CaseForm(forms.Form):
    title = forms.CharField(label=_("Tittel"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    right = _select(
        DecisionRight.objects.all(),
        _("Hva gjelder saken?"),
        help_text=_("Temaet avgjør hvem som bestemmer og hvem som skal høres."),
    )
    provider = _select(Organisation.objects.providers(), _("Leverandør"))
    level = forms.ChoiceField(
        label=_("Nivå"),
        choices=Level.choices,
        initial=Level.OPERATIVE,
        help_text=_(
            "Saker tas på lavest mulige nivå. Priser og kostnadsdeling går alltid til DFD."
        ),
        widget=forms.Select(attrs=INPUT),
    )
    area = _select(ServiceArea.objects.all(), _("Tjenesteområde"), required=False)
    services = LocalMultipleChoiceField(
        queryset=Service.objects.filter(active=True).order_by("name_nb"),
        label=_("Tjenester saken berører"),
        required=False,
        widget=forms.SelectMultiple(attrs={**INPUT, "size": 6}),
    )
    description = _text(_("Beskrivelse"), rows=6)


class ReasonForm(forms.Form):
    reason = _text(_("Hvorfor kan saken ikke avgjøres på dette nivået?"), rows=3)


class DecideForm(forms.Form):
    decision = _text(_("Vedtak"), rows=4)
    reasons = _text(_("Begrunnelse"), rows=4)
    effective_from = _date(_("Gjelder fra"), required=False)

    def __init__(self, *args: Any, price_lists: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["projects"] = forms.ModelMultipleChoiceField(
            queryset=projects(),
            label=_("Prosjekter vedtaket berører"),
            required=False,
            widget=forms.SelectMultiple(attrs={**INPUT, "size": 4}),
        )
        if price_lists is not None:
            self.fields["price_lists"] = forms.ModelMultipleChoiceField(
                queryset=price_lists,
                label=_("Prislister vedtaket gjelder"),
                required=False,
                widget=forms.SelectMultiple(attrs={**INPUT, "size": 4}),
            )


class ReopenForm(forms.Form):
    ground = _text(_("Nytt grunnlag for å gjenåpne"), rows=3)


class InputForm(forms.Form):
    input = _text(_("Innspill"), rows=4)


class RightForm(forms.ModelForm):
    # The service's range (0–60 working days), shown on the form instead of a 500 for a
    # number the column cannot hold.
    hearing_days = forms.IntegerField(
        label=_("Høringsfrist (virkedager)"),
        min_value=0,
        max_value=60,
        widget=forms.NumberInput(attrs=INPUT),
    )

    class Meta:
        model = DecisionRight
        fields = [
            "topic",
            "description",
            "level",
            "decider",
            "hear_ministries",
            "hear_council",
            "hear_forum",
            "hearing_days",
        ]
        widgets = {
            "topic": forms.TextInput(attrs=INPUT),
            "description": forms.Textarea(attrs={**INPUT, "rows": 3}),
            "level": forms.Select(attrs=INPUT),
            "decider": forms.Select(attrs=INPUT, choices=Decider.choices),
            "hear_forum": forms.TextInput(attrs=INPUT),
        }


class NewRightForm(RightForm):
    code = forms.SlugField(
        label=_("Kode"),
        max_length=40,
        help_text=_("Kort og fast, f.eks. «lokaler»."),
        widget=forms.TextInput(attrs=INPUT),
    )

    field_order = ["code", *RightForm.Meta.fields]

    def validate_unique(self) -> None:
        """The service refuses a code in use, with a message of its own."""


class MeetingForm(forms.Form):
    held_on = _date(_("Dato"))
    agenda = _text(_("Dagsorden"), rows=3, required=False)
    minutes = _text(
        _("Referat"),
        rows=5,
        required=False,
        help_text=_("Med referat er møtet avholdt; uten er det planlagt."),
    )
    participants = PeopleChoiceField(
        queryset=Person.objects.none(),
        label=_("Deltakere"),
        required=False,
        widget=forms.SelectMultiple(attrs={**INPUT, "size": 6}),
    )
    action_text = forms.CharField(
        label=_("Oppfølgingspunkt"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs=INPUT),
    )
    action_owner = _select(Person.objects.none(), _("Eier"), required=False)
    action_due = _date(_("Frist"), required=False)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = people.select_related("organisation")
        self.fields["participants"].queryset = people  # type: ignore[attr-defined]
        self.fields["action_owner"].queryset = people  # type: ignore[attr-defined]
        self.fields["held_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action_text") and not (data.get("action_owner") and data.get("action_due")):
            raise forms.ValidationError(_("Et oppfølgingspunkt trenger eier og frist."))
        return data


class PackForm(forms.Form):
    fra = _date(_("Fra"))
    til = _date(_("Til"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("fra") and data.get("til") and data["til"] < data["fra"]:
            raise forms.ValidationError(_("Til-datoen er før fra-datoen."))
        if data.get("fra") and data.get("til") and (data["til"] - data["fra"]).days > 731:
            raise forms.ValidationError(_("Velg en periode på høyst to år."))
        return data


def default_pack_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last full month before today."""
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


class PlanForm(forms.Form):
    first = _date(_("Første periode starter"), help_text=_("Den første i en måned."))
    count = forms.IntegerField(
        label=_("Antall perioder"), min_value=1, max_value=40, widget=forms.NumberInput(attrs=INPUT)
    )
    months = forms.TypedChoiceField(
        label=_("Periodelengde"),
        coerce=int,
        choices=[(n, format_lazy(_("{n} måneder"), n=n)) for n in (6, 12, 24)],
        initial=12,
        widget=forms.Select(attrs=INPUT),
    )
    seats = forms.TypedChoiceField(
        label=_("Roterende plasser"),
        coerce=int,
        choices=[(2, "2"), (3, "3")],
        initial=3,
        widget=forms.Select(attrs=INPUT),
    )


class UnavailableForm(forms.Form):
    ministry = _select(Organisation.objects.customers(), _("Departement"))
    starts_on = _date(_("Fra"))
    ends_on = _date(_("Til"))
    reason = forms.CharField(
        label=_("Begrunnelse"), max_length=300, widget=forms.TextInput(attrs=INPUT)
    )


class NominateForm(forms.Form):
    nominee = _select(Person.objects.none(), pgettext_lazy("oppnevnt til rådet", "Person"))
    competence = _text(
        _("Kompetanse"), rows=3, help_text=_("Hva gjør personen egnet? Stilling alene er ikke nok.")
    )
    capacity_hours = forms.IntegerField(
        label=_("Kapasitet (timer per måned)"),
        min_value=1,
        max_value=80,
        widget=forms.NumberInput(attrs=INPUT),
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nominee"].queryset = people.select_related("organisation")  # type: ignore[attr-defined]


class ProposalForm(forms.Form):
    year = forms.IntegerField(
        label=_("Budsjettår"), min_value=2020, max_value=2100, widget=forms.NumberInput(attrs=INPUT)
    )
    title = forms.CharField(label=_("Tittel"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    amount = forms.DecimalField(
        label=_("Beløp (kr)"),
        max_digits=14,
        decimal_places=2,
        min_value=1,
        widget=forms.NumberInput(attrs=INPUT),
    )
    description = _text(_("Beskrivelse"), rows=4)


class StatementForm(forms.Form):
    statement = _text(_("Rådets uttalelse"), rows=4)


class SeriesForm(forms.Form):
    """Set up (or change) the dialogue with a ministry at one level; targets default to
    the review's frequencies."""

    ministry = _select(Organisation.objects.customers(), _("Departement"))
    level = forms.ChoiceField(
        label=_("Nivå"), choices=Level.choices, widget=forms.Select(attrs=INPUT)
    )
    customer_contact = _select(Person.objects.none(), _("Kundekontakt"), required=False)
    target_min = forms.IntegerField(
        label=_("Minst antall møter per periode"),
        min_value=1,
        max_value=20,
        required=False,
        help_text=_("Tomt: gjennomgangens standard for nivået."),
        widget=forms.NumberInput(attrs=INPUT),
    )
    target_max = forms.IntegerField(
        label=_("Høyst antall møter per periode"),
        min_value=1,
        max_value=20,
        required=False,
        widget=forms.NumberInput(attrs=INPUT),
    )

    def __init__(
        self, *args: Any, provider: Any, ministries: frozenset[int] | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.provider = provider
        if ministries is not None:  # only the ministries the planner serves
            self.fields["ministry"].queryset = Organisation.objects.customers().filter(  # type: ignore[attr-defined]
                pk__in=ministries
            )
        self.fields["customer_contact"].queryset = (
            Person.objects.filter(  # type: ignore[attr-defined]
                organisation=provider, active=True
            )
            .select_related("organisation")
            .order_by("last_name", "first_name")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("target_min"), data.get("target_max")
        if (low is None) != (high is None):
            raise forms.ValidationError(_("Oppgi både minst og høyst, eller ingen av dem."))
        if low is not None and high is not None and low > high:
            raise forms.ValidationError(_("«Minst» kan ikke være større enn «høyst»."))
        return data
