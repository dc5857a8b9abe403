"""Read queries on working groups and peer teaching."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from turbine.accounts.models import User
from turbine.cooperation.models import (
    GroupDocument,
    GroupMember,
    GroupMessage,
    KnowHowOffer,
    WorkingGroup,
    WorkTheme,
)
from turbine.cooperation.selectors.meetings import with_counts


def group_list(*, work_theme: int | None = None) -> QuerySet[WorkingGroup]:
    qs = WorkingGroup.objects.public()
    if work_theme:
        qs = qs.filter(work_theme_id=work_theme)
    return (
        qs.select_related("work_theme")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("-network_count", "name", "id")
    )


def work_theme_list() -> list[WorkTheme]:
    return list(WorkTheme.objects.annotate(group_count=Count("groups")).prefetch_related("themes"))


def get_group(*, group_id: int) -> WorkingGroup:
    group = (
        WorkingGroup.objects.public()
        .filter(pk=group_id)
        .select_related("work_theme")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=GroupMember.objects.select_related("user", "network").order_by(
                    "joined_at", "id"
                ),
            )
        )
        .first()
    )
    if group is None:
        raise Http404("Groupe introuvable")
    return group


def networks_crossed(group: WorkingGroup) -> list[Any]:
    """The distinct networks of the members (prefetched), with how many members each."""
    counts: dict[int, list[Any]] = {}
    for member in group.members.all():
        entry = counts.setdefault(member.network_id, [member.network, 0])
        entry[1] += 1
    return sorted(counts.values(), key=lambda e: e[0].name)


def membership_of(*, user: User, group: WorkingGroup) -> GroupMember | None:
    if not user.is_authenticated:
        return None
    return next((m for m in group.members.all() if m.user_id == user.pk), None)


def group_messages(*, group: WorkingGroup, limit: int = 100) -> list[GroupMessage]:
    """The latest messages, oldest first."""
    latest = list(
        GroupMessage.objects.filter(group=group, is_hidden=False)
        .select_related("author")
        .order_by("-created_at", "-id")[:limit]
    )
    return latest[::-1]


def group_events(*, group: WorkingGroup) -> list[Any]:
    return list(
        with_counts(group.events.filter(is_hidden=False))
        .select_related("commune")
        .order_by("-start", "id")[:50]
    )


def offer_list() -> QuerySet[KnowHowOffer]:
    return (
        KnowHowOffer.objects.filter(is_hidden=False)
        .select_related("offered_by", "project")
        .prefetch_related("themes")
        .annotate(request_count=Count("requests", distinct=True))
        .order_by("-created_at", "-id")
    )


def get_offer(*, offer_id: int) -> KnowHowOffer:
    offer = offer_list().filter(pk=offer_id).first()
    if offer is None:
        raise Http404("Savoir-faire introuvable")
    return offer


def get_group_document(*, document_id: int) -> Any:

    document = (
        GroupDocument.objects.filter(pk=document_id, group__is_hidden=False)
        .select_related("group")
        .first()
    )
    if document is None:
        raise Http404("Document introuvable")
    return document
