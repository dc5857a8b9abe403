"""Geocoding addresses with the Base Adresse Nationale (BAN) API, when configured.

``settings.TURBINE_GEOCODER_URL`` (for instance ``https://api-adresse.data.gouv.fr/search/``)
turns it on; without it, coordinates come from a click on the map or are typed. Every network
call goes through ``_fetch``, the one seam tests replace with a recorded response.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from turbine.core import http
from turbine.core.exceptions import TurbineError

DEFAULT_TIMEOUT = 5.0
MIN_SCORE = 0.4


class GeocodingError(TurbineError):
    pass


def geocoder_url() -> str | None:
    return getattr(settings, "TURBINE_GEOCODER_URL", None) or None


def _fetch(url: str, params: dict[str, Any], timeout: float) -> dict[str, Any]:
    return http.fetch_json(url, params=params, timeout=timeout)


def geocode(*, address: str, commune_code: str | None = None) -> tuple[float, float]:
    """(latitude, longitude) of the address, or ``GeocodingError`` with a French reason."""
    url = geocoder_url()
    if not url:
        raise GeocodingError("Le géocodage n'est pas configuré sur ce site.")
    params: dict[str, Any] = {"q": address[:200], "limit": 1}
    if commune_code:
        params["citycode"] = commune_code
    timeout = float(getattr(settings, "TURBINE_GEOCODER_TIMEOUT", DEFAULT_TIMEOUT))
    try:
        data = _fetch(url, params, timeout)
    except http.HttpTimeout:
        raise GeocodingError(
            "Le service de géocodage (Base Adresse Nationale) n'a pas répondu à temps."
        ) from None
    except http.HttpError:
        raise GeocodingError(
            "Le service de géocodage (Base Adresse Nationale) est indisponible."
        ) from None
    features = data.get("features") or []
    if not features or float(features[0].get("properties", {}).get("score", 0)) < MIN_SCORE:
        raise GeocodingError("La Base Adresse Nationale ne reconnaît pas cette adresse.")
    try:
        longitude, latitude = features[0]["geometry"]["coordinates"][:2]
        return float(latitude), float(longitude)
    except (KeyError, TypeError, ValueError):
        raise GeocodingError("La réponse du service de géocodage est illisible.") from None
