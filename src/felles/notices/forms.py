"""The notice form. It checks shape; the service decides the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from felles.catalog.models import ServiceArea
from felles.core.locale import localized
from felles.governance.selectors import decision_log
from felles.notices.models import Notice
from felles.organisations.models import Organisation

INPUT = {"class": "ds-input"}


class _Local:
    def label_from_instance(self, obj: Any) -> str:
        name = localized(obj, "name")
        abbreviation = getattr(obj, "abbreviation", "")
        return f"{abbreviation} – {name}" if abbreviation else name


class LocalChoiceField(_Local, forms.ModelChoiceField):
    pass


class LocalMultipleChoiceField(_Local, forms.ModelMultipleChoiceField):
    pass


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} {obj.title}"


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Hva gjelder kunngjøringen?"),
        choices=Notice.Kind.choices,
        widget=forms.Select(attrs=INPUT),
    )
    title = forms.CharField(label=_("Tittel"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    body = forms.CharField(
        label=_("Tekst"), max_length=20_000, widget=forms.Textarea(attrs={**INPUT, "rows": 8})
    )
    area = LocalChoiceField(
        queryset=ServiceArea.objects.all(),
        label=_("Tjenesteområde"),
        required=False,
        widget=forms.Select(attrs=INPUT),
    )
    audience = LocalMultipleChoiceField(
        queryset=Organisation.objects.customers().filter(valid_to__isnull=True),
        label=_("Mottakere"),
        required=False,
        help_text=_("Ingen valgt: alle departementene."),
        widget=forms.SelectMultiple(attrs={**INPUT, "size": 8}),
    )
    case = CaseChoiceField(
        queryset=decision_log(),
        label=_("Vedtak i styringen"),
        required=False,
        widget=forms.Select(attrs=INPUT),
    )
    requires_confirmation = forms.BooleanField(
        label=_("Hvert departements bestillerkoordinator må bekrefte"), required=False
    )
