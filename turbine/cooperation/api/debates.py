"""API resources of debates, mounted under /api/v1/ (public reads)."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from turbine.cooperation.selectors import debates as selectors
from turbine.core.api import MappedPage, Pagination, each

router = Router(tags=["Débats"])


class DebateOut(Schema):
    id: int
    question: str
    is_open: bool
    arguments_for: int = Field(description="arguments pour (hors réponses)")
    arguments_against: int = Field(description="arguments contre (hors réponses)")
    themes: list[str]
    agreements: str = Field(description="synthèse : points d'accord (Markdown)")
    disagreements: str = Field(description="synthèse : points de désaccord (Markdown)")
    open_questions: str = Field(description="synthèse : questions ouvertes (Markdown)")
    created_at: datetime
    url: str
    is_demo: bool


def _debate_out(d: Any) -> dict[str, Any]:
    return {
        "id": d.pk,
        "question": d.question,
        "is_open": d.is_open,
        "arguments_for": d.for_count,
        "arguments_against": d.against_count,
        "themes": [t.slug for t in d.themes.all()],
        "agreements": d.agreements,
        "disagreements": d.disagreements,
        "open_questions": d.open_questions,
        "created_at": d.created_at,
        "url": d.get_absolute_url(),
        "is_demo": d.is_demo,
    }


@router.get("/debates", response=list[DebateOut], summary="Débats")
@paginate(Pagination)
def debates(request: HttpRequest) -> Any:
    """Les débats publics, ouverts d'abord, avec le nombre d'arguments de chaque côté et la
    synthèse de la modération."""
    return MappedPage(selectors.debate_list(), each(_debate_out))
