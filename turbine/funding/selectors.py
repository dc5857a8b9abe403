"""Read queries of the funding catalogue, shared by pages, feeds, exports and the API."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, overload

from django.db.models import (
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from turbine.accounts.rules import is_turbine_staff
from turbine.core import search as search_index
from turbine.directory import introductions
from turbine.directory.models import Introduction
from turbine.funding.models import (
    Aid,
    AidStatus,
    Funder,
    FunderLevel,
    LocalNote,
    NoteVisibility,
    PartnerSearch,
    Perimeter,
    ProjectFunding,
    Scale,
    live_q,
)
from turbine.funding.services.partners import TARGET_KIND
from turbine.projects.selectors import public_projects
from turbine.territory.models import Commune

SEARCH_KIND = "aide"
# A text search ranks at most this many aids (the catalogue's design size is 5,000).
MAX_TEXT_HITS = 10_000
CALENDAR_SIZE = 500
# Themes one search may require at once: more is refused (form error, API 422), never a slow query.
MAX_THEME_FILTERS = 20


@dataclass(frozen=True)
class AidFilters:
    """The filters of ``/aides/``, its feeds, its export and ``/api/v1/aids`` (same names)."""

    commune: str = ""
    beneficiary: str = ""
    themes: tuple[str, ...] = ()
    type: str = ""
    open: bool = False
    closing_within: int | None = None
    call_for_projects: bool = False
    funder: int | None = None
    q: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    def is_empty(self) -> bool:
        return self == AidFilters()


# --- Perimeters -------------------------------------------------------------------------------


def containing_perimeter_ids(*, commune_code: str) -> list[int] | None:
    """The ids of the perimeters that contain the commune (itself, its EPCI, department, region,
    France, the EU), in one query; None when no current commune has this code."""
    rows = list(
        Perimeter.objects.filter(
            Q(scale=Scale.COMMUNE, code=commune_code) | Q(scale__in=[Scale.COUNTRY, Scale.EU])
        ).values_list("id", "scale", "epci_id", "department_id", "region_id")
    )
    commune = [row for row in rows if row[1] == Scale.COMMUNE]
    if not commune:
        return None
    ids = [row[0] for row in rows]
    ids.extend(i for i in commune[0][2:] if i is not None)
    return ids


def get_commune_perimeter(*, code: str) -> Perimeter | None:
    return (
        Perimeter.objects.filter(scale=Scale.COMMUNE, code=code)
        .select_related("epci", "department", "region")
        .first()
    )


def perimeter_autocomplete(*, text: str, limit: int = 20) -> QuerySet[Perimeter]:
    text = text.strip()
    qs = Perimeter.objects.all()
    if text.isdigit():
        return qs.filter(code__startswith=text).order_by("rank", "code")[:limit]
    return qs.filter(name__icontains=text).order_by("rank", "name")[:limit]


# --- Aids -------------------------------------------------------------------------------------


def _with_relations(qs: QuerySet[Aid]) -> QuerySet[Aid]:
    return qs.prefetch_related(
        Prefetch("funders", queryset=Funder.objects.order_by("name")),
        "themes",
        Prefetch("perimeters", queryset=Perimeter.objects.order_by("rank", "name")),
    )


def live_aids(today: datetime.date | None = None) -> QuerySet[Aid]:
    return Aid.objects.filter(live_q(today))


def filtered_aids(
    filters: AidFilters, *, today: datetime.date | None = None
) -> QuerySet[Aid] | None:
    """Live aids matching every filter but ``q``, annotated with ``match_rank``: the rank of
    the narrowest of their perimeters that contains the searched commune (grouped on the
    perimeter index, faster than a correlated subquery), or of their narrowest perimeter.
    None when the commune is unknown (no aid can match)."""
    today = today or timezone.localdate()
    # Annotated on the way (match_rank), which the model's type does not know.
    qs: QuerySet[Any] = live_aids(today)
    if filters.commune:
        ids = containing_perimeter_ids(commune_code=filters.commune)
        if ids is None:
            return None
        qs = (
            qs.filter(aid_perimeters__perimeter_id__in=ids)
            .values("pk")
            .annotate(match_rank=Min("aid_perimeters__perimeter__rank"))
        )
    else:
        qs = qs.annotate(match_rank=F("narrowest_rank"))
    if filters.beneficiary:
        qs = qs.filter(beneficiaries__contains=f" {filters.beneficiary} ")
    if filters.type:
        qs = qs.filter(types__contains=f" {filters.type} ")
    if filters.themes:
        # One IN over the aids holding every wanted theme (one JOIN per theme made a repeated
        # value cost seconds each); repeated values count once.
        wanted = set(filters.themes)
        qs = qs.filter(
            pk__in=Aid.themes.through.objects.filter(theme__slug__in=wanted)
            .values("aid_id")
            .annotate(held=Count("theme_id"))
            .filter(held=len(wanted))  # type: ignore[misc]  # django-stubs misses the annotation
            .values("aid_id")
        )
    if filters.open:
        qs = qs.filter(Q(start_date__isnull=True) | Q(start_date__lte=today))
    if filters.closing_within is not None:
        qs = qs.filter(
            deadline__gte=today,
            deadline__lte=today + datetime.timedelta(days=filters.closing_within),
        )
    if filters.call_for_projects:
        qs = qs.filter(is_call_for_projects=True)
    if filters.funder:
        qs = qs.filter(
            Exists(Aid.funders.through.objects.filter(aid=OuterRef("pk"), funder_id=filters.funder))
        )
    return qs


class AidResults(Sequence[Aid]):
    """Aids in result order: the ordered ids are read at once (a few bytes each), the aids of a
    slice only when it is taken, with their relations prefetched (a bounded number of queries
    per page, whatever the catalogue's size). Django-ninja's pagination accepts it as a list."""

    def __init__(self, ordered: list[tuple[int, int | None]]) -> None:
        self._ordered = ordered

    def __len__(self) -> int:
        return len(self._ordered)

    def count(self) -> int:  # type: ignore[override]
        return len(self._ordered)

    @property
    def ids(self) -> list[int]:
        return [aid_id for aid_id, _ in self._ordered]

    @overload
    def __getitem__(self, index: int) -> Aid: ...

    @overload
    def __getitem__(self, index: slice) -> list[Aid]: ...

    def __getitem__(self, index: int | slice) -> Aid | list[Aid]:
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        chunk = self._ordered[index]
        ranks = dict(chunk)
        aids = {aid.pk: aid for aid in _with_relations(Aid.objects.filter(pk__in=ranks))}
        result = []
        for aid_id, rank in chunk:
            aid = aids.get(aid_id)
            if aid is None:  # deleted since the ids were read
                continue
            aid.match_rank = rank
            result.append(aid)
        return result

    def iterate(self, chunk_size: int = 500) -> Iterator[Aid]:
        for start in range(0, len(self), chunk_size):
            yield from self[start : start + chunk_size]


def aid_search(
    filters: AidFilters, *, today: datetime.date | None = None, by_deadline: bool = False
) -> AidResults:
    """Live aids matching the filters, sorted by relevance (with ``q``), narrowest perimeter,
    then nearest deadline (aids without deadline last), title. ``by_deadline`` keeps only aids
    with a deadline, nearest first (the calendar and its iCalendar feed)."""
    qs: QuerySet[Any] | None = filtered_aids(filters, today=today)  # annotated: match_rank
    if qs is None:
        return AidResults([])
    order: list = ["match_rank", F("deadline").asc(nulls_last=True), "title", "pk"]
    if by_deadline:
        qs = qs.filter(deadline__isnull=False)
        order = ["deadline", "match_rank", "title", "pk"]
    relevance: dict[int, int] = {}
    if filters.q.strip():
        page = search_index.search(filters.q, kinds=[SEARCH_KIND], page_size=MAX_TEXT_HITS)
        relevance = {int(hit.object_id): position for position, hit in enumerate(page.hits)}
        qs = qs.filter(pk__in=list(relevance))
    rows = list(qs.order_by(*order).values_list("pk", "match_rank"))
    if relevance and not by_deadline:
        # Python's sort is stable: equal relevance keeps the SQL order.
        rows.sort(key=lambda row: relevance[row[0]])
    return AidResults(rows)


def get_aid_for_view(*, user: object, aid_id: int) -> Aid:
    """A published or expired aid for anyone; drafts for the Turbine's staff only."""
    aid = (
        _with_relations(Aid.objects.all()).prefetch_related("instructors").filter(pk=aid_id).first()
    )
    if aid is None or (aid.status == AidStatus.DRAFT and not is_turbine_staff(user)):
        raise Http404("Aide introuvable")
    return aid


def local_notes_for(*, aid: Aid, user: object) -> QuerySet[LocalNote]:
    qs = aid.notes.select_related("author")
    if not is_turbine_staff(user):
        qs = qs.filter(visibility=NoteVisibility.PUBLIC)
    return qs


def similar_aids(*, aid: Aid, limit: int = 5) -> list[Aid]:
    """Live aids sharing the most themes with ``aid``, then types, nearest deadline first."""
    theme_ids = [t.pk for t in aid.themes.all()]
    if not theme_ids:
        return []
    qs = (
        live_aids()
        .exclude(pk=aid.pk)
        .filter(themes__in=theme_ids)
        .annotate(shared=Count("themes"))
        .order_by("-shared", F("deadline").asc(nulls_last=True), "title")
    )
    return list(qs.prefetch_related("funders")[:limit])


def funder_list() -> QuerySet[Funder]:
    return Funder.objects.annotate(
        live_count=Count("aids", filter=live_q(prefix="aids__"), distinct=True)
    ).order_by("name")


def newest_aids(filters: AidFilters, *, limit: int = 50) -> list[Aid]:
    """The most recently published live aids matching the filters (the Atom feed)."""
    ids = aid_search(filters).ids
    qs = Aid.objects.filter(pk__in=ids).order_by("-published_at", "-pk")[:limit]
    return list(_with_relations(qs))


def partner_searches_for(*, aid: Aid, user: Any) -> list:
    """Open partner searches of a call, each with ``request_count`` (introductions asked),
    ``own`` (the person's own annonce) and ``asked`` (the person already asked). Three
    queries."""
    searches = list(
        PartnerSearch.objects.filter(aid=aid, closed_at__isnull=True)
        .select_related("author")
        .order_by("-created_at")
    )
    ids = [str(s.pk) for s in searches]
    counts = (
        dict(
            Introduction.objects.filter(target_kind=TARGET_KIND, target_id__in=ids)
            .values_list("target_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        if ids
        else {}
    )
    asked = introductions.asked_targets(user=user, kind=TARGET_KIND, ids=ids) if ids else set()
    user_id = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    for search in searches:
        search.own = search.author_id == user_id
        search.request_count = counts.get(str(search.pk), 0)
        search.asked = str(search.pk) in asked
    return searches


# --------------------------------------------------------------------------------------------
# Projects of the territory that obtained an aid (their funding rows name the aid)

FUNDED_PROJECTS_SHOWN = 30


@dataclass(frozen=True)
class FundedProject:
    id: int
    title: str
    url: str
    amount: Decimal  # the sum obtained from this aid
    communes: list[str]
    is_demo: bool


@dataclass(frozen=True)
class FundedProjects:
    items: list[FundedProject]
    count: int


def projects_funded_by(*, aid: Aid, limit: int = FUNDED_PROJECTS_SHOWN) -> FundedProjects:
    """The public, non-hidden projects whose funding rows name ``aid``, largest amount first,
    with the sum obtained from the aid; drafts and hidden projects never appear. Three
    queries whatever the number of projects (count, page, communes)."""
    return _funded_projects(Q(fundings__aid=aid), limit=limit)


def projects_funded_by_funder(
    *, funder: Funder, limit: int = FUNDED_PROJECTS_SHOWN
) -> FundedProjects:
    """The same for every aid of a funder: what its aids brought to the territory's projects."""
    return _funded_projects(Q(fundings__aid__funders=funder), limit=limit)


def _funded_projects(rows_q: Q, *, limit: int) -> FundedProjects:
    qs = public_projects().filter(rows_q)
    count = qs.values("pk").distinct().count()
    if not count:
        return FundedProjects(items=[], count=0)
    rows = list(
        qs.annotate(obtained=Sum("fundings__amount", filter=rows_q))
        .order_by("-obtained", "title", "id")
        .prefetch_related(Prefetch("communes", queryset=Commune.objects.order_by("name")))[:limit]
    )
    items = [
        FundedProject(
            id=p.pk,
            title=p.title,
            url=p.get_absolute_url(),
            amount=Decimal(p.obtained or 0).quantize(Decimal("0.01")),
            communes=[c.name for c in p.communes.all()],
            is_demo=p.is_demo,
        )
        for p in rows
    ]
    return FundedProjects(items=items, count=count)


AID_LOOKUP_SUGGESTIONS = 5


@dataclass(frozen=True)
class AidLookup:
    """What a typed aid reference resolved to: ``aid`` when exactly one visible aid matches,
    else a few ``candidates`` to choose from."""

    aid: Aid | None
    candidates: list[Aid]


def aid_lookup(*, text: str) -> AidLookup:
    """Resolve what someone typed to name an aid of the catalogue (no JavaScript needed): its
    number ("123"), its page's address (".../aides/123/"), "123 — title" as the form shows it,
    or its exact title (case-insensitive). Drafts are never found. At most two queries."""
    visible = Aid.objects.exclude(status=AidStatus.DRAFT)
    text = (text or "").strip()
    if not text:
        return AidLookup(aid=None, candidates=[])
    match = re.fullmatch(r"(?:.*/aides/)?(\d{1,12})(?:/?|\s*[—–-].*)", text, flags=re.S)
    if match:
        aid = visible.filter(pk=int(match.group(1))).first()
        return AidLookup(aid=aid, candidates=[])
    exact = list(visible.filter(title__iexact=text).order_by("id")[: AID_LOOKUP_SUGGESTIONS + 1])
    if len(exact) == 1:
        return AidLookup(aid=exact[0], candidates=[])
    if exact:
        return AidLookup(aid=None, candidates=exact[:AID_LOOKUP_SUGGESTIONS])
    words = [w for w in re.split(r"\W+", text) if len(w) > 2][:6]
    if not words:
        return AidLookup(aid=None, candidates=[])
    query = Q()
    for word in words:
        query &= Q(title__icontains=word)
    close = list(
        visible.filter(query).order_by(F("deadline").desc(nulls_first=True), "title", "id")[
            :AID_LOOKUP_SUGGESTIONS
        ]
    )
    return AidLookup(aid=None, candidates=close)


# --------------------------------------------------------------------------------------------
# A place's aids: those open to it now, and those its projects obtained

PLACE_AIDS_SHOWN = 8


def place_perimeter_ids(*, commune_code: str = "", epci_siren: str = "") -> list[int]:
    """The perimeters that contain a commune, or an EPCI (itself, its department and region,
    France, the EU); empty when the place is not in the perimeter table."""
    if commune_code:
        return containing_perimeter_ids(commune_code=commune_code) or []
    rows = list(
        Perimeter.objects.filter(
            Q(scale=Scale.EPCI, code=epci_siren) | Q(scale__in=[Scale.COUNTRY, Scale.EU])
        ).values_list("id", "scale")
    )
    if not any(scale == Scale.EPCI for _, scale in rows):
        return []
    ids = [pk for pk, _ in rows]
    # The EPCI's department and region: those of any of its communes.
    commune = (
        Perimeter.objects.filter(scale=Scale.COMMUNE, epci__scale=Scale.EPCI, epci__code=epci_siren)
        .values_list("department_id", "region_id")
        .first()
    )
    if commune:
        ids.extend(i for i in commune if i is not None)
    return ids


@dataclass(frozen=True)
class PlaceAids:
    items: list[Aid]  # the nearest deadlines first, then the permanent aids
    count: int


def aids_open_in_place(
    *, commune_code: str = "", epci_siren: str = "", limit: int = PLACE_AIDS_SHOWN
) -> PlaceAids:
    """Live aids whose perimeter contains the place, those closing first at the top."""
    ids = place_perimeter_ids(commune_code=commune_code, epci_siren=epci_siren)
    if not ids:
        return PlaceAids(items=[], count=0)
    matching = Aid.objects.filter(aid_perimeters__perimeter_id__in=ids).values("pk")
    qs = live_aids().filter(pk__in=matching)
    count = qs.count()
    items = list(
        _with_relations(qs.order_by(F("deadline").asc(nulls_last=True), "title", "id")[:limit])
    )
    return PlaceAids(items=items, count=count)


@dataclass(frozen=True)
class FundingByLevel:
    level: str  # a FunderLevel value, or "" for funding rows without a catalogue aid
    label: str
    amount: Decimal
    projects: int


def funding_obtained_by_level(*, projects: QuerySet) -> list[FundingByLevel]:
    """What these projects obtained, summed by the level of the aid's first funder (rows that
    name no aid of the catalogue are summed apart); largest first. One query."""
    first_level = Subquery(
        Aid.funders.through.objects.filter(aid_id=OuterRef("aid_id"))
        .order_by("funder__name")
        .values("funder__level")[:1]
    )
    rows = (
        ProjectFunding.objects.filter(project__in=projects)
        .annotate(level=Coalesce(first_level, Value("")))
        .values("level")
        .annotate(total=Sum("amount"), projects=Count("project", distinct=True))
        .order_by("-total")
    )
    labels = dict(FunderLevel.choices)
    return [
        FundingByLevel(
            level=row["level"],
            label=str(labels.get(row["level"], _("Autres financements (hors catalogue)"))),
            amount=Decimal(row["total"] or 0).quantize(Decimal("0.01")),
            projects=row["projects"],
        )
        for row in rows
    ]


# --------------------------------------------------------------------------------------------
# A funder's public page

FUNDER_AIDS_SHOWN = 50


@dataclass(frozen=True)
class FunderAids:
    open: list[Aid]  # live, the nearest deadline first
    open_count: int
    past: list[Aid]  # published once, now closed: the latest deadline first
    past_count: int


def get_funder(*, funder_id: int) -> Funder:
    funder = funder_list().filter(pk=funder_id).first()
    if funder is None:
        raise Http404("Financeur introuvable")
    return funder


def funder_aids(*, funder: Funder, limit: int = FUNDER_AIDS_SHOWN) -> FunderAids:
    """A funder's aids (as funder, not as instructor), open ones and past ones; drafts never."""
    mine = Aid.objects.filter(funders=funder).exclude(status=AidStatus.DRAFT)
    live = mine.filter(live_q())
    past = mine.exclude(pk__in=live.values("pk"))
    return FunderAids(
        open=list(
            _with_relations(
                live.order_by(F("deadline").asc(nulls_last=True), "title", "id")[:limit]
            )
        ),
        open_count=live.count(),
        past=list(
            _with_relations(
                past.order_by(F("deadline").desc(nulls_last=True), "title", "id")[:limit]
            )
        ),
        past_count=past.count(),
    )
