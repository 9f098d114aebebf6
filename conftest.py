"""Standing personas for every test: an employee, her line manager and the ordering
coordinator in KUD; an outsider in FIN; a DSS provider agent serving KUD only; a DFD
governance user; an auditor; an administrator."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from felles.core.actor import Actor


@dataclass
class Personas:
    kud: Any
    fin: Any
    dss: Any
    dfd: Any
    unit: Any
    manager: Any
    employee: Any
    coordinator: Any
    outsider: Any
    agent: Any
    governance: Any
    auditor: Any
    admin: Any

    def users(self) -> dict[str, Any]:
        return {
            name: getattr(self, name).user
            for name in (
                "employee",
                "manager",
                "coordinator",
                "outsider",
                "agent",
                "governance",
                "auditor",
                "admin",
            )
        }


# A Wednesday in an ordinary working week (no holiday within three weeks either side), at
# 09:00 in Oslo: tests that depend on today see the same calendar whenever they run.
FROZEN_NOW = dt.datetime(2026, 11, 18, 9, 0, tzinfo=ZoneInfo("Europe/Oslo"))


@pytest.fixture
def frozen_clock() -> Any:
    """Today is `FROZEN_NOW` (the clock ticks on from there). Use it in tests whose answer
    depends on the date: working-day deadlines, default periods, order numbers."""
    with time_machine.travel(FROZEN_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def actor() -> Actor:
    return Actor.system("test")


def _personas_from(attributes: dict[str, Any]) -> Personas:
    """Personas (and what `shop` adds to them) from their attributes, fetched afresh."""
    names = {f.name for f in dataclasses.fields(Personas)}
    personas = Personas(**{k: v for k, v in attributes.items() if k in names})
    for name, value in attributes.items():
        if name not in names:
            setattr(personas, name, value)
    return personas


@pytest.fixture
def personas(db: Any, actor: Actor) -> Personas:
    """Built once per test process and copied into later tests (`felles.testing.snapshot`)."""
    from felles.testing.snapshot import cached

    return cached("personas", lambda: _build_personas(actor), _personas_from)


def _build_personas(actor: Actor) -> Personas:
    from felles.organisations import services
    from felles.organisations.models import Organisation, Role
    from felles.organisations.tests.factories import make_person

    services.sync_reference_organisations(actor=actor)
    orgs = {o.abbreviation: o for o in Organisation.objects.all()}
    kud, fin, dss, dfd = orgs["KUD"], orgs["FIN"], orgs["DSS"], orgs["DFD"]
    unit = services.save_unit(
        actor=actor, organisation=kud, code="A1", name="Kulturavdelingen", kind="department"
    )
    manager = make_person(kud, "per", unit=unit, roles=[Role.LINE_MANAGER, Role.BUDGET_HOLDER])
    employee = make_person(kud, "kari", unit=unit, manager=manager)
    coordinator = make_person(kud, "ingrid", roles=[Role.ORDERING_COORDINATOR])
    outsider = make_person(fin, "ola")
    agent = make_person(dss, "ole", roles=[Role.PROVIDER_AGENT], serves=[kud])
    governance = make_person(dfd, "anne", roles=[Role.GOVERNANCE])
    auditor = make_person(dfd, "revisor", roles=[Role.AUDITOR])
    admin = make_person(dss, "admin", roles=[Role.ADMINISTRATOR])
    return Personas(
        kud,
        fin,
        dss,
        dfd,
        unit,
        manager,
        employee,
        coordinator,
        outsider,
        agent,
        governance,
        auditor,
        admin,
    )


@pytest.fixture
def shop(personas: Personas, actor: Actor) -> Any:
    """Personas plus the seed catalogue and a three-level management line in KUD
    (Kari → Per → Hanne, the department head and budget holder). Built once per test
    process and copied into later tests, like `personas`."""
    from felles.testing import new_catalogue_revision
    from felles.testing.snapshot import cached

    def into(attributes: dict[str, Any]) -> Personas:
        for name, value in attributes.items():
            setattr(personas, name, value)
        new_catalogue_revision()
        return personas

    return cached("shop", lambda: _build_shop(personas, actor), into)


def _build_shop(personas: Personas, actor: Actor) -> Personas:
    from felles.catalog import services as catalog_services
    from felles.catalog.models import Service
    from felles.organisations import services as org_services
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person

    catalog_services.seed_catalogue(actor=actor, price_from=dt.date(2026, 1, 1))
    head = make_person(personas.kud, "hanne", roles=[Role.BUDGET_HOLDER])
    org_services.save_person(
        actor=actor,
        organisation=personas.kud,
        values={"line_manager": head},
        person=personas.manager,
    )
    # Per is a line manager without budget authority here, so large orders need Hanne too.
    org_services.remove_role(
        actor=actor, assignment=personas.manager.roles.get(role=Role.BUDGET_HOLDER)
    )
    security = make_person(personas.kud, "knut", roles=[Role.SECURITY_COORDINATOR])
    personas.manager.refresh_from_db()
    personas.head = head
    personas.security = security
    personas.services = {s.code: s for s in Service.objects.all()}
    return personas


@dataclass
class DemoBase:
    """What the app demos build on: the reference organisations, the demo people (with
    KUD's HR import as a finished job) and the seed catalogue."""


@pytest.fixture
def demo_base(db: Any, actor: Actor) -> DemoBase:
    """The reference organisations, `organisations.demo.load` and the seed catalogue, as
    an app's demo test starts; built once per test process and copied into later tests."""
    from felles.testing.snapshot import cached

    def build() -> DemoBase:
        from felles.catalog import services as catalog_services
        from felles.organisations import demo, services

        services.sync_reference_organisations(actor=actor)
        demo.load(actor=actor)
        catalog_services.seed_catalogue(actor=actor, price_from=dt.date(2026, 1, 1))
        return DemoBase()

    def into(attributes: dict[str, Any]) -> DemoBase:
        from felles.testing import new_catalogue_revision

        new_catalogue_revision()
        return DemoBase()

    return cached("demo_base", build, into)


@pytest.fixture
def seeded_catalogue(personas: Personas) -> None:
    """The seed catalogue (for browser tests: set up before the browser starts)."""
    import datetime as dt

    from felles.catalog import services as catalog_services
    from felles.core.actor import Actor

    catalog_services.seed_catalogue(actor=Actor.system("test"), price_from=dt.date(2026, 1, 1))


@pytest.fixture(scope="module", autouse=True)
def _close_the_modules_chromium() -> Any:
    """Browser tests share one Chromium per module (tests/test_browser.py): close it after
    the module's last test."""
    yield
    browser_tests = sys.modules.get("tests.test_browser")
    if browser_tests is not None:
        browser_tests.close_chromium()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Any:
    """Expose each phase's report on the test item, so fixtures can keep a screenshot of a
    failed browser test."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# The slowest files (seconds on SQLite, two workers, December 2026), started first: with
# `--dist loadfile` a file runs on one worker, and one started last keeps that worker busy
# while the other has nothing left (scripts/test.sh turns off xdist's own ordering by test
# count, which put the one-test accessibility crawl at the very end). The rest keep their
# order, most tests first.
SLOWEST_FIRST = (
    "tests/test_access_matrix.py",  # 285
    "tests/test_accessibility.py",  # 158
    "src/felles/core/tests/test_job_crash.py",  # 47
    "tests/test_api_fuzz.py",  # 38
    "src/felles/signin/tests/test_oidc_browser.py",  # 33
    "tests/test_browser_invoicing.py",  # 30
    "tests/test_browser_governance.py",  # 27
    "tests/test_browser.py",  # 26
    "tests/test_browser_ordering.py",  # 25
    "tests/test_browser_costing.py",  # 22
    "tests/test_browser_guidelines.py",  # 20
    "tests/test_browser_portfolio.py",  # 20
    "tests/test_browser_preparedness.py",  # 16
    "tests/test_browser_import.py",  # 13
    "src/felles/web/tests/test_demo_mode.py",  # 12
    "src/felles/preparedness/tests/test_demo.py",  # 11
)


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    rank = {path: i for i, path in enumerate(SLOWEST_FIRST)}
    counts: dict[str, int] = {}
    for item in items:
        counts[item.nodeid.split("::")[0]] = counts.get(item.nodeid.split("::")[0], 0) + 1

    def key(item: Any) -> tuple[int, int]:
        path = item.nodeid.split("::")[0]
        return (rank.get(path, len(rank)), -counts[path])

    items.sort(key=key)  # stable: a file's tests keep their order
