"""The events layer of the map (see ``turbine.directory.geo``): upcoming located events."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone

from turbine.cooperation.models import Event, EventFormat
from turbine.directory import geo

_FORMATS = dict(EventFormat.choices)


def event_queryset(filters: geo.MapFilters) -> QuerySet[Event]:
    qs = Event.objects.public().filter(end__gte=timezone.now())
    if filters.theme:
        qs = qs.filter(themes__slug=filters.theme)
    if filters.commune:
        qs = qs.filter(commune__code=filters.commune)
    if filters.agglomeration:
        qs = qs.filter(commune__agglomeration__siren=filters.agglomeration)
    if filters.network:
        qs = qs.filter(organisations__networks__slug=filters.network).distinct()
    if filters.kind or filters.family or filters.scale or filters.stage:
        # Filters of organisations and projects: events have none of these.
        return qs.none()
    return geo.in_bbox(qs, filters.bbox)


def event_feature(row: dict[str, Any]) -> geo.Feature:
    when = formats.date_format(timezone.localtime(row["start"]), "SHORT_DATETIME_FORMAT")
    return geo.Feature(
        layer="rencontre",
        id=row["id"],
        name=row["title"],
        url=reverse("cooperation:event_detail", args=[row["id"]]),
        latitude=row["latitude"],
        longitude=row["longitude"],
        label=f"{_FORMATS.get(row['format'], row['format'])} · {when}",
        commune=row["commune__name"] or "",
        is_demo=row["is_demo"],
    )


geo.register_layer(
    key="rencontre",
    label="Rencontres à venir",
    queryset=event_queryset,
    fields=("id", "title", "format", "start", "latitude", "longitude", "commune__name", "is_demo"),
    feature=event_feature,
    order=("start", "id"),
)
