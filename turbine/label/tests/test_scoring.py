"""The scoring engine on hand-worked examples and by properties (hypothesis)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from turbine.label.scoring import (
    DEFAULT_LEVELS,
    DETAILED,
    DONE,
    NOT_CONCERNED,
    NOT_DONE,
    PLANNED,
    ROOT,
    LevelRule,
    ScoringError,
    Status,
    build_tree,
    compute,
    level_reached,
)

# Axe 1 (100) > 1.1 (60: 1.1.1 = 30, 1.1.2 = 20, 1.1.3 = 10), 1.2 (40: 1.2.1 = 40);
# axe 2 (100) > 2.1 (100: 2.1.1 = 50, 2.1.2 = 50).
ROWS = [
    ("1", None, 100),
    ("1.1", "1", 60),
    ("1.1.1", "1.1", 30),
    ("1.1.2", "1.1", 20),
    ("1.1.3", "1.1", 10),
    ("1.2", "1", 40),
    ("1.2.1", "1.2", 40),
    ("2", None, 100),
    ("2.1", "2", 100),
    ("2.1.1", "2.1", 50),
    ("2.1.2", "2.1", 50),
]


def test_it_scores_plain_statuses_and_leaves_the_rest_not_filled() -> None:
    scores = compute(
        build_tree(ROWS),
        {"1.1.1": Status(DONE), "1.1.2": Status(PLANNED), "2.1.1": Status(NOT_DONE)},
    )
    root = scores[ROOT]
    assert (root.potential, root.done, root.planned, root.not_done) == (200, 30, 20, 50)
    assert root.not_filled == 100  # 1.1.3 (10) + 1.2.1 (40) + 2.1.2 (50)
    assert root.as_dict()["part_fait"] == 0.15
    assert scores["1.1"].as_dict()["part_programme"] == 0.333


def test_it_shares_the_points_of_a_non_concerned_leaf_among_its_siblings() -> None:
    scores = compute(
        build_tree(ROWS),
        {"1.1.3": Status(NOT_CONCERNED), "1.1.1": Status(DONE), "1.1.2": Status(DONE)},
    )
    # 10 freed points, 5 each to 1.1.1 and 1.1.2: 35 and 25, sum 60, fait 60 of 60.
    assert scores["1.1.1"].potential == 35
    assert scores["1.1.2"].potential == 25
    assert scores["1.1.3"].potential == 0
    assert scores["1.1"].potential == 60
    assert scores["1.1"].done == 60
    assert scores[ROOT].potential == 200


def test_a_non_concerned_criterion_passes_it_to_its_children_and_its_axis_redistributes() -> None:
    scores = compute(build_tree(ROWS), {"1.2": Status(NOT_CONCERNED), "1.1.1": Status(DONE)})
    assert not scores["1.2.1"].concerned
    # 1.2's 40 points go to 1.1 (the only concerned sibling), scaled down its subtree: x 100/60.
    assert scores["1.1"].potential == 100
    assert scores["1.1.1"].potential == 50
    assert scores["1.1.3"].potential == Fraction(50, 3)
    assert scores["1"].done == 50


def test_a_parent_whose_children_are_all_non_concerned_is_non_concerned() -> None:
    scores = compute(
        build_tree(ROWS),
        {"2.1.1": Status(NOT_CONCERNED), "2.1.2": Status(NOT_CONCERNED), "1.1.1": Status(DONE)},
    )
    assert not scores["2.1"].concerned
    assert not scores["2"].concerned
    # The root shares axe 2's 100 points with axe 1: its potential stays 200.
    assert scores[ROOT].potential == 200
    assert scores["1.1.1"].potential == 60
    assert scores[ROOT].as_dict()["part_fait"] == 0.3


def test_a_detailed_leaf_splits_its_potential() -> None:
    scores = compute(build_tree(ROWS), {"2.1.1": Status.detailed("0.5", "0.3", "0.2")})
    leaf = scores["2.1.1"]
    assert (leaf.done, leaf.planned, leaf.not_done, leaf.not_filled) == (25, 15, 10, 0)
    assert scores["2"].not_filled == 50


def test_detailed_shares_must_sum_to_one() -> None:
    with pytest.raises(ScoringError, match="100 %"):
        Status.detailed("0.5", "0.5", "0.1")


def test_levels_follow_the_fait_thresholds_and_requirements() -> None:
    everything = {key: Status(DONE) for key, _, _ in ROWS if key.count(".") == 2}
    half = dict(everything, **{"2.1.1": Status(NOT_DONE), "2.1.2": Status(NOT_DONE)})
    assert level_reached(compute(build_tree(ROWS), everything), DEFAULT_LEVELS) == 5
    # 100 of 200 fait: 50 % reaches 3 stars (threshold 50 %), not 4 (65 %).
    assert level_reached(compute(build_tree(ROWS), half), DEFAULT_LEVELS) == 3
    # 35 % reaches 2 stars exactly at the threshold.
    thirty_five = {"1.1.1": Status(DONE), "1.2.1": Status(DONE), "2.1.1": Status(NOT_DONE)}
    assert level_reached(compute(build_tree(ROWS), thirty_five), DEFAULT_LEVELS) == 2
    # 3 stars ask for 50 % on axe 2: the half above has 0 % there, so it stays at 2.
    strict = [
        *DEFAULT_LEVELS[:2],
        LevelRule(3, Fraction(1, 2), [("2", Fraction(1, 2))]),
        *DEFAULT_LEVELS[3:],
    ]
    assert level_reached(compute(build_tree(ROWS), half), strict) == 2


def test_a_tree_with_an_unknown_parent_is_refused() -> None:
    with pytest.raises(ScoringError, match="n'existe pas"):
        build_tree([("1", None, 10), ("1.1", "9", 10)])


@st.composite
def trees_and_statuses(draw: st.DrawFn) -> tuple[list[tuple[str, str | None, int]], dict]:
    rows: list[tuple[str, str | None, int]] = []
    statuses: dict[str, Status] = {}
    status_choice = st.sampled_from([None, DONE, PLANNED, NOT_DONE, NOT_CONCERNED, DETAILED])

    def add(key: str, parent: str | None, depth: int) -> int:
        n_children = draw(st.integers(0, 3)) if depth < 3 else 0
        if n_children == 0:
            points = draw(st.integers(1, 50))
            rows.append((key, parent, points))
            status = draw(status_choice)
            if status == DETAILED:
                a = draw(st.integers(0, 10))
                b = draw(st.integers(0, 10 - a))
                statuses[key] = Status.detailed(
                    Fraction(a, 10), Fraction(b, 10), Fraction(10 - a - b, 10)
                )
            elif status is not None:
                statuses[key] = Status(status)
            return points
        index = len(rows)
        rows.append((key, parent, 0))
        total = sum(add(f"{key}.{i + 1}", key, depth + 1) for i in range(n_children))
        rows[index] = (key, parent, total)
        if draw(st.integers(0, 9)) == 0:
            statuses[key] = Status(NOT_CONCERNED)
        return total

    for i in range(draw(st.integers(1, 3))):
        add(str(i + 1), None, 1)
    return rows, statuses


@settings(max_examples=300, deadline=None)
@given(trees_and_statuses())
def test_the_four_parts_never_exceed_the_potential(case: tuple) -> None:
    rows, statuses = case
    for score in compute(build_tree(rows), statuses).values():
        assert score.done + score.planned + score.not_done + score.not_filled <= score.potential
        assert min(score.done, score.planned, score.not_done, score.not_filled) >= 0
        rounded = score.as_dict()
        assert rounded["part_fait"] + rounded["part_programme"] + rounded["part_pas_fait"] <= 1.002


@settings(max_examples=300, deadline=None)
@given(trees_and_statuses())
def test_redistribution_keeps_a_parent_potential_equal_to_its_points(case: tuple) -> None:
    rows, statuses = case
    root = build_tree(rows)
    scores = compute(root, statuses)
    children_of: dict[str, list[str]] = {}
    parent_of: dict[str, str] = {}
    for key, parent, _ in rows:
        children_of.setdefault(parent or ROOT, []).append(key)
        parent_of[key] = parent or ROOT

    def untouched_from_above(key: str) -> bool:
        # No ancestor shared freed points with this node's branch.
        while key != ROOT:
            key = parent_of[key]
            if not all(scores[k].concerned for k in children_of[key]):
                return False
        return True

    for key, score in scores.items():
        kids = children_of.get(key, [])
        if score.concerned and kids and any(scores[k].concerned for k in kids):
            concerned_sum = sum(scores[k].potential for k in kids if scores[k].concerned)
            assert score.potential == concerned_sum, key
            if untouched_from_above(key):
                assert score.potential == score.points, key
