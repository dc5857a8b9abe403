from __future__ import annotations

from turbine.accounts.tests.factories import UserFactory
from turbine.projects.tests.factories import ProjectFactory
from turbine.steering.models import (
    Axis,
    Indicator,
    IndicatorValue,
    Mandate,
    MandateCandidate,
    Objective,
)


def make_indicator(**kwargs: object) -> Indicator:
    axis = Axis.objects.create(title="Modes de vie")
    objective = Objective.objects.create(axis=axis, title="Moins de gaz à effet de serre")
    defaults: dict[str, object] = {
        "objective": objective,
        "name": "Émissions de GES",
        "unit": "kt CO2e",
        "direction": "baisse",
        "baseline_year": 2015,
        "baseline_value": 1000.0,
        "target_year": 2038,
        "target_value": 540.0,
        "impact_code": "co2",
    }
    defaults.update(kwargs)
    return Indicator.objects.create(**defaults)


def add_values(indicator: Indicator, values: dict[int, float]) -> None:
    IndicatorValue.objects.bulk_create(
        [IndicatorValue(indicator=indicator, year=y, value=v) for y, v in values.items()]
    )


def make_mandate(candidates: int = 4, **kwargs: object) -> Mandate:
    defaults: dict[str, object] = {
        "title": "Mandature 2026-2032",
        "start": "2026-03-22",
        "end": "2032-03-21",
        "vote_open": True,
    }
    defaults.update(kwargs)
    mandate = Mandate.objects.create(**defaults)
    for i in range(candidates):
        MandateCandidate.objects.create(
            mandate=mandate, project=ProjectFactory(scale=3, title=f"Chantier {i + 1}"), position=i
        )
    return mandate


def elected(n: int = 0):
    return UserFactory(email=f"elu{n}@example.org", display_name=f"Élu {n}", roles=["élu"])
