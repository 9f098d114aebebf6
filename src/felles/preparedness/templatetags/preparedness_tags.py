"""The area's sub-navigation shows only the pages the reader may open: the same rules the
views' `@requires` use."""

from __future__ import annotations

from typing import Any

from django import template

from felles.governance import selectors as governance_selectors
from felles.preparedness import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def preparedness_pages(context: Any) -> dict[str, bool]:
    """Which of the area's pages the request's user may open (`{% preparedness_pages as
    pages %}`), each rule asked once per page."""
    user = context["request"].user
    works = selectors.works_on_security(user)
    return {
        "analyses": works,
        "exercises": selectors.may_see_exercises(user),
        "stock": selectors.may_see_stock(user),
        "contracts": works,
        "self_report": works,
        "statistics": selectors.may_see_overview(user),
        "arenas": governance_selectors.may_see_dialogue(user),
    }
