"""Read queries on meetings, shared by the pages, the feeds, the API and the map layer."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from turbine.accounts.models import User
from turbine.cooperation.models import (
    ACTIVE_STATUSES,
    AgeBand,
    Event,
    EventDocument,
    EventFeedback,
    EventFormat,
    FirstTime,
    HeardVia,
    Registration,
    RegistrationStatus,
    TimeSlot,
)
from turbine.directory.models import MembershipStatus, Organisation


@dataclass(frozen=True)
class EventFilters:
    format: str = ""
    modality: str = ""
    time_slot: str = ""
    theme: str = ""
    commune: str = ""
    date_from: date | None = None
    date_to: date | None = None
    # By default a list shows what is still to come (or under way).
    include_past: bool = False


def _count(status: str) -> Coalesce:
    sub = (
        Registration.objects.filter(event=OuterRef("pk"), status=status)
        .order_by()
        .values("event")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(sub, output_field=IntegerField()), 0)


def with_counts(qs: QuerySet[Event]) -> QuerySet[Event]:
    """Adds ``registered_count`` and ``waiting_count``: two correlated subqueries, no join that
    would multiply rows."""
    return qs.annotate(
        registered_count=_count(RegistrationStatus.REGISTERED),
        waiting_count=_count(RegistrationStatus.WAITING),
    )


def _organisations_prefetch() -> Prefetch:
    return Prefetch(
        "organisations",
        queryset=Organisation.objects.filter(is_hidden=False).prefetch_related("networks"),
    )


def event_list(*, filters: EventFilters, now: datetime | None = None) -> QuerySet[Event]:
    """Public events matching ``filters``, soonest first, with their counts, commune, themes and
    organisers loaded (a fixed number of queries whatever the page size)."""
    now = now or timezone.now()
    qs = Event.objects.public()
    if filters.format:
        qs = qs.filter(format=filters.format)
    if filters.modality:
        qs = qs.filter(modality=filters.modality)
    if filters.time_slot:
        qs = qs.filter(time_slot=filters.time_slot)
    if filters.theme:
        qs = qs.filter(themes__slug=filters.theme)
    if filters.commune:
        qs = qs.filter(commune__code=filters.commune)
    tz = timezone.get_current_timezone()
    if filters.date_from:
        qs = qs.filter(end__gte=datetime.combine(filters.date_from, time.min, tzinfo=tz))
    elif not filters.include_past:
        qs = qs.filter(end__gte=now)
    if filters.date_to:
        qs = qs.filter(
            start__lt=datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=tz)
        )
    return (
        with_counts(qs)
        .select_related("commune", "organiser_person")
        .prefetch_related("themes", _organisations_prefetch())
        .order_by("start", "id")
    )


def get_event(*, event_id: int) -> Event:
    event = (
        with_counts(Event.objects.public().filter(pk=event_id))
        .select_related(
            "commune", "commune__agglomeration", "organiser_person", "group", "know_how_offer"
        )
        .prefetch_related("themes", _organisations_prefetch(), "documents")
        .first()
    )
    if event is None:
        raise Http404("Rencontre introuvable")
    return event


def get_event_for_edit(*, user: User, event_id: int) -> Event:
    event = Event.objects.filter(pk=event_id).prefetch_related("themes", "organisations").first()
    if event is None:
        raise Http404("Rencontre introuvable")
    if not user.has_perm("cooperation.change_event", event):
        raise PermissionDenied("Vous ne pouvez pas modifier cette rencontre.")
    return event


def get_event_for_attendance(*, user: User, event_id: int) -> Event:
    event = with_counts(Event.objects.filter(pk=event_id)).first()
    if event is None:
        raise Http404("Rencontre introuvable")
    if not user.has_perm("cooperation.mark_attendance", event):
        raise PermissionDenied("Seuls les organisateurs et l'équipe notent les présences.")
    return event


def networks_crossed(event: Event) -> list[Any]:
    """The distinct networks of the event's organisations (prefetched), by name."""
    seen = {}
    for organisation in event.organisations.all():
        for network in organisation.networks.all():
            seen[network.pk] = network
    return sorted(seen.values(), key=lambda n: n.name)


def registration_of(*, user: User, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(event=event, user=user, status__in=ACTIVE_STATUSES)
        .order_by("-id")
        .first()
    )


def attendance_counts(*, event: Event) -> dict[str, int]:
    row = Registration.objects.filter(event=event).aggregate(
        registered=Count("id", filter=Q(status=RegistrationStatus.REGISTERED)),
        waiting=Count("id", filter=Q(status=RegistrationStatus.WAITING)),
        attended=Count(
            "id", filter=Q(status=RegistrationStatus.REGISTERED, attended_at__isnull=False)
        ),
        cancelled=Count("id", filter=Q(status=RegistrationStatus.CANCELLED)),
    )
    return {k: v or 0 for k, v in row.items()}


def recent_attendances(*, event: Event, limit: int = 10) -> list[Registration]:
    return list(
        Registration.objects.filter(event=event, attended_at__isnull=False).order_by(
            "-attended_at", "-id"
        )[:limit]
    )


