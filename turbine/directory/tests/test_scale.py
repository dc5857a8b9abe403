from __future__ import annotations

import pytest

from turbine.core import scale
from turbine.directory import scale as directory_scale
from turbine.directory.models import Organisation
from turbine.projects import scale as projects_scale
from turbine.projects.models import Project

pytestmark = pytest.mark.django_db


def test_it_generates_the_scale_data_and_clears_it(
    client,
    territory,
    django_assert_max_num_queries,
) -> None:
    summary = directory_scale.generate_directory(1, scale.rng_for("annuaire"))
    assert summary.startswith("5000 organisations synthétiques")
    projects_scale.generate_projects(1, scale.rng_for("projets"))
    assert Organisation.objects.count() == 5000 and Project.objects.count() == 2000
    first = list(Organisation.objects.order_by("id").values_list("name", "kind")[:5])
    with django_assert_max_num_queries(12):
        assert client.get("/acteurs/?theme=energie&sort=commune").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/projets/?scale=2").status_code == 200
    # One query per layer and one per badge provider (turbine.core.badges): none per feature.
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/map.geojson?bbox=2.7,50.4,2.9,50.5").status_code == 200
    project = Project.objects.filter(visibility="public").order_by("id").first()
    with django_assert_max_num_queries(25):
        assert client.get(f"/projets/{project.pk}/").status_code == 200
    projects_scale.clear_projects()
    directory_scale.clear_directory()
    assert not Organisation.objects.exists() and not Project.objects.exists()
    directory_scale.generate_directory(1, scale.rng_for("annuaire"))
    assert list(Organisation.objects.order_by("id").values_list("name", "kind")[:5]) == first
