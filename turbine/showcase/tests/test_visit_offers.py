"""A host edits, hides and reopens its visit offer; requests without an account are throttled per
connection and per visit, and a honeypot stops the robots that fill every field."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from turbine.directory.models import Membership, MembershipStatus
from turbine.directory.tests.factories import OrganisationFactory
from turbine.showcase.models import VisitOffer, VisitRequest
from turbine.showcase.services import visits as visit_services
from turbine.showcase.tests.factories import VisitSlotFactory

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _offer_form(offer: VisitOffer, **changes: object) -> dict[str, object]:
    return {
        "title": offer.title,
        "host": offer.host_id,
        "commune": offer.commune.code,
        "meeting_point": offer.meeting_point,
        "description": offer.description,
        "learnings": offer.learnings,
        "languages": offer.languages,
        "duration_minutes": offer.duration_minutes,
        **changes,
    }


def _request_form(slot_id: int, **changes: object) -> dict[str, object]:
    return {
        "slot": slot_id,
        "group_name": "Lycée Condorcet",
        "origin": "scolaire",
        "country": "France",
        "group_size": 1,
        "language": "fr",
        "contact_name": "M. Leroy",
        "email": "leroy@example.org",
        **changes,
    }


# --- Editing, hiding, reopening --------------------------------------------------------------


def test_it_lets_a_host_member_edit_the_offer(chloe) -> None:
    host = OrganisationFactory(admin=chloe)
    offer = VisitSlotFactory(offer__host=host).offer
    url = f"/visites/{offer.pk}/modifier/"
    page = _client(chloe).get(url)
    assert page.status_code == 200
    assert offer.title in page.content.decode()
    response = _client(chloe).post(
        url, _offer_form(offer, title="La friche reverdie", languages=["fr", "nl"])
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.title == "La friche reverdie"
    assert offer.languages == ["fr", "nl"]
    assert offer.slots.count() == 1  # the dates stay


def test_it_refuses_bad_input_on_edit_and_saves_nothing(chloe) -> None:
    host = OrganisationFactory(admin=chloe)
    offer = VisitSlotFactory(offer__host=host).offer
    url = f"/visites/{offer.pk}/modifier/"
    cases = [
        ({"title": "Nul\x00"}, "caractère nul n’est pas autorisé"),
        ({"languages": ["xx"]}, "Sélectionnez un choix valide"),
        ({"duration_minutes": 10**12}, "inférieure ou égale à 600"),
        ({"project": 999999}, "Ce projet n"),
        ({"title": ""}, "Ce champ est obligatoire"),
    ]
    for changes, message in cases:
        response = _client(chloe).post(url, _offer_form(offer, **changes))
        assert response.status_code == 200, changes
        assert message in response.content.decode(), changes
    stored = VisitOffer.objects.get(pk=offer.pk)
    assert stored.title == offer.title
    assert stored.languages == offer.languages


def test_a_host_cannot_move_the_offer_to_an_organisation_it_is_not_a_member_of(chloe) -> None:
    host = OrganisationFactory(admin=chloe)
    other = OrganisationFactory()
    offer = VisitSlotFactory(offer__host=host).offer
    response = _client(chloe).post(
        f"/visites/{offer.pk}/modifier/", _offer_form(offer, host=other.pk)
    )
    assert response.status_code == 200
    assert VisitOffer.objects.get(pk=offer.pk).host_id == host.pk


@pytest.mark.parametrize("method", ["get", "post"])
def test_only_the_host_and_staff_edit_or_hide(method, alice, bruno, chloe) -> None:
    host = OrganisationFactory(admin=chloe)
    offer = VisitSlotFactory(offer__host=host).offer
    edit = f"/visites/{offer.pk}/modifier/"
    manage = f"/visites/{offer.pk}/gerer/"
    data = {"action": "masquer"} if method == "post" else None
    assert getattr(_client(alice), method)(manage, data).status_code == 403
    assert getattr(_client(alice), method)(edit, _offer_form(offer)).status_code == 403
    anonymous = getattr(_client(), method)(edit, _offer_form(offer))
    assert anonymous.status_code == 302 and "/compte/login/" in anonymous["Location"]
    assert _client(alice).get("/visites/999999/modifier/").status_code == 404
    assert VisitOffer.objects.get(pk=offer.pk).is_published
    # Staff may do what the host does.
    assert _client(bruno).get(edit).status_code == 200
    assert _client(bruno).post(manage, {"action": "masquer"}).status_code == 302
    assert not VisitOffer.objects.get(pk=offer.pk).is_published


def test_a_former_member_loses_the_offer(chloe) -> None:
    host = OrganisationFactory(admin=chloe)
    offer = VisitSlotFactory(offer__host=host).offer
    Membership.objects.filter(user=chloe, organisation=host).update(status=MembershipStatus.REFUSED)
    assert _client(chloe).get(f"/visites/{offer.pk}/modifier/").status_code == 403


def test_a_hidden_offer_leaves_the_public_takes_no_request_and_reopens(chloe) -> None:
    host = OrganisationFactory(admin=chloe)
    slot = VisitSlotFactory(offer__host=host)
    offer = slot.offer
    pending = _client().post(f"/visites/{offer.pk}/", _request_form(slot.pk))
    assert pending.status_code == 302
    manage = f"/visites/{offer.pk}/gerer/"
    assert _client(chloe).post(manage, {"action": "masquer"}).status_code == 302
    assert _client().get(f"/visites/{offer.pk}/").status_code == 404
    assert offer.title not in _client().get("/visites/").content.decode()
    assert Client().get("/api/v1/visits").json()["count"] == 0
    refused = _client().post(f"/visites/{offer.pk}/", _request_form(slot.pk, email="b@example.org"))
    assert refused.status_code == 404
    api = Client().post(
        f"/api/v1/visits/{offer.pk}/requests",
        data=json.dumps({**_request_form(slot.pk), "group_size": 2}),
        content_type="application/json",
    )
    assert api.status_code == 404
    # The host still sees and answers the request already made.
    page = _client(chloe).get(manage).content.decode()
    assert "leroy@example.org" in page
    assert "Rouvrir la visite" in page
    again = _client(chloe).post(manage, {"action": "masquer"})
    assert "déjà masquée" in again.content.decode()
    assert _client(chloe).post(manage, {"action": "rouvrir"}).status_code == 302
    assert _client().get(f"/visites/{offer.pk}/").status_code == 200
    assert VisitRequest.objects.count() == 1


def test_reopening_does_not_lift_the_moderation(chloe) -> None:
    host = OrganisationFactory(admin=chloe)
    offer = VisitSlotFactory(
        offer__host=host, offer__is_published=False, offer__is_hidden=True
    ).offer
    visit_services.visit_offer_publish_set(actor=chloe, offer_id=offer.pk, published=True)
    assert _client().get(f"/visites/{offer.pk}/").status_code == 404
    assert "modération" in _client(chloe).get(f"/visites/{offer.pk}/gerer/").content.decode()


def test_an_unknown_action_is_refused(chloe) -> None:
    host = OrganisationFactory(admin=chloe)
    offer = VisitSlotFactory(offer__host=host).offer
    response = _client(chloe).post(f"/visites/{offer.pk}/gerer/", {"action": "\x00"})
    assert response.status_code == 200
    assert "Action inconnue" in response.content.decode()
    assert VisitOffer.objects.get(pk=offer.pk).is_published


# --- Throttle and honeypot -------------------------------------------------------------------


def test_it_throttles_requests_per_connection_and_visit(territory) -> None:
    slot = VisitSlotFactory(capacity=100)
    url = f"/visites/{slot.offer_id}/"
    for i in range(visit_services.REQUESTS_PER_IP_AND_OFFER_PER_HOUR):
        response = _client().post(url, _request_form(slot.pk, email=f"g{i}@example.org"))
        assert response.status_code == 302
    refused = _client().post(url, _request_form(slot.pk, email="g9@example.org"))
    assert refused.status_code == 200
    assert "plusieurs demandes pour cette visite" in refused.content.decode()
    assert VisitRequest.objects.count() == visit_services.REQUESTS_PER_IP_AND_OFFER_PER_HOUR
    # Another connection is not concerned.
    other = Client(REMOTE_ADDR="203.0.113.9").post(url, _request_form(slot.pk))
    assert other.status_code == 302


def test_it_throttles_requests_per_connection_across_visits(territory) -> None:
    limit = visit_services.REQUESTS_PER_IP_PER_HOUR
    slots = [VisitSlotFactory(capacity=100) for _ in range(limit + 1)]
    for slot in slots[:limit]:
        assert (
            _client().post(f"/visites/{slot.offer_id}/", _request_form(slot.pk)).status_code == 302
        )
    last = slots[limit]
    refused = _client().post(f"/visites/{last.offer_id}/", _request_form(last.pk))
    assert "Trop de demandes de visite depuis votre connexion" in refused.content.decode()
    api = Client().post(
        f"/api/v1/visits/{last.offer_id}/requests",
        data=json.dumps(_request_form(last.pk)),
        content_type="application/json",
    )
    assert api.status_code == 429
    assert "Trop de demandes" in api.json()["detail"]
    assert VisitRequest.objects.count() == limit


def test_the_api_is_throttled_per_visit_too(territory) -> None:
    slot = VisitSlotFactory(capacity=100)
    url = f"/api/v1/visits/{slot.offer_id}/requests"
    codes = [
        Client()
        .post(url, data=json.dumps(_request_form(slot.pk)), content_type="application/json")
        .status_code
        for _ in range(visit_services.REQUESTS_PER_IP_AND_OFFER_PER_HOUR + 1)
    ]
    assert codes == [201] * visit_services.REQUESTS_PER_IP_AND_OFFER_PER_HOUR + [429]


def test_a_filled_honeypot_saves_nothing(territory) -> None:
    slot = VisitSlotFactory(capacity=10)
    page = _client().get(f"/visites/{slot.offer_id}/").content.decode()
    assert 'name="website"' in page and 'aria-hidden="true"' in page
    response = _client().post(
        f"/visites/{slot.offer_id}/", _request_form(slot.pk, website="http://spam.example")
    )
    assert response.status_code == 200
    assert "pas pu être envoyée" in response.content.decode()
    assert VisitRequest.objects.count() == 0
    slot.refresh_from_db()
    assert slot.reserved == 0