def events_organised_by(*, user: User) -> QuerySet[Event]:
    """The events ``user`` organises: as the person, the creator, or an active member of one
    of the organising organisations."""
    return Event.objects.filter(
        Q(organiser_person=user)
        | Q(created_by=user)
        | Q(
            organisations__memberships__user=user,
            organisations__memberships__status=MembershipStatus.ACTIVE,
        )
    ).distinct()


# --- Participation diversity ----------------------------------------------------------------

MIN_GROUP = 5  # groups of fewer people are merged into "autres" and never shown alone

DIMENSIONS: dict[str, tuple[str, dict[str, str]]] = {
    "age_band": ("Tranche d'âge", {k: str(v) for k, v in AgeBand.choices}),
    "agglomeration": ("Agglomération", {}),
    "first_time": ("Première participation", {k: str(v) for k, v in FirstTime.choices}),
    "heard_via": (
        "Comment la personne a connu la rencontre",
        {k: str(v) for k, v in HeardVia.choices},
    ),
}


@dataclass(frozen=True)
class DiversityRow:
    key: str  # a format or a time slot
    label: str
    total: int
    groups: list[tuple[str, int]]  # (label, count), each >= MIN_GROUP, then "Autres" merged
    single_group: bool  # every declared person of this row is in one group


def _merge(counter: Counter) -> list[tuple[str, int]]:
    shown = [(label, n) for label, n in counter.most_common() if n >= MIN_GROUP]
    rest = sum(n for label, n in counter.items() if n < MIN_GROUP)
    if rest >= MIN_GROUP:
        shown.append(("Autres réponses (regroupées)", rest))
    return shown


def diversity_dashboard(
    *, dimension: str, events: QuerySet[Event] | None = None
) -> dict[str, list[DiversityRow]]:
    """Who comes to which formats and time slots, by one declared dimension: one aggregate
    query. Groups of fewer than ``MIN_GROUP`` people are merged; a row whose declared people all
    fall in one group is flagged, so that organisers vary that format or slot."""
    if dimension not in DIMENSIONS:
        raise Http404("Dimension inconnue")
    field = "agglomeration__name" if dimension == "agglomeration" else dimension
    labels = DIMENSIONS[dimension][1]
    qs = Registration.objects.filter(status=RegistrationStatus.REGISTERED, event__is_hidden=False)
    if events is not None:
        qs = qs.filter(event__in=events.values("pk"))
    qs = qs.exclude(**{f"{field}__isnull": True}).exclude(**{field: ""})
    rows = qs.values("event__format", "event__time_slot", field).annotate(n=Count("id")).order_by()
    by_format: dict[str, Counter] = {}
    by_slot: dict[str, Counter] = {}
    for row in rows:
        label = labels.get(row[field], row[field]) if labels else row[field]
        by_format.setdefault(row["event__format"], Counter())[label] += row["n"]
        by_slot.setdefault(row["event__time_slot"], Counter())[label] += row["n"]

    def build(source: dict[str, Counter], names: dict[str, str]) -> list[DiversityRow]:
        result = []
        for key, name in names.items():
            counter = source.get(key, Counter())
            total = sum(counter.values())
            if total < MIN_GROUP:
                result.append(DiversityRow(key, name, total, [], False))
                continue
            result.append(
                DiversityRow(key, name, total, _merge(counter), single_group=len(counter) == 1)
            )
        return result

    return {
        "formats": build(by_format, {k: str(v) for k, v in EventFormat.choices}),
        "time_slots": build(by_slot, {k: str(v) for k, v in TimeSlot.choices}),
    }


# --- After the event ------------------------------------------------------------------------


def feedback_summary(*, event: Event) -> dict[str, Any]:
    row = EventFeedback.objects.filter(event=event).aggregate(
        count=Count("id"), average=Avg("rating"), useful=Count("id", filter=Q(useful=True))
    )
    return {"count": row["count"] or 0, "average": row["average"], "useful": row["useful"] or 0}


def feedback_comments(*, event: Event) -> list[Any]:
    """Comments without their authors (organisers read what was said, not who said it)."""
    return list(
        EventFeedback.objects.filter(event=event)
        .exclude(comment="")
        .order_by("-created_at", "-id")
        .values("rating", "comment", "created_at")[:200]
    )


def feedback_of(*, registration: Registration | None) -> Any:
    if registration is None:
        return None

    return EventFeedback.objects.filter(registration=registration).first()


def get_document(*, document_id: int) -> Any:
    document = (
        EventDocument.objects.select_related("event")
        .filter(pk=document_id, event__is_hidden=False)
        .first()
    )
    if document is None:
        raise Http404("Document introuvable")
    return document


def events_in_place(*, communes: QuerySet, limit: int = 6) -> list[Event]:
    """The next public events held in one of these communes, soonest first."""
    return list(
        Event.objects.public()
        .filter(commune__in=communes, start__gte=timezone.now())
        .select_related("commune")
        .order_by("start", "id")[:limit]
    )
