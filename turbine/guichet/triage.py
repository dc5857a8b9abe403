"""The two triage grids: the scale level proposed from configurable criteria, and the urgency
score from a configurable weighted grid. Both are pure functions of a ``TriageInput`` and the
criteria rows, and return their detail so staff see why."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from turbine.guichet.models import (
    ScaleCriterion,
    ScaleCriterionKey,
    UrgencyBand,
    UrgencyCriterion,
    UrgencyCriterionKey,
)

STAGE_RANK = {
    "idee": 1,
    "emergence": 2,
    "conception": 3,
    "financement": 4,
    "realisation": 5,
    "realise": 6,
    "en-pause": 2,
    "abandonne": 1,
}
HIGH_FROM = 60
MEDIUM_FROM = 30


@dataclass
class TriageInput:
    actors_count: int = 1
    budget: Decimal | None = None
    communes_count: int = 1
    stage: str = "idee"
    themes: list[str] = field(default_factory=list)
    social_urgency: bool = False
    abandonment_risk: bool = False
    deadline: datetime.date | None = None


def _measure(key: str, data: TriageInput) -> Decimal | None:
    if key == ScaleCriterionKey.ACTORS:
        return Decimal(data.actors_count)
    if key == ScaleCriterionKey.BUDGET:
        return data.budget
    if key == ScaleCriterionKey.REACH:
        return Decimal(data.communes_count)
    if key == ScaleCriterionKey.STAGE:
        return Decimal(STAGE_RANK.get(data.stage, 1))
    return None


def propose_scale(
    data: TriageInput, criteria: list[ScaleCriterion] | None = None
) -> tuple[int, list[dict]]:
    """The level (1–3) the criteria point at — the rounded mean of each criterion's level,
    criteria without a value left out — and one detail row per criterion."""
    if criteria is None:
        criteria = list(ScaleCriterion.objects.filter(is_active=True))
    detail = []
    levels = []
    for criterion in criteria:
        value = _measure(criterion.key, data)
        if value is None:
            detail.append({"criterion": str(criterion), "value": None, "level": None})
            continue
        level = 3 if value >= criterion.level3_from else 2 if value >= criterion.level2_from else 1
        levels.append(level)
        detail.append({"criterion": str(criterion), "value": f"{value:f}", "level": level})
    if not levels:
        return 1, detail
    mean = Decimal(sum(levels)) / len(levels)
    return int(mean.quantize(Decimal(1), rounding="ROUND_HALF_UP")), detail


def _urgency_value(
    criterion: UrgencyCriterion, data: TriageInput, today: datetime.date
) -> tuple[float, str]:
    if criterion.key == UrgencyCriterionKey.CLIMATE:
        urgent = sorted(t.name for t in criterion.themes.all() if t.slug in data.themes)
        if urgent:
            return 1.0, "Thèmes à forte urgence climatique : " + ", ".join(urgent) + "."
        return 0.0, "Aucun thème à forte urgence climatique."
    if criterion.key == UrgencyCriterionKey.SOCIAL:
        if data.social_urgency:
            return 1.0, "Le projet répond à une situation sociale difficile."
        return 0.0, "Pas d'urgence sociale déclarée."
    if criterion.key == UrgencyCriterionKey.DEADLINE:
        if data.deadline is None:
            return 0.0, "Aucune échéance connue."
        days = (data.deadline - today).days
        when = data.deadline.strftime("%d/%m/%Y")
        if days <= 30:
            return 1.0, f"Échéance dans moins de 30 jours ({when})."
        if days <= 90:
            return 0.5, f"Échéance dans moins de 3 mois ({when})."
        return 0.0, f"Échéance lointaine ({when})."
    if data.abandonment_risk:
        return 1.0, "Sans aide, le projet risque d'être abandonné."
    return 0.0, "Pas de risque d'abandon déclaré."


def band_for(score: int) -> str:
    if score >= HIGH_FROM:
        return UrgencyBand.HIGH
    if score >= MEDIUM_FROM:
        return UrgencyBand.MEDIUM
    return UrgencyBand.LOW


def urgency(
    data: TriageInput,
    criteria: list[UrgencyCriterion] | None = None,
    today: datetime.date | None = None,
) -> tuple[int, str, list[dict]]:
    """Score 0–100 = weighted mean of each criterion's value (0, ½ or 1), its band and the
    detail (criterion, weight, points earned, reason)."""
    today = today or timezone.localdate()
    if criteria is None:
        criteria = list(UrgencyCriterion.objects.filter(is_active=True).prefetch_related("themes"))
    total = sum(c.weight for c in criteria)
    detail = []
    earned = 0.0
    for criterion in criteria:
        value, reason = _urgency_value(criterion, data, today)
        points = value * criterion.weight
        earned += points
        detail.append(
            {
                "criterion": criterion.get_key_display(),
                "weight": criterion.weight,
                "points": round(100 * points / total) if total else 0,
                "reason": reason,
            }
        )
    score = round(100 * earned / total) if total else 0
    return score, band_for(score), detail
