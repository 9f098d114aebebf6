"""Template context shared by every page: the signed-in person and the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from felles.core.permissions import Rule
from felles.governance import selectors as governance_selectors
from felles.invoicing import selectors as invoicing_selectors
from felles.organisations import selectors
from felles.sla import selectors as sla_selectors


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)  # absent on error pages before authentication ran
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items: list[tuple[str, str, Rule | None]] = [
        (_("Forside"), reverse("home"), None),
        (_("Tjenester"), reverse("catalogue"), None),
        (_("Mine bestillinger"), reverse("my_orders"), None),
        (_("Til godkjenning"), reverse("approvals"), None),
        (_("Kø"), reverse("queue"), selectors.works_for_provider),
        (
            _("Departementets bestillinger"),
            reverse("ministry_orders"),
            selectors.is_ordering_coordinator,
        ),
        (_("Tjenestenivå"), reverse("sla_report"), sla_selectors.may_see_reports),
        (_("Priser"), reverse("cost_models"), None),
        (_("Faktura og forbruk"), reverse("invoices"), invoicing_selectors.may_see_invoices),
        (_("Fakturering"), reverse("invoice_runs"), invoicing_selectors.may_see_runs),
        (_("Styring"), reverse("governance_cases"), None),
        (_("Kundedialog"), reverse("dialogue"), governance_selectors.may_see_dialogue),
        (_("Portefølje"), reverse("portfolio"), None),
        (_("Personer"), reverse("people"), None),
        (_("Organisasjoner"), reverse("organisations"), None),
        (_("Import"), reverse("import"), selectors.is_administrator),
        (_("Revisjonslogg"), reverse("audit"), selectors.can_read_audit),
        (_("Jobber"), reverse("jobs"), selectors.is_administrator),
        (_("API-nøkler"), reverse("tokens"), None),
    ]
    path = request.path
    nav = [
        {
            "label": label,
            "url": url,
            "current": path == url or (url != "/" and path.startswith(url)),
        }
        for label, url, rule in items
        if rule is None or rule(user)
    ]
    return {"nav_items": nav, "me": selectors.person_for(user)}
