from __future__ import annotations

import gzip

import pytest
from django.core.management import call_command

from turbine.funding.models import Perimeter, Scale
from turbine.funding.selectors import containing_perimeter_ids
from turbine.funding.services.catalogue import PERIMETERS_FILE

pytestmark = pytest.mark.django_db


def test_it_ships_every_current_french_commune() -> None:
    with gzip.open(PERIMETERS_FILE, "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    communes = [line for line in lines if line.startswith("commune,")]
    assert len(communes) == 34_969
    assert "commune,62119,Béthune,62,32,200072460" in communes
    assert "commune,2A004,Ajaccio,2A,94,242010056" in communes
    assert "department,62,Pas-de-Calais,,32," in lines


def test_it_finds_the_perimeters_containing_a_commune_in_one_query(
    perimeters: None, django_assert_num_queries
) -> None:
    with django_assert_num_queries(1):
        ids = containing_perimeter_ids(commune_code="62119")
    names = set(Perimeter.objects.filter(pk__in=ids).values_list("scale", "name"))
    assert names == {
        (Scale.COMMUNE, "Béthune"),
        (Scale.EPCI, "CA de Béthune-Bruay, Artois-Lys Romane"),
        (Scale.DEPARTMENT, "Pas-de-Calais"),
        (Scale.REGION, "Hauts-de-France"),
        (Scale.COUNTRY, "France"),
        (Scale.EU, "Union européenne"),
    }
    assert containing_perimeter_ids(commune_code="99999") is None


def test_it_loads_the_perimeters_idempotently(perimeters: None) -> None:
    before = Perimeter.objects.count()
    call_command("load_perimeters", "--departement", "62", "--departement", "59", stdout=None)
    assert Perimeter.objects.count() == before
    lille = Perimeter.objects.select_related("region", "department", "epci").get(
        scale=Scale.COMMUNE, code="59350"
    )
    assert (lille.department.code, lille.region.code, lille.epci.code) == (
        "59",
        "32",
        "200093201",
    )
