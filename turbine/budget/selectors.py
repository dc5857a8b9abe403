"""Read queries of the participatory budget, shared by the pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext

from turbine.accounts.models import User
from turbine.budget.models import (
    VOTABLE_STATUSES,
    Ballot,
    Campaign,
    EligibleVoter,
    Envelope,
    PendingBallot,
    Phase,
    Proposal,
    ProposalImage,
    ProposalStatus,
    ResultSnapshot,
    StaffAction,
    VoterRecord,
)
from turbine.core.exceptions import PermissionDeniedError
from turbine.core.models import Theme
from turbine.territory.models import Commune

ONE_DAY = timedelta(days=1)
PUBLIC_STATUSES = [s for s in ProposalStatus.values if s != ProposalStatus.SUBMITTED]


def campaign_list() -> QuerySet[Campaign]:
    return (
        Campaign.objects.select_related("territory")
        .annotate(
            proposal_count=Count(
                "proposals", filter=Q(proposals__status__in=VOTABLE_STATUSES), distinct=True
            )
        )
        .order_by("-year", "title")
    )


def get_campaign(*, slug: str) -> Campaign:
    try:
        return (
            Campaign.objects.select_related("territory")
            .prefetch_related(
                Prefetch("envelopes", queryset=Envelope.objects.select_related("agglomeration"))
            )
            .get(slug=slug)
        )
    except Campaign.DoesNotExist:
        raise Http404("Campagne introuvable") from None


def get_campaign_by_id(*, campaign_id: int) -> Campaign:
    try:
        return (
            Campaign.objects.select_related("territory")
            .prefetch_related("envelopes")
            .get(pk=campaign_id)
        )
    except Campaign.DoesNotExist:
        raise Http404("Campagne introuvable") from None


@dataclass(frozen=True)
class TimelineStep:
    phase: str
    label: str
    start: date
    end: date | None
    state: str  # "done", "current" or "next"


def timeline(campaign: Campaign, *, today: date | None = None) -> list[TimelineStep]:
    today = today or timezone.localdate()
    current = campaign.phase_on(today)
    order = [
        Phase.SUBMISSION,
        Phase.FEASIBILITY,
        Phase.VOTE,
        Phase.RESULTS,
        Phase.REALISATION,
    ]
    spans = {
        Phase.SUBMISSION: (campaign.submission_start, campaign.submission_end),
        Phase.FEASIBILITY: (campaign.submission_end + ONE_DAY, campaign.feasibility_end),
        Phase.VOTE: (campaign.vote_start, campaign.vote_end),
        Phase.RESULTS: (campaign.results_date, campaign.realisation_date - ONE_DAY),
        Phase.REALISATION: (campaign.realisation_date, None),
    }
    position = order.index(current) if current in order else -1
    steps = []
    for i, phase in enumerate(order):
        start, end = spans[phase]
        state = "done" if i < position else "current" if i == position else "next"
        steps.append(TimelineStep(phase, str(Phase(phase).label), start, end, state))
    return steps


def proposal_list(
    *,
    campaign: Campaign,
    status: str | None = None,
    theme: str | None = None,
    agglomeration: str | None = None,
    envelope: int | None = None,
    include_pending: bool = False,
) -> QuerySet[Proposal]:
    """Proposals of a campaign for the public list (staff also see those under study)."""
    qs = (
        Proposal.objects.filter(campaign=campaign)
        .select_related("commune__agglomeration", "envelope")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("position")))
    )
    if not include_pending:
        qs = qs.filter(status__in=PUBLIC_STATUSES + [ProposalStatus.SUBMITTED])
    if status:
        qs = qs.filter(status=status)
    if theme:
        qs = qs.filter(themes__slug=theme)
    if agglomeration:
        qs = qs.filter(commune__agglomeration__siren=agglomeration)
    if envelope:
        qs = qs.filter(envelope_id=envelope)
    return qs.order_by("title", "id")


def get_proposal(*, campaign: Campaign, proposal_id: int) -> Proposal:
    try:
        return (
            Proposal.objects.select_related(
                "commune__agglomeration", "envelope", "merged_into", "author", "realisation_project"
            )
            .prefetch_related("themes", "merged_proposals")
            .get(campaign=campaign, pk=proposal_id)
        )
    except Proposal.DoesNotExist:
        raise Http404("Proposition introuvable") from None


def get_image(*, image_id: int) -> ProposalImage:
    try:
        return ProposalImage.objects.get(pk=image_id)
    except ProposalImage.DoesNotExist:
        raise Http404("Image introuvable") from None


def get_proposal_for_review(*, user: User, campaign: Campaign, proposal_id: int) -> Proposal:
    if not user.has_perm("budget.review_proposal"):
        raise PermissionDeniedError("L'étude de faisabilité est réservée à l'équipe de la Turbine.")
    return get_proposal(campaign=campaign, proposal_id=proposal_id)


def review_queue(*, campaign: Campaign) -> QuerySet[Proposal]:
    return proposal_list(campaign=campaign, include_pending=True).order_by(
        "status", "created_at", "id"
    )


def staff_log(*, campaign: Campaign, limit: int = 50) -> list[StaffAction]:
    return list(
        StaffAction.objects.filter(campaign=campaign).select_related("actor", "proposal")[:limit]
    )


def voter_records(*, user: User, campaign: Campaign) -> dict[int, VoterRecord]:
    return {r.envelope_id: r for r in VoterRecord.objects.filter(user=user, campaign=campaign)}


def status_counts(*, campaign: Campaign) -> dict[str, int]:
    return dict(
        Proposal.objects.filter(campaign=campaign)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )


def results_announcement(*, campaign: Campaign, today: date) -> str:
    """When unpublished results will be published, in one French sentence."""
    when = formats.date_format(campaign.results_date, "j F Y")
    if today < campaign.results_date:
        return gettext("ils le seront le %(date)s.") % {"date": when}
    return gettext("leur publication, prévue le %(date)s, a lieu dans l'heure qui vient.") % {
        "date": when
    }


def campaign_results(*, campaign: Campaign, rule: str) -> list[dict[str, Any]]:
    """For each envelope: its snapshot data for ``rule`` (``None`` when not computed yet)."""
    snapshots = {
        s.envelope_id: s.data
        for s in ResultSnapshot.objects.filter(envelope__campaign=campaign, rule=rule)
    }
    return [{"envelope": e, "data": snapshots.get(e.pk)} for e in campaign.envelopes.all()]


def campaign_fairness(*, campaign: Campaign) -> dict[int, dict[str, Any]]:
    """Fairness figures of both rules, by envelope id then rule."""
    figures: dict[int, dict[str, Any]] = {}
    for s in ResultSnapshot.objects.filter(
        envelope__campaign=campaign, rule__in=[campaign.rule, campaign.other_rule]
    ).only("envelope_id", "rule", "data"):
        figures.setdefault(s.envelope_id, {})[s.rule] = s.data
    return figures


def ballot_counts(*, campaign: Campaign) -> dict[int, int]:
    """Number of ballots per envelope id, the pending ones included: the only vote figure
    shown before the results."""
    counts = dict(
        Ballot.objects.filter(campaign=campaign)
        .values_list("envelope_id")
        .annotate(n=Count("id"))
        .values_list("envelope_id", "n")
    )
    for envelope_id, n in (
        PendingBallot.objects.filter(campaign=campaign, adds=True)
        .values_list("envelope_id")
        .annotate(n=Count("id"))
        .values_list("envelope_id", "n")
    ):
        counts[envelope_id] = counts.get(envelope_id, 0) + n
    return counts


def eligible_voter_counts(*, campaign: Campaign) -> dict[str, int]:
    """How many people the campaign's list of voters holds, were sent a code, used it."""
    voters = EligibleVoter.objects.filter(campaign=campaign)
    return voters.aggregate(
        listed=Count("id"),
        sent=Count("id", filter=Q(code_sent=True)),
        claimed=Count("id", filter=Q(claimed=True)),
    )


def proposals_in_place(*, communes: QuerySet[Commune]) -> QuerySet[Proposal]:
    """The public participatory-budget proposals located in one of these communes (neither
    those still under study nor those merged into another), every campaign, latest first."""
    return (
        Proposal.objects.filter(commune__in=communes, status__in=PUBLIC_STATUSES)
        .exclude(status=ProposalStatus.MERGED)
        .select_related("campaign", "commune")
        .order_by("-campaign__vote_end", "title", "id")
    )
