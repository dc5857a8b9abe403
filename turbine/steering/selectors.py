"""Read queries of steering, shared by the pages, the report and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from turbine.funding.models import Aid, live_q
from turbine.guichet.models import Outcome, SupportRequest
from turbine.projects.models import ImpactNature, LinkKind, Project, ProjectImpact, ProjectLink
from turbine.projects.models import Indicator as ImpactCode
from turbine.projects.selectors import public_projects
from turbine.steering import charts
from turbine.steering.engine import ranking, trajectory
from turbine.steering.models import (
    CRITERIA,
    Axis,
    Criterion,
    CriterionWeight,
    Indicator,
    IndicatorValue,
    JointResponse,
    JointResponseMember,
    JointResponseProject,
    Mandate,
    Objective,
    ProjectObjective,
    ProjectScore,
)
from turbine.territory.models import Agglomeration, Commune

DEFAULT_WEIGHT = 1.0 / len(CRITERIA)


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{value:,.1f}".replace(",", "\u202f").replace(".", ",")


def points_of(indicator: Indicator) -> list[tuple[int, float]]:
    """The trajectory's corners; needs ``milestones`` prefetched."""
    return trajectory.path_points(
        baseline=(indicator.baseline_year, indicator.baseline_value),
        target=(indicator.target_year, indicator.target_value),
        milestones=[(m.year, m.value) for m in indicator.milestones.all()],
    )


def _territory_values() -> Prefetch:
    return Prefetch(
        "values",
        queryset=IndicatorValue.objects.filter(area_code="").order_by("year"),
        to_attr="territory_values",
    )


def indicator_standing(indicator: Indicator) -> trajectory.Standing | None:
    """Against the last measured (or estimated) territory value; needs the prefetches of
    :func:`objective_list`."""
    values = indicator.territory_values
    if not values:
        return None
    last = values[-1]
    return trajectory.standing(
        points_of(indicator),
        year=last.year,
        measured=last.value,
        higher_is_better=indicator.higher_is_better,
    )


def _indicators_prefetch() -> Prefetch:
    return Prefetch(
        "indicators",
        queryset=Indicator.objects.prefetch_related("milestones", _territory_values()),
    )


def objective_choices() -> list[Objective]:
    """Every objective with its indicators, in the order of the objectives' page (two
    queries): for the forms of other apps that cite them."""
    return list(
        Objective.objects.select_related("axis")
        .prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("position", "pk"))
        )
        .order_by("axis__position", "axis__id", "position", "pk")
    )


def indicators_with_standing(indicator_ids: list[int]) -> list[Indicator]:
    """These indicators (with their objective), each with ``standing`` set: for the pages of
    other apps that cite them (three queries, whatever their number)."""
    indicators = list(
        Indicator.objects.filter(pk__in=indicator_ids)
        .select_related("objective")
        .prefetch_related("milestones", _territory_values())
        .order_by("objective__axis__position", "objective__position", "position", "pk")
    )
    for indicator in indicators:
        indicator.standing = indicator_standing(indicator)  # type: ignore[attr-defined]
    return indicators


def objective_list() -> list[Axis]:
    """Axes, their objectives and indicators, each indicator with ``standing`` set."""
    axes = list(
        Axis.objects.prefetch_related(
            Prefetch(
                "objectives",
                queryset=Objective.objects.prefetch_related(_indicators_prefetch()),
            )
        )
    )
    for axis in axes:
        for objective in axis.objectives.all():
            for indicator in objective.indicators.all():
                indicator.standing = indicator_standing(indicator)
    return axes


@dataclass
class Contribution:
    project: Project
    value: float
    nature: str
    from_year: int


@dataclass
class IndicatorView:
    indicator: Indicator
    points: list[tuple[int, float]]
    rows: list[dict[str, Any]]
    standing: trajectory.Standing | None
    chart: charts.LineChart
    contributions: list[Contribution]
    contributions_by_year: list[tuple[int, float]]
    contribution_chart: Any
    impact_label: str
    areas: list[dict[str, Any]] = field(default_factory=list)


