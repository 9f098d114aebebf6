"""The retention rule for the requester's data (foi.rules.requester_kept_until): the
address and name are erased once the case is closed (no appeal pending, no fuller reasons
owed) and the appeal period is over, plus a margin (FELLES_FOI_RETENTION_MARGIN_DAYS,
default 30 days) for an appeal sent on the last day by post. The appeal period runs from
the answer (moved by fuller reasons sent, fvl. § 29 tredje ledd). A request not answered is
not closed, so its requester is kept. The dry run selects exactly what the real run
erases."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from felles.core import audit
from felles.core.actor import Actor
from felles.core.services import SYSTEM_ONLY, allowed
from felles.foi.models import Appeal, Request

logger = logging.getLogger(__name__)
DEFAULT_MARGIN_DAYS = 30


def margin_days() -> int:
    return int(getattr(settings, "FELLES_FOI_RETENTION_MARGIN_DAYS", DEFAULT_MARGIN_DAYS))


def due_for_erasure(today: dt.date) -> QuerySet[Request]:
    margin = margin_days()
    cutoff = today - dt.timedelta(days=margin)
    # A request not answered is not closed: its requester is kept (foi.rules).
    answered = Q(answered_on__isnull=False, appeal_deadline__lt=cutoff)
    return (
        Request.objects.filter(answered, requester_erased_at__isnull=True)
        .exclude(appeals__result=Appeal.Result.PENDING)
        .exclude(Q(fuller_reasons_asked_on__isnull=False) & Q(fuller_reasons_sent_on__isnull=True))
        .order_by("pk")
    )


@dataclass(frozen=True)
class Erasure:
    dry_run: bool
    request_ids: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.request_ids)


@allowed(SYSTEM_ONLY, gettext_lazy("Bare systemet sletter innsynskreveres opplysninger."))
def erase_requesters(
    *, actor: Actor, today: dt.date | None = None, dry_run: bool = False
) -> Erasure:
    today = today or timezone.localdate()
    with transaction.atomic():
        due = list(due_for_erasure(today).select_for_update())
        ids = tuple(str(r.uuid) for r in due)
        if not dry_run:
            now = timezone.now()
            for request in due:
                Request.objects.filter(pk=request.pk).update(
                    requester_email="", requester_name="", requester_erased_at=now
                )
                audit.record(
                    actor=actor,
                    action="foi.request.erase_requester",
                    obj=request,
                    changes={"requester": ["(slettet)", ""]},
                    organisation_id=request.ministry_id,
                )
    logger.info(
        "foi retention %s: %d request(s) %s",
        "dry run" if dry_run else "run",
        len(ids),
        "due" if dry_run else "erased",
    )
    return Erasure(dry_run=dry_run, request_ids=ids)
