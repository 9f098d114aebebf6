from __future__ import annotations

from django import forms

from felles.orders.states import LABELS, Status


class OrderFilterForm(forms.Form):
    STATUS_GROUPS = [("", "Alle"), ("open", "Åpne"), ("done", "Avsluttede")] + [
        (s.value, LABELS[s]) for s in Status
    ]
    status = forms.ChoiceField(
        label="Status",
        choices=STATUS_GROUPS,
        required=False,
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
    q = forms.CharField(
        label="Søk (nummer eller tjeneste)",
        required=False,
        widget=forms.TextInput(attrs={"class": "ds-input", "type": "search"}),
    )


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label="Kommentar (påkrevd ved avvisning)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "ds-input"}),
    )
