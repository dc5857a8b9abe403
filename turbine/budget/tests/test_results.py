"""Results: published once by ``campaign_results_publish`` (scheduled task, staff button,
command), then only read by the page and the API; explanations, fairness of both rules, flat
query count, anonymised Pabulib export."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from turbine.budget.engine import parse_pabulib, tally
from turbine.budget.models import ProposalStatus, ResultSnapshot, StaffAction
from turbine.budget.services import (
    BudgetError,
    EnvelopeSpec,
    campaign_results_publish,
    campaign_update,
)
from turbine.budget.tests.factories import make_ballots, make_campaign, make_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(territory):
    """Budget 100,000; A (60,000) is loved by a majority, B and C (40,000 each) by a minority."""
    campaign = make_campaign(phase="resultats", slug="bp-fini")
    a = make_proposal(campaign, title="A", cost=60_000)
    b = make_proposal(campaign, title="B", cost=40_000, commune_code="62119")
    c = make_proposal(campaign, title="C", cost=40_000, commune_code=None)
    make_ballots(campaign, [[a.pk]] * 6 + [[b.pk, c.pk]] * 4)
    return campaign, a, b, c


@pytest.fixture
def published(finished):
    campaign, *rest = finished
    return (campaign_results_publish(campaign_id=campaign.pk), *rest)


def test_it_tallies_the_ballots_and_marks_the_winners(published, client) -> None:
    campaign, a, b, c = published
    assert ResultSnapshot.objects.filter(envelope__campaign=campaign).count() == 3  # every rule
    statuses = dict(campaign.proposals.values_list("title", "status"))
    assert statuses["A"] == ProposalStatus.FUNDED
    assert list(statuses.values()).count(ProposalStatus.FUNDED) == 2
    response = client.get(reverse("budget:results", args=[campaign.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Financé à l&#x27;étape 1" in html  # the budget app's words on the engine's outcome
    assert "parts égales donne à chaque votant la même part" in html
    assert 'href="https://equalshares.net/fr/"' in html
    assert "augmentation" not in html and "unité" not in html
    assert "Votants ayant au moins un projet soutenu financé" in html
    assert 'type="application/json"' in html and "<canvas" in html


def _writes(queries: CaptureQueriesContext) -> list[str]:
    verbs = ("INSERT", "UPDATE", "DELETE")
    return [
        q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(verbs)
    ]


def test_it_writes_nothing_when_the_results_are_read(finished, client) -> None:
    campaign, *_ = finished
    page = reverse("budget:results", args=[campaign.slug])
    api = f"/api/v1/budget/campaigns/{campaign.pk}/results"
    with CaptureQueriesContext(connection) as before:
        assert "pas encore publiés" in client.get(page).content.decode()
        assert client.get(api).status_code == 404
    assert _writes(before) == []
    assert not ResultSnapshot.objects.exists()
    assert not campaign.proposals.filter(status=ProposalStatus.FUNDED).exists()
    campaign_results_publish(campaign_id=campaign.pk)
    with CaptureQueriesContext(connection) as after:
        assert client.get(page).status_code == 200
        assert client.get(api + "?rule=greedy").status_code == 200
    assert _writes(after) == []


def test_it_keeps_the_results_page_query_count_flat(finished, client) -> None:
    campaign, a, *_ = finished
    url = reverse("budget:results", args=[campaign.slug])
    campaign_results_publish(campaign_id=campaign.pk)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    other = make_campaign(phase="resultats", slug="bp-nombreux")
    d = make_proposal(other, title="D", cost=1_000)
    make_proposal(other, title="E", cost=2_000)
    make_ballots(other, [[d.pk]] * 500)
    campaign_results_publish(campaign_id=other.pk)
    url = reverse("budget:results", args=[other.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) <= 8
    assert len(many) == len(few)


def test_it_says_when_the_results_will_be_published(territory, client) -> None:
    campaign = make_campaign(phase="vote")
    response = client.get(reverse("budget:results", args=[campaign.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "pas encore publiés" in html
    assert f"ils le seront le {campaign.results_date.day} " in html
    response = client.get(f"/api/v1/budget/campaigns/{campaign.pk}/results")
    assert response.status_code == 404
    assert "ils le seront le" in response.json()["detail"]
    export = reverse("budget:results_export", args=[campaign.slug, campaign.envelopes.get().pk])
    assert client.get(export).status_code == 404


def test_it_publishes_on_the_results_date_through_the_schedule(finished, territory) -> None:
    campaign, a, *_ = finished
    later = make_campaign(phase="vote", slug="bp-plus-tard")
    out = StringIO()
    call_command("run_schedules", "budget-publish-results", stdout=out)
    assert "budget-publish-results : 1" in out.getvalue()
    campaign.refresh_from_db()
    later.refresh_from_db()
    assert campaign.results_published and not later.results_published
    a.refresh_from_db()
    assert a.status == ProposalStatus.FUNDED
    log = StaffAction.objects.get(campaign=campaign, action="results_publish")
    assert log.actor is None and log.details["by"] == "schedule" and log.details["ballots"] == 10
    out = StringIO()
    call_command("run_schedules", "budget-publish-results", stdout=out)
    assert "budget-publish-results : 0" in out.getvalue()  # once only
    assert StaffAction.objects.filter(action="results_publish").count() == 1


def test_it_publishes_from_the_command(finished, territory) -> None:
    campaign, *_ = finished
    voting = make_campaign(phase="vote", slug="bp-en-vote")
    with pytest.raises(CommandError, match="ouvert jusqu'au"):
        call_command("publish_results", voting.slug)
    with pytest.raises(CommandError, match="introuvable"):
        call_command("publish_results", "licorne")
    out = StringIO()
    call_command("publish_results", campaign.slug, stdout=out)
    assert f"Résultats publiés : {campaign.title}." in out.getvalue()
    with pytest.raises(CommandError, match="déjà publiés"):
        call_command("publish_results", str(campaign.pk))
    out = StringIO()
    call_command("publish_results", stdout=out)
    assert "Aucune campagne" in out.getvalue()
    assert not ResultSnapshot.objects.filter(envelope__campaign=voting).exists()


def test_it_lets_staff_publish_once_the_vote_is_closed(finished, client, alice, bruno) -> None:
    campaign, *_ = finished
    # Closed vote, results date still to come: staff may publish early.
    campaign.results_date = timezone.localdate() + timedelta(days=3)
    campaign.save(update_fields=["results_date"])
    url = reverse("budget:results_publish", args=[campaign.slug])
    queue = reverse("budget:review_queue", args=[campaign.slug])
    client.force_login(alice)
    assert client.post(url).status_code == 403
    assert not ResultSnapshot.objects.exists()
    client.force_login(bruno)
    assert "Publier les résultats maintenant" in client.get(queue).content.decode()
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].endswith("/resultats/")
    campaign.refresh_from_db()
    assert campaign.results_published
    log = StaffAction.objects.get(campaign=campaign, action="results_publish")
    assert log.actor == bruno and log.details["by"] == "staff"
    html = client.get(queue).content.decode()
    assert "Publier les résultats maintenant" not in html and "results_publish" in html
    again = client.post(url, follow=True)
    assert "déjà publiés" in again.content.decode()
    assert StaffAction.objects.filter(action="results_publish").count() == 1


def test_it_refuses_to_publish_while_the_vote_is_open(territory, bruno, client) -> None:
    campaign = make_campaign(phase="vote")
    client.force_login(bruno)
    assert (
        "Publier les résultats"
        not in client.get(reverse("budget:review_queue", args=[campaign.slug])).content.decode()
    )
    response = client.post(reverse("budget:results_publish", args=[campaign.slug]), follow=True)
    assert "après sa clôture" in response.content.decode()
    campaign.refresh_from_db()
    assert not campaign.results_published and not ResultSnapshot.objects.exists()


def test_it_keeps_the_rule_once_published_even_before_the_results_date(finished, bruno) -> None:
    campaign, *_ = finished
    campaign.results_date = timezone.localdate() + timedelta(days=3)
    campaign.save(update_fields=["results_date"])
    campaign_results_publish(campaign_id=campaign.pk)
    campaign.refresh_from_db()
    envelopes = [
        (e.pk, EnvelopeSpec(name=e.name, budget=e.budget)) for e in campaign.envelopes.all()
    ]
    with pytest.raises(BudgetError, match="règle de décision"):
        campaign_update(
            campaign_id=campaign.pk,
            actor=bruno,
            title=campaign.title,
            year=campaign.year,
            description=campaign.description,
            total_budget=campaign.total_budget,
            dates=[
                campaign.submission_start,
                campaign.submission_end,
                campaign.feasibility_end,
                campaign.vote_start,
                campaign.vote_end,
                campaign.results_date,
                campaign.realisation_date,
            ],
            min_age=campaign.min_age,
            ballot_type=campaign.ballot_type,
            approval_min=campaign.approval_min,
            approval_max=campaign.approval_max,
            cumulative_points=campaign.cumulative_points,
            rule="greedy",
            envelopes=envelopes,
        )


def test_it_exports_anonymised_ballots_that_tally_the_same(published, client) -> None:
    campaign, *_ = published
    envelope = campaign.envelopes.get()
    response = client.get(reverse("budget:results_export", args=[campaign.slug, envelope.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    election = parse_pabulib(text)
    assert election.num_voters == 10
    assert "@" not in text
    api = client.get(f"/api/v1/budget/campaigns/{campaign.pk}/results").json()
    assert list(tally(election, rule="mes-completed").selected) == api["envelopes"][0]["selected"]


def test_it_serves_campaigns_and_results_in_the_api(published, client) -> None:
    campaign, a, b, c = published
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
