"""The vote: ballot validation and the race-safe, secret recording of ballots."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from turbine.accounts.models import User
from turbine.budget.models import (
    Ballot,
    BallotType,
    Envelope,
    Phase,
    Proposal,
    ProposalStatus,
    VoterRecord,
)
from turbine.budget.services.proposals import (
    BudgetError,
    NotEligibleError,
    check_resident,
    current_day,
)


def ballot_token_hash(*, user_id: int, envelope_id: int) -> str:
    """The link between a person and their anonymous ballot, computable only with the secret key
    (see the docstring of :mod:`turbine.budget.models`); never stored next to the person.

    ``SECRET_KEY`` must not change while a vote is open: ballots cast before could no longer be
    changed (``ballot_cast`` then refuses rather than count anyone twice)."""
    key = hashlib.sha256(f"turbine.budget.ballot:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, f"{envelope_id}:{user_id}".encode(), hashlib.sha256).hexdigest()


def votable_proposals(envelope: Envelope) -> list[Proposal]:
    return list(
        envelope.proposals.filter(status=ProposalStatus.ADMISSIBLE)
        .select_related("commune")
        .order_by("title", "id")
    )


def ballot_validate(
    *, envelope: Envelope, proposals: Sequence[Proposal], choices: Any
) -> list[int] | list[list[int]]:
    """Check ``choices`` against the campaign's ballot type and return them normalised:
    sorted proposal ids, or sorted ``[id, points]`` pairs without zero points."""
    campaign = envelope.campaign
    by_id = {p.pk: p for p in proposals}
    if campaign.ballot_type == BallotType.CUMULATIVE:
        if not isinstance(choices, dict):
            raise BudgetError("Bulletin illisible.")
        pairs: list[list[int]] = []
        for pid, points in choices.items():
            if int(pid) not in by_id:
                raise BudgetError("Ce bulletin contient un projet qui n'est pas soumis au vote.")
            if not isinstance(points, int) or points < 0:
                raise BudgetError("Les points doivent être des nombres entiers positifs ou nuls.")
            if points:
                pairs.append([int(pid), points])
        total = sum(p for _, p in pairs)
        if total == 0:
            raise BudgetError("Attribuez au moins un point à un projet.")
        if total > campaign.cumulative_points:
            raise BudgetError(
                f"Vous avez attribué {total} points : {campaign.cumulative_points} au plus."
            )
        return sorted(pairs)
    ids = sorted({int(c) for c in choices})
    if any(i not in by_id for i in ids):
        raise BudgetError("Ce bulletin contient un projet qui n'est pas soumis au vote.")
    if campaign.ballot_type == BallotType.KNAPSACK:
        if not ids:
            raise BudgetError("Choisissez au moins un projet.")
        total_cost = sum(by_id[i].cost for i in ids)
        if total_cost > envelope.budget:
            raise BudgetError(
                "Les projets choisis coûtent plus que l'enveloppe : retirez-en un ou plusieurs."
            )
        return ids
    low = campaign.approval_min
    high = min(campaign.approval_max, len(by_id))
    if len(ids) < low:
        raise BudgetError(
            f"Choisissez au moins {low} projet{'s' if low > 1 else ''}."
            if low
            else "Choisissez au moins un projet."
        )
    if len(ids) > high:
        raise BudgetError(f"Choisissez au plus {high} projet{'s' if high > 1 else ''}.")
    if not ids:
        raise BudgetError("Choisissez au moins un projet.")
    return ids


@dataclass(frozen=True)
class VoteReceipt:
    code: str
    changed: bool


def ballot_cast(
    *,
    user: User,
    envelope_id: int,
    choices: Any,
    age_declared: bool,
    today: date | None = None,
) -> VoteReceipt:
    """Record or replace the person's ballot in an envelope; returns the receipt code.

    Race safety: the voter record is inserted first (its unique constraint makes the second of
    two simultaneous first votes wait, then fail into the update path), and then locked, so the
    ballot upsert below never runs twice at once for the same person. The ballot's own unique
    ``token_hash`` is the second guarantee that a person never holds two ballots.
    """
    try:
        envelope = Envelope.objects.select_related(
            "campaign", "campaign__territory", "agglomeration"
        ).get(pk=envelope_id)
    except Envelope.DoesNotExist:
        raise BudgetError("Enveloppe introuvable.") from None
    campaign = envelope.campaign
    check_resident(user=user, campaign=campaign, action="voter")
    agglomeration = envelope.agglomeration
    if agglomeration is not None and (
        user.commune is None or user.commune.agglomeration_id != agglomeration.pk
    ):
        raise NotEligibleError(
            f"L'enveloppe « {envelope.name} » est réservée aux habitants de {agglomeration.name}."
        )
    if not age_declared:
        raise NotEligibleError(
            f"Déclarez avoir au moins {campaign.min_age} ans pour voter.", field="age_declared"
        )
    if campaign.phase_on(current_day(today)) != Phase.VOTE:
        raise BudgetError("Le vote n'est pas ouvert : votre bulletin n'a pas été enregistré.")
    normalised = ballot_validate(
        envelope=envelope, proposals=votable_proposals(envelope), choices=choices
    )
    code = secrets.token_hex(6).upper()
    receipt_hash = hashlib.sha256(code.encode()).hexdigest()
    token_hash = ballot_token_hash(user_id=user.pk, envelope_id=envelope.pk)
    now = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():  # savepoint: a failed insert must not poison the rest
                record = VoterRecord.objects.create(
                    user=user,
                    campaign=campaign,
                    envelope=envelope,
                    receipt_hash=receipt_hash,
                    voted_at=now,
                    updated_at=now,
                )
            created = True
        except IntegrityError:
            # A record exists (maybe committed a moment ago by a simultaneous request of the
            # same person): lock it so that the two ballot writes happen one after the other.
            record = VoterRecord.objects.select_for_update().get(
                user=user, campaign=campaign, envelope=envelope
            )
            created = False
        updated = Ballot.objects.filter(token_hash=token_hash).update(choices=normalised)
        if not updated and not created:
            # The register says they voted but their ballot cannot be found: the secret key
            # changed during the vote. Creating a ballot would count them twice.
            raise BudgetError(
                "Votre bulletin précédent ne peut pas être retrouvé pour être modifié ; il reste "
                "compté. Contactez l'équipe de la Turbine."
            )
        if not updated:
            Ballot.objects.create(
                campaign=campaign, envelope=envelope, token_hash=token_hash, choices=normalised
            )
        if not created:
            record.receipt_hash = receipt_hash
            record.updated_at = now
            record.changes += 1
            record.save(update_fields=["receipt_hash", "updated_at", "changes"])
    return VoteReceipt(code=code, changed=not created)


def ballot_of(*, user: User, envelope: Envelope) -> Ballot | None:
    """The signed-in person's own ballot (to show it and let them change it)."""
    return Ballot.objects.filter(
        token_hash=ballot_token_hash(user_id=user.pk, envelope_id=envelope.pk)
    ).first()
