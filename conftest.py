"""Shared fixtures: the PMA territory is imported once per test database; named personas."""

from __future__ import annotations

import datetime
import os
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache

from turbine.territory.testing import ensure_base_data

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--turbine-now",
        default=os.environ.get("TURBINE_TEST_NOW", ""),
        help="run the whole session as if the clock read this Paris time (ISO 8601, e.g. "
        "2026-12-31T23:30); the clock then ticks on. Default: $TURBINE_TEST_NOW, else real time.",
    )


def pytest_configure(config: pytest.Config) -> None:
    # Read again by every xdist worker (options travel to workers), so the whole session moves.
    value = config.getoption("--turbine-now")
    if not value:
        return
    moment = datetime.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PARIS)
    traveller = time_machine.travel(moment, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)


def pytest_report_header(config: pytest.Config) -> str | None:
    value = config.getoption("--turbine-now")
    return f"turbine: the clock starts at {value} (Paris)" if value else None


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_base_data()


@pytest.fixture
def territory(db):
    return ensure_base_data()


@pytest.fixture
def alice(db):
    """Alice, a citizen of Lens with a verified address."""
    from turbine.accounts.tests.factories import UserFactory

    return UserFactory(email="alice@example.org", display_name="Alice", commune_code="62498")


@pytest.fixture
def bruno(db):
    """Bruno, an advisor of the Turbine (staff)."""
    from turbine.accounts.tests.factories import UserFactory

    return UserFactory(
        email="bruno@example.org", display_name="Bruno", roles=["conseiller"], is_staff=True
    )


@pytest.fixture
def chloe(db):
    """Chloé, a project holder from Béthune."""
    from turbine.accounts.tests.factories import UserFactory

    return UserFactory(
        email="chloe@example.org",
        display_name="Chloé",
        commune_code="62119",
        roles=["citoyen", "porteur de projet"],
    )


@pytest.fixture(autouse=True)
def _fresh_throttles() -> None:
    """Every test starts with empty cache counters (core/throttle.py): the throttles are per
    IP address, and every test client is 127.0.0.1."""
    cache.clear()
