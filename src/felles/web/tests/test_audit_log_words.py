"""The audit log reads as sentences: actions in words, people and objects by name (with
links the reader may follow), Oslo time, and the raw event one click away."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from felles.core.actor import Actor
from felles.orders import services as order_services
from felles.testing.matrix import karis_phone_order
from felles.web.audit_words import (
    ACTIONS,
    action_sentence,
    actor_name,
    field_label,
    value_text,
)


def _outside_raw(body: str) -> str:
    """The text a reader sees without opening a raw event (option values are no text)."""
    return re.sub(r"<details.*?</details>|<select.*?</select>", "", body, flags=re.S)


def test_every_action_a_service_records_has_words() -> None:
    translation.activate("nb")
    assert action_sentence("orders.order.submit") == "Sendte en bestilling"
    assert action_sentence("no.such.thing") == "Endring registrert"
    assert action_sentence("organisations.unit.create", "organisations.unit") == "Opprettet enhet"
    assert "." not in action_sentence("x.y.frobnicate", "orders.order")
    assert actor_name("system:felles demo") == "Felles demo-data"
    assert actor_name("system:sla") == "Felles (system)"
    assert all("." not in str(words) for words in ACTIONS.values())
    # A relation named in the changes (no verbose name of its own) has a label too.
    assert field_label("organisations.person", "roles") == "roles"
    assert field_label("orders.order", "status") == "status"
    assert value_text("orders.order", "status", "awaiting_approval") != "awaiting_approval"
    assert value_text("orders.order", "approved_at", "2026-11-18T08:05:00+00:00") == (
        "18.11.2026 09:05"
    )


@pytest.mark.parametrize("language", ["nb", "en"])
def test_audit_log_shows_words_names_links_and_oslo_time(
    personas, client: Client, frozen_clock, language: str
) -> None:
    order = karis_phone_order(personas)
    order_services.decide(
        actor=Actor(user=personas.manager.user),
        step=order.steps.get(),
        decider=personas.manager,
        on_behalf_of=personas.manager,
        approve=True,
    )
    client.force_login(personas.auditor.user)
    client.post("/sprak/", {"language": language, "next": "/"})
    response = client.get("/revisjon/")
    assert response.status_code == 200
    body = response.content.decode()
    visible = _outside_raw(body)
    for code in ("orders.order.submit", "orders.approval.decide", "system:matrix"):
        assert code not in visible, code
        assert code in body  # one click away, in the raw event
    assert str(order.uuid) not in re.sub(r'href="[^"]*"', "", visible)
    submitted = "Sendte en bestilling" if language == "nb" else "Placed an order"
    assert submitted in visible
    assert "Felles (system)" in visible
    assert "Per Testesen (KUD)" in visible
    assert f'href="/personer/{personas.manager.uuid}/"' in visible
    assert f'href="/bestillinger/{order.uuid}/"' in visible
    assert "18.11.2026 09:0" in visible  # Europe/Oslo, dd.mm.yyyy hh:mm
    assert re.search(r">[^<]*\d{4}-\d{2}-\d{2}T", visible) is None  # no ISO time as text


def test_audit_filter_by_action_in_words(personas, client: Client) -> None:
    karis_phone_order(personas)
    client.force_login(personas.admin.user)
    body = client.get("/revisjon/", {"action": "orders.order.submit"}).content.decode()
    assert "1 hendelse" in body
    assert '<option value="orders.order.submit" selected>Sendte en bestilling</option>' in body


def test_every_audit_action_in_the_code_has_its_own_words() -> None:
    """Each `action="app.thing.verb"` a service records reads as a sentence of its own
    (`ACTIONS`), or as a known verb with the object's name — never the generic «Endring»."""
    import re
    from pathlib import Path

    from felles.web import audit_words

    root = Path(audit_words.__file__).resolve().parents[1]
    # Whole codes (app.object.verb); prefixes a helper completes are left out.
    literal = re.compile(r'action="([a-z_]+\.[a-z_]+\.[a-z_]+)"')
    codes = {
        code
        for path in root.glob("*/**/*.py")
        if "tests" not in path.parts
        for code in literal.findall(path.read_text(encoding="utf-8"))
    }
    assert len(codes) > 50
    bare = sorted(
        code
        for code in codes
        if code not in audit_words.ACTIONS and code.rsplit(".", 1)[-1] not in audit_words.VERBS
    )
    assert bare == []


def test_the_security_areas_records_are_masked_in_the_audit_log(personas, client: Client) -> None:
    """An incident report (issue 20) in the audit log: the action and the kind of record,
    never the reporter, the incident or what was written — for the administrator too."""
    import datetime as dt

    from django.utils import timezone

    from felles.preparedness import services as preparedness_services

    preparedness_services.report_incident(
        actor=Actor(user=personas.employee.user),
        reporter=personas.employee,
        kind="loss",
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        severity=2,
        summary="Mistet adgangskort ved inngang A",
    )
    client.force_login(personas.admin.user)
    body = client.get("/revisjon/", {"action": "preparedness.incident.report"}).content.decode()
    assert "1 hendelse" in body and "Meldte en sikkerhetshendelse" in body
    assert "Mistet adgangskort" not in body
    assert "Kari" not in _outside_raw(body)
    export = client.get("/revisjon/", {"format": "xlsx"})
    assert export.status_code == 200 and b"Mistet adgangskort" not in export.content
