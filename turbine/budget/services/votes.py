"""The vote: ballot validation and the race-safe, secret recording of ballots.

How a ballot travels
--------------------
1. ``ballot_cast`` (the voter's transaction) writes the voter record (who voted, when), the
   digests of the voter's normalised verified addresses (:class:`VoterDigest`) and a
   :class:`PendingBallot`: the choices sealed with the campaign's key, which lives outside the
   database (:mod:`turbine.budget.secrecy`). Nothing readable about the choices is written in
   the voter's transaction.
2. ``ballots_flush`` (another transaction: a Celery task sent on commit, which acts once the
   pool holds ``BUDGET_BALLOT_BATCH_SIZE`` ballots, and the ten-minute scheduled job) opens a
   whole batch, shuffles it and writes it into :class:`Ballot` with random UUIDs, deleting the
   ballots the batch replaces.
3. ``campaign_ballots_seal`` (when the vote has closed: the scheduled job, and always before
   the tally, ``campaign_results_publish`` calls it) flushes what is left, rewrites every
   ballot of the campaign in one transaction in a fresh random order with new random ids and
   no token, deletes the address digests and destroys the campaign's key.

Threat model
------------
*A database reader* (a dump, a backup, an administrator with SQL or the Django admin, a leaked
replica), at any time:

* learns who voted in which envelope and when (the voter record: that is the public register
  of a vote), and how many times they changed their ballot;
* during the vote, learns the pending pool: which voter record goes with which pending row
  (same transaction: PostgreSQL ``xmin``, SQLite row order), but not its content (AES-GCM,
  padded to a fixed size, key not in the database) nor the ballot row it will become (the
  pending ``tag`` and the ballot ``token_hash`` are keyed hashes with different keys);
* during the vote, learns for each ballot row the batch in which it was written, hence that it
  belongs to one of the ``BUDGET_BALLOT_BATCH_SIZE`` (25) or more voters whose votes fell
  between two flushes, and when a batch replaces a ballot, that one of the voters who changed
  their vote in that window chose it before. Each change gives the new ballot a new token, so
  the token does not follow a voter from batch to batch;
* after the vote is sealed, learns nothing that links a ballot to a person: every ballot row
  was written in the same transaction, in random order, with random ids, no date and no token.
  Joining ballots to voter records by any column, ``xmin``, ``ctid``, ``rowid`` or order gives
  chance (``tests/test_ballot_secrecy.py``). The old row versions of PostgreSQL (dead tuples
  until ``VACUUM``, and the write-ahead log until it is recycled) still hold batch-level
  information for someone who can read raw pages or WAL: run ``VACUUM`` on ``budget_ballot``
  and ``budget_pendingballot`` after the seal if that matters; SQLite's free pages likewise
  (``VACUUM``).

*Someone who holds both the database and the key directory* (the server's administrator)
during the vote can compute every voter's token and read every ballot: that is the price of
letting voters change their ballot. The key is destroyed when the vote closes, so from then on
they cannot either. ``SECRET_KEY`` plays no part: the public development key gives nothing.

*Staff, elected officials and the public* see, during the vote, the number of ballots per
envelope; after publication, the tally and the anonymous Pabulib export (ballots in their
random order).

*The voter* sees and may change their own ballot while the vote is open (the running
application recomputes their token with the key); the receipt code proves they took part,
not what they chose.

One person, one vote
--------------------
The voter record is unique per person and envelope. Besides, each vote leaves a keyed digest
of every verified address of the voter, normalised (``core.emails.normalise_address``: lower
case, no ``+tag``, no dots at gmail.com): a second account with the same address, or the same
account deleted and created again, is refused. Several genuine addresses of one person remain
possible with this check alone, and the campaign page says so; a campaign can require a
stronger check (``Campaign.voter_check``): a list of voters imported by staff, each with a
one-time code sent by email (:mod:`turbine.budget.services.eligibility`). Sign-in through an
OpenID Connect provider such as FranceConnect is available by configuration only
(``OIDC_PROVIDERS`` in the settings), as for the rest of the site.
"""

from __future__ import annotations

import hashlib
import random
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone

