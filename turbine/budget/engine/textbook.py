"""The method of equal shares as the textbook states it, on exact fractions (oracle only).

A short, slow, obviously correct implementation of the three rules with the definitions of
pabutools 1.2.3 (see :mod:`turbine.budget.engine.tally`), written to be checked by reading and
used as the oracle of the fast engines in the property tests (``tests/test_textbook.py``).
Nothing in the application calls it.  Every number is a :class:`fractions.Fraction`; no
float, no grouping of identical ballots, no bound: one voter at a time, one project at a time.

Method of equal shares (Peters, Skowron, Pierczyński; https://equalshares.net/): each voter gets
the same share of the budget.  Round after round, for each project not yet funded, find the
smallest ``rho`` such that its supporters, each paying ``min(what they have left, rho * u)``
(``u``: their satisfaction for the project), gather its cost; fund the project with the
smallest ``rho`` (ties: the smallest id as a string) and make its supporters pay.  A project
whose supporters together have less than its cost is dropped.  Stop when nothing is left.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from turbine.budget.engine.election import Election, Project


def _satisfactions(election: Election) -> list[dict[str, Fraction]]:
    """Each voter's satisfaction per project: ``Cost_Sat`` (approval) or the points given."""
    cost = {p.id: Fraction(p.cost) for p in election.projects}
    if election.ballot_type == "approval":
        return [{pid: cost[pid] for pid in ballot} for ballot in election.ballots]
    return [{pid: Fraction(v) for pid, v in ballot} for ballot in election.ballots]  # type: ignore[misc]


def _affordability(cost: Fraction, payers: list[tuple[Fraction, Fraction]]) -> Fraction | None:
    """Smallest ``rho`` with ``sum(min(b, rho * u)) == cost`` over ``(b, u)``; ``None`` if the
    supporters cannot pay."""
    if sum(b for b, _ in payers) < cost:
        return None
    paid = Fraction(0)  # by the supporters who give everything they have
    rest = sum(u for _, u in payers)  # satisfaction of the others
    for b, u in sorted(payers, key=lambda p: p[0] / p[1]):
        rho = (cost - paid) / rest
        if rho * u <= b:
            return rho
        paid += b
        rest -= u
    # Everybody gives everything (their budgets add up to the cost exactly).
    return max(b / u for b, u in payers)


def mes(election: Election, per_voter_budget: Fraction | None = None) -> list[str]:
    """Project ids funded by one MES run (zero-cost projects with points first, file order)."""
    n = len(election.ballots)
    if n == 0:
        return []
    share = Fraction(election.budget) / n if per_voter_budget is None else per_voter_budget
    budgets = [share] * n
    sat = _satisfactions(election)
    supporters = {p.id: [i for i in range(n) if sat[i].get(p.id, 0) > 0] for p in election.projects}
    # pabutools selects upfront the free projects somebody gives points to (Cost_Sat of a free
    # project is 0: with approval ballots nobody "supports" it).
    selected = [p.id for p in election.projects if p.cost == 0 and supporters[p.id]]
    left = [p for p in election.projects if p.cost > 0 and supporters[p.id]]
    while left:
        best: tuple[Fraction, str] | None = None
        for p in list(left):
            rho = _affordability(
                Fraction(p.cost), [(budgets[i], sat[i][p.id]) for i in supporters[p.id]]
            )
            if rho is None:
                left.remove(p)
            elif best is None or (rho, p.id) < best:
                best = (rho, p.id)
        if best is None:
            break
        rho, pid = best
        for i in supporters[pid]:
            budgets[i] -= min(budgets[i], rho * sat[i][pid])
        selected.append(pid)
        left = [p for p in left if p.id != pid]
    return selected


def greedy(election: Election, initial: Sequence[str] = ()) -> list[str]:
    """Greedy utilitarian welfare completing ``initial``: projects by total satisfaction per
    euro (highest first, ties: smallest id), each taken if it still fits."""
    sat = _satisfactions(election)
    left = Fraction(election.budget) - sum(Fraction(election.project(p).cost) for p in initial)
    if election.ballot_type == "approval":
        total = {p.id: sum(s.get(p.id, 0) for s in sat) for p in election.projects}
    else:  # every ballot's points count, zero and negative ones included
        total = {p.id: Fraction(0) for p in election.projects}
        for ballot in election.ballots:
            for pid, v in ballot:  # type: ignore[misc]
                total[pid] += Fraction(v)

    def density(p: Project) -> Fraction | float:
        cost = Fraction(p.cost)
        t = total[p.id]
        if t <= 0:
            return Fraction(0)
        return t / cost if cost > 0 else float("inf")

    added = []
    for p in sorted(
        (p for p in election.projects if p.id not in initial), key=lambda p: (-density(p), p.id)
    ):
        if p.cost <= left:
            added.append(p.id)
            left -= p.cost
    return list(initial) + added


def _exhaustive(election: Election, chosen: list[str], pool: list[str]) -> bool:
    left = Fraction(election.budget) - sum(Fraction(election.project(p).cost) for p in chosen)
    return not any(p not in chosen and election.project(p).cost <= left for p in pool)


def mes_completed(election: Election, max_increments: int = 100_000) -> list[str]:
    """MES with ``budget / voters`` per voter, then one more unit each time, until a run costs
    more than the budget (the previous run is kept) or leaves no MES candidate that fits; then
    the greedy rule completes the outcome."""
    n = len(election.ballots)
    if n == 0:
        return greedy(election)
    share = Fraction(election.budget) / n
    sat = _satisfactions(election)
    pool = [p.id for p in election.projects if p.cost > 0 and any(s.get(p.id, 0) > 0 for s in sat)]
    kept: list[str] = []
    for t in range(max_increments):
        run = mes(election, share + t)
        if sum(Fraction(election.project(p).cost) for p in run) > election.budget:
            break
        kept = run
        if _exhaustive(election, run, pool):
            break
    else:
        raise RuntimeError("too many increments")
    return greedy(election, kept)  # adds nothing when nothing else fits


def textbook_tally(election: Election, rule: str) -> list[str]:
    """Selected ids for ``rule`` (``greedy``, ``mes``, ``mes-completed``), in selection order."""
    if rule == "greedy":
        return greedy(election)
    if rule == "mes":
        return mes(election)
    if rule == "mes-completed":
        return mes_completed(election)
    raise ValueError(rule)
