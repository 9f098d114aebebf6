"""The decision-rights table: which body decides which kind of question, and who is heard."""

from __future__ import annotations

from django.db.models import QuerySet

from felles.governance.models import DecisionRight


def rights() -> QuerySet[DecisionRight]:
    return DecisionRight.objects.all()
