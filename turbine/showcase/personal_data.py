"""Personal-data sections of the showcase (see ``accounts.personal_data``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from turbine.accounts import personal_data
from turbine.accounts.models import User
from turbine.showcase.models import BlockerReport, Portrait, Story, StoryStatus


def export_portraits(user: User) -> list[dict[str, Any]]:
    return [
        {
            "name": p.name,
            "role": p.role,
            "know_how": p.know_how,
            "tips": p.tips,
            "can_teach": p.can_teach,
            "consent": p.get_consent_display(),
            "status": p.get_status_display(),
        }
        for p in Portrait.objects.filter(person=user).order_by("id")
    ]


def export_stories(user: User) -> list[dict[str, Any]]:
    return [
        {"title": s.title, "status": s.get_status_display(), "body": s.body}
        for s in Story.objects.filter(author=user).order_by("id")
    ]


def export_blockers(user: User) -> list[dict[str, Any]]:
    return [
        {
            "title": r.title,
            "description": r.description,
            "rule": r.rule,
            "level": r.get_level_display(),
            "public": r.holder_agrees,
            "reported_at": r.created_at.isoformat(),
        }
        for r in BlockerReport.objects.filter(Q(author=user) | Q(holder=user)).order_by("id")
    ]


def anonymise_stories(user: User) -> None:
    """Published stories stay (without the author's name); the others go with the account."""
    Story.objects.filter(author=user).exclude(status=StoryStatus.PUBLISHED).delete()


def anonymise_blockers(user: User) -> None:
    """A deleted holder can no longer agree: their reports become private again (the counts
    keep them, without a name)."""
    BlockerReport.objects.filter(holder=user).update(holder_agrees=False)


personal_data.register(
    key="showcase_portraits",
    label="Vitrine : portraits de vous",
    export=export_portraits,
    on_delete="Les portraits de vous sont supprimés de la vitrine.",
)
personal_data.register(
    key="showcase_stories",
    label="Vitrine : récits écrits",
    export=export_stories,
    on_delete="Vos récits publiés restent, sans votre nom ; les autres sont supprimés.",
    anonymise=anonymise_stories,
)
personal_data.register(
    key="showcase_blockers",
    label="Registre des blocages : signalements",
    export=export_blockers,
    on_delete=(
        "Vos signalements redeviennent privés et restent comptés dans les chiffres, sans votre nom."
    ),
    anonymise=anonymise_blockers,
)
