"""Greedy utilitarian welfare, as ``pabutools.rules.greedy_utilitarian_welfare`` (1.2.3).

Projects are ranked once by satisfaction density (total satisfaction divided by cost), highest
first, ties broken by the lexicographic order of the project ids (pabutools' default
``lexico_tie_breaking``, a plain ``str`` comparison: ``"10" < "9"``).  They are then taken in that
order, each one that still fits in the remaining budget being selected and the others skipped — a
skipped project does not stop the scan.

Densities follow pabutools exactly, including its corner cases: a project nobody supports (total
satisfaction 0) has density 0 and is still selected if money is left; with approval ballots
(``Cost_Sat``) the density is the number of approvers, and a zero-cost project has total
satisfaction 0 hence density 0; with points, a zero-cost project with points has an infinite
density.  Densities are compared as exact fractions: no rounding can reorder two projects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from turbine.budget.engine.compiled import CompiledElection
from turbine.budget.engine.election import Amount

INFINITE_DENSITY = float("inf")


@dataclass(frozen=True, slots=True)
class GreedyStep:
    """What the greedy scan did with one project.

    ``rank`` is the 1-based position in the density order, ``remaining_before`` the budget left
    when the project was examined, ``selected`` whether it fitted.
    """

    project: int
    rank: int
    density: Fraction | float
    remaining_before: Amount
    selected: bool


def density(compiled: CompiledElection, j: int) -> Fraction | float:
    """Total satisfaction of project ``j`` divided by its cost, as pabutools defines it."""
    cost = compiled.costs[j]
    total = compiled.total_points[j]
    if compiled.is_approval:
        # Cost_Sat: total satisfaction = approvers * cost, so the density is the approvers count
        # when the cost is positive and 0 (total satisfaction 0) when it is zero.
        return Fraction(total) if cost > 0 else Fraction(0)
    if total > 0:
        return Fraction(total) / Fraction(cost) if cost > 0 else INFINITE_DENSITY
    return Fraction(0)


def greedy(
    compiled: CompiledElection, initial: Sequence[int] = ()
) -> tuple[list[int], list[GreedyStep]]:
    """Complete the allocation ``initial`` (project indices) greedily.

    Returns the projects added, in selection order, and one :class:`GreedyStep` per examined
    project (every project not in ``initial``).
    """
    taken = set(initial)
    ids = compiled.ids
    candidates = [j for j in range(len(ids)) if j not in taken]
    # Key (-density, id): pabutools sorts by (-density, index in the id-sorted list).
    dens = {j: density(compiled, j) for j in candidates}
    candidates.sort(key=lambda j: (-dens[j], ids[j]))
    remaining: Amount = compiled.election.budget - sum(compiled.costs[j] for j in initial)
    selected: list[int] = []
    steps: list[GreedyStep] = []
    for rank, j in enumerate(candidates, start=1):
        cost = compiled.costs[j]
        fits = cost <= remaining
        steps.append(GreedyStep(j, rank, dens[j], remaining, fits))
        if fits:
            selected.append(j)
            remaining -= cost
    return selected, steps
