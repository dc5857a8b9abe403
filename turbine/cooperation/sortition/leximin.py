"""LEXIMIN by column generation on open solvers (HiGHS), after Flanigan, Gölz, Gupta, Hennig and
Procaccia, "Fair algorithms for selecting citizens' assemblies", Nature 596 (2021).

Among all distributions over the panels that meet the quotas, LEXIMIN maximises the smallest
selection probability of any volunteer, then the second smallest, and so on. It is computed in
stages; each stage maximises the smallest probability among the volunteers whose probability is
not fixed yet, the others keeping at least their fixed probability:

    max z  s.t.  Σ_P p_P = 1,  π_t(p) ≥ z (t free),  π_t(p) ≥ f_t (t fixed),  p ≥ 0

where ``π_t(p) = Σ_P p_P · counts_P[t] / n_t`` is the probability of a member of profile ``t``.
There are far too many panels to write them all: the stage's dual

    min ŷ − Σ_{t fixed} f_t y_t  s.t.  Σ_t y_t · counts_P[t] / n_t ≤ ŷ (every panel P),
                                       Σ_{t free} y_t = 1,  y ≥ 0

is read, as the row duals, from the stage's linear program restricted to the panels found so
far (:class:`_Master`, solved in primal form so that a new panel is a new column and the primal
simplex restarts from the previous basis), and an integer program (``max Σ_t y_t/n_t · counts[t]``
over quota-meeting panels, :class:`~turbine.cooperation.sortition._highs.PanelProgram`) finds the
most violated constraint; it is added until none is violated, and then the dual's value is the
stage's optimum ``z*``. Panels are first priced at duals smoothed towards the best seen so far
(:data:`SMOOTHING`), which halves the number of rounds. The free profiles with a positive dual
weight cannot get more than ``z*`` in any optimal distribution (complementary slackness): they
are fixed at ``z*`` and the next stage starts. A last linear program finds the probabilities of
the panels found.

Profiles (groups of identical volunteers) stand for volunteers: LEXIMIN's probabilities are
unique and the same for identical volunteers, so this loses nothing and keeps the programs small.
"""

from __future__ import annotations

import time

import numpy as np

from turbine.cooperation.sortition._highs import INF, PanelProgram, new_highs, optimal
from turbine.cooperation.sortition.distribution import Distribution, clean
from turbine.cooperation.sortition.errors import SortitionError
from turbine.cooperation.sortition.feasibility import check
from turbine.cooperation.sortition.quotas import Pool

# A panel's constraint is violated when it exceeds ŷ by more than this (probabilities are in
# [0, 1]); fixed probabilities are lowered by SLACK so that solver round-off (about 1e-9 here)
# never makes a later stage infeasible.
VIOLATION = 1e-10
SLACK = 1e-8
WEIGHT = 1e-9
SMOOTHING = 0.8
"""Weight of the stability centre in the duals the panels are priced at (Wentges' dual
smoothing): the master's duals jump from one vertex of its degenerate dual face to another at
each new panel, and panels priced at them zigzag; priced at a point between the best duals seen
and the master's, they head for the optimum. On ``bench/sortition.py``'s six-feature instance,
0.8 halves the integer programs solved (2,085 to 1,045) and the time (68.6 s to 33.4 s of CPU);
0.5 and 0.85 gave 1,299 and 1,014 integer programs. The probabilities found are the same (to
5e-11 there): the stage still ends only when the master's own duals admit no better panel."""