from turbine.accounts.models import User
from turbine.budget import secrecy, tasks
from turbine.budget.models import (
    Ballot,
    BallotType,
    Campaign,
    EligibleVoter,
    Envelope,
    PendingBallot,
    Phase,
    Proposal,
    ProposalStatus,
    VoterCheck,
    VoterDigest,
    VoterRecord,
)
from turbine.budget.services.proposals import (
    BudgetError,
    NotEligibleError,
    check_resident,
    current_day,
)

# The shuffles of the ballot box. A test may put a seeded generator here.
RANDOM: random.Random = random.SystemRandom()


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


@dataclass(frozen=True)
class OwnBallot:
    """A voter's own ballot as they last confirmed it (``pending``: not yet in the box)."""

    choices: Any
    pending: bool


def _verified_addresses(user: User) -> list[str]:
    return list(
        EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    )


def _campaign_key(campaign: Campaign) -> bytes:
    # A key is created with the first vote. Every vote leaves a digest: with digests and no
    # key, the key was lost, and creating another would make the pending ballots unreadable
    # and let voters hold two ballots.
    first = not VoterDigest.objects.filter(campaign=campaign).exists()
    return secrecy.campaign_key(campaign_id=campaign.pk, create=first)


def ballot_cast(
    *,
    user: User,
    envelope_id: int,
    choices: Any,
    age_declared: bool,
    today: date | None = None,
) -> VoteReceipt:
    """Record or replace the person's ballot in an envelope; returns the receipt code.

    Writes the voter record, the address digests and a sealed pending ballot, never a
    :class:`Ballot` (see the module docstring); the flush is sent on commit.

    Race safety: the voter record is inserted first (its unique constraint makes the second of
    two simultaneous first votes wait, then fail into the update path), and then locked, so the
    pending ballot below is never written twice at once for the same person; the pending row is
    locked too, because ``ballots_flush`` may be moving it at that moment (then it is gone when
    the lock is granted, and this change replaces the ballot the flush wrote). The digests'
    unique constraint makes the second of two accounts with the same address wait, then fail.
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
    if campaign.phase_on(current_day(today)) != Phase.VOTE or campaign.ballots_sealed_at:
        raise BudgetError("Le vote n'est pas ouvert : votre bulletin n'a pas été enregistré.")
    if campaign.voter_check == VoterCheck.LIST and not voter_code_validated(
        user=user, campaign=campaign
    ):
        raise NotEligibleError(
            "Ce vote est réservé aux personnes inscrites sur la liste des votants : saisissez "
            "d'abord le code personnel reçu par courriel."
        )
    normalised = ballot_validate(
        envelope=envelope, proposals=votable_proposals(envelope), choices=choices
    )
    key = _campaign_key(campaign)
    digests = {
        secrecy.address_digest(key=key, envelope_id=envelope.pk, address=a)
        for a in _verified_addresses(user)
    }
    tag = secrecy.pending_tag(key=key, envelope_id=envelope.pk, user=user)
    code = secrets.token_hex(6).upper()
    receipt_hash = hashlib.sha256(code.encode()).hexdigest()
    now = timezone.now()
    already = BudgetError(
        f"Cette adresse électronique a déjà servi à voter dans l'enveloppe « {envelope.name} » "
        "(avec un autre compte, ou avec un compte supprimé depuis) : chaque personne ne vote "
        "qu'une fois."
    )
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
        rows = [VoterDigest(campaign=campaign, digest=d) for d in sorted(digests)]
        if created:
            if VoterDigest.objects.filter(digest__in=digests).exists():
                raise already
            try:
                with transaction.atomic():
                    VoterDigest.objects.bulk_create(rows)
            except IntegrityError:  # the same address voting at this moment from another account
                raise already from None
        else:  # an address verified since the first vote
            VoterDigest.objects.bulk_create(rows, ignore_conflicts=True)
        version = 0 if created else record.changes + 1
        pending = PendingBallot.objects.select_for_update().filter(tag=tag).first()
        if pending is not None:
            replaces = secrecy.unseal(key=key, campaign_id=campaign.pk, sealed=pending.sealed)["r"]
        elif created:
            replaces = []
        else:
            previous = secrecy.ballot_token(
                key=key, envelope_id=envelope.pk, user=user, version=record.changes
            )
            if not Ballot.objects.filter(token_hash=previous).exists():
                # The register says they voted but their ballot cannot be found (the key was
                # replaced, or the ballot predates it): creating one would count them twice.
                raise BudgetError(
                    "Votre bulletin précédent ne peut pas être retrouvé pour être modifié ; il "
                    "reste compté. Contactez l'équipe de la Turbine."
                )
            replaces = [previous]
        payload = {
            "e": envelope.pk,
            "t": secrecy.ballot_token(key=key, envelope_id=envelope.pk, user=user, version=version),
            "r": replaces,
            "c": normalised,
        }
        sealed = secrecy.seal(key=key, campaign_id=campaign.pk, payload=payload)
        if pending is not None:
            pending.sealed = sealed
            pending.save(update_fields=["sealed"])
        else:
            PendingBallot.objects.create(
                campaign=campaign, envelope=envelope, adds=not replaces, tag=tag, sealed=sealed
            )
        if not created:
            record.receipt_hash = receipt_hash
            record.updated_at = now
            record.changes = version
            record.save(update_fields=["receipt_hash", "updated_at", "changes"])
        if Campaign.objects.filter(pk=campaign.pk, ballots_sealed_at__isnull=False).exists():
            # Sealed while this vote was on its way (the seal waited for it or it for the seal).
            raise BudgetError("Le vote est clos : votre bulletin n'a pas été enregistré.")
        campaign_id = campaign.pk
        transaction.on_commit(lambda: _send_flush(campaign_id))
    return VoteReceipt(code=code, changed=not created)


def _send_flush(campaign_id: int) -> None:
    tasks.flush_ballots.delay(campaign_id)


def ballot_of(*, user: User, envelope: Envelope) -> OwnBallot | None:
    """The signed-in person's own ballot (to show it and let them change it), while the vote
    is open; ``None`` once it is sealed (nobody can find it any more)."""
    record = VoterRecord.objects.filter(user=user, envelope=envelope).first()
    if record is None or not secrecy.campaign_key_exists(campaign_id=envelope.campaign_id):
        return None
    key = secrecy.campaign_key(campaign_id=envelope.campaign_id, create=False)
    tag = secrecy.pending_tag(key=key, envelope_id=envelope.pk, user=user)
    pending = PendingBallot.objects.filter(tag=tag).first()
    if pending is not None:
        payload = secrecy.unseal(key=key, campaign_id=envelope.campaign_id, sealed=pending.sealed)
        return OwnBallot(choices=payload["c"], pending=True)
    token = secrecy.ballot_token(
        key=key, envelope_id=envelope.pk, user=user, version=record.changes
    )
    ballot = Ballot.objects.filter(token_hash=token).first()
    return OwnBallot(choices=ballot.choices, pending=False) if ballot else None


def voter_code_validated(*, user: User, campaign: Campaign) -> bool:
    """Whether ``user`` entered a valid one-time code of the campaign's list of voters."""
    return EligibleVoter.objects.filter(campaign=campaign, claimed_by=user).exists()


