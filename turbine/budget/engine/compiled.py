"""Numeric form of an election shared by the rules (internal).

Identical ballots are grouped once ("groups", each with an integer weight): the rules only ever
look at a ballot through the projects it supports and the points it gives, so two identical
ballots behave as one voter counted twice — this is what makes a 130,000-voter election tractable.

Satisfactions are those of pabutools 1.2.3: ``Cost_Sat`` for approval ballots (a voter's
satisfaction for an approved project is its cost) and ``Additive_Cardinal_Sat`` for cumulative and
scoring ballots (the points given).  For the method of equal shares they are stored as small
integers ``s`` together with a per-project factor, so that pabutools' affordability ``rho`` equals
``rho_prime * factor`` where ``rho_prime`` solves ``sum(w * min(budget, rho_prime * s)) = cost``:

* approval: ``s = 1`` and ``factor = 1 / cost`` (``rho_prime`` is then the price per supporter);
* points: ``s = points * L`` with ``L`` the lowest common denominator of all points (1 for the
  usual integer points) and ``factor = L``.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from itertools import chain

import numpy as np
import numpy.typing as npt

from turbine.budget.engine.election import Amount, Election
from turbine.budget.engine.errors import RuleError

try:  # gmpy2 rationals are ~10x faster than fractions.Fraction; both are exact.
    from gmpy2 import mpq as Q
except ImportError:  # pragma: no cover - exercised only where gmpy2 is absent
    Q = Fraction  # type: ignore[misc,assignment]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def to_q(value: Amount | Fraction) -> Q:
    """Exact conversion of an amount to the fast rational type."""
    value = Fraction(value)
    return Q(value.numerator, value.denominator)


@dataclass(slots=True)
class CompiledElection:
    """Arrays derived from an :class:`Election` (read-only once built).

    Per project ``j`` (in file order): ``sup_g[j]`` are the groups whose satisfaction for ``j`` is
    positive (pabutools' "supporters"), ``sup_s[j]``/``sup_w[j]`` their integer satisfaction and
    weight (as ``int64`` and ``float64``).  ``total_points[j]`` is the exact total satisfaction
    used by the greedy rule (points of every ballot, zero and negative ones included).
    """

    election: Election
    n_voters: int
    ids: list[str]
    costs: list[Amount]
    costs_q: list[Q]
    costs_f: FloatArray
    costs_fl: list[float]
    is_approval: bool
    points_scale: int
    group_weights: IntArray
    sup_g: list[IntArray]
    sup_s: list[IntArray]
    sup_w: list[IntArray]
    sup_sf: list[FloatArray]
    sup_wf: list[FloatArray]
    sup_wsf: list[FloatArray]
    supporters: IntArray
    total_points: list[Amount]
    rho_factor: list[Q]
    total_sat_int: list[int]
    total_sat_f: list[float]
    rho_factor_f: list[float]
    mes_lb0: FloatArray
    mes_exact_key: list[Q | None]
    mes_split: tuple[tuple[int, ...], tuple[int, ...]] | None = None
    """MES candidates and preselected free projects (``mes.mes_candidates``), once known."""
    mes_base: object | None = None
    """The MES run with ``budget / voters`` per voter (``mes.DeferredRun``), once computed:
    the ``mes`` rule's run and the first run of ``mes-completed``'s increments."""


def compiled_for(election: Election) -> CompiledElection:
    """:func:`compile_election`, done once per election object and shared by the rules.

    The compiled form is kept on the election, with what it was built from: the same
    ``ballots`` list (same object, same length), ``projects``, ``budget`` and ballot type.
    Replacing any of them (or appending ballots) makes the next tally compile again; changing
    a ballot *inside* the list in place is not seen — elections are not meant to be edited
    once tallied.
    """
    key = (election.ballots, len(election.ballots), election.projects, election.budget)
    cached = election._compiled
    if cached is not None:
        ballots, n, projects, budget, ballot_type, compiled = cached
        if (
            ballots is key[0]
            and n == key[1]
            and projects is key[2]
            and budget == key[3]
            and ballot_type == election.ballot_type
        ):
            return compiled
    compiled = compile_election(election)
    election._compiled = (*key, election.ballot_type, compiled)
    return compiled


def compile_election(election: Election) -> CompiledElection:
    """Group identical ballots and build the per-project supporter arrays.

    Raises :class:`RuleError` for ordinal elections, which none of the rules handles.
    """
    if election.ballot_type == "ordinal":
        raise RuleError(
            "Les bulletins ordinaux (classements) ne peuvent pas être dépouillés par les règles "
            "greedy, mes et mes-completed : elles demandent des bulletins d'approbation ou à "
            "points (cumulatifs)."
        )
    ids = [p.id for p in election.projects]
    index = {pid: j for j, pid in enumerate(ids)}
    n_projects = len(ids)
    is_approval = election.ballot_type == "approval"
    counts = Counter(election.ballots)
    weights = np.fromiter(counts.values(), dtype=np.int64, count=len(counts))
    lengths = np.fromiter(map(len, counts), dtype=np.int64, count=len(counts))
    flat = list(chain.from_iterable(counts))
    g_all = np.repeat(np.arange(len(counts), dtype=np.int64), lengths)
    total_points: list[Amount] = [0] * n_projects
    scale = 1
    if is_approval:
        p_arr = np.fromiter(map(index.__getitem__, flat), dtype=np.int64, count=len(flat))
        g_arr = g_all
        v_arr = np.ones(len(flat), dtype=np.int64)
    else:
        values = [v for _, v in flat]
        for v in values:
            if isinstance(v, Fraction) and v.denominator != 1:
                scale = math.lcm(scale, v.denominator)
        p_all = np.fromiter((index[pid] for pid, _ in flat), dtype=np.int64, count=len(flat))
        w_all = weights[g_all].tolist()
        for j, v, w in zip(p_all.tolist(), values, w_all, strict=True):
            total_points[j] += v * w
        keep = [v > 0 for v in values]
        mask = np.asarray(keep, dtype=bool) if keep else np.zeros(0, dtype=bool)
        g_arr = g_all[mask]
        p_arr = p_all[mask]
        v_arr = np.asarray(
            [int(v * scale) for v, k in zip(values, keep, strict=True) if k], dtype=np.int64
        )
    # Stable sort by project; on 16-bit keys NumPy uses a radix sort (several times faster).
    keys = p_arr.astype(np.int16) if n_projects < 2**15 else p_arr
    order = np.argsort(keys, kind="stable")
    g_arr, p_arr, v_arr = g_arr[order], p_arr[order], v_arr[order]
    bounds = np.searchsorted(p_arr, np.arange(n_projects + 1))
    sup_g, sup_s, sup_w, sup_sf, sup_wf = [], [], [], [], []
    supporters = np.zeros(n_projects, dtype=np.int64)
    for j in range(n_projects):
        g = g_arr[bounds[j] : bounds[j + 1]]
        s = v_arr[bounds[j] : bounds[j + 1]]
        w = weights[g]
        sup_g.append(g)
        sup_s.append(s)
        sup_w.append(w)
        sup_sf.append(s.astype(np.float64))
        sup_wf.append(w.astype(np.float64))
        supporters[j] = int(w.sum())
    costs = [p.cost for p in election.projects]
    if is_approval:
        total_points = [int(supporters[j]) for j in range(n_projects)]
        rho_factor = [Q(1) / to_q(c) if c > 0 else Q(0) for c in costs]
    else:
        rho_factor = [Q(scale)] * n_projects
    costs_q = [to_q(c) for c in costs]
    costs_f = np.array([float(c) for c in costs], dtype=np.float64)
    total_sat_int = [int((sup_w[j] * sup_s[j]).sum()) for j in range(n_projects)]
    # MES: pabutools-scale affordability when nobody is short of money (exact), and its
    # float value slightly lowered (a lower bound of the affordability all along a run): the
    # float conversion of an exact rational is off by at most 2**-53 relative; 1e-12 is far
    # above that rounding, and a lower bound lower than needed only costs evaluations.
    exact_key: list[Q | None] = [
        costs_q[j] * rho_factor[j] / total_sat_int[j] if total_sat_int[j] > 0 else None
        for j in range(n_projects)
    ]
    lb0 = np.array(
        [float(k) * (1 - 1e-12) if k is not None else np.inf for k in exact_key],
        dtype=np.float64,
    )
    return CompiledElection(
        election=election,
        n_voters=len(election.ballots),
        ids=ids,
        costs=costs,
        costs_q=costs_q,
        costs_f=costs_f,
        costs_fl=costs_f.tolist(),
        is_approval=is_approval,
        points_scale=scale,
        group_weights=weights,
        sup_g=sup_g,
        sup_s=sup_s,
        sup_w=sup_w,
        sup_sf=sup_sf,
        sup_wf=sup_wf,
        sup_wsf=[w * s for w, s in zip(sup_wf, sup_sf, strict=True)],
        supporters=supporters,
        total_points=total_points,
        rho_factor=rho_factor,
        total_sat_int=total_sat_int,
        total_sat_f=[float(t) for t in total_sat_int],
        rho_factor_f=[float(f) for f in rho_factor],
        mes_lb0=lb0,
        mes_exact_key=exact_key,
    )
