from __future__ import annotations

from django import forms

from felles.core.models import ApiToken


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Navn på nøkkelen",
        max_length=100,
        help_text="F.eks. «Rapport til økonomisystemet».",
        widget=forms.TextInput(attrs={"class": "ds-input"}),
    )
    scope = forms.ChoiceField(
        label="Tilgang",
        choices=ApiToken.Scope.choices,
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
    days = forms.IntegerField(
        label="Gyldig i antall dager",
        min_value=1,
        max_value=366,
        initial=90,
        widget=forms.NumberInput(attrs={"class": "ds-input"}),
    )


class AuditFilterForm(forms.Form):
    object_id = forms.CharField(
        label="Objekt-ID", required=False, widget=forms.TextInput(attrs={"class": "ds-input"})
    )
    person = forms.CharField(
        label="Utført av (brukernavn)",
        required=False,
        widget=forms.TextInput(attrs={"class": "ds-input"}),
    )
    action = forms.CharField(
        label="Handling", required=False, widget=forms.TextInput(attrs={"class": "ds-input"})
    )
