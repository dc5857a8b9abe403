"""The pure engines on hand-worked examples."""

from __future__ import annotations

import numpy as np
import pytest

from turbine.steering.engine import blt, ranking, schulze, stv, trajectory


def test_it_draws_a_straight_path_and_measures_the_gap_in_unit_and_years() -> None:
    points = trajectory.path_points(baseline=(2015, 1000), target=(2038, 540), milestones=[])
    assert trajectory.expected_value(points, 2025) == pytest.approx(800)
    assert trajectory.expected_value(points, 2014) is None
    assert trajectory.expected_value(points, 2040) == 540
    s = trajectory.standing(points, year=2025, measured=860, higher_is_better=False)
    assert s is not None and not s.on_track
    assert s.gap == pytest.approx(60)
    assert s.years_late == pytest.approx(3.0)


def test_it_goes_through_milestones() -> None:
    # 2020 = 0 MWh, milestone 2030 = 100, target 2038 = 500: slow, then fast.
    points = trajectory.path_points(
        baseline=(2020, 0), target=(2038, 500), milestones=[(2030, 100), (2045, 9)]
    )
    assert points == [(2020, 0.0), (2030, 100.0), (2038, 500.0)]
    assert trajectory.expected_value(points, 2025) == pytest.approx(50)
    assert trajectory.expected_value(points, 2034) == pytest.approx(300)
    ahead = trajectory.standing(points, year=2025, measured=100, higher_is_better=True)
    assert ahead.on_track and ahead.gap == pytest.approx(50)
    assert ahead.years_late == pytest.approx(-5.0)  # five years ahead


def test_it_counts_years_late_from_the_baseline_when_below_it() -> None:
    points = trajectory.path_points(baseline=(2020, 10), target=(2030, 20), milestones=[])
    s = trajectory.standing(points, year=2024, measured=8, higher_is_better=True)
    # The path's slope is 1 a year: 8 is where it would have stood in 2018.
    assert s.years_late == pytest.approx(6.0)


def test_it_ranks_by_weighted_sum_with_ties_in_row_order() -> None:
    scores = np.array([[5, 0], [0, 5], [3, 3], [5, 0]])
    totals = ranking.weighted_sum(scores, np.array([3.0, 1.0]))
    assert totals.tolist() == pytest.approx([3.75, 1.25, 3.0, 3.75])
    assert ranking.top(totals, 4) == [0, 3, 2, 1]


def test_it_refuses_bad_weights() -> None:
    with pytest.raises(ranking.RankingError):
        ranking.normalise([0, 0])
    with pytest.raises(ranking.RankingError):
        ranking.normalise([float("nan"), 1])
    with pytest.raises(ranking.RankingError):
        ranking.normalise([-1, 2])


def test_one_at_a_time_shows_how_the_top_moves() -> None:
    scores = np.array([[5, 0], [0, 5], [3, 3]])
    base, changes = ranking.one_at_a_time(scores, np.array([0.6, 0.4]), k=1)
    assert base == [0]  # 3.0 against 2.0 and 3.0: row order keeps 0 before 2
    halved = next(c for c in changes if c.criterion == 0 and c.factor == 0.5)
    # weights 0.3 / 0.4 -> 0.4286 / 0.5714: project 1 scores 2.86, project 2 scores 3.
    assert halved.top == [2] and halved.entered == [2] and halved.left == [0]


def test_monte_carlo_is_seeded_and_gives_probabilities() -> None:
    rng = np.random.default_rng(1)
    scores = rng.integers(0, 6, size=(50, 8)).astype(float)
    weights = np.full(8, 1 / 8)
    first = ranking.monte_carlo_top_k(scores, weights, k=5, draws=300, seed=7)
    again = ranking.monte_carlo_top_k(scores, weights, k=5, draws=300, seed=7)
    assert np.array_equal(first, again)
    assert first.sum() == pytest.approx(5.0)  # each draw has five projects in its top 5
    dominant = np.vstack([scores, np.full((1, 8), 5.0)])
    assert ranking.monte_carlo_top_k(dominant, weights, k=1, draws=100)[-1] == 1.0


def test_ahp_gives_weights_and_a_consistency_ratio() -> None:
    # Saaty's classic three-criteria example, nearly consistent.
    matrix = [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]
    result = ranking.ahp_weights(matrix)
    assert result.weights.tolist() == pytest.approx([0.637, 0.258, 0.105], abs=0.001)
    assert result.lambda_max == pytest.approx(3.0385, abs=0.001)
    assert result.consistency_ratio == pytest.approx(0.033, abs=0.002)
    assert result.is_consistent
    incoherent = ranking.ahp_weights([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])
    assert not incoherent.is_consistent
    with pytest.raises(ranking.RankingError):
        ranking.ahp_weights([[1, 2], [2, 1]])  # not reciprocal


