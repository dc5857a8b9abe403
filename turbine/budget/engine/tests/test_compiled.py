"""The compiled form of an election is built once and shared by the rules."""

from __future__ import annotations

import pytest

from turbine.budget.engine import RULES, Election, Project, tally
from turbine.budget.engine import compiled as compiled_module


def _election() -> Election:
    return Election(
        projects=[Project("a", 60, "A"), Project("b", 50, "B"), Project("c", 30, "C")],
        ballots=[["a"], ["a", "b"], ["b"], ["c"], ["a", "c"]],
        budget=100,
    )


@pytest.fixture
def compilations(monkeypatch: pytest.MonkeyPatch) -> list[Election]:
    calls: list[Election] = []
    original = compiled_module.compile_election

    def counting(election: Election) -> compiled_module.CompiledElection:
        calls.append(election)
        return original(election)

    monkeypatch.setattr(compiled_module, "compile_election", counting)
    return calls


def test_it_compiles_an_election_once_for_every_rule(compilations: list[Election]) -> None:
    election = _election()
    first = [tally(election, rule).selected for rule in RULES]
    again = [tally(election, rule).selected for rule in RULES]
    assert first == again
    assert len(compilations) == 1


def test_it_compiles_again_when_the_ballots_or_the_budget_change(
    compilations: list[Election],
) -> None:
    election = _election()
    assert tally(election, "greedy").selected == ("a", "c")
    election.ballots = [("b",), ("b",), ("c",)]
    assert tally(election, "greedy").selected == ("b", "c")
    election.ballots.append(("a",))
    tally(election, "greedy")
    election.budget = 200
    assert tally(election, "greedy").selected == ("b", "a", "c")
    assert len(compilations) == 4
