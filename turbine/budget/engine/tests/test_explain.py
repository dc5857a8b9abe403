"""Structured outcomes (the reasons behind each project's fate) and fairness figures."""

from __future__ import annotations

from fractions import Fraction

from turbine.budget.engine import Election, Project, fairness, parse_pabulib, tally
from turbine.budget.engine.compiled import compiled_for, to_q
from turbine.budget.engine.mes import run_mes
from turbine.budget.engine.tests.conftest import FIXTURES


def test_it_says_why_each_project_is_or_is_not_funded() -> None:
    election = parse_pabulib(FIXTURES / "approval_quartier.pb")
    mes = tally(election, "mes")
    assert mes.selected == ("P01", "P03", "P05")
    funded = mes.projects["P03"]
    assert (funded.phase, funded.mes_round, funded.payers, funded.exhausted) == ("mes", 2, 10, 5)
    assert funded.rho is not None and funded.rho > 0
    unfunded = mes.projects["P02"]
    assert unfunded.supporters_money_left is not None
    assert unfunded.supporters_money_left < unfunded.cost

    completed = tally(election, "mes-completed")
    assert completed.projects["P07"].phase == "greedy"
    assert completed.increments == 2431
    assert completed.projects["P01"].increment == 2431

    greedy = tally(election, "greedy")
    assert greedy.projects["P04"].budget_left_before == Fraction("13000.25")
    assert not greedy.projects["P04"].selected
    assert greedy.total_cost == sum(election.project(p).cost for p in greedy.selected)


def test_it_gives_the_exact_details_of_the_funded_rounds_of_the_exact_engine() -> None:
    # The details are computed on demand by one exact run: they are those of run_mes.
    election = parse_pabulib(FIXTURES / "cumulative_ville.pb")
    result = tally(election, "mes")
    compiled = compiled_for(election)
    exact = run_mes(compiled, to_q(election.budget) / compiled.n_voters)
    for r in exact.rounds:
        outcome = result.projects[compiled.ids[r.project]]
        assert (outcome.mes_round, outcome.payers, outcome.exhausted) == (
            r.round,
            r.payers,
            r.exhausted,
        )
        assert outcome.rho == Fraction(int(r.rho.numerator), int(r.rho.denominator))


def test_it_marks_zero_cost_projects_preselected_by_mes() -> None:
    result = tally(parse_pabulib(FIXTURES / "cumulative_ville.pb"), "mes")
    assert result.selected[0] == "15"
    assert result.projects["15"].phase == "free"


def test_it_computes_fairness_figures() -> None:
    election = parse_pabulib(FIXTURES / "approval_empty_ballots.pb")
    result = tally(election, "mes-completed")
    figures = fairness(election, result)
    assert figures.num_voters == 14
    # b, c, d funded: everybody but voter 3 (a only) and the three blank ballots.
    assert figures.voters_with_funded_project == 10
    assert figures.share_voters_with_funded_project == Fraction(10, 14)
    assert figures.spent == 55000
    assert figures.share_spent == Fraction(55000, 60000)


def test_it_tallies_an_election_without_ballots() -> None:
    election = Election([Project("a", 10), Project("b", 5)], [], 12)
    assert tally(election, "mes").selected == ()
    assert tally(election, "mes-completed").selected == ("a",)
    assert tally(election, "greedy").selected == ("a",)
