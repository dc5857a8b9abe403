"""The bridge between the label's models and the Django-free scoring engine: statuses as the
engine wants them, scores as JSON that decisions freeze."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from turbine.label import scoring
from turbine.label.models import Assessment, Level, ReferentialNode


def tree_of(nodes: Iterable[ReferentialNode]) -> scoring.Node:
    by_id = {}
    rows = []
    for node in nodes:
        by_id[node.pk] = node.identifier
        rows.append((node.identifier, node.parent_id, node.points))
    return scoring.build_tree(
        (key, by_id[parent] if parent else None, points) for key, parent, points in rows
    )


def status_of(status: str, shares: Iterable[Any] | None = None) -> scoring.Status:
    if status == scoring.DETAILED:
        done, planned, not_done = shares or (0, 0, 0)
        return scoring.Status.detailed(done, planned, not_done)
    return scoring.Status(status)


def statuses_from_assessments(assessments: Iterable[Assessment]) -> dict[str, dict[str, Any]]:
    """``{numero: {"status": ..., "shares": [fait, programmé, pas fait]}}``, JSON-ready."""
    out = {}
    for a in assessments:
        entry: dict[str, Any] = {"status": a.status}
        if a.status == scoring.DETAILED:
            entry["shares"] = [str(a.share_done), str(a.share_planned), str(a.share_not_done)]
        out[a.node.identifier] = entry
    return out


def engine_statuses(statuses: Mapping[str, Mapping[str, Any]]) -> dict[str, scoring.Status]:
    return {key: status_of(v["status"], v.get("shares")) for key, v in statuses.items()}


def level_rules(levels: Iterable[Level]) -> list[scoring.LevelRule]:
    return [
        scoring.LevelRule(
            level.stars,
            Fraction(str(level.min_fait_share)),
            [
                (r.node.identifier, Fraction(str(r.min_fait_share)))
                for r in level.requirements.all()
            ],
        )
        for level in levels
    ]


@dataclass(frozen=True)
class ScoreSheet:
    """Scores of every node (rounded, JSON-ready) and the level they reach."""

    nodes: dict[str, dict[str, Any]]
    stars: int | None

    @property
    def total(self) -> dict[str, Any]:
        return self.nodes[scoring.ROOT]

    def as_json(self) -> dict[str, Any]:
        return {"total": self.total, "etoiles": self.stars, "noeuds": self.nodes}


def score_sheet(
    *,
    nodes: Iterable[ReferentialNode],
    levels: Iterable[Level],
    statuses: Mapping[str, Mapping[str, Any]],
) -> ScoreSheet:
    computed = scoring.compute(tree_of(nodes), engine_statuses(statuses))
    return ScoreSheet(
        {key: score.as_dict() for key, score in computed.items()},
        scoring.level_reached(computed, level_rules(levels)),
    )