FOOD = stv.Election(
    candidates=["Oranges", "Poires", "Chocolat", "Fraises", "Bonbons"],
    seats=3,
    ballots=[(4, (0,)), (2, (1, 0)), (8, (2, 3)), (4, (2, 4)), (1, (3,)), (1, (4,))],
)


def test_stv_counts_the_classic_food_election() -> None:
    # The worked example of the English Wikipedia article « Single transferable vote ».
    result = stv.count(FOOD)
    assert result.quota == 6
    assert result.elected == [2, 0, 3]
    surplus = result.stages[1]
    assert surplus.action == "excedent" and surplus.candidate == 2
    assert surplus.transfer_value == 0.5
    assert surplus.totals == [4.0, 2.0, 6.0, 5.0, 3.0]
    assert result.stages[2].action == "elimination" and result.stages[2].candidate == 1


def test_stv_truncates_transfer_values_to_five_decimals() -> None:
    # 7 ballots A>B, quota of 2 seats = 7 // 3 + 1 = 3: surplus 4 over 7 ballots, each passes
    # 4/7 = 0.571428... truncated to 0.57142; the 0.00006 lost is shown.
    result = stv.count(stv.Election(candidates=["A", "B", "C"], seats=2, ballots=[(7, (0, 1))]))
    assert result.stages[1].transfer_value == 0.57142
    assert result.stages[1].totals[1] == pytest.approx(3.99994)
    assert result.stages[1].lost_to_fractions == pytest.approx(0.00006)
    assert result.elected == [0, 1]


def test_stv_guarantees_a_quarter_bloc_one_of_three_seats() -> None:
    # 26 of 100 voters back C; the 74 others split their preferences over A, B and D.
    ballots = [(26, (2,)), (25, (0, 1, 3)), (25, (1, 3, 0)), (24, (3, 0, 1))]
    result = stv.count(stv.Election(candidates=list("ABCD"), seats=3, ballots=ballots))
    assert 2 in result.elected


def test_stv_breaks_a_tie_by_the_earliest_stage_then_by_a_seeded_lot() -> None:
    tie = stv.Election(candidates=list("ABC"), seats=1, ballots=[(2, (0,)), (2, (1,)), (1, (2, 0))])
    result = stv.count(tie)
    # C is excluded first; A then leads 3 to 2.
    assert result.elected == [0]
    perfect = stv.Election(candidates=list("AB"), seats=1, ballots=[(1, (0,)), (1, (1,))])
    first = stv.count(perfect, seed=1)
    assert first.tie_breaks and "tirage au sort" in first.tie_breaks[0]
    assert stv.count(perfect, seed=1).elected == first.elected


def test_schulze_ranks_the_wikipedia_example() -> None:
    # The 45 voters of the example in the English Wikipedia article « Schulze method ».
    a, b, c, d, e = range(5)
    ballots = [
        (5, (a, c, b, e, d)),
        (5, (a, d, e, c, b)),
        (8, (b, e, d, a, c)),
        (3, (c, a, b, e, d)),
        (7, (c, a, e, b, d)),
        (2, (c, b, a, d, e)),
        (7, (d, c, e, b, a)),
        (8, (e, b, a, d, c)),
    ]
    result = schulze.count(stv.Election(candidates=list("ABCDE"), seats=1, ballots=ballots))
    assert result.ranking == [e, a, c, b, d]
    assert result.pairwise[a][b] == 20 and result.pairwise[b][a] == 25
    assert result.strongest[e][d] == 31


def test_schulze_ties_keep_the_lower_number_first() -> None:
    result = schulze.count(
        stv.Election(candidates=list("AB"), seats=1, ballots=[(1, (1, 0)), (1, (0, 1))])
    )
    assert result.ranking == [0, 1]


def test_blt_round_trips_and_names_the_faulty_line() -> None:
    text = blt.write_blt(FOOD)
    assert blt.parse_blt(text).ballots == FOOD.ballots
    with pytest.raises(blt.BltError, match="Ligne 3"):
        blt.parse_blt('3 1\n1 1 2 0\n1 1 9 0\n0\n"A"\n"B"\n"C"\n"T"\n')
    with pytest.raises(blt.BltError, match="Ligne 1"):
        blt.parse_blt("trois un\n")
    with pytest.raises(blt.BltError, match="deux fois"):
        blt.parse_blt('2 1\n1 1 1 0\n0\n"A"\n"B"\n')
    with pytest.raises(blt.BltError, match="caractère nul"):
        blt.parse_blt("2 1\x00")


def test_blt_reads_withdrawn_candidates() -> None:
    election = blt.parse_blt('3 1\n-2\n2 2 1 0\n1 3 0\n0\n"A"\n"B"\n"C"\n"Titre"\n')
    assert election.withdrawn == frozenset({1}) and election.title == "Titre"
    assert stv.count(election).elected == [0]
