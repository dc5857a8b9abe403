"""Malformed API input is a French JSON 4xx, never a 500 (issue 10, points 7, 9, 10)."""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from turbine.core.api import api

pytestmark = pytest.mark.django_db


def list_paths() -> list[str]:
    schema = api.get_openapi_schema()
    return sorted(
        path.removeprefix("/api/v1").join(["/api/v1", ""])
        for path, item in schema["paths"].items()
        if "{" not in path
        and "get" in item
        and not item["get"].get("security")
        and any(p["name"] == "page" for p in item["get"].get("parameters", []))
    )


def test_it_finds_the_paginated_endpoints() -> None:
    paths = list_paths()
    assert len(paths) >= 9
    assert "/api/v1/aids" in paths and "/api/v1/organisations" in paths


@pytest.mark.parametrize("path", list_paths())
def test_it_bounds_the_page_number(client: Client, path: str) -> None:
    response = client.get(path, {"page": "461168601842738792", "q": "vélo"})
    assert response.status_code == 422
    assert "page : doit être inférieur ou égal à" in response.json()["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/search?q=v%00lo",
        "/api/v1/organisations?q=a%00",
        "/api/v1/aids?q=%00",
        "/api/v1/aids?theme=mobi%00lite",
        "/api/v1/people?q=%00",
        "/api/v1/communes?q=%00",
        "/api/v1/networks?q=%00",
        "/api/v1/aids?%00=1",
    ],
)
def test_it_refuses_a_nul_character_in_the_query(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 422
    assert response.json() == {"detail": "Requête invalide : le caractère nul n'est pas accepté."}


def test_it_refuses_a_nul_character_in_a_json_body(client: Client) -> None:
    body = json.dumps({"name": "Asso\u0000", "kind": "association", "family": "asso"})
    response = client.post("/api/v1/organisations", body, content_type="application/json")
    assert response.status_code == 422
    assert "caractère nul" in response.json()["detail"]
    nested = json.dumps({"kind": "besoin", "title": "ok", "themes": ["a\u0000"]})
    response = client.post("/api/v1/needs-offers", nested, content_type="application/json")
    assert response.status_code == 422


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_it_answers_413_to_an_oversized_body(client: Client) -> None:
    body = json.dumps({"name": "x" * 2000})
    response = client.post("/api/v1/organisations", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"detail": "Requête trop volumineuse."}


def test_it_answers_400_to_too_many_parameters(client: Client) -> None:
    query = "&".join(f"p{i}=1" for i in range(1001))
    response = client.get(f"/api/v1/aids?{query}")
    assert response.status_code == 400
    assert response.json() == {"detail": "Requête invalide : trop de paramètres."}


def test_it_shows_a_french_page_for_too_many_parameters_on_the_site(client: Client) -> None:
    query = "&".join(f"p{i}=1" for i in range(1001))
    response = client.get(f"/aides/?{query}")
    assert response.status_code == 400
    assert "<h1>Demande incorrecte</h1>" in response.content.decode()
