"""Campaigns, eligibility, proposals, feasibility review and follow-up to completion."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from turbine.accounts.models import User
from turbine.budget.models import (
    BallotType,
    Campaign,
    Envelope,
    Phase,
    Proposal,
    ProposalImage,
    ProposalStatus,
    Rule,
    StaffAction,
)
from turbine.budget.search_indexes import index_proposals
from turbine.core import images
from turbine.core.email import send_after_commit
from turbine.core.exceptions import PermissionDeniedError, TurbineError
from turbine.core.models import Theme
from turbine.core.throttle import ip_throttle_check
from turbine.projects.models import Project, Scale, Stage, Visibility
from turbine.projects.services import project_create, project_post_update, project_update
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


RESERVED_SLUGS = frozenset({"nouvelle-campagne", "images"})
PHASE_FIELDS = (
    ("submission_start", "début du dépôt des idées"),
    ("submission_end", "fin du dépôt des idées"),
    ("feasibility_end", "fin de l'étude de faisabilité"),
    ("vote_start", "ouverture du vote"),
    ("vote_end", "clôture du vote"),
    ("results_date", "publication des résultats"),
    ("realisation_date", "début de la réalisation"),
)
# Pairs of consecutive phase dates that must differ: the feasibility study ends before the
# vote opens, and the results come after the vote closes (the database checks the same).
STRICT_STEPS = {3, 5}
SMALLINT_MAX = 32_767
# Ideas submitted from one IP address per hour.
PROPOSALS_PER_IP_PER_HOUR = 30
# A proposal's photo or sketch, re-encoded as a JPEG of at most 1,600 px a side.
IMAGE_SIDE = 1600
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")


def campaign_validate(
    *,
    title: str,
    year: int,
    total_budget: Decimal | int,
    dates: Sequence[date | None],
    envelopes: Sequence[EnvelopeSpec],
    min_age: int,
    ballot_type: str,
    approval_min: int,
    approval_max: int,
    cumulative_points: int,
    rule: str,
    slug: str | None = None,
) -> None:
    """Check a campaign's settings before they are written, with a French message naming the
    field at fault (``BudgetError.field``); the same rules for creation and edition."""
    if slug is not None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,79}", slug):
            raise BudgetError(
                "L'identifiant s'écrit en minuscules sans accent, chiffres et tirets (80 "
                "caractères au plus), par exemple « bp-2027 ».",
                field="slug",
            )
        if slug in RESERVED_SLUGS:
            raise BudgetError(f"L'identifiant « {slug} » est réservé.", field="slug")
    if not (title or "").strip():
        raise BudgetError("Indiquez le titre de la campagne.", field="title")
    if len(title) > 200:
        raise BudgetError("Le titre compte 200 caractères au plus.", field="title")
    if not 1900 < year < 3000:
        raise BudgetError("Indiquez une année valable.", field="year")
    if Decimal(total_budget) <= 0:
        raise BudgetError("Le budget total doit être positif.", field="total_budget")
    if len(dates) != 7:
        raise BudgetError("Les sept dates des phases doivent être données dans l'ordre.")
    for (name, label), day in zip(PHASE_FIELDS, dates, strict=True):
        if day is None:
            raise BudgetError(f"Indiquez la date : {label}.", field=name)
    for i in range(1, 7):
        before, after = dates[i - 1], dates[i]
        assert before is not None and after is not None
        if after < before or (i in STRICT_STEPS and after == before):
            relation = "strictement après" if i in STRICT_STEPS else "au plus tôt le jour de"
            raise BudgetError(
                f"La date « {PHASE_FIELDS[i][1]} » doit venir {relation} « "
                f"{PHASE_FIELDS[i - 1][1]} » : les sept dates des phases doivent être données "
                "dans l'ordre.",
                field=PHASE_FIELDS[i][0],
            )
    if not 0 <= min_age <= 120:
        raise BudgetError("L'âge minimum est compris entre 0 et 120 ans.", field="min_age")
    if ballot_type not in BallotType.values:
        raise BudgetError("Type de bulletin inconnu.", field="ballot_type")
    if rule not in Rule.values:
        raise BudgetError("Règle de décision inconnue.", field="rule")
    if not 1 <= approval_min <= SMALLINT_MAX:
        raise BudgetError("Le nombre minimum de projets est au moins 1.", field="approval_min")
    if not approval_min <= approval_max <= SMALLINT_MAX:
        raise BudgetError(
            "Le nombre maximum de projets ne peut pas être inférieur au minimum.",
            field="approval_max",
        )
    if not 1 <= cumulative_points <= SMALLINT_MAX:
        raise BudgetError(
            "Le nombre de points à répartir est compris entre 1 et 32 767.",
            field="cumulative_points",
        )
    names = set()
    for spec in envelopes:
        name = spec.name.strip()
        if not name:
            raise BudgetError("Indiquez le nom de chaque enveloppe.", field="envelopes")
        if name.casefold() in names:
            raise BudgetError(f"Deux enveloppes portent le nom « {name} ».", field="envelopes")
        names.add(name.casefold())
        if Decimal(spec.budget) <= 0:
            raise BudgetError(
                f"Le montant de l'enveloppe « {name} » doit être positif.", field="envelopes"
            )
        if (
            spec.min_cost is not None
            and spec.max_cost is not None
            and (spec.min_cost > spec.max_cost)
        ):
            raise BudgetError(
                f"Le coût minimum de l'enveloppe « {name} » dépasse son coût maximum.",
                field="envelopes",
            )
    if sum((Decimal(s.budget) for s in envelopes), Decimal(0)) > Decimal(total_budget):
        raise BudgetError(
            "Les enveloppes dépassent le budget total de la campagne.", field="envelopes"
        )


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
    actor: User | None = None,
) -> Campaign:
    """Create a campaign and its envelopes (one envelope holding the whole budget when none is
    given). ``dates`` are the 7 phase dates in order: submission start and end, feasibility end,
    vote start and end, results, realisation. With an ``actor`` (the staff page), the actor
    must be allowed to manage campaigns; commands and demo data pass none."""
    if actor is not None and not actor.has_perm("budget.manage_campaign"):
        raise PermissionDeniedError("La gestion des campagnes est réservée à l'équipe.")
    specs = list(envelopes) or [EnvelopeSpec(name="Enveloppe unique", budget=Decimal(total_budget))]
    campaign_validate(
        slug=slug,
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
    with transaction.atomic():
        if Campaign.objects.filter(slug=slug).exists():
            raise BudgetError(f"Une campagne porte déjà l'identifiant « {slug} ».", field="slug")
        campaign = Campaign.objects.create(
            territory=territory,
            slug=slug,
            title=title.strip(),
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
                name=s.name.strip(),
                budget=s.budget,
                agglomeration=s.agglomeration,
                min_cost=s.min_cost,
                max_cost=s.max_cost,
                position=i,
            )
            for i, s in enumerate(specs)
        )
        if actor is not None:
            _log(campaign=campaign, actor=actor, action="campagne:creation")
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


def current_day(today: date | None) -> date:
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
    client_ip: str | None = None,
) -> Proposal:
    """Submit an idea during the submission phase (verified residents only), with an optional
    image (re-encoded; ``image_alt`` describes it for people who cannot see it). ``client_ip``,
    given by the page and the API, is throttled (PROPOSALS_PER_IP_PER_HOUR)."""
    check_resident(user=user, campaign=campaign, action="déposer une idée")
    ip_throttle_check(
        "budget:proposals", client_ip=client_ip, limit=PROPOSALS_PER_IP_PER_HOUR, window=3600
    )
    if campaign.phase_on(current_day(today)) != Phase.SUBMISSION:
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
        clean = images.reencode(image, max_side=IMAGE_SIDE, formats=IMAGE_FORMATS)
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
            stored.file.save(clean.name, clean.content, save=False)
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
        if campaign.phase_on(current_day(today)) not in (Phase.SUBMISSION, Phase.FEASIBILITY):
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
                .filter(campaign=campaign, pk=merge_into_id or 0)
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
        previous_status = proposal.status
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
        target = proposal.merged_into
        if target is not None:
            _notify(proposal, "merged", {"target": target, "yours_kept": False})
            if target.author_id != proposal.author_id:
                _notify(target, "merged", {"target": target, "other": proposal, "yours_kept": True})
        elif decision != previous_status:
            _notify(proposal, "decision", {"admissible": decision == ProposalStatus.ADMISSIBLE})
    return proposal


SMALL_PROJECT_MAX = Decimal(50_000)

PROGRESS_STEPS: dict[str, tuple[str, ...]] = {
    ProposalStatus.FUNDED: (ProposalStatus.IN_PROGRESS, ProposalStatus.DONE),
    ProposalStatus.IN_PROGRESS: (ProposalStatus.IN_PROGRESS, ProposalStatus.DONE),
    ProposalStatus.DONE: (ProposalStatus.DONE,),
}


def _project_sync(*, actor: User, proposal: Proposal) -> Project:
    """The funded proposal's public project in the projects app, created when the realisation
    starts and moved to the matching stage afterwards (through the projects app's services)."""
    stage = Stage.DONE if proposal.status == ProposalStatus.DONE else Stage.EXECUTION
    if proposal.realisation_project is not None:
        return project_update(user=actor, project=proposal.realisation_project, stage=stage)
    return project_create(
        user=actor,
        holder_is_creator=False,
        title=proposal.title[:200],
        summary=f"Projet lauréat du {proposal.campaign.title}."[:400],
        description=proposal.description,
        communes=[proposal.commune] if proposal.commune else [],
        whole_territory=proposal.commune is None,
        themes=list(proposal.themes.all()),
        scale=Scale.SMALL if proposal.cost <= SMALL_PROJECT_MAX else Scale.COLLECTIVE,
        stage=stage,
        budget_total=proposal.cost,
        visibility=Visibility.PUBLIC,
        is_demo=proposal.is_demo,
    )


def proposal_progress(
    *, actor: User, proposal_id: int, status: str, note: str, today: date | None = None
) -> Proposal:
    """Follow a funded project to completion (staff only, audit-logged): "en travaux", then
    "réalisée", with a public note on its progress. The project gets a public page in the
    projects app, kept at the same stage, and each note is posted there as a piece of news."""
    if not actor.has_perm("budget.review_proposal"):
        raise PermissionDeniedError("Le suivi des projets est réservé à l'équipe de la Turbine.")
    with transaction.atomic():
        try:
            proposal = (
                Proposal.objects.select_for_update(of=("self",))
                .select_related("campaign", "commune", "realisation_project")
                .get(pk=proposal_id)
            )
        except Proposal.DoesNotExist:
            raise BudgetError("Proposition introuvable.") from None
        if proposal.campaign.phase_on(current_day(today)) not in (Phase.RESULTS, Phase.REALISATION):
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
        proposal.realisation_project = _project_sync(actor=actor, proposal=proposal)
        proposal.save(update_fields=["status", "progress_note", "realisation_project"])
        if proposal.progress_note:
            # The note also becomes a dated piece of news on the project's page.
            project_post_update(
                user=actor, project=proposal.realisation_project, text=proposal.progress_note
            )
        _log(
            campaign=proposal.campaign,
            actor=actor,
            action=f"realisation:{status}",
            proposal=proposal,
            note=proposal.progress_note,
        )
        index_proposals(ids=[proposal.pk])
    return proposal
