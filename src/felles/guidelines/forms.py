"""The guideline pages' forms. They check shape; the services decide the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from felles.catalog.models import ServiceArea
from felles.core.locale import localized
from felles.guidelines.models import Adoption, Kind

INPUT = {"class": "ds-input"}


class LocalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = localized(obj, "name")
        abbreviation = getattr(obj, "abbreviation", "")
        return f"{abbreviation} – {name}" if abbreviation else name


def _text(label: Any, rows: int = 4, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={**INPUT, "rows": rows}), **kwargs
    )


def _date(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date", **INPUT}), **kwargs
    )


TEXT_HELP = _(
    "Vanlig tekst. Tom linje gir nytt avsnitt, «# » en overskrift, «- » et punkt og "
    "**dette** fet skrift."
)


class VersionForm(forms.Form):
    text = _text(_("Tekst"), rows=14, max_length=100_000, help_text=TEXT_HELP)
    changes = _text(_("Endringer fra forrige versjon"), rows=3, max_length=5000, required=False)
    effective_from = _date(_("Gjelder fra"))
    respond_by = _date(
        _("Svarfrist for departementene"),
        help_text=_("Innen denne datoen skal hvert departement svare om det har innført den."),
    )


class GuidelineForm(VersionForm):
    title = forms.CharField(label=_("Tittel"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    code = forms.SlugField(
        label=_("Kode"),
        max_length=40,
        help_text=_("Kort navn i adressen, for eksempel «reiseregning»."),
        widget=forms.TextInput(attrs=INPUT),
    )
    kind = forms.ChoiceField(
        label=_("Type"), choices=Kind.choices, widget=forms.Select(attrs=INPUT)
    )
    area = LocalChoiceField(
        queryset=ServiceArea.objects.all(),
        label=_("Tjenesteområde"),
        widget=forms.Select(attrs=INPUT),
    )

    field_order = ["title", "code", "kind", "area", "owner", "text", "effective_from", "respond_by"]

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = LocalChoiceField(
            queryset=owners, label=_("Eier"), widget=forms.Select(attrs=INPUT)
        )
        self.order_fields(self.field_order)
        del self.fields["changes"]


class AdoptForm(forms.Form):
    decision = _text(
        _("Vedtak"),
        rows=3,
        max_length=10000,
        required=False,
        help_text=_("Tomt: «Versjonen vedtas og gjelder fra …»."),
    )
    reasons = _text(_("Begrunnelse"), rows=3, max_length=10000)


class WithdrawForm(forms.Form):
    reason = _text(_("Hvorfor trekkes den tilbake?"), rows=3, max_length=2000)


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Departementets svar"),
        choices=Adoption.Status.choices,
        widget=forms.RadioSelect,
    )
    addition = _text(_("Lokalt tillegg"), rows=3, max_length=5000, required=False)
    reason = _text(_("Begrunnelse for unntaket"), rows=3, max_length=5000, required=False)
    ends_on = _date(_("Unntaket gjelder til"), required=False)
