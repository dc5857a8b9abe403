"""A distribution over panels, the common result of LEXIMIN, MAXIMIN and LEGACY."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from turbine.cooperation.sortition.quotas import Pool


@dataclass
class Distribution:
    """``panels[j]`` (counts per profile) is drawn with probability ``weights[j]``.

    ``profile_probabilities[t]`` is the probability of each member of profile ``t``.
    """

    pool: Pool
    size: int
    algorithm: str
    panels: np.ndarray
    weights: np.ndarray
    info: dict[str, float | int] = field(default_factory=dict)

    @property
    def profile_probabilities(self) -> np.ndarray:
        return (self.weights @ self.panels) / self.pool.sizes

    @property
    def probabilities(self) -> np.ndarray:
        """Each respondent's selection probability, in the respondents' order."""
        return self.pool.person_probabilities(self.profile_probabilities)


def clean(
    pool: Pool, size: int, algorithm: str, panels: list[np.ndarray], weights: np.ndarray, **info
) -> Distribution:
    """Drops the panels of (near) zero weight and renormalises."""
    weights = np.clip(np.asarray(weights, dtype=float), 0.0, None)
    keep = weights > 1e-12
    kept = np.array([panels[j] for j in np.nonzero(keep)[0]], dtype=np.int64)
    weights = weights[keep]
    return Distribution(
        pool=pool,
        size=size,
        algorithm=algorithm,
        panels=kept.reshape(-1, len(pool.profiles)),
        weights=weights / weights.sum(),
        info=info,
    )
