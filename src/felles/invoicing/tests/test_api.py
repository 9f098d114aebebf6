"""The invoicing API: provider finance runs a month through review, approval and issue;
the ministry reads its invoice and EHF and disputes a line; the provider answers."""

from __future__ import annotations

from felles.testing import OCTOBER, client_for, import_usage, usage_csv


def test_a_month_through_the_api(billing) -> None:
    import_usage(billing.dss, usage_csv("srv-mobil;KUD;31.10.2026;10;m;nei;;"))
    siri, marte = client_for(billing.siri), client_for(billing.marte)
    body = {
        "provider": "DSS",
        "period_start": OCTOBER[0].isoformat(),
        "period_end": OCTOBER[1].isoformat(),
    }
    run = siri.post("/api/v1/invoice-runs", body, "application/json").json()
    url = f"/api/v1/invoice-runs/{run['id']}/actions"
    assert siri.post(url, {"action": "review"}, "application/json").json()["status"] == "reviewed"
    # The reviewer may not also approve (attestasjon and godkjenning are two people).
    refused = siri.post(url, {"action": "approve"}, "application/json")
    assert refused.status_code in (400, 409, 422)
    assert marte.post(url, {"action": "approve"}, "application/json").json()["status"] == "approved"
    issued = marte.post(url, {"action": "issue"}, "application/json").json()
    assert issued["status"] == "issued"

    ingrid = client_for(billing.coordinator)
    invoices = ingrid.get("/api/v1/invoices").json()["items"]
    assert [i["ministry"] for i in invoices] == ["KUD"] and invoices[0]["number"].startswith(
        "DSS-F"
    )
    ehf = ingrid.get(f"/api/v1/invoices/{invoices[0]['id']}/ehf")
    assert ehf["Content-Type"].startswith("application/xml") and b"<Invoice" in ehf.content
    assert (
        client_for(billing.outsider).get(f"/api/v1/invoices/{invoices[0]['id']}").status_code == 403
    )

    dispute = ingrid.post(
        f"/api/v1/invoices/{invoices[0]['id']}/disputes",
        {"position": 1, "reason": "Vi har bare 8 abonnementer."},
        "application/json",
    ).json()
    answer = marte.post(
        f"/api/v1/disputes/{dispute['id']}/resolve",
        {"accept": False, "resolution": "Ti var aktive hele måneden."},
        "application/json",
    ).json()
    assert answer["status"] == "rejected"
    detail = ingrid.get(f"/api/v1/invoices/{invoices[0]['id']}").json()
    assert detail["lines"][0]["disputes"][0]["resolution"] == "Ti var aktive hele måneden."


def test_reading_all_bills_is_not_answering_disputes(billing) -> None:
    from felles.organisations.models import Organisation, Role
    from felles.organisations.tests.factories import make_person
    from felles.testing import issued_run

    run = issued_run(billing)
    invoice = run.invoices.get(ministry=billing.kud)
    ingrid = client_for(billing.coordinator)
    dispute = ingrid.post(
        f"/api/v1/invoices/{invoice.uuid}/disputes",
        {"position": 1, "reason": "Feil"},
        "application/json",
    ).json()
    # A DIO manager who is also an auditor reads every bill but answers none of DSS's.
    nora = make_person(
        Organisation.objects.get(abbreviation="DIO"),
        "nora",
        roles=[Role.PROVIDER_MANAGER, Role.AUDITOR],
    )
    answer = client_for(nora).post(
        f"/api/v1/disputes/{dispute['id']}/resolve", {"accept": True}, "application/json"
    )
    assert answer.status_code == 404
    assert (
        client_for(billing.governance)
        .post(f"/api/v1/disputes/{dispute['id']}/resolve", {"accept": True}, "application/json")
        .status_code
        == 403
    )
