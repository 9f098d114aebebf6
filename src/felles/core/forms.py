from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.forms.widgets import ChoiceWidget
from django.utils.translation import gettext_lazy as _

from felles.core.errors import Forbidden, RefusedByService, ServiceError
from felles.core.models import ApiToken
from felles.core.validators import check_date_range, check_plain_text

_plain_validate = forms.CharField.validate


def _validate_plain_text(self: forms.CharField, value: Any) -> None:
    """CharField.validate for every form in Felles: text with a control character is
    refused with a clear message (it would break the EHF XML, and PostgreSQL refuses NUL).
    A textarea may hold tabs and line breaks; a one-line input holds none."""
    _plain_validate(self, value)
    if isinstance(value, str):
        check_plain_text(value, multiline=isinstance(self.widget, forms.Textarea))


_plain_date_validate = forms.DateField.validate


def _validate_date_range(self: forms.DateField, value: Any) -> None:
    """DateField.validate for every form: a date outside 2000–2100 is refused."""
    _plain_date_validate(self, value)
    if value is not None:
        check_date_range(value)


def install_plain_text_check() -> None:
    """Called once from CoreConfig.ready(): every form field that takes text (CharField and
    its subclasses, including ModelForm fields and the order form built per service) gets
    the check, without each form having to remember it."""
    forms.CharField.validate = _validate_plain_text  # type: ignore[method-assign,assignment]
    # Likewise every date field (DateTimeField is not a DateField; Felles's forms take days).
    forms.DateField.validate = _validate_date_range  # type: ignore[method-assign,assignment]
    # And every select's empty choice reads «Velg …», not Django's «---------».
    ChoiceWidget.create_option = _create_option  # type: ignore[method-assign]


DJANGO_EMPTY_LABEL = "---------"
_plain_create_option = ChoiceWidget.create_option


def _create_option(
    self: ChoiceWidget, name: str, value: Any, label: Any, *args: Any, **kwargs: Any
) -> dict[str, Any]:
    """ChoiceWidget.create_option for every form: the empty choice Django labels
    «---------» (ModelChoiceField's empty_label, a blank model field's choices) is a
    prompt in the reader's language."""
    if value in ("", None) and str(label) == DJANGO_EMPTY_LABEL:
        label = _("Velg …")
    return _plain_create_option(self, name, value, label, *args, **kwargs)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Navn på nøkkelen"),
        max_length=100,
        help_text=_("F.eks. «Rapport til økonomisystemet»."),
        widget=forms.TextInput(attrs={"class": "ds-input"}),
    )
    scope = forms.ChoiceField(
        label=_("Tilgang"),
        choices=ApiToken.Scope.choices,
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
    days = forms.IntegerField(
        label=_("Gyldig i antall dager"),
        min_value=1,
        max_value=366,
        initial=90,
        widget=forms.NumberInput(attrs={"class": "ds-input"}),
    )


class AuditFilterForm(forms.Form):
    object_id = forms.CharField(
        label=_("Objekt-ID"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"class": "ds-input"}),
    )
    person = forms.CharField(
        label=_("Utført av (brukernavn)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"class": "ds-input"}),
    )
    # The choices (each action in words) are the reader's page's to set (felles.web).
    action = forms.ChoiceField(
        label=_("Handling"),
        required=False,
        choices=[],
        widget=forms.Select(attrs={"class": "ds-input"}),
    )

    def __init__(self, *args: Any, actions: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", _("Alle handlinger")), *actions]


def add_service_errors(form: forms.BaseForm, exc: ServiceError) -> None:
    """Show a service's refusal on the form that asked for it: the message at the top of
    the form, and each field error on its field (or at the top when the form has no such
    field). A `Forbidden` is no form error: it becomes the 403 page."""
    if isinstance(exc, Forbidden):
        raise RefusedByService(exc.message) from exc
    if not any(exc.message in errors for errors in exc.field_errors.values()):
        form.add_error(None, exc.message)
    for name, errors in exc.field_errors.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, error)
