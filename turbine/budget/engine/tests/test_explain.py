"""Explanations in French and fairness figures."""

from __future__ import annotations

from fractions import Fraction

from turbine.budget.engine import Election, Project, fairness, parse_pabulib, tally
from turbine.budget.engine.tests.conftest import FIXTURES


def test_it_explains_every_project_in_french() -> None:
    election = parse_pabulib(FIXTURES / "approval_quartier.pb")
    mes = tally(election, "mes")
    assert mes.selected == ("P01", "P03", "P05")
    funded = mes.projects["P03"]
    assert (funded.phase, funded.mes_round, funded.payers, funded.exhausted) == ("mes", 2, 10, 5)
    assert "tour 2 de la méthode des parts égales" in mes.explain("P03")
    assert "tout ce qui leur restait" in mes.explain("P03")
    unfunded = mes.projects["P02"]
    assert unfunded.supporters_money_left is not None
    assert unfunded.supporters_money_left < unfunded.cost
    assert "n'avaient plus que" in mes.explain("P02")

    completed = tally(election, "mes-completed")
    assert completed.projects["P07"].phase == "greedy"
    assert "complément glouton" in completed.explain("P07")
    assert "augmentations" in completed.explain("P01")
    assert completed.increments == 2431

    greedy = tally(election, "greedy")
    assert "ne restait que 13\u202f000,25" in greedy.explain("P04")
    assert greedy.total_cost == sum(election.project(p).cost for p in greedy.selected)


def test_it_explains_zero_cost_projects_preselected_by_mes() -> None:
    result = tally(parse_pabulib(FIXTURES / "cumulative_ville.pb"), "mes")
    assert result.selected[0] == "15"
    assert result.projects["15"].phase == "free"
    assert "financé d'office" in result.explain("15")


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
