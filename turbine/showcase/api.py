"""API of the showcase, mounted under /api/v1/: stories, study visits (and a visit request,
without an account, like the page), public blockers, public commitments."""

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from turbine.core.api import Pagination
from turbine.core.clients import client_ip
from turbine.showcase import selectors
from turbine.showcase.models import (
    ActorKind,
    BlockerLevel,
    CommitmentStatus,
    Language,
    StoryScope,
    VisitorOrigin,
)
from turbine.showcase.services import visits as visit_services

router = Router(tags=["Vitrine et diplomatie"])


class _Mapped:
    """A queryset that the paginator slices and counts, mapped to dicts after slicing."""

    def __init__(self, qs: Any, mapper: Any) -> None:
        self.qs, self.mapper = qs, mapper

    def __len__(self) -> int:
        return self.qs.count()

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        return [self.mapper(item) for item in self.qs[key]]


class ShowcaseCommuneOut(Schema):
    code: str
    name: str


class ShowcaseRefOut(Schema):
    id: int
    title: str


class StoryOut(Schema):
    id: int
    title: str
    summary: str
    scope: str = Field(description="local ou global")
    objective: str
    indicator_note: str
    policy_level: str
    policy: str
    published_at: datetime | None
    organisation: str | None
    communes: list[ShowcaseCommuneOut]
    themes: list[str]
    steering_objectives: list[int] = Field(
        description="objectifs 2038 cités (GET /pilotage/objectifs/{id}/)"
    )
    steering_indicators: list[int] = Field(description="indicateurs cités (GET /api/v1/indicators)")
    url: str
    is_demo: bool


class StoryFilterIn(Schema):
    commune: str | None = Field(None, max_length=5, description="code INSEE")
    theme: str | None = Field(None, max_length=60, description="identifiant de thème")
    scope: StoryScope | None = None


def _story_out(story: Any) -> dict[str, Any]:
    return {
        "id": story.pk,
        "title": story.title,
        "summary": story.summary,
        "scope": story.scope,
        "objective": story.objective,
        "indicator_note": story.indicator_note,
        "policy_level": story.policy_level,
        "policy": story.policy,
        "published_at": story.published_at,
        "organisation": story.organisation.name if story.organisation_id else None,
        "communes": [{"code": c.code, "name": c.name} for c in story.communes.all()],
        "themes": [t.slug for t in story.themes.all()],
        "steering_objectives": [o.pk for o in story.steering_objectives.all()],
        "steering_indicators": [i.pk for i in story.steering_indicators.all()],
        "url": story.get_absolute_url(),
        "is_demo": story.is_demo,
    }


@router.get("/stories", response=list[StoryOut], summary="Récits publiés")
@paginate(Pagination)
def stories(request: HttpRequest, filters: Query[StoryFilterIn]) -> Any:
    """Les récits publiés, les plus récents d'abord ; le texte se lit sur la page du récit."""
    qs = selectors.story_list(
        filters=selectors.ShowcaseFilters(
            commune=filters.commune or "",
            theme=filters.theme or "",
            scope=filters.scope or "",
        )
    )
    return _Mapped(qs, _story_out)


class VisitSlotOut(Schema):
    id: int
    start: datetime
    capacity: int
    remaining: int


class VisitHostOut(Schema):
    id: int
    name: str


class VisitOut(Schema):
    id: int
    title: str
    host: VisitHostOut
    commune: ShowcaseCommuneOut
    meeting_point: str
    learnings: str
    languages: list[str]
    duration_minutes: int
    step_free: bool
    accessibility: str
    project: ShowcaseRefOut | None
    themes: list[str]
    slots: list[VisitSlotOut] = Field(description="dates à venir")
    url: str
    is_demo: bool


class VisitFilterIn(Schema):
    commune: str | None = Field(None, max_length=5, description="code INSEE")
    theme: str | None = Field(None, max_length=60, description="identifiant de thème")
    language: Language | None = None


def _visit_out(offer: Any) -> dict[str, Any]:
    return {
        "id": offer.pk,
        "title": offer.title,
        "host": {"id": offer.host_id, "name": offer.host.name},
        "commune": {"code": offer.commune.code, "name": offer.commune.name},
        "meeting_point": offer.meeting_point,
        "learnings": offer.learnings,
        "languages": offer.languages,
        "duration_minutes": offer.duration_minutes,
        "step_free": offer.step_free,
        "accessibility": offer.accessibility,
        "project": {"id": offer.project.pk, "title": offer.project.title}
        if offer.project_id and offer.project.is_public
        else None,
        "themes": [t.slug for t in offer.themes.all()],
        "slots": [
            {"id": s.pk, "start": s.start, "capacity": s.capacity, "remaining": s.remaining}
            for s in offer.upcoming
        ],
        "url": offer.get_absolute_url(),
        "is_demo": offer.is_demo,
    }


@router.get("/visits", response=list[VisitOut], summary="Visites apprenantes")
@paginate(Pagination)
def visits(request: HttpRequest, filters: Query[VisitFilterIn]) -> Any:
    """Les visites proposées par les acteurs, avec leurs dates à venir et les places libres."""
    qs = selectors.visit_offer_list(
        filters=selectors.ShowcaseFilters(
            commune=filters.commune or "",
            theme=filters.theme or "",
            language=filters.language or "",
        )
    )
    return _Mapped(qs, _visit_out)


