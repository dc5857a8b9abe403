"""API of steering, mounted under /api/v1/ (public reads, open data)."""

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from turbine.core.api import MappedPage, Pagination, each
from turbine.steering import selectors
from turbine.steering.models import Indicator, JointResponse, JointResponseStatus, Mandate

router = Router(tags=["Pilotage"])


class IndicatorOut(Schema):
    id: int
    name: str
    unit: str
    direction: str
    scope: str
    source: str
    objective: int
    objective_title: str
    baseline_year: int
    baseline_value: float
    target_year: int
    target_value: float
    url: str
    is_demo: bool


def _indicator_out(indicator: Indicator) -> dict[str, Any]:
    return {
        "id": indicator.pk,
        "name": indicator.name,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "scope": indicator.scope,
        "source": indicator.source,
        "objective": indicator.objective_id,
        "objective_title": indicator.objective.title,
        "baseline_year": indicator.baseline_year,
        "baseline_value": indicator.baseline_value,
        "target_year": indicator.target_year,
        "target_value": indicator.target_value,
        "url": indicator.get_absolute_url(),
        "is_demo": indicator.is_demo,
    }


@router.get("/indicators", response=list[IndicatorOut], summary="Indicateurs du territoire")
@paginate(Pagination)
def indicators(request: HttpRequest) -> list[dict[str, Any]]:
    return [_indicator_out(i) for i in selectors.indicator_list()]


class ValueOut(Schema):
    year: int
    area_code: str = Field(description="vide : tout le territoire ; sinon SIREN ou code INSEE")
    value: float
    nature: str
    source: str


class ValuesFilter(Schema):
    area_code: str | None = Field(None, max_length=9, description="SIREN ou code INSEE")


@router.get(
    "/indicators/{indicator_id}/values",
    response=list[ValueOut],
    summary="Valeurs d'un indicateur, par territoire et par année",
)
@paginate(Pagination)
def indicator_values(request: HttpRequest, indicator_id: int, filters: Query[ValuesFilter]) -> Any:
    indicator = Indicator.objects.filter(pk=indicator_id).first()
    if indicator is None:
        raise Http404("Indicateur introuvable")
    qs = selectors.indicator_values(indicator)
    if filters.area_code is not None:
        qs = qs.filter(area_code=filters.area_code)
    return qs


class PortfolioRowOut(Schema):
    rank: int
    project: int
    title: str
    score: float = Field(description="somme pondérée des notes (0 à 5)")
    scores: dict[str, int]
    complete: bool
    probability_top_k: float


class WeightOut(Schema):
    criterion: str
    label: str
    weight: float


class PortfolioOut(Schema):
    weights: list[WeightOut]
    k: int
    draws: int
    items: list[PortfolioRowOut]


class PortfolioQuery(Schema):
    k: int = Field(10, ge=1, le=100, description="taille du peloton de tête")


@router.get("/portfolio", response=PortfolioOut, summary="Classement multicritère des projets")
def portfolio(request: HttpRequest, query: Query[PortfolioQuery]) -> dict[str, Any]:
    data = selectors.portfolio(k=query.k, limit=100)
    codes = [w[0] for w in data.weights]
    return {
        "weights": [{"criterion": c, "label": label, "weight": w} for c, label, w in data.weights],
        "k": data.k,
        "draws": data.draws,
        "items": [
            {
                "rank": row["rank"],
                "project": row["project"].pk,
                "title": row["project"].title,
                "score": round(row["total"], 6),
                "scores": dict(zip(codes, row["scores"], strict=True)),
                "complete": row["complete"],
                "probability_top_k": row["probability"],
            }
            for row in data.rows
        ],
    }


class MandateResultsOut(Schema):
    mandate: int
    title: str
    published: bool
    results: dict[str, Any] | None = Field(
        description="elected (numéros des candidats, à partir de 1, dans l'ordre d'élection), "
        "ranking (Schulze), rounds, candidates, quota, pairwise"
    )


