"""Read queries on debates, shared by the pages and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from turbine.cooperation.models import Argument, Debate, Side


def _count(side: str) -> Coalesce:
    sub = (
        Argument.objects.filter(
            debate=OuterRef("pk"), side=side, parent__isnull=True, is_hidden=False
        )
        .order_by()
        .values("debate")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(sub, output_field=IntegerField()), 0)


def debate_list() -> QuerySet[Debate]:
    return (
        Debate.objects.public()
        .annotate(for_count=_count(Side.FOR), against_count=_count(Side.AGAINST))
        .prefetch_related("themes")
        .order_by("-is_open", "-created_at", "-id")
    )


def get_debate(*, debate_id: int) -> Debate:
    debate = debate_list().filter(pk=debate_id).first()
    if debate is None:
        raise Http404("Débat introuvable")
    return debate


@dataclass(frozen=True)
class Columns:
    """Arguments for and against, side by side, each in the order written: no score, no role,
    so that every voice weighs the same."""

    for_arguments: list[Argument]
    against_arguments: list[Argument]


def debate_arguments(*, debate: Debate) -> Columns:
    replies = Prefetch(
        "replies",
        queryset=Argument.objects.filter(is_hidden=False)
        .select_related("author")
        .order_by("created_at", "id"),
    )
    top = list(
        Argument.objects.filter(debate=debate, parent__isnull=True, is_hidden=False)
        .select_related("author")
        .prefetch_related(replies)
        .order_by("created_at", "id")
    )
    return Columns(
        for_arguments=[a for a in top if a.side == Side.FOR],
        against_arguments=[a for a in top if a.side == Side.AGAINST],
    )