def contributions_of(indicator: Indicator) -> list[Contribution]:
    """The projects linked to the indicator, with their impact of the indicator's kind: the
    measured value when there is one, else the estimated one. Largest first."""
    if not indicator.impact_code:
        return []
    links = (
        ProjectObjective.objects.filter(indicator=indicator, project__in=public_projects())
        .select_related("project")
        .prefetch_related(
            Prefetch(
                "project__impacts",
                queryset=ProjectImpact.objects.filter(indicator=indicator.impact_code),
            )
        )
    )
    result = []
    for link in links:
        impacts = {i.nature: i for i in link.project.impacts.all()}
        impact = impacts.get(ImpactNature.MEASURED) or impacts.get(ImpactNature.ESTIMATED)
        if impact is not None:
            result.append(
                Contribution(
                    project=link.project,
                    value=float(impact.value),
                    nature=impact.nature,
                    from_year=link.from_year,
                )
            )
    result.sort(key=lambda c: (-c.value, c.project.pk))
    return result


def roll_up(contributions: list[Contribution], years: range) -> list[tuple[int, float]]:
    """Sum of the yearly effects of the projects whose effect has started, year by year."""
    return [
        (year, round(sum(c.value for c in contributions if c.from_year <= year), 6))
        for year in years
    ]


def indicator_view(indicator_id: int) -> IndicatorView:
    indicator = get_object_or_404(
        Indicator.objects.select_related("objective__axis").prefetch_related(
            "milestones", _territory_values()
        ),
        pk=indicator_id,
    )
    points = points_of(indicator)
    measured = {v.year: v for v in indicator.territory_values}
    last_year = max([timezone.localdate().year, *measured]) if measured else indicator.baseline_year
    years = sorted(set(measured) | {y for y, _ in points})
    rows = []
    for year in years:
        value = measured.get(year)
        expected = trajectory.expected_value(points, year)
        rows.append(
            {
                "year": year,
                "value": value.value if value else None,
                "nature": value.get_nature_display() if value else "",
                "source": value.source if value else "",
                "expected": expected,
            }
        )
    contributions = contributions_of(indicator)
    by_year = roll_up(contributions, range(indicator.baseline_year, min(last_year, 2038) + 1))
    impact_label = str(dict(ImpactCode.choices).get(indicator.impact_code, ""))
    areas: list[dict[str, Any]] = []
    if indicator.scope != "territoire":
        latest = (
            IndicatorValue.objects.filter(indicator=indicator)
            .exclude(area_code="")
            .order_by("-year")
            .values_list("year", flat=True)
            .first()
        )
        if latest is not None:
            names = _area_names(indicator.scope)
            areas = [
                {"code": v.area_code, "name": names.get(v.area_code, v.area_code), "value": v.value}
                for v in IndicatorValue.objects.filter(indicator=indicator, year=latest)
                .exclude(area_code="")
                .order_by("area_code")
            ]
            for area in areas:
                area["year"] = latest
            areas.sort(key=lambda a: a["name"])
    return IndicatorView(
        indicator=indicator,
        points=points,
        rows=rows,
        standing=indicator_standing(indicator),
        chart=charts.line_chart(
            trajectory=points,
            measured=[(v.year, v.value, v.nature == "estimee") for v in indicator.territory_values],
        ),
        contributions=contributions,
        contributions_by_year=by_year,
        contribution_chart=charts.bar_chart(
            [(c.project.title, c.value, _number(c.value)) for c in contributions[:10]]
        ),
        impact_label=impact_label,
        areas=areas,
    )


def _area_names(scope: str) -> dict[str, str]:
    if scope == "agglomeration":
        return dict(Agglomeration.objects.values_list("siren", "name"))
    return dict(Commune.objects.values_list("code", "name"))


def get_objective(objective_id: int) -> Objective:
    objective = get_object_or_404(
        Objective.objects.select_related("axis").prefetch_related(_indicators_prefetch()),
        pk=objective_id,
    )
    for indicator in objective.indicators.all():
        indicator.standing = indicator_standing(indicator)
        indicator.contributions = contributions_of(indicator)[:5]
    return objective


def objective_projects(objective: Objective) -> QuerySet[ProjectObjective]:
    return (
        ProjectObjective.objects.filter(objective=objective, project__in=public_projects())
        .select_related("project", "indicator")
        .order_by("project__title")
    )


def get_objective_for_links(objective_id: int) -> Objective:
    return get_object_or_404(
        Objective.objects.select_related("axis").prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("position", "pk"))
        ),
        pk=objective_id,
    )


def objective_links_for_staff(objective: Objective) -> list[ProjectObjective]:
    """Every link of the objective, public projects or not (staff see them all)."""
    return list(
        ProjectObjective.objects.filter(objective=objective)
        .select_related("project", "indicator")
        .order_by("project__title", "pk")
    )


