"""What a place's dashboard and briefing gather from every app: each app answers for its own
data (``*_in_place`` selectors), the portal only puts the answers side by side. A fixed number
of queries whatever the place's size."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from turbine.budget.models import ProposalStatus
from turbine.budget.selectors import proposals_in_place
from turbine.cooperation.selectors.meetings import events_in_place
from turbine.core.charts import BarChart, bar_chart
from turbine.core.models import Theme
from turbine.core.templatetags.humanize_fr import nombre
from turbine.directory.models import Family
from turbine.directory.selectors import organisations_in_place
from turbine.funding.selectors import PlaceAids, aids_open_in_place, funding_obtained_by_level
from turbine.guichet.models import Outcome
from turbine.guichet.selectors import closed_reasons_in_place, request_activity_in_place
from turbine.projects.models import Stage
from turbine.projects.selectors import projects_in_place, with_list_relations
from turbine.territory.models import Agglomeration, Commune

LATEST_SHOWN = 5
WINNING = [ProposalStatus.FUNDED, ProposalStatus.IN_PROGRESS, ProposalStatus.DONE]


@dataclass(frozen=True)
class Tally:
    label: str
    count: int


@dataclass(frozen=True)
class PlaceDashboard:
    kind: str  # "commune" or "agglomeration"
    place: Commune | Agglomeration
    communes: int
    population: int
    organisations: int
    organisations_by_family: list[Tally]
    latest_organisations: list[Any]
    projects: int
    projects_by_theme: list[Tally]
    projects_by_stage: list[Tally]
    latest_projects: list[Any]
    funding: list[Any]
    funding_total: Decimal
    aids: PlaceAids
    proposals: int
    winners: list[Any]
    latest_proposals: list[Any]
    requests: list[Any]
    requests_total: int
    outcome_labels: list[tuple[str, str]]
    blocked: list[dict[str, Any]]
    events: list[Any]

    @property
    def projects_chart(self) -> BarChart:
        return bar_chart((r.label, r.count, nombre(r.count)) for r in self.projects_by_theme)

    @property
    def stage_chart(self) -> BarChart:
        return bar_chart((r.label, r.count, nombre(r.count)) for r in self.projects_by_stage)

    @property
    def funding_chart(self) -> BarChart:
        return bar_chart((r.label, r.amount, f"{nombre(int(r.amount))} €") for r in self.funding)

    @property
    def request_rows(self) -> list[tuple[str, int, int, list[int]]]:
        """(theme, total, still open, closed by outcome in ``outcome_labels`` order)."""
        return [
            (r.theme, r.total, r.open, [r.by_outcome.get(v, 0) for v, _ in self.outcome_labels])
            for r in self.requests
        ]

    @property
    def requests_chart(self) -> BarChart:
        return bar_chart((r.theme, r.total, nombre(r.total)) for r in self.requests)


def _by_theme(projects: QuerySet) -> list[Tally]:
    rows = (
        Theme.objects.filter(projects__in=projects)
        .annotate(n=Count("projects", distinct=True))
        .order_by("-n", "position", "name")
    )
    return [Tally(label=t.name, count=t.n) for t in rows]


def _by_choice(qs: QuerySet, field: str, choices: list[tuple[str, Any]]) -> list[Tally]:
    counts = dict(qs.values_list(field).annotate(n=Count("pk")).order_by())
    return [
        Tally(label=str(label), count=counts[value])
        for value, label in choices
        if counts.get(value)
    ]


def _dashboard(
    *,
    kind: str,
    place: Commune | Agglomeration,
    communes: QuerySet[Commune],
    population: int,
    commune_count: int,
    aids: PlaceAids,
) -> PlaceDashboard:
    organisations = organisations_in_place(communes=communes)
    projects = projects_in_place(communes=communes)
    proposals = proposals_in_place(communes=communes)
    funding = funding_obtained_by_level(projects=projects)
    requests = request_activity_in_place(communes=communes)
    return PlaceDashboard(
        kind=kind,
        place=place,
        communes=commune_count,
        population=population,
        organisations=organisations.count(),
        organisations_by_family=_by_choice(organisations, "family", Family.choices),
        latest_organisations=list(
            organisations.select_related("commune").order_by("-created_at", "-id")[:LATEST_SHOWN]
        ),
        projects=projects.count(),
        projects_by_theme=_by_theme(projects),
        projects_by_stage=_by_choice(projects, "stage", Stage.choices),
        latest_projects=list(
            with_list_relations(projects).order_by("-created_at", "-id")[:LATEST_SHOWN]
        ),
        funding=funding,
        funding_total=sum((row.amount for row in funding), Decimal(0)),
        aids=aids,
        proposals=proposals.count(),
        winners=list(proposals.filter(status__in=WINNING)[: LATEST_SHOWN * 2]),
        latest_proposals=list(proposals[:LATEST_SHOWN]),
        requests=requests.rows,
        requests_total=requests.total,
        outcome_labels=[(value, str(label)) for value, label in Outcome.choices],
        blocked=closed_reasons_in_place(communes=communes),
        events=events_in_place(communes=communes),
    )


def commune_dashboard(*, commune: Commune) -> PlaceDashboard:
    return _dashboard(
        kind="commune",
        place=commune,
        communes=Commune.objects.filter(pk=commune.pk),
        population=commune.population,
        commune_count=1,
        aids=aids_open_in_place(commune_code=commune.code),
    )


def agglomeration_dashboard(*, agglomeration: Agglomeration) -> PlaceDashboard:
    communes = Commune.objects.filter(agglomeration=agglomeration)
    figures = communes.aggregate(n=Count("pk"), population=Sum("population"))
    return _dashboard(
        kind="agglomeration",
        place=agglomeration,
        communes=communes,
        population=figures["population"] or 0,
        commune_count=figures["n"],
        aids=aids_open_in_place(epci_siren=agglomeration.siren),
    )
