"""What the projects app holds about a person (see ``accounts.personal_data``)."""

from __future__ import annotations

from typing import Any

from turbine.accounts import personal_data
from turbine.accounts.models import User
from turbine.projects.models import Project, ProjectUpdate


def export_projects(user: User) -> list[dict[str, Any]]:
    return [
        {
            "id": p.pk,
            "title": p.title,
            "visibility": p.visibility,
            "stage": p.stage,
            "created_at": p.created_at.isoformat(),
        }
        for p in Project.objects.filter(holder_user=user).order_by("id")
    ]


def anonymise_projects(user: User) -> None:
    """Public projects outlive their holder's account without naming them; drafts held by the
    person alone are deleted."""
    Project.objects.filter(
        holder_user=user, visibility="draft", holder_organisation__isnull=True
    ).delete()
    Project.objects.filter(holder_user=user).update(holder_user=None)


def export_updates(user: User) -> list[dict[str, Any]]:
    return [
        {"project_id": u.project_id, "date": u.date.isoformat(), "text": u.text}
        for u in ProjectUpdate.objects.filter(author=user).order_by("id")
    ]


personal_data.register(
    key="projects",
    label="Projets que vous portez",
    export=export_projects,
    on_delete=(
        "Supprimés : vos brouillons de projet portés sans organisation. Anonymisés : vos "
        "projets publics, et ceux d'une organisation, restent visibles sans votre nom."
    ),
    anonymise=anonymise_projects,
)


def anonymise_updates(user: User) -> None:
    ProjectUpdate.objects.filter(author=user).update(author=None)


personal_data.register(
    key="project_updates",
    label="Nouvelles de projets que vous avez publiées",
    export=export_updates,
    on_delete=(
        "Anonymisées : les nouvelles publiées sur les projets restent visibles sans votre nom."
    ),
    anonymise=anonymise_updates,
)
