"""API resources of the guichet app, mounted under /api/v1/."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from turbine.core.models import Theme
from turbine.funding.api import AidOut
from turbine.funding.models import Beneficiary
from turbine.guichet import matching
from turbine.guichet.models import Need
from turbine.projects.models import Stage
from turbine.territory.models import Commune

router = Router(tags=["Guichet unique"])


class MatchIn(Schema):
    title: str = Field(..., max_length=200, description="titre du projet")
    description: str = Field("", max_length=10_000, description="description du projet")
    commune: str = Field(..., max_length=5, description="code INSEE de la commune du projet")
    beneficiary: str = Field(..., description="bénéficiaire : " + ", ".join(Beneficiary.values))
    themes: list[str] = Field(default_factory=list, description="identifiants de thèmes")
    stage: str = Field("idee", description="étape : " + ", ".join(Stage.values))
    budget: Decimal | None = Field(None, ge=0, description="budget estimé en euros")
    needs: list[str] = Field(
        default_factory=list, description="besoins : " + ", ".join(Need.values)
    )


class AidMatchOut(AidOut):
    score: int
    reasons: list[str]


class ItemOut(Schema):
    id: int
    title: str
    url: str
    score: int
    reasons: list[str]


class PersonItemOut(Schema):
    id: int
    name: str
    role: str
    url: str
    score: int
    reasons: list[str]


class MentorItemOut(Schema):
    id: int
    name: str
    project: str
    url: str
    score: int
    reasons: list[str]


class ProcedureItemOut(ItemOut):
    what_to_do: str
    whom_to_ask: str


class MatchOut(Schema):
    aids: list[AidMatchOut]
    advisors: list[PersonItemOut]
    mentors: list[MentorItemOut]
    projects: list[ItemOut]
    offers: list[ItemOut]
    procedures: list[ProcedureItemOut]


class FieldError(Schema):
    field: str
    message: str


class InvalidOut(Schema):
    detail: str
    errors: list[FieldError]


def parse_match(data: MatchIn) -> tuple[matching.MatchQuery | None, dict[str, str]]:
    """The match query, or the French message of every invalid field."""
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = "Indiquez le titre du projet."
    commune = (
        Commune.objects.select_related("agglomeration")
        .filter(code=data.commune.strip().upper())
        .first()
    )
    if commune is None:
        errors["commune"] = "Commune inconnue : indiquez le code INSEE d'une commune."
    if data.beneficiary not in Beneficiary.values:
        errors["beneficiary"] = "Bénéficiaire inconnu : " + ", ".join(Beneficiary.values) + "."
    themes = list(Theme.objects.filter(slug__in=data.themes))
    unknown = sorted(set(data.themes) - {t.slug for t in themes})
    if unknown:
        errors["themes"] = "Thème inconnu : " + ", ".join(unknown) + "."
    if data.stage not in Stage.values:
        errors["stage"] = "Étape inconnue : " + ", ".join(Stage.values) + "."
    bad_needs = [n for n in data.needs if n not in Need.values]
    if bad_needs:
        errors["needs"] = "Besoin inconnu : " + ", ".join(bad_needs) + "."
    if errors:
        return None, errors
    return (
        matching.MatchQuery(
            title=data.title.strip(),
            description=data.description.strip(),
            commune=commune,
            beneficiary=data.beneficiary,
            themes=themes,
            stage=data.stage,
            budget=data.budget,
            needs=list(dict.fromkeys(data.needs)),
        ),
        {},
    )


def _aid(item: matching.Item) -> Any:
    aid = item.obj
    aid.score = item.score
    aid.reasons = item.reasons
    return aid


def _plain(item: matching.Item, **extra: Any) -> dict[str, Any]:
    return {
        "id": item.id,
        "title": item.title,
        "url": item.url,
        "score": item.score,
        "reasons": item.reasons,
        **extra,
    }


def _person(item: matching.Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": item.title,
        "role": item.extra.get("role", ""),
        "url": item.url,
        "score": item.score,
        "reasons": item.reasons,
    }


def match_payload(result: matching.MatchResult) -> dict[str, Any]:
    return {
        "aids": [_aid(i) for i in result.aids],
        "advisors": [_person(i) for i in result.advisors],
        "mentors": [
            {
                "id": i.id,
                "name": i.title,
                "project": i.extra["project"],
                "url": i.url,
                "score": i.score,
                "reasons": i.reasons,
            }
            for i in result.mentors
        ],
        "projects": [_plain(i) for i in result.projects],
        "offers": [_plain(i) for i in result.offers],
        "procedures": [
            _plain(i, what_to_do=i.extra["what_to_do"], whom_to_ask=i.extra["whom_to_ask"])
            for i in result.procedures
        ],
    }


@router.post(
    "/guichet/match",
    response={200: MatchOut, 422: InvalidOut},
    summary="Ce que la Turbine trouve pour un projet",
)
def match(request: HttpRequest, payload: MatchIn) -> Any:
    """Un projet décrit en entrée ; en sortie, les aides ouvertes auxquelles le porteur est
    éligible, les conseillers et personnes-ressources, les parrains, les projets proches, les
    offres et les démarches administratives, classés, chacun avec son `score` et ses raisons
    (`reasons`). Rien n'est enregistré. Les aides portent les mêmes champs que `/aids`."""
    query, errors = parse_match(payload)
    if query is None:
        summary = "; ".join(f"{field} : {message}" for field, message in errors.items())
        return Status(
            422,
            {
                "detail": f"Requête invalide. {summary}",
                "errors": [{"field": f, "message": m} for f, m in errors.items()],
            },
        )
    return Status(200, match_payload(matching.match(query)))
