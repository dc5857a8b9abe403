"""API resources of the funding app, mounted under /api/v1/."""

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from turbine.core.api import Pagination
from turbine.funding import selectors
from turbine.funding.models import Aid, AidType, Beneficiary, Funder
from turbine.funding.selectors import MAX_THEME_FILTERS, AidFilters

router = Router(tags=["Financements"])


class AidFiltersIn(Schema):
    commune: str | None = Field(None, max_length=5, description="code INSEE d'une commune")
    beneficiary: str | None = Field(
        None, description="bénéficiaire : " + ", ".join(Beneficiary.values)
    )
    theme: list[str] = Field(
        default_factory=list,
        max_length=MAX_THEME_FILTERS,
        description=f"identifiant de thème (répétable, {MAX_THEME_FILTERS} fois au plus)",
    )
    type: str | None = Field(None, description="type d'aide : " + ", ".join(AidType.values))
    open: bool = Field(False, description="ouvertes aujourd'hui")
    closing_within: int | None = Field(None, ge=1, le=366, description="clôture sous N jours")
    call_for_projects: bool = Field(False, description="appels à projets et AMI seulement")
    funder: int | None = Field(None, ge=1, description="identifiant de financeur")
    q: str | None = Field(None, max_length=200, description="texte recherché")

    def to_filters(self) -> AidFilters:
        from turbine.core.exceptions import TurbineError

        if self.beneficiary and self.beneficiary not in Beneficiary.values:
            raise TurbineError("Bénéficiaire inconnu.", field="beneficiary")
        if self.type and self.type not in AidType.values:
            raise TurbineError("Type d'aide inconnu.", field="type")
        return AidFilters(
            commune=(self.commune or "").strip().upper(),
            beneficiary=self.beneficiary or "",
            themes=tuple(dict.fromkeys(self.theme)),
            type=self.type or "",
            open=self.open,
            closing_within=self.closing_within,
            call_for_projects=self.call_for_projects,
            funder=self.funder,
            q=(self.q or "").strip(),
        )


class PerimeterOut(Schema):
    scale: str
    code: str
    name: str


class FunderRef(Schema):
    id: int
    name: str


class AidOut(Schema):
    id: int
    title: str
    short_description: str
    funders: list[FunderRef]
    types: list[str]
    beneficiaries: list[str]
    themes: list[str]
    is_call_for_projects: bool
    perimeters: list[PerimeterOut]
    start_date: datetime.date | None
    predeposit_date: datetime.date | None
    deadline: datetime.date | None
    recurrence: str
    subsidy_rate_min: int | None
    subsidy_rate_max: int | None
    status: str
    url: str
    origin_url: str
    application_url: str

    @staticmethod
    def resolve_funders(aid: Aid) -> list[Funder]:
        return list(aid.funders.all())

    @staticmethod
    def resolve_types(aid: Aid) -> list[str]:
        return aid.type_list

    @staticmethod
    def resolve_beneficiaries(aid: Aid) -> list[str]:
        return aid.beneficiary_list

    @staticmethod
    def resolve_themes(aid: Aid) -> list[str]:
        return [t.slug for t in aid.themes.all()]

    @staticmethod
    def resolve_perimeters(aid: Aid) -> list[dict]:
        return [{"scale": p.scale, "code": p.code, "name": p.name} for p in aid.perimeters.all()]

    @staticmethod
    def resolve_status(aid: Aid) -> str:
        return aid.effective_status

    @staticmethod
    def resolve_url(aid: Aid) -> str:
        return settings.SITE_URL + aid.get_absolute_url()


class FundedProjectOut(Schema):
    id: int
    title: str
    url: str
    amount: Decimal = Field(..., description="montant obtenu de cette aide (€)")
    communes: list[str] = Field(..., description="noms des communes du projet")


