from __future__ import annotations

import pytest

from turbine.funding.tests.factories import make_aid
from turbine.guichet.models import SupportRequest

pytestmark = pytest.mark.usefixtures("perimeters")

URL = "/api/v1/guichet/match"


def test_it_returns_ranked_results_with_reasons_and_aid_fields(client, db) -> None:
    aid = make_aid(
        title="Alimentation locale", themes=["alimentation"], beneficiaries=["association"]
    )
    body = {
        "title": "Cuisine partagée",
        "description": "Repas solidaires et vente de conserves",
        "commune": "62119",
        "beneficiary": "association",
        "themes": ["alimentation"],
        "stage": "idee",
        "budget": 15000,
        "needs": ["financement", "demarches"],
        "triggers": ["vente-alimentaire"],
    }
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert set(data) == {"aids", "advisors", "mentors", "projects", "offers", "procedures"}
    item = data["aids"][0]
    assert item["id"] == aid.pk and item["score"] > 0 and item["reasons"]
    listed = client.get("/api/v1/aids").json()["items"][0]
    assert set(listed) <= set(item)
    assert {k: item[k] for k in listed} == listed
    procedure = data["procedures"][0]
    assert {"id", "title", "score", "reasons", "what_to_do", "whom_to_ask"} <= set(procedure)
    assert SupportRequest.objects.count() == 0


def test_it_refuses_bad_input_with_a_french_message_per_field(client, db) -> None:
    body = {
        "title": " ",
        "commune": "99999",
        "beneficiary": "martien",
        "themes": ["inconnu"],
        "stage": "demain",
        "needs": ["tout"],
        "triggers": ["fusee"],
    }
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 422
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(fields) == {
        "title",
        "commune",
        "beneficiary",
        "themes",
        "stage",
        "needs",
        "triggers",
    }
    assert fields["commune"].startswith("Commune inconnue")


def test_it_refuses_a_missing_field_and_a_negative_budget(client, db) -> None:
    body = {"title": "x", "beneficiary": "association", "budget": -5}
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 422
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert fields["commune"] == "ce champ est obligatoire"
    assert fields["budget"] == "doit être supérieur ou égal à 0"


def test_the_requests_api_answers_each_role_with_its_own(client, chloe, alice) -> None:
    from turbine.accounts.services import api_token_create
    from turbine.guichet import services
    from turbine.guichet.tests.factories import BETHUNE, LENS, advisor, make_request

    local = advisor(agglomeration_of=BETHUNE)
    remote = advisor(agglomeration_of=LENS)
    support_request = make_request(holder=chloe)
    rec = services.recommendation_add(
        user=local, support_request=support_request, kind="autre", title="Lire le guide"
    )
    services.note_add(user=local, support_request=support_request, body="Secret interne")

    def auth(user) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='t')[1]}"}

    base = f"/api/v1/guichet/requests/{support_request.pk}"
    assert client.get("/api/v1/guichet/requests").status_code == 401
    holder = auth(chloe)
    listed = client.get("/api/v1/guichet/requests", **holder).json()
    assert [r["id"] for r in listed["items"]] == [support_request.pk]
    detail = client.get(base, **holder).json()
    assert detail["recommendations"][0]["title"] == "Lire le guide"
    assert "Secret interne" not in str(detail)
    response = client.post(
        f"{base}/recommendations/{rec.pk}/status",
        {"status": "faite"},
        content_type="application/json",
        **holder,
    )
    assert response.json()["status"] == "faite"
    response = client.post(
        f"{base}/messages", {"body": "Merci"}, content_type="application/json", **holder
    )
    assert response.status_code == 201 and response.json()["from_holder"] is True
    for user in (alice, remote):
        headers = auth(user)
        assert client.get(base, **headers).status_code == 404
        assert (
            client.post(
                f"{base}/messages", {"body": "x"}, content_type="application/json", **headers
            ).status_code
            == 404
        )
        assert client.get("/api/v1/guichet/requests", **headers).json()["count"] == 0
    assert client.get(base, **auth(local)).status_code == 200
