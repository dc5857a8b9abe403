"""Many simultaneous voters, and the same person voting twice at once, on PostgreSQL: no ballot
is lost or duplicated. Real threads with their own connections and real transactions."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from turbine.accounts.tests.factories import UserFactory
from turbine.budget import services
from turbine.budget.models import Ballot, PendingBallot, VoterRecord
from turbine.budget.tests.factories import flush_ballots, make_campaign, make_proposal
from turbine.territory.testing import ensure_base_data

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and concurrency need PostgreSQL"
    ),
]

VOTERS = 40
THREADS = 8


def test_it_loses_and_duplicates_no_ballot_under_concurrency(settings) -> None:
    # Small batches: the flushes sent on commit run while other people vote and change.
    settings.BUDGET_BALLOT_BATCH_SIZE = 4
    ensure_base_data()
    campaign = make_campaign(phase="vote", approval_max=3)
    proposals = [make_proposal(campaign, title=f"P{i}") for i in range(4)]
    envelope = campaign.envelopes.get()
    voters = [UserFactory(commune_code="62498") for _ in range(VOTERS)]
    twice = voters[0]
    barrier = threading.Barrier(THREADS)

    def vote(args: tuple[int, object, list[int]]) -> str:
        position, user, choices = args
        try:
            if position < THREADS:
                barrier.wait(timeout=30)  # the first wave starts at the same instant
            return services.ballot_cast(
                user=user, envelope_id=envelope.pk, choices=choices, age_declared=True
            ).code
        finally:
            connections.close_all()

    jobs = [(i, u, [proposals[i % 4].pk]) for i, u in enumerate(voters)]
    # The same person votes several more times, at the same moment as the first wave.
    jobs[1:1] = [(0, twice, [proposals[1].pk, proposals[2].pk]) for _ in range(THREADS - 2)]
    jobs = [(position, user, choices) for position, (_, user, choices) in enumerate(jobs)]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        codes = list(pool.map(vote, jobs))

    assert len(codes) == len(jobs) and all(len(c) == 12 for c in codes)
    assert Ballot.objects.filter(envelope=envelope).exists()  # some batches moved meanwhile
    flush_ballots(campaign)
    assert not PendingBallot.objects.exists()
    assert VoterRecord.objects.filter(envelope=envelope).count() == VOTERS
    assert Ballot.objects.filter(envelope=envelope).count() == VOTERS
    assert Ballot.objects.values("token_hash").distinct().count() == VOTERS
    record = VoterRecord.objects.get(user=twice)
    assert record.changes == len([j for j in jobs if j[1] is twice]) - 1
    mine = services.ballot_of(user=twice, envelope=envelope)
    assert mine is not None and mine.choices in (
        [proposals[0].pk],
        sorted([proposals[1].pk, proposals[2].pk]),
    )
