from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from turbine.core.exceptions import PermissionDeniedError
from turbine.directory import introductions
from turbine.directory.models import Introduction
from turbine.funding.models import PartnerSearch
from turbine.funding.services.catalogue import FundingError
from turbine.funding.services.partners import partner_search_close, partner_search_create
from turbine.funding.tests.factories import make_aid

pytestmark = pytest.mark.usefixtures("perimeters")


def test_it_publishes_a_partner_search_and_asks_an_introduction_through_the_directory(
    client: Client,
    db: None,
    alice,
    chloe,
    django_capture_on_commit_callbacks,
) -> None:
    call = make_aid(title="AMI Tiers-lieux", is_call_for_projects=True)
    body = client.get(f"/aides/{call.pk}/").content.decode()
    assert "Connectez-vous pour chercher des partenaires" in body
    client.force_login(chloe)
    response = client.post(
        f"/aides/{call.pk}/partenaires/",
        {
            "organisation": "Association Vélo Béthune",
            "looking_for": "une collectivité et un bailleur social",
        },
    )
    assert response.status_code == 302
    search = PartnerSearch.objects.get()
    client.force_login(alice)
    body = client.get(f"/aides/{call.pk}/").content.decode()
    assert "Association Vélo Béthune" in body and "Demander une mise en relation" in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _ask_url(),
            {
                "target_kind": "partenaires-appel",
                "target_id": str(search.pk),
                "subject_kind": "appel",
                "subject_id": str(call.pk),
                "message": "La mairie de Lens est intéressée.",
                "share_contact": "on",
                "next": f"/aides/{call.pk}/#partenaires",
            },
        )
    assert response.status_code == 302
    introduction = Introduction.objects.get()
    assert (introduction.recipient, introduction.requester) == (chloe, alice)
    assert introduction.subject_title == "AMI Tiers-lieux"
    assert mail.outbox[0].to == ["chloe@example.org"]
    body = client.get(f"/aides/{call.pk}/").content.decode()
    assert "Mise en relation demandée" in body
    client.force_login(chloe)
    body = client.get(f"/aides/{call.pk}/").content.decode()
    assert "1 demande de mise en relation" in body and "Clore mon annonce" in body
    with pytest.raises(PermissionDeniedError):
        partner_search_close(user=alice, search_id=search.pk)
    client.post(f"/aides/{call.pk}/partenaires/{search.pk}/clore/")
    assert PartnerSearch.objects.get().closed_at is not None
    with pytest.raises(Exception, match="n'existe pas ou n'est plus disponible"):
        introductions.introduction_request(
            user=alice, target_kind="partenaires-appel", target_id=str(search.pk), message="x"
        )


def _ask_url() -> str:
    from django.urls import reverse

    return reverse("directory:introduction_ask")


def test_it_refuses_partner_searches_outside_calls(db: None, chloe) -> None:
    aid = make_aid(title="Subvention simple")
    with pytest.raises(FundingError, match="appel à projets"):
        partner_search_create(user=chloe, aid_id=aid.pk, looking_for="des partenaires motivés")
    call = make_aid(title="AAP", is_call_for_projects=True)
    partner_search_create(user=chloe, aid_id=call.pk, looking_for="des partenaires motivés")
    with pytest.raises(FundingError, match="déjà des partenaires"):
        partner_search_create(user=chloe, aid_id=call.pk, looking_for="d'autres partenaires")