# --------------------------------------------------------------------------------------------
# The ballot box


def _flush(campaign: Campaign, *, minimum: int | None) -> int:
    """Must be called inside a transaction holding a lock on the campaign."""
    # Locked: a voter changing their ballot at this moment waits for us (or we for them), so
    # that the version moved is the one they confirmed last.
    pending = list(PendingBallot.objects.select_for_update().filter(campaign=campaign))
    if not pending or (minimum is not None and len(pending) < minimum):
        return 0
    key = secrecy.campaign_key(campaign_id=campaign.pk, create=False)
    opened = [secrecy.unseal(key=key, campaign_id=campaign.pk, sealed=p.sealed) for p in pending]
    RANDOM.shuffle(opened)
    replaced = [token for payload in opened for token in payload["r"]]
    if replaced:
        Ballot.objects.filter(campaign=campaign, token_hash__in=replaced).delete()
    Ballot.objects.bulk_create(
        Ballot(
            id=uuid.UUID(int=RANDOM.getrandbits(128), version=4),
            campaign=campaign,
            envelope_id=payload["e"],
            token_hash=payload["t"],
            choices=payload["c"],
        )
        for payload in opened
    )
    PendingBallot.objects.filter(pk__in=[p.pk for p in pending]).delete()
    return len(opened)


