"""Fairness figures of a :class:`TallyResult` (their words are the budget app's)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from turbine.budget.engine.compiled import compiled_for
from turbine.budget.engine.election import Amount, Election
from turbine.budget.engine.tally import TallyResult


@dataclass(frozen=True, slots=True)
class FairnessFigures:
    """Simple fairness figures of an outcome.

    ``voters_with_funded_project`` counts the voters who supported (approved, or gave points
    to) at least one funded project; ``share_*`` are exact fractions in [0, 1].
    """

    num_voters: int
    voters_with_funded_project: int
    share_voters_with_funded_project: Fraction
    budget: Amount
    spent: Amount
    share_spent: Fraction


def fairness(election: Election, result: TallyResult) -> FairnessFigures:
    """Fairness figures of ``result`` (a tally of ``election``)."""
    compiled = compiled_for(election)
    position = {pid: j for j, pid in enumerate(compiled.ids)}
    reached = np.zeros(len(compiled.group_weights), dtype=bool)
    for pid in result.selected:
        reached[compiled.sup_g[position[pid]]] = True
    happy = int(compiled.group_weights[reached].sum())
    n = compiled.n_voters
    budget = election.budget
    return FairnessFigures(
        num_voters=n,
        voters_with_funded_project=happy,
        share_voters_with_funded_project=Fraction(happy, n) if n else Fraction(0),
        budget=budget,
        spent=result.total_cost,
        share_spent=Fraction(result.total_cost) / budget if budget else Fraction(0),
    )
