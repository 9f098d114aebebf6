from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from felles.catalog.models import ServiceArea
from felles.core.formatting import localise_limits
from felles.costing.selectors import METHOD_LABELS


class NumberForm(forms.Form):
    """A form whose number fields state their limits the reader's way («0,99», «−50»)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localise_limits(self)


class ProposeForm(forms.Form):
    effective_from = forms.DateField(
        label=_("Gjelder fra"), widget=forms.DateInput(attrs={"type": "date", "class": "ds-input"})
    )
    method = forms.ChoiceField(
        label=_("Fordelingsmetode"),
        choices=list(METHOD_LABELS.items()),  # lazy: the reader's language
        initial="reciprocal",
        required=False,  # as in the API: the reciprocal method unless another is chosen
        widget=forms.Select(attrs={"class": "ds-input"}),
    )


class AdjustForm(NumberForm):
    percent = forms.DecimalField(
        label=_("Generell justering (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=-50,
        max_value=50,
        widget=forms.NumberInput(attrs={"class": "ds-input", "step": "0.1"}),
    )


class ApproveForm(forms.Form):
    decision_reference = forms.CharField(
        label=_("Vedtak (referanse)"),
        max_length=200,
        help_text=_("F.eks. «DFDs vedtak 2026/1234 om priser for 2027»."),
        widget=forms.TextInput(attrs={"class": "ds-input"}),
    )


INPUT = {"class": "ds-input"}
UPLOAD = forms.ClearableFileInput(
    attrs={
        **INPUT,
        "accept": ".csv,.xlsx,text/csv,application/vnd."
        "openxmlformats-officedocument.spreadsheetml.sheet",
    }
)


class ApproveWithDecisionForm(ApproveForm):
    """Approval that may rest on a decided case in the governance register."""

    def __init__(self, *args: Any, decisions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"] = forms.ModelChoiceField(
            queryset=decisions,
            required=False,
            label=_("Vedtak i styringsregisteret"),
            help_text=_("Velg DFDs vedtak om prisene; da fylles referansen ut av seg selv."),
            widget=forms.Select(attrs=INPUT),
        )
        self.fields["decision_reference"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("decision") and not (data.get("decision_reference") or "").strip():
            raise forms.ValidationError(_("Velg vedtaket eller skriv referansen til det."))
        return data


class BudgetPostForm(NumberForm):
    chapter = forms.IntegerField(
        label=_("Kapittel"), min_value=1, max_value=9999, widget=forms.NumberInput(attrs=INPUT)
    )
    post = forms.RegexField(
        label=_("Post"),
        regex=r"^[0-9]{2}$",
        error_messages={"invalid": _("Posten er to sifre, f.eks. 01.")},
        widget=forms.TextInput(attrs={**INPUT, "inputmode": "numeric", "maxlength": 2}),
    )
    name = forms.CharField(label=_("Navn"), max_length=150, widget=forms.TextInput(attrs=INPUT))
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[("expense", _("Utgift (bevilgning)")), ("revenue", _("Inntekt (budsjettert)"))],
        widget=forms.Select(attrs=INPUT),
    )
    amount = forms.DecimalField(
        label=_("Beløp (kr)"),
        min_value=0,
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs=INPUT),
    )
    transferable = forms.BooleanField(label=_("Kan overføres"), required=False)

    def __init__(self, *args: Any, expense_posts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["funds"] = forms.ModelChoiceField(
            queryset=expense_posts,
            required=False,
            label=_("Merinntektsfullmakt for utgiftspost"),
            help_text=_("For inntektsposter: utgiftsposten inntekten kan brukes på."),
            widget=forms.Select(attrs=INPUT),
        )


class FileForm(forms.Form):
    file = forms.FileField(label=_("Fil (CSV eller XLSX)"), widget=UPLOAD)


class LedgerImportForm(FileForm):
    file = forms.FileField(
        label=_("Regnskapsutdrag (CSV eller XLSX)"),
        help_text=_(
            "Kolonner: kapittel; post; beløp (hittil i år); dato (samme dato på alle rader)."
        ),
        widget=UPLOAD,
    )


class MappingImportForm(FileForm):
    file = forms.FileField(
        label=_("Ressurskartlegging (CSV eller XLSX)"),
        help_text=_("Kolonner: departement; område; årsverk; merknad (valgfri)."),
        widget=UPLOAD,
    )


class ScenarioForm(NumberForm):
    name = forms.CharField(label=_("Navn"), max_length=100, widget=forms.TextInput(attrs=INPUT))
    areas = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Områder som flyttes"),
        widget=forms.SelectMultiple(attrs={**INPUT, "size": 5}),
    )
    average_salary = forms.DecimalField(
        label=_("Gjennomsnittslønn (kr)"),
        min_value=1,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs=INPUT),
    )
    pension_rate = forms.DecimalField(
        label=_("Pensjonspremie (andel, 0,12 = 12 %)"),
        min_value=0,
        max_value=Decimal("0.99"),
        max_digits=5,
        decimal_places=4,
        widget=forms.NumberInput(attrs={**INPUT, "step": "0.001"}),
    )
    employer_tax_rate = forms.DecimalField(
        label=_("Arbeidsgiveravgift (andel)"),
        initial=Decimal("0.141"),
        min_value=0,
        max_value=Decimal("0.99"),
        max_digits=5,
        decimal_places=4,
        widget=forms.NumberInput(attrs={**INPUT, "step": "0.001"}),
    )
    operating_cost_per_fte = forms.DecimalField(
        label=_("Driftskostnad per årsverk (kr)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        initial=0,
        widget=forms.NumberInput(attrs=INPUT),
    )
    rent_per_workplace = forms.DecimalField(
        label=_("Husleie per arbeidsplass (kr)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        initial=0,
        widget=forms.NumberInput(attrs=INPUT),
    )
    releases_space = forms.BooleanField(label=_("Departementene frigjør arealer"), required=False)
    efficiency_cut = forms.DecimalField(
        label=_("Gevinstuttak (andel)"),
        min_value=0,
        max_value=Decimal("0.99"),
        max_digits=5,
        decimal_places=4,
        initial=0,
        widget=forms.NumberInput(attrs={**INPUT, "step": "0.001"}),
    )
    target = forms.CharField(
        label=_("Til kapittel/post"),
        initial="kap. 1510 post 01",
        max_length=40,
        widget=forms.TextInput(attrs=INPUT),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = ServiceArea.objects.all()  # type: ignore[attr-defined]


class ModelImportForm(NumberForm):
    provider = forms.ModelChoiceField(
        label=_("Leverandør"),
        queryset=None,
        to_field_name="abbreviation",
        widget=forms.Select(attrs=INPUT),
    )
    year = forms.IntegerField(
        label=_("År"), min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=INPUT)
    )
    name = forms.CharField(
        label=_("Navn på modellen"), max_length=150, widget=forms.TextInput(attrs=INPUT)
    )
    file = forms.FileField(
        label=_("Arbeidsbok (XLSX)"),
        help_text=_(
            "Arkene «Kostnadssteder», «Fordelingsnøkler» (med periode) og «Tjenester» – "
            "last ned en modell for å se formatet. Finnes modellen, erstattes den."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                **INPUT,
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )

    def __init__(self, *args: Any, providers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]
