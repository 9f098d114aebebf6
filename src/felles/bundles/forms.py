"""The bundle's order form, built from its field definitions with the order form's own
field builder (so the fields look and validate as every order form's)."""

from __future__ import annotations

from typing import Any

from django import forms

from felles.bundles.models import Bundle
from felles.bundles.services import form_fields
from felles.orders.orderform import build_field
from felles.organisations.models import Person


class BundleForm(forms.Form):
    def __init__(self, *args: Any, bundle: Bundle, orderer: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for definition in form_fields(bundle):
            self.fields[definition.key] = build_field(definition, orderer.organisation)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"class": "ds-input", "rows": 3}),
    )
    with_children = forms.BooleanField(required=False, initial=True)
