"""The secret ballot against a database reader (issue 10, point 3): after the vote, joining the
ballots to the voter records by any column, system column (``xmin``/``ctid`` on PostgreSQL,
``rowid`` on SQLite) or order links them no better than chance.

200 voters each cast a different ballot, in order, some change it, pending ballots are flushed
in batches as the task sent on commit does, then the vote closes. The reader's best guess for
each ordering: the k-th voter cast the k-th ballot. With no link, the number of exact matches
follows a Poisson law of mean 1 and the rank correlation is about 0 ± 0.07.
"""

from __future__ import annotations

import random
from datetime import timedelta
from itertools import combinations
from statistics import correlation

import pytest
from django.db import connection

from turbine.accounts.tests.factories import UserFactory
from turbine.budget import secrecy, services
from turbine.budget.models import Ballot, PendingBallot, VoterDigest, VoterRecord
from turbine.budget.services import votes
from turbine.budget.tests.factories import make_campaign, make_proposal

pytestmark = pytest.mark.django_db

VOTERS = 200
BATCH = 25
# Chance bounds for 200 voters: P(Poisson(1) >= 7) < 1e-4, |rho| > 0.3 is over 4 sigma.
MAX_EXACT = 6
MAX_RHO = 0.3


@pytest.fixture
def election(territory, monkeypatch):
    """A closed vote of 200 voters with distinguishable ballots; returns (campaign, truth)
    where truth maps each user id to the choices of their last ballot."""
    monkeypatch.setattr(votes, "RANDOM", random.Random(20261202))
    campaign = make_campaign(phase="vote", approval_min=1, approval_max=8)
    proposals = [make_proposal(campaign, title=f"Projet {i}").pk for i in range(8)]
    envelope = campaign.envelopes.get()
    ballots = [
        sorted(c) for size in range(1, 9) for c in combinations(proposals, size)
    ]  # 255 different ballots
    truth: dict[int, list[int]] = {}
    for i in range(VOTERS):
        user = UserFactory(commune_code="62498")
        choices = ballots[i]
        services.ballot_cast(user=user, envelope_id=envelope.pk, choices=choices, age_declared=True)
        if i % 20 == 7:  # some change their mind later
            choices = ballots[VOTERS + i // 20]
            services.ballot_cast(
                user=user, envelope_id=envelope.pk, choices=choices, age_declared=True
            )
        truth[user.pk] = choices
        # What the task sent on commit does.
        services.ballots_flush(campaign_id=campaign.pk, minimum=BATCH)
    return campaign, truth


def _voter_orders() -> dict[str, list[int]]:
    """User ids of the voter records, in every order a reader could use."""
    orders = {
        "id": list(VoterRecord.objects.order_by("id").values_list("user_id", flat=True)),
        "voted_at": list(
            VoterRecord.objects.order_by("voted_at", "id").values_list("user_id", flat=True)
        ),
        "user": list(VoterRecord.objects.order_by("user_id").values_list("user_id", flat=True)),
    }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT user_id FROM budget_voterrecord ORDER BY xmin::text::bigint, ctid"
            )
            orders["xmin"] = [r[0] for r in cursor.fetchall()]
            cursor.execute("SELECT user_id FROM budget_voterrecord ORDER BY ctid")
        else:
            cursor.execute("SELECT user_id FROM budget_voterrecord ORDER BY rowid")
        orders["physical"] = [r[0] for r in cursor.fetchall()]
    return orders


def _ballot_orders() -> dict[str, list[list[int]]]:
    """Choices of the ballots, in every order a reader could use."""
    orders: dict[str, list[list[int]]] = {
        "id": list(Ballot.objects.order_by("id").values_list("choices", flat=True)),
        "unordered": list(Ballot.objects.values_list("choices", flat=True)),
    }
    queries = (
        {
            "xmin": "SELECT choices FROM budget_ballot ORDER BY xmin::text::bigint, ctid",
            "physical": "SELECT choices FROM budget_ballot ORDER BY ctid",
        }
        if connection.vendor == "postgresql"
        else {"physical": "SELECT choices FROM budget_ballot ORDER BY rowid"}
    )
    field = Ballot._meta.get_field("choices")
    with connection.cursor() as cursor:
        for name, sql in queries.items():
            cursor.execute(sql)
            orders[name] = [
                field.from_db_value(r[0], None, connection) if isinstance(r[0], str) else r[0]
                for r in cursor.fetchall()
            ]
    return orders


