"""The sortition engine against exhaustive enumeration, and its guarantees."""

from __future__ import annotations

import itertools
import random

import highspy
import numpy as np
import pytest

from turbine.cooperation.sortition import (
    CsvError,
    InfeasibleQuotasError,
    build_pool,
    gini,
    legacy,
    leximin,
    lottery,
    maximin,
    parse_categories,
    parse_respondents,
    select,
)

CATEGORIES = """category,feature,min,max
genre,femme,2,3
genre,homme,1,2
âge,16-29,1,2
âge,30-59,1,2
âge,60+,1,2
commune,ville,1,3
commune,village,1,3
"""


def _instance(seed: int) -> list[tuple[str, ...]]:
    """12 volunteers with skewed shares: few young, few villagers."""
    rng = random.Random(seed)
    return [
        (
            rng.choices(["femme", "homme"], [0.4, 0.6])[0],
            rng.choices(["16-29", "30-59", "60+"], [0.15, 0.5, 0.35])[0],
            rng.choices(["ville", "village"], [0.75, 0.25])[0],
        )
        for _ in range(12)
    ]


def _feasible_panels(quotas, people, size):
    rows = quotas.all()
    panels = []
    for panel in itertools.combinations(range(len(people)), size):
        counts = {(q.category, q.feature): 0 for q in rows}
        for person in panel:
            for category, value in zip(quotas.categories, people[person], strict=True):
                counts[category, value] += 1
        if all(q.min <= counts[q.category, q.feature] <= q.max for q in rows):
            panels.append(panel)
    return panels


def _lp_max(matrix, objective, lows):
    """max objective·p s.t. Σp = 1, matrix·p ≥ lows, p ≥ 0 (a plain LP over every panel)."""
    people, count = matrix.shape
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    for _ in range(count):
        highs.addVar(0.0, 1.0)
    highs.changeColsCost(count, np.arange(count, dtype=np.int32), -np.asarray(objective))
    highs.addRow(1.0, 1.0, count, np.arange(count, dtype=np.int32), np.ones(count))
    for i in range(people):
        if lows[i] > -np.inf:
            highs.addRow(
                lows[i], highspy.kHighsInf, count, np.arange(count, dtype=np.int32), matrix[i]
            )
    highs.run()
    assert highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return np.array(highs.getSolution().col_value)


def _exact_leximin(people_count, panels):
    """LEXIMIN by brute force: stage after stage, the largest minimum over the free people
    (an LP over every panel, with z as a column), then each free person who cannot get more
    without lowering it is fixed."""
    matrix = np.zeros((people_count, len(panels)))
    for j, panel in enumerate(panels):
        matrix[list(panel), j] = 1.0
    fixed = np.full(people_count, np.nan)
    while np.isnan(fixed).any():
        free = np.isnan(fixed)
        # Variables p and z: z ≤ π_i for free i.
        extended = np.hstack([matrix, np.zeros((people_count, 1))])
        extended[free, -1] = -1.0
        lows = np.where(free, 0.0, fixed - 1e-9)
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        count = len(panels)
        for _ in range(count):
            highs.addVar(0.0, 1.0)
        highs.addVar(0.0, 1.0)
        highs.changeColCost(count, -1.0)
        indices = np.arange(count + 1, dtype=np.int32)
        highs.addRow(1.0, 1.0, count, indices[:-1], np.ones(count))
        for i in range(people_count):
            highs.addRow(lows[i], highspy.kHighsInf, count + 1, indices, extended[i])
        highs.run()
        best = highs.getSolution().col_value[count]
        floors = np.where(free, best - 1e-9, fixed - 1e-9)
        for i in np.nonzero(free)[0]:
            p = _lp_max(matrix, matrix[i], floors)
            if matrix[i] @ p <= best + 1e-7:
                fixed[i] = best
    return fixed


@pytest.mark.parametrize("seed", [0, 1, 3, 4, 5, 6, 7, 8])
def test_it_matches_exhaustive_leximin_on_small_pools(seed: int) -> None:
    quotas = parse_categories(CATEGORIES)
    people = _instance(seed)
    panels = _feasible_panels(quotas, people, 4)
    assert panels
    expected = _exact_leximin(len(people), panels)
    distribution = leximin(build_pool(quotas, people), 4)
    assert np.abs(distribution.probabilities - expected).max() < 1e-6
    assert distribution.probabilities.sum() == pytest.approx(4)


def test_it_finds_unequal_probabilities_that_enumeration_confirms() -> None:
    quotas = parse_categories(CATEGORIES)
    # One young villager woman: she must be on nearly every panel.
    people = [("femme", "16-29", "village")] + [
        (g, a, "ville") for g in ("femme", "homme") for a in ("30-59", "60+", "30-59")
    ][:11]
    people += [("homme", "60+", "ville")] * (12 - len(people))
    panels = _feasible_panels(quotas, people, 4)
    expected = _exact_leximin(len(people), panels)
    distribution = leximin(build_pool(quotas, people), 4)
    assert expected.max() - expected.min() > 0.5
    assert np.abs(distribution.probabilities - expected).max() < 1e-6


