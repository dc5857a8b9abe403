"""A place's dashboard in the API: the same figures as its page, for outside tools."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from turbine.portal.selectors import (
    PlaceDashboard,
    Tally,
    agglomeration_dashboard,
    commune_dashboard,
)
from turbine.territory.selectors import get_agglomeration, get_commune, get_current_territory

router = Router(tags=["Tableaux de bord des lieux"])


class PlaceTallyOut(Schema):
    label: str
    count: int


class PlaceLinkOut(Schema):
    id: int
    title: str
    url: str


class PlaceProjectsOut(Schema):
    total: int
    by_theme: list[PlaceTallyOut]
    by_stage: list[PlaceTallyOut]
    latest: list[PlaceLinkOut]


class PlaceOrganisationsOut(Schema):
    total: int
    by_family: list[PlaceTallyOut]
    latest: list[PlaceLinkOut]


class PlaceFundingLevelOut(Schema):
    level: str
    label: str
    amount: Decimal
    projects: int


class PlaceFundingOut(Schema):
    total: Decimal
    by_level: list[PlaceFundingLevelOut]


class PlaceAidOut(Schema):
    id: int
    title: str
    url: str
    deadline: date | None


class PlaceAidsOut(Schema):
    total: int
    nearest: list[PlaceAidOut]


class PlaceProposalOut(Schema):
    id: int
    title: str
    url: str
    status: str
    campaign: str


class PlaceBudgetOut(Schema):
    proposals: int
    winners: list[PlaceProposalOut]


class PlaceRequestThemeOut(Schema):
    theme: str
    total: int
    open: int
    by_outcome: dict[str, int]


class PlaceOutcomeOut(Schema):
    outcome: str
    label: str
    count: int


class PlaceGuichetOut(Schema):
    total: int
    by_theme: list[PlaceRequestThemeOut]
    not_successful: list[PlaceOutcomeOut]


class PlaceEventOut(Schema):
    id: int
    title: str
    url: str
    start: datetime


class PlaceInfoOut(Schema):
    kind: str
    code: str
    name: str
    population: int
    communes: int


class PlaceDashboardOut(Schema):
    place: PlaceInfoOut
    organisations: PlaceOrganisationsOut
    projects: PlaceProjectsOut
    funding_obtained: PlaceFundingOut
    aids_open: PlaceAidsOut
    budget: PlaceBudgetOut
    guichet: PlaceGuichetOut
    next_events: list[PlaceEventOut]


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _tallies(rows: list[Tally]) -> list[PlaceTallyOut]:
    return [PlaceTallyOut(label=t.label, count=t.count) for t in rows]


def _dashboard_out(request: HttpRequest, board: PlaceDashboard, code: str) -> PlaceDashboardOut:
    def link(obj: object, title: str) -> PlaceLinkOut:
        return PlaceLinkOut(id=obj.pk, title=title, url=_absolute(request, obj.get_absolute_url()))  # type: ignore[attr-defined]

    return PlaceDashboardOut(
        place=PlaceInfoOut(
            kind=board.kind,
            code=code,
            name=board.place.name,
            population=board.population,
            communes=board.communes,
        ),
        organisations=PlaceOrganisationsOut(
            total=board.organisations,
            by_family=_tallies(board.organisations_by_family),
            latest=[link(o, o.name) for o in board.latest_organisations],
        ),
        projects=PlaceProjectsOut(
            total=board.projects,
            by_theme=_tallies(board.projects_by_theme),
            by_stage=_tallies(board.projects_by_stage),
            latest=[link(p, p.title) for p in board.latest_projects],
        ),
        funding_obtained=PlaceFundingOut(
            total=board.funding_total,
            by_level=[
                PlaceFundingLevelOut(
                    level=r.level, label=r.label, amount=r.amount, projects=r.projects
                )
                for r in board.funding
            ],
        ),
        aids_open=PlaceAidsOut(
            total=board.aids.count,
            nearest=[
                PlaceAidOut(
                    id=a.pk,
                    title=a.title,
                    url=_absolute(request, a.get_absolute_url()),
                    deadline=a.deadline,
                )
                for a in board.aids.items
            ],
        ),
        budget=PlaceBudgetOut(
            proposals=board.proposals,
            winners=[
                PlaceProposalOut(
                    id=p.pk,
                    title=p.title,
                    url=_absolute(request, p.get_absolute_url()),
                    status=p.status,
                    campaign=p.campaign.title,
                )
                for p in board.winners
            ],
        ),
        guichet=PlaceGuichetOut(
            total=board.requests_total,
            by_theme=[
                PlaceRequestThemeOut(
                    theme=r.theme, total=r.total, open=r.open, by_outcome=r.by_outcome
                )
                for r in board.requests
            ],
            not_successful=[
                PlaceOutcomeOut(outcome=row["outcome"], label=str(row["label"]), count=row["count"])
                for row in board.blocked
            ],
        ),
        next_events=[
            PlaceEventOut(
                id=e.pk, title=e.title, url=_absolute(request, e.get_absolute_url()), start=e.start
            )
            for e in board.events
        ],
    )


@router.get(
    "/communes/{code}/dashboard",
    response=PlaceDashboardOut,
    summary="Tableau de bord d'une commune",
    description="Les mêmes chiffres que la page de la commune ; le guichet en chiffres globaux.",
)
def commune_dashboard_api(request: HttpRequest, code: str) -> PlaceDashboardOut:
    commune = get_commune(territory=get_current_territory(), code=code)
    return _dashboard_out(request, commune_dashboard(commune=commune), commune.code)


@router.get(
    "/agglomerations/{siren}/dashboard",
    response=PlaceDashboardOut,
    summary="Tableau de bord d'une agglomération",
    description="Les mêmes chiffres que la page de l'agglomération, toutes ses communes réunies.",
)
def agglomeration_dashboard_api(request: HttpRequest, siren: str) -> PlaceDashboardOut:
    agglomeration = get_agglomeration(territory=get_current_territory(), siren=siren)
    return _dashboard_out(
        request, agglomeration_dashboard(agglomeration=agglomeration), agglomeration.siren
    )
