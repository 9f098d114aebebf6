"""Hooks governance offers the apps above it (docs/architecture.md, «When something must
flow upward»).

`action_subjects`: governance's action items (`ActionItem`) belong to a meeting or to
another app's record, the item's *subject* (an incident, a ROS analysis, an exercise).
Governance cannot import those apps, so the subject's app registers, in its
`AppConfig.ready()`, who sees its records (and so their items), who handles them (adds and
completes items) and where a record's page is. A model nobody registered has no subject
items: adding one is refused and nobody but the owner sees it.

`reopen_refusal`: a decided case another app acted on (guidelines adopted a version by
its decision) may not be reopened; that app says why, and `reopen_case` refuses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import QuerySet

from felles.core.events import FirstAnswer
from felles.core.types import AnyUser


@dataclass(frozen=True)
class ActionSubject:
    """What governance needs to know about one kind of subject record."""

    visible: Callable[[AnyUser], QuerySet[Any]]  # the records the user may see
    handles: Callable[[AnyUser, Any], bool]  # may add and complete the record's items
    url: Callable[[Any], str]  # the record's page


class ActionSubjects:
    """The registry: `register(Model, ActionSubject(...))`, `get(model or record)`."""

    name = "governance.events.action_subjects"

    def __init__(self) -> None:
        self._subjects: dict[str, ActionSubject] = {}

    def register(self, model: type[models.Model], subject: ActionSubject) -> None:
        """Register (or, when `ready()` runs again, replace) the rules of `model`."""
        self._subjects[model._meta.label_lower] = subject

    def get(self, model: type[models.Model] | models.Model | None) -> ActionSubject | None:
        if model is None:
            return None
        return self._subjects.get(model._meta.label_lower)

    def __repr__(self) -> str:
        return f"Registry({self.name})"


action_subjects = ActionSubjects()


reopen_refusal: FirstAnswer[str] = FirstAnswer(
    "governance.reopen_refusal",
    "Why a decided case may not be reopened (`case=`): a bokmål text from the app whose "
    "record the decision settled (guidelines: the decision adopted a guideline version, "
    "which ministries now follow; withdraw or replace the version instead), or None. "
    "`reopen_case` refuses with it and saves nothing. Answered by guidelines.",
)
