from __future__ import annotations

from django import forms

from felles.costing.selectors import METHOD_LABELS


class ProposeForm(forms.Form):
    effective_from = forms.DateField(
        label="Gjelder fra", widget=forms.DateInput(attrs={"type": "date", "class": "ds-input"})
    )
    method = forms.ChoiceField(
        label="Fordelingsmetode",
        choices=list(METHOD_LABELS.items()),
        initial="reciprocal",
        widget=forms.Select(attrs={"class": "ds-input"}),
    )


class AdjustForm(forms.Form):
    percent = forms.DecimalField(
        label="Generell justering (%)",
        max_digits=5,
        decimal_places=2,
        min_value=-50,
        max_value=50,
        widget=forms.NumberInput(attrs={"class": "ds-input", "step": "0.1"}),
    )


class ApproveForm(forms.Form):
    decision_reference = forms.CharField(
        label="Vedtak (referanse)",
        max_length=200,
        help_text="F.eks. «DFDs vedtak 2026/1234 om priser for 2027».",
        widget=forms.TextInput(attrs={"class": "ds-input"}),
    )
