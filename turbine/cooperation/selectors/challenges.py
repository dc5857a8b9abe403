"""Read queries on common challenges, shared by the pages and the API: the progress of a
challenge rolled up from its pledges' reports (a bounded number of queries, whatever the number
of pledges)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Max, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404
from django.utils import timezone

from turbine.accounts.models import User
from turbine.cooperation.models import (
    Challenge,
    ChallengeApproval,
    ChallengeStatus,
    Pledge,
    PledgeReport,
)
from turbine.directory.models import MembershipStatus, Organisation

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=16, decimal_places=2))


def challenge_list(*, status: str | None = None) -> QuerySet[Challenge]:
    challenges = Challenge.objects.public().annotate(
        approval_count=Count("approvals", distinct=True),
        pledge_count=Count("pledges", distinct=True),
    )
    if status:
        challenges = challenges.filter(status=status)
    return challenges.select_related("proposed_for").order_by(
        "-approval_count", "-created_at", "-id"
    )


def chosen_with_progress() -> list[tuple[Challenge, Decimal]]:
    """Chosen challenges with the total reported so far (one query)."""
    challenges = list(
        Challenge.objects.public()
        .filter(status=ChallengeStatus.CHOSEN)
        .annotate(
            reported=Coalesce(Sum("pledges__reports__value"), ZERO),
            pledge_count=Count("pledges", distinct=True),
        )
        .order_by("deadline", "id")
    )
    return [(c, c.reported) for c in challenges]


def get_challenge(*, challenge_id: int) -> Challenge:
    challenge = challenge_list().filter(pk=challenge_id).first()
    if challenge is None:
        raise Http404("Défi introuvable")
    return challenge


def approved_ids(*, user: User, ids: list[int]) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        ChallengeApproval.objects.filter(user=user, challenge_id__in=ids).values_list(
            "challenge_id", flat=True
        )
    )


@dataclass
class PledgeLine:
    pledge: Pledge
    actor: str
    reported: Decimal
    holds: bool  # a conditional pledge holds once enough others joined
    kept: bool
    late: bool
    last_report: object

    @property
    def share(self) -> float:
        return float(min(self.reported / self.pledge.quantity, 1)) if self.pledge.quantity else 0.0


@dataclass
class Progress:
    challenge: Challenge
    current: Decimal
    reported: Decimal
    pledged: Decimal
    share: float
    pledges: list[PledgeLine]
    by_commune: list[tuple[str, Decimal]]
    by_actor: list[tuple[str, Decimal]]
    by_year: list[tuple[int, Decimal, Decimal]]  # year, reported that year, value at year's end
    kept: int
    late: int
    waiting: int


def actor_name(pledge: Pledge) -> str:
    if pledge.organisation_id:
        return pledge.organisation.name
    return pledge.user.public_name


def challenge_progress(*, challenge: Challenge) -> Progress:
    """The progress bar's figures and its tables: pledges (kept, late, waiting for others),
    contributions by commune, by actor and by year."""
    today = timezone.localdate()
    pledges = list(
        Pledge.objects.filter(challenge=challenge)
        .select_related("organisation", "user", "commune")
        .annotate(
            reported=Coalesce(Sum("reports__value"), ZERO),
            last_report=Max("reports__date"),
        )
        .order_by("created_at", "id")
    )
    count = len(pledges)
    lines = []
    for pledge in pledges:
        holds = pledge.threshold is None or count - 1 >= pledge.threshold
        kept = pledge.reported >= pledge.quantity
        lines.append(
            PledgeLine(
                pledge=pledge,
                actor=actor_name(pledge),
                reported=pledge.reported,
                holds=holds,
                kept=kept,
                late=not kept and pledge.due_date < today,
                last_report=pledge.last_report,
            )
        )
    reported = sum((line.reported for line in lines), Decimal("0"))
    pledged = sum((line.pledge.quantity for line in lines if line.holds), Decimal("0"))
    communes: dict[str, Decimal] = defaultdict(Decimal)
    actors: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        if line.reported:
            communes[
                line.pledge.commune.name if line.pledge.commune_id else "Sans commune précisée"
            ] += line.reported
            actors[line.actor] += line.reported
    yearly = (
        PledgeReport.objects.filter(pledge__challenge=challenge)
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(total=Sum("value"))
        .order_by("year")
    )
    running = challenge.baseline
    by_year = []
    for row in yearly:
        running += row["total"]
        by_year.append((row["year"], row["total"], running))
    span = challenge.target - challenge.baseline
    return Progress(
        challenge=challenge,
        current=challenge.baseline + reported,
        reported=reported,
        pledged=pledged,
        share=float(min(max(reported / span, 0), 1)) if span > 0 else 0.0,
        pledges=lines,
        by_commune=sorted(communes.items(), key=lambda kv: (-kv[1], kv[0])),
        by_actor=sorted(actors.items(), key=lambda kv: (-kv[1], kv[0])),
        by_year=by_year,
        kept=sum(1 for line in lines if line.kept),
        late=sum(1 for line in lines if line.late),
        waiting=sum(1 for line in lines if not line.holds),
    )


def my_organisations(*, user: User) -> list[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Organisation.objects.filter(
            memberships__user=user, memberships__status=MembershipStatus.ACTIVE
        )
        .order_by("name")
        .distinct()
    )


def recent_reports(*, challenge: Challenge, limit: int = 10) -> list[PledgeReport]:
    """The latest progress reports of a challenge, with their evidence (one query)."""
    return list(
        PledgeReport.objects.filter(pledge__challenge=challenge)
        .select_related("pledge")
        .order_by("-date", "-id")[:limit]
    )
