"""Read queries on the territory, shared by views and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, QuerySet, Sum
from django.http import Http404

from turbine.core.search import fold
from turbine.territory.models import Agglomeration, Commune, Territory


def commune_search_key(text: str) -> str:
    """The form of a name or postal code that ``Commune.search_key`` holds."""
    return " ".join(fold(text).replace("-", " ").replace("'", " ").split())


def get_current_territory() -> Territory | None:
    """The territory this site serves (``settings.TURBINE_TERRITORY``), or None before import."""
    return Territory.objects.filter(slug=settings.TURBINE_TERRITORY).first()


@dataclass(frozen=True)
class TerritoryFigures:
    agglomerations: int
    communes: int
    population: int


def territory_figures(territory: Territory) -> TerritoryFigures:
    """The territory in figures, in two queries whatever its size."""
    communes = Commune.objects.filter(agglomeration__territory=territory).aggregate(
        n=Count("id"), population=Sum("population")
    )
    return TerritoryFigures(
        agglomerations=territory.agglomerations.count(),
        communes=communes["n"] or 0,
        population=communes["population"] or 0,
    )


def agglomeration_list(*, territory: Territory | None) -> QuerySet[Agglomeration]:
    if territory is None:
        return Agglomeration.objects.none()
    return territory.agglomerations.annotate(
        commune_count=Count("communes"), commune_population=Sum("communes__population")
    ).order_by("name")


def commune_list(
    *,
    territory: Territory | None,
    agglomeration: str | None = None,
    text: str | None = None,
) -> QuerySet[Commune]:
    """Communes of the territory, filtered by agglomeration SIREN and by name or postal code."""
    if territory is None:
        return Commune.objects.none()
    qs = Commune.objects.filter(agglomeration__territory=territory).select_related("agglomeration")
    if agglomeration:
        qs = qs.filter(agglomeration__siren=agglomeration)
    if text:
        key = commune_search_key(text)
        qs = qs.filter(code=text.strip()) | qs.filter(search_key__contains=key)
    return qs.order_by("search_key", "code")


def get_commune(*, territory: Territory | None, code: str) -> Commune:
    try:
        return commune_list(territory=territory).get(code=code)
    except Commune.DoesNotExist:
        raise Http404("Commune introuvable") from None


def get_agglomeration(*, territory: Territory | None, siren: str) -> Agglomeration:
    try:
        return agglomeration_list(territory=territory).get(siren=siren)
    except Agglomeration.DoesNotExist:
        raise Http404("Agglomération introuvable") from None
