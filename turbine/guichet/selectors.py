"""Read queries of the guichet, shared by pages and the API."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from turbine.accounts import roles
from turbine.accounts.models import User
from turbine.accounts.rules import is_administrator
from turbine.funding import selectors as funding_selectors
from turbine.funding.models import Aid, AidStatus, live_q
from turbine.guichet import matching
from turbine.guichet.matching import advisor_load
from turbine.guichet.models import (
    AdvisorCoverage,
    AidChoice,
    AidChoiceKind,
    HistoryEntry,
    Outcome,
    Procedure,
    Recommendation,
    Reminder,
    Status,
    SupportRequest,
)
from turbine.guichet.rules import covered_agglomeration_ids
from turbine.projects.models import Project
from turbine.territory.models import Agglomeration


def _list_relations(qs: QuerySet[SupportRequest]) -> QuerySet[SupportRequest]:
    return qs.select_related("project", "advisor", "agglomeration", "holder").prefetch_related(
        "project__themes"
    )


def requests_of_holder(*, user: User) -> QuerySet[SupportRequest]:
    return _list_relations(SupportRequest.objects.filter(holder=user)).prefetch_related(
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.select_related("aid").order_by("created_at", "id"),
        )
    )


def visible_to_staff(user: User) -> QuerySet[SupportRequest]:
    qs = SupportRequest.objects.all()
    if is_administrator(user):
        return qs
    return qs.filter(
        Q(advisor_id=user.pk) | Q(agglomeration_id__in=covered_agglomeration_ids(user))
    )


# The queue's sortable columns: the key in the address → the ORDER BY (ties by age then id).
QUEUE_SORTS = {
    "urgence": ["-urgency_score"],
    "projet": ["project__title"],
    "echelle": ["confirmed_scale", "proposed_scale"],
    "statut": ["status"],
    "agglomeration": ["agglomeration__name"],
    "conseiller": ["advisor__display_name", "advisor__email"],
    "reception": ["-created_at"],
    "reponse": ["first_answer_at"],
}


@dataclass(frozen=True)
class QueueFilters:
    agglomeration: int | None = None
    theme: str = ""
    scale: int | None = None
    band: str = ""
    status: str = ""
    advisor: int | None = None  # 0: not assigned
    q: str = ""
    sort: str = "urgence"
    descending: bool = False  # reverses the column's natural order


def _queue_search(qs: QuerySet[SupportRequest], text: str) -> QuerySet[SupportRequest]:
    """Every word in the project's title or summary, the structure, the help wanted or the
    holder's name or address (requests are not public: they are not in ``core.search``)."""
    for word in text.split()[:8]:
        qs = qs.filter(
            Q(project__title__icontains=word)
            | Q(project__summary__icontains=word)
            | Q(structure_name__icontains=word)
            | Q(help_wanted__icontains=word)
            | Q(holder__display_name__icontains=word)
            | Q(holder__email__icontains=word)
        )
    return qs


def staff_queue(*, user: User, filters: QueueFilters) -> QuerySet[SupportRequest]:
    """The requests an advisor may follow, most urgent first (or by the column asked)."""
    qs = visible_to_staff(user)
    if filters.q.strip():
        qs = _queue_search(qs, filters.q)
    if filters.agglomeration:
        qs = qs.filter(agglomeration_id=filters.agglomeration)
    if filters.theme:
        qs = qs.filter(project__themes__slug=filters.theme)
    if filters.scale:
        qs = qs.filter(
            Q(confirmed_scale=filters.scale)
            | Q(confirmed_scale__isnull=True, proposed_scale=filters.scale)
        )
    if filters.band:
        qs = qs.filter(urgency_band=filters.band)
    qs = qs.filter(status=filters.status) if filters.status else qs.exclude(status=Status.CLOSED)
    if filters.advisor == 0:
        qs = qs.filter(advisor__isnull=True)
    elif filters.advisor:
        qs = qs.filter(advisor_id=filters.advisor)
    order = QUEUE_SORTS.get(filters.sort, QUEUE_SORTS["urgence"])
    if filters.descending:
        order = [o[1:] if o.startswith("-") else f"-{o}" for o in order]
    return _list_relations(qs).order_by(*order, "created_at", "id")