def indicator_list() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("objective").order_by(
        "objective__position", "position", "id"
    )


def get_indicator(indicator_id: int) -> Indicator:
    return get_object_or_404(Indicator, pk=indicator_id)


def indicator_values(indicator: Indicator) -> QuerySet[IndicatorValue]:
    return IndicatorValue.objects.filter(indicator=indicator).order_by("area_code", "year")


# --- portfolio -------------------------------------------------------------------------


def current_weights() -> tuple[np.ndarray, dict[str, CriterionWeight]]:
    rows = {w.criterion: w for w in CriterionWeight.objects.all()}
    weights = np.array([rows[c].weight if c in rows else DEFAULT_WEIGHT for c in CRITERIA])
    if weights.sum() <= 0:
        weights = np.full(len(CRITERIA), DEFAULT_WEIGHT)
    return ranking.normalise(weights), rows


@dataclass
class Portfolio:
    weights: list[tuple[str, str, float]]  # code, label, weight
    rows: list[dict[str, Any]]
    changes: list[dict[str, Any]]
    k: int
    draws: int
    from_pairwise: bool
    consistency_ratio: float | None


def portfolio(
    *, k: int = 10, draws: int = 1000, seed: int = 2038, limit: int | None = 50
) -> Portfolio:
    """The ranking of the scored public projects, its one-at-a-time sensitivity on the top ``k``
    and each project's probability of being in the top ``k`` over ``draws`` seeded draws."""
    weights, rows = current_weights()
    project_ids: list[int] = []
    index: dict[int, int] = {}
    triples = list(
        ProjectScore.objects.filter(project__in=public_projects())
        .order_by("project_id")
        .values_list("project_id", "criterion", "score")
    )
    for project_id, _, _ in triples:
        if project_id not in index:
            index[project_id] = len(project_ids)
            project_ids.append(project_id)
    scores = np.zeros((len(project_ids), len(CRITERIA)))
    counted = np.zeros(len(project_ids), dtype=int)
    column = {c: j for j, c in enumerate(CRITERIA)}
    for project_id, criterion, score in triples:
        if criterion in column:
            scores[index[project_id], column[criterion]] = score
            counted[index[project_id]] += 1
    labels = dict(Criterion.choices)
    weights_out = [(c, str(labels[c]), float(w)) for c, w in zip(CRITERIA, weights, strict=True)]
    from_pairwise = bool(rows) and all(r.from_pairwise for r in rows.values())
    cr = next(iter(rows.values())).consistency_ratio if from_pairwise else None
    if not project_ids:
        return Portfolio(weights_out, [], [], k, draws, from_pairwise, cr)
    totals = ranking.weighted_sum(scores, weights)
    order = ranking.rank_order(totals)
    probability = ranking.monte_carlo_top_k(scores, weights, k=k, draws=draws, seed=seed)
    base, changes = ranking.one_at_a_time(scores, weights, k=k)
    shown = [int(i) for i in order[: limit or len(order)]]
    needed = set(shown) | {i for ch in changes for i in ch.entered + ch.left}
    projects = Project.objects.in_bulk([project_ids[i] for i in needed])
    out_rows = []
    for rank, i in enumerate(shown, start=1):
        out_rows.append(
            {
                "rank": rank,
                "project": projects[project_ids[i]],
                "total": float(totals[i]),
                "scores": [int(s) for s in scores[i]],
                "complete": counted[i] == len(CRITERIA),
                "probability": float(probability[i]),
            }
        )
    out_changes = [
        {
            "criterion": str(labels[CRITERIA[ch.criterion]]),
            "factor": ch.factor,
            "entered": [projects[project_ids[i]] for i in ch.entered],
            "left": [projects[project_ids[i]] for i in ch.left],
        }
        for ch in changes
    ]
    return Portfolio(weights_out, out_rows, out_changes, k, draws, from_pairwise, cr)


def scoring_projects() -> QuerySet[Project]:
    """Projects staff may score: public ones, with their scores."""
    return public_projects().prefetch_related("steering_scores").order_by("title", "id")


# --- interrelations --------------------------------------------------------------------


