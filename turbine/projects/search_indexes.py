"""What the projects app puts in the search index: public projects."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.urls import reverse

from turbine.core import search
from turbine.projects.models import Project
from turbine.territory.selectors import commune_list, get_current_territory

PROJECT = "projet"


def _qs() -> QuerySet[Project]:
    return (
        Project.objects.public()
        .select_related("holder_organisation")
        .prefetch_related("themes", "communes")
        .order_by("id")
    )


def _document(project: Project, all_codes: list[str]) -> search.Document:
    themes = list(project.themes.all())
    communes = list(project.communes.all())
    body = [project.summary, project.get_stage_display(), project.get_scale_display()]
    if project.holder_organisation:
        body.append(project.holder_organisation.name)
    body += [c.name for c in communes] + [t.name for t in themes]
    body += [project.description, project.know_how]
    codes = all_codes if project.whole_territory else [c.code for c in communes]
    return search.Document(
        kind=PROJECT,
        object_id=str(project.pk),
        title=project.title,
        body=". ".join(b for b in body if b),
        url=reverse("projects:project_detail", args=[project.pk]),
        themes=[t.slug for t in themes],
        communes=codes,
    )


def _territory_codes() -> list[str]:
    return list(commune_list(territory=get_current_territory()).values_list("code", flat=True))


def project_documents() -> Iterator[search.Document]:
    codes = _territory_codes()
    for project in _qs().iterator(chunk_size=1000):
        yield _document(project, codes)


def index_projects(ids: Iterable[int]) -> None:
    ids = list(ids)
    projects = list(_qs().filter(pk__in=ids))
    codes = _territory_codes() if any(p.whole_territory for p in projects) else []
    docs = [_document(p, codes) for p in projects]
    search.index(docs)
    indexed = {p.pk for p in projects}
    search.unindex(kind=PROJECT, object_ids=[i for i in ids if i not in indexed])


search.register(kind=PROJECT, label="Projets", documents=project_documents)
