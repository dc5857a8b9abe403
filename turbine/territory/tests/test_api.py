from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_it_lists_the_14_communes_of_henin_carvin(client, territory):
    response = client.get("/api/v1/communes", {"agglomeration": "246200299", "page_size": 100})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 14
    assert len(body["items"]) == 14
    carvin = next(c for c in body["items"] if c["name"] == "Carvin")
    assert carvin == {
        "code": "62215",
        "name": "Carvin",
        "postal_codes": ["62220"],
        "population": carvin["population"],
        "department": "62",
        "agglomeration": "246200299",
    }
    assert carvin["population"] > 15000


def test_it_paginates_communes(client, territory):
    first = client.get("/api/v1/communes", {"page_size": 100}).json()
    second = client.get("/api/v1/communes", {"page_size": 100, "page": 2}).json()
    assert first["count"] == second["count"] == 150
    assert len(first["items"]) == 100 and len(second["items"]) == 50
    assert not {c["code"] for c in first["items"]} & {c["code"] for c in second["items"]}


def test_it_lists_communes_in_a_bounded_number_of_queries(
    client, territory, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        client.get("/api/v1/communes", {"page_size": 100})


def test_it_filters_communes_by_name_without_accents_and_by_postal_code(client, territory):
    names = [c["name"] for c in client.get("/api/v1/communes", {"q": "lievin"}).json()["items"]]
    assert names == ["Liévin"]
    by_postcode = client.get("/api/v1/communes", {"q": "62300"}).json()["items"]
    assert {c["name"] for c in by_postcode} == {"Lens", "Éleu-dit-Leauwette"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": 101}, "page_size"),
        ({"page_size": 0}, "page_size"),
        ({"page": "abc"}, "page"),
        ({"agglomeration": "1" * 20}, "agglomeration"),
    ],
)
def test_it_refuses_bad_parameters_with_a_french_json_error(client, territory, params, field):
    response = client.get("/api/v1/communes", params)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("Requête invalide.")
    assert body["errors"][0]["field"] == field


def test_it_answers_404_in_french_json(client, territory):
    response = client.get("/api/v1/communes/99999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Commune introuvable."}
    assert client.get("/api/v1/agglomerations/000000000").status_code == 404


def test_it_lists_agglomerations(client, territory):
    body = client.get("/api/v1/agglomerations").json()
    assert {a["siren"]: a["commune_count"] for a in body} == {
        "200072460": 100,
        "246200364": 36,
        "246200299": 14,
    }


def test_it_serves_the_openapi_document_and_docs(client, territory):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/communes", "/api/v1/agglomerations", "/api/v1/themes", "/api/v1/search"):
        assert path in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200
