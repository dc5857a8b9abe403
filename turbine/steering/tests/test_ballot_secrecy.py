"""The mandate vote's secret ballot against a database reader, while the vote is still open (the
budget's test_ballot_secrecy.py does the same after its vote): joining the ballots to the
register by any column, system column (``xmin``/``ctid`` on PostgreSQL, ``rowid`` on SQLite) or
order links them no better than chance, from the moment each ballot is cast.

100 officials each cast a different full ranking of five candidates, one after the other. The
reader's best guess for each ordering: the k-th voter cast the k-th ballot. With no link, the
number of exact matches follows a Poisson law of mean 1 and the rank correlation is about
0 ± 0.1.
"""

from __future__ import annotations

import json
import random
from itertools import permutations
from statistics import correlation

import pytest
from django.db import connection

from turbine.steering import services
from turbine.steering.models import MandateBallot, MandateVoter
from turbine.steering.tests.factories import elected, make_mandate

pytestmark = pytest.mark.django_db

VOTERS = 100
# Chance bounds for 100 voters: P(Poisson(1) >= 7) < 1e-4, |rho| > 0.4 is 4 sigma.
MAX_EXACT = 6
MAX_RHO = 0.4


@pytest.fixture
def open_vote(territory, monkeypatch):
    """An open vote of 100 officials with distinguishable ballots; returns (mandate, truth)
    where truth maps each user id to their ranking."""
    monkeypatch.setattr(services, "_RANDOM", random.Random(20261203))
    mandate = make_mandate(candidates=5)
    ids = list(mandate.candidates.values_list("pk", flat=True))
    rankings = [list(p) for p in permutations(ids)][:VOTERS]
    truth: dict[int, list[int]] = {}
    for n, ranking in enumerate(rankings):
        user = elected(n)
        services.mandate_ballot_cast(user=user, mandate_id=mandate.pk, ranking_ids=ranking)
        truth[user.pk] = ranking
    return mandate, truth


def _rows(sql: str) -> list[object]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


def _voter_orders() -> dict[str, list[int]]:
    orders = {
        "id": list(MandateVoter.objects.order_by("id").values_list("user_id", flat=True)),
        "user": list(MandateVoter.objects.order_by("user_id").values_list("user_id", flat=True)),
    }
    if connection.vendor == "postgresql":
        orders["xmin"] = _rows(
            "SELECT user_id FROM steering_mandatevoter ORDER BY xmin::text::bigint, ctid"
        )
        orders["physical"] = _rows("SELECT user_id FROM steering_mandatevoter ORDER BY ctid")
    else:
        orders["physical"] = _rows("SELECT user_id FROM steering_mandatevoter ORDER BY rowid")
    return orders  # type: ignore[return-value]


def _ballot_orders() -> dict[str, list[list[int]]]:
    orders: dict[str, list[list[int]]] = {
        "id": list(MandateBallot.objects.order_by("id").values_list("ranking", flat=True)),
        "unordered": list(MandateBallot.objects.values_list("ranking", flat=True)),
    }
    queries = (
        {
            "xmin": "SELECT ranking FROM steering_mandateballot ORDER BY xmin::text::bigint, ctid",
            "physical": "SELECT ranking FROM steering_mandateballot ORDER BY ctid",
        }
        if connection.vendor == "postgresql"
        else {"physical": "SELECT ranking FROM steering_mandateballot ORDER BY rowid"}
    )
    for name, sql in queries.items():
        orders[name] = [json.loads(r) if isinstance(r, str) else r for r in _rows(sql)]
    return orders


def _link(voters: list[int], ballots: list[list[int]], truth: dict[int, list[int]]):
    """(exact matches, rank correlation) of the guess "k-th voter, k-th ballot"."""
    position = {tuple(ranking): k for k, ranking in enumerate(ballots)}
    exact = sum(truth[user] == ballots[k] for k, user in enumerate(voters))
    placed = [position[tuple(truth[u])] for u in voters]
    return exact, correlation(list(range(len(voters))), placed)


def test_it_leaves_no_link_between_ballots_and_voters_while_the_vote_is_open(open_vote) -> None:
    mandate, truth = open_vote
    mandate.refresh_from_db()
    assert mandate.vote_open and mandate.results_published_at is None
    assert MandateBallot.objects.count() == VOTERS
    assert sorted(map(tuple, MandateBallot.objects.values_list("ranking", flat=True))) == sorted(
        tuple(r) for r in truth.values()
    )
    # No column to join on: no date, no voter, random ids.
    assert {f.name for f in MandateBallot._meta.get_fields()} == {"id", "mandate", "ranking"}
    assert {f.name for f in MandateVoter._meta.get_fields()} == {"id", "mandate", "user"}
    for voter_order, voters in _voter_orders().items():
        for ballot_order, ballots in _ballot_orders().items():
            exact, rho = _link(voters, ballots, truth)
            assert exact <= MAX_EXACT, (voter_order, ballot_order, exact)
            assert abs(rho) <= MAX_RHO, (voter_order, ballot_order, rho)


def test_the_last_ballot_cast_hides_among_the_others(open_vote) -> None:
    """The ballot written in the same transaction as the last register row is not that
    transaction's only row: every ballot was rewritten by it."""
    mandate, truth = open_vote
    if connection.vendor == "postgresql":
        ballot_xmins = set(_rows("SELECT xmin::text FROM steering_mandateballot"))
        voter_xmins = _rows("SELECT xmin::text FROM steering_mandatevoter ORDER BY id")
        assert len(ballot_xmins) == 1  # all written by one transaction, the last vote's
        assert ballot_xmins == {voter_xmins[-1]}
        assert not ballot_xmins & set(voter_xmins[:-1])
    # A new vote changes every id: an id seen before it says nothing about who voted after.
    before = set(MandateBallot.objects.values_list("id", flat=True))
    services.mandate_ballot_cast(
        user=elected(500), mandate_id=mandate.pk, ranking_ids=next(iter(truth.values()))
    )
    after = set(MandateBallot.objects.values_list("id", flat=True))
    assert len(after) == VOTERS + 1 and not before & after


def test_it_would_see_a_link_in_the_order_of_writing(territory) -> None:
    """The measure has power: ballots simply appended as they are cast (what the rewrite
    prevents) show through their physical order."""
    mandate = make_mandate(candidates=5)
    ids = list(mandate.candidates.values_list("pk", flat=True))
    truth: dict[int, list[int]] = {}
    for n, ranking in enumerate([list(p) for p in permutations(ids)][:VOTERS]):
        user = elected(n)
        MandateVoter.objects.create(mandate=mandate, user=user)
        MandateBallot.objects.create(mandate=mandate, ranking=ranking)
        truth[user.pk] = ranking
    exact, rho = _link(_voter_orders()["id"], _ballot_orders()["physical"], truth)
    assert exact == VOTERS and rho > 0.99


def test_a_refused_ballot_leaves_the_box_as_it_was(open_vote) -> None:
    mandate, truth = open_vote
    before = set(MandateBallot.objects.values_list("id", flat=True))
    with pytest.raises(services.SteeringError, match="déjà voté"):
        services.mandate_ballot_cast(
            user=MandateVoter.objects.first().user, mandate_id=mandate.pk, ranking_ids=[]
        )
    with pytest.raises(services.SteeringError):
        services.mandate_ballot_cast(user=elected(600), mandate_id=mandate.pk, ranking_ids=[0])
    assert set(MandateBallot.objects.values_list("id", flat=True)) == before
    assert MandateVoter.objects.count() == VOTERS
