from __future__ import annotations

import csv
import io
import json

import pytest

from turbine.directory.tests.factories import OrganisationFactory
from turbine.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_it_exports_organisations_as_csv_and_geojson(client, territory) -> None:
    OrganisationFactory(
        name="Lens énergie",
        theme_slugs=["energie"],
        latitude=50.43,
        longitude=2.83,
        contact_email="prive@example.org",
    )
    OrganisationFactory(
        name="Autre", theme_slugs=["eau"], contact_email="public@example.org", contact_public=True
    )
    OrganisationFactory(name="Cachée", is_hidden=True)
    response = client.get("/acteurs/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body(response).lstrip("\ufeff"))))
    assert [r["nom"] for r in rows] == ["Autre", "Lens énergie"]
    assert rows[0]["email_contact"] == "public@example.org" and rows[1]["email_contact"] == ""
    assert rows[1]["themes"] == "energie" and rows[1]["commune"] == "62498"
    rows = list(
        csv.DictReader(
            io.StringIO(body(client.get("/acteurs/export.csv?theme=eau")).lstrip("\ufeff"))
        )
    )
    assert [r["nom"] for r in rows] == ["Autre"]
    data = json.loads(body(client.get("/acteurs/export.geojson")))
    assert [f["properties"]["nom"] for f in data["features"]] == ["Lens énergie"]
    assert data["features"][0]["geometry"]["coordinates"] == [2.83, 50.43]


def test_it_exports_public_projects(client, territory) -> None:
    ProjectFactory(title="Public", latitude=50.4, longitude=2.8, commune_codes=["62498"])
    ProjectFactory(title="Brouillon", visibility="draft")
    rows = list(
        csv.DictReader(io.StringIO(body(client.get("/projets/export.csv")).lstrip("\ufeff")))
    )
    assert [r["titre"] for r in rows] == ["Public"] and rows[0]["communes"] == "62498"
    data = json.loads(body(client.get("/projets/export.geojson")))
    assert data["features"][0]["properties"]["titre"] == "Public"
