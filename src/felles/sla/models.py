"""SLA state per order (derived from the order's events; recomputable at any time) and
office hours per provider."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from felles.core.calendar import OfficeHours
from felles.organisations.models import Organisation


class OfficeHoursConfig(models.Model):
    """A provider's office hours, when they differ from the state's usual ones."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="office_hours"
    )
    start = models.TimeField(_("åpner"), default=dt.time(8, 0))
    end = models.TimeField(_("stenger"), default=dt.time(15, 45))
    summer_end = models.TimeField(_("stenger om sommeren"), default=dt.time(15, 0))
    half_day_end = models.TimeField(_("stenger på halve dager"), default=dt.time(12, 0))

    def __str__(self) -> str:
        return f"{self.organisation.abbreviation}: {self.start:%H:%M}–{self.end:%H:%M}"

    def as_hours(self) -> OfficeHours:
        return OfficeHours(
            start=self.start,
            end=self.end,
            summer_end=self.summer_end,
            half_day_end=self.half_day_end,
        )


class OrderSla(models.Model):
    """The SLA clocks of one order as of the last event (deadlines do not depend on the
    time of computation; `state` does, and the scan keeps it current)."""

    class State(models.TextChoices):
        NONE = "none", _("Ikke startet")
        OK = "ok", _("Innenfor")
        WARNING = "warning", _("Snart brudd")
        BREACHED = "breached", _("Brudd")
        PAUSED = "paused", _("Pauset")
        MET = "met", _("Overholdt")

    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="sla")
    priority = models.CharField(max_length=10)
    state = models.CharField(max_length=10, choices=State.choices, default=State.NONE)
    response_target = models.FloatField(null=True, blank=True)
    resolution_target = models.FloatField(null=True, blank=True)
    approval_minutes = models.FloatField(default=0)
    response_minutes = models.FloatField(default=0)
    resolution_minutes = models.FloatField(default=0)
    paused_minutes = models.FloatField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    response_due = models.DateTimeField(null=True, blank=True)
    resolution_due = models.DateTimeField(null=True, blank=True)
    resolution_warn_at = models.DateTimeField(null=True, blank=True)
    response_breached = models.BooleanField(default=False)
    finished = models.BooleanField(default=False)
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["state", "resolution_due"], name="sla_state_due"),
            models.Index(fields=["state", "resolution_warn_at"], name="sla_state_warn"),
            models.Index(fields=["response_breached", "response_due"], name="sla_response_due"),
        ]

    def __str__(self) -> str:
        return f"SLA {self.order_id}: {self.state}"
