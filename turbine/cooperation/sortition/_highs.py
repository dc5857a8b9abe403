"""Thin helpers over HiGHS (``highspy``): the panel integer program shared by every method.

A panel is described by how many people of each profile it takes (``counts[t]``, see
:class:`~turbine.cooperation.sortition.quotas.Pool`); which people of a profile are taken is
decided later, uniformly (:mod:`~turbine.cooperation.sortition.lottery`).
"""

from __future__ import annotations

import highspy
import numpy as np

from turbine.cooperation.sortition.quotas import Pool

INF = highspy.kHighsInf


def new_highs(**options: float | int | bool | str) -> highspy.Highs:
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("random_seed", 0)
    for name, value in options.items():
        highs.setOptionValue(name, value)
    return highs


def csc(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column-wise sparse form (start, index, value) of a dense matrix."""
    starts, indices, values = [0], [], []
    for column in matrix.T:
        (nonzero,) = np.nonzero(column)
        indices.extend(nonzero.tolist())
        values.extend(column[nonzero].tolist())
        starts.append(len(indices))
    return (
        np.array(starts, dtype=np.int32),
        np.array(indices, dtype=np.int32),
        np.array(values, dtype=float),
    )


def pass_model(
    highs: highspy.Highs,
    *,
    cost: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    matrix: np.ndarray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    integer: np.ndarray | None = None,
    maximize: bool = False,
) -> None:
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(cost), len(row_lower)
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_ = np.asarray(lower, dtype=float)
    lp.col_upper_ = np.asarray(upper, dtype=float)
    lp.row_lower_ = np.asarray(row_lower, dtype=float)
    lp.row_upper_ = np.asarray(row_upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = csc(np.asarray(matrix))
    lp.sense_ = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
    if integer is not None:
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
            for flag in integer
        ]
    highs.passModel(lp)


def optimal(highs: highspy.Highs) -> bool:
    return highs.getModelStatus() == highspy.HighsModelStatus.kOptimal


class PanelProgram:
    """``max weights · counts`` over the panels of ``size`` that meet the quotas (an integer
    program solved to optimality, kept between calls so that only the weights change)."""

    def __init__(self, pool: Pool, size: int) -> None:
        self.pool = pool
        quotas = pool.quotas.all()
        types = len(pool.profiles)
        self.highs = new_highs(
            mip_rel_gap=1e-9,
            mip_abs_gap=1e-12,
            # Solved a thousand times or more per LEXIMIN with other weights only: the presolve
            # and the feasibility-jump heuristic cost more than they save on these small
            # programs (bench/sortition.py's six-feature instance: 22.1 s in the integer
            # programs with them, 10.5 s without, same panels' probabilities).
            presolve="off",
            mip_heuristic_run_feasibility_jump=False,
        )
        pass_model(
            self.highs,
            cost=np.zeros(types),
            lower=np.zeros(types),
            upper=pool.sizes.astype(float),
            matrix=np.vstack([pool.incidence, np.ones((1, types))]),
            row_lower=np.array([q.min for q in quotas] + [size], dtype=float),
            row_upper=np.array([q.max for q in quotas] + [size], dtype=float),
            integer=np.ones(types, dtype=bool),
            maximize=True,
        )

    def solve(self, weights: np.ndarray) -> tuple[np.ndarray | None, float]:
        """The best panel's counts (None if no panel meets the quotas) and an upper bound on
        ``weights · counts`` over all panels."""
        types = len(weights)
        self.highs.changeColsCost(
            types, np.arange(types, dtype=np.int32), np.asarray(weights, dtype=float)
        )
        self.highs.run()
        if not optimal(self.highs):
            return None, -INF
        counts = np.rint(np.array(self.highs.getSolution().col_value)).astype(np.int64)
        bound = self.highs.getInfo().mip_dual_bound
        return counts, max(float(bound), float(weights @ counts))
