"""API of meetings: /api/v1/events (list, detail) and registering with a token."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from turbine.accounts.services import api_token_create
from turbine.accounts.tests.factories import UserFactory
from turbine.cooperation.models import Registration
from turbine.cooperation.services import meetings as services
from turbine.cooperation.tests.factories_meetings import EventFactory
from turbine.directory.tests.factories import NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    _, secret = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_it_lists_events_with_the_documented_fields(
    client, territory, django_assert_max_num_queries
) -> None:
    for i in range(25):
        event = EventFactory(start=timezone.now() + timedelta(days=1 + i), capacity=2)
        organisation = OrganisationFactory()
        organisation.networks.add(NetworkFactory())
        event.organisations.add(organisation)
    first = event.__class__.objects.order_by("start").first()
    for _ in range(3):
        services.registration_create(event_id=first.pk, user=UserFactory())
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/events?page_size=20").json()
    assert body["count"] == 25 and len(body["items"]) == 20
    item = body["items"][0]
    for key in (
        "id",
        "title",
        "format",
        "modality",
        "time_slot",
        "start",
        "end",
        "commune",
        "capacity",
        "registered",
        "waiting",
    ):
        assert key in item
    assert item["id"] == first.pk and item["registered"] == 2 and item["waiting"] == 1
    assert item["commune"] == {"code": "62498", "name": "Lens"}
    assert "online_url" not in item
    assert client.get("/api/v1/events?format=visite").json()["count"] == 0


@pytest.mark.parametrize(
    "query", ["format=nope", "page=0", "page_size=1000", "date_from=demain", "commune=123456"]
)
def test_it_refuses_bad_filters_in_french(client, territory, query) -> None:
    response = client.get(f"/api/v1/events?{query}")
    assert response.status_code == 422 and "Requête invalide" in response.json()["detail"]


def test_it_shows_one_event(client, territory) -> None:
    event = EventFactory(online_url="https://visio.example/secret", modality="hybride")
    body = client.get(f"/api/v1/events/{event.pk}").json()
    assert body["title"] == event.title and body["description"] == event.description
    assert "secret" not in str(body)
    assert client.get("/api/v1/events/999999").status_code == 404
    event.is_hidden = True
    event.save()
    assert client.get(f"/api/v1/events/{event.pk}").status_code == 404


def test_it_registers_with_a_token(client, territory, alice) -> None:
    event = EventFactory(capacity=1)
    url = f"/api/v1/events/{event.pk}/registrations"
    assert client.post(url).status_code == 401
    response = client.post(url, **bearer(alice))
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "inscrit" and body["waiting_rank"] is None and len(body["code"]) == 9
    again = client.post(url, **bearer(alice))
    assert again.status_code == 400 and "déjà inscrit" in again.json()["detail"]
    other = client.post(url, **bearer(UserFactory())).json()
    assert other["status"] == "attente" and other["waiting_rank"] == 1
    assert Registration.objects.filter(event=event).count() == 2
    closed = EventFactory(registration_mode="aucune")
    assert (
        client.post(f"/api/v1/events/{closed.pk}/registrations", **bearer(alice)).status_code == 400
    )
    assert client.post("/api/v1/events/999999/registrations", **bearer(alice)).status_code == 404
