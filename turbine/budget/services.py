"""Every write of the participatory budget: campaigns, proposals, feasibility review, the vote.

Functions take keyword-only arguments, run in one transaction and raise :class:`BudgetError`
(a ``TurbineError`` with a French message) when a business rule refuses the operation.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from turbine.accounts.models import User
from turbine.budget import images
from turbine.budget.models import (
    Ballot,
    BallotType,
    Campaign,
    Envelope,
    Phase,
    Proposal,
    ProposalImage,
    ProposalStatus,
    StaffAction,
    VoterRecord,
)
from turbine.budget.search_indexes import index_proposals
from turbine.core.email import send_after_commit
from turbine.core.exceptions import PermissionDeniedError, TurbineError
from turbine.core.models import Theme
from turbine.territory.models import Agglomeration, Commune, Territory


class BudgetError(TurbineError):
    """A rule of the participatory budget refused the operation."""


class NotEligibleError(BudgetError):
    status_code = 403


# --------------------------------------------------------------------------------------------
# Campaigns


@dataclass(frozen=True)
class EnvelopeSpec:
    name: str
    budget: Decimal
    agglomeration: Agglomeration | None = None
    min_cost: Decimal | None = None
    max_cost: Decimal | None = None


def campaign_create(
    *,
    territory: Territory,
    slug: str,
    title: str,
    year: int,
    total_budget: Decimal | int,
    dates: Sequence[date],
    envelopes: Iterable[EnvelopeSpec] = (),
    description: str = "",
    min_age: int = 16,
    ballot_type: str = BallotType.APPROVAL,
    approval_min: int = 1,
    approval_max: int = 5,
    cumulative_points: int = 10,
    rule: str = "mes-completed",
    is_demo: bool = False,
) -> Campaign:
    """Create a campaign and its envelopes (one envelope holding the whole budget when none is
    given). ``dates`` are the 7 phase dates in order: submission start and end, feasibility end,
    vote start and end, results, realisation."""
    if len(dates) != 7 or list(dates) != sorted(dates):
        raise BudgetError("Les sept dates des phases doivent être données dans l'ordre.")
    specs = list(envelopes) or [EnvelopeSpec(name="Enveloppe unique", budget=Decimal(total_budget))]
    if sum(Decimal(s.budget) for s in specs) > Decimal(total_budget):
        raise BudgetError("Les enveloppes dépassent le budget total de la campagne.")
    with transaction.atomic():
        if Campaign.objects.filter(slug=slug).exists():
            raise BudgetError(f"Une campagne porte déjà l'identifiant « {slug} ».", field="slug")
        campaign = Campaign.objects.create(
            territory=territory,
            slug=slug,
            title=title,
            year=year,
            description=description,
            total_budget=total_budget,
            min_age=min_age,
            ballot_type=ballot_type,
            approval_min=approval_min,
            approval_max=approval_max,
            cumulative_points=cumulative_points,
            rule=rule,
            submission_start=dates[0],
            submission_end=dates[1],
            feasibility_end=dates[2],
            vote_start=dates[3],
            vote_end=dates[4],
            results_date=dates[5],
            realisation_date=dates[6],
            is_demo=is_demo,
        )
        Envelope.objects.bulk_create(
            Envelope(
                campaign=campaign,
                name=s.name,
                budget=s.budget,
                agglomeration=s.agglomeration,
                min_cost=s.min_cost,
                max_cost=s.max_cost,
                position=i,
            )
            for i, s in enumerate(specs)
        )
    return campaign


def envelope_for(
    *, envelopes: Sequence[Envelope], commune: Commune | None, cost: Decimal
) -> Envelope | None:
    """The first envelope (in display order) whose agglomeration and size band fit."""
    agglomeration_id = commune.agglomeration_id if commune is not None else None
    for envelope in envelopes:
        if envelope.agglomeration_id is not None and envelope.agglomeration_id != agglomeration_id:
            continue
        if envelope.accepts_cost(cost):
            return envelope
    return None


# --------------------------------------------------------------------------------------------
# Eligibility


def has_verified_email(user: User) -> bool:
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def check_resident(*, user: User, campaign: Campaign, action: str) -> None:
    """Raise :class:`NotEligibleError` unless ``user`` is a verified resident of the territory."""
    if not user.is_authenticated:
        raise NotEligibleError(f"Connectez-vous pour {action}.")
    if not has_verified_email(user):
        raise NotEligibleError(
            f"Confirmez d'abord votre adresse électronique pour {action} (lien reçu par courriel)."
        )
    commune = user.commune
    if (
        commune is None
        or commune.agglomeration is None
        or commune.agglomeration.territory_id != campaign.territory_id
    ):
        raise NotEligibleError(
            f"Pour {action}, indiquez dans votre profil une commune de résidence du territoire."
        )


def voter_envelopes(*, user: User, campaign: Campaign) -> list[Envelope]:
    """Envelopes ``user`` may vote in: territory-wide ones and their agglomeration's."""
    agglomeration_id = user.commune.agglomeration_id if user.commune else None
    return [
        e
        for e in campaign.envelopes.all()
        if e.agglomeration_id is None or e.agglomeration_id == agglomeration_id
    ]


