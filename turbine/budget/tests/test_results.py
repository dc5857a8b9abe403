"""Results: tally of the stored ballots, explanations, fairness of both rules, flat query count,
anonymised Pabulib export, API."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from turbine.budget.engine import parse_pabulib, tally
from turbine.budget.models import ProposalStatus, ResultSnapshot
from turbine.budget.tests.factories import make_ballots, make_campaign, make_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(territory):  # noqa: ANN001, ANN201
    """Budget 100,000; A (60,000) is loved by a majority, B and C (40,000 each) by a minority."""
    campaign = make_campaign(phase="resultats", slug="bp-fini")
    a = make_proposal(campaign, title="A", cost=60_000)
    b = make_proposal(campaign, title="B", cost=40_000, commune_code="62119")
    c = make_proposal(campaign, title="C", cost=40_000, commune_code=None)
    make_ballots(campaign, [[a.pk]] * 6 + [[b.pk, c.pk]] * 4)
    return campaign, a, b, c


def test_it_tallies_the_ballots_and_marks_the_winners(finished, client) -> None:
    campaign, a, b, c = finished
    response = client.get(reverse("budget:results", args=[campaign.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "financé au tour" in html  # explanation from the engine
    assert ResultSnapshot.objects.filter(envelope__campaign=campaign).count() == 2
    statuses = dict(campaign.proposals.values_list("title", "status"))
    assert statuses["A"] == ProposalStatus.FUNDED
    assert list(statuses.values()).count(ProposalStatus.FUNDED) == 2
    assert "Votants ayant au moins un projet soutenu financé" in html
    assert 'type="application/json"' in html and "<canvas" in html


def test_it_keeps_the_results_page_query_count_flat(finished, client) -> None:
    campaign, a, *_ = finished
    url = reverse("budget:results", args=[campaign.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make_ballots(campaign, [[a.pk]] * 500)
    make_proposal(campaign, title="D", cost=1_000)
    ResultSnapshot.objects.all().delete()
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) <= 8
    assert len(many) == len(few)


def test_it_hides_results_before_their_date(territory, client) -> None:
    campaign = make_campaign(phase="vote")
    assert client.get(reverse("budget:results", args=[campaign.slug])).status_code == 404
    response = client.get(f"/api/v1/budget/campaigns/{campaign.pk}/results")
    assert response.status_code == 404 and "pas encore publiés" in response.json()["detail"]


def test_it_exports_anonymised_ballots_that_tally_the_same(finished, client) -> None:
    campaign, *_ = finished
    envelope = campaign.envelopes.get()
    response = client.get(reverse("budget:results_export", args=[campaign.slug, envelope.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    election = parse_pabulib(text)
    assert election.num_voters == 10
    assert "@" not in text
    api = client.get(f"/api/v1/budget/campaigns/{campaign.pk}/results").json()
    assert list(tally(election, rule="mes-completed").selected) == api["envelopes"][0]["selected"]


def test_it_serves_campaigns_and_results_in_the_api(finished, client) -> None:
    campaign, a, b, c = finished
    listing = client.get("/api/v1/budget/campaigns").json()
    assert listing["count"] == 1 and listing["items"][0]["slug"] == "bp-fini"
    assert listing["items"][0]["phase"] == "resultats"
    greedy = client.get(f"/api/v1/budget/campaigns/{campaign.pk}/results?rule=greedy").json()
    assert greedy["rule"] == "greedy"
    assert greedy["envelopes"][0]["selected"][0] == str(a.pk)
    fair = greedy["envelopes"][0]["fairness"]
    assert 0 <= fair["share_voters_with_funded_project"] <= 1
    bad = client.get(f"/api/v1/budget/campaigns/{campaign.pk}/results?rule=borda")
    assert bad.status_code == 422
    assert client.get("/api/v1/budget/campaigns/999999/results").status_code == 404


def test_it_lists_campaigns_in_the_api_in_few_queries(
    finished, client, django_assert_max_num_queries
) -> None:
    make_campaign(phase="depot", slug="bp-2")
    make_campaign(phase="vote", slug="bp-3")
    with django_assert_max_num_queries(4):
        data = client.get("/api/v1/budget/campaigns").json()
    assert data["count"] == 3
    assert {c["phase"] for c in data["items"]} == {"depot", "vote", "resultats"}
