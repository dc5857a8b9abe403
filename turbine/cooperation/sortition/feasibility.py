"""Can the quotas be met by this pool? If not, which quotas conflict and how far to relax them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from turbine.cooperation.sortition._highs import new_highs, optimal, pass_model
from turbine.cooperation.sortition.errors import InfeasibleQuotasError, SortitionError
from turbine.cooperation.sortition.quotas import Pool


@dataclass(frozen=True)
class Relaxation:
    """Move ``bound`` (``"min"`` or ``"max"``) of the quota ``category`` = ``feature`` from
    ``current`` to ``suggested``."""

    category: str
    feature: str
    bound: str
    current: int
    suggested: int

    def message(self) -> str:
        if self.bound == "min":
            return (
                f"« {self.category} » = « {self.feature} » : abaisser le minimum de "
                f"{self.current} à {self.suggested}"
            )
        return (
            f"« {self.category} » = « {self.feature} » : relever le maximum de "
            f"{self.current} à {self.suggested}"
        )


def _conflicts(pool: Pool, size: int) -> list[str]:
    """Plain reasons, category by category, that no panel can exist."""
    reasons = []
    available = pool.incidence @ pool.sizes
    quotas = pool.quotas.all()
    for category, features in pool.quotas.categories.items():
        low = sum(quota.min for quota in features.values())
        high = sum(quota.max for quota in features.values())
        if low > size:
            reasons.append(
                f"les minimums de la catégorie « {category} » totalisent {low} personnes, plus "
                f"que la taille du panel ({size})"
            )
        if high < size:
            reasons.append(
                f"les maximums de la catégorie « {category} » totalisent {high} personnes, "
                f"moins que la taille du panel ({size})"
            )
    for row, quota in enumerate(quotas):
        if available[row] < quota.min:
            reasons.append(
                f"seulement {int(available[row])} volontaire(s) ont « {quota.category} » = "
                f"« {quota.feature} », pour un minimum de {quota.min}"
            )
    return reasons


def relaxations(pool: Pool, size: int) -> list[Relaxation]:
    """The smallest total change of the quotas' bounds (in people) that makes a panel of
    ``size`` possible; empty when the quotas can be met as they are."""
    quotas = pool.quotas.all()
    rows, types = pool.incidence.shape
    # Columns: counts per profile (integer), then for each quota how far below its minimum
    # and how far above its maximum the panel goes.
    eye = np.eye(rows)
    matrix = np.vstack(
        [
            np.hstack([pool.incidence, eye, np.zeros((rows, rows))]),
            np.hstack([pool.incidence, np.zeros((rows, rows)), -eye]),
            np.hstack([np.ones((1, types)), np.zeros((1, 2 * rows))]),
        ]
    )
    infinity = float(size) + 1.0
    lows = np.array([q.min for q in quotas], dtype=float)
    highs_ = np.array([q.max for q in quotas], dtype=float)
    highs = new_highs()
    pass_model(
        highs,
        cost=np.concatenate([np.zeros(types), np.ones(2 * rows)]),
        lower=np.zeros(types + 2 * rows),
        upper=np.concatenate([pool.sizes.astype(float), np.full(2 * rows, infinity)]),
        matrix=matrix,
        row_lower=np.concatenate([lows, np.full(rows, -infinity), [size]]),
        row_upper=np.concatenate([np.full(rows, 2 * infinity), highs_, [size]]),
        integer=np.concatenate([np.ones(types, dtype=bool), np.zeros(2 * rows, dtype=bool)]),
    )
    highs.run()
    if not optimal(highs):
        raise SortitionError("le calcul de faisabilité des quotas a échoué.")
    values = np.array(highs.getSolution().col_value)
    below = np.rint(values[types : types + rows]).astype(int)
    above = np.rint(values[types + rows :]).astype(int)
    result = []
    for row, quota in enumerate(quotas):
        if below[row] > 0:
            result.append(
                Relaxation(quota.category, quota.feature, "min", quota.min, quota.min - below[row])
            )
        if above[row] > 0:
            result.append(
                Relaxation(quota.category, quota.feature, "max", quota.max, quota.max + above[row])
            )
    return result


def check(pool: Pool, size: int) -> None:
    """Raises :class:`InfeasibleQuotasError` (French message: the conflicting quotas and the
    suggested relaxations) unless some panel of ``size`` meets every quota."""
    if size <= 0:
        raise SortitionError("la taille du panel doit être un entier positif.")
    if size > pool.size:
        raise InfeasibleQuotasError(
            f"le vivier compte {pool.size} volontaire(s), moins que la taille du panel ({size}).",
            relaxations=[],
        )
    changes = relaxations(pool, size)
    if not changes:
        return
    reasons = _conflicts(pool, size)
    message = f"Aucun panel de {size} personnes ne respecte tous les quotas avec ce vivier : "
    message += (
        " ; ".join(reasons) if reasons else "les quotas de plusieurs catégories se contredisent"
    ) + "."
    message += " Pour le rendre possible : " + " ; ".join(c.message() for c in changes) + "."
    raise InfeasibleQuotasError(message, relaxations=changes)
