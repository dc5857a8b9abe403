"""The fast engines select what the textbook method of equal shares selects (exact fractions).

Property tests on small random elections: approval and points ballots, empty ballots, costs
that differ by 1e-12..1e-15 (where float64 cannot tell them apart), many exact ties (broken on
the id string), free projects.  The oracle is :mod:`turbine.budget.engine.textbook`.
"""

from __future__ import annotations

import json
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from turbine.budget.engine import Election, Project, parse_pabulib, tally
from turbine.budget.engine.compiled import compile_election, to_q
from turbine.budget.engine.mes import Ambiguous, mes_selection_float, run_mes, run_mes_fast
from turbine.budget.engine.tests.conftest import FIXTURES
from turbine.budget.engine.textbook import mes, textbook_tally


@st.composite
def elections(draw: st.DrawFn) -> Election:
    n_projects = draw(st.integers(1, 6))
    unit = draw(st.sampled_from([1, 7, 10, 100]))
    costs = []
    for _ in range(n_projects):
        cost: Fraction | int = draw(st.integers(0, 6)) * unit
        if draw(st.integers(0, 3)) == 0:  # a hair above: equal in float64, not exactly
            cost += Fraction(1, 10 ** draw(st.integers(12, 15)))
        costs.append(cost)
    approval = draw(st.booleans())
    ids = [str(i) for i in (range(8, 8 + n_projects))]  # "10" < "8" as strings
    choice = st.lists(st.sampled_from(ids), unique=True, max_size=n_projects)
    if approval:
        ballots = draw(st.lists(choice, max_size=12))
    else:
        ballots = draw(
            st.lists(
                st.dictionaries(st.sampled_from(ids), st.integers(1, 4), max_size=n_projects),
                max_size=12,
            )
        )
    share = draw(st.sampled_from([Fraction(1, 3), Fraction(1, 2), Fraction(4, 5), Fraction(1)]))
    return Election(
        projects=[Project(pid, c, pid) for pid, c in zip(ids, costs, strict=True)],
        ballots=ballots,
        budget=sum(costs) * share,
        ballot_type="approval" if approval else "cumulative",
    )


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(elections())
def test_it_selects_what_the_textbook_method_selects(election: Election) -> None:
    for rule in ("greedy", "mes", "mes-completed"):
        assert list(tally(election, rule).selected) == textbook_tally(election, rule), rule


@PROPERTY
@given(elections(), st.integers(0, 5))
def test_it_runs_each_engine_as_the_textbook_run(election: Election, extra: int) -> None:
    # Every engine, with more money per voter (the runs of mes-completed): the exact one always
    # agrees; the float ones agree or decline (Ambiguous), never disagree.
    compiled = compile_election(election)
    if compiled.n_voters == 0:
        return
    share = Fraction(election.budget) / compiled.n_voters + extra
    expected = mes(election, share)
    ids = compiled.ids
    assert [ids[j] for j in run_mes(compiled, to_q(share)).selected] == expected
    for engine in (run_mes_fast, mes_selection_float):
        try:
            run = engine(compiled, to_q(share))
        except Ambiguous:
            continue
        selected = run if isinstance(run, list) else run.selected
        assert [ids[j] for j in selected] == expected


def test_it_is_itself_what_pabutools_selects_on_the_fixtures() -> None:
    # The oracle is checked against pabutools 1.2.3 (its outputs recorded by make_expected).
    entries = json.loads((FIXTURES / "expected_fixtures.json").read_text())
    for name, entry in entries.items():
        election = parse_pabulib(FIXTURES / name)
        for rule in ("greedy", "mes", "mes-completed"):
            assert textbook_tally(election, rule) == entry[rule], (name, rule)