@pytest.mark.parametrize("method", [leximin, maximin, legacy])
def test_it_meets_the_quotas_in_every_panel(method) -> None:
    quotas = parse_categories(CATEGORIES)
    people = _instance(3) * 3
    pool = build_pool(quotas, people)
    distribution = method(pool, 5)
    for counts in distribution.panels:
        assert counts.sum() == 5
        totals = pool.incidence @ counts
        for total, quota in zip(totals, quotas.all(), strict=True):
            assert quota.min <= total <= quota.max
    selection = select(quotas, people, size=5, algorithm=method.__name__, seed="7")
    drawn = [people[i] for i in selection.panel]
    for quota in quotas.all():
        index = list(quotas.categories).index(quota.category)
        assert quota.min <= sum(p[index] == quota.feature for p in drawn) <= quota.max


def test_it_gives_maximin_the_same_minimum_as_leximin() -> None:
    quotas = parse_categories(CATEGORIES)
    pool = build_pool(quotas, _instance(3))
    assert maximin(pool, 4).probabilities.min() == pytest.approx(
        leximin(pool, 4).probabilities.min(), abs=1e-6
    )


def test_it_says_which_quotas_conflict_and_how_far_to_relax_them() -> None:
    quotas = parse_categories(CATEGORIES)
    people = [("homme", "30-59", "ville")] * 10 + [("femme", "60+", "village")]
    with pytest.raises(InfeasibleQuotasError) as raised:
        leximin(build_pool(quotas, people), 4)
    message = raised.value.message
    assert "seulement 0 volontaire(s) ont « âge » = « 16-29 », pour un minimum de 1" in message
    assert "« genre » = « femme » : abaisser le minimum de 2 à 1" in message
    relaxed = {(r.category, r.feature, r.bound): r.suggested for r in raised.value.relaxations}
    assert relaxed[("âge", "16-29", "min")] == 0
    assert relaxed[("genre", "femme", "min")] == 1


def test_it_refuses_a_panel_larger_than_the_pool() -> None:
    quotas = parse_categories(CATEGORIES)
    with pytest.raises(InfeasibleQuotasError, match="moins que la taille du panel"):
        leximin(build_pool(quotas, _instance(0)[:3]), 4)


def test_it_reproduces_the_panel_from_the_seed() -> None:
    quotas = parse_categories(CATEGORIES)
    people = _instance(4) * 4
    first = select(quotas, people, size=5, seed="31 41 59")
    again = select(quotas, people, size=5, seed="31 41 59")
    assert first.panel == again.panel
    assert list(first.lottery.tickets) == list(again.lottery.tickets)
    others = {tuple(select(quotas, people, size=5, seed=str(s)).panel) for s in range(8)}
    assert len(others) > 1


def test_it_rounds_to_a_lottery_of_1000_panels_close_to_the_distribution() -> None:
    quotas = parse_categories(CATEGORIES)
    distribution = leximin(build_pool(quotas, _instance(5) * 2), 4)
    drawn = lottery(distribution)
    assert len(drawn.tickets) == 1000
    assert drawn.deviation < 0.01


def test_it_computes_the_gini_coefficient() -> None:
    assert gini(np.array([0.5, 0.5, 0.5])) == 0.0
    assert gini(np.array([0.0, 0.0, 0.0, 1.0])) == pytest.approx(0.75)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("categorie,valeur\n", 1, "il manque"),
        ("category,feature,min,max\ngenre,femme,2,trois\n", 2, "nombre entier"),
        ("category,feature,min,max\ngenre,femme,1,1\n\ngenre,homme,3,2\n", 4, "dépasse"),
        ("category,feature,min,max\ngenre,femme,1,1\ngenre,femme,1,1\n", 3, "déjà définie"),
        ("category,feature,min,max\ngenre,femme,-1,1\n", 2, "négative"),
    ],
)
def test_it_names_the_line_of_a_bad_categories_file(text: str, line: int, words: str) -> None:
    with pytest.raises(CsvError) as raised:
        parse_categories(text)
    assert raised.value.line == line
    assert raised.value.message.startswith(f"ligne {line} : ")
    assert words in raised.value.message


def test_it_names_the_line_of_a_bad_respondents_file() -> None:
    quotas = parse_categories(CATEGORIES)
    with pytest.raises(CsvError, match=r"^ligne 3 : « 17-25 » n'est pas une valeur"):
        parse_respondents("id,genre,âge,commune\n1,femme,60+,ville\n2,homme,17-25,ville\n", quotas)
    with pytest.raises(CsvError, match=r"^ligne 1 : l'en-tête n'a pas de colonne « commune »"):
        parse_respondents("id,genre,âge\n1,femme,60+\n", quotas)
