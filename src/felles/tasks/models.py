"""Task checklists (issue 19): a service's task template, versioned from a date like its
service level, and the tasks each order gets from it when it reaches the provider."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from felles.catalog.models import Service
from felles.core.models import PublicModel
from felles.core.visibility import VisibleQuerySet
from felles.orders.models import Order
from felles.organisations.models import Person

NAME_MAX = 200
TEAM_MAX = 100
TEXT_MAX = 2000
OFFSET_MAX = 250  # working days: about a year


class TaskTemplate(PublicModel):
    """A service's task template valid from a date (`valid_to` is set when the next one
    starts). Never edited in place: a change is a new version, and an order keeps the
    tasks it was given."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="task_templates")
    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("oppgavemal")
        verbose_name_plural = _("oppgavemaler")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="task_template_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["service", "valid_from"], name="task_template_start_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service}: oppgavemal fra {self.valid_from:%d.%m.%Y}"


class TaskFields(models.Model):
    """What a template task and an order's task share."""

    position = models.PositiveSmallIntegerField()
    name_nb = models.CharField(_("oppgave"), max_length=NAME_MAX)
    name_en = models.CharField(_("oppgave (engelsk)"), max_length=NAME_MAX, blank=True)
    step_nb = models.CharField(_("steg for kunden"), max_length=NAME_MAX)
    step_en = models.CharField(_("steg for kunden (engelsk)"), max_length=NAME_MAX, blank=True)
    team = models.CharField(_("team eller rolle"), max_length=TEAM_MAX, blank=True)
    required = models.BooleanField(_("påkrevd før løsning"), default=True)
    offset_days = models.PositiveSmallIntegerField(_("frist i virkedager"), null=True, blank=True)

    class Meta:
        abstract = True


class TemplateTask(PublicModel, TaskFields):
    template = models.ForeignKey(TaskTemplate, on_delete=models.CASCADE, related_name="tasks")

    class Meta:
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "position"], name="template_task_once"),
            models.CheckConstraint(
                condition=Q(offset_days__lte=OFFSET_MAX), name="template_task_offset_bounded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template}: {self.name_nb}"


class OrderTaskQuerySet(VisibleQuerySet["OrderTask"]):
    pass


class OrderTask(PublicModel, TaskFields):
    """One task of an order's checklist, copied from the template valid when the order
    reached the provider."""

    class Status(models.TextChoices):
        OPEN = "open", _("Åpen")
        DONE = "done", _("Ferdig")
        SKIPPED = "skipped", _("Hoppet over")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="tasks")
    template = models.ForeignKey(
        TaskTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    due_on = models.DateField(_("frist"), null=True, blank=True)
    assignee = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finished_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    # Internal: for the provider's staff only, never shown to the orderer.
    note = models.TextField(_("internt notat"), blank=True)

    objects = OrderTaskQuerySet.as_manager()

    class Meta:
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="order_task_once"),
            models.CheckConstraint(
                condition=~Q(status="skipped") | ~Q(note=""), name="order_task_skip_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}: {self.name_nb}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
