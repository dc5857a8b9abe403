"""What a place's dashboard and briefing gather from every app: each app answers for its own
data (``*_in_place`` selectors), the portal only puts the answers side by side. A fixed number
of queries whatever the place's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from turbine.budget.models import ProposalStatus
from turbine.budget.selectors import proposals_in_place
from turbine.cooperation.selectors.meetings import events_in_place
from turbine.core.charts import BarChart, bar_chart
from turbine.core.models import Theme
from turbine.core.templatetags.humanize_fr import nombre
from turbine.directory.models import Family, Organisation
from turbine.directory.selectors import organisations_in_place
from turbine.funding.models import ProjectFunding
from turbine.funding.selectors import PlaceAids, aids_open_in_place, funding_obtained_by_level
from turbine.funding.selectors_management import ApplicationCounts, place_application_counts
from turbine.guichet.models import Outcome
from turbine.guichet.selectors import closed_reasons_in_place, request_activity_in_place
from turbine.label.selectors.ambition import ambition_charter_of
from turbine.label.selectors.label import RegistryEntry, registry
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
    labels: list[RegistryEntry]
    ambition: Any  # the place's ambition charter (label app), or None
    # The applications for aids its projects declare (funding app).
    applications: ApplicationCounts = ApplicationCounts()

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
    ambition: Any,
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
        labels=registry(communes=communes),
        ambition=ambition,
        applications=place_application_counts(projects=projects),
    )


def commune_dashboard(*, commune: Commune) -> PlaceDashboard:
    return _dashboard(
        kind="commune",
        place=commune,
        communes=Commune.objects.filter(pk=commune.pk),
        population=commune.population,
        commune_count=1,
        aids=aids_open_in_place(commune_code=commune.code),
        ambition=ambition_charter_of(commune_id=commune.pk),
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
        ambition=ambition_charter_of(agglomeration_id=agglomeration.pk),
    )


# --------------------------------------------------------------------------------------------
# The briefing: the dashboard, read by an elected official before a council meeting

TELLING_SHOWN = 3
CLOSING_SOON_DAYS = 30
# The further a project has come, the more it tells; paused and abandoned ones tell last.
STAGE_WEIGHT = {
    Stage.DONE: 6,
    Stage.EXECUTION: 5,
    Stage.FUNDING: 4,
    Stage.DESIGN: 3,
    Stage.EMERGENCE: 2,
    Stage.IDEA: 1,
}


STALLED_LABELS = {str(Stage.PAUSED.label), str(Stage.ABANDONED.label)}


@dataclass(frozen=True)
class Action:
    text: str
    url: str


@dataclass(frozen=True)
class Briefing:
    board: PlaceDashboard
    telling: list[Any]  # projects, with their partners and their funding obtained
    closing_soon: list[Any]  # the aids of the board closing within CLOSING_SOON_DAYS
    actions: list[Action]
    stalled: list[Tally]  # projects paused or abandoned
    made_on: date


def telling_projects(*, communes: QuerySet[Commune], limit: int = TELLING_SHOWN) -> list[Any]:
    """The projects that tell most about a place: the furthest along, then the best funded,
    then the most followed (news published). Two queries and the prefetches."""
    stage_rank = Case(
        *(When(stage=stage, then=Value(weight)) for stage, weight in STAGE_WEIGHT.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    qs = (
        projects_in_place(communes=communes)
        .annotate(
            stage_rank=stage_rank,
            obtained=Coalesce(
                Subquery(
                    ProjectFunding.objects.filter(project=OuterRef("pk"))
                    .values("project")
                    .annotate(total=Sum("amount"))
                    .values("total")[:1]
                ),
                Value(Decimal(0)),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            ),
        )
        .order_by("-stage_rank", "-obtained", "-updated_at", "id")
    )
    return list(
        with_list_relations(qs).prefetch_related(
            Prefetch("partners", queryset=Organisation.objects.order_by("name"))
        )[:limit]
    )


def _actions(board: PlaceDashboard, closing_soon: list[Any]) -> list[Action]:
    """What an elected official can do next, from the figures (each line names a page)."""
    actions = []
    if closing_soon:
        actions.append(
            Action(
                text=ngettext(
                    "Relayer auprès des porteurs de projets l'aide qui ferme dans moins d'un mois.",
                    "Relayer auprès des porteurs de projets les %(n)d aides qui ferment dans moins"
                    " d'un mois.",
                    len(closing_soon),
                )
                % {"n": len(closing_soon)},
                url=reverse("funding:aid_list"),
            )
        )
    seeking = next((t.count for t in board.projects_by_stage if t.label == Stage.FUNDING.label), 0)
    if seeking:
        actions.append(
            Action(
                text=ngettext(
                    "Appuyer le projet qui cherche ses financements auprès des financeurs.",
                    "Appuyer les %(n)d projets qui cherchent leurs financements auprès des"
                    " financeurs.",
                    seeking,
                )
                % {"n": seeking},
                url=reverse("projects:project_list"),
            )
        )
    if board.blocked:
        actions.append(
            Action(
                text=gettext(
                    "Regarder avec les conseillers de la Turbine pourquoi des demandes n'ont pas"
                    " abouti (voir « Ce qui bloque »)."
                ),
                url=reverse("guichet:start"),
            )
        )
    if board.ambition is None:
        actions.append(
            Action(
                text=gettext("Proposer au conseil d'adopter la charte d'ambition de la Turbine."),
                url=reverse("label:ambition_list"),
            )
        )
    if board.events:
        actions.append(
            Action(
                text=gettext("Venir à une des prochaines rencontres et en parler autour de soi."),
                url=board.events[0].get_absolute_url(),
            )
        )
    actions.append(
        Action(
            text=gettext(
                "Orienter les habitants, associations et entreprises qui ont un projet vers le"
                " guichet de la Turbine."
            ),
            url=reverse("guichet:start"),
        )
    )
    return actions


def briefing(*, board: PlaceDashboard, communes: QuerySet[Commune]) -> Briefing:
    today = timezone.localdate()
    horizon = today + timedelta(days=CLOSING_SOON_DAYS)
    closing_soon = [a for a in board.aids.items if a.deadline and a.deadline <= horizon]
    return Briefing(
        board=board,
        telling=telling_projects(communes=communes),
        closing_soon=closing_soon,
        actions=_actions(board, closing_soon),
        stalled=[t for t in board.projects_by_stage if t.label in STALLED_LABELS],
        made_on=today,
    )


def commune_briefing(*, commune: Commune) -> Briefing:
    return briefing(
        board=commune_dashboard(commune=commune),
        communes=Commune.objects.filter(pk=commune.pk),
    )


def agglomeration_briefing(*, agglomeration: Agglomeration) -> Briefing:
    return briefing(
        board=agglomeration_dashboard(agglomeration=agglomeration),
        communes=Commune.objects.filter(agglomeration=agglomeration),
    )
