"""What the projects app holds about a person (see ``accounts.personal_data``)."""

from __future__ import annotations

from typing import Any

from turbine.accounts import personal_data
from turbine.accounts.models import User
from turbine.projects.models import Project


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