def coverage_of(*, user: User) -> tuple[bool, list[str]]:
    """What the advisor's queue covers: (all agglomerations?, the names of those covered)."""
    if is_administrator(user):
        return True, []
    names = list(
        Agglomeration.objects.filter(pk__in=covered_agglomeration_ids(user))
        .order_by("name")
        .values_list("name", flat=True)
    )
    return False, names


def reminders_due(*, user: User, within_days: int = 7, limit: int = 50) -> list:
    """Reminders not sent yet, due within ``within_days`` or late, on requests the advisor
    follows, soonest first (one query)."""
    until = timezone.localdate() + datetime.timedelta(days=within_days)
    return list(
        Reminder.objects.filter(
            sent_at__isnull=True,
            due_on__lte=until,
            request__in=visible_to_staff(user).exclude(status=Status.CLOSED),
        )
        .select_related("request__project", "request__advisor")
        .order_by("due_on", "id")[:limit]
    )


def get_request(*, user: User, request_id: int) -> SupportRequest:
    """A request its holder or its staff may see; 404 for anyone else (existence not leaked)."""
    support_request = (
        SupportRequest.objects.select_related("project", "holder", "advisor", "agglomeration")
        .prefetch_related("project__themes", "project__communes__agglomeration")
        .filter(pk=request_id)
        .first()
    )
    if support_request is None or not user.has_perm("guichet.view_request", support_request):
        raise Http404("Demande introuvable")
    return support_request


def get_request_for_staff(*, user: User, request_id: int) -> SupportRequest:
    support_request = get_request(user=user, request_id=request_id)
    if not user.has_perm("guichet.follow_request", support_request):
        raise Http404("Demande introuvable")
    return support_request


def recommendations_of(*, support_request: SupportRequest) -> list[Recommendation]:
    return list(
        support_request.recommendations.select_related("aid", "author").order_by("created_at", "id")
    )


def messages_of(*, support_request: SupportRequest) -> list:
    return list(support_request.messages.select_related("author"))


def notes_of(*, support_request: SupportRequest) -> list:
    return list(support_request.notes.select_related("author"))


def reminders_of(*, support_request: SupportRequest) -> list:
    return list(support_request.reminders.select_related("author"))


def history_of(*, support_request: SupportRequest, staff: bool) -> list[HistoryEntry]:
    qs = support_request.history.select_related("actor")
    if not staff:
        qs = qs.filter(is_staff_only=False)
    return list(qs)


def advisor_choices() -> list[User]:
    return list(
        User.objects.filter(groups__name=roles.ADVISOR, is_active=True)
        .order_by("display_name", "email")
        .distinct()
    )


@dataclass
class AdvisorSuggestion:
    user: User
    score: int
    load: int
    reasons: list[str]


def suggest_advisors(*, support_request: SupportRequest, limit: int = 3) -> list[AdvisorSuggestion]:
    """Advisors ranked by shared themes (+2 each), the request's agglomeration covered (+3),
    then the lightest current load."""
    theme_slugs = {t.slug for t in support_request.project.themes.all()}
    coverages = list(
        AdvisorCoverage.objects.filter(
            user__groups__name=roles.ADVISOR, user__is_active=True, is_available=True
        )
        .select_related("user")
        .prefetch_related("themes", "agglomerations")
        .distinct()
        .order_by("user_id")[:200]
    )
    load = advisor_load([c.user_id for c in coverages])
    result = []
    for coverage in coverages:
        points = 0
        reasons = []
        shared = sorted(t.name for t in coverage.themes.all() if t.slug in theme_slugs)
        if shared:
            points += 2 * len(shared)
            reasons.append("Thèmes suivis : " + ", ".join(shared) + ".")
        if any(a.pk == support_request.agglomeration_id for a in coverage.agglomerations.all()):
            points += 3
            reasons.append("Couvre l'agglomération de la demande.")
        current = load.get(coverage.user_id, 0)
        reasons.append(f"{current} demande(s) en cours.")
        if points:
            result.append(AdvisorSuggestion(coverage.user, points, current, reasons))
    result.sort(key=lambda s: (-s.score, s.load, s.user.pk))
    return result[:limit]


