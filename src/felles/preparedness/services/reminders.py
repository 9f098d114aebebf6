"""The reminder scan (a periodic job): analyses due for review and suppliers' facility
clearances about to expire. Each reminder goes once (`reminded_on`) to the security
coordinators of the ministries concerned."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.core import audit, mail
from felles.core.actor import Actor
from felles.core.services import SYSTEM_ONLY, allowed
from felles.organisations.models import Person, Role
from felles.preparedness import rules
from felles.preparedness.models import Analysis, GradedContract

TOPIC = mail.topic("preparedness.reminders", gettext_lazy("påminnelser om sikkerhetsarbeid"))


def _coordinators(ministry_ids: set[int]) -> list[Person]:
    return list(
        Person.objects.filter(
            active=True,
            roles__role=Role.SECURITY_COORDINATOR,
            roles__organisation_id__in=ministry_ids,
        ).distinct()
    )


def _notify(people: list[Person], subject: str, headline: str, path: str) -> None:
    for person in people:
        mail.queue_notice(
            to=person.email,
            user_id=person.user_id,
            topic=TOPIC,
            build=lambda: mail.Notice(
                subject=subject,
                headline=headline,
                action_label=_("Åpne i Felles"),
                action_url=mail.absolute(path),
            ),
        )


@allowed(SYSTEM_ONLY, "")
def send_reminders(*, actor: Actor, today: dt.date) -> dict[str, int]:
    counts = {"reviews": 0, "clearances": 0}
    with transaction.atomic():
        due = Analysis.objects.select_for_update().filter(
            status=Analysis.Status.SIGNED,
            reminded_on__isnull=True,
            next_review_on__lte=today + dt.timedelta(days=rules.REVIEW_NOTICE_DAYS + 7),
        )
        for analysis in due.prefetch_related("ministries"):
            assert analysis.next_review_on is not None
            if rules.review_reminder_on(analysis.next_review_on) > today:
                continue
            _notify(
                _coordinators({m.pk for m in analysis.ministries.all()}),
                _("ROS-analysen skal gjennomgås"),
                _("ROS-analysen «%(title)s» skal gjennomgås innen %(date)s.")
                % {"title": analysis.title, "date": f"{analysis.next_review_on:%d.%m.%Y}"},
                reverse("preparedness_analysis", args=[analysis.uuid]),
            )
            Analysis.objects.filter(pk=analysis.pk).update(reminded_on=today)
            audit.record(
                actor=actor,
                action="preparedness.analysis.remind",
                obj=analysis,
                changes={"reminded_on": [None, str(today)]},
            )
            counts["reviews"] += 1
        contracts = GradedContract.objects.select_for_update().filter(
            reminded_on__isnull=True,
            clearance_expires_on__lte=today + dt.timedelta(days=rules.CLEARANCE_NOTICE_DAYS),
        )
        for contract in contracts:
            _notify(
                _coordinators({contract.ministry_id}),
                _("Leverandørklarering utløper"),
                _("Leverandørklareringen for «%(title)s» (%(supplier)s) utløper %(date)s.")
                % {
                    "title": contract.title,
                    "supplier": contract.supplier,
                    "date": f"{contract.clearance_expires_on:%d.%m.%Y}",
                },
                reverse("preparedness_contracts"),
            )
            GradedContract.objects.filter(pk=contract.pk).update(reminded_on=today)
            audit.record(
                actor=actor,
                action="preparedness.contract.remind",
                obj=contract,
                changes={"reminded_on": [None, str(today)]},
                organisation_id=contract.ministry_id,
            )
            counts["clearances"] += 1
    return counts
