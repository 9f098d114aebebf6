"""Archive work for the ministries under model 2 (issue 21): archive periods, archive jobs
(each the work on one order of DIO's `if-*` services), their retention decisions and
disposal log, the Arkade test report of a deposit or transfer, spot checks of the journal
and Arkivverket's inspections. The ministry keeps the archive responsibility: DIO's
archive team prepares and carries out, the ministry's information-management coordinator
or leader approves."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from felles.core.models import PublicModel
from felles.core.visibility import VisibleQuerySet
from felles.orders.models import Order
from felles.organisations.models import Organisation, Person

TITLE_MAX = 200
TEXT_MAX = 4000
REPORT_MAX_BYTES = 10 * 1024 * 1024


class RecordsQuerySet(VisibleQuerySet[models.Model]):
    """`visible_to(user)`: the rules in `records.selectors`."""


class ArchivePeriod(PublicModel):
    """One archive period of a ministry (Noark 5 arkivdel): from, to, the system it lives
    in and how far it has come."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktiv periode")
        OVERLAP = "overlap", _("Overlappingsperiode")
        CLOSED = "closed", _("Avsluttet periode")
        DEPOSITED = "deposited", _("Deponert")
        TRANSFERRED = "transferred", _("Avlevert")

    ministry = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("navn"), max_length=TITLE_MAX)
    system = models.CharField(_("system"), max_length=TITLE_MAX)
    starts_on = models.DateField(_("fra"))
    ends_on = models.DateField(_("til"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )

    objects = RecordsQuerySet.as_manager()

    class Meta:
        ordering = ["ministry", "starts_on"]
        verbose_name = _("arkivperiode")
        verbose_name_plural = _("arkivperioder")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="records_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.system})"


class ArchiveJob(PublicModel):
    """The archive team's work on one order of an `if-*` service: the order carries the
    queue, SLA, checklist and showback; the job adds dates, volumes, retention decisions,
    the test report and the ministry's approval."""

    class Kind(models.TextChoices):
        PERIODISATION = "periodisation", _("Periodisering")
        DEPOSIT = "deposit", _("Deponering")
        TRANSFER = "transfer", _("Avlevering")
        PAPER = "paper", _("Eldre papirarkiv")
        DIGITISATION = "digitisation", _("Skanning og mediekonvertering")
        DISPOSAL = "disposal", _("Bevaring og kassasjon")
        OTHER = "other", _("Annet arkivoppdrag")

    ministry = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="archive_job")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("tittel"), max_length=TITLE_MAX)
    period = models.ForeignKey(
        ArchivePeriod,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
        verbose_name=_("arkivperiode"),
    )
    planned_start = models.DateField(_("planlagt start"), null=True, blank=True)
    planned_end = models.DateField(_("planlagt ferdig"), null=True, blank=True)
    actual_start = models.DateField(_("faktisk start"), null=True, blank=True)
    actual_end = models.DateField(_("faktisk ferdig"), null=True, blank=True)
    shelf_metres = models.DecimalField(
        _("hyllemeter"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    record_count = models.PositiveIntegerField(_("antall saker/dokumenter"), null=True, blank=True)
    report_path = models.CharField(max_length=300, blank=True)
    report_name = models.CharField(_("testrapport"), max_length=TITLE_MAX, blank=True)
    report_type = models.CharField(max_length=10, blank=True)  # html | pdf | xml
    report_size = models.PositiveIntegerField(null=True, blank=True)
    report_sha256 = models.CharField(max_length=64, blank=True)
    report_uploaded_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = RecordsQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("arkivoppdrag")
        verbose_name_plural = _("arkivoppdrag")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="records_job_planned_ordered",
            ),
            models.CheckConstraint(
                condition=Q(shelf_metres__isnull=True) | Q(shelf_metres__gte=0),
                name="records_job_shelf_metres_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def needs_report(self) -> bool:
        return self.kind in (self.Kind.DEPOSIT, self.Kind.TRANSFER)


class RetentionDecision(PublicModel):
    """A retention decision that applies to (part of) the material of a job (Noark 5
    M450–M453): keep, dispose of, or assess later, with the disposal date."""

    class Decision(models.TextChoices):
        KEEP = "keep", _("Bevares")
        DISPOSE = "dispose", _("Kasseres")
        LATER = "later", _("Vurderes senere")

    job = models.ForeignKey(ArchiveJob, on_delete=models.CASCADE, related_name="retention")
    material = models.CharField(_("materiale"), max_length=TITLE_MAX)
    decision = models.CharField(_("kassasjonsvedtak"), max_length=10, choices=Decision.choices)
    retention_years = models.PositiveSmallIntegerField(_("bevaringstid (år)"), null=True)
    closed_on = models.DateField(_("saken avsluttet"), null=True, blank=True)
    disposal_on = models.DateField(_("kassasjonsdato"), null=True, blank=True)
    basis = models.CharField(_("kassasjonshjemmel"), max_length=TITLE_MAX, blank=True)

    objects = RecordsQuerySet.as_manager()

    class Meta:
        ordering = ["job", "created_at"]
        verbose_name = _("kassasjonsvedtak")
        verbose_name_plural = _("kassasjonsvedtak")

    def __str__(self) -> str:
        return f"{self.material}: {self.get_decision_display()}"


class DisposalEntry(PublicModel):
    """One disposal the ministry approved (the log: what, how much, who approved, when
    it was carried out)."""

    job = models.ForeignKey(ArchiveJob, on_delete=models.CASCADE, related_name="disposals")
    decision = models.ForeignKey(
        RetentionDecision, on_delete=models.PROTECT, related_name="disposals"
    )
    description = models.CharField(_("hva som kasseres"), max_length=TITLE_MAX)
    volume = models.CharField(_("omfang"), max_length=TITLE_MAX, blank=True)
    approved_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField(_("godkjent"))

    objects = RecordsQuerySet.as_manager()

    class Meta:
        ordering = ["-approved_on", "-created_at"]
        verbose_name = _("godkjent kassasjon")
        verbose_name_plural = _("kassasjonslogg")

    def __str__(self) -> str:
        return self.description


class SpotCheck(PublicModel):
    """A spot check of the ministry's journal: the extract's size and fingerprint, the seed
    and the sample drawn from it (`records.rules.sample_size` / `draw_sample`)."""

    ministry = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("tittel"), max_length=TITLE_MAX)
    filename = models.CharField(_("fil"), max_length=TITLE_MAX)
    sha256 = models.CharField(max_length=64)
    population = models.PositiveIntegerField(_("antall rader i uttrekket"))
    seed = models.BigIntegerField(_("frø"))
    sample_size = models.PositiveIntegerField(_("utvalg"))
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    objects = RecordsQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("stikkprøvekontroll")
        verbose_name_plural = _("stikkprøvekontroller")

    def __str__(self) -> str:
        return self.title


class SpotCheckItem(PublicModel):
    """One sampled journal entry and what the coordinator found."""

    class Finding(models.TextChoices):
        UNCHECKED = "", _("Ikke kontrollert")
        OK = "ok", _("I orden")
        MISSING_CAPTURE = "missing_capture", _("Mangler dokumentfangst")
        WRONG_ACCESS_CODE = "wrong_access_code", _("Feil tilgangskode")
        MISSING_OFFICER = "missing_officer", _("Mangler saksbehandler")
        WRONG_CLASSIFICATION = "wrong_classification", _("Feil arkivkode")
        OTHER = "other", _("Annet avvik")

    spot_check = models.ForeignKey(SpotCheck, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    row_number = models.PositiveIntegerField(_("rad"))
    reference = models.CharField(_("saks-/dokumentnummer"), max_length=TITLE_MAX, blank=True)
    title = models.CharField(_("tittel"), max_length=TEXT_MAX, blank=True)
    data = models.JSONField(default=dict)
    finding = models.CharField(
        _("funn"), max_length=30, choices=Finding.choices, blank=True, default=""
    )
    note = models.CharField(_("merknad"), max_length=TEXT_MAX, blank=True)
    action = models.CharField(_("oppfølging"), max_length=TEXT_MAX, blank=True)
    action_done = models.BooleanField(_("oppfølging utført"), default=False)

    objects = RecordsQuerySet.as_manager()

    class Meta:
        ordering = ["spot_check", "position"]
        verbose_name = _("stikkprøve")
        verbose_name_plural = _("stikkprøver")
        constraints = [
            models.UniqueConstraint(fields=["spot_check", "position"], name="records_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.spot_check}: {self.reference or self.row_number}"

    @property
    def is_deviation(self) -> bool:
        return self.finding not in ("", self.Finding.OK)


class Inspection(PublicModel):
    """An inspection (tilsyn) of the ministry's archive by Arkivverket (Nasjonalarkivet)."""

    ministry = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("tittel"), max_length=TITLE_MAX)
    authority = models.CharField(_("tilsynsmyndighet"), max_length=TITLE_MAX)
    held_on = models.DateField(_("tilsynsdato"))
    response_due = models.DateField(_("frist for svar"), null=True, blank=True)

    objects = RecordsQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("tilsyn")
        verbose_name_plural = _("tilsyn")

    def __str__(self) -> str:
        return self.title


class InspectionFinding(PublicModel):
    """A finding of an inspection, the action that answers it, its deadline and status."""

    class Status(models.TextChoices):
        OPEN = "open", _("Åpen")
        IN_PROGRESS = "in_progress", _("Under arbeid")
        DONE = "done", _("Lukket")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    finding = models.CharField(_("funn"), max_length=TEXT_MAX)
    action = models.CharField(_("tiltak"), max_length=TEXT_MAX)
    responsible = models.CharField(_("ansvarlig"), max_length=TITLE_MAX, blank=True)
    deadline = models.DateField(_("frist"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )

    objects = RecordsQuerySet.as_manager()

    class Meta:
        ordering = ["inspection", "deadline", "created_at"]
        verbose_name = _("tilsynsfunn")
        verbose_name_plural = _("tilsynsfunn")

    def __str__(self) -> str:
        return self.finding[:80]
