"""FOI requests (innsynskrav): one request per requester and occasion, one item per
requested document, DIO's proposed decision and the ministry's final decision per item,
and appeals. Every request links to the `if-innsyn` order placed on the ministry's behalf
at intake (queue, SLA and showback come from orders)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from felles.core.models import PublicModel
from felles.core.visibility import VisibleQuerySet
from felles.orders.models import Order
from felles.organisations.models import Organisation, Person


class RequestQuerySet(VisibleQuerySet["Request"]):
    """`visible_to(user)`: `foi.selectors.visible_request_filter`."""


class Request(PublicModel):
    class Source(models.TextChoices):
        EINNSYN = "einnsyn", _("eInnsyn")
        EMAIL = "email", _("E-post")
        FORM = "form", _("Skjema eller brev")

    ministry = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("departement")
    )
    order = models.OneToOneField(
        Order, on_delete=models.PROTECT, related_name="foi_request", verbose_name=_("bestilling")
    )
    source = models.CharField(_("kanal"), max_length=10, choices=Source.choices)
    # eInnsyn sends one order file per agency with the same id: the identity of an
    # imported request is (einnsyn_id, ministry).
    einnsyn_id = models.CharField(_("eInnsyn-id"), max_length=100, null=True, blank=True)
    received_on = models.DateField(_("mottatt"))
    # The requester: the minimum (an address to answer; the name only if given), erased
    # by the retention job once the case is closed and the appeal period is over.
    requester_email = models.CharField(_("innsynskreverens adresse"), max_length=254, blank=True)
    requester_name = models.CharField(_("innsynskreverens navn"), max_length=200, blank=True)
    requester_erased_at = models.DateTimeField(null=True, blank=True)
    description = models.TextField(_("hva kravet gjelder"), blank=True, max_length=5000)
    case_owner = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("saksansvarlig i departementet"),
    )
    answered_on = models.DateField(_("besvart"), null=True, blank=True)
    # Stored when answered, so the statistics aggregate in the database.
    working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    items_count = models.PositiveSmallIntegerField(default=0)
    answer_text = models.TextField(_("svar"), blank=True, max_length=50000)
    appeal_deadline = models.DateField(_("klagefrist"), null=True, blank=True)
    fuller_reasons_asked_on = models.DateField(null=True, blank=True)
    fuller_reasons_sent_on = models.DateField(null=True, blank=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("innsynskrav")
        verbose_name_plural = _("innsynskrav")
        indexes = [
            models.Index(fields=["ministry", "received_on"], name="foi_request_ministry_day"),
            models.Index(fields=["answered_on"], name="foi_request_answered"),
            # The statistics read only this index (a year of 100,000 requests: one scan).
            models.Index(
                fields=["received_on", "ministry", "working_days", "items_count"],
                name="foi_request_statistics",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["einnsyn_id", "ministry"], name="foi_request_einnsyn_id_per_ministry"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order.number} ({self.ministry.abbreviation})"


class Outcome(models.TextChoices):
    FULL = "full", _("Innsyn")
    PARTIAL = "partial", _("Delvis innsyn")
    REFUSED = "refused", _("Avslag")
    NOT_CASE_DOCUMENT = "not_case_document", _("Ikke saksdokument")
    DOES_NOT_EXIST = "does_not_exist", _("Finnes ikke")
    FORWARDED = "forwarded", _("Videresendt til annet organ")


NEEDS_BASIS = (Outcome.PARTIAL, Outcome.REFUSED)


class Item(PublicModel):
    """One requested document, as the public journal shows it."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    case_number = models.CharField(_("saksnummer"), max_length=40, blank=True)
    document_number = models.CharField(_("dokumentnummer"), max_length=20, blank=True)
    journal_number = models.CharField(_("journalnummer"), max_length=40, blank=True)
    case_officer = models.CharField(_("saksbehandler"), max_length=200, blank=True)
    title = models.CharField(_("beskrivelse"), max_length=500, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="foi_item_position")
        ]

    def __str__(self) -> str:
        return f"{self.case_number}-{self.document_number}" if self.case_number else self.title


