"""The personnel-security registers (metadata only: never graded information)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The security grading levels of the Security Act (sikkerhetsloven § 5-3), lowest
    first: what an authorisation, a clearance, a graded room or a graded contract is for."""

    BEGRENSET = "begrenset", _("BEGRENSET")
    KONFIDENSIELT = "konfidensielt", _("KONFIDENSIELT")
    HEMMELIG = "hemmelig", _("HEMMELIG")
    STRENGT_HEMMELIG = "strengt_hemmelig", _("STRENGT HEMMELIG")

    @classmethod
    def rank(cls, value: str) -> int:
        """0 for BEGRENSET … 3 for STRENGT HEMMELIG (a clearance covers the levels below)."""
        return list(cls.values).index(value)