@router.get(
    "/mandates/{mandate_id}/results",
    response=MandateResultsOut,
    summary="Résultats du vote des grands chantiers d'une mandature",
)
def mandate_results(request: HttpRequest, mandate_id: int) -> dict[str, Any]:
    mandate = Mandate.objects.filter(pk=mandate_id).first()
    if mandate is None:
        raise Http404("Mandature introuvable")
    published = mandate.results_published_at is not None
    return {
        "mandate": mandate.pk,
        "title": mandate.title,
        "published": published,
        "results": mandate.results if published else None,
    }


# --- Joint responses to cross-agglomeration calls ---------------------------------------------


class JointCallOut(Schema):
    id: int
    title: str
    url: str
    deadline: date | None = Field(description="date limite de dépôt ; vide : au fil de l'eau")
    funders: list[str]


class JointMemberOut(Schema):
    organisation: int
    name: str
    url: str
    role: str = Field(description="chef-de-file, partenaire ou associe")
    role_label: str
    agglomeration: str = Field(description="celle de la commune de la structure ; vide : aucune")
    contribution: str


class JointProjectOut(Schema):
    id: int
    title: str
    url: str


class JointResponseOut(Schema):
    id: int
    title: str
    summary: str
    status: str = Field(description="preparation, deposee, retenue ou non-retenue")
    status_label: str
    call: JointCallOut
    amount_requested: int | None = Field(description="montant demandé, en euros")
    submitted_on: date | None
    decided_on: date | None
    agglomerations: list[str] = Field(description="les agglomérations des structures membres")
    members: list[JointMemberOut]
    projects: list[JointProjectOut]
    url: str
    is_demo: bool


def _joint_response_out(response: JointResponse) -> dict[str, Any]:
    response = selectors.with_agglomerations(response)
    return {
        "id": response.pk,
        "title": response.title,
        "summary": response.summary,
        "status": response.status,
        "status_label": response.get_status_display(),
        "call": {
            "id": response.call.pk,
            "title": response.call.title,
            "url": response.call.get_absolute_url(),
            "deadline": response.call.deadline,
            "funders": [f.name for f in response.call.funders.all()],
        },
        "amount_requested": response.amount_requested,
        "submitted_on": response.submitted_on,
        "decided_on": response.decided_on,
        "agglomerations": [a.name for a in response.agglomerations],  # type: ignore[attr-defined]
        "members": [
            {
                "organisation": m.organisation_id,
                "name": m.organisation.name,
                "url": m.organisation.get_absolute_url(),
                "role": m.role,
                "role_label": m.get_role_display(),
                "agglomeration": m.agglomeration.name if m.agglomeration else "",  # type: ignore[attr-defined]
                "contribution": m.contribution,
            }
            for m in response.members.all()
        ],
        "projects": [
            {"id": b.project_id, "title": b.project.title, "url": b.project.get_absolute_url()}
            for b in response.bundled.all()
        ],
        "url": response.get_absolute_url(),
        "is_demo": response.is_demo,
    }


class JointResponseFilter(Schema):
    status: JointResponseStatus | None = Field(
        None, description="preparation, deposee, retenue ou non-retenue"
    )


@router.get(
    "/joint-responses",
    response=list[JointResponseOut],
    summary="Réponses communes des agglomérations aux appels à projets",
)
@paginate(Pagination)
def joint_responses(request: HttpRequest, filters: Query[JointResponseFilter]) -> Any:
    qs = selectors.joint_response_queryset(status=filters.status or "")
    return MappedPage(qs, each(_joint_response_out))


@router.get(
    "/joint-responses/{response_id}",
    response=JointResponseOut,
    summary="Une réponse commune à un appel à projets",
)
def joint_response(request: HttpRequest, response_id: int) -> dict[str, Any]:
    response = selectors.joint_response_queryset().filter(pk=response_id).first()
    if response is None:
        raise Http404("Réponse commune introuvable")
    return _joint_response_out(response)
