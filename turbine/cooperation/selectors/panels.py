"""Read queries on citizen panels, shared by the pages and the API.

Volunteers' features leave this module only as counts (the pool's and the panel's composition)
or as the probability of a group of people with the same answers: never attached to a person.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from turbine.accounts.models import User
from turbine.cooperation.models import (
    DrawStatus,
    MemberStatus,
    Panel,
    PanelDraw,
    PanelMember,
    PanelQuota,
    PanelReview,
    Rating,
    ReviewContribution,
    ReviewStatus,
    Volunteer,
)
from turbine.projects.models import Project


def can_manage(user: User) -> bool:
    return user.has_perm("cooperation.manage_panel")


def panel_list(*, user: User) -> QuerySet[Panel]:
    panels = Panel.objects.all() if can_manage(user) else Panel.objects.public()
    return panels.annotate(
        pool_size=Count("volunteers", filter=Q(volunteers__withdrawn_at__isnull=True))
    ).order_by("-created_at", "-id")


def get_panel(*, user: User, panel_id: int) -> Panel:
    """A public panel, or any panel for staff; 404 otherwise."""
    panel = (
        panel_list(user=user)
        .prefetch_related(
            Prefetch(
                "projects", queryset=Project.objects.filter(visibility="public", is_hidden=False)
            )
        )
        .filter(pk=panel_id)
        .first()
    )
    if panel is None:
        raise Http404("Panel introuvable")
    return panel


def get_panel_for_manage(*, user: User, panel_id: int) -> Panel:
    if not can_manage(user):
        raise PermissionDenied("Seule l'équipe de la Turbine gère les panels citoyens.")
    return get_panel(user=user, panel_id=panel_id)


def quota_rows(panel: Panel) -> list[PanelQuota]:
    return list(PanelQuota.objects.filter(panel=panel).order_by("position", "id"))


def categories(panel: Panel) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for quota in quota_rows(panel):
        result.setdefault(quota.category, []).append(quota.feature)
    return result


@dataclass
class FeatureRow:
    feature: str
    min: int
    max: int
    pool: int
    panel: int | None = None

    @property
    def pool_share(self) -> float:
        return 0.0

    @property
    def met(self) -> bool:
        return self.panel is not None and self.min <= self.panel <= self.max


@dataclass
class CategoryTable:
    category: str
    rows: list[FeatureRow] = field(default_factory=list)


def _tables(
    quotas: list[tuple[str, str, int, int]],
    pool: list[dict[str, str]],
    panel: list[dict[str, str]] | None,
) -> list[CategoryTable]:
    pool_counts = Counter((c, f.get(c)) for f in pool for c in f)
    panel_counts = Counter((c, f.get(c)) for f in panel or [] for c in f)
    tables: dict[str, CategoryTable] = {}
    for category, feature, low, high in quotas:
        table = tables.setdefault(category, CategoryTable(category))
        table.rows.append(
            FeatureRow(
                feature=feature,
                min=low,
                max=high,
                pool=pool_counts[category, feature],
                panel=panel_counts[category, feature] if panel is not None else None,
            )
        )
    return list(tables.values())


def pool_composition(panel: Panel) -> list[CategoryTable]:
    """The live pool's counts by value, against the quotas (one query for the pool)."""
    quotas = [(q.category, q.feature, q.min, q.max) for q in quota_rows(panel)]
    pool = list(
        Volunteer.objects.filter(panel=panel, withdrawn_at__isnull=True).values_list(
            "features", flat=True
        )
    )
    return _tables(quotas, pool, None)


def pool_size(panel: Panel) -> int:
    return Volunteer.objects.filter(panel=panel, withdrawn_at__isnull=True).count()


def latest_draw(panel: Panel) -> PanelDraw | None:
    return PanelDraw.objects.filter(panel=panel).order_by("-created_at", "-id").first()


def published_draw(panel: Panel) -> PanelDraw | None:
    """The draw whose lottery is public (computed or drawn), the latest first."""
    return (
        PanelDraw.objects.filter(panel=panel, status__in=[DrawStatus.COMPUTED, DrawStatus.DRAWN])
        .order_by("-created_at", "-id")
        .first()
    )


