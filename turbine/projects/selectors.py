"""Read queries on projects, shared by pages, exports, the map and the API."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from turbine.accounts.models import User
from turbine.core import badges
from turbine.core.models import Theme
from turbine.directory.models import Organisation
from turbine.directory.selectors import _ranked, search_ids
from turbine.projects.models import Project, ProjectLink, ProjectUpdate
from turbine.territory.models import Commune

if TYPE_CHECKING:
    from turbine.directory.geo import MapFilters

PROJECT_SORTS = {
    "titre": ("title", "id"),
    "recent": ("-created_at", "-id"),
    "echelle": ("-scale", "title", "id"),
}


@dataclass(frozen=True)
class ProjectFilters:
    q: str = ""
    theme: str = ""
    commune: str = ""
    agglomeration: str = ""
    scale: int | None = None
    stage: str = ""
    sort: str = ""
    # Filters other apps offer (turbine.core.badges), by key: ("label",).
    badges: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # The default order, in one place for the page, the API and the map: by relevance
        # when words are searched, else titre.
        if not self.sort:
            object.__setattr__(self, "sort", "pertinence" if self.q else "titre")


def public_projects() -> QuerySet[Project]:
    return Project.objects.public()


def with_list_relations(qs: QuerySet[Project]) -> QuerySet[Project]:
    return qs.select_related("holder_organisation", "holder_user").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("position", "name")),
        Prefetch("communes", queryset=Commune.objects.order_by("name").only("code", "name")),
    )


def filter_projects(
    qs: QuerySet[Project], filters: ProjectFilters | MapFilters
) -> QuerySet[Project]:
    """The projects' filters, applied the same way by their list, their API and the map."""
    if filters.theme:
        qs = qs.filter(themes__slug=filters.theme)
    if filters.commune:
        # A project of the whole territory concerns every one of its communes.
        qs = qs.filter(Q(communes__code=filters.commune) | Q(whole_territory=True))
    if filters.agglomeration:
        qs = qs.filter(
            Q(communes__agglomeration__siren=filters.agglomeration) | Q(whole_territory=True)
        )
    if filters.scale:
        qs = qs.filter(scale=filters.scale)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    kind, family, network = (getattr(filters, n, "") for n in ("kind", "family", "network"))
    if kind:
        qs = qs.filter(holder_organisation__kind=kind)
    if family:
        qs = qs.filter(holder_organisation__family=family)
    if network:
        qs = qs.filter(holder_organisation__networks__slug=network)
    if filters.badges:
        qs = badges.apply_filters("project", qs, filters.badges)
    # Several of a project's communes may match: once each.
    return qs.distinct() if filters.commune or filters.agglomeration else qs


def project_list(*, filters: ProjectFilters) -> QuerySet[Project]:
    qs = filter_projects(public_projects(), filters)
    ids = search_ids(kind="projet", q=filters.q)
    if ids is not None:
        qs = _ranked(qs, ids)
        if filters.sort not in PROJECT_SORTS:
            return with_list_relations(qs.order_by(F("search_rank")))
    return with_list_relations(qs.order_by(*PROJECT_SORTS.get(filters.sort, ("title", "id"))))


def _detail_queryset() -> QuerySet[Project]:
    return with_list_relations(Project.objects.all()).prefetch_related(
        Prefetch("partners", queryset=Organisation.objects.filter(is_hidden=False)),
        # The funding rows belong to the funding app, which depends on projects: named by
        # their relation, never imported.
        "fundings__aid",
        "impacts",
        "images",
    )


def get_project(*, user: User, project_id: int) -> Project:
    """A project the person may see: public, or a draft or hidden project they hold (or
    staff)."""
    project = _detail_queryset().filter(pk=project_id).first()
    if project is None or not user.has_perm("projects.view_project", project):
        raise Http404("Projet introuvable")
    return project


def get_project_for_edit(*, user: User, project_id: int) -> Project:
    project = get_project(user=user, project_id=project_id)
    if not user.has_perm("projects.change_project", project):
        raise PermissionDenied("Vous ne pouvez pas modifier ce projet.")
    return project


def projects_of_user(*, user: User) -> QuerySet[Project]:
    return (
        Project.objects.filter(
            Q(holder_user=user)
            | Q(
                holder_organisation__memberships__user=user,
                holder_organisation__memberships__status="active",
            )
        )
        .distinct()
        .order_by("title")
    )


@dataclass(frozen=True)
class LinkedProject:
    project: Project
    kind: str
    kind_label: str
    direction: str  # "out": this project -> other; "in": other -> this project
    note: str
    link_id: int


def project_links(*, project: Project, user: User) -> list[LinkedProject]:
    """Links of the project to projects the person may see, both directions."""
    links = (
        ProjectLink.objects.filter(Q(source=project) | Q(target=project))
        .select_related("source", "target")
        .order_by("kind", "id")
    )
    result = []
    for link in links:
        other = link.target if link.source_id == project.pk else link.source
        if not (other.is_public or user.has_perm("projects.change_project", other)):
            continue
        result.append(
            LinkedProject(
                project=other,
                kind=link.kind,
                kind_label=link.get_kind_display(),
                direction="out" if link.source_id == project.pk else "in",
                note=link.note,
                link_id=link.pk,
            )
        )
    return result


@dataclass(frozen=True)
class GraphNode:
    x: float
    y: float
    label: str
    url: str
    kind: str
    kind_label: str
    line_x: float
    line_y: float
    label_y: float


def link_graph(links: list[LinkedProject], *, size: int = 360) -> list[GraphNode]:
    """Positions of linked projects on a circle around the project (the SVG's centre)."""
    centre = size / 2
    radius = size / 2 - 60
    nodes = []
    count = max(len(links), 1)
    for i, link in enumerate(links[:12]):
        angle = -math.pi / 2 + 2 * math.pi * i / min(count, 12)
        x = centre + radius * math.cos(angle)
        y = centre + radius * math.sin(angle)
        label = link.project.title
        nodes.append(
            GraphNode(
                x=round(x, 1),
                y=round(y, 1),
                label=label if len(label) <= 28 else label[:27] + "…",
                url=link.project.get_absolute_url(),
                kind=link.kind,
                kind_label=link.kind_label,
                line_x=round(centre + (radius - 14) * math.cos(angle), 1),
                line_y=round(centre + (radius - 14) * math.sin(angle), 1),
                label_y=round(y + 26 if y > centre else y - 16, 1),
            )
        )
    return nodes


UPDATES_SHOWN = 10


def project_updates(*, project: Project) -> QuerySet[ProjectUpdate]:
    """The project's news, newest first, with their authors (one query per page)."""
    return ProjectUpdate.objects.filter(project=project).select_related("author")


def latest_updates(*, project: Project, limit: int = UPDATES_SHOWN) -> tuple[list, int]:
    """The ``limit`` newest pieces of news and how many there are in all (two queries)."""
    qs = project_updates(project=project)
    items = list(qs[:limit])
    count = len(items) if len(items) < limit else qs.count()
    return items, count


def projects_in_place(*, communes: QuerySet[Commune]) -> QuerySet[Project]:
    """Public projects located in one of these communes (a project of the whole territory is
    not counted in each commune: a place's figures are what happens there)."""
    located = Project.objects.filter(communes__in=communes).values("pk")
    return public_projects().filter(pk__in=located)
