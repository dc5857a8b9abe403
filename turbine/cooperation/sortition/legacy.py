"""LEGACY: the greedy method the Sortition Foundation used before LEXIMIN, for comparison.

One person at a time, it picks the quota value whose minimum is the hardest to reach (the
largest ratio of places still needed to volunteers still available), then a volunteer with that
value uniformly at random; volunteers whose selection would break a maximum are set aside. A run
that gets stuck starts again. Its selection probabilities have no closed form: they are
estimated from many runs (:func:`legacy`), which are also the lottery the panel is drawn from.
"""

from __future__ import annotations

import time

import numpy as np

from turbine.cooperation.sortition.distribution import Distribution, clean
from turbine.cooperation.sortition.errors import SortitionError
from turbine.cooperation.sortition.feasibility import check
from turbine.cooperation.sortition.quotas import Pool

ATTEMPTS = 100


def legacy_panel(pool: Pool, size: int, rng: np.random.Generator) -> np.ndarray:
    """One greedy panel (counts per profile)."""
    quotas = pool.quotas.all()
    lows = np.array([q.min for q in quotas])
    highs = np.array([q.max for q in quotas])
    incidence = pool.incidence.astype(bool)
    for _attempt in range(ATTEMPTS):
        available = pool.sizes.astype(float).copy()
        counts = np.zeros(len(pool.profiles), dtype=np.int64)
        selected = np.zeros(len(quotas))
        while counts.sum() < size:
            remaining = incidence @ available
            needed = lows - selected
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(needed > 0, needed / remaining, -np.inf)
            if np.isfinite(ratio).any():
                row = int(np.argmax(ratio))
                if ratio[row] > 1 or remaining[row] == 0:
                    break
                chances = available * incidence[row]
            else:
                chances = available
            if chances.sum() == 0:
                break
            profile = int(rng.choice(len(chances), p=chances / chances.sum()))
            counts[profile] += 1
            available[profile] -= 1
            selected += incidence[:, profile]
            full = selected >= highs
            available[incidence[full].any(axis=0)] = 0
        if counts.sum() == size and (selected >= lows).all() and (selected <= highs).all():
            return counts
    raise SortitionError(
        f"la méthode gloutonne n'a pas trouvé de panel respectant les quotas en {ATTEMPTS} "
        "essais ; essayez LEXIMIN."
    )


def legacy(pool: Pool, size: int, *, runs: int = 1000) -> Distribution:
    """The empirical distribution of ``runs`` greedy panels (each of weight 1/``runs``),
    from a fixed random generator so that it can be recomputed."""
    started = time.perf_counter()
    check(pool, size)
    rng = np.random.default_rng(0)
    panels = [legacy_panel(pool, size, rng) for _ in range(runs)]
    return clean(
        pool,
        size,
        "legacy",
        panels,
        np.full(runs, 1.0 / runs),
        runs=runs,
        seconds=time.perf_counter() - started,
    )