def _link(voters: list[int], ballots: list[list[int]], truth: dict[int, list[int]]):
    """(exact matches, rank correlation) of the guess "k-th voter, k-th ballot"."""
    position = {tuple(choices): k for k, choices in enumerate(ballots)}
    exact = sum(truth[user] == ballots[k] for k, user in enumerate(voters))
    placed = [position[tuple(truth[u])] for u in voters]
    ranks = {p: r for r, p in enumerate(sorted(placed))}
    # Spearman's rank correlation: Pearson's on the ranks (no ties: ballots all differ).
    rho = correlation(list(range(len(voters))), [ranks[p] for p in placed])
    return exact, rho


def test_it_leaves_no_link_between_ballots_and_voters_after_the_vote(
    election, django_capture_on_commit_callbacks
) -> None:
    campaign, truth = election
    assert len(truth) == VOTERS
    day_after = campaign.vote_end + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.campaign_ballots_seal(campaign_id=campaign.pk, today=day_after)

    assert not PendingBallot.objects.exists() and not VoterDigest.objects.exists()
    assert Ballot.objects.count() == VOTERS
    assert sorted(map(tuple, Ballot.objects.values_list("choices", flat=True))) == sorted(
        tuple(c) for c in truth.values()
    )
    # No column left to join on: no token, no date, random ids; the key is gone.
    assert not Ballot.objects.filter(token_hash__isnull=False).exists()
    assert not secrecy.campaign_key_exists(campaign_id=campaign.pk)
    assert {f.name for f in Ballot._meta.get_fields()} == {
        "id", "campaign", "envelope", "token_hash", "choices", "synthetic"
    }  # fmt: skip

    for voter_order, voters in _voter_orders().items():
        for ballot_order, ballots in _ballot_orders().items():
            exact, rho = _link(voters, ballots, truth)
            assert exact <= MAX_EXACT, (voter_order, ballot_order, exact)
            assert abs(rho) <= MAX_RHO, (voter_order, ballot_order, rho)


def test_it_would_see_a_link_in_the_order_of_writing(election) -> None:
    """The measure has power: before the seal, batches written in the order of the votes show
    through the physical order (that is what the seal removes)."""
    _, truth = election
    voters = _voter_orders()["id"]
    ballots = _ballot_orders()["physical"]
    placed = [u for u in voters if tuple(truth[u]) in {tuple(b) for b in ballots}]
    exact, rho = _link(placed, ballots, truth)
    assert rho > 0.8
    # ... but never better than the batch: about one exact match in 25, like chance within it.
    assert exact <= len(placed) // BATCH + MAX_EXACT


def test_it_keeps_the_pending_pool_unreadable(territory, alice) -> None:
    campaign = make_campaign(phase="vote")
    p = make_proposal(campaign)
    envelope = campaign.envelopes.get()
    services.ballot_cast(user=alice, envelope_id=envelope.pk, choices=[p.pk], age_declared=True)
    pending = PendingBallot.objects.get()
    key = secrecy.campaign_key(campaign_id=campaign.pk, create=False)
    payload = secrecy.unseal(key=key, campaign_id=campaign.pk, sealed=pending.sealed)
    assert payload["c"] == [p.pk]
    # The pending row's tag is not the ballot's token: it cannot be followed into the box.
    assert pending.tag != payload["t"]
    services.ballots_flush(campaign_id=campaign.pk)
    assert not Ballot.objects.filter(token_hash=pending.tag).exists()
    # The key is a file outside the database, not derived from SECRET_KEY.
    assert len(key) == 32 and secrecy._key_path(campaign.pk).stat().st_mode & 0o077 == 0
