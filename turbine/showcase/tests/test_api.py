"""API of the showcase: public lists, a visit request without account, clear 4xx errors."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from turbine.showcase.models import Qualification, VisitRequest
from turbine.showcase.tests.factories import (
    BlockerReportFactory,
    CommitmentFactory,
    StoryFactory,
    VisitSlotFactory,
)

pytestmark = pytest.mark.django_db


def _post(path: str, body: object) -> object:
    return Client().post(path, data=json.dumps(body), content_type="application/json")


def _request_body(slot_id: int, **kwargs: object) -> dict[str, object]:
    return {
        "slot": slot_id,
        "contact_name": "Ana García",
        "email": "ana@example.org",
        "group_name": "Ayuntamiento de Bilbao",
        "origin": "etranger",
        "country": "Espagne",
        "group_size": 6,
        "language": "en",
        **kwargs,
    }


def test_it_lists_published_stories_with_filters(territory) -> None:
    StoryFactory(title="Publié", scope="global", policy="Pacte vert", policy_level="europe")
    StoryFactory(title="Caché", status="propose")
    body = Client().get("/api/v1/stories?scope=global").json()
    assert body["count"] == 1
    assert body["items"][0]["title"] == "Publié"
    assert body["items"][0]["policy"] == "Pacte vert"
    assert Client().get("/api/v1/stories?scope=planete").status_code == 422


def test_it_lists_visits_and_takes_a_request_without_account(
    territory, django_capture_on_commit_callbacks
) -> None:
    slot = VisitSlotFactory(capacity=10)
    listing = Client().get("/api/v1/visits?language=en").json()
    assert listing["count"] == 1
    assert listing["items"][0]["slots"][0]["remaining"] == 10
    assert Client().get("/api/v1/visits?language=nl").json()["count"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(f"/api/v1/visits/{slot.offer_id}/requests", _request_body(slot.pk))
    assert response.status_code == 201
    assert response.json()["status"] == "attente"
    assert "/visites/suivi/" in response.json()["personal_url"]
    slot.refresh_from_db()
    assert slot.reserved == 6


def test_a_visit_request_is_refused_with_a_clear_message(territory) -> None:
    slot = VisitSlotFactory(capacity=5)
    other = VisitSlotFactory()
    path = f"/api/v1/visits/{slot.offer_id}/requests"
    full = _post(path, _request_body(slot.pk, group_size=6))
    assert full.status_code == 400
    assert "Il ne reste que 5 place" in full.json()["detail"]
    assert _post(path, _request_body(other.pk)).status_code == 400
    assert _post(path, _request_body(slot.pk, language="pl")).status_code == 400
    assert _post(path, _request_body(slot.pk, group_size=10**20)).status_code == 422
    # A NUL character is refused by the API's input guard, like everywhere (issue 10, point 7).
    nul = _post(path, _request_body(slot.pk, contact_name="\x00"))
    assert nul.status_code == 422 and "caractère" in nul.json()["detail"]
    assert _post("/api/v1/visits/999999/requests", _request_body(slot.pk)).status_code == 404
    bad_json = Client().post(path, data="{", content_type="application/json")
    assert bad_json.status_code == 400
    assert bad_json.json()["detail"]
    assert not VisitRequest.objects.exists()


def test_it_lists_only_public_blockers(chloe) -> None:
    BlockerReportFactory(
        title="Public", holder=chloe, holder_agrees=True, qualification=Qualification.QUALIFIED
    )
    BlockerReportFactory(title="Privé", holder=chloe, qualification=Qualification.QUALIFIED)
    BlockerReportFactory(title="Non qualifié", holder=chloe, holder_agrees=True)
    body = Client().get("/api/v1/blockers").json()
    assert [b["title"] for b in body["items"]] == ["Public"]
    assert Client().get("/api/v1/blockers?level=lune").status_code == 422


def test_it_lists_commitments_by_status(territory) -> None:
    CommitmentFactory(title="Tenu", status="tenu")
    CommitmentFactory(title="En retard", status="en-retard")
    body = Client().get("/api/v1/commitments?status=en-retard").json()
    assert [c["title"] for c in body["items"]] == ["En retard"]
    assert body["items"][0]["actor"]["relation"] == "rencontre"
    assert Client().get("/api/v1/commitments?page_size=1000").status_code == 422
