"""The main menu: the one place that decides which entries a person sees, grouped by what
they come to do (order, deliver, finance, governance, administration). The menu shows
what a person's roles use; it grants nothing (every page checks its own rule)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from felles.agreements import selectors as agreement_selectors
from felles.catalog import selectors as catalog_selectors
from felles.core.types import AnyUser
from felles.foi import selectors as foi_selectors
from felles.governance import selectors as governance_selectors
from felles.hr import selectors as hr_selectors
from felles.invoicing import selectors as invoicing_selectors
from felles.organisations import selectors
from felles.organisations.models import Role
from felles.records import selectors as records_selectors
from felles.rooms import selectors as rooms_selectors
from felles.security import selectors as security_selectors
from felles.sla import selectors as sla_selectors

Check = Callable[[AnyUser], bool]


def _any_role(*roles: Role) -> Check:
    return lambda user: any(selectors.has_role(user, role) for role in roles)


def _everyone(user: AnyUser) -> bool:
    return True


def _in_an_organisation(user: AnyUser) -> bool:
    return selectors.person_for(user) is not None or bool(user.is_superuser)


# Who uses which page (the page itself still decides who may open it).
APPROVERS = _any_role(
    Role.LINE_MANAGER, Role.BUDGET_HOLDER, Role.SECURITY_COORDINATOR, Role.ADMINISTRATOR
)
PRICE_READERS = _any_role(
    Role.PROVIDER_MANAGER,
    Role.CUSTOMER_CONTACT,
    Role.ORDERING_COORDINATOR,
    Role.BUDGET_HOLDER,
    Role.GOVERNANCE,
    Role.AUDITOR,
    Role.ADMINISTRATOR,
)
GOVERNANCE_READERS = _any_role(
    Role.GOVERNANCE,
    Role.COUNCIL_MEMBER,
    Role.ORDERING_COORDINATOR,
    Role.PROVIDER_MANAGER,
    Role.CUSTOMER_CONTACT,
    Role.AUDITOR,
    Role.ADMINISTRATOR,
)
PORTFOLIO_READERS = _any_role(
    Role.GOVERNANCE,
    Role.COUNCIL_MEMBER,
    Role.PROVIDER_MANAGER,
    Role.AUDITOR,
    Role.ADMINISTRATOR,
)
DIRECTORY_READERS = _any_role(
    Role.LINE_MANAGER,
    Role.ORDERING_COORDINATOR,
    Role.PROVIDER_AGENT,
    Role.PROVIDER_MANAGER,
    Role.CUSTOMER_CONTACT,
    Role.GOVERNANCE,
    Role.AUDITOR,
    Role.ADMINISTRATOR,
)


@dataclass(frozen=True)
class Entry:
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    entries: list[Entry]


def _groups() -> list[tuple[str, str, list[tuple[str, str, Check]]]]:
    return [
        (
            "bestille",
            _("Bestille"),
            [
                (_("Tjenester"), "catalogue", _in_an_organisation),
                (_("Mine bestillinger"), "my_orders", catalog_selectors.may_order),
                (_("Møterom"), "rooms", rooms_selectors.may_use_rooms),
                (_("Til godkjenning"), "approvals", APPROVERS),
                (_("Lønnsendringer til DFØ"), "hr-salary-changes", hr_selectors.uses_hr_orders),
                (
                    _("Departementets bestillinger"),
                    "ministry_orders",
                    selectors.is_ordering_coordinator,
                ),
            ],
        ),
        (
            "levere",
            _("Levere"),
            [
                (_("Kø"), "queue", selectors.works_for_provider),
                (_("Tjenestenivå"), "sla_report", sla_selectors.may_see_reports),
            ],
        ),
        (
            "okonomi",
            _("Økonomi"),
            [
                (_("Priser"), "cost_models", PRICE_READERS),
                (_("Faktura og forbruk"), "invoices", invoicing_selectors.may_see_invoices),
                (_("Fakturering"), "invoice_runs", invoicing_selectors.may_see_runs),
            ],
        ),
        (
            "styring",
            _("Styring"),
            [
                (_("Styring"), "governance_cases", GOVERNANCE_READERS),
                (_("Kundedialog"), "dialogue", governance_selectors.may_see_dialogue),
                (
                    _("Leveranseavtaler"),
                    "agreements",
                    agreement_selectors.may_see_agreements,
                ),
                (_("Portefølje"), "portfolio", PORTFOLIO_READERS),
            ],
        ),
        (
            "fagomrader",
            _("Fagområder"),
            [
                (_("Retningslinjer"), "guidelines", _in_an_organisation),
                (_("Kunngjøringer"), "notices", _in_an_organisation),
                (_("Sikkerhet og beredskap"), "preparedness", _in_an_organisation),
                (_("Personellsikkerhet"), "security_register", security_selectors.in_menu),
                (
                    _("Arkiv og informasjonsforvaltning"),
                    "records_home",
                    records_selectors.uses_records,
                ),
                (_("Innsynskrav"), "foi_requests", foi_selectors.in_menu),
                (
                    _("Statistikk for innsynskrav"),
                    "foi_statistics",
                    foi_selectors.statistics_in_menu,
                ),
                (_("HR-statistikk"), "hr", hr_selectors.may_see_statistics),
            ],
        ),
        (
            "admin",
            _("Admin"),
            [
                (_("Personer"), "people", DIRECTORY_READERS),
                (_("Organisasjoner"), "organisations", DIRECTORY_READERS),
                (_("Import"), "import", selectors.is_administrator),
                (_("Revisjonslogg"), "audit", selectors.can_read_audit),
                (_("Leselogg"), "read_log", selectors.can_read_audit),
                (_("Jobber"), "jobs", selectors.is_administrator),
                (_("API-nøkler"), "tokens", _everyone),
            ],
        ),
    ]


def menu_for(user: AnyUser, path: str = "") -> list[Group]:
    """The groups of entries `user` sees (empty groups left out), the current page marked."""
    if not getattr(user, "is_authenticated", False):
        return []
    groups = []
    for key, label, items in _groups():
        entries = []
        for entry_label, name, check in items:
            if not check(user):
                continue
            url = reverse(name)
            current = path == url or (url != "/" and path.startswith(url))
            entries.append(Entry(entry_label, url, current))
        if entries:
            groups.append(Group(key, label, entries))
    # Only the most specific entry is the current page (/bestillinger/departementet/ is
    # not also /bestillinger/).
    current = [e for g in groups for e in g.entries if e.current]
    if len(current) > 1:
        best = max(current, key=lambda e: len(e.url))
        groups = [
            Group(g.key, g.label, [Entry(e.label, e.url, e is best) for e in g.entries])
            for g in groups
        ]
    return groups
