"""The Schulze method (winning votes), published beside the STV count as a consensus check.

``d[i][j]`` is the number of voters who rank i above j (a ranked candidate is above every
unranked one; unranked candidates are equal). The strongest paths ``p`` are found by the
Floyd–Warshall widest-path algorithm. Candidates are ranked by the number of others they beat
(``p[i][j] > p[j][i]``); equal counts keep the order of the candidates' numbers (the lower
number first), which is the documented tie-break.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from turbine.steering.engine.stv import Election


@dataclass
class SchulzeResult:
    ranking: list[int]
    pairwise: list[list[int]]  # d[i][j]
    strongest: list[list[int]]  # p[i][j]
    wins: list[int]


def count(election: Election) -> SchulzeResult:
    n = len(election.candidates)
    active = [c for c in range(n) if c not in election.withdrawn]
    d = np.zeros((n, n), dtype=np.int64)
    grouped: dict[tuple[int, ...], int] = {}
    for weight, prefs in election.ballots:
        kept = tuple(c for c in prefs if c not in election.withdrawn)
        if weight and kept:
            grouped[kept] = grouped.get(kept, 0) + weight
    for prefs, weight in grouped.items():
        rank = np.full(n, n, dtype=np.int64)
        rank[list(prefs)] = np.arange(len(prefs))
        d += weight * (rank[:, None] < rank[None, :])
    for c in election.withdrawn:
        d[c, :] = 0
        d[:, c] = 0
    p = np.where(d > d.T, d, 0)
    for k in active:
        p = np.maximum(p, np.minimum(p[:, k : k + 1], p[k : k + 1, :]))
        np.fill_diagonal(p, 0)
    beats = p > p.T
    wins = beats.sum(axis=1)
    ranking = sorted(active, key=lambda c: (-int(wins[c]), c))
    return SchulzeResult(
        ranking=ranking,
        pairwise=d.tolist(),
        strongest=p.tolist(),
        wins=[int(w) for w in wins],
    )
