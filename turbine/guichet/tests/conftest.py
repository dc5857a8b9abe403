"""Funding perimeters (Pas-de-Calais, Nord) loaded once per test database, as in funding."""

from __future__ import annotations

import pytest

from turbine.funding.models import Perimeter, Scale
from turbine.funding.services.catalogue import perimeters_load


def _ensure() -> None:
    if not Perimeter.objects.filter(scale=Scale.COMMUNE, code="62119").exists():
        perimeters_load(departments=["62", "59"])


@pytest.fixture(scope="session", autouse=True)
def _session_perimeters(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _ensure()


@pytest.fixture
def perimeters(db):
    _ensure()