class _Master:
    """The stage's linear program over the panels found so far (the *restricted master*), in
    its primal form, kept in one HiGHS instance between iterations:

        min −z  s.t.  Σ_P p_P = 1  (row 0),  π_t(p) − z ≥ 0 (t free),  π_t(p) ≥ f_t (t fixed)

    A new panel is a new column: the current basis stays primal feasible and the primal simplex
    restarts from it, in a few pivots; the basis keeps one row per profile however many panels
    are added (the dual form, with one row per panel, grew and slowed down with each). The row
    duals are the stage dual's ``y`` (``ŷ`` is minus row 0's)."""

    def __init__(self, pool: Pool) -> None:
        self.types = types = len(pool.profiles)
        self.scale = 1.0 / pool.sizes
        self.highs = new_highs(
            primal_feasibility_tolerance=1e-10,
            dual_feasibility_tolerance=1e-10,
            simplex_strategy=4,  # primal simplex
            # The master is highly degenerate (many profiles at the same probability): the
            # primal simplex's random bound perturbation and the scaling made it wander for
            # hundreds of pivots after each new column, up to 1,600 late in a run (replayed on
            # bench/sortition.py's six-feature instance: 205 ms per solve at 1,700 panels with
            # them, 52 ms without).
            primal_simplex_bound_perturbation_multiplier=0.0,
            simplex_scale_strategy=0,
        )
        self.highs.addVar(-INF, INF)  # z, column 0
        self.highs.changeColCost(0, -1.0)
        none = np.array([], dtype=np.int32)
        self.highs.addRow(1.0, 1.0, 0, none, np.array([], dtype=float))
        for _ in range(types):
            self.highs.addRow(0.0, INF, 1, np.array([0], dtype=np.int32), np.array([-1.0]))

    def add_panel(self, counts: np.ndarray) -> None:
        (nonzero,) = np.nonzero(counts)
        rows = np.append(0, nonzero + 1).astype(np.int32)
        values = np.append(1.0, counts[nonzero] * self.scale[nonzero])
        self.highs.addCol(0.0, 0.0, INF, len(rows), rows, values)

    def fix(self, profile: int, probability: float) -> None:
        self.highs.changeCoeff(profile + 1, 0, 0.0)
        self.highs.changeRowBounds(profile + 1, probability, INF)

    def solve(self) -> tuple[np.ndarray, float, float]:
        """The stage dual's ``y`` and ``ŷ``, and the restricted stage's optimum."""
        self.highs.run()
        if not optimal(self.highs):
            # From a previous basis the simplex can stop on a wrong status after a stage
            # changed the bounds: start afresh.
            self.highs.clearSolver()
            self.highs.run()
        if not optimal(self.highs):
            raise SortitionError(
                "le calcul LEXIMIN n'a pas abouti (programme linéaire "
                f"{self.highs.modelStatusToString(self.highs.getModelStatus())})."
            )
        duals = np.array(self.highs.getSolution().row_dual)
        return (
            np.clip(duals[1:], 0.0, None),
            float(-duals[0]),
            float(-self.highs.getInfo().objective_function_value),
        )


def _initial_panels(program: PanelProgram, pool: Pool) -> list[np.ndarray]:
    """A few diverse panels to start from: each favours the profiles the previous ones took
    least (deterministic, so that a draw can be recomputed)."""
    types = len(pool.profiles)
    taken = np.zeros(types)
    panels: list[np.ndarray] = []
    seen: set[bytes] = set()
    for _ in range(min(20, types)):
        weights = 1.0 / pool.sizes / (1.0 + taken)
        counts, _bound = program.solve(weights)
        if counts is None:
            break
        taken += counts / pool.sizes
        if counts.tobytes() not in seen:
            seen.add(counts.tobytes())
            panels.append(counts)
    return panels


