"""Edition of a campaign by the Turbine's staff (creation is ``campaign_create``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from turbine.accounts.models import User
from turbine.budget.models import Ballot, Campaign, Envelope, Proposal, VoterRecord
from turbine.budget.services.proposals import (
    BudgetError,
    EnvelopeSpec,
    _log,
    campaign_validate,
)
from turbine.core.exceptions import PermissionDeniedError

BALLOT_FIELDS = ("ballot_type", "approval_min", "approval_max", "cumulative_points")


def _same_spec(envelope: Envelope, spec: EnvelopeSpec) -> bool:
    """Whether an envelope keeps what its ballots depend on (its name may change)."""
    return (
        envelope.budget == Decimal(spec.budget)
        and envelope.agglomeration_id == (spec.agglomeration.pk if spec.agglomeration else None)
        and envelope.min_cost == spec.min_cost
        and envelope.max_cost == spec.max_cost
    )


def campaign_update(
    *,
    actor: User,
    campaign_id: int,
    title: str,
    year: int,
    total_budget: Decimal | int,
    dates: Sequence[date | None],
    envelopes: Sequence[tuple[int | None, EnvelopeSpec]],
    description: str = "",
    min_age: int = 16,
    ballot_type: str,
    approval_min: int,
    approval_max: int,
    cumulative_points: int,
    rule: str,
    today: date | None = None,
) -> Campaign:
    """Change a campaign's settings, phases and envelopes (staff only, audit-logged).

    ``envelopes`` lists ``(id, spec)``: an existing envelope (its id) or a new one (``None``);
    an existing envelope left out is deleted, which is refused once it holds proposals. Once
    someone has voted, the ballot (type, bounds, points) and the envelopes (amounts, areas,
    cost bands, number) no longer change; once the results are public, neither does the rule.
    """
    if not actor.has_perm("budget.manage_campaign"):
        raise PermissionDeniedError("La gestion des campagnes est réservée à l'équipe.")
    specs = [spec for _, spec in envelopes]
    campaign_validate(
        title=title,
        year=year,
        total_budget=total_budget,
        dates=list(dates),
        envelopes=specs,
        min_age=min_age,
        ballot_type=ballot_type,
        approval_min=approval_min,
        approval_max=approval_max,
        cumulative_points=cumulative_points,
        rule=rule,
    )
    if not specs:
        raise BudgetError("Une campagne compte au moins une enveloppe.", field="envelopes")
    today = today or timezone.localdate()
    with transaction.atomic():
        # Locked so that two staff members editing at once do not interleave their envelopes.
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        if campaign is None:
            raise BudgetError("Campagne introuvable.")
        existing = {e.pk: e for e in Envelope.objects.filter(campaign=campaign)}
        kept_ids = [pk for pk, _ in envelopes if pk is not None]
        unknown = set(kept_ids) - set(existing)
        if unknown or len(kept_ids) != len(set(kept_ids)):
            raise BudgetError("Enveloppe inconnue dans cette campagne.", field="envelopes")
        removed = [e for pk, e in existing.items() if pk not in kept_ids]
        voted = (
            VoterRecord.objects.filter(campaign=campaign).exists()
            or Ballot.objects.filter(campaign=campaign).exists()
        )
        if voted:
            new_ballot = (ballot_type, approval_min, approval_max, cumulative_points)
            if new_ballot != tuple(getattr(campaign, f) for f in BALLOT_FIELDS):
                raise BudgetError(
                    "Le vote a commencé : le bulletin ne peut plus changer.", field="ballot_type"
                )
            if removed or any(
                pk is None or not _same_spec(existing[pk], spec) for pk, spec in envelopes
            ):
                raise BudgetError(
                    "Le vote a commencé : les enveloppes ne peuvent plus changer (seul leur nom "
                    "le peut).",
                    field="envelopes",
                )
        if campaign.ballots_sealed_at is not None and (dates[3], dates[4]) != (
            campaign.vote_start,
            campaign.vote_end,
        ):
            # The key is destroyed and the box shuffled: a vote cannot reopen.
            raise BudgetError(
                "Le vote est clos et l'urne scellée : ses dates ne peuvent plus changer.",
                field="vote_end",
            )
        if rule != campaign.rule and (
            campaign.results_published or campaign.results_public_on(today)
        ):
            raise BudgetError(
                "Les résultats sont publiés : la règle de décision ne peut plus changer.",
                field="rule",
            )
        busy = (
            set(Proposal.objects.filter(envelope__in=removed).values_list("envelope_id", flat=True))
            if removed
            else set()
        )
        if busy:
            names = ", ".join(f"« {existing[pk].name} »" for pk in sorted(busy))
            raise BudgetError(
                f"Des propositions sont rattachées à l'enveloppe {names} : elle ne peut pas être "
                "supprimée.",
                field="envelopes",
            )
        changes = {
            "title": title.strip(),
            "year": year,
            "description": description,
            "total_budget": total_budget,
            "min_age": min_age,
            "ballot_type": ballot_type,
            "approval_min": approval_min,
            "approval_max": approval_max,
            "cumulative_points": cumulative_points,
            "rule": rule,
            "submission_start": dates[0],
            "submission_end": dates[1],
            "feasibility_end": dates[2],
            "vote_start": dates[3],
            "vote_end": dates[4],
            "results_date": dates[5],
            "realisation_date": dates[6],
        }
        for field, value in changes.items():
            setattr(campaign, field, value)
        campaign.save(update_fields=list(changes))
        if removed:
            Envelope.objects.filter(pk__in=[e.pk for e in removed]).delete()
        # Names are unique per campaign: kept envelopes get a provisional name first, so that
        # two envelopes may swap their names.
        kept = [existing[pk] for pk in kept_ids]
        for envelope in kept:
            envelope.name = f"~provisoire-{envelope.pk}"
        Envelope.objects.bulk_update(kept, ["name"])
        for position, (pk, spec) in enumerate(envelopes):
            envelope = existing[pk] if pk is not None else Envelope(campaign=campaign)
            envelope.name = spec.name.strip()
            envelope.budget = Decimal(spec.budget)
            envelope.agglomeration = spec.agglomeration
            envelope.min_cost = spec.min_cost
            envelope.max_cost = spec.max_cost
            envelope.position = position
            envelope.save()
        _log(
            campaign=campaign,
            actor=actor,
            action="campagne:modification",
            removed_envelopes=[e.name for e in removed],
        )
    return campaign
