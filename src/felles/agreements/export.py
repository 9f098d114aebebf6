"""The agreement as an Excel workbook: the terms on one sheet, the services with their
volumes and targets on another (the shared `core.exports` writer)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from felles.agreements.models import Agreement
from felles.catalog.models import Priority
from felles.core.exports import xlsx_workbook_response
from felles.core.locale import localized


def _name(person: Any) -> str:
    return person.full_name if person is not None else ""


def _when(value: Any) -> Any:
    return timezone.localtime(value).replace(tzinfo=None) if value else ""


def terms(agreement: Agreement) -> list[list[Any]]:
    return [
        [_("Leverandør"), agreement.provider.abbreviation],
        [_("Departement"), agreement.ministry.abbreviation],
        [_("Versjon"), agreement.version],
        [_("Status"), str(agreement.get_status_display())],
        [_("Gyldig fra"), agreement.valid_from],
        [_("Gyldig til"), agreement.valid_to or _("løpende")],
        [_("Avtalt etterlevelse (%)"), agreement.min_compliance],
        [_("Kontaktperson hos leverandøren"), _name(agreement.provider_contact)],
        [_("Kontaktperson i departementet"), _name(agreement.ministry_contact)],
        [_("Godtatt for departementet av"), _name(agreement.ministry_accepted_by)],
        [_("Godtatt for departementet"), _when(agreement.ministry_accepted_at)],
        [_("Godtatt for leverandøren av"), _name(agreement.provider_accepted_by)],
        [_("Godtatt for leverandøren"), _when(agreement.provider_accepted_at)],
        [_("Særskilte ordninger"), agreement.notes],
    ]


def service_rows(agreement: Agreement) -> tuple[list[str], list[list[Any]]]:
    headers = [_("Tjeneste"), _("Kode"), _("Avtalt volum"), _("Merknad")]
    for _value, label in Priority.choices:
        headers += [
            _("%(priority)s: svartid (timer)") % {"priority": label},
            _("%(priority)s: løsningstid (timer)") % {"priority": label},
        ]
    rows = []
    for line in agreement.lines.all():
        by_priority = {t.priority: t for t in line.targets.all()}
        row: list[Any] = [
            localized(line.service, "name"),
            line.service.code,
            line.volume,
            line.note,
        ]
        for value in Priority.values:
            target = by_priority.get(value)
            row += [target.response_hours, target.resolution_hours] if target else ["", ""]
        rows.append(row)
    return headers, rows


def agreement_workbook(agreement: Agreement) -> HttpResponse:
    headers, rows = service_rows(agreement)
    name = f"avtale-{agreement.provider.abbreviation}-{agreement.ministry.abbreviation}"
    return xlsx_workbook_response(
        f"{name}-v{agreement.version}.xlsx".lower(),
        {
            _("Avtale"): ([_("Felt"), _("Verdi")], terms(agreement)),
            _("Tjenester"): (headers, rows),
        },
    )
