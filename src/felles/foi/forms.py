"""The FOI pages' forms: registering a request, importing an eInnsyn order file, the case
owner, a decision on one item, the answer, appeals and the statistics' filter."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from felles.core.locale import localized
from felles.foi.models import Appeal, Outcome, Request
from felles.foi.services import ItemIn
from felles.organisations.forms import PersonChoiceField
from felles.organisations.models import Organisation, Person

INPUT = {"class": "ds-input"}
TEXT = {"class": "ds-input", "rows": 3}


def _date(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date", **INPUT}), **kwargs
    )


def ministry_people(ministries: Any) -> Any:
    """The active people of the ministries offered (the service checks the ministry)."""
    return (
        Person.objects.filter(organisation__in=ministries, active=True)
        .select_related("organisation")
        .order_by("organisation__abbreviation", "last_name", "first_name")
    )


class MinistryField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.abbreviation} – {localized(obj, 'name')}"


class RegisterForm(forms.Form):
    ministry = MinistryField(
        queryset=Organisation.objects.none(),
        label=_("Departement"),
        widget=forms.Select(attrs=INPUT),
    )
    source = forms.ChoiceField(
        label=_("Kanal"),
        choices=[
            (Request.Source.EMAIL, _("E-post")),
            (Request.Source.FORM, _("Skjema eller brev")),
        ],
        widget=forms.Select(attrs=INPUT),
    )
    received_on = _date(_("Mottatt"))
    requester_email = forms.CharField(
        label=_("Innsynskreverens adresse"),
        max_length=254,
        help_text=_("E-post eller postadresse: det eneste vi trenger for å svare."),
        widget=forms.TextInput(attrs=INPUT),
    )
    requester_name = forms.CharField(
        label=_("Navn (valgfritt)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=INPUT),
    )
    documents = forms.CharField(
        label=_("Dokumenter"),
        help_text=_(
            "Ett dokument per linje: saksnummer; dokumentnummer; journalnummer; saksbehandler "
            "– eller en kort beskrivelse av hva kravet gjelder."
        ),
        max_length=20000,
        widget=forms.Textarea(attrs=TEXT),
    )
    case_owner = PersonChoiceField(
        queryset=Person.objects.none(),
        label=_("Saksansvarlig i departementet (valgfritt)"),
        required=False,
        help_text=_(
            "Tom: departementets koordinator for informasjonsforvaltning. Har departementet "
            "ingen, velg en person i departementet."
        ),
        widget=forms.Select(attrs=INPUT),
    )

    def __init__(self, *args: Any, ministries: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ministry"].queryset = ministries
        self.fields["case_owner"].queryset = ministry_people(ministries)
        self.fields["received_on"].initial = timezone.localdate()

    def clean_documents(self) -> list[ItemIn]:
        items = []
        for line in self.cleaned_data["documents"].splitlines():
            line = line.strip()
            if not line:
                continue
            if ";" in line:
                parts = [p.strip() for p in line.split(";")] + ["", "", "", ""]
                if len(parts[0]) > 40 or len(parts[1]) > 20 or len(parts[2]) > 40:
                    raise forms.ValidationError(_("Et saks- eller dokumentnummer er for langt."))
                items.append(ItemIn(parts[0], parts[1], parts[2], parts[3][:200]))
            else:
                items.append(ItemIn(title=line[:500]))
        if not items:
            raise forms.ValidationError(_("Kravet må gjelde minst ett dokument."))
        return items


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Bestillingsfil fra eInnsyn (XML)"),
        widget=forms.ClearableFileInput(attrs={"class": "ds-input", "accept": ".xml,text/xml"}),
    )
    ministry = MinistryField(
        queryset=Organisation.objects.none(),
        label=_("Departement"),
        required=False,
        help_text=_("Tom: departementet bestillingen er adressert til."),
        widget=forms.Select(attrs=INPUT),
    )
    received_on = _date(_("Mottatt"), required=False, help_text=_("Tom: datoen i bestillingen."))
    case_owner = PersonChoiceField(
        queryset=Person.objects.none(),
        label=_("Saksansvarlig i departementet (valgfritt)"),
        required=False,
        help_text=_(
            "Tom: departementets koordinator for informasjonsforvaltning. Har departementet "
            "ingen, velg en person i departementet."
        ),
        widget=forms.Select(attrs=INPUT),
    )

    def __init__(self, *args: Any, ministries: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ministry"].queryset = ministries
        self.fields["case_owner"].queryset = ministry_people(ministries)


class CaseOwnerForm(forms.Form):
    person = PersonChoiceField(
        queryset=Person.objects.none(), label=_("Saksansvarlig i departementet")
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


MEIRINNSYN = [("", _("Ikke vurdert")), ("yes", _("Ja, merinnsyn gitt")), ("no", _("Nei"))]


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Utfall"), choices=Outcome.choices, widget=forms.Select(attrs=INPUT)
    )
    section = forms.IntegerField(
        label=_("Hjemmel: offentleglova §"),
        required=False,
        min_value=1,
        max_value=32,
        widget=forms.NumberInput(attrs=INPUT),
    )
    subsection = forms.IntegerField(
        label=_("ledd"),
        required=False,
        min_value=1,
        max_value=9,
        widget=forms.NumberInput(attrs=INPUT),
    )
    letter = forms.CharField(
        label=_("nummer eller bokstav"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs=INPUT),
    )
    other_basis = forms.CharField(
        label=_("jf. (taushetsplikt i annen lov)"),
        required=False,
        max_length=200,
        help_text=_("For eksempel «fvl. § 13 første ledd nr. 1»."),
        widget=forms.TextInput(attrs=INPUT),
    )
    withheld = forms.CharField(
        label=_("Hva som er unntatt (sladdet)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs=TEXT),
    )
    forwarded_to = forms.CharField(
        label=_("Videresendt til"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs=INPUT),
    )
    meirinnsyn = forms.ChoiceField(
        label=_("Merinnsyn vurdert (offl. § 11)"),
        choices=MEIRINNSYN,
        required=False,
        widget=forms.Select(attrs=INPUT),
    )
    meirinnsyn_reason = forms.CharField(
        label=_("Vurdering av merinnsyn"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs=TEXT),
    )
    assessment = forms.CharField(
        label=_("Vurdering"), required=False, max_length=10000, widget=forms.Textarea(attrs=TEXT)
    )

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["meirinnsyn"] = {"yes": True, "no": False}.get(data.get("meirinnsyn") or "")
        return data

    @staticmethod
    def initial_from(decision: Any) -> dict[str, Any]:
        if decision is None:
            return {}
        initial = {name: getattr(decision, name) for name in DECISION_NAMES}
        initial["meirinnsyn"] = {True: "yes", False: "no"}.get(decision.meirinnsyn, "")
        return initial


DECISION_NAMES = (
    "outcome",
    "section",
    "subsection",
    "letter",
    "other_basis",
    "withheld",
    "forwarded_to",
    "meirinnsyn_reason",
    "assessment",
)


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Svar til innsynskreveren"),
        max_length=50000,
        widget=forms.Textarea(attrs={"class": "ds-input", "rows": 14}),
    )
    answered_on = _date(_("Sendt"))


class AppealForm(forms.Form):
    received_on = _date(_("Klage mottatt"))


class FullerReasonsForm(forms.Form):
    asked_on = _date(_("Fyldigere grunngiving krevd"))
    sent_on = _date(_("Grunngiving sendt"), required=False)


class AppealOutcomeForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Utfall"),
        choices=[c for c in Appeal.Result.choices if c[0] != Appeal.Result.PENDING],
        widget=forms.Select(attrs=INPUT),
    )
    decided_on = _date(_("Avgjort"))
    note = forms.CharField(
        label=_("Merknad"), required=False, max_length=5000, widget=forms.Textarea(attrs=TEXT)
    )


class StatisticsForm(forms.Form):
    ministry = MinistryField(
        queryset=Organisation.objects.none(),
        label=_("Departement"),
        required=False,
        widget=forms.Select(attrs=INPUT),
    )
    start = _date(_("Fra og med"), required=False)
    end = _date(_("Til og med"), required=False)

    def __init__(self, *args: Any, ministries: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ministry"].queryset = ministries

    def period(self) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("start") or dt.date(today.year, 1, 1)
        end = data.get("end") or dt.date(today.year, 12, 31)
        return (start, end) if start <= end else (end, start)
