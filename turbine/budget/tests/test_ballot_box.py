"""When pending ballots enter the box: in batches on commit, from the scheduled job, at the
close of the vote and before any tally; the key is destroyed and the vote cannot reopen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from turbine.accounts.tests.factories import UserFactory
from turbine.budget import secrecy, services, tasks
from turbine.budget.models import Ballot, PendingBallot, ResultSnapshot
from turbine.budget.services import BudgetError
from turbine.budget.tests.factories import make_campaign, make_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(territory):
    campaign = make_campaign(phase="vote")
    make_proposal(campaign, title="A")
    return campaign


def _vote(campaign, n: int, capture) -> None:
    envelope = campaign.envelopes.get()
    proposal = campaign.proposals.get()
    for _ in range(n):
        user = UserFactory(commune_code="62498")
        with capture(execute=True):
            services.ballot_cast(
                user=user, envelope_id=envelope.pk, choices=[proposal.pk], age_declared=True
            )


def test_it_moves_a_batch_once_the_pool_is_full(
    campaign, settings, django_capture_on_commit_callbacks
) -> None:
    settings.BUDGET_BALLOT_BATCH_SIZE = 3
    _vote(campaign, 2, django_capture_on_commit_callbacks)
    assert PendingBallot.objects.count() == 2 and not Ballot.objects.exists()
    assert services.ballots_flush_due() == (0, 0)  # the scheduled job waits for a batch too
    _vote(campaign, 1, django_capture_on_commit_callbacks)
    assert not PendingBallot.objects.exists() and Ballot.objects.count() == 3
    # The count shown during the vote includes the pending ballots.
    _vote(campaign, 1, django_capture_on_commit_callbacks)
    from turbine.budget import selectors

    assert selectors.ballot_counts(campaign=campaign) == {campaign.envelopes.get().pk: 4}


def test_it_seals_a_closed_vote_from_the_scheduled_job(
    campaign, django_capture_on_commit_callbacks
) -> None:
    _vote(campaign, 2, django_capture_on_commit_callbacks)
    assert secrecy.campaign_key_exists(campaign_id=campaign.pk)
    with pytest.raises(BudgetError, match="ouvert jusqu'au"):
        services.campaign_ballots_seal(campaign_id=campaign.pk)
    after = campaign.vote_end + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.ballots_flush_due(today=after) == (0, 1)
    assert Ballot.objects.count() == 2 and not PendingBallot.objects.exists()
    assert not secrecy.campaign_key_exists(campaign_id=campaign.pk)
    assert not services.campaign_ballots_seal(campaign_id=campaign.pk, today=after)
    campaign.refresh_from_db()
    assert campaign.ballots_sealed_at is not None
    assert tasks.flush_and_seal_ballots() == [0, 0]  # idempotent


def test_it_seals_before_the_tally(campaign, django_capture_on_commit_callbacks) -> None:
    _vote(campaign, 3, django_capture_on_commit_callbacks)
    assert PendingBallot.objects.count() == 3
    after = campaign.results_date
    services.campaign_results_publish(campaign_id=campaign.pk, today=after)
    assert not PendingBallot.objects.exists()
    assert ResultSnapshot.objects.get(rule=campaign.rule).ballot_count == 3


def test_it_refuses_to_reopen_a_sealed_vote(campaign, bruno) -> None:
    after = campaign.vote_end + timedelta(days=1)
    services.campaign_ballots_seal(campaign_id=campaign.pk, today=after)
    campaign.refresh_from_db()
    envelope = campaign.envelopes.get()
    today = timezone.localdate()
    with pytest.raises(BudgetError, match="urne scellée"):
        services.campaign_update(
            actor=bruno,
            campaign_id=campaign.pk,
            title=campaign.title,
            year=campaign.year,
            total_budget=campaign.total_budget,
            dates=[
                campaign.submission_start,
                campaign.submission_end,
                campaign.feasibility_end,
                campaign.vote_start,
                today + timedelta(days=30),
                today + timedelta(days=40),
                campaign.realisation_date,
            ],
            envelopes=[
                (envelope.pk, services.EnvelopeSpec(name=envelope.name, budget=envelope.budget))
            ],
            ballot_type=campaign.ballot_type,
            approval_min=campaign.approval_min,
            approval_max=campaign.approval_max,
            cumulative_points=campaign.cumulative_points,
            rule=campaign.rule,
        )
    with pytest.raises(BudgetError, match="pas ouvert"):
        services.ballot_cast(
            user=UserFactory(commune_code="62498"),
            envelope_id=envelope.pk,
            choices=[campaign.proposals.get().pk],
            age_declared=True,
            today=campaign.vote_end,
        )
