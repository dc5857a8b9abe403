"""API resources of the territory: communes and agglomerations."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from turbine.core.api import Pagination
from turbine.territory import selectors
from turbine.territory.models import Agglomeration, Commune

router = Router(tags=["Territoire"])


class CommuneOut(Schema):
    code: str
    name: str
    postal_codes: list[str]
    population: int
    department: str
    agglomeration: str = Field(..., alias="agglomeration.siren")


class AgglomerationOut(Schema):
    siren: str
    name: str
    kind: str
    population: int
    commune_count: int


class CommuneFilters(Schema):
    agglomeration: str | None = Field(
        None, max_length=9, description="SIREN de l'agglomération (EPCI)"
    )
    q: str | None = Field(None, max_length=100, description="nom (sans accents) ou code postal")


@router.get("/communes", response=list[CommuneOut], summary="Communes du territoire")
@paginate(Pagination)
def communes(request: HttpRequest, filters: Query[CommuneFilters]) -> QuerySet[Commune]:
    return selectors.commune_list(
        territory=selectors.get_current_territory(),
        agglomeration=filters.agglomeration,
        text=filters.q,
    )


@router.get("/communes/{code}", response=CommuneOut, summary="Une commune")
def commune(request: HttpRequest, code: str) -> Commune:
    return selectors.get_commune(territory=selectors.get_current_territory(), code=code)


@router.get(
    "/agglomerations", response=list[AgglomerationOut], summary="Agglomérations du territoire"
)
def agglomerations(request: HttpRequest) -> list[Agglomeration]:
    return list(selectors.agglomeration_list(territory=selectors.get_current_territory()))


@router.get("/agglomerations/{siren}", response=AgglomerationOut, summary="Une agglomération")
def agglomeration(request: HttpRequest, siren: str) -> Agglomeration:
    return selectors.get_agglomeration(territory=selectors.get_current_territory(), siren=siren)
