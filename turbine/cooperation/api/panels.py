"""API resources of citizen panels, mounted under /api/v1/ (public reads: aggregates only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from turbine.cooperation.models import DrawStatus
from turbine.cooperation.selectors import panels as selectors
from turbine.core.api import MappedPage, Pagination, each

router = Router(tags=["Panels citoyens"])


class PanelOut(Schema):
    id: int
    title: str
    purpose: str
    size: int = Field(description="nombre de membres")
    duration: str
    status: str = Field(description="brouillon, inscriptions, tire, termine")
    pool_size: int = Field(description="volontaires dans le vivier")
    projects: list[int] = Field(description="identifiants des projets examinés")
    created_at: datetime
    url: str
    is_demo: bool


def _panel_out(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "title": p.title,
        "purpose": p.purpose,
        "size": p.size,
        "duration": p.duration,
        "status": p.status,
        "pool_size": p.pool_size,
        "projects": [project.pk for project in p.projects.all()],
        "created_at": p.created_at,
        "url": p.get_absolute_url(),
        "is_demo": p.is_demo,
    }


@router.get("/panels", response=list[PanelOut], summary="Panels citoyens")
@paginate(Pagination)
def panels(request: HttpRequest) -> Any:
    """Les panels citoyens publics, les plus récents d'abord."""
    return MappedPage(
        selectors.panel_list(user=AnonymousUser()).prefetch_related("projects"), each(_panel_out)
    )


class QuotaFeatureOut(Schema):
    feature: str
    min: int
    max: int
    pool: int = Field(description="volontaires du vivier ayant cette valeur")
    panel: int | None = Field(description="membres du panel tiré ayant cette valeur")
    met: bool | None = Field(description="quota respecté par le panel tiré")


class QuotaCategoryOut(Schema):
    category: str
    features: list[QuotaFeatureOut]


class ProbabilityGroupOut(Schema):
    features: list[str] | None = Field(
        description="réponses communes au groupe, dans l'ordre des catégories ; null pour un "
        "groupe de moins de 3 personnes (réponses non publiées)"
    )
    people: int
    probability: float = Field(description="probabilité de sélection de chaque personne du groupe")
    selected: int


class PanelDrawOut(Schema):
    algorithm: str
    status: str = Field(description="loterie (publiée, graine attendue) ou tire")
    seed: str | None
    ticket: int | None
    min_probability: float
    median_probability: float
    max_probability: float
    gini: float
    seconds: float | None
    categories: list[str]
    groups: list[ProbabilityGroupOut]
    record_url: str = Field(description="registre complet pour refaire le calcul")


class CompositionOut(Schema):
    panel: int
    size: int
    pool_size: int
    quotas: list[QuotaCategoryOut]
    draw: PanelDrawOut | None


@router.get(
    "/panels/{panel_id}/composition", response=CompositionOut, summary="Composition d'un panel"
)
def composition(request: HttpRequest, panel_id: int) -> dict[str, Any]:
    """Les quotas, la composition du vivier par valeur et, une fois la loterie publiée, celle
    du panel tiré face aux quotas, les probabilités par groupe de réponses identiques, les
    probabilités minimale, médiane et maximale et le coefficient de Gini. Jamais de donnée
    d'une personne."""
    panel = selectors.get_panel(user=AnonymousUser(), panel_id=panel_id)
    draw = selectors.published_draw(panel)
    if draw is not None:
        results = selectors.draw_results(draw)
        tables = results.tables
        draw_out: dict[str, Any] | None = {
            "algorithm": draw.algorithm,
            "status": draw.status,
            "seed": draw.seed or None,
            "ticket": draw.ticket,
            "min_probability": results.minimum,
            "median_probability": results.median,
            "max_probability": results.maximum,
            "gini": results.gini,
            "seconds": draw.seconds,
            "categories": results.categories,
            "groups": [
                {
                    "features": g.features,
                    "people": g.people,
                    "probability": g.probability,
                    "selected": g.selected,
                }
                for g in results.groups
            ],
            "record_url": f"/panels/{panel.pk}/tirage/registre.json",
        }
    else:
        tables = selectors.pool_composition(panel)
        draw_out = None
    drawn = draw is not None and draw.status == DrawStatus.DRAWN
    return {
        "panel": panel.pk,
        "size": panel.size,
        "pool_size": panel.pool_size,
        "quotas": [
            {
                "category": t.category,
                "features": [
                    {
                        "feature": r.feature,
                        "min": r.min,
                        "max": r.max,
                        "pool": r.pool,
                        "panel": r.panel if drawn else None,
                        "met": r.met if drawn else None,
                    }
                    for r in t.rows
                ],
            }
            for t in tables
        ],
        "draw": draw_out,
    }
