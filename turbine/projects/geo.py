"""The projects layer of the map (see ``turbine.directory.geo``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from turbine.core import badges
from turbine.directory import geo
from turbine.projects.models import Project, Stage, Visibility

_STAGES = dict(Stage.choices)


def project_queryset(filters: geo.MapFilters) -> QuerySet[Project]:
    qs = Project.objects.filter(visibility=Visibility.PUBLIC, is_hidden=False)
    if filters.theme:
        qs = qs.filter(themes__slug=filters.theme)
    if filters.kind:
        qs = qs.filter(holder_organisation__kind=filters.kind)
    if filters.family:
        qs = qs.filter(holder_organisation__family=filters.family)
    if filters.commune:
        qs = qs.filter(Q(communes__code=filters.commune) | Q(whole_territory=True))
    if filters.agglomeration:
        qs = qs.filter(
            Q(communes__agglomeration__siren=filters.agglomeration) | Q(whole_territory=True)
        )
    if filters.scale:
        qs = qs.filter(scale=filters.scale)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.network:
        qs = qs.filter(holder_organisation__networks__slug=filters.network)
    if filters.badges:
        qs = badges.apply_filters("project", qs, filters.badges)
    if filters.commune or filters.agglomeration:
        qs = qs.distinct()
    return geo.in_bbox(qs, filters.bbox)


def project_feature(row: dict[str, Any]) -> geo.Feature:
    return geo.Feature(
        layer="projet",
        id=row["id"],
        name=row["title"],
        url=reverse("projects:project_detail", args=[row["id"]]),
        latitude=row["latitude"],
        longitude=row["longitude"],
        label=f"Projet d'échelle {row['scale']} · {_STAGES.get(row['stage'], row['stage'])}",
        commune="",
        is_demo=row["is_demo"],
    )


geo.register_layer(
    key="projet",
    label="Projets",
    queryset=project_queryset,
    fields=("id", "title", "scale", "stage", "latitude", "longitude", "is_demo"),
    feature=project_feature,
    order=("title", "id"),
    choices={"stage": list(Stage.choices)},
    badge_kind="project",
)
