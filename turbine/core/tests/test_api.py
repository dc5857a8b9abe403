from __future__ import annotations

import pytest

from turbine.core import search

pytestmark = pytest.mark.django_db

THEME_SLUGS = [
    "mobilite",
    "alimentation",
    "energie",
    "renovation-habitat",
    "biodiversite-renaturation",
    "eau",
    "dechets-economie-circulaire",
    "industrie-reconversion",
    "emploi-formation",
    "education-culture",
    "sante-environnement",
    "solidarite-justice-sociale",
    "citoyennete-cooperation",
]


def test_it_lists_the_themes_with_their_stable_slugs(client):
    body = client.get("/api/v1/themes").json()
    assert [t["slug"] for t in body] == THEME_SLUGS
    assert body[2]["name"] == "Énergie"


def test_it_searches_through_the_api(client, territory):
    search.reindex()
    body = client.get("/api/v1/search", {"q": "bethune", "type": "commune"}).json()
    assert body["items"][0]["title"] == "Béthune"
    assert body["items"][0]["type"] == "commune"
    assert body["items"][0]["url"] == "/territoire/communes/62119/"
    assert body["counts_by_type"]["agglomeration"] >= 1


def test_it_refuses_an_empty_search(client):
    response = client.get("/api/v1/search", {"q": ""})
    assert response.status_code == 422
    assert "ne doit pas être vide" in response.json()["detail"]


def test_it_refuses_a_missing_or_bad_token(client, alice):
    assert client.get("/api/v1/me").status_code == 401
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer tbn_faux")
    assert response.status_code == 401
    assert "Jeton" in response.json()["detail"]
