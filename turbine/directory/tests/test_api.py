from __future__ import annotations

import pytest

from turbine.accounts.services import api_token_create
from turbine.accounts.tests.factories import UserFactory
from turbine.directory import services
from turbine.directory.models import Organisation
from turbine.directory.tests.factories import (
    NetworkFactory,
    OrganisationFactory,
    PersonProfileFactory,
)

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    _, secret = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_it_lists_organisations_with_the_documented_fields(
    client,
    territory,
    django_assert_max_num_queries,
) -> None:
    network = NetworkFactory(slug="cd2e")
    for i in range(30):
        org = OrganisationFactory(
            name=f"Org {i:02d}", theme_slugs=["energie"], latitude=50.43, longitude=2.83
        )
        org.networks.add(network)
    OrganisationFactory(name="Privée", contact_email="x@example.org")
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/organisations?theme=energie&page_size=25")
    body = response.json()
    assert body["count"] == 30 and len(body["items"]) == 25
    item = body["items"][0]
    assert {k: item[k] for k in ("name", "kind", "family", "commune", "themes", "networks")} == {
        "name": "Org 00",
        "kind": "association",
        "family": "font",
        "commune": "62498",
        "themes": ["energie"],
        "networks": ["cd2e"],
    }
    assert item["latitude"] == 50.43 and item["longitude"] == 2.83
    assert item["url"] == f"http://testserver/acteurs/{item['id']}/"
    assert item["contact_email"] is None
    private = client.get("/api/v1/organisations?q=privee").json()["items"]
    assert private == [] or private[0]["contact_email"] is None
    assert client.get("/api/v1/organisations?network=cd2e&commune=62119").json()["count"] == 0


def test_it_creates_and_updates_an_organisation_with_a_token(
    territory, alice, chloe, client
) -> None:
    payload = {
        "name": "Recyclerie du Béthunois",
        "kind": "association",
        "family": "font",
        "commune": "62119",
        "themes": ["dechets-economie-circulaire"],
    }
    assert (
        client.post("/api/v1/organisations", payload, content_type="application/json").status_code
        == 401
    )
    response = client.post(
        "/api/v1/organisations", payload, content_type="application/json", **bearer(alice)
    )
    assert response.status_code == 201, response.json()
    org_id = response.json()["id"]
    assert response.json()["themes"] == ["dechets-economie-circulaire"]

    bad = client.post(
        "/api/v1/organisations",
        {**payload, "siren": "123456789"},
        content_type="application/json",
        **bearer(alice),
    )
    assert bad.status_code == 400 and bad.json()["field"] == "siren"
    bad = client.post(
        "/api/v1/organisations",
        {**payload, "themes": ["inconnu"]},
        content_type="application/json",
        **bearer(alice),
    )
    assert bad.status_code == 400 and "Thème inconnu" in bad.json()["detail"]

    denied = client.patch(
        f"/api/v1/organisations/{org_id}",
        {"name": "Autre"},
        content_type="application/json",
        **bearer(chloe),
    )
    assert denied.status_code == 403
    response = client.patch(
        f"/api/v1/organisations/{org_id}",
        {"website": "https://recyclerie.example"},
        content_type="application/json",
        **bearer(alice),
    )
    assert response.status_code == 200
    org = Organisation.objects.get(pk=org_id)
    assert org.website == "https://recyclerie.example" and org.name == "Recyclerie du Béthunois"


def test_it_lists_only_public_people_and_networks(territory, client) -> None:
    public = UserFactory(display_name="Zoé Public", is_profile_public=True, commune_code="62498")
    PersonProfileFactory(user=public)
    UserFactory(display_name="Secret", is_profile_public=False)
    body = client.get("/api/v1/people").json()
    assert [p["name"] for p in body["items"]] == ["Zoé Public"]
    assert "email" not in body["items"][0]
    assert body["items"][0]["know_how"].startswith("Réparer")
    network = NetworkFactory(name="CERDD", slug="cerdd")
    OrganisationFactory().networks.add(network)
    body = client.get("/api/v1/networks").json()
    assert body["items"][0]["slug"] == "cerdd" and body["items"][0]["organisation_count"] == 1
    assert client.get("/api/v1/networks/cerdd").json()["name"] == "CERDD"
    assert client.get("/api/v1/networks/absent").status_code == 404


def test_it_hides_hidden_organisations_from_the_api(territory, client, alice) -> None:
    org = services.organisation_create(user=alice, name="X", kind="association", family="font")
    Organisation.objects.filter(pk=org.pk).update(is_hidden=True)
    assert client.get(f"/api/v1/organisations/{org.pk}").status_code == 404
    assert client.get("/api/v1/organisations").json()["count"] == 0