# --------------------------------------------------------------------------------------------
# Proposals


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def proposal_submit(
    *,
    user: User,
    campaign: Campaign,
    title: str,
    description: str,
    estimated_cost: Decimal | int,
    commune: Commune | None = None,
    place: str = "",
    themes: Iterable[Theme] = (),
    image: UploadedFile | None = None,
    image_alt: str = "",
    today: date | None = None,
) -> Proposal:
    """Submit an idea during the submission phase (verified residents only), with an optional
    image (re-encoded; ``image_alt`` describes it for people who cannot see it)."""
    check_resident(user=user, campaign=campaign, action="déposer une idée")
    if campaign.phase_on(_today(today)) != Phase.SUBMISSION:
        raise BudgetError("Le dépôt des idées n'est pas ouvert pour cette campagne.")
    title = title.strip()
    if not title:
        raise BudgetError("Donnez un titre à votre idée.", field="title")
    if not description.strip():
        raise BudgetError("Décrivez votre idée.", field="description")
    cost = Decimal(estimated_cost)
    if cost <= 0:
        raise BudgetError("Le coût estimé doit être positif.", field="estimated_cost")
    if cost > campaign.total_budget:
        raise BudgetError(
            "Le coût estimé dépasse le budget total de la campagne.", field="estimated_cost"
        )
    if commune is not None and (
        commune.agglomeration is None or commune.agglomeration.territory_id != campaign.territory_id
    ):
        raise BudgetError("Choisissez une commune du territoire.", field="commune")
    clean = None
    if image is not None:
        if not image_alt.strip():
            raise BudgetError(
                "Décrivez l'image en une phrase, pour les personnes qui ne la voient pas.",
                field="image_alt",
            )
        clean = images.reencode(image)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            campaign=campaign,
            envelope=envelope_for(
                envelopes=list(campaign.envelopes.all()), commune=commune, cost=cost
            ),
            author=user,
            title=title,
            description=description.strip(),
            commune=commune,
            place=place.strip(),
            estimated_cost=cost,
        )
        proposal.themes.set(list(themes))
        if clean is not None:
            stored = ProposalImage(
                proposal=proposal, alt=image_alt.strip(), width=clean.width, height=clean.height
            )
            stored.file.save(clean.content.name, clean.content, save=False)
            # The file is written before the row: remove it if the transaction rolls back.
            try:
                stored.save()
            except Exception:
                stored.file.delete(save=False)
                raise
        index_proposals(ids=[proposal.pk])
    return proposal


def _log(
    *,
    campaign: Campaign,
    actor: User | None,
    action: str,
    proposal: Proposal | None = None,
    **details: Any,
) -> None:
    StaffAction.objects.create(
        campaign=campaign, actor=actor, action=action, proposal=proposal, details=details
    )


def _notify(proposal: Proposal, template: str, context: dict[str, Any]) -> None:
    """Tell the author of ``proposal`` (if any, with a verified address) by email after commit."""
    author = proposal.author
    if author is None:
        return
    context = {**context, "proposal": proposal, "site_url": settings.SITE_URL}
    subject = render_to_string(f"budget/email/{template}_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=f"[Turbine] {subject}",
        body=render_to_string(f"budget/email/{template}.txt", context),
        to=[author.email],
    )
    message.attach_alternative(
        render_to_string(f"budget/email/{template}.html", context), "text/html"
    )
    send_after_commit(message)


