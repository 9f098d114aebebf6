"""The audit trail is append-only and tamper-evident."""

from __future__ import annotations

import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from felles.core import audit
from felles.core.actor import Actor
from felles.core.models import AuditEvent
from felles.core.tests.tampering import tamper
from felles.organisations import services
from felles.organisations.models import Organisation


@pytest.fixture
def chain(db, actor: Actor) -> list[AuditEvent]:
    services.sync_reference_organisations(actor=actor)
    return list(AuditEvent.objects.order_by("sequence"))


def test_every_write_leaves_a_chained_event(chain: list[AuditEvent]) -> None:
    assert len(chain) == Organisation.objects.count() == 21
    assert chain[0].previous_hash == audit.GENESIS_HASH
    for earlier, later in itertools.pairwise(chain):
        assert later.previous_hash == earlier.hash
        assert later.sequence == earlier.sequence + 1
    assert audit.verify_chain().ok


def test_unchanged_sync_writes_no_events(chain: list[AuditEvent], actor: Actor) -> None:
    assert services.sync_reference_organisations(actor=actor) == 0
    assert AuditEvent.objects.count() == len(chain)


def test_event_records_who_what_and_before_after(chain: list[AuditEvent], actor: Actor) -> None:
    kud = Organisation.objects.get(abbreviation="KUD")
    with transaction.atomic():
        event = audit.record(
            actor=Actor.system("tester"),
            action="test.rename",
            obj=kud,
            changes=audit.diff({"name_nb": "A"}, {"name_nb": "B"}),
        )
    assert event.actor_label == "system:tester"
    assert event.object_id == str(kud.uuid)
    assert event.changes == {"name_nb": ["A", "B"]}


def test_altered_row_is_detected(chain: list[AuditEvent]) -> None:
    victim = chain[5]
    # Bypass the ORM and database guards the way an attacker with database access would.
    tamper("UPDATE core_auditevent SET object_repr = 'forfalsket' WHERE id = %s", [victim.pk])
    report = audit.verify_chain()
    assert not report.ok
    assert report.broken_at == victim.sequence
    assert report.checked == 5
    with pytest.raises(CommandError, match=f"#{victim.sequence}"):
        call_command("audit", "verify")


def test_deleted_row_is_detected(chain: list[AuditEvent]) -> None:
    tamper("DELETE FROM core_auditevent WHERE sequence = %s", [chain[3].sequence])
    report = audit.verify_chain()
    assert report.broken_at == chain[3].sequence


def test_deleting_the_newest_rows_is_detected(chain: list[AuditEvent]) -> None:
    tamper("DELETE FROM core_auditevent WHERE sequence > %s", [len(chain) - 2])
    assert not audit.verify_chain().ok


def test_orm_refuses_update_and_delete(chain: list[AuditEvent]) -> None:
    event = chain[0]
    event.action = "changed"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


@pytest.mark.django_db(transaction=True)
def test_record_outside_transaction_is_refused(actor: Actor) -> None:
    services.sync_reference_organisations(actor=actor)
    with pytest.raises(RuntimeError):
        audit.record(actor=actor, action="x", obj=Organisation.objects.first())


def test_verify_command_reports_intact_chain(chain: list[AuditEvent], capsys) -> None:
    call_command("audit", "verify")
    assert "21 hendelser" in capsys.readouterr().out


def test_save_values_creates_changes_and_skips_an_unchanged_save(db) -> None:
    """The upsert editing services share: created and changed rows are recorded with the
    diff; saving the same values again writes nothing."""
    from felles.core.models import ApiToken
    from felles.core.services import create_api_token
    from felles.organisations.tests.factories import make_person

    services.sync_reference_organisations(actor=Actor.system("t"))
    person = make_person(Organisation.objects.get(abbreviation="KUD"), "eva")
    token = create_api_token(actor=Actor.system("t"), user=person.user, name="a").token
    before = AuditEvent.objects.count()
    with transaction.atomic():
        audit.save_values(
            token,
            new=ApiToken,
            values={"name": "b"},
            fields=["name"],
            actor=Actor.system("t"),
            action="core.api_token",
        )
    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.action, event.changes) == ("core.api_token.change", {"name": ["a", "b"]})
    with transaction.atomic():
        audit.save_values(
            token,
            new=ApiToken,
            values={"name": "b"},
            fields=["name"],
            actor=Actor.system("t"),
            action="core.api_token",
        )
    assert AuditEvent.objects.count() == before + 1
