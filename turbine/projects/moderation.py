"""Projects are reportable content (see ``turbine.directory.moderation``)."""

from __future__ import annotations

from turbine.directory import moderation
from turbine.projects import search_indexes
from turbine.projects.models import Project


def _describe(object_id: str) -> tuple[str, str] | None:
    if not object_id.isdigit():
        return None
    project = Project.objects.public().filter(pk=int(object_id)).first()
    return (project.title, project.get_absolute_url()) if project else None


def _set_hidden(object_id: str, hidden: bool) -> None:
    Project.objects.filter(pk=int(object_id)).update(is_hidden=hidden)
    search_indexes.index_projects([int(object_id)])


moderation.register(kind="projet", label="Projet", describe=_describe, set_hidden=_set_hidden)
