"""Pages: list, campaign, proposal, submission, staff review, the vote flow without JavaScript."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from turbine.budget.models import Ballot, Proposal, ProposalStatus, VoterRecord
from turbine.budget.tests.factories import flush_ballots, make_campaign, make_proposal

pytestmark = pytest.mark.django_db


def logged(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_lists_campaigns(client, territory) -> None:
    make_campaign(phase="depot", title="Budget 2027")
    response = client.get("/budget-participatif/")
    assert response.status_code == 200
    assert "Budget 2027" in response.content.decode()


def test_it_shows_a_campaign_with_its_timeline_and_filters(
    client, territory, django_assert_max_num_queries
) -> None:
    campaign = make_campaign(phase="vote")
    for i in range(30):
        make_proposal(campaign, title=f"Projet {i:02d}")
    with django_assert_max_num_queries(10):
        response = client.get(f"/budget-participatif/{campaign.slug}/")
    html = response.content.decode()
    assert 'aria-current="step"' in html
    assert "Projet 00" in html and "Projet 29" not in html  # paginated
    assert "30 propositions" in html
    response = client.get(f"/budget-participatif/{campaign.slug}/", {"statut": "non_recevable"})
    assert "0 proposition" in response.content.decode()


def test_it_submits_a_proposal_through_the_form(territory, alice) -> None:
    campaign = make_campaign(phase="depot")
    client = logged(alice)
    url = reverse("budget:proposal_submit", args=[campaign.slug])
    response = client.post(url, {"title": "", "description": "", "estimated_cost": "abc"})
    assert response.status_code == 200
    assert "Le formulaire contient" in response.content.decode()
    response = client.post(
        url,
        {
            "title": "Ruches communales",
            "description": "Des **ruches** <script>alert(1)</script>",
            "estimated_cost": "4000",
            "themes": [],
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response.url == proposal.get_absolute_url()
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "<strong>ruches</strong>" in page and "<script>alert" not in page


def test_it_hides_the_submission_form_outside_the_phase(territory, alice) -> None:
    campaign = make_campaign(phase="vote")
    response = logged(alice).get(reverse("budget:proposal_submit", args=[campaign.slug]))
    assert response.status_code == 404


def test_it_lets_staff_review_and_refuses_others(territory, alice, bruno) -> None:
    campaign = make_campaign(phase="faisabilite")
    proposal = make_proposal(campaign, status=ProposalStatus.SUBMITTED)
    url = reverse("budget:proposal_review", args=[campaign.slug, proposal.pk])
    assert logged(alice).get(url).status_code == 403
    assert (
        logged(alice).get(reverse("budget:review_queue", args=[campaign.slug])).status_code == 403
    )
    client = logged(bruno)
    assert client.get(reverse("budget:review_queue", args=[campaign.slug])).status_code == 200
    response = client.post(url, {"decision": "non_recevable", "public_reason": ""})
    assert "motif public" in response.content.decode()
    response = client.post(
        url, {"decision": "recevable", "public_reason": "", "revised_cost": "9000"}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ADMISSIBLE and proposal.revised_cost == 9000


def test_it_votes_with_an_explicit_confirmation_and_a_receipt(territory, alice) -> None:
    campaign = make_campaign(phase="vote", ballot_type="knapsack", total_budget=50_000)
    a = make_proposal(campaign, title="A", cost=30_000)
    b = make_proposal(campaign, title="B", cost=25_000)
    envelope = campaign.envelopes.get()
    client = logged(alice)
    url = reverse("budget:vote_ballot", args=[campaign.slug, envelope.pk])
    page = client.get(url).content.decode()
    assert "Reste dans l'enveloppe" in page
    # Without JavaScript, "Recalculer" shows what is left.
    page = client.post(url, {"projets": [a.pk], "action": "recalculer"}).content.decode()
    assert "20\u202f000" in page
    page = client.post(url, {"projets": [a.pk, b.pk], "action": "verifier", "age_declared": "on"})
    assert "plus que l&#x27;enveloppe" in page.content.decode()
    page = client.post(url, {"projets": [a.pk], "action": "verifier", "age_declared": "on"})
    assert "Confirmer mon vote" in page.content.decode()
    assert not Ballot.objects.exists()  # nothing recorded before the confirmation
    response = client.post(url, {"projets": [a.pk], "action": "confirmer", "age_declared": "on"})
    assert response.status_code == 302
    receipt = client.get(response.url).content.decode()
    code = re.search(r'class="secret">([0-9A-F]{12})<', receipt).group(1)
    assert VoterRecord.objects.get().receipt_hash != code
    assert not Ballot.objects.exists()  # pending: not in the voter's transaction
    flush_ballots(campaign)
    assert Ballot.objects.get().choices == [a.pk]
    # Changing the vote: the ballot page shows the current choice, the new one replaces it.
    page = client.get(url).content.decode()
    assert (
        "déjà voté" in page
        and f'value="{a.pk}" id="projet-{a.pk}" data-cost="30000.00" checked' in page
    )
    client.post(url, {"projets": [b.pk], "action": "confirmer", "age_declared": "on"})
    flush_ballots(campaign)
    assert Ballot.objects.get().choices == [b.pk]
    assert VoterRecord.objects.count() == 1


def test_it_explains_why_someone_cannot_vote(client, territory, bruno) -> None:
    campaign = make_campaign(phase="vote")
    page = client.get(reverse("budget:vote", args=[campaign.slug])).content.decode()
    assert "Connectez-vous pour voter" in page
    page = logged(bruno).get(reverse("budget:vote", args=[campaign.slug])).content.decode()
    assert "commune de résidence" in page


def test_it_lets_staff_record_the_progress_of_a_funded_project(territory, bruno, client) -> None:
    campaign = make_campaign(phase="resultats")
    proposal = make_proposal(campaign, status=ProposalStatus.FUNDED)
    url = reverse("budget:proposal_review", args=[campaign.slug, proposal.pk])
    staff = logged(bruno)
    assert "Suivre la réalisation" in staff.get(url).content.decode()
    response = staff.post(url, {"status": "en_travaux", "note": "Travaux en avril."})
    assert response.status_code == 302
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "En cours de réalisation" in page and "Travaux en avril." in page
    proposal.refresh_from_db()
    assert proposal.realisation_project.get_absolute_url() in page
    assert client.get(proposal.realisation_project.get_absolute_url()).status_code == 200


def test_it_shows_how_many_ballots_were_cast_but_nothing_else(client, territory, alice) -> None:
    from turbine.budget import services

    campaign = make_campaign(phase="vote")
    p = make_proposal(campaign)
    services.ballot_cast(
        user=alice, envelope_id=campaign.envelopes.get().pk, choices=[p.pk], age_declared=True
    )
    html = client.get(f"/budget-participatif/{campaign.slug}/").content.decode()
    assert '<th scope="col" class="num">Bulletins</th>' in html


def test_it_keeps_list_pages_query_counts_bounded(
    client, territory, bruno, django_assert_max_num_queries
) -> None:
    for year in range(3):
        campaign = make_campaign(phase="faisabilite", slug=f"bp-{year}")
        for i in range(5):
            make_proposal(campaign, title=f"Projet {i}", status=ProposalStatus.SUBMITTED)
    with django_assert_max_num_queries(3):
        assert client.get("/budget-participatif/").status_code == 200
    staff = logged(bruno)
    with django_assert_max_num_queries(14):
        response = staff.get(reverse("budget:review_queue", args=["bp-0"]))
    assert response.status_code == 200 and response.content.decode().count("Étudier") >= 5


def test_it_gives_a_campaign_created_in_the_admin_one_envelope(territory, admin_client) -> None:
    response = admin_client.post(
        "/admin/budget/campaign/add/",
        {
            "territory": territory.pk, "slug": "bp-admin", "title": "BP admin", "year": 2027,
            "description": "", "total_budget": "1000", "min_age": 16, "ballot_type": "approval",
            "approval_min": 1, "approval_max": 3, "cumulative_points": 10, "rule": "mes-completed",
            "submission_start": "2027-01-01", "submission_end": "2027-02-01",
            "feasibility_end": "2027-03-01", "vote_start": "2027-04-01", "vote_end": "2027-05-01",
            "results_date": "2027-06-01", "realisation_date": "2027-07-01",
            "envelopes-TOTAL_FORMS": 0, "envelopes-INITIAL_FORMS": 0,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    from turbine.budget.models import Campaign

    assert [e.name for e in Campaign.objects.get(slug="bp-admin").envelopes.all()] == [
        "Enveloppe unique"
    ]


def test_it_votes_with_points_and_explains_invalid_points(territory, alice) -> None:
    campaign = make_campaign(phase="vote", ballot_type="cumulative", cumulative_points=5)
    a = make_proposal(campaign, title="A")
    b = make_proposal(campaign, title="B")
    envelope = campaign.envelopes.get()
    client = logged(alice)
    url = reverse("budget:vote_ballot", args=[campaign.slug, envelope.pk])
    page = client.post(
        url, {f"points-{a.pk}": "deux", f"points-{b.pk}": "1", "action": "verifier"}
    ).content.decode()
    assert 'aria-invalid="true"' in page and "nombre entier" in page
    page = client.post(
        url,
        {f"points-{a.pk}": "4", f"points-{b.pk}": "3", "action": "verifier", "age_declared": "on"},
    ).content.decode()
    assert "5 au plus" in page
    client.post(
        url,
        {f"points-{a.pk}": "4", f"points-{b.pk}": "1", "action": "confirmer", "age_declared": "on"},
    )
    flush_ballots(campaign)
    assert Ballot.objects.get().choices == [[a.pk, 4], [b.pk, 1]]
    page = client.get(url).content.decode()
    assert f'name="points-{a.pk}" id="id_points-{a.pk}"' in page and 'value="4"' in page
