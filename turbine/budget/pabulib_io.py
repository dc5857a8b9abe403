"""Campaigns to and from the Pabulib ``.pb`` format (open data, simulation and training)."""

from __future__ import annotations

import os
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from turbine.budget.engine import parse_pabulib, write_pabulib
from turbine.budget.models import (
    Ballot,
    BallotType,
    Campaign,
    Envelope,
    Proposal,
    ProposalStatus,
)
from turbine.budget.results import envelope_election
from turbine.budget.search_indexes import index_proposals
from turbine.budget.services import BudgetError, campaign_create
from turbine.territory.models import Territory

BATCH = 5_000


def _money(value: Fraction | int, what: str) -> Decimal:
    cents = Fraction(value) * 100
    if cents.denominator != 1:
        raise BudgetError(f"{what} : montant avec plus de deux décimales, non pris en charge.")
    return Decimal(cents.numerator) / 100


def _int_meta(meta: dict[str, str], key: str) -> int | None:
    try:
        return int(meta[key])
    except (KeyError, ValueError):
        return None


def campaign_import(
    *, path: str | os.PathLike[str], territory: Territory, is_demo: bool = False
) -> Campaign:
    """Create a campaign in its results phase from a Pabulib file: one envelope, its projects
    (admissible, ids kept as written) and its ballots. Raises ``PabulibError`` for a malformed
    file and :class:`BudgetError` for an election Turbine cannot hold."""
    election = parse_pabulib(path)
    if election.ballot_type not in ("approval", "cumulative"):
        raise BudgetError(
            f"Bulletins « {election.ballot_type} » non pris en charge (approbation ou cumulatif)."
        )
    meta = election.meta
    budget = _money(election.budget, "Budget")
    today = timezone.localdate()
    dates = [today - timedelta(days=d) for d in (120, 90, 60, 45, 15, 1)] + [
        today + timedelta(days=180)
    ]
    n_projects = len(election.projects)
    if election.ballot_type == "cumulative":
        ballot_type = BallotType.CUMULATIVE
    elif "max_sum_cost" in meta:
        ballot_type = BallotType.KNAPSACK
    else:
        ballot_type = BallotType.APPROVAL
    low = _int_meta(meta, "min_length") or 1
    high = max(low, _int_meta(meta, "max_length") or max(n_projects, 1))
    points = int(Fraction(meta.get("max_sum_points", "10").replace(",", ".")))
    stem = Path(path).stem
    base = slugify(f"import-{stem}")[:70] or "import"
    slug, n = base, 1
    while Campaign.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    year = _int_meta(meta, "instance") or today.year
    with transaction.atomic():
        campaign = campaign_create(
            territory=territory,
            slug=slug,
            title=(meta.get("description") or f"Import Pabulib {stem}")[:200],
            year=year if 1900 < year < 3000 else today.year,
            total_budget=budget,
            dates=dates,
            description=f"Campagne importée du fichier Pabulib « {Path(path).name} ».",
            ballot_type=ballot_type,
            approval_min=min(low, high),
            approval_max=high,
            cumulative_points=max(points, 1),
            rule="mes-completed",
            is_demo=is_demo,
        )
        envelope = campaign.envelopes.get()
        proposals = Proposal.objects.bulk_create(
            Proposal(
                campaign=campaign,
                envelope=envelope,
                title=(p.name or f"Projet {p.id}")[:160],
                description=f"Projet {p.id} du fichier Pabulib.",
                estimated_cost=_money(p.cost, f"Coût du projet {p.id}"),
                status=ProposalStatus.ADMISSIBLE,
                pabulib_id=p.id,
                is_demo=is_demo,
            )
            for p in election.projects
        )
        pk_of = {p.pabulib_id: p.pk for p in proposals}
        if any(v is None for v in pk_of.values()):  # backends without RETURNING
            pk_of = dict(campaign.proposals.values_list("pabulib_id", "id"))
        rows: list[Ballot] = []
        for ballot in election.ballots:
            if election.ballot_type == "cumulative":
                choices = [[pk_of[pid], int(Fraction(v))] for pid, v in ballot]  # type: ignore[misc]
            else:
                choices = [pk_of[pid] for pid in ballot]  # type: ignore[union-attr]
            rows.append(
                Ballot(campaign=campaign, envelope=envelope, choices=choices, synthetic=is_demo)
            )
            if len(rows) >= BATCH:
                Ballot.objects.bulk_create(rows)
                rows = []
        Ballot.objects.bulk_create(rows)
        index_proposals(ids=pk_of.values())
    return campaign


def envelope_export(*, envelope: Envelope) -> str:
    """The envelope's anonymous ballots as a Pabulib file (voters numbered 1..n in a random
    order: ballots are ordered by their random ids)."""
    campaign: Campaign = envelope.campaign
    meta = {
        "description": f"{campaign.title} — {envelope.name}",
        "country": "France",
        "unit": campaign.territory.name,
        "instance": str(campaign.year),
        "vote_type": "cumulative" if campaign.ballot_type == BallotType.CUMULATIVE else "approval",
        "rule": "equalshares" if campaign.rule == "mes-completed" else "greedy",
        "language": "french",
    }
    if campaign.ballot_type == BallotType.APPROVAL:
        meta["min_length"] = str(campaign.approval_min)
        meta["max_length"] = str(campaign.approval_max)
    elif campaign.ballot_type == BallotType.KNAPSACK:
        meta["max_sum_cost"] = str(envelope.budget)
    else:
        meta["max_sum_points"] = str(campaign.cumulative_points)
    return write_pabulib(envelope_election(envelope, meta=meta).election)
