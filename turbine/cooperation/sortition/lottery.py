"""The transparent draw: the distribution rounded to a uniform lottery over a fixed number of
panels (Flanigan, Gölz, Gupta, Hennig, Procaccia, "Fair and transparent sortition", 2021), then
one panel picked with a published seed.

Rounding: each panel of probability ``p`` gets ``⌊p·m⌋`` or ``⌈p·m⌉`` of the ``m`` tickets,
chosen by an integer program that keeps every volunteer's probability in the lottery as close
as possible to the exact one (largest remainders if the solver runs out of time).

Picking, recomputable by anyone from the published tickets and seed (``H`` is SHA-256 of the
UTF-8 text, read as a big-endian integer):

* the ticket is ``H("<seed>:ticket") mod m``, tickets being numbered from 0 in the order of
  :attr:`Lottery.tickets`;
* in each profile the ticket's panel takes ``c`` people: the ``c`` with the smallest
  ``H("<seed>:<row>")``, ``row`` being the respondent's 1-based row number.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from turbine.cooperation.sortition._highs import INF, new_highs
from turbine.cooperation.sortition.distribution import Distribution

TICKETS = 1000


@dataclass
class Lottery:
    distribution: Distribution
    tickets: np.ndarray  # ticket → panel index in ``distribution.panels``

    @property
    def probabilities(self) -> np.ndarray:
        """Each respondent's probability in the lottery (close to the exact one)."""
        pool = self.distribution.pool
        counts = self.distribution.panels[self.tickets].sum(axis=0)
        return pool.person_probabilities(counts / len(self.tickets) / pool.sizes)

    @property
    def deviation(self) -> float:
        """The largest gap between a respondent's lottery and exact probability."""
        return float(np.abs(self.probabilities - self.distribution.probabilities).max())

    def draw(self, seed: str) -> list[int]:
        """The panel picked by ``seed``: 0-based respondent indices, sorted."""
        ticket = _hash(f"{seed}:ticket") % len(self.tickets)
        counts = self.distribution.panels[self.tickets[ticket]]
        pool = self.distribution.pool
        chosen: list[int] = []
        for members, count in zip(pool.members, counts, strict=True):
            if count:
                ranked = sorted(members, key=lambda person: _hash(f"{seed}:{person + 1}"))
                chosen.extend(ranked[:count])
        return sorted(chosen)


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")


def _largest_remainders(weights: np.ndarray, tickets: int) -> np.ndarray:
    scaled = weights * tickets
    counts = np.floor(scaled).astype(np.int64)
    order = np.argsort(-(scaled - counts), kind="stable")
    counts[order[: tickets - counts.sum()]] += 1
    return counts


def _rounded(distribution: Distribution, tickets: int, time_limit: float) -> np.ndarray:
    weights = distribution.weights
    scaled = weights * tickets
    floors = np.floor(scaled)
    extra = int(round(tickets - floors.sum()))
    fractional = np.nonzero(scaled - floors > 1e-9)[0]
    fallback = _largest_remainders(weights, tickets)
    if extra == 0 or len(fractional) == 0:
        return fallback
    pool = distribution.pool
    share = distribution.panels.T / pool.sizes[:, None] / tickets  # profile × panel
    target = distribution.profile_probabilities - share @ floors
    count = len(fractional)
    highs = new_highs(time_limit=time_limit, mip_rel_gap=1e-3)
    for _ in range(count):
        highs.addVar(0.0, 1.0)
    highs.addVar(0.0, INF)  # the largest deviation, minimised
    highs.changeColCost(count, 1.0)
    highs.changeColsIntegrality(
        count, np.arange(count, dtype=np.int32), np.array([1] * count, dtype=np.uint8)
    )
    indices = np.arange(count + 1, dtype=np.int32)
    highs.addRow(extra, extra, count, indices[:-1], np.ones(count))
    for t in range(len(pool.profiles)):
        row = share[t, fractional]
        highs.addRow(-INF, target[t], count + 1, indices, np.append(row, -1.0))
        highs.addRow(target[t], INF, count + 1, indices, np.append(row, 1.0))
    highs.run()
    if highs.getInfo().primal_solution_status != 2:  # no feasible point within the time limit
        return fallback
    solution = np.array(highs.getSolution().col_value)
    counts = floors.astype(np.int64)
    counts[fractional] += np.rint(solution[:count]).astype(np.int64)
    if counts.sum() != tickets:
        return fallback
    return counts


def lottery(
    distribution: Distribution, *, tickets: int = TICKETS, time_limit: float = 10.0
) -> Lottery:
    """Rounds ``distribution`` to ``tickets`` equally likely tickets."""
    counts = _rounded(distribution, tickets, time_limit)
    return Lottery(distribution, np.repeat(np.arange(len(counts)), counts))
