"""The engines against reference libraries, whose outputs are precomputed fixtures
(``fixtures/make_fixtures.py``: pymcdm 1.4.0 and pref_voting 1.18.2 in a separate environment)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from turbine.steering.engine import ranking, schulze, stv

REFERENCE = json.loads((Path(__file__).parent / "fixtures" / "reference.json").read_text())


@pytest.mark.parametrize("case", REFERENCE["portfolio"])
def test_the_weighted_sum_matches_pymcdm(case: dict) -> None:
    totals = ranking.weighted_sum(np.array(case["scores"]), np.array(case["weights"]))
    assert totals.tolist() == pytest.approx(case["preferences"])
    expected = sorted(range(len(totals)), key=lambda i: (-round(case["preferences"][i], 12), i))
    assert [int(i) for i in ranking.rank_order(totals)] == expected


@pytest.mark.parametrize("case", REFERENCE["elections"])
def test_stv_and_schulze_match_pref_voting(case: dict) -> None:
    election = stv.Election(
        candidates=[str(c) for c in range(case["candidates"])],
        seats=3,
        ballots=[(1, tuple(b)) for b in case["ballots"]],
    )
    counted = stv.count(election)
    if any("tirage au sort" in t for t in counted.tie_breaks):
        pytest.skip("égalité tranchée par le sort : les deux tirages diffèrent")
    assert sorted(counted.elected) == case["stv_elected"]
    ranked = schulze.count(election)
    assert ranked.ranking[0] == min(case["schulze_winners"])
    winners = [c for c in ranked.ranking if ranked.wins[c] == ranked.wins[ranked.ranking[0]]]
    assert winners == case["schulze_winners"]
