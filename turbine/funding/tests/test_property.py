"""Property: an aid is returned for a commune exactly when it is published, not expired, and
one of its perimeters contains the commune."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from turbine.funding.models import Aid, AidPerimeter, AidStatus, Perimeter, Scale
from turbine.funding.selectors import AidFilters, aid_search

pytestmark = pytest.mark.usefixtures("perimeters")

# Communes of three EPCI, two departments, one region; perimeters around and outside them.
COMMUNES = ["62119", "62498", "62427", "59350", "59009"]
PERIMETERS = [
    (Scale.COMMUNE, "62119"),
    (Scale.COMMUNE, "62498"),
    (Scale.COMMUNE, "59350"),
    (Scale.EPCI, "200072460"),
    (Scale.EPCI, "246200364"),
    (Scale.EPCI, "200093201"),
    (Scale.DEPARTMENT, "62"),
    (Scale.DEPARTMENT, "59"),
    (Scale.DEPARTMENT, "75"),
    (Scale.REGION, "32"),
    (Scale.REGION, "11"),
    (Scale.COUNTRY, "FR"),
    (Scale.EU, "EU"),
]

aid_strategy = st.fixed_dictionaries(
    {
        "status": st.sampled_from(AidStatus.values),
        "deadline": st.one_of(st.none(), st.integers(min_value=-3, max_value=3)),
        "perimeters": st.sets(st.sampled_from(range(len(PERIMETERS))), max_size=3),
    }
)


def contains(perimeter: Perimeter, commune: Perimeter) -> bool:
    return perimeter.scale in (Scale.COUNTRY, Scale.EU) or perimeter.pk in (
        commune.pk,
        commune.epci_id,
        commune.department_id,
        commune.region_id,
    )


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(aids=st.lists(aid_strategy, max_size=8), commune_code=st.sampled_from(COMMUNES))
def test_it_returns_an_aid_exactly_when_live_and_its_perimeter_contains_the_commune(
    db: None, aids: list[dict], commune_code: str
) -> None:
    today = timezone.localdate()
    perimeters = [Perimeter.objects.get(scale=s, code=c) for s, c in PERIMETERS]
    commune = Perimeter.objects.get(scale=Scale.COMMUNE, code=commune_code)
    with transaction.atomic():
        expected = set()
        for i, spec in enumerate(aids):
            deadline = (
                None if spec["deadline"] is None else today + datetime.timedelta(spec["deadline"])
            )
            # Rows written directly: the stored status may be stale (the expiry task not run).
            aid = Aid.objects.create(title=f"Aide {i}", status=spec["status"], deadline=deadline)
            chosen = [perimeters[j] for j in spec["perimeters"]]
            AidPerimeter.objects.bulk_create([AidPerimeter(aid=aid, perimeter=p) for p in chosen])
            live = spec["status"] == AidStatus.PUBLISHED and (deadline is None or deadline >= today)
            if live and any(contains(p, commune) for p in chosen):
                expected.add(aid.pk)
        found = set(aid_search(AidFilters(commune=commune_code), today=today).ids)
        assert found == expected
        transaction.set_rollback(True)
