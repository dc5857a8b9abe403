from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import reverse

from turbine.core import http
from turbine.directory import geocoding, services
from turbine.directory.tests.factories import OrganisationFactory
from turbine.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

RECORDED = json.loads((Path(__file__).parent / "fixtures" / "ban_lens.json").read_text())


def test_it_serves_geojson_filtered_by_bbox_theme_and_kind(
    client,
    territory,
    django_assert_max_num_queries,
) -> None:
    lens = OrganisationFactory(
        name="Lens", latitude=50.43, longitude=2.83, theme_slugs=["energie"], kind="association"
    )
    OrganisationFactory(name="Béthune", latitude=50.53, longitude=2.64, theme_slugs=["energie"])
    OrganisationFactory(name="Sans coordonnées", theme_slugs=["energie"])
    OrganisationFactory(name="Cachée", latitude=50.43, longitude=2.83, is_hidden=True)
    ProjectFactory(title="Projet localisé", latitude=50.44, longitude=2.82, theme_slugs=["energie"])
    ProjectFactory(title="Brouillon", latitude=50.44, longitude=2.82, visibility="draft")
    # One query per layer, and one per badge provider of each (the charter's and the label's,
    # turbine.core.badges): none per feature.
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/map.geojson").json()
    assert body["type"] == "FeatureCollection" and body["count"] == 3
    assert not body["truncated"]
    names = [f["properties"]["name"] for f in body["features"]]
    assert names == ["Béthune", "Lens", "Projet localisé"]
    feature = body["features"][1]
    assert feature["geometry"] == {"type": "Point", "coordinates": [2.83, 50.43]}
    assert feature["properties"]["url"] == f"/acteurs/{lens.pk}/"
    response = client.get("/api/v1/map.geojson?bbox=2.75,50.40,2.90,50.50&theme=energie")
    assert response["Content-Type"] == "application/geo+json"
    assert [f["properties"]["name"] for f in response.json()["features"]] == [
        "Lens",
        "Projet localisé",
    ]
    body = client.get("/api/v1/map.geojson?kind=association&type=organisation&limit=1").json()
    assert body["count"] == 1 and body["truncated"]
    bad = client.get("/api/v1/map.geojson?bbox=1,2,3")
    assert bad.status_code == 400 and bad.json()["field"] == "bbox"


def test_it_lists_the_map_without_javascript(
    client,
    territory,
    django_assert_max_num_queries,
) -> None:
    for i in range(25):
        OrganisationFactory(name=f"Org {i:02d}", latitude=50.4, longitude=2.8)
    ProjectFactory(title="Projet", latitude=50.4, longitude=2.8, scale=2)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("directory:map"))
    assert response.context["count"] == 25 and len(response.context["items"]) == 20
    content = response.content.decode()
    assert 'data-geojson-url="/api/v1/map.geojson?type=organisation"' in content
    assert "tile.openstreetmap.org" in content
    response = client.get(reverse("directory:map"), {"type": "projet", "scale": 2})
    assert [f.name for f in response.context["items"]] == ["Projet"]


def test_it_geocodes_with_the_recorded_ban_response(
    territory, alice, monkeypatch, settings
) -> None:
    settings.TURBINE_GEOCODER_URL = "https://api-adresse.data.gouv.fr/search/"
    calls = []

    def fake_fetch(url, params, timeout):
        calls.append((url, params, timeout))
        return RECORDED

    monkeypatch.setattr(geocoding, "_fetch", fake_fetch)
    org = services.organisation_create(
        user=alice,
        name="Maison des associations",
        kind="association",
        family="aident",
        address="Place Jean Jaurès",
        commune=territory.agglomerations.get(siren="246200364").communes.get(code="62498"),
    )
    assert services.organisation_locate(user=alice, organisation=org) is None
    org.refresh_from_db()
    assert (org.latitude, org.longitude) == (50.431861, 2.831478)
    assert calls[0][1] == {"q": "Place Jean Jaurès Lens", "limit": 1, "citycode": "62498"}
    assert calls[0][2] == 5.0


def test_it_saves_without_coordinates_when_geocoding_fails(
    client,
    territory,
    alice,
    monkeypatch,
    settings,
) -> None:
    settings.TURBINE_GEOCODER_URL = "https://api-adresse.data.gouv.fr/search/"

    def timeout(url, params, timeout):
        raise http.HttpTimeout("timed out")

    monkeypatch.setattr(geocoding, "_fetch", timeout)
    client.force_login(alice)
    response = client.post(
        reverse("directory:organisation_create"),
        {"name": "Ressourcerie", "kind": "association", "family": "font", "address": "1 rue X"},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("n'a pas répondu à temps" in m and "sans coordonnées" in m for m in messages)
    org = response.context["organisation"]
    assert org.latitude is None

    monkeypatch.setattr(geocoding, "_fetch", lambda url, params, timeout: {"features": []})
    with pytest.raises(geocoding.GeocodingError, match="ne reconnaît pas"):
        geocoding.geocode(address="nulle part")
    settings.TURBINE_GEOCODER_URL = None
    assert services.organisation_locate(user=alice, organisation=org) is None


def test_it_filters_the_map_by_stage_and_network(client, territory) -> None:
    from turbine.directory.tests.factories import NetworkFactory

    network = NetworkFactory(slug="cd2e")
    holder = OrganisationFactory(name="Porteur", latitude=50.4, longitude=2.8)
    holder.networks.add(network)
    ProjectFactory(
        title="En réalisation",
        latitude=50.4,
        longitude=2.8,
        stage="realisation",
        holder_organisation=holder,
    )
    ProjectFactory(title="Idée", latitude=50.4, longitude=2.8, stage="idee")
    body = client.get("/api/v1/map.geojson?type=projet&stage=realisation").json()
    assert [f["properties"]["name"] for f in body["features"]] == ["En réalisation"]
    body = client.get("/api/v1/map.geojson?network=cd2e").json()
    assert [f["properties"]["name"] for f in body["features"]] == ["Porteur", "En réalisation"]
    response = client.get(reverse("directory:map"), {"type": "projet", "stage": "idee"})
    assert [f.name for f in response.context["items"]] == ["Idée"]
