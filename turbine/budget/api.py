"""API resources of the budget app, mounted under /api/v1/ (public reads, open data)."""

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from turbine.budget import selectors, services
from turbine.budget.models import Proposal, ProposalStatus
from turbine.budget.results import RULE_LABELS
from turbine.core.api import Pagination, token_auth
from turbine.core.clients import client_ip
from turbine.core.exceptions import TurbineError
from turbine.core.models import Theme
from turbine.territory.models import Commune

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


class AgglomerationResultOut(Schema):
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
    per_agglomeration: list[AgglomerationResultOut]


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
    """Results are published on the campaign's results date (``results_date``; staff may
    publish them as soon as the vote is closed); ``rule`` defaults to the campaign's rule
    (``mes`` = equal shares without completion, for comparison). Reads only."""
    campaign = selectors.get_campaign_by_id(campaign_id=campaign_id)
    if not campaign.results_published:
        raise Http404(
            "Les résultats de cette campagne ne sont pas encore publiés : "
            + selectors.results_announcement(campaign=campaign, today=timezone.localdate())
        )
    chosen = rule or campaign.rule
    envelopes = []
    for item in selectors.campaign_results(campaign=campaign, rule=chosen):
        data = item["data"]
        if data is None:
            continue
        envelopes.append({"envelope": item["envelope"].pk, "name": item["envelope"].name, **data})
    return {
        "campaign": campaign.pk,
        "rule": chosen,
        "rule_label": RULE_LABELS[chosen],
        "envelopes": envelopes,
    }


class ProposalOut(Schema):
    id: int
    project_id: str = Field(description="identifiant dans l'export Pabulib")
    title: str
    description: str = Field(description="Markdown")
    status: str
    status_label: str
    commune: str | None = Field(None, description="code INSEE")
    place: str
    themes: list[str]
    estimated_cost: float
    revised_cost: float | None
    envelope: int | None
    public_reason: str
    url: str
    is_demo: bool


def _proposal_out(p: Proposal) -> dict[str, Any]:
    return {
        "id": p.pk,
        "project_id": p.project_id,
        "title": p.title,
        "description": p.description,
        "status": p.status,
        "status_label": p.get_status_display(),
        "commune": p.commune.code if p.commune else None,
        "place": p.place,
        "themes": [t.slug for t in p.themes.all()],
        "estimated_cost": float(p.estimated_cost),
        "revised_cost": float(p.revised_cost) if p.revised_cost is not None else None,
        "envelope": p.envelope_id,
        "public_reason": p.public_reason,
        "url": f"/budget-participatif/{p.campaign.slug}/propositions/{p.pk}/",
        "is_demo": p.is_demo,
    }


@router.get(
    "/budget/campaigns/{campaign_id}/proposals",
    response=list[ProposalOut],
    summary="Propositions d'une campagne",
)
@paginate(Pagination)
def proposals(
    request: HttpRequest,
    campaign_id: int,
    status: ProposalStatus | None = None,
    theme: str | None = None,
    agglomeration: str | None = Query(None, description="SIREN de l'agglomération"),
) -> list[dict[str, Any]]:
    campaign = selectors.get_campaign_by_id(campaign_id=campaign_id)
    qs = selectors.proposal_list(
        campaign=campaign, status=status, theme=theme, agglomeration=agglomeration
    ).select_related("campaign")
    return _LazyProposals(qs)


class _LazyProposals:
    """Serialises only the requested page (the paginator slices, then counts)."""

    def __init__(self, qs: Any) -> None:
        self.qs = qs

    def __len__(self) -> int:
        return self.qs.count()

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [_proposal_out(p) for p in self.qs[item]]


class ProposalIn(Schema):
    title: str = Field(min_length=1, max_length=160)
    description: str = Field(min_length=1, max_length=10_000)
    estimated_cost: float = Field(gt=0)
    commune: str | None = Field(None, description="code INSEE d'une commune du territoire")
    place: str = Field("", max_length=200)
    themes: list[str] = Field(default_factory=list, description="identifiants de thèmes")


@router.post(
    "/budget/campaigns/{campaign_id}/proposals",
    response={201: ProposalOut},
    auth=token_auth,
    summary="Déposer une idée (jeton, pendant le dépôt des idées)",
)
def proposal_create(request: HttpRequest, campaign_id: int, payload: ProposalIn) -> Status:
    """Mêmes règles que le formulaire : compte vérifié, commune de résidence du territoire."""
    campaign = selectors.get_campaign_by_id(campaign_id=campaign_id)
    commune = None
    if payload.commune:
        commune = (
            Commune.objects.select_related("agglomeration").filter(code=payload.commune).first()
        )
        if commune is None:
            raise TurbineError(f"Commune inconnue : « {payload.commune} ».", field="commune")
    themes = list(Theme.objects.filter(slug__in=payload.themes))
    if len(themes) != len(set(payload.themes)):
        raise TurbineError("Thème inconnu.", field="themes")
    proposal = services.proposal_submit(
        user=request.user,
        campaign=campaign,
        title=payload.title,
        description=payload.description,
        estimated_cost=Decimal(str(payload.estimated_cost)),
        commune=commune,
        place=payload.place,
        themes=themes,
        client_ip=client_ip(request),
    )
    proposal = selectors.get_proposal(campaign=campaign, proposal_id=proposal.pk)
    return Status(201, _proposal_out(proposal))
