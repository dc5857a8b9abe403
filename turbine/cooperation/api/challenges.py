"""API resources of common challenges, mounted under /api/v1/ (public reads, pledges with a
token)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from turbine.cooperation.models import Challenge
from turbine.cooperation.selectors import challenges as selectors
from turbine.cooperation.services import challenges as services
from turbine.core.api import MappedPage, Pagination, each, token_auth

router = Router(tags=["Défis communs"])


class ChallengeOut(Schema):
    id: int
    title: str
    description: str
    status: str = Field(description="proposition, retenu, non-retenu")
    indicator: str
    unit: str
    baseline: float
    target: float
    deadline: datetime.date
    scope: str
    approvals: int = Field(description="approbations (vote par approbation)")
    pledges: int
    url: str
    is_demo: bool


def _challenge_out(c: Challenge) -> dict[str, Any]:
    return {
        "id": c.pk,
        "title": c.title,
        "description": c.description,
        "status": c.status,
        "indicator": c.indicator,
        "unit": c.unit,
        "baseline": float(c.baseline),
        "target": float(c.target),
        "deadline": c.deadline,
        "scope": c.scope,
        "approvals": c.approval_count,
        "pledges": c.pledge_count,
        "url": c.get_absolute_url(),
        "is_demo": c.is_demo,
    }


@router.get("/challenges", response=list[ChallengeOut], summary="Défis communs")
@paginate(Pagination)
def challenges(request: HttpRequest) -> Any:
    """Les défis communs, retenus ou soumis au vote, les plus approuvés d'abord."""
    return MappedPage(selectors.challenge_list(), each(_challenge_out))


class PledgeProgressOut(Schema):
    id: int
    description: str
    actor: str
    commune: str | None = Field(description="code INSEE")
    quantity: float
    reported: float
    due_date: datetime.date
    threshold: int | None
    holds: bool = Field(description="faux tant qu'un engagement conditionnel attend les autres")
    kept: bool
    late: bool


class ChallengeAmountOut(Schema):
    name: str
    value: float


class ChallengeYearOut(Schema):
    year: int
    reported: float
    value: float = Field(description="valeur de l'indicateur en fin d'année")


class ChallengeProgressOut(Schema):
    challenge: int
    unit: str
    baseline: float
    target: float
    current: float
    reported: float
    pledged: float
    share: float = Field(description="part du chemin parcouru de la valeur de départ à la cible")
    kept: int
    late: int
    waiting: int
    by_commune: list[ChallengeAmountOut]
    by_actor: list[ChallengeAmountOut]
    by_year: list[ChallengeYearOut]
    pledges: list[PledgeProgressOut]


@router.get(
    "/challenges/{challenge_id}/progress",
    response=ChallengeProgressOut,
    summary="Avancement d'un défi",
)
def progress(request: HttpRequest, challenge_id: int) -> dict[str, Any]:
    challenge = selectors.get_challenge(challenge_id=challenge_id)
    p = selectors.challenge_progress(challenge=challenge)
    return {
        "challenge": challenge.pk,
        "unit": challenge.unit,
        "baseline": float(challenge.baseline),
        "target": float(challenge.target),
        "current": float(p.current),
        "reported": float(p.reported),
        "pledged": float(p.pledged),
        "share": p.share,
        "kept": p.kept,
        "late": p.late,
        "waiting": p.waiting,
        "by_commune": [{"name": n, "value": float(v)} for n, v in p.by_commune],
        "by_actor": [{"name": n, "value": float(v)} for n, v in p.by_actor],
        "by_year": [{"year": y, "reported": float(r), "value": float(v)} for y, r, v in p.by_year],
        "pledges": [
            {
                "id": line.pledge.pk,
                "description": line.pledge.description,
                "actor": line.actor,
                "commune": line.pledge.commune.code if line.pledge.commune_id else None,
                "quantity": float(line.pledge.quantity),
                "reported": float(line.reported),
                "due_date": line.pledge.due_date,
                "threshold": line.pledge.threshold,
                "holds": line.holds,
                "kept": line.kept,
                "late": line.late,
            }
            for line in p.pledges
        ],
    }


class PledgeIn(Schema):
    quantity: Decimal = Field(..., gt=0, le=1_000_000_000_000, decimal_places=2, max_digits=14)
    description: str = Field(..., min_length=1, max_length=300)
    due_date: datetime.date
    commune: str | None = Field(None, max_length=5, description="code INSEE")
    organisation: int | None = Field(None, ge=1, le=2_000_000_000)
    threshold: int | None = Field(
        None, ge=1, le=10_000, description="seulement si ce nombre d'autres s'engagent aussi"
    )


class PledgeOut(Schema):
    id: int
    challenge: int
    quantity: float
    description: str
    due_date: datetime.date
    threshold: int | None


@router.post(
    "/challenges/{challenge_id}/pledges",
    response={201: PledgeOut},
    auth=token_auth,
    summary="M'engager sur un défi (jeton)",
)
def pledge(request: HttpRequest, challenge_id: int, payload: PledgeIn) -> Status:
    """Engage la personne titulaire du jeton (ou une organisation dont elle est membre) sur
    une quantité, à une date, éventuellement sous condition que d'autres s'engagent."""
    selectors.get_challenge(challenge_id=challenge_id)  # 404 for a hidden or unknown challenge
    created = services.pledge_create(
        user=request.user,
        challenge_id=challenge_id,
        quantity=payload.quantity,
        description=payload.description,
        due_date=payload.due_date,
        commune_code=payload.commune or "",
        organisation_id=payload.organisation,
        threshold=payload.threshold,
    )
    return Status(
        201,
        {
            "id": created.pk,
            "challenge": challenge_id,
            "quantity": float(created.quantity),
            "description": created.description,
            "due_date": created.due_date,
            "threshold": created.threshold,
        },
    )
