"""Entry point of the tally engine: :func:`tally` and its :class:`TallyResult`.

Rules (definitions of pabutools 1.2.3, default lexicographic tie-breaking on project ids):

``greedy``
    ``greedy_utilitarian_welfare`` (see :mod:`turbine.budget.engine.greedy`).
``mes``
    ``method_of_equal_shares`` (see :mod:`turbine.budget.engine.mes`), without completion: the
    budget may be left partly unspent.
``mes-completed``
    ``completion_by_rule_combination(method_of_equal_shares(voter_budget_increment=1),
    greedy_utilitarian_welfare)``.  MES is run with a per-voter budget of ``budget / voters``,
    then ``+1``, ``+2``... (one currency unit per voter each time), until a run's outcome either
    costs more than the budget — then the *previous* run's outcome is kept — or is exhaustive
    with respect to the MES candidates (no candidate left out fits in the money left).  If the
    kept outcome is not exhaustive with respect to *all* projects, the greedy rule completes it.

Satisfactions: ``Cost_Sat`` for approval ballots, ``Additive_Cardinal_Sat`` for cumulative and
scoring ballots.  Ordinal ballots are refused (:class:`RuleError`).

``TallyResult.selected`` is in **selection order**: zero-cost projects preselected by MES (file
order), then MES rounds, then the greedy completion; for ``greedy``, the density order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from functools import partial
from typing import Literal

from turbine.budget.engine.compiled import CompiledElection, Q, compiled_for, to_q
from turbine.budget.engine.election import Amount, Election
from turbine.budget.engine.errors import RuleError
from turbine.budget.engine.greedy import GreedyStep, greedy
from turbine.budget.engine.mes import (
    Ambiguous,
    DeferredRun,
    FloatTrace,
    MesRound,
    mes_candidates,
    mes_deferred,
    mes_selection_float,
    run_mes_auto,
)

RULES: tuple[str, ...] = ("greedy", "mes", "mes-completed")

Phase = Literal["free", "mes", "greedy"]

MAX_INCREMENTS = 10_000_000
"""Safety stop of the ``mes-completed`` increment loop (never reached on real data)."""


def as_fraction(value: object) -> Fraction:
    """Exact conversion of an internal rational (``mpq``/``Fraction``/``int``) to ``Fraction``."""
    if isinstance(value, Fraction | int):
        return Fraction(value)
    return Fraction(int(value.numerator), int(value.denominator))  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class ProjectOutcome:
    """Why a project was or was not funded (all amounts exact).

    Funded projects: ``phase`` says how (``"free"``: zero-cost project supported by somebody,
    selected upfront by MES; ``"mes"``: MES round ``mes_round``, in the run with
    ``per_voter_budget`` — after ``increment`` budget increments for ``mes-completed``;
    ``"greedy"``: greedy rule or greedy completion).  For a MES round, ``rho`` is the
    affordability (each supporter paid ``min(budget left, rho * satisfaction)``), ``payers`` the
    voters who paid and ``exhausted`` those who gave all they had left.  These three are
    computed on first access (by one exact MES run, shared by every project of the tally): the
    selection itself needs them only when the float engine cannot decide.

    Projects not funded by MES (for ``mes`` and ``mes-completed``): ``supporters_money_left`` is
    what its supporters had left in total when MES stopped.  MES only stops when no project is
    affordable any more, so it is always below the cost: that is the reason MES did not fund it.

    Greedy examination: ``greedy_rank`` (position in the density order), ``density`` and
    ``budget_left_before`` (money left when it was examined: it fitted iff cost <= that).
    """

    project_id: str
    name: str
    cost: Amount
    supporters: int
    selected: bool
    position: int | None = None
    phase: Phase | None = None
    mes_round: int | None = None
    increment: int | None = None
    per_voter_budget: Fraction | None = None
    greedy_rank: int | None = None
    density: Fraction | float | None = None
    budget_left_before: Fraction | None = None
    round_source: Callable[[], MesRound] | None = field(default=None, repr=False, compare=False)
    money_left_source: Callable[[], Fraction] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def rho(self) -> Fraction | None:
        """Exact affordability of its MES round (``None`` if not funded by a MES round)."""
        return None if self.round_source is None else as_fraction(self.round_source().rho)

    @property
    def payers(self) -> int | None:
        """Voters who paid a share of it in its MES round."""
        return None if self.round_source is None else self.round_source().payers

    @property
    def exhausted(self) -> int | None:
        """Voters who gave all they had left in its MES round."""
        return None if self.round_source is None else self.round_source().exhausted

    @property
    def supporters_money_left(self) -> Fraction | None:
        """Exact money its supporters had left when MES stopped (``None`` if not applicable).

        Computed on demand: it is only needed to explain the project, and computing it for
        every project would be a good part of a MES tally's time.
        """
        return None if self.money_left_source is None else self.money_left_source()


@dataclass(frozen=True, slots=True)
class TallyResult:
    """Outcome of :func:`tally`.

    ``selected`` are project ids in selection order (see module docstring); ``total_cost`` their
    exact total cost; ``projects`` maps every project id (file order) to its
    :class:`ProjectOutcome`.  ``per_voter_budget``/``increments`` describe the MES run kept
    (``None`` for ``greedy``).
    """

    rule: str
    ballot_type: str
    budget: Amount
    num_voters: int
    selected: tuple[str, ...]
    total_cost: Amount
    projects: dict[str, ProjectOutcome]
    per_voter_budget: Fraction | None = None
    increments: int | None = None

    @property
    def budget_left(self) -> Amount:
        """Budget not spent."""
        return self.budget - self.total_cost


def _cost(compiled: CompiledElection, projects: list[int]) -> Amount:
    return sum((compiled.costs[j] for j in projects), 0)


def _exhaustive(compiled: CompiledElection, chosen: list[int], pool: list[int]) -> bool:
    """pabutools ``Instance.is_exhaustive``: no project of ``pool`` outside ``chosen`` fits."""
    taken = set(chosen)
    left = compiled.election.budget - _cost(compiled, chosen)
    return not any(j not in taken and compiled.costs[j] <= left for j in pool)


BLOCK_RUNS = 16
"""Largest number of MES runs of ``mes-completed`` computed one by one together, richest
first."""
SPAN_RUNS = 1024
"""Largest number of consecutive MES runs one run with wide bounds may stand for."""


def _selections_by_increment(
    compiled: CompiledElection, b0: Q, increment: int
) -> Iterator[tuple[int, list[int]]]:
    """``(t, selection)`` of the MES runs with ``b0 + increment * t`` per voter, for ``t = 0,
    1, 2...`` (up to :data:`MAX_INCREMENTS`), the selection only.

    By spans of consecutive runs, 1, 2, 4... up to :data:`SPAN_RUNS` (so that no more than
    about as many runs are examined beyond the one that stops the loop as before it).  A span
    is first tried as a whole: one float run whose bounds cover every per-voter budget of the
    span (``spread``); if it decides, every run of the span has its selection.  Otherwise the
    span is halved, down to :data:`BLOCK_RUNS` runs, computed one by one, the richest first,
    each borrowing the bounds of the next richer one (see
    :func:`~turbine.budget.engine.mes.mes_selection_float`); a run the float engine cannot
    decide is done by the exact engine.  After three spans in a row that could not be decided
    as wholes, the next ones are not tried as wholes any more (large elections, whose runs
    differ from one increment to the next).
    """
    step = Q(increment)
    failures = [0]  # spans in a row that could not be decided as wholes

    def one_by_one(block: range) -> Iterator[tuple[int, list[int]]]:
        found: dict[int, list[int]] = {}
        richer: FloatTrace | None = None
        for t in reversed(block):
            trace: FloatTrace | None = FloatTrace()
            per_voter = b0 + step * t
            try:
                found[t] = mes_selection_float(compiled, per_voter, borrow=richer, record=trace)
            except Ambiguous:
                found[t] = run_mes_auto(compiled, per_voter).selected
                trace = None
            richer = trace
        for t in block:
            yield t, found[t]

    def span(block: range) -> Iterator[tuple[int, list[int]]]:
        if len(block) > 1 and failures[0] < 3:
            middle = b0 + step * Q(block[0] + block[-1], 2)
            half_width = float(step * Q(len(block) - 1, 2))
            try:
                selected = mes_selection_float(compiled, middle, spread=half_width)
            except Ambiguous:
                if len(block) <= BLOCK_RUNS:
                    failures[0] += 1
            else:
                failures[0] = 0
                for t in block:
                    yield t, list(selected)
                return
        if len(block) <= BLOCK_RUNS:
            yield from one_by_one(block)
            return
        cut = block[0] + len(block) // 2
        yield from span(range(block[0], cut))
        yield from span(range(cut, block[-1] + 1))

    start, size = 0, 1
    while start < MAX_INCREMENTS:
        block = range(start, min(start + size, MAX_INCREMENTS))
        yield from span(block)
        start += len(block)
        size = min(2 * size, SPAN_RUNS if failures[0] < 3 else BLOCK_RUNS)


def _mes_with_increments(
    compiled: CompiledElection, increment: int | None
) -> tuple[DeferredRun, int]:
    """``method_of_equal_shares(voter_budget_increment=increment)``; returns the run kept and
    how many increments its per-voter budget received.  The kept run's selection is the one
    the loop already computed: it is not run again (its exact details are deferred)."""
    b0 = to_q(compiled.election.budget) / compiled.n_voters
    if increment is None:
        return mes_deferred(compiled, b0), 0
    candidates, _ = mes_candidates(compiled)
    budget = compiled.election.budget
    previous: list[int] = []
    for t, selected in _selections_by_increment(compiled, b0, increment):
        if _cost(compiled, selected) > budget:
            if t == 0:  # cannot happen: budgets sum to the budget limit at t = 0
                raise RuleError("Résultat de MES infaisable dès le budget initial.")
            return DeferredRun(compiled, b0 + Q(increment) * (t - 1), previous), t - 1
        if _exhaustive(compiled, selected, candidates):
            return DeferredRun(compiled, b0 + Q(increment) * t, selected), t
        previous = selected
    raise RuleError("Trop d'incréments de budget : calcul interrompu.")


def tally(election: Election, rule: str = "mes-completed") -> TallyResult:
    """Tally ``election`` with ``rule`` (``"greedy"``, ``"mes"`` or ``"mes-completed"``).

    Reproduces pabutools 1.2.3 exactly (same projects, same order).  Raises
    :class:`RuleError` (French message) for an unknown rule or an ordinal election.
    """
    if rule not in RULES:
        raise RuleError(f"Règle inconnue : « {rule} » (attendu : greedy, mes ou mes-completed).")
    compiled = compiled_for(election)
    n_projects = len(compiled.ids)
    steps: list[GreedyStep] = []
    run: DeferredRun | None = None
    increments: int | None = None
    phases: dict[int, Phase] = {}
    if rule == "greedy":
        order, steps = greedy(compiled)
        phases = dict.fromkeys(order, "greedy")
    else:
        if compiled.n_voters == 0:
            order = []  # pabutools returns the empty allocation when nobody voted
        else:
            run, increments = _mes_with_increments(compiled, 1 if rule == "mes-completed" else None)
            order = list(run.selected)
            phases.update(dict.fromkeys(run.preselected, "free"))
            phases.update(dict.fromkeys(run.rounds_projects, "mes"))
        if rule == "mes-completed" and not _exhaustive(compiled, order, list(range(n_projects))):
            added, steps = greedy(compiled, order)
            phases.update(dict.fromkeys(added, "greedy"))
            order = order + added
    return _build_result(election, compiled, rule, order, phases, run, increments, steps)


def _money_left(run: DeferredRun, compiled: CompiledElection, j: int) -> Fraction:
    return as_fraction(run.exact().remaining_budget(compiled, j))


def _round(run: DeferredRun, index: int) -> MesRound:
    return run.exact().rounds[index]


def _build_result(
    election: Election,
    compiled: CompiledElection,
    rule: str,
    order: list[int],
    phases: dict[int, Phase],
    run: DeferredRun | None,
    increments: int | None,
    steps: list[GreedyStep],
) -> TallyResult:
    position = {j: i + 1 for i, j in enumerate(order)}
    rounds = {j: i for i, j in enumerate(run.rounds_projects)} if run is not None else {}
    greedy_steps = {s.project: s for s in steps}
    candidates = set(mes_candidates(compiled)[0]) if run is not None else set()
    per_voter = as_fraction(run.per_voter_budget) if run is not None else None
    outcomes: dict[str, ProjectOutcome] = {}
    for j, project in enumerate(election.projects):
        fields: dict[str, object] = {}
        r = rounds.get(j)
        if run is not None and r is not None:
            fields.update(
                mes_round=r + 1,
                increment=increments,
                per_voter_budget=per_voter,
                round_source=partial(_round, run, r),
            )
        elif run is not None and j in candidates:
            fields.update(
                money_left_source=partial(_money_left, run, compiled, j),
                increment=increments,
                per_voter_budget=per_voter,
            )
        step = greedy_steps.get(j)
        if step is not None:
            fields.update(
                greedy_rank=step.rank,
                density=step.density,
                budget_left_before=Fraction(step.remaining_before),
            )
        outcomes[project.id] = ProjectOutcome(
            project_id=project.id,
            name=project.name,
            cost=project.cost,
            supporters=int(compiled.supporters[j]),
            selected=j in position,
            position=position.get(j),
            phase=phases.get(j),
            **fields,  # type: ignore[arg-type]
        )
    total = _cost(compiled, order)
    return TallyResult(
        rule=rule,
        ballot_type=election.ballot_type,
        budget=election.budget,
        num_voters=compiled.n_voters,
        selected=tuple(compiled.ids[j] for j in order),
        total_cost=total,
        projects=outcomes,
        per_voter_budget=per_voter,
        increments=increments,
    )