def proposal_review(
    *,
    actor: User,
    proposal_id: int,
    decision: str,
    public_reason: str = "",
    revised_cost: Decimal | int | None = None,
    merge_into_id: int | None = None,
    today: date | None = None,
) -> Proposal:
    """Record the feasibility decision on a proposal (staff only, audit-logged).

    ``decision`` is ``recevable``, ``non_recevable`` or ``fusionnee`` (merge with the proposal
    ``merge_into_id`` of the same campaign, which must itself be admissible; both authors are
    told by email). A decision can be revised until the vote opens.
    """
    if not actor.has_perm("budget.review_proposal"):
        raise PermissionDeniedError("L'étude de faisabilité est réservée à l'équipe de la Turbine.")
    with transaction.atomic():
        # Locked: two advisors deciding at once must not interleave their writes.
        try:
            proposal = (
                Proposal.objects.select_for_update(of=("self",))
                .select_related("campaign", "author", "commune")
                .get(pk=proposal_id)
            )
        except Proposal.DoesNotExist:
            raise BudgetError("Proposition introuvable.") from None
        campaign = proposal.campaign
        if campaign.phase_on(_today(today)) not in (Phase.SUBMISSION, Phase.FEASIBILITY):
            raise BudgetError("Les décisions de faisabilité sont closes : le vote est ouvert.")
        public_reason = public_reason.strip()
        if revised_cost is not None and Decimal(revised_cost) <= 0:
            raise BudgetError("Le coût révisé doit être positif.", field="revised_cost")
        proposal.revised_cost = Decimal(revised_cost) if revised_cost is not None else None
        proposal.public_reason = public_reason
        proposal.merged_into = None
        if decision == ProposalStatus.ADMISSIBLE:
            envelope = envelope_for(
                envelopes=list(campaign.envelopes.all()),
                commune=proposal.commune,
                cost=proposal.cost,
            )
            if envelope is None:
                raise BudgetError(
                    "Aucune enveloppe ne correspond à la commune et au coût de ce projet.",
                    field="revised_cost",
                )
            if proposal.cost > envelope.budget:
                raise BudgetError(
                    f"Le coût dépasse le montant de l'enveloppe « {envelope.name} ».",
                    field="revised_cost",
                )
            proposal.envelope = envelope
        elif decision == ProposalStatus.INADMISSIBLE:
            if not public_reason:
                raise BudgetError(
                    "Indiquez le motif public de la non-recevabilité.", field="public_reason"
                )
        elif decision == ProposalStatus.MERGED:
            target = (
                Proposal.objects.select_related("author")
                .filter(campaign=campaign, pk=merge_into_id)
                .exclude(pk=proposal.pk)
                .first()
            )
            if target is None:
                raise BudgetError(
                    "Choisissez la proposition avec laquelle fusionner.", field="merge_into"
                )
            if target.status != ProposalStatus.ADMISSIBLE:
                raise BudgetError(
                    "Fusionnez avec une proposition déjà déclarée recevable.", field="merge_into"
                )
            proposal.merged_into = target
            if not public_reason:
                proposal.public_reason = f"Fusionnée avec « {target.title} », très proche."
        else:
            raise BudgetError("Décision inconnue.", field="decision")
        proposal.status = decision
        proposal.reviewed_at = timezone.now()
        proposal.save(
            update_fields=[
                "status",
                "public_reason",
                "revised_cost",
                "merged_into",
                "envelope",
                "reviewed_at",
            ]
        )
        _log(
            campaign=campaign,
            actor=actor,
            action=f"decision:{decision}",
            proposal=proposal,
            public_reason=proposal.public_reason,
            revised_cost=str(proposal.revised_cost) if proposal.revised_cost else None,
            merged_into=proposal.merged_into_id,
        )
        index_proposals(ids=[proposal.pk])
        if decision == ProposalStatus.MERGED:
            target = proposal.merged_into
            _notify(proposal, "merged", {"target": target, "yours_kept": False})
            if target.author_id != proposal.author_id:
                _notify(target, "merged", {"target": target, "other": proposal, "yours_kept": True})
    return proposal


PROGRESS_STEPS = {
    ProposalStatus.FUNDED: (ProposalStatus.IN_PROGRESS, ProposalStatus.DONE),
    ProposalStatus.IN_PROGRESS: (ProposalStatus.IN_PROGRESS, ProposalStatus.DONE),
    ProposalStatus.DONE: (ProposalStatus.DONE,),
}


def proposal_progress(
    *, actor: User, proposal_id: int, status: str, note: str, today: date | None = None
) -> Proposal:
    """Follow a funded project to completion (staff only, audit-logged): "en travaux", then
    "réalisée", with a public note on its progress."""
    if not actor.has_perm("budget.review_proposal"):
        raise PermissionDeniedError("Le suivi des projets est réservé à l'équipe de la Turbine.")
    with transaction.atomic():
        try:
            proposal = (
                Proposal.objects.select_for_update(of=("self",))
                .select_related("campaign")
                .get(pk=proposal_id)
            )
        except Proposal.DoesNotExist:
            raise BudgetError("Proposition introuvable.") from None
        if proposal.campaign.phase_on(_today(today)) not in (Phase.RESULTS, Phase.REALISATION):
            raise BudgetError(
                "Le suivi de réalisation commence après la publication des résultats."
            )
        allowed = PROGRESS_STEPS.get(proposal.status, ())
        if status not in allowed:
            raise BudgetError(
                "Seul un projet lauréat peut passer en travaux puis être réalisé.", field="status"
            )
        proposal.status = status
        proposal.progress_note = note.strip()
        proposal.save(update_fields=["status", "progress_note"])
        _log(
            campaign=proposal.campaign,
            actor=actor,
            action=f"realisation:{status}",
            proposal=proposal,
            note=proposal.progress_note,
        )
        index_proposals(ids=[proposal.pk])
    return proposal


# --------------------------------------------------------------------------------------------
# The vote


def ballot_token_hash(*, user_id: int, envelope_id: int) -> str:
    """The link between a person and their anonymous ballot, computable only with the secret key
    (see the docstring of :mod:`turbine.budget.models`); never stored next to the person."""
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
    if envelope.agglomeration_id is not None and (
        user.commune.agglomeration_id != envelope.agglomeration_id
    ):
        raise NotEligibleError(
            f"L'enveloppe « {envelope.name} » est réservée aux habitants de "
            f"{envelope.agglomeration.name}."
        )
    if not age_declared:
        raise NotEligibleError(
            f"Déclarez avoir au moins {campaign.min_age} ans pour voter.", field="age_declared"
        )
    if campaign.phase_on(_today(today)) != Phase.VOTE:
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
