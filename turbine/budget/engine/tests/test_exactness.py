"""The engine selects exactly what pabutools 1.2.3 selects.

Live comparison with pabutools on the hand-made fixtures and on the small shared files;
precomputed pabutools outputs (``fixtures/expected.json``, made by ``make_expected.py``) for the
shared files where pabutools is slow.
"""

from __future__ import annotations

import json
import random
from fractions import Fraction
from pathlib import Path

import pytest

from turbine.budget.engine import RULES, Election, Project, parse_pabulib, tally
from turbine.budget.engine.compiled import compile_election, to_q
from turbine.budget.engine.mes import (
    Ambiguous,
    FloatTrace,
    mes_selection_float,
    run_mes,
    run_mes_fast,
)
from turbine.budget.engine.tests.conftest import FIXTURES, SHARED

pabutools = pytest.importorskip("pabutools")

from turbine.budget.engine.tests.make_expected import (  # noqa: E402
    EXPECTED_FIXTURES as EXPECTED_FIXTURES_FILE,
)
from turbine.budget.engine.tests.make_expected import file_digest  # noqa: E402
from turbine.budget.engine.tests.reference import (  # noqa: E402
    pabutools_text,
    reference_selection,
)

EXPECTED_FILE = FIXTURES / "expected.json"
EXPECTED: dict = json.loads(EXPECTED_FILE.read_text()) if EXPECTED_FILE.exists() else {}
EXPECTED_FIXTURES: dict = (
    json.loads(EXPECTED_FIXTURES_FILE.read_text()) if EXPECTED_FIXTURES_FILE.exists() else {}
)
LIVE_MAX_BYTES = 40_000  # pabutools answers in well under a second on files this small

_NAMES = sorted(p.name for p in SHARED.glob("*.pb")) if SHARED.exists() else sorted(EXPECTED)


def _tallyable(path: Path) -> bool:
    head = path.read_text(encoding="utf-8-sig")[:3000]
    return "vote_type;ordinal" not in head


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.pb")))
def test_it_matches_pabutools_on_the_fixtures(name: str, rule: str) -> None:
    path = FIXTURES / name
    ours = tally(parse_pabulib(path), rule)
    assert list(ours.selected) == _fixture_reference(path, rule)
    if name == "near_tie.pb":  # see test_it_does_not_flip_a_near_tie_that_floats_would_flip
        assert "B" in ours.selected and "A" not in ours.selected


def _fixture_reference(path: Path, rule: str) -> list[str]:
    """pabutools' selection: precomputed (``expected_fixtures.json``) if the file is unchanged.

    pabutools' ``mes-completed`` can take tens of seconds even on a small file (one exact MES
    run per budget increment).
    """
    entry = EXPECTED_FIXTURES.get(path.name)
    if entry is not None and entry["sha256"] == file_digest(path):
        return entry[rule]
    return reference_selection(pabutools_text(path), rule)


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("name", _NAMES)
def test_it_matches_pabutools_on_the_shared_files(name: str, rule: str) -> None:
    path = SHARED / name
    if not path.exists():
        pytest.skip("données Pabulib partagées absentes")
    if not _tallyable(path):
        pytest.skip("élection ordinale")
    entry = EXPECTED.get(name, {})
    expected = entry.get(rule)
    if expected is None:
        if entry.get(rule + ":skipped"):
            pytest.skip(entry[rule + ":skipped"])  # e.g. "pabutools did not finish within 600 s"
        if str(entry.get(rule + ":seconds", "")).startswith(">"):
            pytest.skip(f"pabutools did not finish within {entry[rule + ':seconds'][1:]} s")
        if path.stat().st_size > LIVE_MAX_BYTES:
            pytest.skip("pabutools pas encore précalculé (make_expected), trop lent ici")
        expected = reference_selection(pabutools_text(path), rule)
    assert list(tally(parse_pabulib(path), rule).selected) == expected


def test_it_does_not_flip_a_near_tie_that_floats_would_flip() -> None:
    path = FIXTURES / "near_tie.pb"
    election = parse_pabulib(path)
    a, b = election.project("A"), election.project("B")
    # A costs 1e-14 more than B, with the same points: B is strictly better, but in float64
    # the two costs, hence the two densities/affordabilities, are the same number and the
    # id tie-break would pick A.
    assert Fraction(a.cost) > Fraction(b.cost)
    assert float(a.cost) == float(b.cost)
    for rule in ("greedy", "mes"):  # mes-completed: in the fixture test (slow, done once)
        result = tally(election, rule)
        assert "B" in result.selected and "A" not in result.selected
        assert list(result.selected) == _fixture_reference(path, rule)


def test_it_breaks_exact_ties_on_the_id_string() -> None:
    election = parse_pabulib(FIXTURES / "tie_lexico.pb")
    # "10" and "9" have the same cost and approvals: "10" < "9" as strings.
    assert tally(election, "greedy").selected[0] == "10"


def test_it_gets_the_same_runs_from_the_fast_and_the_exact_mes() -> None:
    paths = sorted(FIXTURES.glob("*.pb"))
    big = SHARED / "poland_warszawa_2017_ursynow.pb"
    if big.exists():
        paths.append(big)
    for path in paths:
        compiled = compile_election(parse_pabulib(path))
        b0 = to_q(compiled.election.budget) / compiled.n_voters
        for extra in (0, 1, 7, 40, 150):
            try:
                fast = run_mes_fast(compiled, b0 + extra)
            except Ambiguous:
                continue
            exact = run_mes(compiled, b0 + extra)
            assert fast.selected == exact.selected
            assert [r.rho for r in fast.rounds] == [r.rho for r in exact.rounds]
            assert [(r.payers, r.exhausted) for r in fast.rounds] == [
                (r.payers, r.exhausted) for r in exact.rounds
            ]
            for j in range(len(compiled.ids)):
                if j not in exact.selected and compiled.supporters[j]:
                    assert fast.remaining_budget(compiled, j) == exact.remaining_budget(compiled, j)


