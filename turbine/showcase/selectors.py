"""Read queries of the showcase, shared by the pages and the API (bounded query counts)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from turbine.accounts.models import User
from turbine.core.exceptions import NotFoundError
from turbine.core.models import Theme
from turbine.directory.models import Family
from turbine.directory.selectors import public_people
from turbine.projects.models import Project
from turbine.projects.selectors import public_projects
from turbine.showcase.models import (
    AdvocacyFile,
    AdvocacyStatus,
    BlockerLevel,
    BlockerReport,
    Commitment,
    CommitmentStatus,
    Language,
    PolicyBrief,
    Portrait,
    Story,
    StoryStatus,
    StrategicActor,
    VisitOffer,
    VisitorOrigin,
    VisitRequest,
    VisitRequestStatus,
    VisitSlot,
)
from turbine.steering.models import Indicator, Objective
from turbine.steering.selectors import indicators_with_standing
from turbine.territory.models import Commune

THEMES = Prefetch("themes", queryset=Theme.objects.order_by("position", "name"))
COMMUNES = Prefetch("communes", queryset=Commune.objects.order_by("name").only("code", "name"))


@dataclass(frozen=True)
class ShowcaseFilters:
    commune: str = ""
    theme: str = ""
    scope: str = ""
    language: str = ""
    level: str = ""


# --- Living showcase ------------------------------------------------------------------------


def public_portraits(*, filters: ShowcaseFilters | None = None) -> QuerySet[Portrait]:
    qs = (
        Portrait.objects.public()
        .select_related("organisation", "commune", "person")
        .prefetch_related(THEMES)
    )
    if filters and filters.theme:
        qs = qs.filter(themes__slug=filters.theme)
    if filters and filters.commune:
        qs = qs.filter(commune__code=filters.commune)
    return qs


def family_overview(*, per_family: int = 3) -> list[dict[str, Any]]:
    """The three families, each with its count and first portraits (featured first): one count
    query and one query per family, whatever the number of portraits."""
    counts = dict(
        Portrait.objects.public().values_list("family").annotate(n=Count("id")).order_by()
    )
    return [
        {
            "key": key,
            "label": label,
            "count": counts.get(key, 0),
            "portraits": list(public_portraits().filter(family=key)[:per_family]),
        }
        for key, label in Family.choices
    ]


def latest_know_how(*, limit: int = 4) -> dict[str, list[Any]]:
    """What refreshes the showcase by itself: the latest know-how written on public projects and
    on public profiles."""
    projects = list(
        public_projects()
        .exclude(know_how="")
        .select_related("holder_organisation")
        .order_by("-updated_at", "-id")[:limit]
    )
    people = list(
        public_people()
        .exclude(directory_profile__know_how="")
        .filter(directory_profile__isnull=False)
        .select_related("directory_profile", "commune")
        .order_by("-directory_profile__updated_at", "-id")[:limit]
    )
    return {"projects": projects, "people": people}


def get_portrait_for_person(*, user: User, portrait_id: int) -> Portrait:
    portrait = (
        Portrait.objects.select_related("organisation", "commune").filter(pk=portrait_id).first()
    )
    if portrait is None or not user.has_perm("showcase.consent_portrait", portrait):
        raise NotFoundError("Portrait introuvable.")
    return portrait


def portraits_for_staff() -> QuerySet[Portrait]:
    return Portrait.objects.select_related("organisation", "commune", "person").order_by(
        "status", "-updated_at"
    )


# --- Stories --------------------------------------------------------------------------------


def story_list(*, filters: ShowcaseFilters) -> QuerySet[Story]:
    qs = (
        Story.objects.public()
        .select_related("organisation")
        .prefetch_related(
            THEMES,
            COMMUNES,
            Prefetch("steering_objectives", queryset=Objective.objects.only("pk")),
            Prefetch("steering_indicators", queryset=Indicator.objects.only("pk")),
        )
    )
    if filters.theme:
        qs = qs.filter(themes__slug=filters.theme)
    if filters.commune:
        qs = qs.filter(
            Q(communes__code=filters.commune) | Q(projects__communes__code=filters.commune)
        )
    if filters.scope:
        qs = qs.filter(scope=filters.scope)
    return qs.distinct().order_by("-published_at", "-id")


def get_story(*, user: User, story_id: int) -> Story:
    """A published story, or a story its author or staff are working on."""
    story = (
        Story.objects.select_related("organisation", "author")
        .prefetch_related(
            THEMES,
            COMMUNES,
            Prefetch("projects", queryset=public_projects().select_related("holder_organisation")),
            Prefetch("portraits", queryset=Portrait.objects.public()),
        )
        .filter(pk=story_id)
        .first()
    )
    if story is None or (
        story.status != StoryStatus.PUBLISHED and not user.has_perm("showcase.edit_story", story)
    ):
        raise NotFoundError("Récit introuvable.")
    return story


def story_steering(*, story: Story) -> list[tuple[Objective, list[Indicator]]]:
    """The objectives a story cites, each with the cited indicators of it (with where they
    stand): the objectives of cited indicators come in too (three or four queries)."""
    indicators = indicators_with_standing(
        list(story.steering_indicators.values_list("pk", flat=True))
    )
    objectives = {o.pk: o for o in story.steering_objectives.select_related("axis")}
    for indicator in indicators:
        objectives.setdefault(indicator.objective_id, indicator.objective)
    ordered = sorted(objectives.values(), key=lambda o: (o.axis_id, o.position, o.pk))
    return [(o, [i for i in indicators if i.objective_id == o.pk]) for o in ordered]


def stories_citing(
    *, objective: Objective | None = None, indicator: Indicator | None = None, limit: int = 10
) -> list[Story]:
    """The latest published stories that cite this objective (directly or through one of its
    indicators), or this indicator."""
    qs = Story.objects.filter(status=StoryStatus.PUBLISHED)
    if objective is not None:
        qs = qs.filter(
            Q(steering_objectives=objective) | Q(steering_indicators__objective=objective)
        )
    if indicator is not None:
        qs = qs.filter(steering_indicators=indicator)
    return list(
        qs.distinct().select_related("organisation").order_by("-published_at", "-pk")[:limit]
    )


def stories_of(*, user: User) -> QuerySet[Story]:
    return Story.objects.filter(author=user).order_by("-updated_at")


def stories_to_review() -> QuerySet[Story]:
    return (
        Story.objects.filter(status=StoryStatus.SUBMITTED)
        .select_related("author", "organisation")
        .order_by("submitted_at")
    )


# --- Study visits ---------------------------------------------------------------------------


def _upcoming_slots() -> Prefetch:
    return Prefetch(
        "slots",
        queryset=VisitSlot.objects.filter(start__gt=timezone.now()).order_by("start"),
        to_attr="upcoming",
    )


def visit_offer_list(*, filters: ShowcaseFilters) -> QuerySet[VisitOffer]:
    qs = (
        VisitOffer.objects.public()
        .select_related("host", "commune", "project")
        .prefetch_related(THEMES, _upcoming_slots())
    )
    if filters.theme:
        qs = qs.filter(themes__slug=filters.theme)
    if filters.commune:
        qs = qs.filter(commune__code=filters.commune)
    if filters.language:
        # JSON containment is not portable to SQLite: the codes are two letters, quoted.
        qs = qs.filter(languages__icontains=f'"{filters.language}"')
    return qs.order_by("title", "id")


def get_visit_offer(*, offer_id: int) -> VisitOffer:
    offer = (
        VisitOffer.objects.public()
        .select_related("host", "commune", "project")
        .prefetch_related(THEMES, _upcoming_slots())
        .filter(pk=offer_id)
        .first()
    )
    if offer is None:
        raise NotFoundError("Visite introuvable.")
    return offer


def visit_requests_of_offer(*, offer: VisitOffer) -> list[VisitRequest]:
    return list(
        VisitRequest.objects.filter(slot__offer=offer)
        .select_related("slot", "proposed_slot", "feedback")
        .order_by("slot__start", "created_at")
    )


def offer_slots(*, offer: VisitOffer) -> list[VisitSlot]:
    return list(offer.slots.order_by("start"))


def visit_figures() -> dict[str, Any]:
    """Visits that took place or are confirmed, by project, by origin and by language: groups
    and people. Three aggregate queries."""
    done = VisitRequest.objects.filter(status=VisitRequestStatus.CONFIRMED)

    def grouped(key: str) -> list[dict[str, Any]]:
        return list(
            done.values(key)
            .annotate(groups=Count("id"), people=Sum("group_size"))
            .order_by("-people", key)
        )

    origins = dict(VisitorOrigin.choices)
    by_origin = [
        {**row, "label": origins.get(row["origin"], row["origin"])} for row in grouped("origin")
    ]
    labels = dict(Language.choices)
    by_language = [
        {**row, "label": labels.get(row["language"], row["language"])}
        for row in grouped("language")
    ]
    by_project = list(
        done.values("slot__offer__title", "slot__offer_id")
        .annotate(groups=Count("id"), people=Sum("group_size"))
        .order_by("-people", "slot__offer__title")
    )
    return {"by_offer": by_project, "by_origin": by_origin, "by_language": by_language}


# --- Blockers -------------------------------------------------------------------------------


def public_blockers(*, filters: ShowcaseFilters) -> QuerySet[BlockerReport]:
    qs = (
        BlockerReport.objects.public()
        .select_related("file")
        .prefetch_related(Prefetch("projects", queryset=public_projects().only("id", "title")))
    )
    if filters.level:
        qs = qs.filter(level=filters.level)
    return qs.order_by("-created_at", "-id")


def blocker_counts() -> dict[str, Any]:
    """Aggregated counts, always public (private reports included, never their content)."""
    levels = dict(
        BlockerReport.objects.exclude(qualification="hors-champ")
        .values_list("level")
        .annotate(n=Count("id"))
        .order_by()
    )
    statuses = dict(AdvocacyFile.objects.values_list("status").annotate(n=Count("id")).order_by())
    return {
        "by_level": [(label, levels.get(key, 0)) for key, label in BlockerLevel.choices],
        "total": sum(levels.values()),
        "files_by_status": [(label, statuses.get(key, 0)) for key, label in AdvocacyStatus.choices],
    }


def advocacy_files() -> QuerySet[AdvocacyFile]:
    return AdvocacyFile.objects.annotate(report_count=Count("reports")).order_by(
        "-opened_on", "-id"
    )


def get_advocacy_file(*, file_id: int) -> AdvocacyFile:
    file = AdvocacyFile.objects.prefetch_related("steps").filter(pk=file_id).first()
    if file is None:
        raise NotFoundError("Dossier introuvable.")
    return file


def blockers_for_staff() -> QuerySet[BlockerReport]:
    return BlockerReport.objects.select_related("author", "holder", "file").order_by(
        "qualification", "-created_at"
    )


def blockers_of(*, user: User) -> QuerySet[BlockerReport]:
    return BlockerReport.objects.filter(Q(author=user) | Q(holder=user)).order_by("-created_at")


def projects_for_blocker(*, user: User) -> QuerySet[Project]:
    return (
        Project.objects.filter(Q(holder_user=user) | Q(holder_organisation__memberships__user=user))
        .distinct()
        .order_by("title")
    )


# --- Strategies -----------------------------------------------------------------------------


def strategic_map() -> list[StrategicActor]:
    return list(
        StrategicActor.objects.select_related("organisation", "network").prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.order_by("due_on", "id"))
        )
    )


def commitment_list(*, status: str = "", kind: str = "") -> QuerySet[Commitment]:
    qs = Commitment.objects.select_related("actor")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(actor__kind=kind)
    return qs.order_by("due_on", "id")


def commitment_counts() -> list[tuple[str, int]]:
    counts = dict(Commitment.objects.values_list("status").annotate(n=Count("id")).order_by())
    return [(str(label), counts.get(key, 0)) for key, label in CommitmentStatus.choices]


def published_briefs() -> QuerySet[PolicyBrief]:
    return PolicyBrief.objects.filter(published_at__isnull=False).select_related("actor")


def draft_briefs() -> QuerySet[PolicyBrief]:
    return PolicyBrief.objects.filter(published_at__isnull=True).select_related("actor")


def get_brief(*, user: User, brief_id: int) -> PolicyBrief:
    brief = PolicyBrief.objects.select_related("actor").filter(pk=brief_id).first()
    if brief is None or (
        brief.published_at is None and not user.has_perm("showcase.manage_strategies")
    ):
        raise NotFoundError("Note introuvable.")
    return brief
