"""Framework models shared by every app: the public-id base, the audit trail, background
jobs and API tokens. No domain models live here."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublicModel(models.Model):
    """Base for domain rows: integer key inside, a UUID as the public id in URLs and API."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Audit events are only ever added: bulk UPDATE and DELETE are refused here as well
    as by the database's triggers (migration 0003_protect_audit_events)."""

    def update(self, **kwargs: Any) -> int:
        raise RuntimeError("Audit events are append-only.")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise RuntimeError("Audit events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit events are append-only.")

    def _raw_delete(self, using: Any) -> int:
        raise RuntimeError("Audit events are append-only.")


class AuditEvent(models.Model):
    """One append-only record of a write made through a service function.

    Events form a hash chain: `hash` covers the event's content and the previous event's
    hash, and `sequence` has no gaps, so `felles audit verify` finds any altered or deleted
    row. Rows are never updated or deleted through the ORM (instance and queryset methods
    refuse), and the database refuses UPDATE and DELETE on the table too.
    """

    sequence = models.PositiveBigIntegerField(unique=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(max_length=200)
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    on_behalf_of_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, db_index=True)
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(max_length=300)
    # The organisation whose data the event concerns (for later per-ministry audit views).
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("revisjonshendelse")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_repr}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise RuntimeError("Audit events are append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit events are append-only.")


class AuditChainHead(models.Model):
    """A single row holding the end of the audit chain. Writers lock it (SELECT ... FOR
    UPDATE on PostgreSQL; IMMEDIATE transactions serialise writers on SQLite) so two
    concurrent transactions can never both link to the same previous event."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_head_single")]

    def __str__(self) -> str:
        return f"audit chain head at #{self.last_sequence}"


class Job(models.Model):
    """A unit of background work and its stored outcome, visible to administrators."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kø")
        RUNNING = "running", _("Kjører")
        SUCCEEDED = "succeeded", _("Fullført")
        FAILED = "failed", _("Feilet")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=100)
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    run_after = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=3)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)
    # While RUNNING: the worker's lease. Its heartbeat pushes the deadline forward; once it
    # has passed, any worker reclaims the job (the one running it is presumed dead).
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    log = models.TextField(blank=True)
    error = models.TextField(blank=True)
    created_by_label = models.CharField(max_length=200, blank=True)
    # While RUNNING: how far the handler has come (`felles.core.jobs.report_progress`),
    # shown as a progress bar; `progress_total` 0 means "unknown". `result` is what the
    # handler returned for its result page (counts, errors), kept after it has finished.
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    progress_label = models.CharField(max_length=200, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "run_after"], name="job_claim_idx"),
            models.Index(fields=["status", "lease_expires_at"], name="job_lease_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.get_status_display()})"


class ApiToken(models.Model):
    """A personal API token. The secret is shown once; only its SHA-256 digest is stored
    (the secret is 256 random bits, so a fast digest is enough and keeps per-request cost
    negligible — a slow password hash would add nothing)."""

    class Scope(models.TextChoices):
        READ = "read", _("Lese")
        READ_WRITE = "read-write", _("Lese og skrive")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class OutboundMail(models.Model):
    """One e-mail in the outbox (`felles.core.mail`): written in the transaction of the event
    it tells about, with the job that sends it, so it commits or rolls back with the event.
    The worker sends it and sets `sent_at`; it failed for good when its job has failed
    (every attempt used) and it is still unsent. The Message-ID comes from `uuid`, so every
    attempt carries the same one."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    topic = models.CharField(max_length=60)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to = models.CharField(max_length=254)
    language = models.CharField(max_length=8)
    subject = models.CharField(max_length=200)
    text = models.TextField()
    html = models.TextField(blank=True)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("utgående e-post")

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class MailPreference(models.Model):
    """A person's choices for e-mail: the language it is written in and the topics they do
    not want by e-mail (a topic added later reaches everyone until they turn it off)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_preference"
    )
    language = models.CharField(max_length=8, default="nb")
    muted = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("e-postvalg")

    def __str__(self) -> str:
        return f"e-postvalg for {self.user}"
