"""Web forms for the organisations pages."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from felles.core import prepared
from felles.core.locale import localized
from felles.organisations.models import Organisation, Person, Role


class _LazyChoices(forms.models.ModelChoiceIterator):
    """Django's choice iterator, reading the field's queryset when the choices are listed
    rather than when the field is made."""

    def __init__(self, field: forms.ModelChoiceField) -> None:
        self.field = field

    @property
    def queryset(self) -> Any:  # type: ignore[override]
        return self.field.queryset


class _PeoplePicker:
    """Names each person by `Person.choice_label` (name, title, unit and organisation) and
    loads organisation and unit in the same query as the people.

    The queryset may be given as a function that makes it: it is then made only when the
    choices are listed or a chosen value is checked against it, so a form that is only
    validated with prepared lookups (the order form's API submissions) never builds it."""

    iterator = _LazyChoices
    _make_queryset: Callable[[], Any] | None = None

    def _get_queryset(self) -> Any:
        if self._make_queryset is not None:
            make, self._make_queryset = self._make_queryset, None
            self._set_queryset(make())
        return self._queryset  # type: ignore[attr-defined]

    def _set_queryset(self, queryset: Any) -> None:
        if callable(queryset):  # a function that makes it (a queryset is not callable)
            self._make_queryset, queryset = queryset, None
        elif queryset is not None:
            self._make_queryset = None
            queryset = queryset.select_related("organisation", "unit")
        forms.ModelChoiceField._set_queryset(self, queryset)  # type: ignore[arg-type]

    queryset = property(_get_queryset, _set_queryset)

    def label_from_instance(self, obj: Any) -> str:
        return obj.choice_label


class PersonChoiceField(_PeoplePicker, forms.ModelChoiceField):
    """A picker of one person. Every form that lets the user choose people uses this or
    `PeopleChoiceField`, so two people with the same name can be told apart.

    With `prepared_key` (and `to_field_name="uuid"`), the chosen person is looked up with a
    statement compiled once per connection and key (core.prepared): the key must name the
    queryset's shape and the values in it (e.g. the ministry), as the order form's does."""

    def __init__(self, *args: Any, prepared_key: Hashable | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prepared_key = prepared_key

    def to_python(self, value: Any) -> Any:
        if self.prepared_key is None or self.to_field_name != "uuid" or not isinstance(value, str):
            return super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            chosen = uuid.UUID(value)
        except ValueError:
            chosen = None
        found = (
            prepared.run(
                self.prepared_key,
                lambda uuid: self.queryset.order_by().filter(uuid=uuid),
                uuid=chosen,
            )
            if chosen is not None
            else []
        )
        if len(found) != 1:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return found[0]


class PeopleChoiceField(_PeoplePicker, forms.ModelMultipleChoiceField):
    """A picker of several people, named as in `PersonChoiceField`."""


class PeopleFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Søk"),
        required=False,
        widget=forms.TextInput(attrs={"class": "ds-input", "type": "search"}),
    )
    organisation = forms.ChoiceField(label=_("Organisasjon"), required=False)
    role = forms.ChoiceField(
        label=_("Rolle"), required=False, choices=[("", _("Alle roller")), *Role.choices]
    )

    def __init__(self, *args: Any, organisations: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("Alle jeg har tilgang til"))] + [
            (o.abbreviation, f"{o.abbreviation} – {localized(o, 'name')}") for o in organisations
        ]
        for name in ("organisation", "role"):
            self.fields[name].widget.attrs["class"] = "ds-input"


class AbsenceForm(forms.Form):
    starts_on = forms.DateField(
        label=_("Fra og med"), widget=forms.DateInput(attrs={"type": "date", "class": "ds-input"})
    )
    ends_on = forms.DateField(
        label=_("Til og med"), widget=forms.DateInput(attrs={"type": "date", "class": "ds-input"})
    )
    substitute = PersonChoiceField(
        label=_("Stedfortreder"),
        required=False,
        queryset=Person.objects.none(),
        help_text=_("Stedfortrederen godkjenner på dine vegne mens du er borte."),
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
    note = forms.CharField(
        label=_("Merknad"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "ds-input"}),
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = (
            Person.objects.filter(organisation=person.organisation, active=True)
            .exclude(pk=person.pk)
            .order_by("last_name", "first_name")
        )
        self.fields["substitute"].to_field_name = "uuid"


class ImportForm(forms.Form):
    KIND_CHOICES = [
        ("units", _("Enheter (avdelinger og seksjoner)")),
        ("people", _("Personer (ansatte)")),
    ]
    organisation = forms.ModelChoiceField(
        label=_("Organisasjon"),
        queryset=Organisation.objects.all(),
        to_field_name="abbreviation",
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
    kind = forms.ChoiceField(
        label=_("Hva inneholder filen?"), choices=KIND_CHOICES, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("Fil (CSV eller XLSX)"),
        help_text=_("Eksport fra HR-systemet. Første rad er overskrifter."),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "ds-input",
                "accept": ".csv,.xlsx,text/csv,application/vnd."
                "openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.FELLES_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("Filen er for stor (høyst %(mb)s MB)."),
                params={"mb": settings.FELLES_IMPORT_MAX_BYTES // 2**20},
            )
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Filen må være CSV (.csv) eller Excel (.xlsx)."))
        return upload


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Rolle"), choices=Role.choices, widget=forms.Select(attrs={"class": "ds-input"})
    )
    served = forms.ModelMultipleChoiceField(
        label=_("Betjener (for leverandørroller)"),
        required=False,
        queryset=Organisation.objects.customers(),
        to_field_name="abbreviation",
        help_text=_(
            "Tomt betyr alle departementene. Gjelder bare kundekontakt, saksbehandler og leder "
            "hos leverandør."
        ),
        widget=forms.SelectMultiple(attrs={"class": "ds-input", "size": 6}),
    )