def _random_election(rng: random.Random) -> Election:
    n_projects = rng.randint(2, 8)
    base = rng.choice([7, 10, 100, 1000])
    costs = [
        rng.randint(1, 5) * base
        + (Fraction(1, 10 ** rng.randint(12, 16)) if rng.random() < 0.3 else 0)
        for _ in range(n_projects)
    ]
    approval = rng.random() < 0.5
    ballots: list = []
    for _ in range(rng.randint(1, 30)):
        chosen = [str(i) for i in range(n_projects) if rng.random() < 0.5]
        if approval:
            ballots.append(tuple(chosen))
        else:
            ballots.append(tuple((p, rng.randint(1, 3)) for p in chosen))
    return Election(
        projects=[Project(id=str(i), name=str(i), cost=c) for i, c in enumerate(costs)],
        ballots=ballots,
        budget=sum(costs) * Fraction(rng.randint(2, 8), 10),
        ballot_type="approval" if approval else "cumulative",
    )


def test_it_gets_the_same_selection_from_the_float_and_the_exact_mes() -> None:
    # Random small elections, with costs differing by 1e-12..1e-16 and many exact ties: the
    # float engine either selects what the all-exact engine selects, or declines (Ambiguous).
    rng = random.Random(20261127)
    declined = compared = 0
    for _ in range(400):
        compiled = compile_election(_random_election(rng))
        if compiled.n_voters == 0:
            continue
        b0 = to_q(compiled.election.budget) / compiled.n_voters
        for extra in (0, 1, 3):
            exact = run_mes(compiled, b0 + extra).selected
            try:
                fast = mes_selection_float(compiled, b0 + extra)
            except Ambiguous:
                declined += 1
                continue
            compared += 1
            assert fast == exact
    assert compared > 10 * declined
    big = SHARED / "poland_warszawa_2017_ursynow.pb"
    if big.exists():
        compiled = compile_election(parse_pabulib(big))
        b0 = to_q(compiled.election.budget) / compiled.n_voters
        for extra in (0, 1, 7, 40, 150):
            exact = run_mes(compiled, b0 + extra).selected
            assert mes_selection_float(compiled, b0 + extra) == exact


def test_it_gets_the_same_selections_when_runs_borrow_the_bounds_of_richer_ones() -> None:
    # mes-completed's runs, richest first, each borrowing the bounds of the next richer one:
    # the selections are the all-exact engine's.
    rng = random.Random(20261202)
    compared = 0
    for _ in range(150):
        compiled = compile_election(_random_election(rng))
        if compiled.n_voters == 0:
            continue
        b0 = to_q(compiled.election.budget) / compiled.n_voters
        richer: FloatTrace | None = None
        for extra in (6, 5, 4, 3, 2, 1, 0):
            trace = FloatTrace()
            exact = run_mes(compiled, b0 + extra).selected
            try:
                fast = mes_selection_float(compiled, b0 + extra, borrow=richer, record=trace)
            except Ambiguous:
                richer = None
                continue
            richer = trace
            compared += 1
            assert fast == exact
    assert compared > 500
    big = SHARED / "poland_warszawa_2017_ursynow.pb"
    if big.exists():
        compiled = compile_election(parse_pabulib(big))
        b0 = to_q(compiled.election.budget) / compiled.n_voters
        richer = None
        for extra in (43, 42, 41, 40, 39):
            trace = FloatTrace()
            selected = mes_selection_float(compiled, b0 + extra, borrow=richer, record=trace)
            assert selected == run_mes(compiled, b0 + extra).selected
            assert richer is None or len(trace.winners) == len(selected)
            richer = trace


def test_it_gives_one_selection_for_a_span_of_budgets_only_when_every_run_has_it() -> None:
    # One float run with bounds as wide as a span of per-voter budgets: when it decides, every
    # run of the span (all-exact engine) selects the same projects.
    rng = random.Random(20261203)
    decided = 0
    for _ in range(150):
        compiled = compile_election(_random_election(rng))
        if compiled.n_voters == 0:
            continue
        b0 = to_q(compiled.election.budget) / compiled.n_voters
        for first, size in ((0, 2), (1, 4), (3, 8)):
            middle = b0 + Fraction(2 * first + size - 1, 2)
            try:
                selected = mes_selection_float(compiled, middle, spread=(size - 1) / 2)
            except Ambiguous:
                continue
            decided += 1
            for t in range(first, first + size):
                assert run_mes(compiled, b0 + t).selected == selected
    assert decided > 100


def test_it_tallies_mes_completed_as_the_run_by_run_loop() -> None:
    # mes-completed with spans and borrowed bounds = the plain loop of pabutools, run by run
    # with the all-exact engine, on random elections.
    from turbine.budget.engine.mes import mes_candidates
    from turbine.budget.engine.tally import _cost, _exhaustive

    rng = random.Random(20261204)
    for _ in range(120):
        election = _random_election(rng)
        compiled = compile_election(election)
        if compiled.n_voters == 0:
            continue
        b0 = to_q(election.budget) / compiled.n_voters
        candidates, _ = mes_candidates(compiled)
        t = 0
        while True:
            selected = run_mes(compiled, b0 + t).selected
            if _cost(compiled, selected) > election.budget:
                kept = run_mes(compiled, b0 + t - 1).selected
                break
            if _exhaustive(compiled, selected, candidates):
                kept = selected
                break
            t += 1
        ours = tally(election, "mes-completed")
        ids = [compiled.ids[j] for j in kept]
        assert list(ours.selected[: len(ids)]) == ids
