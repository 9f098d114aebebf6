"""API tokens: shown once, stored as a digest, scoped, expiring and revocable."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from felles.core.actor import Actor
from felles.core.models import ApiToken, AuditEvent
from felles.core.services import ServiceError, create_api_token


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_token_is_stored_only_as_digest(personas) -> None:
    issued = create_api_token(actor=Actor.system("t"), user=personas.employee.user, name="Rapport")
    stored = ApiToken.objects.get()
    assert issued.secret.startswith("fel_") and len(issued.secret) > 40
    assert stored.digest == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert issued.secret not in str(list(ApiToken.objects.values()))
    assert AuditEvent.objects.filter(action="core.api_token.create").exists()


def test_bearer_token_authenticates_and_stamps_last_use(personas, client: Client) -> None:
    issued = create_api_token(actor=Actor.system("t"), user=personas.employee.user, name="x")
    response = client.get("/api/v1/me", **bearer(issued.secret))
    assert response.status_code == 200
    assert response.json()["person"]["email"] == personas.employee.email
    assert ApiToken.objects.get().last_used_at is not None


def test_missing_or_wrong_token_is_401_with_json_message(personas, client: Client) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "message" in response.json()
    assert client.get("/api/v1/me", **bearer("fel_wrong")).status_code == 401


def test_revoked_token_stops_working(personas, client: Client) -> None:
    issued = create_api_token(
        actor=Actor.system("t"),
        user=personas.employee.user,
        name="x",
        scope=ApiToken.Scope.READ_WRITE,
    )
    token_id = issued.token.uuid
    response = client.delete(f"/api/v1/tokens/{token_id}", **bearer(issued.secret))
    assert response.status_code == 200 and response.json()["revoked_at"]
    assert client.get("/api/v1/me", **bearer(issued.secret)).status_code == 401
    assert AuditEvent.objects.filter(action="core.api_token.revoke").count() == 1


def test_expired_token_is_refused(personas, client: Client) -> None:
    issued = create_api_token(actor=Actor.system("t"), user=personas.employee.user, name="x")
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/v1/me", **bearer(issued.secret)).status_code == 401


def test_read_token_cannot_write(personas, client: Client) -> None:
    issued = create_api_token(actor=Actor.system("t"), user=personas.employee.user, name="x")
    response = client.post(
        "/api/v1/absences",
        {
            "person_id": str(personas.employee.uuid),
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-02",
        },
        content_type="application/json",
        **bearer(issued.secret),
    )
    assert response.status_code == 403
    assert response.json()["message"] == "Nøkkelen har bare lesetilgang."


def test_inactive_user_token_is_refused(personas, client: Client) -> None:
    issued = create_api_token(actor=Actor.system("t"), user=personas.employee.user, name="x")
    personas.employee.user.is_active = False
    personas.employee.user.save()
    assert client.get("/api/v1/me", **bearer(issued.secret)).status_code == 401


def test_someone_elses_token_cannot_be_revoked(personas, client: Client) -> None:
    other = create_api_token(actor=Actor.system("t"), user=personas.outsider.user, name="x")
    mine = create_api_token(
        actor=Actor.system("t"),
        user=personas.employee.user,
        name="y",
        scope=ApiToken.Scope.READ_WRITE,
    )
    response = client.delete(f"/api/v1/tokens/{other.token.uuid}", **bearer(mine.secret))
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=other.token.pk).revoked_at is None


def test_token_needs_a_name_and_sane_lifetime(personas) -> None:
    with pytest.raises(ServiceError):
        create_api_token(actor=Actor.system("t"), user=personas.employee.user, name="  ")
    with pytest.raises(ServiceError):
        create_api_token(actor=Actor.system("t"), user=personas.employee.user, name="x", days=1000)


def test_cli_prints_a_working_token(personas, client: Client, capsys) -> None:
    call_command("token", "create", "kari", scope="read")
    secret = capsys.readouterr().out.strip()
    assert client.get("/api/v1/me", **bearer(secret)).json()["username"] == "kari"


def test_web_page_shows_secret_once_and_revokes(personas, client: Client) -> None:
    client.force_login(personas.employee.user)
    response = client.post("/api-nokler/", {"name": "Min rapport", "scope": "read", "days": 30})
    assert response.status_code == 200
    token = ApiToken.objects.get()
    secret = response.context["issued"].secret
    assert secret in response.content.decode()
    assert secret not in client.get("/api-nokler/").content.decode()
    client.post(f"/api-nokler/{token.uuid}/trekk-tilbake/")
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401
