"""Compiled inner loops of :func:`~turbine.budget.engine.mes.mes_selection_float` (Numba).

Each round of a float MES run evaluates a candidate or two over their supporters and pays the
winner's; done with NumPy, that is a few dozen calls on arrays of a few hundred to a few
thousand groups, each call costing more in its own overhead than in its arithmetic.  These
functions do the same arithmetic in one loop each.  Sums are taken in order, one term after
the other: the error bounds of ``mes.py`` are those of *any* order of summation (a sum of
``n`` terms is off by at most ``(n - 1) * _ULP`` times the sum of magnitudes), so every
decision certified with them stays certified.  Compiled on first use and cached on disk beside
this file (``__pycache__``), so only the very first tally of a fresh installation pays the
compilation (a few seconds).

Status codes returned by :func:`evaluate`: :data:`UNAFFORDABLE` (the supporters cannot pay the
project, for sure), :data:`AMBIGUOUS` (the bounds cannot decide: the caller raises
``Ambiguous``), :data:`NOBODY_SHORT` (no supporter is short of money, for sure), :data:`PRICED`
(the float price and its bounds were computed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numba import njit

ULP = 2.0**-52
UNAFFORDABLE = 0
AMBIGUOUS = 1
NOBODY_SHORT = 2
PRICED = 3


def _compiled(function: Callable[..., Any]) -> Any:
    """``function`` compiled on first call, cached on disk where a cache directory is writable
    (beside this file, else the user's cache), else compiled in memory at each start."""
    try:
        return njit(cache=True, nogil=True)(function)
    except RuntimeError:  # Numba found no writable cache location
        return njit(nogil=True)(function)


@_compiled
def evaluate(
    g: np.ndarray,
    w: np.ndarray,
    s: np.ndarray,
    ws: np.ndarray,
    bud: np.ndarray,
    c: float,
    tws: float,
    rho_start: float,
    rho0: float,
    emax: float,
    e_tot: float,
    test_low: bool,
    approval: bool,
    eps: float,
) -> tuple[int, float, float, float, float, float, int]:
    """One candidate's float affordability over the budgets ``bud``.

    Returns ``(status, rho_p, new, a, d, lower_p, n_poor)``: the price ``rho_p`` reached by the
    steps from ``rho_start``, the last step's ``new = (c - a) / d`` (``a``: the poor supporters'
    money, ``d``: the rich ones' satisfaction, of the split ``r < new``), the lower bound
    ``lower_p`` of the exact price and how many groups that split has poor."""
    n = g.shape[0]
    b = np.empty(n)
    avail = 0.0
    for i in range(n):
        b[i] = bud[g[i]]
        avail += w[i] * b[i]
    slack = e_tot + (avail + c) * (n + 4) * ULP
    if avail + slack < c:
        return UNAFFORDABLE, 0.0, 0.0, 0.0, 0.0, 0.0, 0
    if avail - slack < c:
        return AMBIGUOUS, 0.0, 0.0, 0.0, 0.0, 0.0, 0
    r = np.empty(n)
    for i in range(n):
        r[i] = b[i] if approval else b[i] / s[i]
    if test_low:
        # Lowest exact budget / satisfaction among the supporters, bounded from below.
        low = np.inf
        for i in range(n):
            x = b[i] - emax if approval else (b[i] - emax) / s[i]
            low = min(low, x)
        if low > rho0 * (1 + eps):
            return NOBODY_SHORT, 0.0, 0.0, 0.0, 0.0, 0.0, 0
    rho_p = rho_start
    split = rho_start  # the poor are the groups with r < split
    n_poor = 0
    for i in range(n):
        if r[i] < split:
            n_poor += 1
    new = rho_p
    a = d = 0.0
    converged = False
    for _ in range(100):
        a = 0.0
        poor_ws = 0.0
        for i in range(n):
            if r[i] < split:
                a += w[i] * b[i]
                poor_ws += ws[i]
        d = tws - poor_ws
        if d <= 0:
            return AMBIGUOUS, 0.0, 0.0, 0.0, 0.0, 0.0, 0
        new = (c - a) / d
        n_new = 0
        for i in range(n):
            if r[i] < new:
                n_new += 1
        rho_p = max(new, rho_p)
        split = new
        if n_new == n_poor:
            converged = True
            break
        n_poor = n_new
    if not converged:
        return AMBIGUOUS, 0.0, 0.0, 0.0, 0.0, 0.0, 0
    # Left slope of the float payment function at rho_p: supporters with r >= rho_p (the last
    # split's when the steps ended on it, as they usually do).
    if rho_p == new:
        d_left = d
    else:
        poor_ws = 0.0
        for i in range(n):
            if r[i] < rho_p:
                poor_ws += ws[i]
        d_left = tws - poor_ws
    if d_left <= 0:
        return AMBIGUOUS, 0.0, 0.0, 0.0, 0.0, 0.0, 0
    lower_p = rho_p - (e_tot + (avail + c) * (n + 8) * ULP) / d_left
    lower_p -= rho_p * eps
    return PRICED, rho_p, new, a, d, lower_p, n_poor


@_compiled
def price_error(
    g: np.ndarray,
    w: np.ndarray,
    s: np.ndarray,
    bud: np.ndarray,
    ev: np.ndarray,
    rho_p: float,
    a: float,
    d: float,
    c: float,
    emax: float,
    eps: float,
    approval: bool,
) -> float:
    """Bound ``dr`` on the error of the winner's price ``rho_p = (c - a) / d`` (the price of
    the split ``r < rho_p``), or -1.0 when that split may not be the exact one."""
    n = g.shape[0]
    poor_we = 0.0
    for i in range(n):
        b = bud[g[i]]
        r = b if approval else b / s[i]
        if r < rho_p:
            poor_we += w[i] * ev[g[i]]
    dr = (poor_we + (c + a) * (n + 8) * ULP) / d
    dr += rho_p * eps
    # dr: error of the price; emax: of any budget; the last term: roundings of the comparisons
    # r > rho_p - margin themselves (a few operations on these magnitudes).
    margin = dr + emax + 16 * ULP * (abs(rho_p) + dr + emax)
    near = False
    for i in range(n):
        b = bud[g[i]]
        r = b if approval else b / s[i]
        if r > rho_p - margin and r < rho_p + margin:
            near = True
            break
    if near:
        # The thorough check, group by group, with each group's own error.
        for i in range(n):
            b = bud[g[i]]
            e = ev[g[i]]
            r = b if approval else b / s[i]
            lo_pay = (rho_p - dr) * s[i]
            hi_pay = (rho_p + dr) * s[i]
            tiny = 4 * ULP * (abs(b) + e + hi_pay)
            ok = b + e < lo_pay - tiny if r < rho_p else b - e > hi_pay + tiny
            if not ok:
                return -1.0
    return dr


@_compiled
def pay(
    g: np.ndarray,
    s: np.ndarray,
    bud: np.ndarray,
    ev: np.ndarray,
    rho_p: float,
    dr: float,
    ulp_b: float,
    approval: bool,
    zero_poor: bool,
) -> float:
    """The winner's supporters pay ``rho_p`` per unit of satisfaction (all they have if short
    of money, ``zero_poor``): new budgets and error bounds in ``bud`` and ``ev``; returns the
    largest new error bound among them."""
    n = g.shape[0]
    largest = 0.0
    for i in range(n):
        k = g[i]
        b = bud[k]
        e = ev[k]
        if approval:
            nb = b - rho_p
            ne = e + (dr + 2 * ulp_b)
            poor = b < rho_p
        else:
            nb = b - rho_p * s[i]
            ne = e + s[i] * dr + 2 * ulp_b
            poor = b / s[i] < rho_p
        if zero_poor and poor:
            nb = 0.0
            ne = 0.0
        bud[k] = nb
        ev[k] = ne
        largest = max(largest, ne)
    return largest
