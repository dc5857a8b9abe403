"""The demonstration data set."""

from __future__ import annotations

import pytest

from turbine.budget.demo import load_campaigns
from turbine.budget.models import Ballot, Campaign, Phase, ProposalStatus, ResultSnapshot
from turbine.core.models import SearchDocument

pytestmark = pytest.mark.django_db


def test_it_loads_a_finished_campaign_and_an_open_one(territory) -> None:
    from turbine.accounts.demo import load_people

    load_people()  # Bruno (démo), of the Turbine's staff, follows the realisations
    summary = load_campaigns()
    assert "5000 bulletins" in summary
    c2026 = Campaign.objects.get(year=2026)
    c2027 = Campaign.objects.get(year=2027)
    from django.utils import timezone

    assert c2026.phase_on(timezone.localdate()) == Phase.RESULTS
    assert c2027.phase_on(timezone.localdate()) == Phase.SUBMISSION
    assert c2026.proposals.count() == 63 and all(c.is_demo for c in (c2026, c2027))
    assert Ballot.objects.filter(campaign=c2026).count() == 5_000
    assert c2026.results_published  # two envelopes, three rules each
    assert ResultSnapshot.objects.filter(envelope__campaign=c2026).count() == 6
    assert c2026.proposals.filter(status=ProposalStatus.FUNDED).exists()
    merged = list(
        c2026.proposals.filter(status=ProposalStatus.MERGED).select_related("merged_into")
    )
    assert len(merged) == 3
    for duplicate in merged:  # true duplicates: the same idea, in the same commune
        target = duplicate.merged_into
        assert duplicate.commune_id == target.commune_id
        assert duplicate.title.split(" pour les habitants de ")[0] in target.title
        assert set(duplicate.themes.all()) == set(target.themes.all())
    assert all("(démo)" in t for t in c2026.proposals.values_list("title", flat=True))
    started = list(c2026.proposals.filter(status=ProposalStatus.IN_PROGRESS))
    assert len(started) == 3 and "3 projets lauréats en travaux" in summary
    for proposal in started:
        project = proposal.realisation_project
        assert project.is_public and project.is_demo
        assert [u.text for u in project.updates.all()] == [proposal.progress_note]


def test_it_generates_scale_data_and_clears_it(
    territory, client, django_assert_max_num_queries
) -> None:
    import random

    from turbine.budget import scale

    assert "10000 bulletins" in scale.generate(1, random.Random("test"))
    campaign = Campaign.objects.get(slug__startswith=scale.SLUG_PREFIX)
    assert Ballot.objects.filter(campaign=campaign).count() == 10_000
    with django_assert_max_num_queries(8):
        response = client.get(f"/budget-participatif/{campaign.slug}/resultats/")
    assert response.status_code == 200
    assert SearchDocument.objects.filter(kind="budget_proposal").count() == 60
    assert scale.clear() > 0
    assert not Campaign.objects.exists() and not Ballot.objects.exists()
    assert not SearchDocument.objects.filter(kind="budget_proposal").exists()
