"""A bundle with its children in the API."""

from __future__ import annotations

from typing import Any

import pytest

from felles.bundles.tests.test_containers import onboard
from felles.testing import client_for

pytestmark = pytest.mark.django_db


def test_the_api_reads_a_bundle_with_its_children(bundles: Any) -> None:
    parent = onboard(bundles, ["PC", "Adgangskort"])
    answer = client_for(bundles.manager).get(f"/api/v1/orders/{parent.uuid}/bundle")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["readiness"] == "0 av 3 delbestillinger levert"
    assert data["person_name"] == "Nora Ny"
    assert {c["service"] for c in data["children"]} >= {"Adgangskort"} or data["children"]
    assert len(data["children"]) == 3
    # A child is no bundle; FIN sees nothing.
    child = data["children"][0]["id"]
    assert client_for(bundles.manager).get(f"/api/v1/orders/{child}/bundle").status_code == 404
    outsider = client_for(bundles.outsider)
    assert outsider.get(f"/api/v1/orders/{parent.uuid}/bundle").status_code == 404
