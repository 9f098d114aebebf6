"""Forms of the personnel-security register (metadata only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from felles.organisations.forms import PersonChoiceField
from felles.organisations.models import Organisation, Person
from felles.security.models import Authority, Level

INPUT = {"class": "ds-input"}
SELECT = {"class": "ds-input"}


def _date(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date", **INPUT}), **kwargs
    )


def _level(choices: Any = Level.choices) -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Nivå"), choices=choices, widget=forms.Select(attrs=SELECT))


def _person(ministry: Organisation) -> PersonChoiceField:
    return PersonChoiceField(
        queryset=Person.objects.filter(organisation=ministry, active=True).order_by(
            "last_name", "first_name"
        ),
        label=_("Person"),
        widget=forms.Select(attrs=SELECT),
    )


class AuthorisationForm(forms.Form):
    level = _level()
    granted_on = _date(_("Autorisert dato"))
    authorised_by = forms.CharField(
        label=_("Autorisasjonsansvarlig"),
        max_length=200,
        widget=forms.TextInput(attrs=INPUT),
        help_text=_("Navn og stilling, f.eks. departementsråden."),
    )
    conversation_on = _date(_("Dato for autorisasjonssamtalen"), required=False)

    def __init__(self, *args: Any, ministry: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"person": _person(ministry), **self.fields}


CLEARANCE_LEVELS = [c for c in Level.choices if c[0] != Level.BEGRENSET]


class ClearanceForm(forms.Form):
    level = _level(CLEARANCE_LEVELS)
    authority = forms.ChoiceField(
        label=_("Klareringsmyndighet"),
        choices=Authority.choices,
        initial=Authority.SKM,
        widget=forms.Select(attrs=SELECT),
    )
    decided_on = _date(_("Vedtaksdato"))
    expires_on = _date(_("Utløper"), help_text=_("Høyst 5 år etter vedtaket."))

    def __init__(self, *args: Any, ministry: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if ministry is not None:
            self.fields = {"person": _person(ministry), **self.fields}


class DeclarationForm(forms.Form):
    signed_on = _date(_("Signert"))
    nato = forms.BooleanField(label=_("Også NATO COSMIC-erklæring"), required=False)

    def __init__(self, *args: Any, ministry: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"person": _person(ministry), **self.fields}


class EndForm(forms.Form):
    ended_on = _date(_("Avsluttet dato"))


class ConversationForm(forms.Form):
    held_on = _date(_("Samtale holdt"))


class ReclearanceForm(forms.Form):
    justification = forms.CharField(
        label=_("Tjenstlig behov"),
        max_length=2000,
        widget=forms.Textarea(attrs={**INPUT, "rows": 4}),
        help_text=_("Hvorfor personen fortsatt trenger tilgang. Ikke skriv gradert informasjon."),
    )


class IssueForm(forms.Form):
    """«Utsted og arkiver listen»: an optional note on the issued VF § 72 list."""

    label = forms.CharField(
        label=_("Merknad (valgfritt)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=INPUT),
        help_text=_("For eksempel hvem listen er utstedt til. Ikke skriv gradert informasjon."),
    )


class FilterForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Nivå"),
        choices=[("", _("Alle nivåer")), *Level.choices],
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    q = forms.CharField(
        label=_("Navn"), required=False, max_length=100, widget=forms.TextInput(attrs=INPUT)
    )
    ended = forms.BooleanField(label=_("Vis også avsluttede"), required=False)