def column_generation(
    pool: Pool, size: int, *, stages: int | None = None
) -> tuple[list[np.ndarray], np.ndarray, dict[str, float | int]]:
    """Runs the stages (all of them, or the first ``stages``) and returns the panels found,
    the fixed probability of each profile (NaN where not fixed) and counters."""
    check(pool, size)
    types = len(pool.profiles)
    program = PanelProgram(pool, size)
    dual = _Master(pool)
    panels = _initial_panels(program, pool)
    seen = {counts.tobytes() for counts in panels}
    for counts in panels:
        dual.add_panel(counts)
    fixed = np.full(types, np.nan)
    stage = pricings = 0

    def add(counts: np.ndarray, weights: np.ndarray, y_hat: float) -> bool:
        """Adds the panel if it violates the stage dual at ``weights`` (and is new)."""
        key = counts.tobytes()
        if key in seen or counts @ weights <= y_hat + VIOLATION:
            return False
        seen.add(key)
        panels.append(counts)
        dual.add_panel(counts)
        return True

    while np.isnan(fixed).any() and (stages is None or stage < stages):
        stage += 1
        # Stability centre of the stage: the duals with the lowest upper bound on z* found so
        # far (a convex combination of two dual solutions normalised to Σ_free y = 1 is one).
        centre: np.ndarray | None = None
        centre_bound = INF
        floors = np.where(np.isnan(fixed), 0.0, fixed)
        while True:
            y, y_hat, value = dual.solve()
            weights = y * dual.scale
            if centre is not None:
                smoothed = SMOOTHING * centre + (1.0 - SMOOTHING) * y
                panel, bound = program.solve(smoothed * dual.scale)
                pricings += 1
                if panel is not None:
                    smoothed_bound = float(bound - floors @ smoothed)
                    if smoothed_bound < centre_bound:
                        centre, centre_bound = smoothed, smoothed_bound
                    if add(panel, weights, y_hat):
                        continue
                # Mispricing: the smoothed duals' best panel does not improve the master;
                # price at the master's own duals, which alone can end the stage.
            panel, bound = program.solve(weights)
            pricings += 1
            if panel is None or bound <= y_hat + VIOLATION:
                break
            if float(bound - floors @ y) < centre_bound:
                centre, centre_bound = y, float(bound - floors @ y)
            if not add(panel, weights, y_hat):
                # The integer program's bound is above ŷ but its best panel is not: the
                # optimality gap straddles ŷ by less than the solver's tolerance.
                break
        free = np.isnan(fixed)
        newly = free & (y > WEIGHT)
        if not newly.any():  # cannot happen (Σ_{free} y = 1), guard against round-off
            newly = free & (y == y[free].max())
        probability = max(0.0, min(1.0, value) - SLACK)
        for profile in np.nonzero(newly)[0]:
            fixed[profile] = probability
            dual.fix(int(profile), probability)
    return (
        panels,
        fixed,
        {
            "stages": stage,
            "pricings": pricings,
            "columns": len(panels),
        },
    )


def final_weights(pool: Pool, panels: list[np.ndarray], floors: np.ndarray) -> np.ndarray:
    """Panel probabilities whose profile probabilities are at least ``floors`` (NaN: no
    floor), maximising the smallest margin above the floors."""
    types = len(pool.profiles)
    matrix = np.array(panels, dtype=float).T / pool.sizes[:, None]  # profile × panel
    highs = new_highs(primal_feasibility_tolerance=1e-10, dual_feasibility_tolerance=1e-10)
    count = len(panels)
    for _ in range(count):
        highs.addVar(0.0, 1.0)
    margin = count
    highs.addVar(-INF, INF)
    highs.changeColCost(margin, -1.0)  # maximise the margin
    highs.addRow(1.0, 1.0, count, np.arange(count, dtype=np.int32), np.ones(count))
    bounded = np.nonzero(~np.isnan(floors))[0]
    for t in bounded:
        (nonzero,) = np.nonzero(matrix[t])
        indices = np.append(nonzero, margin).astype(np.int32)
        values = np.append(matrix[t, nonzero], -1.0)
        highs.addRow(floors[t], INF, len(indices), indices, values)
    if len(bounded) < types:
        # Profiles without a floor (MAXIMIN): the margin is on the smallest probability.
        for t in np.nonzero(np.isnan(floors))[0]:
            (nonzero,) = np.nonzero(matrix[t])
            indices = np.append(nonzero, margin).astype(np.int32)
            values = np.append(matrix[t, nonzero], -1.0)
            highs.addRow(0.0, INF, len(indices), indices, values)
    highs.changeColBounds(margin, -1.0, 1.0)
    highs.run()
    if not optimal(highs):
        raise SortitionError("le calcul des probabilités des panels n'a pas abouti.")
    return np.array(highs.getSolution().col_value)[:count]


def leximin(pool: Pool, size: int) -> Distribution:
    """The LEXIMIN distribution over quota-meeting panels of ``size``."""
    started = time.perf_counter()
    panels, fixed, info = column_generation(pool, size)
    weights = final_weights(pool, panels, fixed - SLACK)
    info["seconds"] = time.perf_counter() - started
    return clean(pool, size, "leximin", panels, weights, **info)
