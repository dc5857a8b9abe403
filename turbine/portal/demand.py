"""The demand around a funder's aids (``/financeurs/<id>/demande/``): guichet requests that
matched each aid (by theme and agglomeration), holders who kept it or set it aside (with the
reasons they gave), alerts following it, projects that declare having applied or obtained it.
Aggregates only, never a person or a request. It reads the guichet (above funding in the
layers), hence the portal.

The matches are the requests' stored results (``SupportRequest.found``, a JSON document the
guichet keeps up to date when the catalogue changes): they are read in chunks and counted in
Python, one pass whatever the number of aids; the query count stays flat, the time grows with
the number of requests that have results (measured in ``bench/``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F
from django.utils.translation import gettext as _

from turbine.funding.models import (
    Aid,
    AidStatus,
    Alert,
    ApplicationStatus,
    Funder,
    ProjectApplication,
)
from turbine.guichet.models import AidChoice, AidChoiceKind, SupportRequest

DEMAND_AIDS_SHOWN = 200
REASONS_SHOWN = 5


@dataclass(frozen=True)
class Tally:
    label: str
    count: int


@dataclass
class AidDemand:
    aid: Aid
    matched: int = 0
    by_theme: list[Tally] = field(default_factory=list)
    by_agglomeration: list[Tally] = field(default_factory=list)
    kept: int = 0
    set_aside: int = 0
    kept_reasons: list[str] = field(default_factory=list)
    set_aside_reasons: list[str] = field(default_factory=list)
    followers: int = 0
    applied: int = 0
    obtained: int = 0
    refused: int = 0


@dataclass(frozen=True)
class FunderDemand:
    funder: Funder
    aids: list[AidDemand]
    aid_count: int
    matched: int  # requests that matched at least one of the funder's aids, each once
    by_theme: list[Tally]
    by_agglomeration: list[Tally]


def _tallies(counter: Counter[str]) -> list[Tally]:
    return [
        Tally(label=k, count=n) for k, n in sorted(counter.items(), key=lambda i: (-i[1], i[0]))
    ]


def funder_demand(*, funder: Funder, limit: int = DEMAND_AIDS_SHOWN) -> FunderDemand:
    """The funder's published (live or past) aids with their demand. Nine queries."""
    mine = Aid.objects.filter(funders=funder).exclude(status=AidStatus.DRAFT)
    aids = list(mine.order_by(F("deadline").desc(nulls_first=True), "title", "id")[:limit])
    rows = {a.pk: AidDemand(aid=a) for a in aids}
    ids = set(rows)

    # Which requests matched which aid: one pass over the stored results.
    matched_by_aid: dict[int, set[int]] = defaultdict(set)
    request_agglomeration: dict[int, str] = {}
    results = SupportRequest.objects.filter(found_at__isnull=False).values_list(
        "pk", "found", "agglomeration__name"
    )
    for pk, found, agglomeration in results.iterator(chunk_size=500):
        for item in (found or {}).get("aids", ()):
            aid_id = item.get("id") if isinstance(item, dict) else None
            if aid_id in ids:
                matched_by_aid[aid_id].add(pk)
                request_agglomeration[pk] = agglomeration or _("Hors des agglomérations")
    # An aid a holder kept or set aside was found for their request, even once it left the
    # results (a set-aside aid is not proposed again).
    for aid_id, pk, agglomeration in AidChoice.objects.filter(aid__in=ids).values_list(
        "aid", "request", "request__agglomeration__name"
    ):
        matched_by_aid[aid_id].add(pk)
        request_agglomeration[pk] = agglomeration or _("Hors des agglomérations")
    request_themes: dict[int, list[str]] = defaultdict(list)
    if request_agglomeration:
        for pk, theme in SupportRequest.objects.filter(
            pk__in=list(request_agglomeration)
        ).values_list("pk", "project__themes__name"):
            request_themes[pk].append(theme or _("Sans thème"))
    total_themes: Counter[str] = Counter()
    total_agglomerations: Counter[str] = Counter()
    for pk, agglomeration in request_agglomeration.items():
        total_agglomerations[agglomeration] += 1
        for theme in request_themes[pk]:
            total_themes[theme] += 1
    for aid_id, requests in matched_by_aid.items():
        themes: Counter[str] = Counter()
        agglomerations: Counter[str] = Counter()
        for pk in requests:
            agglomerations[request_agglomeration[pk]] += 1
            for theme in request_themes[pk]:
                themes[theme] += 1
        row = rows[aid_id]
        row.matched = len(requests)
        row.by_theme = _tallies(themes)
        row.by_agglomeration = _tallies(agglomerations)

    for aid_id, choice, n in (
        AidChoice.objects.filter(aid__in=ids)
        .values_list("aid", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if choice == AidChoiceKind.KEPT:
            rows[aid_id].kept = n
        else:
            rows[aid_id].set_aside = n
    # The reasons holders wrote, the latest first: their words only, never who wrote them.
    for aid_id, choice, reason in (
        AidChoice.objects.filter(aid__in=ids)
        .exclude(reason="")
        .order_by("-updated_at", "-id")
        .values_list("aid", "choice", "reason")[: REASONS_SHOWN * 2 * max(1, len(ids))]
    ):
        target = (
            rows[aid_id].kept_reasons
            if choice == AidChoiceKind.KEPT
            else rows[aid_id].set_aside_reasons
        )
        if len(target) < REASONS_SHOWN:
            target.append(reason)

    for aid_id, n in (
        Alert.objects.filter(
            followed_aids__in=ids, confirmed_at__isnull=False, unsubscribed_at__isnull=True
        )
        .values_list("followed_aids")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    ):
        rows[aid_id].followers = n

    for aid_id, status, n in (
        ProjectApplication.objects.filter(aid__in=ids)
        .values_list("aid", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        attribute = {
            ApplicationStatus.APPLIED: "applied",
            ApplicationStatus.OBTAINED: "obtained",
            ApplicationStatus.REFUSED: "refused",
        }[ApplicationStatus(status)]
        setattr(rows[aid_id], attribute, n)

    return FunderDemand(
        funder=funder,
        aids=sorted(rows.values(), key=lambda r: (-r.matched, r.aid.title, r.aid.pk)),
        aid_count=mine.count(),
        matched=len(request_agglomeration),
        by_theme=_tallies(total_themes),
        by_agglomeration=_tallies(total_agglomerations),
    )
