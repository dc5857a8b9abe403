"""API: proposals of a campaign (open data) and submitting an idea with a personal token."""

from __future__ import annotations

import pytest

from turbine.accounts.services import api_token_create
from turbine.budget.models import Proposal, ProposalStatus
from turbine.budget.tests.factories import make_campaign, make_proposal

pytestmark = pytest.mark.django_db


def test_it_lists_a_campaigns_proposals_with_filters(
    client, territory, django_assert_max_num_queries
) -> None:
    campaign = make_campaign(phase="vote")
    for i in range(25):
        make_proposal(campaign, title=f"Projet {i:02d}")
    make_proposal(campaign, title="Refusé", status=ProposalStatus.INADMISSIBLE)
    url = f"/api/v1/budget/campaigns/{campaign.pk}/proposals"
    with django_assert_max_num_queries(6):
        data = client.get(url).json()
    assert data["count"] == 26 and len(data["items"]) == 20
    assert data["items"][0]["title"] == "Projet 00" and data["items"][0]["commune"] == "62498"
    refused = client.get(url, {"status": "non_recevable"}).json()
    assert [p["title"] for p in refused["items"]] == ["Refusé"]
    assert client.get(url, {"status": "n_importe"}).status_code == 422


def test_it_submits_an_idea_with_a_token(client, territory, alice, bruno) -> None:
    campaign = make_campaign(phase="depot")
    url = f"/api/v1/budget/campaigns/{campaign.pk}/proposals"
    body = {
        "title": "Ruches",
        "description": "Des abeilles.",
        "estimated_cost": 3000,
        "commune": "62498",
        "themes": ["biodiversite-renaturation"],
    }
    assert client.post(url, body, content_type="application/json").status_code == 401
    _, secret = api_token_create(user=alice, name="test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    response = client.post(url, body, content_type="application/json", **auth)
    assert response.status_code == 201, response.json()
    assert response.json()["themes"] == ["biodiversite-renaturation"]
    assert Proposal.objects.get().author == alice
    # Same rules as the form: staff without a commune of residence are refused.
    _, staff_secret = api_token_create(user=bruno, name="test")
    refused = client.post(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {staff_secret}"
    )
    assert refused.status_code == 403 and "commune de résidence" in refused.json()["detail"]
    bad = client.post(url, {**body, "themes": ["inconnu"]}, content_type="application/json", **auth)
    assert bad.status_code == 400 and bad.json()["field"] == "themes"
