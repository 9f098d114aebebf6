"""Action items: the one mechanism for follow-up with an owner and a deadline, on a
meeting or on another app's record."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from felles.core.models import PublicModel

_ON_MEETING = Q(meeting__isnull=False, subject_type__isnull=True, subject_id__isnull=True)
_ON_SUBJECT = Q(meeting__isnull=True, subject_type__isnull=False, subject_id__isnull=False)
_NO_ABOUT = Q(about_type__isnull=True, about_id__isnull=True)
_ABOUT = Q(about_type__isnull=False, about_id__isnull=False)


class ActionItem(PublicModel):
    """An action with its owner and due date, the one action-item mechanism. Exactly one
    parent: a meeting, or another app's record (`subject`: an incident, a ROS analysis, an
    exercise), optionally `about` a part of it (a risk). Who sees and handles a subject's
    items is its app's rule (`governance.events.action_subjects`); the owner sees her own."""

    meeting = models.ForeignKey(
        "governance.Meeting",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions",
    )
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    about_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    text = models.CharField(_("oppfølgingspunkt"), max_length=300)
    owner = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("eier")
    )
    due_on = models.DateField(_("frist"))
    done_on = models.DateField(_("utført"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("oppfølgingspunkt")
        verbose_name_plural = _("oppfølgingspunkter")
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="action_subject"),
            models.Index(fields=["owner", "done_on"], name="action_owner"),
        ]
        constraints = [
            models.CheckConstraint(condition=_ON_MEETING | _ON_SUBJECT, name="action_one_parent"),
            models.CheckConstraint(condition=_NO_ABOUT | _ABOUT, name="action_about_whole"),
        ]

    def __str__(self) -> str:
        return self.text
