"""The bundle's order form, built from its field definitions with the order form's own
field builder (so the fields look and validate as every order form's)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from felles.bundles.models import Bundle, BundleItem
from felles.bundles.services import form_fields
from felles.catalog.models import FormField, Service
from felles.orders.models import Order
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


class ItemForm(forms.Form):
    """A child for the bundle: the service, when (a condition on the bundle's answers),
    its deadline, and which answers fill its form (one «child field=source» a line)."""

    child_service = forms.ModelChoiceField(
        label=_("Deltjeneste"),
        queryset=Service.objects.filter(active=True).order_by("name_nb"),
        to_field_name="uuid",
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
    condition_key = forms.ChoiceField(
        label=_("Vilkår: felt"), required=False, widget=forms.Select(attrs={"class": "ds-input"})
    )
    condition_op = forms.ChoiceField(
        label=_("Vilkår"),
        required=False,
        choices=BundleItem.Op.choices,
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
    condition_value = forms.CharField(
        label=_("Vilkår: verdi"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"class": "ds-input"}),
    )
    offset_days = forms.IntegerField(
        label=_("Frist i arbeidsdager fra datoen (negativt: før)"),
        initial=0,
        min_value=-250,
        max_value=250,
        widget=forms.NumberInput(attrs={"class": "ds-input"}),
    )
    field_map = forms.CharField(
        label=_("Svar som fyller ut skjemaet (felt=kilde, én per linje)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "ds-input", "rows": 4}),
    )

    def __init__(self, *args: Any, bundle: Bundle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["condition_key"].choices = [("", "–")] + [
            (f["key"], f["label_nb"]) for f in bundle.fields
        ]

    def clean_field_map(self) -> dict[str, str]:
        mapping: dict[str, str] = {}
        for line in self.cleaned_data["field_map"].splitlines():
            if not line.strip():
                continue
            key, sep, source = line.partition("=")
            if not sep or not key.strip() or not source.strip():
                raise forms.ValidationError(_("Skriv hver linje som felt=kilde."))
            mapping[key.strip()] = source.strip()
        return mapping

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "child_service": data["child_service"],
            "offset_days": data["offset_days"],
            "field_map": data["field_map"],
            "condition": (data["condition_key"], data["condition_op"], data["condition_value"]),
        }


class ChildForm(forms.Form):
    """A child's editable answers (text, number, date and choices) before it reaches the
    provider, filled with what it holds now."""

    def __init__(self, *args: Any, child: Order, editable: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for definition in child.service.fields.all():
            if definition.kind not in editable:
                continue
            field = build_field(definition, child.ministry)
            field.required = False
            value = (child.answers.get(definition.key) or {}).get("value")
            if definition.kind == FormField.Kind.MULTI_CHOICE and isinstance(value, str):
                value = [v.strip() for v in value.split(",")]
            field.initial = value
            self.fields[definition.key] = field