class VisitRequestIn(Schema):
    slot: int = Field(..., ge=1, le=2**31 - 1, description="identifiant de la date choisie")
    contact_name: str = Field(..., min_length=1, max_length=120)
    email: str = Field(..., min_length=3, max_length=254)
    group_name: str = Field(..., min_length=1, max_length=200)
    origin: VisitorOrigin
    country: str = Field("France", min_length=1, max_length=80)
    group_size: int = Field(..., ge=1, le=500)
    language: Language
    needs: str = Field("", max_length=500)
    message: str = Field("", max_length=2000)


class VisitRequestOut(Schema):
    id: int
    visit: int
    slot: int
    status: str = Field(description="attente : places réservées, en attente de la structure")
    personal_url: str = Field(description="lien personnel de suivi, aussi envoyé par courriel")


@router.post(
    "/visits/{visit_id}/requests",
    response={201: VisitRequestOut},
    summary="Demander une visite (sans compte)",
)
def visit_request(request: HttpRequest, visit_id: int, body: VisitRequestIn) -> Status:
    """Comme sur la page de la visite : les places sont réservées dès la demande, sous verrou
    (deux groupes ne peuvent pas prendre les mêmes dernières places), et le lien personnel de
    suivi est envoyé par courriel au contact."""
    created = visit_services.visit_request_create(
        offer_id=visit_id,
        data=visit_services.VisitRequestData(
            slot_id=body.slot,
            contact_name=body.contact_name,
            email=body.email,
            group_name=body.group_name,
            origin=body.origin,
            country=body.country,
            group_size=body.group_size,
            language=body.language,
            needs=body.needs,
            message=body.message,
        ),
        client_ip=client_ip(request),
    )
    return Status(
        201,
        {
            "id": created.pk,
            "visit": visit_id,
            "slot": created.slot_id,
            "status": created.status,
            "personal_url": settings.SITE_URL + visit_services.personal_path(created),
        },
    )


class BlockerFileOut(Schema):
    id: int
    title: str
    status: str


class BlockerOut(Schema):
    id: int
    title: str
    description: str
    rule: str
    level: str
    file: BlockerFileOut | None
    projects: list[ShowcaseRefOut]
    created_at: datetime
    url: str
    is_demo: bool


class BlockerFilterIn(Schema):
    level: BlockerLevel | None = None


def _blocker_out(report: Any) -> dict[str, Any]:
    return {
        "id": report.pk,
        "title": report.title,
        "description": report.description,
        "rule": report.rule,
        "level": report.level,
        "file": {"id": report.file.pk, "title": report.file.title, "status": report.file.status}
        if report.file_id
        else None,
        "projects": [{"id": p.pk, "title": p.title} for p in report.projects.all()],
        "created_at": report.created_at,
        "url": report.get_absolute_url(),
        "is_demo": report.is_demo,
    }


@router.get("/blockers", response=list[BlockerOut], summary="Blocages publics")
@paginate(Pagination)
def blockers(request: HttpRequest, filters: Query[BlockerFilterIn]) -> Any:
    """Les blocages qualifiés par l'équipe et rendus publics par leur porteur ; les autres ne
    paraissent que dans les chiffres d'ensemble de la page /blocages/."""
    return _Mapped(
        selectors.public_blockers(filters=selectors.ShowcaseFilters(level=filters.level or "")),
        _blocker_out,
    )


class CommitmentActorOut(Schema):
    id: int
    name: str
    kind: str
    relation: str = Field(description="rencontre, engage ou partenaire")


class CommitmentOut(Schema):
    id: int
    title: str
    actor: CommitmentActorOut
    announced_on: date
    due_on: date | None
    status: str = Field(description="en-cours, tenu, en-retard, abandonne")
    follow_up: str
    checked_on: date | None
    source_url: str
    is_demo: bool


class CommitmentFilterIn(Schema):
    status: CommitmentStatus | None = None
    kind: ActorKind | None = Field(None, description="type d'acteur")


def _commitment_out(c: Any) -> dict[str, Any]:
    return {
        "id": c.pk,
        "title": c.title,
        "actor": {
            "id": c.actor_id,
            "name": c.actor.name,
            "kind": c.actor.kind,
            "relation": c.actor.relation,
        },
        "announced_on": c.announced_on,
        "due_on": c.due_on,
        "status": c.status,
        "follow_up": c.follow_up,
        "checked_on": c.checked_on,
        "source_url": c.source_url,
        "is_demo": c.is_demo,
    }


@router.get("/commitments", response=list[CommitmentOut], summary="Engagements publics")
@paginate(Pagination)
def commitments(request: HttpRequest, filters: Query[CommitmentFilterIn]) -> Any:
    """Les engagements publics des acteurs du territoire pour la transition, et leur suivi."""
    return _Mapped(
        selectors.commitment_list(status=filters.status or "", kind=filters.kind or ""),
        _commitment_out,
    )
