"""Reads of the ambition charters."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from turbine.label.models import (
    AmbitionCharter,
    AmbitionCommitment,
    AmbitionReview,
    CommitmentStatusEntry,
)


def ambition_charters() -> QuerySet[AmbitionCharter]:
    return (
        AmbitionCharter.objects.select_related("commune__agglomeration", "agglomeration")
        .annotate(commitment_count=Count("commitments", distinct=True))
        .order_by("agglomeration__name", "commune__name")
    )


def get_ambition_charter(*, charter_id: int) -> AmbitionCharter:
    charter = (
        AmbitionCharter.objects.select_related("commune__agglomeration", "agglomeration")
        .prefetch_related(
            Prefetch("commitments", queryset=AmbitionCommitment.objects.order_by("position", "id")),
            Prefetch(
                "reviews",
                queryset=AmbitionReview.objects.order_by("-year").prefetch_related(
                    Prefetch(
                        "entries",
                        queryset=CommitmentStatusEntry.objects.select_related("commitment"),
                    )
                ),
            ),
        )
        .filter(pk=charter_id)
        .first()
    )
    if charter is None:
        raise Http404("Cette charte d'ambition n'existe pas")
    return charter


@dataclass
class CommitmentRow:
    commitment: AmbitionCommitment
    history: list[tuple[int, CommitmentStatusEntry]] = field(default_factory=list)

    @property
    def latest(self) -> CommitmentStatusEntry | None:
        return self.history[0][1] if self.history else None


def commitment_rows(charter: AmbitionCharter) -> list[CommitmentRow]:
    rows = {c.pk: CommitmentRow(c) for c in charter.commitments.all()}
    for review in charter.reviews.all():
        for entry in review.entries.all():
            if entry.commitment_id in rows:
                rows[entry.commitment_id].history.append((review.year, entry))
    return list(rows.values())


def review_counts(review: AmbitionReview) -> list[tuple[str, int]]:
    counts = Counter(entry.get_status_display() for entry in review.entries.all())
    return sorted(counts.items())


def latest_reviews(charter_ids: list[int]) -> dict[int, AmbitionReview]:
    out: dict[int, AmbitionReview] = {}
    for review in (
        AmbitionReview.objects.filter(charter_id__in=charter_ids)
        .prefetch_related("entries")
        .order_by("-year")
    ):
        out.setdefault(review.charter_id, review)
    return out


def ambition_charter_of(
    *, commune_id: int | None = None, agglomeration_id: int | None = None
) -> AmbitionCharter | None:
    """The ambition charter a commune or an agglomeration adopted, if any."""
    if commune_id is not None:
        return ambition_charters().filter(commune_id=commune_id).first()
    if agglomeration_id is None:
        return None
    return ambition_charters().filter(agglomeration_id=agglomeration_id).first()
