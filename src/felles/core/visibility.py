"""One `visible_to(user)` for every model some users may not see.

A model's queryset derives from `VisibleQuerySet`; the app that owns the rule registers it
once in its selectors module (`register(Order, visible_order_filter)`), and the app's
`AppConfig.ready()` imports those selectors. The model module therefore never imports its
selectors, and the rule stays next to the other reads of the app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q

from felles.core.types import AnyUser

M = TypeVar("M", bound=models.Model)
VisibilityRule = Callable[[AnyUser], Q]
_RULES: dict[str, VisibilityRule] = {}


def register(model: type[models.Model], rule: VisibilityRule) -> None:
    """Make `rule(user)` (a Q over `model`) what `Model.objects.visible_to(user)` filters by."""
    _RULES[model._meta.label_lower] = rule


class VisibleQuerySet(models.QuerySet[M]):
    def visible_to(self, user: AnyUser | Any) -> VisibleQuerySet[M]:
        """Rows `user` may see; nothing for a model whose app registered no rule."""
        rule = _RULES.get(self.model._meta.label_lower)
        return self.filter(rule(user)) if rule is not None else self.none()
