"""Numbers and dates at their bounds: a month outside 2000–2100 on the invoice list, and
amounts too large for an invoice line (one absurd row, or many rows summed) never answer
500 or stop the month's run without saying which rows are to blame."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from felles.core.validators import DATE_RANGE_MESSAGE


def _client(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


@pytest.mark.parametrize(
    ("month", "why"),
    [
        ("9999-12", DATE_RANGE_MESSAGE),
        ("1999-12", DATE_RANGE_MESSAGE),
        ("2101-01", DATE_RANGE_MESSAGE),
        ("0001-01", DATE_RANGE_MESSAGE),
        ("banan", "«banan» er ikke en måned"),
    ],
)
def test_a_month_outside_the_date_bounds_shows_the_default_with_a_message(
    billing, month, why
) -> None:
    page = _client(billing.coordinator).get("/faktura/", {"maaned": month})
    assert page.status_code == 200
    default = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    assert page.context["month"] == default
    assert why in page.text and f"Viser {default}." in page.text


@pytest.mark.parametrize("month", ["2000-01", "2100-12"])
def test_the_first_and_last_months_in_bounds_are_shown(billing, month) -> None:
    page = _client(billing.coordinator).get("/faktura/", {"maaned": month})
    assert page.status_code == 200 and page.context["month"] == month
    start, end = page.context["period"]
    assert start.day == 1 and (end + dt.timedelta(days=1)).day == 1
