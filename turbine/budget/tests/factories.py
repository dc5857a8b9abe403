"""Factories of the participatory budget. Dates are relative to today, so that a campaign can be
put in any phase without freezing time."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from turbine.budget.models import Ballot, Campaign, Proposal, ProposalStatus
from turbine.budget.services import EnvelopeSpec, campaign_create
from turbine.territory.models import Commune, Territory

# Offsets in days from today of the seven phase dates, for each phase to be in.
PHASE_OFFSETS = {
    "depot": (-10, 10, 20, 30, 40, 50, 200),
    "faisabilite": (-30, -10, 10, 20, 30, 40, 200),
    "vote": (-60, -40, -20, -5, 10, 20, 200),
    "resultats": (-90, -70, -50, -40, -20, -5, 200),
}


def make_campaign(
    *,
    phase: str = "vote",
    slug: str = "bp-test",
    total_budget: int = 100_000,
    envelopes: list[EnvelopeSpec] | None = None,
    **kwargs: Any,
) -> Campaign:
    today = timezone.localdate()
    territory = Territory.objects.get(slug="pole-metropolitain-artois")
    return campaign_create(
        territory=territory,
        slug=slug,
        title=kwargs.pop("title", "Budget participatif de test"),
        year=kwargs.pop("year", today.year),
        total_budget=total_budget,
        dates=[today + timedelta(days=d) for d in PHASE_OFFSETS[phase]],
        envelopes=envelopes or [],
        **kwargs,
    )


def make_proposal(
    campaign: Campaign,
    *,
    title: str = "Jardin partagé",
    cost: int = 10_000,
    commune_code: str | None = "62498",
    status: str = ProposalStatus.ADMISSIBLE,
    author: Any = None,
    envelope: Any = None,
) -> Proposal:
    commune = Commune.objects.get(code=commune_code) if commune_code else None
    return Proposal.objects.create(
        campaign=campaign,
        envelope=envelope or campaign.envelopes.first(),
        author=author,
        title=title,
        description=f"Description de « {title} ».",
        commune=commune,
        estimated_cost=Decimal(cost),
        status=status,
    )


def make_ballots(campaign: Campaign, choices: list[Any], envelope: Any = None) -> None:
    envelope = envelope or campaign.envelopes.first()
    Ballot.objects.bulk_create(
        Ballot(campaign=campaign, envelope=envelope, choices=c, synthetic=True) for c in choices
    )


def flush_ballots(campaign: Campaign) -> int:
    """Move every pending ballot into the ballot box now (whatever the batch size)."""
    from turbine.budget.services import ballots_flush

    return ballots_flush(campaign_id=campaign.pk)