class AidDetailOut(AidOut):
    description: str
    eligibility: str
    amount_min: int | None
    amount_max: int | None
    amount_comment: str
    contact: str
    instructors: list[FunderRef]
    source: str
    projects: list[FundedProjectOut] = Field(
        default_factory=list,
        description="projets publics du territoire qui l'ont obtenue (les 30 premiers)",
    )
    project_count: int = 0

    @staticmethod
    def resolve_projects(aid: Aid) -> list[Any]:
        funded = getattr(aid, "funded_projects", None)
        return funded.items if funded is not None else []

    @staticmethod
    def resolve_project_count(aid: Aid) -> int:
        funded = getattr(aid, "funded_projects", None)
        return funded.count if funded is not None else 0

    @staticmethod
    def resolve_instructors(aid: Aid) -> list[Funder]:
        return list(aid.instructors.all())


class FunderOut(Schema):
    id: int
    name: str
    level: str
    website: str
    logo_url: str
    description: str
    live_aids: int = Field(..., alias="live_count")


@router.get("/aids", response=list[AidOut], summary="Aides et appels à projets")
@paginate(Pagination)
def aid_list(request: HttpRequest, filters: Query[AidFiltersIn]) -> selectors.AidResults:
    """Les aides publiées et non expirées, avec les mêmes filtres que la page `/aides/` ; triées
    par pertinence (avec `q`), périmètre le plus étroit, puis date limite la plus proche."""
    return selectors.aid_search(filters.to_filters())


@router.get("/aids/deadlines", response=list[AidOut], summary="Échéances des aides")
@paginate(Pagination)
def aid_deadlines(request: HttpRequest, filters: Query[AidFiltersIn]) -> selectors.AidResults:
    """Les aides en cours qui ont une date limite, la plus proche d'abord (mêmes filtres)."""
    return selectors.aid_search(filters.to_filters(), by_deadline=True)


@router.get("/aids/{aid_id}", response=AidDetailOut, summary="Une aide")
def aid_detail(request: HttpRequest, aid_id: int) -> Aid:
    """Une aide, avec les projets publics du territoire qui l'ont obtenue (`projects`, les 30
    qui en ont reçu le plus ; `project_count` en donne le nombre total)."""
    aid = selectors.get_aid_for_view(user=request.user, aid_id=aid_id)
    aid.funded_projects = selectors.projects_funded_by(aid=aid)  # type: ignore[attr-defined]
    return aid


class FunderAidOut(Schema):
    id: int
    title: str
    deadline: datetime.date | None


class FunderProjectOut(Schema):
    id: int
    title: str
    url: str
    amount: Decimal
    communes: list[str]


class FunderDetailOut(FunderOut):
    open_aids: list[FunderAidOut]
    open_aid_count: int
    past_aids: list[FunderAidOut]
    past_aid_count: int
    funded_projects: list[FunderProjectOut]
    funded_project_count: int


@router.get("/funders/{funder_id}", response=FunderDetailOut, summary="Un financeur")
def funder_detail(request: HttpRequest, funder_id: int) -> dict:
    """Un financeur, ses aides ouvertes et passées (50 au plus de chaque) et les projets publics
    du territoire qui déclarent une de ses aides (les 30 qui en ont reçu le plus)."""
    funder = selectors.get_funder(funder_id=funder_id)
    aids = selectors.funder_aids(funder=funder)
    funded = selectors.projects_funded_by_funder(funder=funder)
    return {
        "id": funder.pk,
        "name": funder.name,
        "level": funder.level,
        "website": funder.website,
        "logo_url": funder.logo_url,
        "description": funder.description,
        "live_count": funder.live_count,  # type: ignore[attr-defined]
        "open_aids": aids.open,
        "open_aid_count": aids.open_count,
        "past_aids": aids.past,
        "past_aid_count": aids.past_count,
        "funded_projects": [
            {
                "id": p.id,
                "title": p.title,
                "url": request.build_absolute_uri(p.url),
                "amount": p.amount,
                "communes": p.communes,
            }
            for p in funded.items
        ],
        "funded_project_count": funded.count,
    }


@router.get("/funders", response=list[FunderOut], summary="Financeurs")
@paginate(Pagination)
def funder_list(request: HttpRequest) -> list[Funder]:
    """Les financeurs, avec leur nombre d'aides en cours."""
    return selectors.funder_list()
