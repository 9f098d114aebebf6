"""The read log keeps its rows when a person it names is deleted (append-only: the
database refuses an UPDATE, so no SET_NULL), and still refuses an UPDATE."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, transaction

from felles.core.actor import Actor
from felles.organisations.models import Person, Role
from felles.organisations.tests.factories import make_person
from felles.security import services
from felles.security.models import Clearance, RegisterRead
from felles.security.tests.test_lapsed import SYSTEM, D


def test_deleting_a_person_named_in_the_read_log_works(world: Any) -> None:
    subject = make_person(world.kud, "leaving")
    reader = make_person(world.kud, "reader", roles=[Role.SECURITY_COORDINATOR])
    row = services.add_clearance(
        actor=SYSTEM,
        ministry=world.kud,
        person=subject,
        level="hemmelig",
        decided_on=D(2022, 6, 20),
        expires_on=D(2027, 6, 18),
    )
    services.record_reads(actor=Actor(user=reader.user), rows=[row], route="page")
    Clearance.objects.filter(pk=row.pk).delete()  # disposed
    Person.objects.filter(pk__in=[subject.pk, reader.pk]).delete()
    read = RegisterRead.objects.select_related("subject", "reader_person").get()
    assert read.subject is None and read.reader_person is None and read.reader
    with pytest.raises(DatabaseError), transaction.atomic():
        RegisterRead.objects.filter(pk=read.pk).update(reader="someone else")
