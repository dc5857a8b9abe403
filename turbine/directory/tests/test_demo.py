from __future__ import annotations

import pytest

from turbine.core import demo
from turbine.directory.models import NeedOffer, Organisation
from turbine.projects.models import Project

pytestmark = pytest.mark.django_db


def test_it_loads_the_demonstration_data_once(territory, client) -> None:
    report = dict(demo.seed(only=["comptes", "annuaire", "projets"]))
    assert "300 organisations" in report["annuaire"] and "200 projets" in report["projets"]
    assert Organisation.objects.count() == 300
    assert Organisation.objects.filter(is_demo=False, name="CERDD").exists()
    assert not Organisation.objects.filter(is_demo=True).exclude(name__endswith="(démo)").exists()
    assert NeedOffer.objects.values("communes").distinct().count() == 150
    # An offer's themes are what its text is about.
    bike = NeedOffer.objects.filter(title__contains="fête du vélo").prefetch_related("themes")
    assert bike and all([t.slug for t in n.themes.all()] == ["mobilite"] for n in bike)
    assert Project.objects.count() == 200
    chloe_orgs = Organisation.objects.filter(
        memberships__user__email="chloe.demo@turbine.localhost"
    )
    assert chloe_orgs.count() == 1
    assert dict(demo.seed(only=["annuaire"]))["annuaire"] == "déjà chargé"
    assert client.get("/acteurs/").status_code == 200
    assert client.get("/api/v1/map.geojson").json()["count"] > 400
    body = client.get("/api/v1/organisations?q=repair").json()
    assert body["count"] > 0
