"""The portfolio's multi-criteria ranking, written by hand in NumPy.

Scores are a matrix ``S`` (projects × criteria) of marks 0–5, where 5 is always the favourable
end (a cheap project scores 5 on « coût »). Weights are normalised to sum to 1 and the score of
a project is the weighted sum ``S @ w``. Rankings sort by score, highest first; equal scores
keep the order of the rows given (the caller passes projects by id, so the older one first).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

# Saaty's random consistency indices, by matrix size (1 to 10).
RANDOM_INDEX = [0.0, 0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49]


class RankingError(ValueError):
    """Invalid weights or scores (French message)."""


def normalise(weights: NDArray[np.float64] | list[float]) -> NDArray[np.float64]:
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 1 or not np.all(np.isfinite(w)) or np.any(w < 0):
        raise RankingError("Les poids doivent être des nombres positifs ou nuls.")
    total = w.sum()
    if total <= 0:
        raise RankingError("Au moins un critère doit avoir un poids non nul.")
    return w / total


def weighted_sum(scores: NDArray[np.float64], weights: NDArray[np.float64]) -> NDArray[np.float64]:
    s = np.asarray(scores, dtype=np.float64)
    w = normalise(weights)
    if s.ndim != 2 or s.shape[1] != w.shape[0]:
        raise RankingError("Il faut une note par critère pour chaque projet.")
    return s @ w


def rank_order(totals: NDArray[np.float64]) -> NDArray[np.intp]:
    """Row indices from best to worst; a stable sort keeps equal totals in row order."""
    return np.argsort(-np.round(totals, 12), kind="stable")


def top(totals: NDArray[np.float64], k: int) -> list[int]:
    return [int(i) for i in rank_order(totals)[:k]]


@dataclass(frozen=True)
class WeightChange:
    criterion: int
    factor: float  # 0.5 or 1.5
    top: list[int]  # the top k after the change (row indices)
    entered: list[int]
    left: list[int]


def one_at_a_time(
    scores: NDArray[np.float64], weights: NDArray[np.float64], *, k: int = 10, step: float = 0.5
) -> tuple[list[int], list[WeightChange]]:
    """Each weight multiplied by 1 - step, then 1 + step, the others unchanged (then all
    normalised again): how the top ``k`` moves."""
    w = normalise(weights)
    base = top(weighted_sum(scores, w), k)
    changes = []
    for j in range(w.shape[0]):
        for factor in (1 - step, 1 + step):
            changed = w.copy()
            changed[j] *= factor
            if changed.sum() <= 0:
                continue
            new_top = top(weighted_sum(scores, changed), k)
            changes.append(
                WeightChange(
                    criterion=j,
                    factor=factor,
                    top=new_top,
                    entered=[i for i in new_top if i not in base],
                    left=[i for i in base if i not in new_top],
                )
            )
    return base, changes


def monte_carlo_top_k(
    scores: NDArray[np.float64],
    weights: NDArray[np.float64],
    *,
    k: int = 10,
    draws: int = 1000,
    concentration: float = 50.0,
    seed: int = 2038,
    chunk: int = 100,
) -> NDArray[np.float64]:
    """Each project's probability of being in the top ``k`` when the weights are drawn from a
    Dirichlet distribution centred on the chosen ones (``concentration`` sets how far they
    wander: 50 moves a weight of 0.125 by about ±0.05). Seeded: the same inputs give the same
    figures. Criteria of weight 0 stay at 0."""
    s = np.asarray(scores, dtype=np.float64)
    w = normalise(weights)
    n = s.shape[0]
    counts = np.zeros(n, dtype=np.int64)
    if n == 0:
        return counts.astype(np.float64)
    k = min(k, n)
    rng = np.random.default_rng(seed)
    active = w > 0
    alpha = w[active] * concentration
    done = 0
    while done < draws:
        size = min(chunk, draws - done)
        drawn = np.zeros((size, w.shape[0]))
        drawn[:, active] = rng.dirichlet(alpha, size=size)
        totals = drawn @ s.T  # size × n: each draw's row contiguous for the partition
        if k < n:
            best = np.argpartition(-totals, k - 1, axis=1)[:, :k]
        else:
            best = np.tile(np.arange(n), (size, 1))
        counts += np.bincount(best.ravel(), minlength=n)
        done += size
    return counts / draws


@dataclass(frozen=True)
class PairwiseWeights:
    weights: NDArray[np.float64]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float

    @property
    def is_consistent(self) -> bool:
        """Saaty's rule of thumb: a ratio under 10 % is acceptable."""
        return self.consistency_ratio < 0.10


def ahp_weights(matrix: NDArray[np.float64] | list[list[float]]) -> PairwiseWeights:
    """Weights from a reciprocal matrix of pairwise comparisons (``a[i][j]`` = how much more
    criterion i matters than j, 1/9 to 9): the principal eigenvector, with Saaty's consistency
    index ``(λmax - n) / (n - 1)`` and ratio ``CI / RI(n)``."""
    a = np.asarray(matrix, dtype=np.float64)
    n = a.shape[0]
    if a.ndim != 2 or a.shape != (n, n) or n < 2 or n >= len(RANDOM_INDEX):
        raise RankingError("La matrice des comparaisons doit être carrée (2 à 10 critères).")
    if not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise RankingError("Les comparaisons doivent être des nombres strictement positifs.")
    if not np.allclose(a * a.T, 1.0, rtol=1e-6):
        raise RankingError("La matrice doit être réciproque : a[j][i] = 1 / a[i][j].")
    values, vectors = np.linalg.eig(a)
    index = int(np.argmax(values.real))
    lambda_max = float(values[index].real)
    vector = np.abs(vectors[:, index].real)
    weights = vector / vector.sum()
    ci = (lambda_max - n) / (n - 1)
    ri = RANDOM_INDEX[n]
    cr = ci / ri if ri else 0.0
    return PairwiseWeights(
        weights=weights,
        lambda_max=lambda_max,
        consistency_index=max(ci, 0.0),
        consistency_ratio=max(cr, 0.0),
    )