def queue_counts(*, user: User) -> dict[str, int]:
    rows = visible_to_staff(user).values_list("status").annotate(n=Count("id")).order_by()
    return dict(rows)


# --- public catalogue and statistics ----------------------------------------------------------


def procedure_catalogue() -> QuerySet:
    return Procedure.objects.filter(is_active=True).prefetch_related("themes").order_by("title")


@dataclass
class Statistics:
    total: int
    by_status: list[tuple[str, int]]
    by_outcome: list[tuple[str, int]]
    by_agglomeration: list[tuple[str, int]]
    by_theme: list[tuple[str, int]]
    by_scale: list[tuple[int, int]]
    answered: int
    median_first_answer: object  # timedelta | None


def statistics() -> Statistics:
    """Aggregated figures only (counts by group, a median): nothing names a person or a
    project. Seven grouped queries and one read of the answer delays."""
    qs = SupportRequest.objects.all()
    by_status = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
    by_outcome = dict(
        qs.exclude(outcome="").values_list("outcome").annotate(n=Count("id")).order_by()
    )
    by_agglomeration = list(
        qs.values_list("agglomeration__name")
        .annotate(n=Count("id"))
        .order_by("-n", "agglomeration__name")
    )
    by_theme = list(
        qs.values_list("project__themes__name")
        .exclude(project__themes__isnull=True)
        .annotate(n=Count("id", distinct=True))
        .order_by("-n", "project__themes__name")
    )
    confirmed = dict(
        qs.filter(confirmed_scale__isnull=False)
        .values_list("confirmed_scale")
        .annotate(n=Count("id"))
        .order_by()
    )
    proposed = dict(
        qs.filter(confirmed_scale__isnull=True)
        .values_list("proposed_scale")
        .annotate(n=Count("id"))
        .order_by()
    )
    delays: list[datetime.timedelta] = [
        answered - created
        for created, answered in qs.filter(first_answer_at__isnull=False).values_list(
            "created_at", "first_answer_at"
        )
        if answered is not None
    ]
    return Statistics(
        total=sum(by_status.values()),
        by_status=[(str(label), by_status.get(value, 0)) for value, label in Status.choices],
        by_outcome=[(str(label), by_outcome.get(value, 0)) for value, label in Outcome.choices],
        by_agglomeration=[(name or "Hors territoire", n) for name, n in by_agglomeration],
        by_theme=by_theme,
        by_scale=[(level, confirmed.get(level, 0) + proposed.get(level, 0)) for level in (1, 2, 3)],
        answered=len(delays),
        median_first_answer=_median(delays),
    )


# --- what Turbine found, as stored with the request -------------------------------------------


def _median(delays: list[datetime.timedelta]) -> datetime.timedelta | None:
    if not delays:
        return None
    ordered, middle = sorted(delays), len(delays) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def aid_choices_of(*, support_request: SupportRequest) -> list:
    """The holder's choices on the aids found (kept or set aside), newest first."""
    return list(AidChoice.objects.filter(request=support_request).select_related("aid"))


def found_for(*, support_request: SupportRequest, choices: list | None = None) -> Any:
    """The stored results of a request (``None`` before they are computed), with the aids read
    again for their cards: one query for the aids and one per prefetched relation, whatever the
    number of results. Aids no longer open, or set aside by the holder, are left out."""
    if support_request.found_at is None or not support_request.found:
        return None
    result = matching.from_snapshot(support_request.found)
    by_aid = {c.aid_id: c for c in (choices if choices is not None else [])}
    ids = [i.id for i in result.aids]
    aids = {
        a.pk: a for a in funding_selectors._with_relations(Aid.objects.filter(live_q(), pk__in=ids))
    }
    kept = []
    for item in result.aids:
        aid = aids.get(item.id)
        choice = by_aid.get(item.id)
        if aid is None or (choice and choice.choice == AidChoiceKind.SET_ASIDE):
            continue
        item.obj = aid
        item.extra["choice"] = choice.choice if choice else ""
        kept.append(item)
    result.aids = kept
    result.computed_at = support_request.found_at  # type: ignore[attr-defined]
    return result


