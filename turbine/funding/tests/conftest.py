"""Perimeters of the Pas-de-Calais and the Nord (with every region, department and EPCI) are
loaded once per test database; ``perimeters`` puts them back if a live-server test flushed
them."""

from __future__ import annotations

import pytest

from turbine.funding.models import Perimeter, Scale
from turbine.funding.services.catalogue import perimeters_load

TEST_DEPARTMENTS = ["62", "59"]


def _ensure() -> None:
    if not Perimeter.objects.filter(scale=Scale.COMMUNE, code="62119").exists():
        perimeters_load(departments=TEST_DEPARTMENTS)


@pytest.fixture(scope="session", autouse=True)
def _session_perimeters(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _ensure()


@pytest.fixture
def perimeters(db):
    _ensure()