def project_graph(*, kind: str | None = None) -> dict[str, Any]:
    """Links between public projects (filtered by kind), their clusters (connected groups
    through synergies and dependencies) and the pairs in tension."""
    visible = public_projects()
    links = list(
        ProjectLink.objects.filter(source__in=visible, target__in=visible)
        .select_related("source", "target")
        .order_by("kind", "source__title", "target__title")
    )
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    titles: dict[int, Project] = {}
    for link in links:
        titles[link.source_id] = link.source
        titles[link.target_id] = link.target
        if link.kind in (LinkKind.SYNERGY, LinkKind.DEPENDENCY):
            parent[find(link.source_id)] = find(link.target_id)
    groups: dict[int, list[Project]] = {}
    for pid in parent:
        groups.setdefault(find(pid), []).append(titles[pid])
    clusters = sorted(
        (sorted(g, key=lambda p: p.title) for g in groups.values() if len(g) > 1),
        key=lambda g: (-len(g), g[0].title),
    )
    shown = [link for link in links if not kind or link.kind == kind]
    return {
        "links": shown,
        "clusters": clusters,
        "tensions": [link for link in links if link.kind == LinkKind.TENSION],
        "kinds": LinkKind.choices,
    }


def harmful_projects() -> list[dict[str, Any]]:
    """Projects the guichet put on its renunciation track, and where they stand."""
    requests = (
        SupportRequest.objects.filter(renunciation=True, project__in=public_projects())
        .select_related("project")
        .order_by("project__title")
    )
    out = []
    for req in requests:
        if req.outcome == Outcome.RENOUNCED:
            status = "renoncé"
        elif req.outcome == Outcome.SUCCEEDED:
            status = "transformé"
        elif req.outcome:
            status = req.get_outcome_display().lower()
        else:
            status = "en cours de transformation"
        out.append({"project": req.project, "status": status, "reason": req.renunciation_reason})
    return out


# --- mandates --------------------------------------------------------------------------


def mandate_list() -> QuerySet[Mandate]:
    return Mandate.objects.prefetch_related(
        "candidates__project",
        "great_works__project",
        "great_works__board__agglomeration",
        "great_works__milestones",
    )


def get_mandate(mandate_id: int) -> Mandate:
    return get_object_or_404(mandate_list(), pk=mandate_id)


def current_mandate() -> Mandate | None:
    today = timezone.localdate()
    return mandate_list().filter(start__lte=today, end__gte=today).first() or mandate_list().first()


# --- Joint responses to cross-agglomeration calls ---------------------------------------------


def with_agglomerations(response: JointResponse) -> JointResponse:
    """Sets ``agglomerations`` from the prefetched members (no query)."""
    seen: dict[int, Agglomeration] = {}
    for member in response.members.all():
        commune = member.organisation.commune
        member.agglomeration = commune.agglomeration if commune else None  # type: ignore[attr-defined]
        if member.agglomeration is not None:  # type: ignore[attr-defined]
            seen.setdefault(member.agglomeration.pk, member.agglomeration)  # type: ignore[attr-defined]
    response.agglomerations = sorted(seen.values(), key=lambda a: a.name)  # type: ignore[attr-defined]
    return response


def _joint_responses() -> QuerySet[JointResponse]:
    return JointResponse.objects.select_related("call").prefetch_related(
        "call__funders",
        Prefetch(
            "members",
            queryset=JointResponseMember.objects.select_related(
                "organisation__commune__agglomeration"
            ).order_by("role", "organisation__name"),
        ),
        Prefetch(
            "bundled",
            queryset=JointResponseProject.objects.select_related("project").order_by(
                "project__title"
            ),
        ),
    )


def joint_response_list(*, status: str = "") -> list[JointResponse]:
    """Every joint response (the latest first), with its call, funders, members, projects and
    agglomerations: five queries, whatever their number (the page shows 200 at most)."""
    return [with_agglomerations(r) for r in joint_response_queryset(status=status)[:200]]


def joint_response_queryset(*, status: str = "") -> QuerySet[JointResponse]:
    """Every joint response, the latest first, with its call, funders, members (and their
    agglomerations) and projects prefetched: for the API's pages (a fixed number of queries)."""
    qs = _joint_responses()
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def get_joint_response(response_id: int) -> JointResponse:
    return with_agglomerations(get_object_or_404(_joint_responses(), pk=response_id))


def open_calls() -> QuerySet[Aid]:
    """Calls for projects and AMIs still open, for the form that opens a joint response."""
    return (
        Aid.objects.filter(live_q(), is_call_for_projects=True)
        .prefetch_related("funders")
        .order_by("deadline", "title")
    )
