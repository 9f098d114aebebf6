"""Import of metered usage: every row checked first, nothing written on error, and the same
file twice does not count twice."""

from __future__ import annotations

from decimal import Decimal

import pytest

from felles.core.services import ServiceError
from felles.core.tabular import ImportFileError
from felles.invoicing import importing
from felles.invoicing.models import UsageImport, UsageRecord
from felles.testing import import_usage, usage_csv


def test_reimport_of_the_same_file_adds_nothing(billing, actor) -> None:
    content = usage_csv(
        "srv-mobil;KUD;31.10.2026;120;mobil-2026-10;nei;;",
        "srv-mobil;972417807;31.10.2026;80,5;mobil-2026-10;nei;;",  # FIN by org number
    )
    first = import_usage(billing.dss, content)
    assert first.creates == 2 and first.total == Decimal("120") * 289 + Decimal("80.5") * 289
    again = importing.plan_usage(billing.dss, content, "forbruk.csv")
    assert again.ok and (again.creates, again.existing) == (0, 2)
    importing.apply_usage(actor=actor, plan=again, person=None)
    assert UsageRecord.objects.count() == 2
    assert UsageImport.objects.count() == 2  # both attempts are on record


def test_every_error_is_reported_and_nothing_is_written(billing, actor) -> None:
    content = usage_csv(
        "srv-mobil;KUD;31.10.2026;10;a;nei;;",  # fine
        "ukjent;KUD;31.10.2026;10;b;nei;;",
        "srv-mobil;XYZ;31.10.2026;10;c;nei;;",
        "srv-mobil;KUD;31.13.2026;10;d;nei;;",
        "srv-mobil;KUD;31.10.2026;-3;e;nei;;",
        "srv-mobil;KUD;31.10.2026;1.234;f;nei;;",
        "srv-mobil;KUD;31.10.2030;1;g;nei;;",
        "srv-mobler;KUD;20.10.2026;1;h;ja;;",  # pass-through without its cost
        "srv-mobil;KUD;31.10.2026;1;i;nei;99;",  # a price where the price list applies
        "srv-mobil;KUD;31.10.2026;10;a;nei;;",  # the first row again
        "if-utvalg;KUD;31.10.2026;1;j;nei;;",  # a DIO service in a DSS file
        "srv-mobil;KUD;31.10.2026;1;k;kanskje;;",
    )
    plan = importing.plan_usage(billing.dss, content, "forbruk.csv")
    assert not plan.ok
    got = [(e.row, e.column) for e in plan.errors]
    assert got == [
        (3, "tjeneste"),
        (4, "departement"),
        (5, "dato"),
        (6, "mengde"),
        (7, "mengde"),
        (8, "dato"),
        (9, "enhetspris"),
        (10, "enhetspris"),
        (11, "referanse"),
        (12, "tjeneste"),
        (13, "videreformidlet"),
    ]
    assert "er ikke en tjeneste fra DSS" in plan.errors[0].message
    with pytest.raises(ServiceError, match="ikke importert"):
        importing.apply_usage(actor=actor, plan=plan, person=None)
    assert not UsageRecord.objects.exists() and not UsageImport.objects.exists()


def test_a_changed_row_is_an_error_not_a_silent_update(billing, actor) -> None:
    import_usage(billing.dss, usage_csv("srv-mobil;KUD;31.10.2026;120;mobil;nei;;"))
    plan = importing.plan_usage(
        billing.dss, usage_csv("srv-mobil;KUD;31.10.2026;125;mobil;nei;;"), "rettet.csv"
    )
    assert [e.message for e in plan.errors] == [
        "Raden er importert før med mengde 120. Rett den med en ny referanse eller en "
        "kreditnota, ikke ved å importere på nytt."
    ]
    assert UsageRecord.objects.get().quantity == Decimal("120")


def test_unreadable_files_are_refused_clearly(billing) -> None:
    with pytest.raises(ImportFileError, match="CSV"):
        importing.plan_usage(billing.dss, b"x", "forbruk.pdf")
    plan = importing.plan_usage(billing.dss, b"tjeneste;dato\nsrv-mobil;1.1.2026", "f.csv")
    assert {e.column for e in plan.errors} == {"departement", "mengde"}
