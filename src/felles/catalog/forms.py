from __future__ import annotations

from django import forms

from felles.catalog.models import ApprovalPolicy, Service
from felles.catalog.services import SERVICE_FIELDS


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = list(SERVICE_FIELDS)
        widgets = {
            "description_nb": forms.Textarea(attrs={"rows": 4}),
            "work_process": forms.Textarea(attrs={"rows": 4}),
            "approval_policy": forms.Select(choices=ApprovalPolicy.choices),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "ds-input"


class PriceForm(forms.Form):
    valid_from = forms.DateField(
        label="Gyldig fra", widget=forms.DateInput(attrs={"type": "date", "class": "ds-input"})
    )
    unit_price = forms.DecimalField(
        label="Pris per enhet (kr)",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "ds-input", "step": "0.01"}),
    )
    basis = forms.CharField(
        label="Beregningsgrunnlag",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "ds-input"}),
    )