# --- the queue's export and the catalogue's suggestions ---------------------------------------

QUEUE_EXPORT_HEADER = [
    "numéro",
    "projet",
    "porteur",
    "structure",
    "agglomération",
    "thèmes",
    "statut",
    "priorité",
    "score d'urgence",
    "échelle",
    "conseiller",
    "reçue le",
    "première réponse le",
]


def queue_export_rows(*, user: User, filters: QueueFilters) -> Any:
    """The rows of the queue's CSV export, read in chunks (a bounded number of queries per
    2,000 requests, whatever their number)."""
    qs = staff_queue(user=user, filters=filters)
    for r in qs.iterator(chunk_size=2000):
        yield [
            r.pk,
            r.project.title,
            r.get_holder_type_display(),
            r.structure_name,
            r.agglomeration.name if r.agglomeration else "",
            ", ".join(t.name for t in r.project.themes.all()),
            r.get_status_display(),
            r.get_urgency_band_display(),
            r.urgency_score,
            r.scale,
            str(r.advisor) if r.advisor else "",
            r.created_at.strftime("%Y-%m-%d"),
            r.first_answer_at.strftime("%Y-%m-%d") if r.first_answer_at else "",
        ]


def aid_suggestions(*, text: str, limit: int = 10) -> list:
    """Published aids of the whole catalogue whose title holds every word typed (for
    « Recommander »), open ones first. One query."""
    words = [w for w in re.split(r"\W+", text) if len(w) > 1][:6]
    if not words:
        return []
    query = Q()
    for word in words:
        query &= Q(title__icontains=word)
    return list(
        Aid.objects.filter(query, status=AidStatus.PUBLISHED)
        .only("pk", "title", "deadline")
        .order_by("title", "pk")[:limit]
    )


@dataclass(frozen=True)
class PlaceRequestRow:
    theme: str
    total: int
    open: int
    by_outcome: dict[str, int]


@dataclass(frozen=True)
class PlaceRequests:
    rows: list[PlaceRequestRow]
    total: int  # requests, each counted once whatever the number of its project's themes


def request_activity_in_place(*, communes: QuerySet) -> PlaceRequests:
    """Guichet requests about projects located in these communes, counted by the project's
    theme and by outcome: aggregates only, never a person or a request. A request counts once
    per theme of its project in the rows, once in the total. Two queries."""
    requests = SupportRequest.objects.filter(
        project__in=Project.objects.filter(communes__in=communes).values("pk")
    )
    rows = (
        requests.values("project__themes__name", "status", "outcome")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    table: dict[str, dict[str, Any]] = {}
    for row in rows:
        theme = row["project__themes__name"] or str(_("Sans thème"))
        entry = table.setdefault(theme, {"total": 0, "open": 0, "by_outcome": {}})
        entry["total"] += row["n"]
        if row["status"] != Status.CLOSED:
            entry["open"] += row["n"]
        elif row["outcome"]:
            entry["by_outcome"][row["outcome"]] = (
                entry["by_outcome"].get(row["outcome"], 0) + row["n"]
            )
    ordered = sorted(
        (PlaceRequestRow(theme=theme, **entry) for theme, entry in table.items()),
        key=lambda r: (-r.total, r.theme),
    )
    return PlaceRequests(rows=ordered, total=requests.count() if ordered else 0)


def closed_reasons_in_place(*, communes: QuerySet, limit: int = 5) -> list[dict[str, Any]]:
    """Why requests about projects of these communes ended without success (abandoned,
    renounced, redirected): counts by outcome, in aggregate."""
    requests = SupportRequest.objects.filter(
        project__in=Project.objects.filter(communes__in=communes).values("pk"),
        status=Status.CLOSED,
        outcome__in=[Outcome.ABANDONED, Outcome.RENOUNCED, Outcome.REDIRECTED],
    )
    labels = dict(Outcome.choices)
    return [
        {"outcome": row["outcome"], "label": labels[row["outcome"]], "count": row["n"]}
        for row in requests.values("outcome").annotate(n=Count("pk")).order_by("-n")[:limit]
    ]
