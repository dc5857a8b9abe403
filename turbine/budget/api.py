"""API resources of the budget app, mounted under /api/v1/ (public reads, open data)."""

from datetime import date
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from turbine.budget import selectors
from turbine.budget.results import RULE_LABELS, campaign_results_compute
from turbine.core.api import Pagination

router = Router(tags=["Budget participatif"])


class EnvelopeOut(Schema):
    id: int
    name: str
    budget: float
    agglomeration: str | None = Field(None, description="SIREN de l'agglomération réservataire")
    min_cost: float | None
    max_cost: float | None


class CampaignOut(Schema):
    id: int
    slug: str
    title: str
    year: int
    total_budget: float
    ballot_type: str
    rule: str
    min_age: int
    phase: str
    submission_start: date
    submission_end: date
    feasibility_end: date
    vote_start: date
    vote_end: date
    results_date: date
    realisation_date: date
    url: str
    envelopes: list[EnvelopeOut]
    is_demo: bool


def _campaign_out(campaign: Any) -> dict[str, Any]:
    return {
        "id": campaign.pk,
        "slug": campaign.slug,
        "title": campaign.title,
        "year": campaign.year,
        "total_budget": float(campaign.total_budget),
        "ballot_type": campaign.ballot_type,
        "rule": campaign.rule,
        "min_age": campaign.min_age,
        "phase": campaign.phase_on(timezone.localdate()),
        "submission_start": campaign.submission_start,
        "submission_end": campaign.submission_end,
        "feasibility_end": campaign.feasibility_end,
        "vote_start": campaign.vote_start,
        "vote_end": campaign.vote_end,
        "results_date": campaign.results_date,
        "realisation_date": campaign.realisation_date,
        "url": campaign.get_absolute_url(),
        "envelopes": [
            {
                "id": e.pk,
                "name": e.name,
                "budget": float(e.budget),
                "agglomeration": e.agglomeration.siren if e.agglomeration else None,
                "min_cost": float(e.min_cost) if e.min_cost is not None else None,
                "max_cost": float(e.max_cost) if e.max_cost is not None else None,
            }
            for e in campaign.envelopes.all()
        ],
        "is_demo": campaign.is_demo,
    }


@router.get(
    "/budget/campaigns", response=list[CampaignOut], summary="Campagnes de budget participatif"
)
@paginate(Pagination)
def campaigns(request: HttpRequest) -> list[dict[str, Any]]:
    qs = selectors.campaign_list().prefetch_related("envelopes__agglomeration")
    return [_campaign_out(c) for c in qs]


class ProjectResultOut(Schema):
    id: str = Field(description="identifiant du projet (celui de l'export Pabulib)")
    proposal: int
    title: str
    cost: float
    votes: int = Field(description="soutiens (approbation) ou points (cumulatif)")
    selected: bool
    position: int | None = Field(description="rang de sélection, pour les projets financés")
    explanation: str


class FairnessOut(Schema):
    voters_with_funded_project: int
    share_voters_with_funded_project: float
    spent: float
    share_spent: float
    funded_count: int


class AgglomerationOut(Schema):
    name: str
    funded: int
    cost: float


class EnvelopeResultOut(Schema):
    envelope: int
    name: str
    budget: float
    num_voters: int
    selected: list[str]
    total_cost: float
    projects: list[ProjectResultOut]
    fairness: FairnessOut
    per_agglomeration: list[AgglomerationOut]


class ResultsOut(Schema):
    campaign: int
    rule: str
    rule_label: str
    envelopes: list[EnvelopeResultOut]


@router.get(
    "/budget/campaigns/{campaign_id}/results",
    response=ResultsOut,
    summary="Résultats d'une campagne, avec la règle choisie ou une autre",
)
def results(
    request: HttpRequest,
    campaign_id: int,
    rule: Literal["mes-completed", "mes", "greedy"] | None = None,
) -> dict[str, Any]:
    """Results are public from the campaign's results date; ``rule`` defaults to the campaign's
    rule (``mes`` = equal shares without completion, for comparison)."""
    campaign = selectors.get_campaign_by_id(campaign_id=campaign_id)
    if not campaign.results_public_on(timezone.localdate()):
        raise Http404("Les résultats de cette campagne ne sont pas encore publiés")
    chosen = rule or campaign.rule
    campaign_results_compute(campaign=campaign, rules=[chosen])
    envelopes = []
    for item in selectors.campaign_results(campaign=campaign, rule=chosen):
        data = item["data"]
        envelopes.append({"envelope": item["envelope"].pk, "name": item["envelope"].name, **data})
    return {
        "campaign": campaign.pk,
        "rule": chosen,
        "rule_label": RULE_LABELS[chosen],
        "envelopes": envelopes,
    }
