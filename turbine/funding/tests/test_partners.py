from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from turbine.core.exceptions import PermissionDeniedError
from turbine.funding.models import PartnerRequest, PartnerSearch
from turbine.funding.partner_services import partner_search_close, partner_search_create
from turbine.funding.services import FundingError
from turbine.funding.tests.factories import make_aid

pytestmark = pytest.mark.usefixtures("perimeters")


def test_it_publishes_a_partner_search_and_introduces_a_partner(
    client: Client,
    db: None,
    alice,
    chloe,
    django_capture_on_commit_callbacks,  # noqa: ANN001
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
        client.post(
            f"/aides/{call.pk}/partenaires/{search.pk}/mise-en-relation/",
            {"message": "La mairie de Lens est intéressée."},
        )
    (message,) = mail.outbox
    assert message.to == ["chloe@example.org"]
    assert "La mairie de Lens est intéressée." in message.body
    body = client.get(f"/aides/{call.pk}/").content.decode()
    assert "Vous avez demandé cette mise en relation." in body
    with pytest.raises(FundingError, match="déjà demandé"):
        from turbine.funding.partner_services import partner_request_create

        partner_request_create(user=alice, search_id=search.pk, message="encore")
    client.force_login(chloe)
    body = client.get(f"/aides/{call.pk}/").content.decode()
    assert "alice@example.org" in body and "Clore mon annonce" in body
    with pytest.raises(PermissionDeniedError):
        partner_search_close(user=alice, search_id=search.pk)
    client.post(f"/aides/{call.pk}/partenaires/{search.pk}/clore/")
    assert PartnerSearch.objects.get().closed_at is not None
    assert PartnerRequest.objects.count() == 1


def test_it_refuses_partner_searches_outside_calls(db: None, chloe) -> None:  # noqa: ANN001
    aid = make_aid(title="Subvention simple")
    with pytest.raises(FundingError, match="appel à projets"):
        partner_search_create(user=chloe, aid_id=aid.pk, looking_for="des partenaires motivés")
    call = make_aid(title="AAP", is_call_for_projects=True)
    partner_search_create(user=chloe, aid_id=call.pk, looking_for="des partenaires motivés")
    with pytest.raises(FundingError, match="déjà des partenaires"):
        partner_search_create(user=chloe, aid_id=call.pk, looking_for="d'autres partenaires")
