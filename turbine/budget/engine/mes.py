"""Method of equal shares, as ``pabutools.rules.method_of_equal_shares`` (1.2.3).

Every voter starts with the same budget ``b0`` (``budget / number of ballots``, empty ballots
included).  In each round, for every remaining project ``j`` the affordability ``rho_j`` is the
smallest factor such that the supporters, each paying ``min(own budget, rho_j * satisfaction)``,
gather the project's cost; a project whose supporters' budgets together cannot pay for it is
discarded.  The project with the smallest ``rho`` is funded (ties: smallest project id as a
string, pabutools' lexicographic tie-breaking) and its supporters pay.  The run stops when no
project is affordable.  Satisfactions are ``Cost_Sat`` (approval) / ``Additive_Cardinal_Sat``
(points), see :mod:`turbine.budget.engine.compiled`.  Zero-cost projects that somebody supports
are selected up front (pabutools does so; with approval ballots their ``Cost_Sat`` is 0, so they
are never MES candidates and are left to the completion).

Arithmetic (why the result is exactly pabutools')
-------------------------------------------------
pabutools computes everything with exact rationals (gmpy2 ``mpq``), which is what makes it slow.
Two engines here give its results exactly:

:func:`run_mes_fast` (used first, for every run)
    Float64 is used only to *choose*, exact rationals to *decide*.  The price ``rho'`` of every
    funded project is computed exactly (``gmpy2.mpq`` when available, else
    ``fractions.Fraction``).  A group of identical ballots that never had to give all it had
    has the exact budget ``b0 - sum(rho'_r * s_r)`` over the rounds it supported, any other
    has 0, so every exact sum needed is ``b0 * W - sum(rho'_r * C_r)`` with integer ``C_r``
    computed by NumPy.  The float copy of the budgets gets one rounding per round, with a
    tracked absolute error bound and no feedback.  Float affordabilities (Newton steps on the
    concave, piecewise-linear payment function, from a stored lower bound) come with a
    relative error bound; every project whose float affordability is within its bound (x4,
    plus 1e-12) of the best one is recomputed exactly, and the winner is the exact minimum
    with the id tie-break.  Which supporters pay all they have is decided in float only
    outside an error band, exactly inside it, and the float split is checked exactly on its
    extreme members.  An affordability check within its error bound of the cost, or any
    other decision that floats cannot certify, raises :class:`Ambiguous`.
:func:`mes_selection_float` (intermediate runs of ``mes-completed``, selection only)
    Everything in float64, each group's budget with its own error bound; decisions are taken
    only when the bounds certify them (see the function), else :class:`Ambiguous` and the
    caller uses :func:`run_mes_auto`.  Paying moves the poor payers' error onto the rich ones
    instead of multiplying it, so the bounds stay near the rounding level over a whole run.
:func:`run_mes` (fallback when the fast engine raises :class:`Ambiguous`)
    All budgets exact, kept per *budget class* (groups whose budgets are equal share a class,
    a payment maps a class to a new one); floats are only the rounding of exact values and
    only pick candidates, as above, with a 1e-9 margin; decisions are exact.

So two projects whose affordabilities differ by less than any float precision are still
ordered as pabutools orders them, and real ties are real ties (broken on the id string).
Both engines use, as pabutools does, a lower bound of each project's affordability
(affordabilities only grow during a run), so a round stops examining projects as soon as the
bound exceeds the best affordability found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from turbine.budget.engine import _kernels
from turbine.budget.engine.compiled import CompiledElection, FloatArray, IntArray, Q

# Tolerances.  _ULP is float64's relative rounding unit (2**-52: one operation on values of
# magnitude x is off by at most x * _ULP / 2).  A sum of n terms is off by at most
# (n - 1) * _ULP times the sum of magnitudes, so every bound below of the form
# (magnitudes) * (n + k) * _ULP is that of a sum of n terms plus k further operations.
# _DELTA (1e-9) is not an error bound but a band, far wider than any rounding of these
# computations (costs below 2**53 / 1e9 currency units, a few thousand terms: < 1e-12
# relative): inside it floats only choose and exact rationals decide, so being wider than
# needed costs time, never correctness.
_DELTA = 1e-9  # relative band around float values inside which exact arithmetic decides
_ULP = 2.0**-52


@dataclass(frozen=True, slots=True)
class MesRound:
    """One funding decision of a MES run.

    ``rho`` is pabutools' affordability factor (exact); each supporter paid
    ``min(budget, rho * satisfaction)``.  ``supporters`` counts the voters with a positive
    satisfaction, ``payers`` those who paid something (a voter with nothing left pays nothing),
    ``exhausted`` those who had to give all they had left (the "poor" supporters); ``paid`` is the
    total paid, i.e. the cost.
    """

    project: int
    round: int
    rho: Q
    price: Q
    supporters: int
    payers: int
    exhausted: int
    paid: Q


@dataclass(slots=True)
class MesRun:
    """Outcome of one MES run with a given initial budget per voter.

    ``selected`` lists project indices in selection order (zero-cost preselected ones first,
    in file order).  ``cls``/``class_val`` is the final budget state, kept to explain why the
    projects that were not funded could not be (see :meth:`remaining_budget`).
    """

    per_voter_budget: Q
    selected: list[int]
    preselected: list[int]
    rounds: list[MesRound]
    cls: IntArray | None = None
    class_val: list[Q] | None = None
    discarded: set[int] = field(default_factory=set)
    remaining: Callable[[int], Q] | None = None

    def remaining_budget(self, compiled: CompiledElection, j: int) -> Q:
        """Exact total budget left, at the end of the run, to the supporters of project ``j``."""
        if self.remaining is not None:
            return self.remaining(j)
        assert self.cls is not None and self.class_val is not None
        g = compiled.sup_g[j]
        if len(g) == 0:
            return Q(0)
        cls = self.cls[g]
        uniq, inv = np.unique(cls, return_inverse=True)
        weights = np.bincount(inv, weights=compiled.sup_wf[j]).astype(np.int64)
        total = Q(0)
        for k, w in zip(uniq.tolist(), weights.tolist(), strict=True):
            v = self.class_val[k]
            if v:
                total += v * w
        return total


def mes_candidates(compiled: CompiledElection) -> tuple[list[int], list[int]]:
    """Split projects as pabutools does: (MES candidates, zero-cost projects selected upfront).

    Candidates have a positive cost and at least one supporter; zero-cost projects with a
    supporter (only possible with points: ``Cost_Sat`` of a free project is 0) are preselected.
    """
    split = compiled.mes_split
    if split is None:  # computed once per compiled election (mes-completed asks ~200 times)
        candidates, free = [], []
        supporters = compiled.supporters.tolist()
        for j in range(len(compiled.ids)):
            if supporters[j] > 0:
                if compiled.costs[j] > 0:
                    candidates.append(j)
                elif not compiled.is_approval:
                    free.append(j)
        split = compiled.mes_split = (tuple(candidates), tuple(free))
    return list(split[0]), list(split[1])


class _MesEngine:
    """State of one MES run (budgets per class, lower bounds) and its exact/float kernels."""

    def __init__(self, compiled: CompiledElection, per_voter_budget: Q) -> None:
        self.cp = compiled
        n_groups = len(compiled.group_weights)
        # Class 0 is the empty purse; class 1 the initial budget.
        self.class_val: list[Q] = [Q(0), per_voter_budget]
        self.class_f: FloatArray = np.zeros(max(16, 2 * n_groups + 2), dtype=np.float64)
        self.class_f[1] = float(per_voter_budget)
        self.n_classes = 2
        self.cls: IntArray = np.ones(n_groups, dtype=np.int64)
        self.smax = max((int(s.max()) for s in compiled.sup_s if len(s)), default=1)
        self.factor_f = [float(f) for f in compiled.rho_factor]

    # -- classes ---------------------------------------------------------------------------

    def _new_class(self, value: Q) -> int:
        if self.n_classes == len(self.class_f):
            grown = np.zeros(2 * len(self.class_f), dtype=np.float64)
            grown[: self.n_classes] = self.class_f[: self.n_classes]
            self.class_f = grown
        k = self.n_classes
        self.class_val.append(value)
        self.class_f[k] = float(value)
        self.n_classes += 1
        return k

    # -- float kernel ----------------------------------------------------------------------

    def float_rho(self, j: int) -> tuple[float, float] | None:
        """Float affordability of ``j`` (pabutools scale) and its relative error bound.

        Returns ``None`` when the supporters cannot afford the project (decided exactly when
        the float margin is thin).
        """
        cp = self.cp
        g = cp.sup_g[j]
        w = cp.sup_wf[j]
        s = cp.sup_sf[j]
        b = self.class_f[self.cls[g]]
        wb = w * b
        c = cp.costs_f[j]
        avail = float(wb.sum())
        n = len(g)
        if avail < c * (1 - _DELTA) and c - avail > c * n * 4 * _ULP:
            return None
        if avail <= c * (1 + _DELTA) + c * n * 4 * _ULP and self.exact_available(j) < cp.costs_q[j]:
            return None
        ws = w * s
        total_ws = float(ws.sum())
        r = b / s
        rho0 = c / total_ws
        if float(r.min()) >= rho0:  # nobody is short of money: rho = cost / total satisfaction
            return rho0 * self.factor_f[j], 8 * _ULP + _DELTA
        order = np.argsort(r, kind="stable")
        rs = r[order]
        wbs = wb[order]
        csum = np.cumsum(wbs)
        excl = np.empty_like(csum)
        excl[0] = 0.0
        excl[1:] = csum[:-1]
        den = total_ws - np.concatenate(([0.0], np.cumsum(ws[order])[:-1]))
        with np.errstate(divide="ignore", invalid="ignore"):
            rho = (c - excl) / den
        ok = rho <= rs
        k = int(np.argmax(ok))
        if not ok[k]:  # affordable only at the very edge: the richest supporter's ratio
            k = n - 1
            value = float(rs[k])
        else:
            value = float(rho[k])
        num = c - float(excl[k])
        tol = _DELTA + ((c + float(excl[k])) * (k + 4) * _ULP / num if num > 0 else 1.0)
        return value * self.factor_f[j], tol

    # -- exact kernel ----------------------------------------------------------------------

    def _entries(self, j: int) -> tuple[IntArray, IntArray, IntArray, IntArray]:
        """Supporters of ``j`` aggregated by (budget class, satisfaction).

        Returns (class per entry, satisfaction per entry, weight per entry, entry of each
        supporter group).
        """
        cp = self.cp
        cls = self.cls[cp.sup_g[j]]
        key = cls if cp.is_approval else cls * (self.smax + 1) + cp.sup_s[j]
        uniq, inv = np.unique(key, return_inverse=True)
        weights = np.bincount(inv, weights=cp.sup_wf[j]).astype(np.int64)
        if cp.is_approval:
            return uniq, np.ones_like(uniq), weights, inv
        return uniq // (self.smax + 1), uniq % (self.smax + 1), weights, inv

    def exact_available(self, j: int) -> Q:
        """Exact total budget of the supporters of ``j``."""
        ek, _, ew, _ = self._entries(j)
        total = Q(0)
        for k, w in zip(ek.tolist(), ew.tolist(), strict=True):
            v = self.class_val[k]
            if v:
                total += v * w
        return total

    def exact_rho(self, j: int, rho_hint: float) -> tuple[Q, np.ndarray, tuple]:
        """Exact ``rho'`` (price per unit of satisfaction) of an affordable project ``j``.

        ``rho_hint`` is the float estimate (``rho'`` scale): entries clearly below/above it are
        classified poor/rich in float, the others exactly; the split is then verified exactly
        and, should the estimate have been wrong, everything is redone exactly.  Returns
        ``rho'``, the boolean "poor" mask over entries, and the entries.
        """
        ek, es, ew, inv = self._entries(j)
        vf = self.class_f[ek]
        ratio = vf / es
        lo, hi = rho_hint * (1 - 16 * _DELTA), rho_hint * (1 + 16 * _DELTA)
        poor_def = ratio < lo
        rich_def = ratio > hi
        result = self._solve(j, ek, es, ew, poor_def, rich_def)
        if result is None:
            none = np.zeros(len(ek), dtype=bool)
            result = self._solve(j, ek, es, ew, none, none)
            assert result is not None
        rho, poor = result
        return rho, poor, (ek, es, ew, inv)

    def _solve(
        self,
        j: int,
        ek: IntArray,
        es: IntArray,
        ew: IntArray,
        poor_def: np.ndarray,
        rich_def: np.ndarray,
    ) -> tuple[Q, np.ndarray] | None:
        """pabutools' scan over the undecided entries, in exact arithmetic.

        Returns ``None`` if the float pre-classification turns out inconsistent.
        """
        vals = self.class_val
        contrib = Q(0)
        for k, w in zip(ek[poor_def].tolist(), ew[poor_def].tolist(), strict=True):
            v = vals[k]
            if v:
                contrib += v * w
        undecided = np.flatnonzero(~poor_def & ~rich_def)
        denom = int((ew[~poor_def] * es[~poor_def]).sum())
        # Exact sort of the undecided entries by budget / satisfaction.
        und = sorted(
            ((vals[int(ek[i])] / int(es[i]), int(i)) for i in undecided), key=lambda t: t[0]
        )
        cost = self.cp.costs_q[j]
        poor = poor_def.copy()
        rho = None
        for ratio, i in und:
            cand = (cost - contrib) / denom
            if cand <= ratio:
                rho = cand
                break
            contrib += vals[int(ek[i])] * int(ew[i])
            denom -= int(ew[i]) * int(es[i])
            poor[i] = True
        if rho is None:
            if denom <= 0:
                return None
            rho = (cost - contrib) / denom
        # Verify the float classification against the exact value.
        if poor_def.any():
            idx = np.flatnonzero(poor_def)
            top = idx[int(np.argmax(self.class_f[ek[idx]] / es[idx]))]
            if vals[int(ek[top])] > rho * int(es[top]):
                return None
        if rich_def.any():
            idx = np.flatnonzero(rich_def)
            bottom = idx[int(np.argmin(self.class_f[ek[idx]] / es[idx]))]
            if vals[int(ek[bottom])] < rho * int(es[bottom]):
                return None
        if rho <= 0:
            return None
        return rho, poor

    def pay(self, j: int, rho: Q, poor: np.ndarray, entries: tuple) -> tuple[int, int]:
        """Supporters of ``j`` pay ``min(budget, rho' * s)``; returns (payers, exhausted)."""
        ek, es, ew, inv = entries
        vals = self.class_val
        new_cls = np.zeros(len(ek), dtype=np.int64)
        payers = exhausted = 0
        for i, (k, s, w) in enumerate(zip(ek.tolist(), es.tolist(), ew.tolist(), strict=True)):
            v = vals[k]
            if not v:
                continue  # empty purse: stays in class 0, pays nothing
            payers += w
            if poor[i]:
                exhausted += w
                continue  # pays everything: class 0
            left = v - rho * s
            if left <= 0:
                exhausted += w
                continue
            new_cls[i] = self._new_class(left)
        self.cls[self.cp.sup_g[j]] = new_cls[inv]
        return payers, exhausted


def run_mes(compiled: CompiledElection, per_voter_budget: Q) -> MesRun:
    """One run of MES with the given initial budget per voter (no completion)."""
    cp = compiled
    candidates, free = mes_candidates(cp)
    engine = _MesEngine(cp, per_voter_budget)
    lb = np.full(len(cp.ids), np.inf)
    for j in candidates:
        # cost / total satisfaction: a lower bound of rho all along the run.
        total_ws = float((cp.sup_wf[j] * cp.sup_sf[j]).sum())
        lb[j] = cp.costs_f[j] / total_ws * engine.factor_f[j] * (1 - _DELTA)
    active = list(candidates)
    selected = list(free)
    rounds: list[MesRound] = []
    discarded: set[int] = set()
    ids = cp.ids
    while active:
        act = np.asarray(active, dtype=np.int64)
        order = act[np.argsort(lb[act], kind="stable")]
        best_hi = np.inf
        cands: list[tuple[int, float, float]] = []
        gone: list[int] = []
        for j in order.tolist():
            if lb[j] > best_hi:
                break
            res = engine.float_rho(j)
            if res is None:
                gone.append(j)
                continue
            rho_f, tol = res
            lb[j] = rho_f * (1 - tol)
            cands.append((j, rho_f, tol))
            best_hi = min(best_hi, rho_f * (1 + tol))
        if gone:
            discarded.update(gone)
            active = [j for j in active if j not in discarded]
        if not cands:
            break
        near = [(j, rho_f) for j, rho_f, tol in cands if rho_f * (1 - tol) <= best_hi]
        best: tuple | None = None
        for j, rho_f in near:
            rho_p, poor, entries = engine.exact_rho(j, rho_f / engine.factor_f[j])
            rho = rho_p * cp.rho_factor[j]
            if best is None or (rho, ids[j]) < (best[1], ids[best[0]]):
                best = (j, rho, rho_p, poor, entries)
        assert best is not None
        j, rho, rho_p, poor, entries = best
        payers, exhausted = engine.pay(j, rho_p, poor, entries)
        selected.append(j)
        active.remove(j)
        rounds.append(
            MesRound(
                project=j,
                round=len(rounds) + 1,
                rho=rho,
                price=rho_p,
                supporters=int(cp.supporters[j]),
                payers=payers,
                exhausted=exhausted,
                paid=cp.costs_q[j],
            )
        )
    return MesRun(
        per_voter_budget=per_voter_budget,
        selected=selected,
        preselected=list(free),
        rounds=rounds,
        cls=engine.cls,
        class_val=engine.class_val,
        discarded=discarded,
    )


class Ambiguous(Exception):
    """Raised by the fast path when a decision is too close to call in float64."""


def run_mes_fast(compiled: CompiledElection, per_voter_budget: Q) -> MesRun:
    """One MES run (same result as :func:`run_mes`), without budget classes.

    A group that never had to give all it had ("alive") has the exact budget
    ``b0 - sum(rho'_r * s_r)`` over the rounds ``r`` it supported, where the ``rho'_r`` are
    kept exact; other groups have 0.  So the exact sums the exact affordability needs are
    ``b0 * W - sum(rho'_r * C_r)`` with integer ``C_r`` computed by NumPy, and the float copy of
    the budgets only accumulates one rounding per round (bound ``err``, no feedback).  Float
    affordabilities are computed by Newton steps from the stored lower bound (the supporters'
    contribution is concave and piecewise linear in ``rho``, so the steps climb to the root
    and stop at it).  Winners and near-ties are computed exactly; a decision too close to call
    in float (affordability within the error bound of the cost) raises :class:`Ambiguous`, and
    the caller then runs :func:`run_mes`.
    """
    cp = compiled
    candidates, free = mes_candidates(cp)
    n_groups = len(cp.group_weights)
    b0 = float(per_voter_budget)
    ulp_b = abs(b0) * _ULP
    bud = np.full(n_groups, b0)
    alive = np.ones(n_groups, dtype=bool)
    err = ulp_b
    factor = [float(f) for f in cp.rho_factor]
    tws_int = cp.total_sat_int
    tws_f = cp.total_sat_f
    lb = np.full(len(cp.ids), np.inf)
    for j in candidates:
        # cost / total satisfaction is a lower bound of rho all along the run; its float value
        # has three roundings (< 2e-16 relative), so lowering it by 1e-12 keeps it below.
        lb[j] = cp.costs_f[j] / tws_int[j] * factor[j] * (1 - 1e-12)
    capacity = max(4, min(len(candidates), 16))
    # s of each group, per round (rows: rounds).  Float64 so that the weighted sums are BLAS
    # products: they are sums of integers below 2**53, hence exact (checked below).
    paid_s = np.zeros((capacity, n_groups), dtype=np.float64)
    blas_exact = max(tws_int, default=0) < 2**52
    prices: list[Q] = []
    active = list(candidates)
    selected = list(free)
    rounds: list[MesRound] = []
    ids = cp.ids

    def exact_budgets(groups: IntArray) -> list[Q]:
        rows = paid_s[: len(prices), groups].T.astype(np.int64).tolist()
        out = []
        for g, row in zip(groups.tolist(), rows, strict=True):
            if not alive[g]:
                out.append(Q(0))
                continue
            v = per_voter_budget
            for price, k in zip(prices, row, strict=True):
                if k:
                    v -= price * k
            out.append(v)
        return out

    def exact_sum(groups: IntArray, weights: IntArray) -> Q:
        """Exact total budget of the given alive groups (with weights)."""
        if len(groups) == 0:
            return Q(0)
        block = paid_s[: len(prices), groups]
        if blas_exact:
            coeffs = (block @ weights.astype(np.float64)).astype(np.int64).tolist()
        else:
            coeffs = (block.astype(np.int64) * weights[None, :]).sum(axis=1).tolist()
        total = per_voter_budget * int(weights.sum())
        for price, k in zip(prices, coeffs, strict=True):
            if k:
                total -= price * k
        return total

    def remaining(j: int) -> Q:
        g = cp.sup_g[j]
        keep = alive[g]
        return exact_sum(g[keep], cp.sup_w[j][keep])

    def exact_rho(j: int, rho_hint: float) -> tuple[Q, np.ndarray]:
        g = cp.sup_g[j]
        s = cp.sup_s[j]
        w = cp.sup_w[j]
        b = bud[g]
        # rho_hint is within its certified relative bound (well under _DELTA) of rho', and each
        # float budget within err of the exact one: outside this band the poor/rich side of a
        # supporter is certain; inside, its exact budget decides (the split is re-checked).
        band = rho_hint * _DELTA + 4 * err
        poor_def = b < rho_hint * s - band * s
        rich_def = b > rho_hint * s + band * s
        und = np.flatnonzero(~poor_def & ~rich_def)
        pa = poor_def & alive[g]
        contrib = exact_sum(g[pa], w[pa])
        denom = int((w[~poor_def] * s[~poor_def]).sum())
        und_b = exact_budgets(g[und])
        order = sorted(range(len(und)), key=lambda i: und_b[i] / int(s[und[i]]))
        poor = poor_def.copy()
        cost = cp.costs_q[j]
        rho = None
        for i in order:
            k = int(und[i])
            cand = (cost - contrib) / denom
            if cand * int(s[k]) <= und_b[i]:
                rho = cand
                break
            contrib += und_b[i] * int(w[k])
            denom -= int(w[k]) * int(s[k])
            poor[k] = True
        if rho is None:
            if denom <= 0:
                raise Ambiguous
            rho = (cost - contrib) / denom
        # Check the float split against the exact value on its extreme members.
        for mask, pick, ok in (
            (poor_def, np.argmax, lambda v, t: v <= t),
            (rich_def, np.argmin, lambda v, t: v >= t),
        ):
            if mask.any():
                idx = np.flatnonzero(mask)
                k = idx[int(pick(b[idx] / s[idx]))]
                if not ok(exact_budgets(g[k : k + 1])[0], rho * int(s[k])):
                    raise Ambiguous
        return rho, poor

    approval = cp.is_approval

    def evaluate(j: int) -> tuple[float, float, float] | None:
        """(rho', relative error bound, rho on pabutools' scale), None if unaffordable."""
        g = cp.sup_g[j]
        w = cp.sup_wf[j]
        b = bud[g]
        c = cp.costs_f[j]
        n = len(g)
        avail = float(np.dot(w, b))
        slack = float(cp.supporters[j]) * err + (avail + c) * (n + 4) * _ULP
        if avail + slack < c:
            return None
        if avail - slack < c:
            raise Ambiguous
        tws = tws_f[j]
        rho0 = c / tws
        # With approval ballots s = 1: the ratio budget / satisfaction is the budget itself.
        r = b if approval else b / cp.sup_sf[j]
        rho = max(lb[j] / factor[j], rho0)
        poor = r < rho
        n_poor = int(np.count_nonzero(poor))
        if n_poor == 0 and rho == rho0:
            return rho0, 8 * _ULP + 4 * err / float(r.min()), rho0 * factor[j]
        wb = w * b
        ws = w if approval else w * cp.sup_sf[j]
        for _ in range(100):
            a = float(np.dot(wb, poor))
            d = tws - float(np.dot(ws, poor))
            if d <= 0:
                raise Ambiguous
            new = (c - a) / d
            new_poor = r < new
            n_new = int(np.count_nonzero(new_poor))
            rho, poor = max(new, rho), new_poor
            if n_new == n_poor:
                break
            n_poor = n_new
        else:
            raise Ambiguous
        a = float(np.dot(wb, poor))
        num = c - a
        if num <= 0:
            raise Ambiguous
        w_poor = float(np.dot(w, poor))
        tol = (4 * w_poor * err + (c + a) * (n + 8) * _ULP) / num
        return rho, tol, rho * factor[j]

    while active:
        act = np.asarray(active, dtype=np.int64)
        order = act[np.argsort(lb[act], kind="stable")]
        best_hi = np.inf
        cands: list[tuple[int, float, float, float]] = []
        for j in order.tolist():
            if lb[j] > best_hi:
                break
            res = evaluate(j)
            if res is None:
                active.remove(j)
                continue
            rho_p, tol, rho = res
            # Four times the certified bound (the bound itself is a first-order estimate of
            # the Newton step's error), plus 1e-12 for the roundings of rho' * factor.
            t = 4 * tol + 1e-12
            lb[j] = rho * (1 - t)
            cands.append((j, rho_p, rho, t))
            best_hi = min(best_hi, rho * (1 + t))
        if not cands:
            break
        near = [cand for cand in cands if cand[2] * (1 - cand[3]) <= best_hi]
        best: tuple | None = None
        for j, rho_p, _, _ in near:
            rho_e, poor = exact_rho(j, rho_p)
            key = (rho_e * cp.rho_factor[j], ids[j])
            if best is None or key < best[0]:
                best = (key, j, rho_e, poor)
        assert best is not None
        _, j, rho_e, poor = best
        g = cp.sup_g[j]
        s = cp.sup_s[j]
        r_idx = len(prices)
        if r_idx == paid_s.shape[0]:
            grown = np.zeros((2 * r_idx, n_groups), dtype=np.float64)
            grown[:r_idx] = paid_s
            paid_s = grown
        paid_s[r_idx, g] = s
        prices.append(rho_e)
        before = bud[g]
        has_money = alive[g] & (before > 0)
        w = cp.sup_w[j]
        newb = before - float(rho_e) * cp.sup_sf[j]
        dead = poor | (newb <= 0)
        # A rich group whose float budget would go to <= 0 has an exact budget of at most err.
        newb[dead] = 0.0
        bud[g] = newb
        alive[g[poor]] = False
        err = err + 3 * ulp_b
        selected.append(j)
        active.remove(j)
        rounds.append(
            MesRound(
                project=j,
                round=len(rounds) + 1,
                rho=rho_e * cp.rho_factor[j],
                price=rho_e,
                supporters=int(cp.supporters[j]),
                payers=int(w[has_money].sum()),
                exhausted=int(w[has_money & poor].sum()),
                paid=cp.costs_q[j],
            )
        )
    return MesRun(
        per_voter_budget=per_voter_budget,
        selected=selected,
        preselected=list(free),
        rounds=rounds,
        remaining=remaining,
    )


def run_mes_auto(compiled: CompiledElection, per_voter_budget: Q) -> MesRun:
    """:func:`run_mes_fast`, or the all-exact :func:`run_mes` when it cannot decide."""
    try:
        return run_mes_fast(compiled, per_voter_budget)
    except Ambiguous:
        return run_mes(compiled, per_voter_budget)


class DeferredRun:
    """A MES run whose selection is known, and whose exact details are computed when needed.

    The selection comes from :func:`mes_selection_float` (certified) or from an exact run
    (``run``); the rounds' exact affordabilities, payers and what the supporters of unfunded
    projects had left come from one exact run (:func:`run_mes_auto`) done on first access
    only: a tally's selection does not need them, its explanations do.
    """

    __slots__ = ("compiled", "per_voter_budget", "selected", "preselected", "_run")

    def __init__(
        self,
        compiled: CompiledElection,
        per_voter_budget: Q,
        selected: list[int],
        run: MesRun | None = None,
    ) -> None:
        self.compiled = compiled
        self.per_voter_budget = per_voter_budget
        self.selected = selected
        self.preselected = list(mes_candidates(compiled)[1])
        self._run = run

    def exact(self) -> MesRun:
        """The exact run (computed once); its selection is the known one."""
        if self._run is None:
            run = run_mes_auto(self.compiled, self.per_voter_budget)
            if run.selected != self.selected:  # would be a bug of the float engine's bounds
                raise AssertionError("MES: float and exact selections differ")
            self._run = run
        return self._run

    @property
    def rounds_projects(self) -> list[int]:
        """Projects funded by MES rounds, in round order (the selection after free ones)."""
        return self.selected[len(self.preselected) :]


def mes_deferred(compiled: CompiledElection, per_voter_budget: Q) -> DeferredRun:
    """One MES run: selection by the float engine, or by the exact one when it cannot decide."""
    try:
        selected = mes_selection_float(compiled, per_voter_budget)
    except Ambiguous:
        run = run_mes_auto(compiled, per_voter_budget)
        return DeferredRun(compiled, per_voter_budget, run.selected, run)
    return DeferredRun(compiled, per_voter_budget, selected)


@dataclass(slots=True)
class FloatTrace:
    """What a run of :func:`mes_selection_float` knew at each round, for a run with less
    money per voter to start from (see ``borrow``): the winner, the lower bounds of the
    affordabilities and the projects still affordable, after the round's evaluations."""

    winners: list[int] = field(default_factory=list)
    lbs: list[FloatArray] = field(default_factory=list)
    active: list[np.ndarray] = field(default_factory=list)
    """Per round, the boolean mask (over all projects) of the projects still affordable."""


def mes_selection_float(
    compiled: CompiledElection,
    per_voter_budget: Q,
    borrow: FloatTrace | None = None,
    record: FloatTrace | None = None,
    spread: float = 0.0,
) -> list[int]:
    """Projects selected by one MES run, decided in float64 with certified error bounds.

    Budgets are floats, each group with its own bound ``e`` on the distance to its exact
    budget.  A candidate's affordability ``rho`` comes with a rigorous lower bound: the exact
    payment function differs from the float one by at most ``E = sum(w * e)`` over its
    supporters, and the float function, concave, falls at least as fast as its left slope
    ``D`` below the float root, so ``rho_exact >= rho_float - E / D`` (plus rounding).  The
    winner (smallest float ``rho``, then id) is then certified: its poor/rich split must hold
    for every value within ``dr = sum_poor(w * e) / D`` of its float price, which makes the
    price ``(cost - poor budgets) / D`` exactly that of the split, within ``dr``; every other
    candidate's lower bound must exceed the winner's upper bound (or both have, for sure,
    nobody short of money: their affordabilities are then exact ratios, compared exactly).
    Paying moves the poor supporters' error to the rich ones (the total error does not grow
    beyond rounding).  Any decision the bounds cannot certify raises :class:`Ambiguous` and the
    caller runs the exact engine.  Used for the intermediate runs of ``mes-completed``, of
    which only the selection matters.

    ``record`` (an empty :class:`FloatTrace`) is filled with what the run knew at each round;
    ``borrow`` is such a trace of a run with *more* money per voter.  While both runs have
    funded the same projects, every group has at least as much money left in that run as in
    this one (same winners: the richer run's prices are lower, ``max(0, b - rho * s)`` grows
    with ``b`` and falls with ``rho``), so its affordabilities are lower and its unaffordable
    projects unaffordable here too: its lower bounds and exclusions hold here, round by
    round, and spare most evaluations (``mes-completed`` runs MES with ``b0``, ``b0 + 1``...:
    consecutive runs share most of their rounds).  The decisions are still this run's own.

    ``spread``: the selection returned is that of *every* run whose per-voter budget is within
    ``spread`` of ``per_voter_budget`` (each group's error bound starts at ``spread``: the
    decisions certified hold for every budget vector within the bounds).  Small elections
    often give the same selection for dozens of consecutive increments of ``mes-completed``:
    one such run then stands for all of them.

    The loops over a project's supporters (its evaluation, the winner's price error and its
    payment) are compiled (:mod:`~turbine.budget.engine._kernels`); the decisions are taken
    here.
    """
    cp = compiled
    candidates, free = mes_candidates(cp)
    n_groups = len(cp.group_weights)
    b0 = float(per_voter_budget)
    ulp_b = (abs(b0) + spread) * _ULP
    bud = np.full(n_groups, b0)
    # Initial error: the spread itself (rounded up: half_width is a float) and b0's rounding.
    ev = np.full(n_groups, spread * (1 + 1e-12) + ulp_b)
    emax = float(ev[0]) if n_groups else ulp_b  # an upper bound of every group's error
    b0 += spread  # the richest budget, for the exclusions below
    sup_count = cp.supporters.tolist()
    sup_wsf = cp.sup_wsf
    factor = cp.rho_factor_f
    tws_f = cp.total_sat_f
    costs_f = cp.costs_f
    sup_g, sup_sf, sup_wf = cp.sup_g, cp.sup_sf, cp.sup_wf
    approval = cp.is_approval
    # Python floats (the same float64 values): arithmetic on them is faster than on NumPy
    # scalars, and these are read a few times per evaluation.
    costs_l = cp.costs_fl
    lb = cp.mes_lb0.copy()
    # Candidates whose supporters cannot pay even with their whole initial budget are out for
    # good (budgets only decrease); the 1e-9 margin covers the roundings of b0 and costs.
    cand = np.asarray(candidates, dtype=np.int64)
    # The projects still affordable, as a mask over all projects (a list of them, in
    # increasing index, before: the scan order below is the same, see there).
    act_mask = np.zeros(len(cp.ids), dtype=bool)
    if len(cand):
        act_mask[cand[cp.supporters[cand] * b0 * (1 + 1e-9) >= costs_f[cand]]] = True
    n_active = int(np.count_nonzero(act_mask))
    selected = list(free)
    exact_key = cp.mes_exact_key
    ids = cp.ids
    # Relative error of a few chained float operations (a quotient, a product by the
    # factor, a subtraction): each below _ULP / 2, sixteen units leave room for all of them.
    eps = 16 * _ULP
    rounds = 0
    borrowed = borrow is not None
    short: set[int] = set()  # projects some supporter of which may be short of money
    while n_active:
        if borrowed:
            assert borrow is not None
            if rounds < len(borrow.lbs):
                np.maximum(lb, borrow.lbs[rounds], out=lb)
                np.logical_and(act_mask, borrow.active[rounds], out=act_mask)
                n_active = int(np.count_nonzero(act_mask))
                if not n_active:
                    break
            else:
                borrowed = False
        # The active projects by increasing lower bound, then index (a stable sort of all
        # projects, filtered: the order the stable sort of the active ones alone gave).
        perm = lb.argsort(kind="stable")
        order = perm[act_mask[perm]].tolist()
        lbi = lb.item  # lbi(j): lb[j] as a Python float (the same value, faster arithmetic)
        best_f = np.inf
        # (j, rho float, rho lower bound, rho' float, certain no-poor, a, d, how many groups
        # are poor: reused if j wins, nothing is paid before)
        cands = []
        stop_lb = np.inf
        for j in order:
            # Not a decision, only where the scan stops: candidates beyond are evaluated only
            # if the winner's certification needs them (stop_lb below is checked against the
            # winner's upper bound, so a too-early stop raises Ambiguous, never a wrong winner).
            if lbi(j) > best_f * (1 + 1e-9):
                stop_lb = lbi(j)
                break
            c = costs_l[j]
            rho0 = c / tws_f[j]
            test_low = j not in short
            status, rho_p, new, a, d, lower_p, n_poor = _kernels.evaluate(
                sup_g[j],
                sup_wf[j],
                sup_sf[j],
                sup_wsf[j],
                bud,
                c,
                tws_f[j],
                max(lbi(j) / factor[j], rho0),
                rho0,
                emax,
                # Bound on the supporters' total error: their weight times the largest error.
                sup_count[j] * emax,
                test_low,
                approval,
                eps,
            )
            if status == _kernels.UNAFFORDABLE:
                act_mask[j] = False
                n_active -= 1
                continue
            if status == _kernels.AMBIGUOUS:
                raise Ambiguous
            if status == _kernels.NOBODY_SHORT:
                # Nobody is short of money, for sure: rho' = cost / total satisfaction exactly.
                rho = rho0 * factor[j]
                cands.append((j, rho, rho * (1 - eps), rho0, True, 0.0, 0.0, 0))
                best_f = min(best_f, rho)
                lb[j] = rho * (1 - eps)
                continue
            if test_low:
                # The lowest budget / satisfaction among the supporters never grows during a
                # run (float budgets only fall, emax only grows, and the roundings are
                # monotonic): the test would fail in every later round too.
                short.add(j)
            rho = rho_p * factor[j]
            low_bound = max(lower_p * factor[j] * (1 - eps), lbi(j))
            lb[j] = low_bound
            # (a, d): poor supporters' money and rich ones' satisfaction of the split r < new,
            # whose price is new = (c - a) / d; n_poor: how many groups that split has poor.
            cands.append((j, rho, low_bound, new, False, a, d, n_poor))
            best_f = min(best_f, rho)
        if record is not None:
            record.lbs.append(lb.copy())
            record.active.append(act_mask.copy())
        if not cands:
            break
        win = cands[0] if len(cands) == 1 else min(cands, key=lambda cand: (cand[1], ids[cand[0]]))
        if win[4]:
            # Candidates certainly without poor supporters whose float affordabilities overlap
            # the winner's: their exact affordabilities (ratios of integers) decide, then ids.
            hi = win[1] * (1 + 2 * eps)
            near = [cand for cand in cands if cand[4] and cand[2] <= hi]
            win = min(near, key=lambda cand: (exact_key[cand[0]], ids[cand[0]]))
        j, rho, _, rho_p, certain, a, d, n_poor = win
        g = sup_g[j]
        s = sup_sf[j]
        if certain:
            dr = rho_p * eps
        else:
            # rho_p = (c - a) / d is the price of the split poor = r < rho_p; the exact price
            # of that split is within dr of it.  The split holds if no supporter's r = b / s
            # is near rho_p, errors included (emax bounds them all, s >= 1); failing that
            # quick check, the thorough one, group by group.
            dr = _kernels.price_error(
                g, sup_wf[j], s, bud, ev, rho_p, a, d, costs_l[j], emax, eps, approval
            )
            if dr < 0:
                raise Ambiguous
        hi = (rho_p + dr) * factor[j] * (1 + eps)
        if stop_lb <= hi:
            raise Ambiguous
        for k, _, low_k, _, certain_k, _, _, _ in cands:
            if k == j or low_k > hi:
                continue
            if not (certain and certain_k):
                raise Ambiguous
            if (exact_key[k], ids[k]) < (exact_key[j], ids[j]):
                raise Ambiguous  # not expected: the exact minimum was taken above
        # (certain: nobody poor, every budget stays above the price)
        zero_poor = not certain and n_poor > 0
        emax = max(emax, _kernels.pay(g, s, bud, ev, rho_p, dr, ulp_b, approval, zero_poor))
        selected.append(j)
        act_mask[j] = False
        n_active -= 1
        if record is not None:
            record.winners.append(j)
        if borrowed and (
            borrow is None or rounds >= len(borrow.winners) or borrow.winners[rounds] != j
        ):
            borrowed = False  # the richer run funded another project: its bounds no longer hold
        rounds += 1
    return selected
