"""Bundles: a catalogue service that, ordered, creates linked child orders for other
services (possibly at other providers), and the links between the orders it created."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from felles.catalog.models import Service
from felles.core.models import PublicModel
from felles.orders.models import Order
from felles.organisations.models import Person


class Bundle(PublicModel):
    """The bundle definition of one catalogue service: its own order form (`fields`, the
    same shape as the catalogue's form fields) and the date field the children's deadlines
    count from (`anchor_key`: the first working day, or the last)."""

    service = models.OneToOneField(
        Service, on_delete=models.PROTECT, related_name="bundle", verbose_name=_("tjeneste")
    )
    fields = models.JSONField(_("skjemafelter"), default=list)
    anchor_key = models.SlugField(_("datofelt fristene regnes fra"), max_length=40)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("samlebestilling")
        verbose_name_plural = _("samlebestillinger")

    def __str__(self) -> str:
        return self.service.code


class BundleItem(PublicModel):
    """One child the bundle may create: which service, under which condition on the
    bundle's answers, which answers fill the child's form, and its deadline in working
    days from the anchor date (negative: before it)."""

    class Op(models.TextChoices):
        ALWAYS = "", _("Alltid")
        EQUALS = "equals", _("Er lik")
        NOT_EQUALS = "not_equals", _("Er ikke lik")
        CONTAINS = "contains", _("Inneholder")

    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    child_service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="+", verbose_name=_("deltjeneste")
    )
    condition_key = models.SlugField(max_length=40, blank=True)
    condition_op = models.CharField(max_length=12, choices=Op.choices, blank=True, default="")
    condition_value = models.CharField(max_length=150, blank=True)
    # child form field key → bundle form field key, or "@frist" for the child's deadline.
    field_map = models.JSONField(default=dict, blank=True)
    offset_days = models.SmallIntegerField(_("frist i arbeidsdager fra datoen"), default=0)

    class Meta:
        ordering = ["bundle", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(offset_days__gte=-250, offset_days__lte=250),
                name="bundle_item_offset_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.bundle_id}: {self.child_service_id}"


class BundleOrder(PublicModel):
    """A placed bundle: the parent order, its anchor date and the person it is for (who
    may not exist in Felles yet: the name, and the person once found)."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="bundle_order")
    bundle = models.ForeignKey(Bundle, on_delete=models.PROTECT, related_name="+")
    anchor_date = models.DateField(_("dato"))
    person_name = models.CharField(_("navn"), max_length=300, blank=True)
    # The identity the HR import is matched on (never the name alone).
    person_email = models.EmailField(_("e-post"), blank=True)
    person_employee_number = models.CharField(_("ansattnummer"), max_length=40, blank=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.order_id}"


class BundleLink(PublicModel):
    """A child order created by a parent order, with the deadline it was given."""

    parent = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="child_links")
    child = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="parent_link")
    item = models.ForeignKey(BundleItem, null=True, on_delete=models.SET_NULL, related_name="+")
    due_date = models.DateField(_("frist"))

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("child")), name="link_not_self")
        ]

    def __str__(self) -> str:
        return f"{self.parent_id} → {self.child_id}"
