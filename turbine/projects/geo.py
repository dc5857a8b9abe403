"""The projects layer of the map (see ``turbine.directory.geo``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from turbine.directory import geo
from turbine.projects.models import Project, Stage
from turbine.projects.selectors import filter_projects, public_projects

_STAGES = dict(Stage.choices)


def project_queryset(filters: geo.MapFilters) -> QuerySet[Project]:
    return geo.in_bbox(filter_projects(public_projects(), filters), filters.bbox)


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
