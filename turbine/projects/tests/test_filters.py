"""One filter function per list: the page, the API and the map show the same projects."""

from __future__ import annotations

import pytest

from turbine.directory import geo
from turbine.projects import selectors
from turbine.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

LENS, LIEVIN = "62498", "62510"
CALL = "246200364"  # CA de Lens - Liévin


def test_a_project_of_two_communes_of_an_agglomeration_is_counted_once_everywhere(
    territory, client
):
    ProjectFactory(
        title="Réseau de chaleur", commune_codes=[LENS, LIEVIN], latitude=50.43, longitude=2.83
    )
    ProjectFactory(title="Ailleurs", commune_codes=["62119"], latitude=50.53, longitude=2.64)
    listed = selectors.project_list(filters=selectors.ProjectFilters(agglomeration=CALL))
    mapped = geo.layer("projet").queryset(geo.MapFilters(agglomeration=CALL))
    assert [p.title for p in listed] == ["Réseau de chaleur"]
    assert list(mapped.values_list("title", flat=True)) == ["Réseau de chaleur"]
    api = client.get("/api/v1/projects", {"agglomeration": CALL}).json()
    assert api["count"] == 1


def test_the_default_order_is_decided_once_by_the_filters():
    assert selectors.ProjectFilters().sort == "titre"
    assert selectors.ProjectFilters(q="chaleur").sort == "pertinence"
    assert selectors.ProjectFilters(q="chaleur", sort="recent").sort == "recent"
