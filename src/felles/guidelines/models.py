"""Guidelines, routines and standards common to the ministries: the guideline, its
versions (draft → on hearing → adopted → replaced/withdrawn, each hearing and adoption a
governance case) and each ministry's adoption status per guideline."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from felles.core.models import PublicModel
from felles.core.visibility import VisibleQuerySet


class Kind(models.TextChoices):
    GUIDELINE = "guideline", _("Retningslinje")
    ROUTINE = "routine", _("Rutine")
    STANDARD = "standard", _("Standard")


class Guideline(PublicModel):
    """A common guideline, routine or standard in one service area, owned by a provider or
    by DFD. Its text lives in its versions; its state is its newest version's."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    title = models.CharField(_("tittel"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.GUIDELINE)
    area = models.ForeignKey(
        "catalog.ServiceArea",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tjenesteområde"),
    )
    owner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("eier"),
    )

    class Meta:
        ordering = ["area__position", "title"]
        verbose_name = _("retningslinje")
        verbose_name_plural = _("retningslinjer")

    def __str__(self) -> str:
        return self.title


class VersionQuerySet(VisibleQuerySet["Version"]):
    """`visible_to(user)`: `guidelines.selectors.visible_version_filter`."""


class Version(PublicModel):
    """One version of a guideline's text. It goes on hearing as a governance case and is
    adopted by that case's decision; adopting the next version replaces it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        HEARING = "hearing", _("På høring")
        ADOPTED = "adopted", _("Vedtatt")
        REPLACED = "replaced", _("Erstattet")
        WITHDRAWN = "withdrawn", _("Trukket tilbake")

    guideline = models.ForeignKey(Guideline, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("versjon"))
    text = models.TextField(_("tekst"))
    changes = models.TextField(_("endringer fra forrige versjon"), blank=True)
    effective_from = models.DateField(_("gjelder fra"))
    respond_by = models.DateField(_("svarfrist for departementene"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    case = models.ForeignKey(
        "governance.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sak"),
    )
    written_by = models.ForeignKey(
        "organisations.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_at = models.DateTimeField(_("vedtatt"), null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Title, code, text and changes case-folded: the search is the same on every database
    # (SQLite's LIKE folds only ASCII, so «Ø» would not find «ø»).
    search_text = models.TextField(blank=True, editable=False)

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["guideline", "-number"]
        verbose_name = _("versjon")
        verbose_name_plural = _("versjoner")
        constraints = [
            models.UniqueConstraint(fields=["guideline", "number"], name="version_number_once"),
            models.UniqueConstraint(
                fields=["guideline"],
                condition=Q(status="adopted"),
                name="version_one_adopted",
            ),
            models.UniqueConstraint(
                fields=["guideline"],
                condition=Q(status__in=["draft", "hearing"]),
                name="version_one_in_progress",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["adopted", "replaced"]) | Q(adopted_at__isnull=False),
                name="version_adopted_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guideline.title} v{self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        g = self.guideline
        self.search_text = "\n".join((g.title, g.code, self.text, self.changes)).casefold()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Adoption(PublicModel):
    """A ministry's answer to an adopted version: adopted, adopted with a local addition,
    or an exception with its reason and end date."""

    class Status(models.TextChoices):
        ADOPTED = "adopted", _("Innført")
        LOCAL = "local", _("Innført med lokalt tillegg")
        EXCEPTION = "exception", _("Unntak")

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="adoptions")
    ministry = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("departement"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    addition = models.TextField(_("lokalt tillegg"), blank=True)
    reason = models.TextField(_("begrunnelse for unntaket"), blank=True)
    ends_on = models.DateField(_("unntaket gjelder til"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "organisations.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["ministry__abbreviation"]
        verbose_name = _("innføring")
        verbose_name_plural = _("innføringer")
        constraints = [
            models.UniqueConstraint(fields=["version", "ministry"], name="adoption_once"),
            models.CheckConstraint(
                condition=~Q(status="exception") | (~Q(reason="") & Q(ends_on__isnull=False)),
                name="adoption_exception_reasoned",
            ),
            models.CheckConstraint(
                condition=~Q(status="local") | ~Q(addition=""),
                name="adoption_local_has_addition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version}: {self.ministry_id} {self.status}"
