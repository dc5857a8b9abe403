"""MAXIMIN: the distribution that maximises the smallest selection probability, and nothing
more (the first stage of :mod:`~turbine.cooperation.sortition.leximin`). Many distributions
reach that minimum; the one returned is any of them over the panels found, and may leave some
volunteers far above the others, which LEXIMIN avoids."""

from __future__ import annotations

import time

import numpy as np

from turbine.cooperation.sortition.distribution import Distribution, clean
from turbine.cooperation.sortition.leximin import column_generation, final_weights
from turbine.cooperation.sortition.quotas import Pool


def maximin(pool: Pool, size: int) -> Distribution:
    started = time.perf_counter()
    panels, _fixed, info = column_generation(pool, size, stages=1)
    weights = final_weights(pool, panels, np.full(len(pool.profiles), np.nan))
    info["seconds"] = time.perf_counter() - started
    return clean(pool, size, "maximin", panels, weights, **info)
