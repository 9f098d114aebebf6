"""The rooms pages' forms: the free-room search, a booking (with add-ons), a change of a
booking, a recurring booking, a room in the register and an inspection."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from felles.core.validators import DATE_RANGE_MESSAGE, date_in_range
from felles.organisations.models import Organisation
from felles.rooms import rules
from felles.rooms.models import EQUIPMENT, Inspection, Room, Series
from felles.rooms.services.booking import CATERING_CHOICES
from felles.security.models import Level

INPUT = {"class": "ds-input"}


def _date(label: Any, **kwargs: Any) -> forms.DateField:
    # Every DateField refuses a date outside 2000–2100 (core/forms.py).
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date", **INPUT}), **kwargs
    )


def _time(label: Any, **kwargs: Any) -> forms.TimeField:
    return forms.TimeField(
        label=label, widget=forms.TimeInput(attrs={"type": "time", **INPUT}), **kwargs
    )


def _equipment(**kwargs: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Utstyr"),
        choices=list(EQUIPMENT.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        **kwargs,
    )


class TimesMixin:
    """Day, from and to in Oslo time → aware start and end (end before start is the
    service's clear error, not the form's)."""

    cleaned_data: dict[str, Any]

    def times(self) -> tuple[dt.datetime, dt.datetime]:
        data = self.cleaned_data
        return rules.local(data["day"], data["start"]), rules.local(data["day"], data["end"])


class SearchForm(TimesMixin, forms.Form):
    day = _date(_("Dato"))
    start = _time(_("Fra"))
    end = _time(_("Til"))
    size = forms.IntegerField(
        label=_("Antall personer"),
        min_value=1,
        max_value=2000,
        initial=1,
        widget=forms.NumberInput(attrs=INPUT),
    )
    equipment = _equipment()
    building = forms.ChoiceField(label=_("Bygg"), required=False, widget=forms.Select(attrs=INPUT))
    accessible = forms.BooleanField(label=_("Universelt utformet"), required=False)

    def __init__(self, *args: Any, buildings: list[str] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["building"].choices = [("", _("Alle bygg")), *((b, b) for b in buildings)]


def _catering() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Servering (bestilles fra DSS og faktureres departementet)"),
        choices=[(c, c) for c in CATERING_CHOICES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def _technical_help() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("Teknisk hjelp til videomøte (bestilles fra DIO)"), required=False
    )


class BookingForm(TimesMixin, forms.Form):
    title = forms.CharField(label=_("Tittel"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    day = _date(_("Dato"))
    start = _time(_("Fra"))
    end = _time(_("Til"))
    participants = forms.IntegerField(
        label=_("Antall deltakere"),
        min_value=1,
        max_value=2000,
        widget=forms.NumberInput(attrs=INPUT),
    )
    catering = _catering()
    technical_help = _technical_help()


class BookingChangeForm(TimesMixin, forms.Form):
    """Move a booking: the same fields as booking it, and the room (those the person may
    see); the add-ons follow the booking (services.change)."""

    title = forms.CharField(label=_("Tittel"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    room = forms.ModelChoiceField(
        label=_("Rom"), queryset=Room.objects.none(), widget=forms.Select(attrs=INPUT)
    )
    day = _date(_("Dato"))
    start = _time(_("Fra"))
    end = _time(_("Til"))
    participants = forms.IntegerField(
        label=_("Antall deltakere"),
        min_value=1,
        max_value=2000,
        widget=forms.NumberInput(attrs=INPUT),
    )

    def __init__(self, *args: Any, rooms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["room"]
        field.queryset = rooms  # type: ignore[attr-defined]
        field.to_field_name = "uuid"  # type: ignore[attr-defined]


class SeriesForm(forms.Form):
    title = forms.CharField(label=_("Tittel"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    first_day = _date(_("Første dato"))
    start = _time(_("Fra"))
    end = _time(_("Til"))
    freq = forms.ChoiceField(
        label=_("Gjentas"), choices=Series.Freq.choices, widget=forms.Select(attrs=INPUT)
    )
    interval = forms.IntegerField(
        label=_("Hver"),
        min_value=1,
        max_value=52,
        initial=1,
        widget=forms.NumberInput(attrs=INPUT),
        help_text=_("1: hver dag/uke, 2: annenhver …"),
    )
    count = forms.IntegerField(
        label=_("Antall ganger"),
        min_value=1,
        max_value=rules.MAX_OCCURRENCES,
        required=False,
        widget=forms.NumberInput(attrs=INPUT),
    )
    until = _date(_("Eller til og med"), required=False)
    exceptions = forms.CharField(
        label=_("Unntak"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs=INPUT),
        help_text=_("Datoer som hoppes over, f.eks. 24.12.2026, 31.12.2026."),
    )
    participants = forms.IntegerField(
        label=_("Antall deltakere"),
        min_value=1,
        max_value=2000,
        widget=forms.NumberInput(attrs=INPUT),
    )
    catering = _catering()
    technical_help = _technical_help()

    def clean_exceptions(self) -> tuple[dt.date, ...]:
        days = []
        for part in (self.cleaned_data.get("exceptions") or "").replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            try:
                d, m, y = (int(x) for x in part.split("."))
                days.append(dt.date(y, m, d))
            except ValueError as exc:
                raise forms.ValidationError(
                    _("«%(v)s» er ingen dato (skriv dd.mm.åååå).") % {"v": part[:20]}
                ) from exc
            if not date_in_range(days[-1]):
                raise forms.ValidationError(DATE_RANGE_MESSAGE)
        return tuple(days)

    def minutes(self) -> int:
        data = self.cleaned_data
        start = dt.datetime.combine(data["first_day"], data["start"])
        end = dt.datetime.combine(data["first_day"], data["end"])
        return int((end - start).total_seconds() // 60)


class RoomForm(forms.Form):
    code = forms.CharField(label=_("Kode"), max_length=30, widget=forms.TextInput(attrs=INPUT))
    name = forms.CharField(label=_("Navn"), max_length=120, widget=forms.TextInput(attrs=INPUT))
    building = forms.CharField(label=_("Bygg"), max_length=120, widget=forms.TextInput(attrs=INPUT))
    floor = forms.CharField(
        label=_("Etasje"), max_length=20, required=False, widget=forms.TextInput(attrs=INPUT)
    )
    capacity = forms.IntegerField(
        label=_("Antall plasser"),
        min_value=1,
        max_value=2000,
        widget=forms.NumberInput(attrs=INPUT),
    )
    equipment = _equipment()
    accessible = forms.BooleanField(label=_("Universelt utformet"), required=False)
    accessibility_note = forms.CharField(
        label=_("Tilgjengelighet"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs=INPUT),
    )
    policy = forms.ChoiceField(
        label=_("Hvem kan booke"), choices=Room.Policy.choices, widget=forms.Select(attrs=INPUT)
    )
    allowed_organisations = forms.ModelMultipleChoiceField(
        label=_("Departementer som kan booke"),
        required=False,
        queryset=Organisation.objects.order_by("abbreviation"),
        widget=forms.SelectMultiple(attrs=INPUT),
        help_text=_("Gjelder når bare utvalgte departementer kan booke."),
    )
    active = forms.BooleanField(label=_("I bruk"), required=False, initial=True)


class GradingForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Godkjent for gradering"),
        choices=[("", _("Ugradert")), *Level.choices],
        required=False,
        widget=forms.Select(attrs=INPUT),
    )
    approval = forms.ChoiceField(
        label=_("Godkjenning"),
        choices=[("", "–"), *Room.Approval.choices],
        required=False,
        widget=forms.Select(attrs=INPUT),
    )
    suspended_until = _date(_("Suspendert til og med"), required=False)


class InspectionForm(forms.Form):
    date = _date(_("Dato"))
    inspector = forms.CharField(
        label=_("Inspektør"), max_length=120, widget=forms.TextInput(attrs=INPUT)
    )
    result = forms.ChoiceField(
        label=_("Resultat"), choices=Inspection.Result.choices, widget=forms.Select(attrs=INPUT)
    )
    suspended_until = _date(
        _("Suspendert til og med"), required=False, help_text=_("Når rommet ikke ble godkjent.")
    )
    notes = forms.CharField(
        label=_("Merknader"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"class": "ds-input", "rows": 3}),
    )