def ballots_flush(*, campaign_id: int, minimum: int | None = None) -> int:
    """Move the campaign's pending ballots into the ballot box, shuffled, with random ids, in
    one transaction that is not any voter's; returns how many were moved.

    With ``minimum``, does nothing while fewer ballots are pending (a smaller batch would say
    more about who cast which ballot). Idempotent; two flushes at once run one after the other.
    """
    with transaction.atomic():
        # NO KEY UPDATE: serialises the flushes of a campaign without making voters wait (their
        # inserts take a KEY SHARE lock on the campaign through the foreign keys).
        campaign = Campaign.objects.select_for_update(no_key=True).filter(pk=campaign_id).first()
        if campaign is None or campaign.ballots_sealed_at:
            return 0
        return _flush(campaign, minimum=minimum)


def campaign_ballots_seal(*, campaign_id: int, today: date | None = None) -> bool:
    """Close the ballot box once the vote is over: flush every pending ballot, rewrite all the
    campaign's ballots in one transaction, in a new random order, with new random ids and no
    token, delete the address digests, and destroy the campaign's key after commit.

    Returns whether it sealed (``False`` if already sealed). Must run before any tally."""
    today = today or timezone.localdate()
    with transaction.atomic():
        # FOR UPDATE (not NO KEY): waits for the votes in flight, which hold a KEY SHARE lock
        # on the campaign, and makes later ones wait and then see the seal.
        try:
            campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        except Campaign.DoesNotExist:
            raise BudgetError("Cette campagne n'existe pas.") from None
        if campaign.ballots_sealed_at is not None:
            return False
        if today <= campaign.vote_end:
            end = formats.date_format(campaign.vote_end, "j F Y")
            raise BudgetError(
                f"Le vote de « {campaign.title} » est ouvert jusqu'au {end} inclus : l'urne ne "
                "peut être scellée qu'après sa clôture."
            )
        _flush(campaign, minimum=None)
        live = (
            VoterRecord.objects.filter(campaign=campaign).exists()
            or VoterDigest.objects.filter(campaign=campaign).exists()
            or Ballot.objects.filter(campaign=campaign, token_hash__isnull=False).exists()
        )
        if live:
            _rewrite(campaign)
        VoterDigest.objects.filter(campaign=campaign).delete()
        campaign.ballots_sealed_at = timezone.now()
        campaign.save(update_fields=["ballots_sealed_at"])
        transaction.on_commit(lambda: secrecy.campaign_key_discard(campaign_id=campaign_id))
    return True


def _rewrite(campaign: Campaign) -> None:
    rows = list(
        Ballot.objects.filter(campaign=campaign).values_list("envelope_id", "choices", "synthetic")
    )
    RANDOM.shuffle(rows)
    Ballot.objects.filter(campaign=campaign).delete()
    Ballot.objects.bulk_create(
        (
            Ballot(
                id=uuid.UUID(int=RANDOM.getrandbits(128), version=4),
                campaign=campaign,
                envelope_id=envelope_id,
                choices=choices,
                synthetic=synthetic,
            )
            for envelope_id, choices, synthetic in rows
        ),
        batch_size=1000,
    )


def ballots_flush_due(*, today: date | None = None) -> tuple[int, int]:
    """The scheduled job: flush every open campaign's pool that reached the batch size, seal
    every vote that has closed. Returns (ballots moved, campaigns sealed)."""
    today = today or timezone.localdate()
    moved = 0
    for campaign_id in (
        PendingBallot.objects.filter(campaign__vote_end__gte=today)
        .values_list("campaign_id", flat=True)
        .distinct()
    ):
        moved += ballots_flush(campaign_id=campaign_id, minimum=settings.BUDGET_BALLOT_BATCH_SIZE)
    sealed = 0
    for campaign_id in Campaign.objects.filter(
        ballots_sealed_at__isnull=True, vote_end__lt=today
    ).values_list("pk", flat=True):
        sealed += campaign_ballots_seal(campaign_id=campaign_id, today=today)
    return moved, sealed
