"""The order form of a service, built from its field definitions. The same form validates
web posts and API payloads, so the rules live in one place."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from felles.catalog.models import FormField, Funding, Priority, Service
from felles.core import units
from felles.core.actor import Actor
from felles.core.locale import localized
from felles.orders import services
from felles.orders.fields import DecimalInput, NorwegianDecimalField
from felles.orders.models import Order
from felles.organisations.forms import PersonChoiceField
from felles.organisations.models import Organisation, Person, Unit

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def _widget_attrs(field: FormField, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    attrs = {"class": "ds-input"}
    if field.help_text:
        attrs["aria-describedby"] = f"id_{field.key}_help"
    attrs.update(extra or {})
    return attrs


def build_field(field: FormField, ministry: Organisation) -> forms.Field:
    common = {
        "label": localized(field, "label"),
        "required": field.required,
        "help_text": field.help_text,
    }
    kind = field.kind
    if kind == FormField.Kind.TEXT:
        return forms.CharField(
            max_length=300, widget=forms.TextInput(attrs=_widget_attrs(field)), **common
        )
    if kind == FormField.Kind.LONG_TEXT:
        return forms.CharField(
            max_length=5000,
            widget=forms.Textarea(attrs=_widget_attrs(field, {"rows": 4})),
            **common,
        )
    if kind == FormField.Kind.NUMBER:
        return NorwegianDecimalField(
            max_digits=12,
            decimal_places=2,
            min_value=field.min_value,
            max_value=field.max_value,
            widget=DecimalInput(attrs=_widget_attrs(field)),
            **common,
        )
    if kind == FormField.Kind.DATE:
        return forms.DateField(
            widget=forms.DateInput(attrs=_widget_attrs(field, {"type": "date"})), **common
        )
    if kind == FormField.Kind.CHOICE:
        return forms.ChoiceField(
            choices=[("", _("Velg …"))] + [(c, c) for c in field.choices],
            widget=forms.Select(attrs=_widget_attrs(field)),
            **common,
        )
    if kind == FormField.Kind.MULTI_CHOICE:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in field.choices], widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == FormField.Kind.PERSON:
        return PersonChoiceField(
            queryset=lambda: Person.objects.filter(organisation=ministry, active=True).order_by(
                "last_name", "first_name"
            ),
            to_field_name="uuid",
            prepared_key=("orders.form_person", ministry.pk),
            empty_label=_("Velg person …"),
            widget=forms.Select(attrs=_widget_attrs(field)),
            **common,
        )
    if kind == FormField.Kind.UNIT:
        return forms.ModelChoiceField(
            queryset=Unit.objects.filter(organisation=ministry, active=True).order_by("name"),
            to_field_name="uuid",
            empty_label=_("Velg enhet …"),
            widget=forms.Select(attrs=_widget_attrs(field)),
            **common,
        )
    if kind == FormField.Kind.ATTACHMENT:
        return forms.FileField(
            validators=[_attachment_size],
            widget=forms.ClearableFileInput(attrs=_widget_attrs(field)),
            **common,
        )
    raise ValueError(f"unknown field kind {kind!r}")


def _attachment_size(upload: UploadedFile) -> None:
    if upload.size and upload.size > MAX_ATTACHMENT_BYTES:
        raise forms.ValidationError(_("Vedlegget er for stort (høyst 10 MB)."))


class OrderForm(forms.Form):
    """Base fields every order has, plus the service's own fields."""

    def __init__(self, *args: Any, service: Service, orderer: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        ministry = orderer.organisation
        self.fields["beneficiary"] = PersonChoiceField(
            label=_("Bestillingen gjelder"),
            queryset=lambda: self._beneficiaries(orderer),
            to_field_name="uuid",
            required=False,
            empty_label=_("Meg selv"),
            help_text=_("Du kan bestille på vegne av en kollega."),
            widget=forms.Select(attrs={"class": "ds-input"}),
        )
        self.fields["priority"] = forms.ChoiceField(
            label=_("Prioritet"),
            choices=Priority.choices,
            initial=service.default_priority,
            widget=forms.Select(attrs={"class": "ds-input"}),
        )
        if service.funding_for(ministry) != Funding.APPROPRIATION:
            self.fields["quantity"] = NorwegianDecimalField(
                label=_("Antall (%(unit)s)") % {"unit": units.unit_name(service.unit_code)},
                initial=1,
                min_value=Decimal("0.01"),
                max_digits=12,
                decimal_places=2,
                widget=DecimalInput(attrs={"class": "ds-input"}),
            )
            self.fields["buyer_reference"] = forms.CharField(
                label=_("Kostnadssted eller referanse på fakturaen"),
                max_length=100,
                required=False,
                help_text=_("Tomt: departementets faste fakturareferanse brukes."),
                widget=forms.TextInput(attrs={"class": "ds-input"}),
            )
        self.service_fields = list(service.fields.all())
        for definition in self.service_fields:
            self.fields[definition.key] = build_field(definition, ministry)

    @staticmethod
    def _beneficiaries(orderer: Person) -> Any:
        """Colleagues one may order for: anyone in the ministry for ordering coordinators,
        otherwise anyone in one's own ministry too (the approval goes to *their* leader)."""
        return (
            Person.objects.filter(organisation=orderer.organisation, active=True)
            .exclude(pk=orderer.pk)
            .order_by("last_name", "first_name")
        )

    def submit(self, *, actor: Actor, orderer: Person) -> Order:
        """Place the order this valid form describes (web and API share this)."""
        answers = self.answers()
        try:
            return services.submit_order(
                actor=actor,
                orderer=orderer,
                service=self.service,
                answers=answers,
                beneficiary=self.cleaned_data.get("beneficiary"),
                priority=self.cleaned_data["priority"],
                quantity=self.cleaned_data.get("quantity") or Decimal("1"),
                buyer_reference=self.cleaned_data.get("buyer_reference") or "",
            )
        except Exception:
            # The order was refused: its stored attachments must not linger.
            for item in answers.values():
                value = item["value"]
                if isinstance(value, dict) and value.get("path"):
                    default_storage.delete(value["path"])
            raise

    def answers(self) -> dict[str, Any]:
        """The service fields' values as JSON for the order (files stored first)."""
        data: dict[str, Any] = {}
        for definition in self.service_fields:
            value = self.cleaned_data.get(definition.key)
            data[definition.key] = {
                "label": definition.label_nb,
                "label_en": definition.label_en,
                "value": _to_json(value, definition),
            }
        return data


def _to_json(value: Any, definition: FormField) -> Any:
    if value in (None, "", []):
        return None
    if isinstance(value, Person):
        return {"id": str(value.uuid), "name": value.full_name}
    if isinstance(value, Unit):
        return {"id": str(value.uuid), "name": value.name}
    if isinstance(value, UploadedFile):
        path = default_storage.save(f"attachments/{definition.service_id}/{value.name}", value)
        return {"name": value.name, "path": path}
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
