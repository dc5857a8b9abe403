"""What the map shows: layers of located public content, as GeoJSON.

Each app registers a layer (``register_layer``): a function that, given the map filters,
returns a queryset of its located public objects already filtered, and a function that turns
one row of ``values()`` into a ``Feature``. The directory registers organisations, the projects
app its projects. The map page, ``/api/v1/map.geojson`` and the GeoJSON exports all read
through here, in one query per layer, whatever the number of features.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from turbine.core import badges as core_badges
from turbine.directory.models import Organisation, OrganisationKind
from turbine.directory.selectors import filter_organisations, public_organisations

# A map never receives more than this many features at once; clustering keeps them readable
# and the response is flagged ``truncated`` when there were more.
MAX_FEATURES = 5000


@dataclass(frozen=True)
class MapFilters:
    theme: str = ""
    kind: str = ""
    family: str = ""
    commune: str = ""
    agglomeration: str = ""
    scale: int | None = None
    stage: str = ""
    network: str = ""
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    # Filters other apps offer (turbine.core.badges), by key: ("charte", "label").
    badges: tuple[str, ...] = ()


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """``"west,south,east,north"`` in degrees, or None; raises ValueError when malformed."""
    if not value:
        return None
    parts = [float(p) for p in value.split(",")]
    if len(parts) != 4:
        raise ValueError("bbox")
    west, south, east, north = parts
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise ValueError("bbox")
    return west, south, east, north


@dataclass(frozen=True)
class Feature:
    layer: str
    id: int
    name: str
    url: str
    latitude: float
    longitude: float
    label: str
    commune: str
    is_demo: bool
    # What other apps say of the object (turbine.core.badges), shown in the popup.
    badges: tuple[core_badges.Badge, ...] = ()

    def as_geojson(self) -> dict[str, Any]:
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [self.longitude, self.latitude]},
            "properties": {
                "type": self.layer,
                "id": self.id,
                "name": self.name,
                "url": self.url,
                "label": self.label,
                "commune": self.commune,
                "is_demo": self.is_demo,
                "badges": [b.as_dict() for b in self.badges],
            },
        }


@dataclass(frozen=True)
class Layer:
    key: str
    label: str
    queryset: Callable[[MapFilters], QuerySet]
    fields: tuple[str, ...]
    feature: Callable[[dict[str, Any]], Feature]
    order: tuple[str, ...]
    # Choices of the filters only this layer knows (the projects' "stage"), for the map form.
    choices: dict[str, list[tuple[str, str]]]
    # The kind of object other apps give badges to (turbine.core.badges); "" for none.
    badge_kind: str = ""

    def features(self, rows: list[dict[str, Any]]) -> list[Feature]:
        """The features of these rows, with their badges (one query per badge provider)."""
        items = [self.feature(row) for row in rows]
        if not self.badge_kind or not items:
            return items
        found = core_badges.collect(self.badge_kind, [f.id for f in items])
        return [replace(f, badges=tuple(found[f.id])) if f.id in found else f for f in items]


_layers: dict[str, Layer] = {}


def register_layer(
    *,
    key: str,
    label: str,
    queryset: Callable[[MapFilters], QuerySet],
    fields: tuple[str, ...],
    feature: Callable[[dict[str, Any]], Feature],
    order: tuple[str, ...] = ("name", "id"),
    choices: dict[str, list[tuple[str, str]]] | None = None,
    badge_kind: str = "",
) -> None:
    _layers[key] = Layer(key, label, queryset, fields, feature, order, choices or {}, badge_kind)


def filter_choices(name: str) -> list[tuple[str, str]]:
    """The choices of a layer-specific filter, from whichever layers declare it."""
    return [choice for layer in _layers.values() for choice in layer.choices.get(name, [])]


def layers() -> list[Layer]:
    return list(_layers.values())


def badge_filters() -> list[core_badges.Filter]:
    """The filters other apps offer on the layers (« seulement les projets labellisés »)."""
    seen: dict[str, core_badges.Filter] = {}
    for current in _layers.values():
        for badge_filter in core_badges.filters(current.badge_kind) if current.badge_kind else []:
            seen.setdefault(badge_filter.key, badge_filter)
    return list(seen.values())


TRUE_VALUES = ("on", "1", "true", "oui")


def badge_filter_keys(query: Mapping[str, Any]) -> tuple[str, ...]:
    """The badge filters asked for in a query string (``?label=on``)."""
    return tuple(f.key for f in badge_filters() if str(query.get(f.key, "")).lower() in TRUE_VALUES)


def layer(key: str) -> Layer:
    return _layers[key]


def in_bbox(qs: QuerySet, bbox: tuple[float, float, float, float] | None) -> QuerySet:
    located = qs.filter(latitude__isnull=False, longitude__isnull=False)
    if bbox is None:
        return located
    west, south, east, north = bbox
    return located.filter(
        latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
    )


def features(
    *, filters: MapFilters, layer_keys: Iterable[str] | None = None, limit: int = MAX_FEATURES
) -> tuple[list[Feature], bool]:
    """Located features of the chosen layers (all by default), by name; and whether the
    ``limit`` cut some off."""
    result: list[Feature] = []
    truncated = False
    for key in layer_keys or list(_layers):
        current = _layers[key]
        remaining = limit - len(result)
        if remaining <= 0:
            truncated = True
            break
        qs = current.queryset(filters).order_by(*current.order).values(*current.fields)
        rows = list(qs[: remaining + 1])
        if len(rows) > remaining:
            truncated = True
            rows = rows[:remaining]
        result.extend(current.features(rows))
    return result, truncated


def feature_collection(items: list[Feature], *, truncated: bool = False) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "count": len(items),
        "truncated": truncated,
        "features": [f.as_geojson() for f in items],
    }


# --- Organisations ----------------------------------------------------------------------------

_KIND_LABELS = dict(OrganisationKind.choices)


def organisation_queryset(filters: MapFilters) -> QuerySet[Organisation]:
    return in_bbox(filter_organisations(public_organisations(), filters), filters.bbox)


def organisation_feature(row: dict[str, Any]) -> Feature:
    return Feature(
        layer="organisation",
        id=row["id"],
        name=row["name"],
        url=reverse("directory:organisation_detail", args=[row["id"]]),
        latitude=row["latitude"],
        longitude=row["longitude"],
        label=str(_KIND_LABELS.get(row["kind"], row["kind"])),
        commune=row["commune__name"] or "",
        is_demo=row["is_demo"],
    )


register_layer(
    key="organisation",
    label="Organisations",
    queryset=organisation_queryset,
    fields=("id", "name", "kind", "latitude", "longitude", "commune__name", "is_demo"),
    feature=organisation_feature,
    badge_kind="organisation",
)
