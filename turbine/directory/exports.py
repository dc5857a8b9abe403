"""Open-data exports: CSV and GeoJSON, streamed row by row so that memory stays flat."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.http import StreamingHttpResponse
from django.utils import timezone

from turbine.core.csvcells import csv_row
from turbine.directory.models import Organisation

CHUNK = 1000


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    *, filename: str, header: list[str], rows: Iterable[list[Any]]
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # a BOM, so that spreadsheet software reads UTF-8
        yield writer.writerow(csv_row(header))
        for row in rows:
            yield writer.writerow(csv_row(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_dated(filename)}.csv"'
    return response


def geojson_response(
    *, filename: str, items: Iterable[Any], feature: Callable[[Any], dict[str, Any] | None]
) -> StreamingHttpResponse:
    def chunks() -> Iterator[str]:
        yield '{"type": "FeatureCollection", "features": ['
        first = True
        for item in items:
            data = feature(item)
            if data is None:
                continue
            yield ("" if first else ",\n") + json.dumps(data, ensure_ascii=False)
            first = False
        yield "]}\n"

    response = StreamingHttpResponse(chunks(), content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="{_dated(filename)}.geojson"'
    return response


def _dated(name: str) -> str:
    return f"{name}-{timezone.localdate().isoformat()}"


ORGANISATION_HEADER = [
    "id",
    "nom",
    "type",
    "famille",
    "siren",
    "rna",
    "adresse",
    "commune",
    "commune_nom",
    "latitude",
    "longitude",
    "themes",
    "reseaux",
    "site_web",
    "email_contact",
    "telephone_contact",
    "url",
    "demo",
]


def organisation_row(org: Organisation, base_url: str) -> list[Any]:
    return [
        org.pk,
        org.name,
        org.kind,
        org.family,
        org.siren,
        org.rna,
        org.address,
        org.commune.code if org.commune else "",
        org.commune.name if org.commune else "",
        org.latitude,
        org.longitude,
        "|".join(t.slug for t in org.themes.all()),
        "|".join(n.slug for n in org.networks.all()),
        org.website,
        org.contact_email if org.contact_public else "",
        org.contact_phone if org.contact_public else "",
        base_url + org.get_absolute_url(),
        "oui" if org.is_demo else "non",
    ]


def organisation_feature(org: Organisation, base_url: str) -> dict[str, Any] | None:
    if not org.has_coordinates:
        return None
    row = dict(zip(ORGANISATION_HEADER, organisation_row(org, base_url), strict=True))
    row.pop("latitude")
    row.pop("longitude")
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [org.longitude, org.latitude]},
        "properties": row,
    }