class Decision(PublicModel):
    """DIO's proposed decision or the ministry's final decision on one item."""

    class Stage(models.TextChoices):
        PROPOSED = "proposed", _("Forslag fra DIO")
        FINAL = "final", _("Vedtak i departementet")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="decisions")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    outcome = models.CharField(_("utfall"), max_length=20, choices=Outcome.choices)
    # The legal basis: offentleglova § (paragraph), ledd (subsection), nr./bokstav (letter),
    # and any confidentiality provision in another act (e.g. «fvl. § 13 første ledd nr. 1»).
    section = models.PositiveSmallIntegerField(_("paragraf"), null=True, blank=True)
    subsection = models.PositiveSmallIntegerField(_("ledd"), null=True, blank=True)
    letter = models.CharField(_("nummer eller bokstav"), max_length=10, blank=True)
    other_basis = models.CharField(_("jf. annen lov"), max_length=200, blank=True)
    withheld = models.TextField(_("hva som er unntatt"), blank=True, max_length=5000)
    forwarded_to = models.CharField(_("videresendt til"), max_length=200, blank=True)
    meirinnsyn = models.BooleanField(_("merinnsyn vurdert og gitt"), null=True, blank=True)
    meirinnsyn_reason = models.TextField(_("vurdering av merinnsyn"), blank=True, max_length=5000)
    assessment = models.TextField(_("vurdering"), blank=True, max_length=10000)
    by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    # The request's ministry and day of receipt, copied (they never change) so the
    # statistics count outcomes from one index without joining items and requests.
    ministry = models.ForeignKey(
        Organisation, null=True, on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField(null=True)

    class Meta:
        indexes = [
            models.Index(
                fields=[
                    "stage",
                    "received_on",
                    "ministry",
                    "outcome",
                    "section",
                    "subsection",
                    "letter",
                ],
                name="foi_decision_statistics",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["item", "stage"], name="foi_decision_per_stage"),
            models.CheckConstraint(
                condition=~Q(outcome__in=["partial", "refused"]) | Q(section__isnull=False),
                name="foi_decision_basis",
            ),
        ]

    def legal_basis(self) -> str:
        """«offl. § 13 første ledd, jf. fvl. § 13 første ledd nr. 1» style, or ''."""
        if self.section is None:
            return ""
        text = f"offl. § {self.section}"
        if self.subsection:
            text += f" {ORDINALS.get(self.subsection, f'{self.subsection}.')} ledd"
        if self.letter:
            text += f" {'bokstav' if self.letter.isalpha() else 'nr.'} {self.letter}"
        if self.other_basis:
            text += f", jf. {self.other_basis}"
        return text


ORDINALS = {1: "første", 2: "andre", 3: "tredje", 4: "fjerde", 5: "femte", 6: "sjette"}


class Appeal(PublicModel):
    class Body(models.TextChoices):
        MINISTRY = "ministry", _("Departementet (ny vurdering)")
        KING_IN_COUNCIL = "king", _("Kongen i statsråd")

    class Result(models.TextChoices):
        PENDING = "pending", _("Til behandling")
        UPHELD = "upheld", _("Avslaget opprettholdt")
        PARTLY = "partly", _("Delvis medhold")
        GRANTED = "granted", _("Medhold: innsyn gitt")
        WITHDRAWN = "withdrawn", _("Trukket")

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="appeals")
    received_on = models.DateField(_("klage mottatt"))
    body = models.CharField(_("behandles av"), max_length=10, choices=Body.choices)
    result = models.CharField(
        _("utfall"), max_length=10, choices=Result.choices, default=Result.PENDING
    )
    decided_on = models.DateField(_("avgjort"), null=True, blank=True)
    note = models.TextField(_("merknad"), blank=True, max_length=5000)

    class Meta:
        ordering = ["received_on", "id"]
