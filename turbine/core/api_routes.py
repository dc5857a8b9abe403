"""API resources of the socle: themes and search."""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from turbine.core import search as search_index
from turbine.core.models import Theme

router = Router(tags=["Socle"])


class ThemeOut(Schema):
    slug: str
    name: str
    description: str


@router.get("/themes", response=list[ThemeOut], summary="Thèmes de la transition")
def themes(request: HttpRequest) -> list[Theme]:
    """La taxonomie commune à toute la Turbine ; les identifiants (`slug`) sont stables."""
    return list(Theme.objects.all())


class SearchIn(Schema):
    q: str = Field(..., min_length=1, max_length=200, description="texte recherché")
    type: str | None = Field(None, max_length=40, description="type de contenu (commune…)")
    theme: str | None = Field(None, max_length=60, description="identifiant de thème")
    commune: str | None = Field(None, max_length=5, description="code INSEE")
    page: int = Field(1, ge=1, le=1000)
    page_size: int = Field(20, ge=1, le=100)


class HitOut(Schema):
    type: str = Field(..., alias="kind")
    type_label: str = Field(..., alias="kind_label")
    id: str = Field(..., alias="object_id")
    title: str
    url: str
    excerpt: str


class SearchOut(Schema):
    count: int
    counts_by_type: dict[str, int]
    items: list[HitOut]


@router.get("/search", response=SearchOut, summary="Recherche dans tout le contenu public")
def search(request: HttpRequest, params: Query[SearchIn]) -> dict:
    """Sans accents ni majuscules, avec racinisation française ; classée par pertinence, un mot du
    titre comptant plus qu'un mot du texte."""
    page = search_index.search(
        params.q,
        kinds=[params.type] if params.type else (),
        theme=params.theme,
        commune=params.commune,
        page=params.page,
        page_size=params.page_size,
    )
    return {"count": page.count, "counts_by_type": page.counts_by_kind, "items": page.hits}