def draw_members(draw: PanelDraw) -> list[PanelMember]:
    return list(
        PanelMember.objects.filter(draw=draw)
        .select_related("volunteer__user", "replaces")
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class GroupProbability:
    """People who gave the same answers in every category, and their probability."""

    features: list[str]
    people: int
    probability: float
    selected: int


@dataclass
class DrawResults:
    draw: PanelDraw
    categories: list[str]
    tables: list[CategoryTable]
    groups: list[GroupProbability]
    minimum: float
    median: float
    maximum: float
    gini: float
    members: list[PanelMember]
    named: list[str]
    replacements: list[PanelMember]


def draw_results(draw: PanelDraw) -> DrawResults:
    """What is published with a draw: quotas, the pool's and the panel's composition, the
    probabilities by group of identical answers (the answers of a group of fewer than
    ``MIN_PUBLISHED_TYPE`` people withheld, ``features`` None), the figures; the names of the
    members who accepted and agreed to be named."""
    members = draw_members(draw) if draw.status == DrawStatus.DRAWN else []
    active_rows = [m.row for m in members if m.status != MemberStatus.DECLINED]
    cats = list(draw.categories)
    pool = [dict(zip(cats, p, strict=True)) for p in draw.people]
    panel = [pool[row - 1] for row in active_rows] if members else None
    quotas = [tuple(q) for q in draw.quotas]
    selected_rows = Counter(tuple(draw.people[row - 1]) for row in active_rows)
    groups: dict[tuple[str, ...], list] = {}
    for row, person in enumerate(draw.people):
        entry = groups.setdefault(tuple(person), [0, draw.probabilities[row]])
        entry[0] += 1
    group_list = sorted(
        (
            GroupProbability(
                list(key) if count >= MIN_PUBLISHED_TYPE else None,
                count,
                probability,
                selected_rows.get(key, 0),
            )
            for key, (count, probability) in groups.items()
        ),
        key=lambda g: (g.probability, g.features is None, g.features or []),
    )
    figures = draw.figures or {}
    return DrawResults(
        draw=draw,
        categories=cats,
        tables=_tables(quotas, pool, panel),
        groups=group_list,
        minimum=figures.get("minimum", 0.0),
        median=figures.get("median", 0.0),
        maximum=figures.get("maximum", 0.0),
        gini=figures.get("gini", 0.0),
        members=members,
        named=sorted(
            m.volunteer.user.public_name
            for m in members
            if m.status == MemberStatus.ACCEPTED
            and m.volunteer.consent_name
            and m.volunteer.user_id is not None
        ),
        replacements=[m for m in members if m.replaces_id],
    )


@dataclass(frozen=True)
class MyPlace:
    volunteer: Volunteer | None
    row: int | None
    probability: float | None
    member: PanelMember | None


def my_place(*, user: User, panel: Panel, draw: PanelDraw | None) -> MyPlace:
    """The signed-in person's own place in the pool: their probability (shown to them only)
    and, once drawn, their invitation."""
    if not getattr(user, "is_authenticated", False):
        return MyPlace(None, None, None, None)
    volunteer = Volunteer.objects.filter(panel=panel, user=user).first()
    if volunteer is None or draw is None:
        return MyPlace(volunteer, None, None, None)
    try:
        row = draw.volunteer_ids.index(volunteer.pk) + 1
    except ValueError:
        return MyPlace(volunteer, None, None, None)
    probability = draw.probabilities[row - 1] if draw.probabilities else None
    member = PanelMember.objects.filter(draw=draw, volunteer=volunteer).order_by("-id").first()
    return MyPlace(volunteer, row, probability, member)


def member_of(*, user: User, panel: Panel) -> PanelMember | None:
    """The person's accepted (or still invited) place on the drawn panel, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        PanelMember.objects.filter(
            draw__panel=panel,
            draw__status=DrawStatus.DRAWN,
            volunteer__user=user,
            status=MemberStatus.ACCEPTED,
        )
        .select_related("draw")
        .first()
    )


# --- Reviews ----------------------------------------------------------------------------


def panel_reviews(*, panel: Panel, user: User) -> list[PanelReview]:
    reviews = PanelReview.objects.filter(panel=panel).select_related("project")
    if not can_manage(user) and member_of(user=user, panel=panel) is None:
        reviews = reviews.filter(status=ReviewStatus.PUBLISHED)
    return list(reviews.annotate(contribution_count=Count("contributions")))


def get_review(*, user: User, review_id: int) -> PanelReview:
    review = (
        PanelReview.objects.select_related("panel", "project", "answered_by")
        .annotate(contribution_count=Count("contributions"))
        .filter(pk=review_id)
        .first()
    )
    if review is None or (review.panel.status == "brouillon" and not can_manage(user)):
        raise Http404("Avis introuvable")
    if (
        review.status != ReviewStatus.PUBLISHED
        and not can_manage(user)
        and member_of(user=user, panel=review.panel) is None
    ):
        raise Http404("Avis introuvable")
    return review


@dataclass(frozen=True)
class RatingCount:
    label: str
    ambition: int
    daily_life: int


def review_ratings(review: PanelReview) -> list[RatingCount]:
    """Each member's rating counts once, whatever their expertise."""
    pairs = list(
        ReviewContribution.objects.filter(review=review).values_list(
            "ambition_rating", "daily_life_rating"
        )
    )
    ambition = Counter(a for a, _d in pairs)
    daily = Counter(d for _a, d in pairs)
    return [
        RatingCount(str(label), ambition[value], daily[value]) for value, label in Rating.choices
    ]


def review_median(review: PanelReview) -> tuple[str, str] | None:
    pairs = list(
        ReviewContribution.objects.filter(review=review).values_list(
            "ambition_rating", "daily_life_rating"
        )
    )
    if not pairs:
        return None
    labels = dict(Rating.choices)
    return (
        str(labels[int(statistics.median_low([a for a, _d in pairs]))]),
        str(labels[int(statistics.median_low([d for _a, d in pairs]))]),
    )


def review_contributions(review: PanelReview) -> list[ReviewContribution]:
    """The members' contributions, unsigned: they are read by the facilitator and the panel."""
    return list(ReviewContribution.objects.filter(review=review).order_by("created_at", "id"))


def project_reviews(*, project: Project) -> list[PanelReview]:
    """Published reviews of a project, for its page."""
    return list(
        PanelReview.objects.filter(project=project, status=ReviewStatus.PUBLISHED)
        .select_related("panel")
        .order_by("-published_at", "-id")
    )


def can_answer(*, user: User, review: PanelReview) -> bool:
    """The project's holder (the person or an active member of the holding organisation)."""
    if not getattr(user, "is_authenticated", False) or review.project_id is None:
        return False
    project = review.project
    if project.holder_user_id == user.pk:
        return True
    if project.holder_organisation_id is None:
        return False
    return user.memberships.filter(
        organisation_id=project.holder_organisation_id, status="active"
    ).exists()


# A type (people with the same answer to every category) with fewer members than this in the
# pool is published without its features: see ``public_record``.
MIN_PUBLISHED_TYPE = 3


def public_record(draw: PanelDraw, members: list[PanelMember]) -> dict:
    """The published register of a draw: enough to recompute the lottery's pick and check the
    quotas, without a row-level list of features.

    The pool is published as *types* with counts (the engine works on types: every member of a
    type has the same probability), each with its rows. Rows are pseudonyms: the pool is put in
    a random order when the draw is prepared, before the seed exists, and the link from a row
    to a person is never published. A type of fewer than ``MIN_PUBLISHED_TYPE`` people is
    published without its features (a rare combination of answers could point to someone):
    its count, rows and probability stay, and each lottery panel's count per quota value is
    published, so that anyone can still check that every panel of the lottery meets the
    quotas and recompute the ticket and the people picked."""
    categories = draw.categories
    profiles = [tuple(p) for p in draw.profiles]
    index = {profile: t for t, profile in enumerate(profiles)}
    rows_of: list[list[int]] = [[] for _ in profiles]
    for row, person in enumerate(draw.people, start=1):
        rows_of[index[tuple(person)]].append(row)
    probabilities = draw.probabilities
    types = []
    for t, profile in enumerate(profiles):
        count = len(rows_of[t])
        published = count >= MIN_PUBLISHED_TYPE
        types.append(
            {
                "type": t + 1,
                "features": dict(zip(categories, profile, strict=True)) if published else None,
                "count": count,
                "probability": probabilities[rows_of[t][0] - 1] if rows_of[t] else None,
                "rows": rows_of[t],
            }
        )
    quota_keys = [(c, f) for c, f, _low, _high in draw.quotas]
    position = {key: i for i, key in enumerate(quota_keys)}
    quota_counts = []
    for panel in draw.lottery_panels:
        totals = [0] * len(quota_keys)
        for t, count in enumerate(panel):
            if count:
                for category, value in zip(categories, profiles[t], strict=True):
                    totals[position[category, value]] += count
        quota_counts.append(totals)
    withheld = sum(1 for entry in types if entry["features"] is None)
    return {
        "algorithm": draw.algorithm,
        "size": draw.size,
        "quotas": [
            {"category": c, "feature": f, "min": low, "max": high}
            for c, f, low, high in draw.quotas
        ],
        "categories": categories,
        "pool_size": len(draw.people),
        "types": types,
        "withheld_types": withheld,
        "withheld_rule": (
            f"Les caractéristiques d'un type de moins de {MIN_PUBLISHED_TYPE} personnes ne sont "
            "pas publiées (seuls son effectif, ses lignes et sa probabilité le sont)."
        ),
        "lottery_panels": draw.lottery_panels,
        "lottery_quota_counts": quota_counts,
        "tickets": draw.tickets,
        "seed": draw.seed or None,
        "ticket": draw.ticket,
        "panel_rows": draw.rows,
        "replacements": [
            {
                "declined_row": m.replaces.row,
                "row": m.row,
                "seed": m.replacement_seed,
                "rule": m.replacement_note,
            }
            for m in members
            if m.replaces_id
        ],
        "figures": draw.figures,
        "how_to_check": (
            "Le billet est SHA-256(« graine:ticket ») mod le nombre de billets (entier "
            "big-endian) ; le panel du billet donne le nombre de personnes de chaque type "
            "(lottery_panels, types dans l'ordre) ; dans chaque type, les personnes retenues sont "
            "celles des lignes de plus petit SHA-256(« graine:ligne »). lottery_quota_counts "
            "donne, pour chaque panel de la loterie, son effectif par valeur des quotas. Quand "
            "aucun type n'est masqué, les types et leurs effectifs suffisent à refaire le calcul "
            "LEXIMIN (manage.py sortition)."
        ),
    }
